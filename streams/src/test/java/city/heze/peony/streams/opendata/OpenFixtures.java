package city.heze.peony.streams.opendata;

import city.heze.peony.avro.CatalogEntry;
import city.heze.peony.avro.common.OpenField;
import city.heze.peony.avro.common.OpenTreatment;
import city.heze.peony.avro.common.OpenType;
import city.heze.peony.avro.common.ShareType;
import city.heze.peony.avro.common.UpdateCycle;
import city.heze.peony.identifiers.ResidentIds;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/** A test catalog with a field of every kind, its open section, records and personal numbers to plant. */
final class OpenFixtures {
    static final String CATALOG = "mz.open-test";
    static final String DEPARTMENT = "mz";

    static final Schema SCHEMA = new Schema.Parser().parse("""
            {"type": "record", "name": "OpenTest", "namespace": "city.heze.peony.test",
             "fields": [
              {"name": "recordId", "type": "string"},
              {"name": "personName", "type": "string"},
              {"name": "residentId", "type": "string"},
              {"name": "phone", "type": ["null", "string"], "default": null},
              {"name": "notes", "type": "string"},
              {"name": "address", "type": ["null", "string"], "default": null},
              {"name": "regionCode", "type": "string"},
              {"name": "birthDate", "type": {"type": "int", "logicalType": "date"}},
              {"name": "updatedAt", "type": {"type": "long", "logicalType": "timestamp-millis"}},
              {"name": "issuedOn", "type": "string"},
              {"name": "amount", "type": {"type": "bytes", "logicalType": "decimal", "precision": 18, "scale": 2}},
              {"name": "score", "type": "double"},
              {"name": "bigCount", "type": "long"},
              {"name": "count", "type": "int"},
              {"name": "ratio", "type": "float"},
              {"name": "flag", "type": "boolean"},
              {"name": "status", "type": {"type": "enum", "name": "Status", "symbols": ["ACTIVE", "CLOSED"]}},
              {"name": "tags", "type": {"type": "array", "items": "string"}},
              {"name": "attributes", "type": {"type": "map", "values": "string"}},
              {"name": "blob", "type": "bytes"},
              {"name": "contact", "type": {"type": "record", "name": "Contact", "fields": [
                 {"name": "label", "type": "string"}, {"name": "detail", "type": ["null", "string"], "default": null}]}}
             ]}""");

    /** The string fields a planted number can hide in, after masking still strings the checks read. */
    static final List<String> KEPT_STRING_FIELDS = List.of("recordId", "notes", "regionCode");

    static OpenField field(String name, OpenTreatment treatment, Map<String, String> parameters) {
        return new OpenField(name, treatment, parameters);
    }

    static List<OpenField> openFields() {
        return List.of(
                field("recordId", OpenTreatment.KEEP, Map.of()),
                field("personName", OpenTreatment.MASK, Map.of("keepFirst", "1", "personName", "true")),
                field("residentId", OpenTreatment.DROP, Map.of()),
                field("phone", OpenTreatment.MASK, Map.of("keepFirst", "3", "keepLast", "4")),
                field("notes", OpenTreatment.KEEP, Map.of()),
                field("address", OpenTreatment.ADDRESS_DISTRICT, Map.of("regionCodeField", "regionCode")),
                field("regionCode", OpenTreatment.KEEP, Map.of()),
                field("birthDate", OpenTreatment.DATE_YEAR, Map.of()),
                field("updatedAt", OpenTreatment.DATE_YEAR_MONTH, Map.of()),
                field("issuedOn", OpenTreatment.DATE_YEAR_MONTH, Map.of()),
                field("amount", OpenTreatment.AMOUNT_ROUND, Map.of("step", "100")),
                field("score", OpenTreatment.AMOUNT_ROUND, Map.of("step", "0.5")),
                field("bigCount", OpenTreatment.AMOUNT_ROUND, Map.of("step", "1000")),
                field("count", OpenTreatment.KEEP, Map.of()),
                field("ratio", OpenTreatment.DROP, Map.of()),
                field("flag", OpenTreatment.KEEP, Map.of()),
                field("status", OpenTreatment.KEEP, Map.of()),
                field("tags", OpenTreatment.KEEP, Map.of()),
                field("attributes", OpenTreatment.KEEP, Map.of()),
                field("blob", OpenTreatment.DROP, Map.of()),
                field("contact", OpenTreatment.KEEP, Map.of()));
    }

    static CatalogEntry entry(Instant publishedAt) {
        return entry(CATALOG, OpenType.OPEN, SCHEMA, openFields(), List.of("recordId", "address"), publishedAt);
    }

    static CatalogEntry entry(
            String id,
            OpenType openType,
            Schema schema,
            List<OpenField> openFields,
            List<String> openRequired,
            Instant publishedAt) {
        return CatalogEntry.newBuilder()
                .setId(id)
                .setResourceCode("11371700MZ9999")
                .setName("开放测试")
                .setDepartment(DEPARTMENT)
                .setSchema$(schema.toString())
                .setShareType(ShareType.UNCONDITIONAL)
                .setOpenType(openType)
                .setUpdateCycle(UpdateCycle.REALTIME)
                .setPublishedAt(publishedAt)
                .setOpenFields(openFields)
                .setOpenRequired(openRequired)
                .build();
    }

