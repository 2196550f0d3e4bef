package city.heze.peony.streams.opendata;

import city.heze.peony.avro.common.OpenField;
import city.heze.peony.avro.common.OpenTreatment;
import city.heze.peony.identifiers.HezeRegion;
import city.heze.peony.identifiers.HezeRegions;
import city.heze.peony.schemas.CityZone;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.GenericRecord;

/**
 * Turns a catalog record into its open record, field by field as the catalog's open section says.
 * Deterministic: the same record always gives the same open record (no salt, no clock, no
 * randomness), so that re-processing after a restart publishes identical values. Built once per
 * catalog version; {@link #mask} does no parsing and no lookups by name.
 */
public final class OpenMasking {
    private static final Conversions.DecimalConversion DECIMALS = new Conversions.DecimalConversion();

    /** One open field: where it comes from, where it goes, and how. */
    private record Step(
            int from,
            int to,
            OpenTreatment treatment,
            Schema sourceBase,
            int keepFirst,
            int keepLast,
            int regionFrom,
            BigDecimal step) {}

    private final Schema openSchema;
    private final Step[] steps;

    private OpenMasking(Schema openSchema, Step[] steps) {
        this.openSchema = openSchema;
        this.steps = steps;
    }

    /**
     * The masking of one catalog version.
     *
     * @param schema the catalog's record schema (what records are decoded into)
     * @param openSchema {@link OpenSchemas#derive} of it
     */
    public static OpenMasking compile(Schema schema, Schema openSchema, List<OpenField> openFields) {
        Map<String, OpenField> byField = new HashMap<>();
        for (OpenField open : openFields) {
            byField.put(open.getField(), open);
        }
        Step[] steps = new Step[openSchema.getFields().size()];
        for (Schema.Field target : openSchema.getFields()) {
            OpenField open = byField.get(target.name());
            Schema.Field source = schema.getField(target.name());
            Map<String, String> p = open.getParameters();
            String region = p.get(OpenSchemas.REGION_CODE_FIELD);
            String step = p.get(OpenSchemas.STEP);
            steps[target.pos()] = new Step(
                    source.pos(),
                    target.pos(),
                    open.getTreatment(),
                    OpenSchemas.nonNull(source.schema()),
                    Integer.parseInt(p.getOrDefault(OpenSchemas.KEEP_FIRST, "0")),
                    Integer.parseInt(p.getOrDefault(OpenSchemas.KEEP_LAST, "0")),
                    region == null ? -1 : schema.getField(region).pos(),
                    step == null ? null : new BigDecimal(step));
        }
        return new OpenMasking(openSchema, steps);
    }

    public Schema openSchema() {
        return openSchema;
    }

    /** The open record of {@code source} (a record of the catalog's schema). */
    public GenericRecord mask(GenericRecord source) {
        GenericData.Record open = new GenericData.Record(openSchema);
        for (Step s : steps) {
            Object value = source.get(s.from);
            open.put(s.to, value == null ? null : apply(s, value, source));
        }
        return open;
    }

    private static Object apply(Step s, Object value, GenericRecord source) {
        return switch (s.treatment) {
            case KEEP -> value;
            case MASK -> maskText(value.toString(), s.keepFirst, s.keepLast);
            case DATE_YEAR -> datePrefix(value, s.sourceBase, false);
            case DATE_YEAR_MONTH -> datePrefix(value, s.sourceBase, true);
            case ADDRESS_DISTRICT -> {
                Object code = s.regionFrom < 0 ? null : source.get(s.regionFrom);
                yield code == null ? null : district((CharSequence) code);
            }
            case AMOUNT_ROUND -> round(value, s.sourceBase, s.step);
            default -> throw new IllegalStateException("treatment " + s.treatment + " has no open field");
        };
    }

    /**
     * Keeps the first {@code keepFirst} and last {@code keepLast} characters (code points) and
     * replaces each other one by {@code *}; the length shows. A text no longer than what would be
     * kept is masked entirely, so that a short value never shows whole.
     */
    public static String maskText(CharSequence text, int keepFirst, int keepLast) {
        String s = text.toString();
        int length = s.codePointCount(0, s.length());
        StringBuilder out = new StringBuilder(s.length());
        if (length <= keepFirst + keepLast) {
            return "*".repeat(length);
        }
        int i = 0;
        int index = 0;
        while (index < s.length()) {
            int cp = s.codePointAt(index);
            if (i < keepFirst || i >= length - keepLast) {
                out.appendCodePoint(cp);
            } else {
                out.append('*');
            }
            index += Character.charCount(cp);
            i++;
        }
        return out.toString();
    }

