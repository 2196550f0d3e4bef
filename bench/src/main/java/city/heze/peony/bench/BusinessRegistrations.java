package city.heze.peony.bench;

import city.heze.peony.identifiers.CreditCodes;
import city.heze.peony.identifiers.HezeRegion;
import city.heze.peony.identifiers.HezeRegions;
import city.heze.peony.identifiers.ResidentIds;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/**
 * Realistic 市场监管局 business registrations (catalog {@code scjg.business-registration}) for the
 * bench: valid credit codes and resident ids of Heze, Chinese names and business scopes, about 300
 * bytes of Avro each. Every {@value #INVALID_EVERY}th record carries a legal representative's id
 * with a wrong check character, so that validation exercises its rejection path as in real
 * traffic. Seeded: the same count gives the same records.
 */
public final class BusinessRegistrations {
    /** One record in this many is invalid (a blocking rule fails): 2 %. */
    public static final int INVALID_EVERY = 50;

    private static final String[] SURNAMES = {"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "孙", "马", "朱", "胡", "郭"
    };
    private static final String[] GIVEN = {
        "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "涛", "明", "超", "秀英", "桂兰", "建华", "志强"
    };
    private static final String[] TRADE_NAMES = {
        "牡丹", "鲁西", "曹州", "华源", "鑫盛", "宏达", "恒泰", "金穗", "兴农", "瑞丰", "佳和", "众诚", "德润", "天成", "福源"
    };
    private static final String[] INDUSTRIES = {
        "商贸", "农业科技", "木业", "食品", "建材", "物流", "医药", "纺织", "电子科技", "餐饮管理", "家具", "生物科技"
    };
    private static final String[] SCOPES = {
        "日用百货销售",
        "五金产品零售",
        "农副产品销售",
        "食品经营（销售预包装食品）",
        "建筑材料销售",
        "家具制造",
        "道路货物运输（不含危险货物）",
        "技术服务、技术开发、技术咨询",
        "中药材种植",
        "木材加工",
        "服装服饰批发",
        "电子产品销售",
        "餐饮服务",
        "牡丹种植及牡丹籽油加工",
        "信息咨询服务（不含许可类信息咨询服务）"
    };
    private static final String[] ENTITY_TYPES = {
        "LIMITED_COMPANY",
        "LIMITED_COMPANY",
        "LIMITED_COMPANY",
        "INDIVIDUAL_BUSINESS",
        "INDIVIDUAL_BUSINESS",
        "SOLE_PROPRIETORSHIP",
        "PARTNERSHIP",
        "FARMERS_COOPERATIVE",
        "JOINT_STOCK_COMPANY"
    };
    private static final String[] STATUSES = {"ACTIVE", "ACTIVE", "ACTIVE", "ACTIVE", "REVOKED", "CANCELLED"};
    private static final String SUFFIX_COMPANY = "有限公司";

    private BusinessRegistrations() {}

    /** {@code count} records of {@code schema} (the catalog's registered BusinessRegistration schema). */
    static List<GenericRecord> generate(Schema schema, int count, long seed) {
        Random random = new Random(seed);
        List<HezeRegion> regions = HezeRegions.current().stream()
                .filter(HezeRegion::appearsOnIdCards)
                .toList();
        Schema entityType = schema.getField("entityType").schema();
        Schema status = schema.getField("status").schema();
        long updatedAt = LocalDate.of(2025, 11, 1).toEpochDay() * 86_400_000L;
        List<GenericRecord> records = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String region = regions.get(random.nextInt(regions.size())).code();
            String representative = name(random);
            LocalDate birth = LocalDate.ofEpochDay(LocalDate.of(1955, 1, 1).toEpochDay() + random.nextInt(45 * 365));
            String residentId = ResidentIds.generate(region, birth, random.nextInt(1000));
            if (i % INVALID_EVERY == INVALID_EVERY - 1) {
                residentId = residentId.substring(0, 17) + (residentId.charAt(17) == '0' ? '1' : '0');
            }
            GenericRecord r = new GenericData.Record(schema);
            r.put("recordId", String.format("SCJG-%s-%09d", region, i));
            r.put("creditCode", CreditCodes.generate('9', '1', region, organisationCode(random)));
            r.put("entityName", entityName(random));
            r.put("entityType", new GenericData.EnumSymbol(entityType, pick(random, ENTITY_TYPES)));
            r.put("legalRepresentative", representative);
            r.put("legalRepresentativeId", residentId);
            r.put("regionCode", region);
            // Registered capital in 万元 with two decimals: unscaled value, big-endian two's complement.
            r.put(
                    "registeredCapital",
                    ByteBuffer.wrap(BigInteger.valueOf(1_000 + random.nextInt(50_000_000))
                            .toByteArray()));
            r.put("establishedOn", (int) (LocalDate.of(1995, 1, 1).toEpochDay() + random.nextInt(30 * 365)));
            r.put("businessScope", scope(random));
            r.put("status", new GenericData.EnumSymbol(status, pick(random, STATUSES)));
            r.put("phone", random.nextInt(4) == 0 ? null : "1" + (3 + random.nextInt(7)) + digits(random, 9));
            r.put("updatedAt", updatedAt + random.nextInt(86_400_000));
            records.add(r);
        }
        return records;
    }

    private static String name(Random random) {
        return pick(random, SURNAMES) + pick(random, GIVEN) + (random.nextBoolean() ? pick(random, GIVEN) : "");
    }

    private static String entityName(Random random) {
        return "菏泽市" + pick(random, TRADE_NAMES) + pick(random, INDUSTRIES) + SUFFIX_COMPANY;
    }

    private static String scope(Random random) {
        StringBuilder s = new StringBuilder("一般项目：");
        int items = 3 + random.nextInt(3);
        for (int k = 0; k < items; k++) {
            s.append(pick(random, SCOPES)).append(k + 1 < items ? "；" : "。");
        }
        return s.append("（依法须经批准的项目除外）").toString();
    }

    private static String organisationCode(Random random) {
        StringBuilder s = new StringBuilder(8);
        for (int k = 0; k < 8; k++) {
            s.append(CreditCodes.CHARACTERS.charAt(random.nextInt(CreditCodes.CHARACTERS.length())));
        }
        return s.toString();
    }

    private static String digits(Random random, int n) {
        StringBuilder s = new StringBuilder(n);
        for (int k = 0; k < n; k++) {
            s.append((char) ('0' + random.nextInt(10)));
        }
        return s.toString();
    }

    private static String pick(Random random, String[] values) {
        return values[random.nextInt(values.length)];
    }
}