    /** A clean record: nothing personal survives its masking. */
    static GenericRecord record(int n) {
        GenericData.Record r = new GenericData.Record(SCHEMA);
        r.put("recordId", "OT-" + n);
        r.put("personName", "张三丰");
        r.put(
                "residentId",
                ResidentIds.generate("371702", LocalDate.of(1980, 1, 1).plusDays(n % 9000), n % 1000));
        r.put("phone", "13812345678");
        r.put("notes", "第" + n + "次登记，无异常");
        r.put("address", "牡丹区中华路" + (n % 300) + "号");
        r.put("regionCode", "371702");
        r.put("birthDate", (int) LocalDate.of(1980, 5, 17).toEpochDay());
        r.put("updatedAt", Instant.parse("2025-06-15T02:00:00Z").toEpochMilli());
        r.put("issuedOn", "2024-11-03");
        r.put("amount", decimal(new BigDecimal("12345.67")));
        r.put("score", 7.8);
        r.put("bigCount", 123_456L);
        r.put("count", n);
        r.put("ratio", 0.25f);
        r.put("flag", true);
        r.put("status", new GenericData.EnumSymbol(SCHEMA.getField("status").schema(), "ACTIVE"));
        r.put("tags", new ArrayList<>(List.of("民政", "救助")));
        r.put("attributes", new java.util.HashMap<>(Map.of("source", "窗口")));
        r.put("blob", ByteBuffer.wrap(new byte[] {1, 2, 3}));
        GenericData.Record contact =
                new GenericData.Record(SCHEMA.getField("contact").schema());
        contact.put("label", "窗口");
        contact.put("detail", null);
        r.put("contact", contact);
        return r;
    }

    static ByteBuffer decimal(BigDecimal value) {
        Schema s = SCHEMA.getField("amount").schema();
        return new Conversions.DecimalConversion().toBytes(value, s, (LogicalTypes.Decimal) s.getLogicalType());
    }

    /** A valid 18-character resident ID of a random Heze person. */
    static String residentId(Random random) {
        String[] regions = {"371702", "371703", "371721", "371722", "372901", "110101"};
        LocalDate birth = LocalDate.of(1930, 1, 1).plusDays(random.nextInt(30_000));
        return ResidentIds.generate(regions[random.nextInt(regions.length)], birth, random.nextInt(1000));
    }

    static String mobile(Random random) {
        StringBuilder m = new StringBuilder("1").append((char) ('3' + random.nextInt(7)));
        for (int i = 0; i < 9; i++) {
            m.append((char) ('0' + random.nextInt(10)));
        }
        return m.toString();
    }

    /** A Luhn-valid card number of 16 to 19 digits, UnionPay-like (62...) or not. */
    static String bankCard(Random random) {
        String card;
        do {
            card = luhnCard(random);
        } while (city.heze.peony.identifiers.CreditCodes.isValid(card));
        return card;
    }

    /** A valid credit code of digits only is public and not taken for a card: such numbers are not generated. */
    private static String luhnCard(Random random) {
        int length = 16 + random.nextInt(4);
        StringBuilder card = new StringBuilder(random.nextBoolean() ? "62" : String.valueOf(4 + random.nextInt(2)));
        while (card.length() < length - 1) {
            card.append((char) ('0' + random.nextInt(10)));
        }
        for (char check = '0'; check <= '9'; check++) {
            if (OpenChecks.luhnValid(card.toString() + check)) {
                return card.append(check).toString();
            }
        }
        throw new AssertionError("no Luhn check digit for " + card);
    }

    /** A number written as people write it: plain, or in groups with spaces or hyphens. */
    static String written(String digits, Random random) {
        return switch (random.nextInt(4)) {
            case 0, 1 -> digits;
            case 2 -> group(digits, ' ');
            default -> group(digits, '-');
        };
    }

    private static String group(String digits, char separator) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < digits.length(); i++) {
            if (i > 0 && i % 4 == 3) {
                out.append(separator);
            }
            out.append(digits.charAt(i));
        }
        return out.toString();
    }

    private static final String[] TEXT = {
        "联系人", "电话", "身份证号", "卡号", "备注：", "abc", "，", "。", "住址牡丹区", "（", "）", "：", "ID:", "tel/", "#"
    };

    /**
     * {@code host} with {@code secret} inserted at a random place, between non-digit text so that it
     * stands as a number of its own (glued to other digits it would be another, longer number).
     */
    static String embed(String host, String secret, Random random) {
        int at = random.nextInt(host.length() + 1);
        String before = TEXT[random.nextInt(TEXT.length)];
        String after = TEXT[random.nextInt(TEXT.length)];
        return host.substring(0, at) + before + secret + after + host.substring(at);
    }
}
