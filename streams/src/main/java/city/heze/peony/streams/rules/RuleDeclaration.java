package city.heze.peony.streams.rules;

import city.heze.peony.avro.common.FieldRule;
import city.heze.peony.avro.common.RuleKind;
import city.heze.peony.avro.common.Severity;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.avro.Schema;

/**
 * A {@link FieldRule} being compiled against a record schema: reads its field and parameters and
 * turns every mistake into a {@link RuleDefinitionException} that names the rule, its field and what
 * was expected. Lives only while {@link CatalogRules#compile} runs.
 */
final class RuleDeclaration {

    private final FieldRule rule;
    private final Schema recordSchema;

    RuleDeclaration(FieldRule rule, Schema recordSchema) {
        this.rule = rule;
        this.recordSchema = recordSchema;
    }

    String ruleId() {
        return rule.getRuleId();
    }

    RuleKind kind() {
        return rule.getKind();
    }

    Severity severity() {
        return rule.getSeverity();
    }

    /** The declared field name, or null: cross-field rules may leave it out. */
    String declaredField() {
        return rule.getField();
    }

    /** Refuses parameters the rule does not read: a misspelt {@code mni} must not be ignored. */
    void acceptOnly(String... names) {
        List<String> accepted = Arrays.asList(names);
        for (String key : parameters().keySet()) {
            if (!accepted.contains(key)) {
                throw invalid("unknown parameter '" + key + "'; expected "
                        + (names.length == 0 ? "no parameters" : "only " + String.join(", ", names)));
            }
        }
    }

    /** The one field a single-field rule checks. */
    Schema.Field subjectField() {
        String name = rule.getField();
        if (name == null || name.isBlank()) {
            throw invalid("no field is named; a " + kind() + " rule checks one field of the record");
        }
        return field(name, "field");
    }

    /** A field named by a parameter, by the rule's field, or by a default, in that order. */
    Schema.Field fieldParameter(String parameter, String fallback) {
        String name = text(parameter);
        if (name == null) {
            return field(fallback, "field '" + fallback + "' (the default of parameter " + parameter + ")");
        }
        return field(name, "field '" + name + "' (parameter " + parameter + ")");
    }

    private Schema.Field field(String name, String what) {
        Schema.Field field = recordSchema.getField(name);
        if (field == null) {
            String known =
                    recordSchema.getFields().stream().map(Schema.Field::name).collect(Collectors.joining(", "));
            String subject = what.equals("field") ? "field '" + name + "'" : what;
            throw invalid(subject + " is not in schema " + recordSchema.getFullName() + "; expected one of " + known);
        }
        return field;
    }

    /** The field's type, nullable unions unwrapped; refused unless it is one of {@code types}. */
    Schema requireType(Schema.Field field, String expected, Schema.Type... types) {
        Schema schema = FieldValues.valueSchema(field.schema());
        if (schema != null) {
            for (Schema.Type type : types) {
                if (schema.getType() == type) {
                    return schema;
                }
            }
        }
        throw invalid(
                "field '" + field.name() + "' is " + FieldValues.describe(field.schema()) + "; expected " + expected);
    }

    /** A parameter's text, or null when absent; blank counts as absent. */
    String text(String name) {
        String value = parameters().get(name);
        return value == null || value.isBlank() ? null : value.trim();
    }

    String requiredText(String name) {
        String value = text(name);
        if (value == null) {
            throw invalid("parameter '" + name + "' is missing");
        }
        return value;
    }

    boolean flag(String name, boolean absent) {
        String value = text(name);
        if (value == null) {
            return absent;
        }
        return switch (value) {
            case "true" -> true;
            case "false" -> false;
            default -> throw invalid("parameter '" + name + "' is '" + value + "'; expected true or false");
        };
    }

    String choice(String name, String absent, String... allowed) {
        String value = text(name);
        if (value == null) {
            return absent;
        }
        if (!Arrays.asList(allowed).contains(value)) {
            throw invalid("parameter '" + name + "' is '" + value + "'; expected one of " + String.join(", ", allowed));
        }
        return value;
    }

    BigDecimal number(String name) {
        String value = text(name);
        if (value == null) {
            return null;
        }
        try {
            return new BigDecimal(value);
        } catch (NumberFormatException e) {
            throw invalid("parameter '" + name + "' is '" + value + "'; expected a decimal number such as 0 or 12.5");
        }
    }

    Integer count(String name) {
        String value = text(name);
        if (value == null) {
            return null;
        }
        try {
            int count = Integer.parseInt(value);
            if (count >= 0) {
                return count;
            }
        } catch (NumberFormatException e) {
            // reported below with the expectation
        }
        throw invalid("parameter '" + name + "' is '" + value + "'; expected a whole number of 0 or more");
    }

    LocalDate date(String name) {
        String value = text(name);
        if (value == null) {
            return null;
        }
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw invalid("parameter '" + name + "' is '" + value + "'; expected a date yyyy-MM-dd");
        }
    }

    RuleDefinitionException invalid(String problem) {
        String field = rule.getField() == null ? "" : " on field '" + rule.getField() + "'";
        return new RuleDefinitionException("rule '" + rule.getRuleId() + "' (" + rule.getKind() + field + ") of schema "
                + recordSchema.getFullName() + ": " + problem);
    }

    private Map<String, String> parameters() {
        Map<String, String> parameters = rule.getParameters();
        return parameters == null ? Map.of() : parameters;
    }
}
