package city.heze.peony.streams.rules;

import city.heze.peony.avro.common.RuleFailure;
import city.heze.peony.identifiers.CivilDates;
import java.time.Clock;
import java.time.LocalDate;
import org.apache.avro.Schema;

/**
 * {@code DATE}: a real date, not before {@code notBefore} (default 1900-01-01), not after
 * {@code notAfter} (optional), and not after today in the city unless {@code allowFuture=true}
 * (准确性, 时效性). Reads Avro {@code date}, {@code timestamp-millis} (its day in Asia/Shanghai) and
 * text {@code yyyy-MM-dd} or {@code yyyyMMdd}, where 2023-02-29 is refused as no real date.
 */
final class DateRule extends FieldValueRule {

    /** Earlier dates in government records are almost always a placeholder such as 0001-01-01. */
    static final LocalDate DEFAULT_NOT_BEFORE = LocalDate.of(1900, 1, 1);

    private final DateEncoding encoding;
    private final long notBefore;
    private final long notAfter;
    private final boolean allowFuture;
    private final Clock clock;

    private DateRule(
            RuleDeclaration declaration,
            Schema.Field field,
            DateEncoding encoding,
            LocalDate notBefore,
            LocalDate notAfter,
            boolean allowFuture,
            Clock clock) {
        super(declaration, field);
        this.encoding = encoding;
        this.notBefore = notBefore.toEpochDay();
        this.notAfter = notAfter == null ? Long.MAX_VALUE : notAfter.toEpochDay();
        this.allowFuture = allowFuture;
        this.clock = clock;
    }

    static DateRule compile(RuleDeclaration declaration, Clock clock) {
        declaration.acceptOnly("notBefore", "notAfter", "allowFuture");
        Schema.Field field = declaration.subjectField();
        DateEncoding encoding = DateEncoding.of(declaration, field);
        LocalDate notBefore = declaration.date("notBefore");
        LocalDate notAfter = declaration.date("notAfter");
        if (notBefore == null) {
            notBefore = DEFAULT_NOT_BEFORE;
        }
        if (notAfter != null && notAfter.isBefore(notBefore)) {
            throw declaration.invalid(
                    "notAfter " + notAfter + " is before notBefore " + notBefore + "; expected notBefore <= notAfter");
        }
        boolean allowFuture = declaration.flag("allowFuture", false);
        return new DateRule(declaration, field, encoding, notBefore, notAfter, allowFuture, clock);
    }

    @Override
    RuleFailure checkValue(Object value) {
        long day = encoding.epochDay(value);
        if (day == CivilDates.NOT_A_DATE) {
            return failure(value, "not a real date, expected " + DateEncoding.EXPECTED);
        }
        if (day < notBefore) {
            return failure(
                    value, shown(value, day) + "before " + CivilDates.show(notBefore) + ", expected on or after it");
        }
        if (day > notAfter) {
            return failure(
                    value, shown(value, day) + "after " + CivilDates.show(notAfter) + ", expected on or before it");
        }
        if (!allowFuture) {
            long today = CivilDates.epochDayInCity(clock.millis());
            if (day > today) {
                return failure(
                        value,
                        shown(value, day) + "in the future, expected on or before today (" + CivilDates.show(today)
                                + ", Asia/Shanghai)");
            }
        }
        return null;
    }

    /** Avro dates arrive as day counts: the reason names the date, not only the number. */
    private String shown(Object value, long day) {
        return value instanceof CharSequence || value instanceof LocalDate ? "" : CivilDates.show(day) + " is ";
    }
}
