package city.heze.peony.ops;

import city.heze.peony.schemas.CityZone;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.function.Function;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * The times the commands take and print, as a city official reads them. Input: an ISO time with an
 * offset ({@code 2025-10-09T10:15:00+08:00}, {@code ...Z}), a local time in the city ({@code
 * 2025-10-09T10:15}, Asia/Shanghai), or a date (its first moment in Asia/Shanghai). Output: the
 * city's time, with its offset in JSON.
 */
public final class CityTimes {
    private static final DateTimeFormatter MINUTES = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    /** The accepted forms, from the most to the least precise. */
    private static final List<Function<String, Instant>> FORMS = List.of(
            t -> OffsetDateTime.parse(t).toInstant(),
            t -> LocalDateTime.parse(t).atZone(CityZone.ZONE).toInstant(),
            t -> LocalDate.parse(t).atStartOfDay(CityZone.ZONE).toInstant(),
            Instant::parse);

    private CityTimes() {}

    /**
     * @param option the option the text came from, named in the error
     * @throws UserException (usage, exit 2) naming the option, the text and the accepted forms
     */
    public static Instant parse(String option, String text) {
        Instant instant = parseOrNull(text);
        if (instant == null) {
            throw new UserException(option + " '" + text + "': expected an ISO time such as 2025-10-09T10:15:00+08:00,"
                    + " 2025-10-09T10:15 (Asia/Shanghai) or 2025-10-09");
        }
        return instant;
    }

    private static Instant parseOrNull(String text) {
        String t = text.trim();
        for (Function<String, Instant> form : FORMS) {
            try {
                return form.apply(t);
            } catch (DateTimeParseException notThisForm) {
                // try the next form
            }
        }
        return null;
    }

    /** {@code 2025-10-16T23:59:59.999+08:00}, seconds left out when zero; null stays null. */
    public static String iso(Instant instant) {
        return instant == null
                ? null
                : OffsetDateTime.ofInstant(instant, CityZone.ZONE).toString();
    }

    /** {@code 2025-10-16T23:59:00+08:00}, seconds always written; null stays null. */
    public static String isoWithSeconds(Instant instant) {
        return instant == null ? null : DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(instant.atZone(CityZone.ZONE));
    }

    /** {@code 2025-10-16 23:59}, for tables; {@code -} for none. */
    public static String tableMinutes(Instant instant) {
        return instant == null ? "-" : MINUTES.format(instant.atZone(CityZone.ZONE));
    }

    /** {@code 2025-10-16 23:59:59}, for tables; {@code -} for none. */
    public static String tableSeconds(Instant instant) {
        return instant == null ? "-" : SECONDS.format(instant.atZone(CityZone.ZONE));
    }

    /** The same forms as an option's converter; picocli names the option in the error. */
    public static final class Converter implements ITypeConverter<Instant> {
        @Override
        public Instant convert(String value) {
            Instant instant = parseOrNull(value);
            if (instant == null) {
                throw new TypeConversionException("'" + value
                        + "' is not a time; expected 2025-06-02T09:00:00+08:00, 2025-06-02T09:00:00 (Asia/Shanghai)"
                        + " or 2025-06-02");
            }
            return instant;
        }
    }
}
