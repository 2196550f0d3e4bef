package city.heze.peony.streams.opendata;

import city.heze.peony.avro.common.OpenField;
import city.heze.peony.avro.common.OpenTreatment;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.JsonProperties;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;

/**
 * The Avro schema of a catalog's open records ({@code open.<catalog>-value}), derived from the
 * catalog's record schema and its {@code openFields}, and the check that the open section fits the
 * schema.
 *
 * <p>Derivation: fields keep the catalog's order; a field not listed, or listed as DROP, is left
 * out (a field added to a catalog stays closed until someone decides how to open it); KEEP copies
 * the field as it is; AMOUNT_ROUND keeps the numeric type; MASK, DATE_YEAR, DATE_YEAR_MONTH and
 * ADDRESS_DISTRICT give a string. Every treated field (all but KEEP) is optional ({@code ["null",
 * ...]}, default null), so that opening one more field, or dropping one, is a compatible change of
 * the open schema in both directions, and masking a field that was kept as a string is a backward
 * compatible one (the registry's default level); a KEEP field is as compatible as the catalog's own
 * evolution.
 * What stays incompatible is changing a field's open type (KEEP of an int date to DATE_YEAR, say):
 * the registry refuses that version and the topology withholds the catalog's records until the
 * subject's compatibility is relaxed or the change undone.
 */
public final class OpenSchemas {
    public static final String KEEP_FIRST = "keepFirst";
    public static final String KEEP_LAST = "keepLast";
    public static final String REGION_CODE_FIELD = "regionCodeField";
    public static final String STEP = "step";
    /** Declares a field a natural person's full name: no open field may contain its value. */
    public static final String PERSON_NAME = "personName";

    private static final Map<OpenTreatment, Set<String>> PARAMETERS = Map.of(
            OpenTreatment.KEEP, Set.of(PERSON_NAME),
            OpenTreatment.DROP, Set.of(PERSON_NAME),
            OpenTreatment.MASK, Set.of(KEEP_FIRST, KEEP_LAST, PERSON_NAME),
            OpenTreatment.DATE_YEAR, Set.of(),
            OpenTreatment.DATE_YEAR_MONTH, Set.of(),
            OpenTreatment.ADDRESS_DISTRICT, Set.of(REGION_CODE_FIELD),
            OpenTreatment.AMOUNT_ROUND, Set.of(STEP));

    private OpenSchemas() {}

    /**
     * Checks the open section against the catalog's schema.
     *
     * @throws OpenDefinitionException naming the field and what was expected
     */
    public static void check(Schema schema, List<OpenField> openFields, List<String> openRequired) {
        Map<String, OpenField> byField = new HashMap<>();
        for (int i = 0; i < openFields.size(); i++) {
            OpenField open = openFields.get(i);
            String where = "open field '" + open.getField() + "'";
            Schema.Field field = schema.getField(open.getField());
            if (field == null) {
                throw new OpenDefinitionException(where + ": no such field in " + schema.getFullName()
                        + "; expected one of " + fieldNames(schema));
            }
            if (byField.put(open.getField(), open) != null) {
                throw new OpenDefinitionException(where + ": listed twice; expected one treatment per field");
            }
            OpenTreatment treatment = open.getTreatment();
            if (treatment == null || treatment == OpenTreatment.UNKNOWN) {
                throw new OpenDefinitionException(where + ": treatment '" + treatment + "' is not one of "
                        + PARAMETERS.keySet().stream().map(Enum::name).sorted().toList());
            }
            for (String parameter : open.getParameters().keySet()) {
                if (!PARAMETERS.get(treatment).contains(parameter)) {
                    throw new OpenDefinitionException(where + ": parameter '" + parameter + "' does not apply to "
                            + treatment + "; expected "
                            + (PARAMETERS.get(treatment).isEmpty()
                                    ? "none"
                                    : "only "
                                            + PARAMETERS.get(treatment).stream()
                                                    .sorted()
                                                    .toList()));
                }
            }
            checkFits(schema, field, open, where);
        }
        Set<String> seen = new HashSet<>();
        for (String required : openRequired) {
            OpenField open = byField.get(required);
            if (open == null || open.getTreatment() == OpenTreatment.DROP) {
                throw new OpenDefinitionException("open required field '" + required
                        + "': it is not opened; expected a field of the open section that is not dropped");
            }
            if (!seen.add(required)) {
                throw new OpenDefinitionException("open required field '" + required + "': listed twice");
            }
        }
    }

