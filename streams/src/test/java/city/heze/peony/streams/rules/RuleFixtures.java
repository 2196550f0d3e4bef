package city.heze.peony.streams.rules;

import city.heze.peony.avro.common.FieldRule;
import city.heze.peony.avro.common.RuleFailure;
import city.heze.peony.avro.common.RuleKind;
import city.heze.peony.avro.common.Severity;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/** Rules, a record schema with a field of every type the rules read, and records of it, for the rule tests. */
final class RuleFixtures {

    /** 10:00 in Heze on 2025-06-15 (02:00 UTC): "today" for every date rule under test. */
    static final Clock CLOCK = Clock.fixed(Instant.parse("2025-06-15T02:00:00Z"), ZoneOffset.UTC);

    static final LocalDate TODAY = LocalDate.of(2025, 6, 15);

    static final Schema SAMPLE = new Schema.Parser().parse("""
            {"type": "record", "name": "Sample", "namespace": "city.heze.peony.test", "fields": [
              {"name": "text", "type": "string"},
              {"name": "optionalText", "type": ["null", "string"], "default": null},
              {"name": "count", "type": "int"},
              {"name": "amount", "type": "long"},
              {"name": "ratio", "type": "float"},
              {"name": "score", "type": "double"},
              {"name": "money", "type": {"type": "bytes", "logicalType": "decimal", "precision": 12, "scale": 2}},
              {"name": "fixedMoney", "type": {"type": "fixed", "name": "Money8", "size": 8,
                                              "logicalType": "decimal", "precision": 12, "scale": 2}},
              {"name": "plainBytes", "type": "bytes"},
              {"name": "day", "type": {"type": "int", "logicalType": "date"}},
              {"name": "stamp", "type": {"type": "long", "logicalType": "timestamp-millis"}},
              {"name": "micros", "type": {"type": "long", "logicalType": "timestamp-micros"}},
              {"name": "status", "type": {"type": "enum", "name": "Status", "symbols": ["ACTIVE", "REVOKED", "UNKNOWN"]}},
              {"name": "tags", "type": {"type": "array", "items": "string"}},
              {"name": "choice", "type": ["null", "int", "string"], "default": null},
              {"name": "residentId", "type": "string"},
              {"name": "birthDate", "type": {"type": "int", "logicalType": "date"}},
              {"name": "sex", "type": {"type": "enum", "name": "Sex", "namespace": "city.heze.peony.avro.common",
                                       "symbols": ["MALE", "FEMALE", "UNKNOWN"]}},
              {"name": "sexText", "type": ["null", "string"], "default": null},
              {"name": "regionCode", "type": "string"},
              {"name": "phone", "type": ["null", "string"], "default": null},
              {"name": "creditCode", "type": "string"}
            ]}""");

    private RuleFixtures() {}

    /** A BLOCKING rule; {@code parameters} are name, value pairs. */
    static FieldRule rule(String ruleId, RuleKind kind, String field, String... parameters) {
        return new FieldRule(ruleId, field, kind, parameters(parameters), Severity.BLOCKING, null);
    }

    static FieldRule warningRule(String ruleId, RuleKind kind, String field, String... parameters) {
        return new FieldRule(ruleId, field, kind, parameters(parameters), Severity.WARNING, null);
    }

    static CatalogRules compile(FieldRule... rules) {
        return CatalogRules.compile(List.of(rules), SAMPLE, CLOCK);
    }

    /** A record of {@link #SAMPLE} with only the given fields set; {@code values} are name, value pairs. */
    static GenericRecord record(Object... values) {
        GenericData.Record record = new GenericData.Record(SAMPLE);
        for (int i = 0; i < values.length; i += 2) {
            record.put((String) values[i], values[i + 1]);
        }
        return record;
    }

    static GenericData.EnumSymbol symbol(String field, String symbol) {
        return new GenericData.EnumSymbol(SAMPLE.getField(field).schema(), symbol);
    }

    /** Judges a record with one rule. */
    static ValidationResult check(FieldRule rule, Object... values) {
        return compile(rule).evaluate(record(values));
    }

    /** The single failure of a record judged by one rule; fails the test unless there is exactly one. */
    static RuleFailure onlyFailure(FieldRule rule, Object... values) {
        List<RuleFailure> failures = check(rule, values).allFailures();
        if (failures.size() != 1) {
            throw new AssertionError("expected exactly one failure, got " + failures);
        }
        return failures.get(0);
    }

    private static Map<String, String> parameters(String... pairs) {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            parameters.put(pairs[i], pairs[i + 1]);
        }
        return parameters;
    }
}
