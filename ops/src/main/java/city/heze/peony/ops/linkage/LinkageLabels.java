package city.heze.peony.ops.linkage;

import city.heze.peony.avro.linkage.CertificationStatus;
import city.heze.peony.avro.linkage.ReviewFlagKind;
import java.util.Map;

/**
 * What a caseworker reads instead of schema names: the Chinese names of the flag kinds, statuses and
 * the evidence fields the scenarios report (the catalogs' field names are English identifiers; these
 * are the names the departments' own forms use).
 */
final class LinkageLabels {
    private static final Map<String, String> FIELDS = Map.ofEntries(
            Map.entry("residentId", "公民身份号码"),
            Map.entry("ownerResidentId", "车主身份号码"),
            Map.entry("legalRepresentativeId", "法定代表人身份号码"),
            Map.entry("name", "姓名"),
            Map.entry("plateNumber", "号牌号码"),
            Map.entry("vin", "车辆识别代号"),
            Map.entry("vehicleType", "车辆类型"),
            Map.entry("registeredOn", "登记日期"),
            Map.entry("creditCode", "统一社会信用代码"),
            Map.entry("entityName", "主体名称"),
            Map.entry("status", "状态"),
            Map.entry("establishedOn", "成立日期"),
            Map.entry("deregistered", "已注销"),
            Map.entry("effectiveOn", "注销生效日期"),
            Map.entry("employerName", "用人单位"),
            Map.entry("employerCreditCode", "用人单位信用代码"),
            Map.entry("startDate", "开始日期"),
            Map.entry("endDate", "结束日期"),
            Map.entry("monthlyPensionFen", "月养老金（分）"),
            Map.entry("pensionType", "养老保险类型"),
            Map.entry("deathDate", "死亡日期"),
            Map.entry("certificateNo", "死亡证明编号"),
            Map.entry("settledAt", "结算时间"),
            Map.entry("institutionCreditCode", "医疗机构信用代码"),
            Map.entry("totalAmount", "医疗费总额"),
            Map.entry("regionCode", "行政区划代码"),
            Map.entry("updatedAt", "更新时间"),
            Map.entry("approvedOn", "批准日期"),
            Map.entry("assistanceType", "救助类型"),
            Map.entry("monthlyAmountFen", "月救助金（分）"));

    private LinkageLabels() {}

    /** The field's Chinese name, or the schema name when there is none. */
    static String field(String name) {
        return FIELDS.getOrDefault(name, name);
    }

    static String flag(ReviewFlagKind kind) {
        return switch (kind) {
            case VEHICLE -> "名下有机动车";
            case BUSINESS -> "担任在营市场主体法定代表人";
            case EMPLOYED -> "有在职就业登记";
            case PENSION -> "领取养老金";
            case DECEASED -> "已死亡";
            default -> kind.name();
        };
    }

    static String status(CertificationStatus status) {
        return switch (status) {
            case SUSPEND -> "暂停发放";
            case CERTIFIED -> "已认证";
            case NEEDS_VISIT -> "需上门核验";
            default -> status.name();
        };
    }
}
