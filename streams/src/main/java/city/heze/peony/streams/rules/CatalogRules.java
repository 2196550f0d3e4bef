package city.heze.peony.streams.rules;

import city.heze.peony.avro.common.FieldRule;
import city.heze.peony.avro.common.RuleFailure;
import city.heze.peony.avro.common.Severity;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;

/**
 * A catalog's field rules compiled against the catalog's record schema, ready to judge records.
 *
 * <p>Rules are data: the catalog declares {@link FieldRule}s and this class interprets them; no
 * catalog has code of its own. Everything that can be checked without a record is checked once in
 * {@link #compile}: the fields exist and have a type the rule reads, the kind is known, the
 * parameters parse. Judging a record then resolves nothing by name, compiles no pattern and throws
 * nothing. Safe to share between stream threads.
 */
public final class CatalogRules {

    private final Schema schema;
    private final RecordRule[] rules;
    private final List<String> ruleIds;

    /**
     * The last schema instance found equal to {@link #schema}: decoders may hand over an equal copy,
     * and a deep comparison per record would cost more than the rules. A benign race at worst
     * repeats the comparison.
     */
    private volatile Schema lastEqualSchema;

    private CatalogRules(Schema schema, RecordRule[] rules, List<String> ruleIds) {
        this.schema = schema;
        this.rules = rules;
        this.ruleIds = ruleIds;
    }

    /** Compiles with the system clock: "today" is the current day in Asia/Shanghai. */
    public static CatalogRules compile(List<FieldRule> rules, Schema schema) {
        return compile(rules, schema, Clock.systemUTC());
    }

    /**
     * Compiles {@code rules} against {@code schema}, a record schema.
     *
     * @param clock tells the date rules which day it is (in Asia/Shanghai, whatever the clock's zone)
     * @throws RuleDefinitionException for the first rule Peony cannot apply, naming the rule, its
     *     field and what was expected
     */
    public static CatalogRules compile(List<FieldRule> rules, Schema schema, Clock clock) {
        if (schema.getType() != Schema.Type.RECORD) {
            throw new IllegalArgumentException(
                    "schema " + schema.getFullName() + " is " + schema.getType().getName() + ", expected a record");
        }
        RecordRule[] compiled = new RecordRule[rules.size()];
        List<String> ids = new ArrayList<>(rules.size());
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < compiled.length; i++) {
            FieldRule rule = rules.get(i);
            if (rule.getRuleId() == null || rule.getRuleId().isBlank()) {
                throw new RuleDefinitionException("rule number " + (i + 1) + " of schema " + schema.getFullName()
                        + " (field '" + rule.getField() + "') has no ruleId; expected a unique id such as "
                        + "'recipient.resident-id'");
            }
            RuleDeclaration declaration = new RuleDeclaration(rule, schema);
            if (!seen.add(rule.getRuleId())) {
                throw declaration.invalid("the ruleId is declared twice; expected ids unique within the catalog, "
                        + "since rejections and metrics are reported by id");
            }
            compiled[i] = compileOne(declaration, clock);
            ids.add(rule.getRuleId());
        }
        return new CatalogRules(schema, compiled, List.copyOf(ids));
    }

    private static RecordRule compileOne(RuleDeclaration declaration, Clock clock) {
        if (declaration.severity() == null) {
            throw declaration.invalid("no severity; expected BLOCKING or WARNING");
        }
        if (declaration.kind() == null) {
            throw declaration.invalid("no kind; expected one of the RuleKind symbols");
        }
        return switch (declaration.kind()) {
            case REQUIRED -> RequiredRule.compile(declaration);
            case FORMAT -> FormatRule.compile(declaration);
            case LENGTH -> LengthRule.compile(declaration);
            case RANGE -> RangeRule.compile(declaration);
            case REGEX -> RegexRule.compile(declaration);
            case ENUM -> EnumRule.compile(declaration);
            case DATE -> DateRule.compile(declaration, clock);
            case RESIDENT_ID -> ResidentIdRule.compile(declaration, clock);
            case CREDIT_CODE -> CreditCodeRule.compile(declaration);
            case MOBILE -> MobileRule.compile(declaration);
            case REGION_CODE -> RegionCodeRule.compile(declaration);
            case ID_MATCHES_BIRTH_DATE -> IdMatchesBirthDateRule.compile(declaration);
            case ID_MATCHES_SEX -> IdMatchesSexRule.compile(declaration);
            // What an older Peony reads for a kind a newer catalog uses: applying nothing would
            // share records nobody checked, so the catalog is refused until Peony is upgraded.
            case UNKNOWN ->
                throw declaration.invalid(
                        "kind UNKNOWN: the catalog uses a rule kind this version of Peony does not know; expected one of "
                                + "REQUIRED, FORMAT, LENGTH, RANGE, REGEX, ENUM, DATE, RESIDENT_ID, CREDIT_CODE, MOBILE, "
                                + "REGION_CODE, ID_MATCHES_BIRTH_DATE, ID_MATCHES_SEX (upgrade Peony)");
        };
    }

    /**
     * Judges one record of this catalog's schema.
     *
     * @throws IllegalArgumentException if the record has another schema: field positions would be wrong
     */
    public ValidationResult evaluate(GenericRecord record) {
        Schema actual = record.getSchema();
        if (actual != schema && actual != lastEqualSchema) {
            if (!actual.equals(schema)) {
                throw new IllegalArgumentException("record of schema " + actual.getFullName()
                        + (actual.getFullName().equals(schema.getFullName())
                                ? " differs from the version of it the rules were compiled for"
                                : " given to the rules compiled for " + schema.getFullName())
                        + "; expected records decoded with the catalog's schema");
            }
            lastEqualSchema = actual;
        }
        List<RuleFailure> blocking = null;
        List<RuleFailure> warnings = null;
        for (RecordRule rule : rules) {
            RuleFailure failure = rule.check(record);
            if (failure == null) {
                continue;
            }
            if (failure.getSeverity() == Severity.BLOCKING) {
                if (blocking == null) {
                    blocking = new ArrayList<>(2);
                }
                blocking.add(failure);
            } else {
                if (warnings == null) {
                    warnings = new ArrayList<>(2);
                }
                warnings.add(failure);
            }
        }
        return ValidationResult.of(blocking, warnings);
    }

    /** The schema the rules were compiled against. */
    public Schema schema() {
        return schema;
    }

    /** The rule ids, in the order the catalog declares them. */
    public List<String> ruleIds() {
        return ruleIds;
    }
}