    private static void checkFits(Schema schema, Schema.Field field, OpenField open, String where) {
        Schema base = nonNull(field.schema());
        String type = describe(field.schema());
        OpenTreatment treatment = open.getTreatment();
        Map<String, String> p = open.getParameters();
        if ("true".equals(p.get(PERSON_NAME)) && (base == null || base.getType() != Schema.Type.STRING)) {
            throw new OpenDefinitionException(where + " (" + type + "): personName needs a string field");
        }
        if (p.containsKey(PERSON_NAME) && !p.get(PERSON_NAME).matches("true|false")) {
            throw new OpenDefinitionException(
                    where + ": personName '" + p.get(PERSON_NAME) + "'; expected true or false");
        }
        switch (treatment) {
            case KEEP, DROP -> {}
            case MASK -> {
                requireBase(
                        base,
                        where,
                        type,
                        treatment,
                        "a string, int or long field",
                        Schema.Type.STRING,
                        Schema.Type.INT,
                        Schema.Type.LONG);
                count(p, KEEP_FIRST, where);
                count(p, KEEP_LAST, where);
            }
            case DATE_YEAR, DATE_YEAR_MONTH -> {
                boolean fits = base != null
                        && (base.getType() == Schema.Type.STRING
                                || (base.getType() == Schema.Type.INT
                                        && base.getLogicalType() instanceof LogicalTypes.Date)
                                || (base.getType() == Schema.Type.LONG
                                        && (base.getLogicalType() instanceof LogicalTypes.TimestampMillis
                                                || base.getLogicalType() instanceof LogicalTypes.TimestampMicros)));
                if (!fits) {
                    throw new OpenDefinitionException(where + " (" + type + "): " + treatment
                            + " does not fit; expected a date (int, logicalType date), a timestamp (long,"
                            + " timestamp-millis or -micros) or an ISO date string (yyyy-MM-dd...)");
                }
            }
            case ADDRESS_DISTRICT -> {
                requireBase(base, where, type, treatment, "a string field (the address)", Schema.Type.STRING);
                String regionField = p.get(REGION_CODE_FIELD);
                Schema.Field region = regionField == null ? null : schema.getField(regionField);
                Schema regionBase = region == null ? null : nonNull(region.schema());
                if (regionBase == null || regionBase.getType() != Schema.Type.STRING) {
                    throw new OpenDefinitionException(where + ": ADDRESS_DISTRICT needs parameter regionCodeField"
                            + " naming the string field with the address's division code; found '" + regionField
                            + "' (fields: " + fieldNames(schema) + ")");
                }
            }
            case AMOUNT_ROUND -> {
                boolean decimal = base != null && base.getLogicalType() instanceof LogicalTypes.Decimal;
                if (!decimal) {
                    requireBase(
                            base,
                            where,
                            type,
                            treatment,
                            "a number (int, long, float, double or decimal)",
                            Schema.Type.INT,
                            Schema.Type.LONG,
                            Schema.Type.FLOAT,
                            Schema.Type.DOUBLE);
                }
                BigDecimal step;
                try {
                    step = new BigDecimal(p.getOrDefault(STEP, ""));
                } catch (NumberFormatException e) {
                    step = null;
                }
                if (step == null || step.signum() <= 0) {
                    throw new OpenDefinitionException(where + ": AMOUNT_ROUND needs parameter step, a positive"
                            + " number; found '" + p.get(STEP) + "'");
                }
                boolean integral = base.getType() == Schema.Type.INT || base.getType() == Schema.Type.LONG;
                if (integral && step.stripTrailingZeros().scale() > 0) {
                    throw new OpenDefinitionException(where + " (" + type + "): step " + step
                            + " is not a whole number; expected a whole step for an integer field");
                }
            }
            default -> throw new OpenDefinitionException(where + ": unknown treatment " + treatment);
        }
    }

