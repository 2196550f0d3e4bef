package city.heze.peony.streams.rules;

import city.heze.peony.avro.common.FieldRule;
import city.heze.peony.avro.common.RuleKind;
import city.heze.peony.avro.common.Severity;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
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

    /**
     * The subject of a rule on one text field: refuses parameters other than {@code accepted}, and a
     * subject field that is not a string.
     */
    Schema.Field stringSubject(String... accepted) {
        acceptOnly(accepted);
        Schema.Field field = subjectField();
        requireType(field, "string", Schema.Type.STRING);
        return field;
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
        Boolean value = parsed(name, "true or false", text -> switch (text) {
            case "true" -> true;
            case "false" -> false;
            default -> null;
        });
        return value == null ? absent : value;
    }

    String choice(String name, String absent, String... allowed) {
        String value = parsed(
                name,
                "one of " + String.join(", ", allowed),
                text -> Arrays.asList(allowed).contains(text) ? text : null);
        return value == null ? absent : value;
    }

    BigDecimal number(String name) {
        return parsed(name, "a decimal number such as 0 or 12.5", BigDecimal::new);
    }

    Integer count(String name) {
        return parsed(name, "a whole number of 0 or more", text -> {
            int count = Integer.parseInt(text);
            return count >= 0 ? count : null;
        });
    }

    LocalDate date(String name) {
        return parsed(name, "a date yyyy-MM-dd", LocalDate::parse);
    }

    /**
     * The parameter read by {@code parse}, or null if it is absent. A value {@code parse} refuses (by
     * returning null or throwing) is a definition error naming the parameter and {@code expected}.
     */
    private <T> T parsed(String name, String expected, Function<String, T> parse) {
        String value = text(name);
        if (value == null) {
            return null;
        }
        T result;
        try {
            result = parse.apply(value);
        } catch (RuntimeException e) { // NumberFormatException, DateTimeParseException
            result = null;
        }
        if (result == null) {
            throw invalid("parameter '" + name + "' is '" + value + "'; expected " + expected);
        }
        return result;
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
