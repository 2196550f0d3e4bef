package city.heze.peony.ops.share;

import city.heze.peony.ops.UserException;
import city.heze.peony.streams.calendar.WorkingDayCalendar;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * The times the share commands take and print. Input: an ISO time with an offset ({@code
 * 2025-10-09T10:15:00+08:00}, {@code ...Z}), a local time in the city ({@code 2025-10-09T10:15},
 * Asia/Shanghai), or a date (its first moment in Asia/Shanghai). Output: Asia/Shanghai with its
 * offset, as a city official reads it.
 */
final class IsoTimes {
    static final ZoneId CITY = WorkingDayCalendar.CITY_ZONE;
    private static final DateTimeFormatter TABLE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    private IsoTimes() {}

    /**
     * @param option the option the text came from, named in the error
     * @throws UserException (usage, exit 2) naming the option, the text and the accepted forms
     */
    static Instant parse(String option, String text) {
        String t = text.trim();
        try {
            return OffsetDateTime.parse(t).toInstant();
        } catch (DateTimeParseException notOffset) {
            // try the next form
        }
        try {
            return LocalDateTime.parse(t).atZone(CITY).toInstant();
        } catch (DateTimeParseException notLocal) {
            // try the next form
        }
        try {
            return LocalDate.parse(t).atStartOfDay(CITY).toInstant();
        } catch (DateTimeParseException notDate) {
            throw new UserException(option + " '" + text + "': expected an ISO time such as 2025-10-09T10:15:00+08:00,"
                    + " 2025-10-09T10:15 (Asia/Shanghai) or 2025-10-09");
        }
    }

    /** {@code 2025-10-16T23:59:59.999+08:00}. */
    static String iso(Instant instant) {
        return instant == null ? null : OffsetDateTime.ofInstant(instant, CITY).toString();
    }

    /** {@code 2025-10-16 23:59}, for tables. */
    static String forTable(Instant instant) {
        return instant == null ? "-" : TABLE.format(instant.atZone(CITY));
    }
}