    /** A plain (no logical type) field of one of {@code types}, or the nullable form of one. */
    private static void requireBase(
            Schema base, String where, String type, OpenTreatment treatment, String expected, Schema.Type... types) {
        if (base != null && base.getLogicalType() == null) {
            for (Schema.Type t : types) {
                if (base.getType() == t) {
                    return;
                }
            }
        }
        throw new OpenDefinitionException(
                where + " (" + type + "): " + treatment + " does not fit; expected " + expected);
    }

    private static void count(Map<String, String> p, String name, String where) {
        String value = p.get(name);
        if (value != null && !value.matches("[0-9]{1,3}")) {
            throw new OpenDefinitionException(
                    where + ": " + name + " '" + value + "' is not a number of characters; expected 0 to 999");
        }
    }

    /**
     * The open record schema: see the class comment. The open section must have passed {@link #check}.
     */
    public static Schema derive(Schema schema, List<OpenField> openFields) {
        Map<String, OpenField> byField = new HashMap<>();
        for (OpenField open : openFields) {
            byField.put(open.getField(), open);
        }
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field field : schema.getFields()) {
            OpenField open = byField.get(field.name());
            if (open == null || open.getTreatment() == OpenTreatment.DROP) {
                continue;
            }
            fields.add(
                    switch (open.getTreatment()) {
                        case KEEP -> new Schema.Field(field, field.schema());
                        case AMOUNT_ROUND -> optional(field, nonNull(field.schema()));
                        default -> optional(field, Schema.create(Schema.Type.STRING));
                    });
        }
        return Schema.createRecord(
                schema.getName(),
                "The open (masked) records of " + schema.getFullName() + ", derived from its catalog's open section.",
                schema.getNamespace(),
                false,
                fields);
    }

    /** The treatment each open field gets, by name; fields not listed are dropped. */
    static OpenTreatment treatmentOf(List<OpenField> openFields, String field) {
        for (OpenField open : openFields) {
            if (open.getField().equals(field)) {
                return open.getTreatment();
            }
        }
        return OpenTreatment.DROP;
    }

    private static Schema.Field optional(Schema.Field field, Schema type) {
        return new Schema.Field(
                field.name(),
                Schema.createUnion(Schema.create(Schema.Type.NULL), type),
                field.doc(),
                JsonProperties.NULL_VALUE);
    }

    /** The non-null branch of {@code ["null", X]} or X itself; null for other unions. */
    static Schema nonNull(Schema schema) {
        if (schema.getType() != Schema.Type.UNION) {
            return schema;
        }
        List<Schema> types = schema.getTypes();
        if (types.size() == 2) {
            if (types.get(0).getType() == Schema.Type.NULL) {
                return types.get(1);
            }
            if (types.get(1).getType() == Schema.Type.NULL) {
                return types.get(0);
            }
        }
        return null;
    }

    private static String describe(Schema schema) {
        LogicalType logical = schema.getLogicalType();
        if (schema.getType() == Schema.Type.UNION) {
            return schema.getTypes().stream()
                    .map(OpenSchemas::describe)
                    .toList()
                    .toString();
        }
        return logical == null ? schema.getType().getName() : schema.getType().getName() + " " + logical.getName();
    }

    private static List<String> fieldNames(Schema schema) {
        return schema.getFields().stream().map(Schema.Field::name).toList();
    }
}
