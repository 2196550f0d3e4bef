package city.heze.peony.producers.simulate;

import city.heze.peony.identifiers.HezeRegion;
import city.heze.peony.identifiers.HezeRegions;
import java.util.List;
import java.util.Random;

/**
 * The words simulated records are made of: common Chinese surnames and given-name characters,
 * Heze's districts and streets, business names, business scopes, ICD-10 codes, the purposes of share
 * applications and the reasons for refusing them. Everything is picked with the caller's seeded
 * {@link Random}, so a seed gives the same text every run.
 */
final class CityVocabulary {

    /** The most common surnames in China (about 85 % of the population), most frequent first. */
    private static final String SURNAMES =
            "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖" + "贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤";

    private static final String GIVEN_MALE = "伟强磊军洋勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆帅旭宁龙林阳东文博志建国庆成海峰";
    private static final String GIVEN_FEMALE = "芳娜敏静丽艳娟霞秀英玲桂兰萍红梅琳雪燕慧莉婷倩颖洁晶佳怡欣悦丹璐瑶琪";

    private static final String[] STREETS = {
        "中华路", "人民路", "和平路", "长江路", "丹阳路", "双河路", "牡丹路", "八一路", "东方红大街", "华英路", "青年路", "重庆路", "广州路", "昆明路", "南京路",
        "北京路", "黄河路", "太原路", "康庄路", "西安路"
    };

    private static final String[] TRADE_NAMES = {
        "鑫源", "华泰", "恒通", "瑞丰", "宏达", "金牡丹", "鲁西南", "天成", "福润", "盛世", "汇丰", "众诚", "佳禾", "永盛", "德信", "中科", "万家", "新华"
    };

    private static final String[] INDUSTRIES = {
        "商贸", "农业科技", "木业", "建材", "食品", "物流", "医药", "纺织", "电子科技", "建筑工程", "牡丹文化", "生物科技", "机械制造", "餐饮管理"
    };

    private static final String[] COMPANY_FORMS = {"有限公司", "有限公司", "有限责任公司", "股份有限公司", "农民专业合作社", "经营部"};

    private static final String[] BUSINESS_SCOPES = {
        "一般项目：农产品销售；农业技术推广服务。",
        "木制品加工、销售；家具制造；货物进出口。",
        "食品销售（仅销售预包装食品）；日用百货销售。",
        "道路货物运输（不含危险货物）；仓储服务。",
        "牡丹种植、加工、销售；牡丹籽油生产。",
        "建筑材料销售；建筑工程施工。",
        "药品零售；医疗器械销售。",
        "电子产品研发、销售；软件开发。"
    };

    /** ICD-10 codes common in settlements and death certificates. */
    private static final String[] ICD10 = {
        "I10", "E11.9", "J18.9", "I63.9", "I21.9", "C34.9", "J44.9", "K29.7", "N18.9", "I50.9", "C16.9", "S72.0"
    };

    private static final String[] REASONS = {"经营期满", "股东会决议解散", "吊销营业执照", "被依法撤销", "简易注销", "迁出本市"};

    private static final String[] PURPOSES = {
        "社会救助家庭经济状况核对", "养老保险待遇资格认证", "医疗救助对象身份核验", "户籍信息核验", "住房保障资格审核", "企业信用监管", "新生儿参保登记", "死亡人员待遇停发"
    };

    private static final String[] REFUSALS = {"申请用途与共享条件不符", "申请材料不完整，请补充法律依据", "所申请数据项超出最小必要范围", "申请部门无相应职责"};

    private static final String[] WORDS = {"备注", "正常", "已核实", "待复核", "无", "其他"};

    /** Heze's current division codes, which records name as places (development zones excluded). */
    static final List<HezeRegion> DIVISIONS =
            HezeRegions.current().stream().filter(HezeRegion::appearsOnIdCards).toList();

    /** Heze's development zones: statistical codes, which only some catalogs accept as a place. */
    static final List<HezeRegion> ZONES =
            HezeRegions.current().stream().filter(HezeRegion::statisticalOnly).toList();

    /** Heze's codes of before 2000 (菏泽地区), which resident IDs of people born then still carry. */
    static final List<HezeRegion> OLD_PREFECTURE = HezeRegions.all().stream()
            .filter(r -> r.code().startsWith("3729") && r.appearsOnIdCards())
            .toList();

    /** Real division codes outside Heze: Jinan, Qingdao, Yantai, Jining, Linyi, Zhengzhou, Shangqiu. */
    static final String[] OUTSIDE_HEZE = {"370102", "370202", "370602", "370811", "371302", "410102", "411402"};

    private static final String[] MOBILE_PREFIXES = {
        "130", "131", "132", "133", "134", "135", "136", "137", "138", "139", "150", "151", "152", "153", "155", "156",
        "157", "158", "159", "177", "180", "181", "182", "183", "185", "186", "187", "188", "189", "199"
    };

    private CityVocabulary() {}

    static String personName(Random random, boolean male) {
        StringBuilder name = new StringBuilder(3).append(SURNAMES.charAt(skewed(random, SURNAMES.length())));
        String given = male ? GIVEN_MALE : GIVEN_FEMALE;
        name.append(given.charAt(random.nextInt(given.length())));
        if (random.nextInt(3) > 0) {
            name.append(given.charAt(random.nextInt(given.length())));
        }
        return name.toString();
    }

    static String companyName(Random random) {
        String district = shortName(pick(random, DIVISIONS).name());
        return "菏泽" + (random.nextBoolean() ? district : "") + pick(random, TRADE_NAMES) + pick(random, INDUSTRIES)
                + pick(random, COMPANY_FORMS);
    }

    static String address(Random random) {
        HezeRegion region = pick(random, DIVISIONS);
        return "山东省菏泽市" + (region.code().equals("371700") ? "" : region.name()) + pick(random, STREETS)
                + (1 + random.nextInt(899)) + "号";
    }

    static String businessScope(Random random) {
        return pick(random, BUSINESS_SCOPES);
    }

    static String icd10(Random random) {
        return pick(random, ICD10);
    }

    static String reason(Random random) {
        return pick(random, REASONS);
    }

    static String purpose(Random random) {
        return pick(random, PURPOSES);
    }

    static String refusal(Random random) {
        return pick(random, REFUSALS);
    }

    static String word(Random random) {
        return pick(random, WORDS);
    }

    static String mobile(Random random) {
        StringBuilder number = new StringBuilder(11).append(pick(random, MOBILE_PREFIXES));
        for (int i = 0; i < 8; i++) {
            number.append((char) ('0' + random.nextInt(10)));
        }
        return number.toString();
    }

    static <T> T pick(Random random, List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    static String pick(Random random, String[] values) {
        return values[random.nextInt(values.length)];
    }

    /** An index in [0, n) favouring the front, as surnames are: the first ten cover 40 % of people. */
    private static int skewed(Random random, int n) {
        double u = random.nextDouble();
        return (int) (n * u * u);
    }

    /** 牡丹区 → 牡丹, 曹县 → 曹县 (a county keeps its 县: 曹 alone is no place name). */
    private static String shortName(String name) {
        return name.endsWith("区") ? name.substring(0, name.length() - 1) : name;
    }
}