    /** {@code yyyy} or {@code yyyy-MM} of a date, a timestamp (in Asia/Shanghai) or an ISO date text; null if none. */
    static String datePrefix(Object value, Schema base, boolean withMonth) {
        int year;
        int month;
        if (value instanceof LocalDate date) {
            year = date.getYear();
            month = date.getMonthValue();
        } else if (value instanceof Instant instant) {
            ZonedDateTime at = instant.atZone(CityZone.ZONE);
            year = at.getYear();
            month = at.getMonthValue();
        } else if (value instanceof Integer days && base.getLogicalType() instanceof LogicalTypes.Date) {
            LocalDate date = LocalDate.ofEpochDay(days);
            year = date.getYear();
            month = date.getMonthValue();
        } else if (value instanceof Long time) {
            long millis =
                    base.getLogicalType() instanceof LogicalTypes.TimestampMicros ? Math.floorDiv(time, 1000L) : time;
            ZonedDateTime at = Instant.ofEpochMilli(millis).atZone(CityZone.ZONE);
            year = at.getYear();
            month = at.getMonthValue();
        } else if (value instanceof CharSequence text) {
            return textDatePrefix(text, withMonth);
        } else {
            return null;
        }
        return withMonth ? String.format("%04d-%02d", year, month) : String.format("%04d", year);
    }

    /** From {@code yyyy-MM-dd}, {@code yyyy/MM/dd}, {@code yyyyMMdd} or {@code yyyy年MM月}: null if it is none of them. */
    private static String textDatePrefix(CharSequence text, boolean withMonth) {
        if (text.length() < 4 || !digits(text, 0, 4)) {
            return null;
        }
        String year = text.subSequence(0, 4).toString();
        if (!withMonth) {
            return year;
        }
        int monthAt = text.length() > 4 && !Character.isDigit(text.charAt(4)) ? 5 : 4;
        if (text.length() < monthAt + 2 || !digits(text, monthAt, monthAt + 2)) {
            return null;
        }
        int month = (text.charAt(monthAt) - '0') * 10 + text.charAt(monthAt + 1) - '0';
        return month < 1 || month > 12 ? null : year + "-" + text.subSequence(monthAt, monthAt + 2);
    }

    private static boolean digits(CharSequence text, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /** The name of the district (区/县) of a Heze division code; null for a code Peony does not know. */
    public static String district(CharSequence regionCode) {
        HezeRegion region = HezeRegions.find(regionCode).orElse(null);
        return region == null ? null : region.name();
    }

    /** Rounds down (towards negative infinity) to a multiple of {@code step}, keeping the type. */
    static Object round(Object value, Schema base, BigDecimal step) {
        if (value instanceof Integer i) {
            int s = step.intValueExact();
            return Math.floorDiv(i, s) * s;
        }
        if (value instanceof Long l) {
            long s = step.longValueExact();
            return Math.floorDiv(l, s) * s;
        }
        if (value instanceof Double d) {
            return Math.floor(d / step.doubleValue()) * step.doubleValue();
        }
        if (value instanceof Float f) {
            return (float) (Math.floor(f / step.doubleValue()) * step.doubleValue());
        }
        LogicalTypes.Decimal decimal = (LogicalTypes.Decimal) base.getLogicalType();
        BigDecimal amount;
        if (value instanceof BigDecimal big) {
            amount = big;
        } else if (value instanceof ByteBuffer bytes) {
            amount = DECIMALS.fromBytes(bytes.duplicate(), base, decimal);
        } else {
            amount = DECIMALS.fromFixed((GenericFixed) value, base, decimal);
        }
        BigDecimal rounded = amount.divide(step, 0, RoundingMode.FLOOR)
                .multiply(step)
                .setScale(decimal.getScale(), RoundingMode.FLOOR);
        if (value instanceof BigDecimal) {
            return rounded;
        }
        return base.getType() == Schema.Type.FIXED
                ? DECIMALS.toFixed(rounded, base, decimal)
                : DECIMALS.toBytes(rounded, base, decimal);
    }
}
