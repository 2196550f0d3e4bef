package city.heze.peony.producers.convert;

import city.heze.peony.identifiers.CivilDates;
import city.heze.peony.schemas.CityZone;
import com.fasterxml.jackson.core.JsonParser;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAccessor;

/**
 * The readers of the date and time logical types: {@code date}, {@code time-millis}/{@code
 * -micros}, {@code timestamp-*} and {@code local-timestamp-*}. Each reads text (a CSV cell or a JSON
 * string) and a whole JSON number in the type's unit; the JSON tree form is derived ({@link
 * ValueReader#fromJson}).
 */
final class TimeReaders {
    private TimeReaders() {}

    /** {@code yyyy-MM-dd} (or {@code yyyyMMdd}), or a JSON number of days since 1970-01-01. */
    static final class DateReader extends TextReaders.TextValueReader {
        @Override
        Object fromText(String text) {
            long day = CivilDates.parseIsoDate(text.trim());
            if (day == CivilDates.NOT_A_DATE) {
                throw wrong(text);
            }
            return (int) day;
        }

        @Override
        Object fromParser(JsonParser p) throws IOException {
            if (isIntToken(p)) {
                return p.getIntValue();
            }
            return super.fromParser(p);
        }

        @Override
        String expected() {
            return "a date yyyy-MM-dd";
        }
    }

    /** {@code time-millis} (an int) and {@code time-micros} (a long) since midnight. */
    static final class TimeReader extends TextReaders.TextValueReader {
        private final long nanosPerUnit;
        private final boolean isLong;

        TimeReader(long nanosPerUnit, boolean isLong) {
            this.nanosPerUnit = nanosPerUnit;
            this.isLong = isLong;
        }

        @Override
        Object fromParser(JsonParser p) throws IOException {
            if (isLongToken(p)) {
                return ofUnits(p.getLongValue(), p.getText());
            }
            return super.fromParser(p);
        }

        @Override
        Object fromText(String text) {
            String t = text.trim();
            if (!t.isEmpty() && t.chars().allMatch(Character::isDigit) && t.length() <= 12) {
                return ofUnits(Long.parseLong(t), t);
            }
            try {
                long nanos =
                        LocalTime.parse(t, DateTimeFormatter.ISO_LOCAL_TIME).toNanoOfDay();
                return ofUnits(nanos / nanosPerUnit, t);
            } catch (DateTimeException e) {
                throw wrong(text);
            }
        }

        private Object ofUnits(long units, String shown) {
            long perDay = 86_400_000_000_000L / nanosPerUnit;
            if (units < 0 || units >= perDay) {
                throw ConversionException.of(
                        Found.text(shown) + " is outside the day, expected 0 to " + (perDay - 1) + " or " + "HH:mm:ss");
            }
            return isLong ? (Object) units : (Object) (int) units;
        }

        @Override
        String expected() {
            return "a time HH:mm:ss" + (isLong ? ".ffffff" : ".SSS") + " or a whole number of "
                    + (isLong ? "microseconds" : "milliseconds") + " since midnight";
        }
    }

    /**
     * The timestamp types. An instant without an offset is read in the city's zone, Asia/Shanghai:
     * that is how department systems write their local times.
     */
    static final class TimestampReader extends TextReaders.TextValueReader {
        private final boolean local;
        private final long unitsPerSecond;
        private final String unit;

        TimestampReader(String logicalName) {
            this.local = logicalName.startsWith("local-");
            if (logicalName.endsWith("millis")) {
                unitsPerSecond = 1_000L;
                unit = "milliseconds";
            } else if (logicalName.endsWith("micros")) {
                unitsPerSecond = 1_000_000L;
                unit = "microseconds";
            } else {
                unitsPerSecond = 1_000_000_000L;
                unit = "nanoseconds";
            }
        }

        @Override
        Object fromText(String text) {
            String t = text.trim();
            if (isWholeNumber(t)) {
                try {
                    return Long.parseLong(t);
                } catch (NumberFormatException e) {
                    throw wrong(text);
                }
            }
            try {
                return parse(t);
            } catch (DateTimeException | ArithmeticException e) {
                throw wrong(text);
            }
        }

        @Override
        Object fromParser(JsonParser p) throws IOException {
            if (isLongToken(p)) {
                return p.getLongValue();
            }
            return super.fromParser(p);
        }

        /** What {@link #fast} returns for text of another shape, which the general parser then reads. */
        private static final long NOT_FAST = Long.MIN_VALUE;

        /** Asia/Shanghai has kept +08:00 since its last daylight-saving period ended in 1991. */
        private static final long FIXED_OFFSET_SINCE_LOCAL_SECOND = CivilDates.epochDay(1992, 1, 1) * 86_400L;

        /**
         * The common shapes, read by hand: {@code yyyy-MM-dd(T| )HH:mm[:ss[.f…]]} with {@code Z}, an
         * offset or nothing. {@link DateTimeFormatter} would cost more than the rest of the row.
         */
        private long fast(String t) {
            int n = t.length();
            if (n < 16 || t.charAt(4) != '-' || t.charAt(7) != '-' || t.charAt(13) != ':') {
                return NOT_FAST;
            }
            char separator = t.charAt(10);
            if (separator != 'T' && separator != ' ') {
                return NOT_FAST;
            }
            int year = CivilDates.digits(t, 0, 4);
            int month = CivilDates.digits(t, 5, 2);
            int day = CivilDates.digits(t, 8, 2);
            int hour = CivilDates.digits(t, 11, 2);
            int minute = CivilDates.digits(t, 14, 2);
            int second = 0;
            int nano = 0;
            int i = 16;
            if (i < n && t.charAt(i) == ':') {
                if (n < 19) {
                    return NOT_FAST;
                }
                second = CivilDates.digits(t, 17, 2);
                i = 19;
                if (i < n && t.charAt(i) == '.') {
                    int from = ++i;
                    while (i < n && t.charAt(i) >= '0' && t.charAt(i) <= '9') {
                        i++;
                    }
                    int count = i - from;
                    if (count == 0 || count > 9) {
                        return NOT_FAST;
                    }
                    nano = CivilDates.digits(t, from, count);
                    for (int k = count; k < 9; k++) {
                        nano *= 10;
                    }
                }
            }
            if (year < 0
                    || month < 0
                    || day < 0
                    || hour < 0
                    || minute < 0
                    || second < 0
                    || !CivilDates.isRealDate(year, month, day)
                    || hour > 23
                    || minute > 59
                    || second > 59) {
                return NOT_FAST;
            }
            long localSecond = CivilDates.epochDay(year, month, day) * 86_400L + hour * 3600L + minute * 60L + second;
            if (i == n) {
                if (local) {
                    return toUnits(localSecond, nano);
                }
                return localSecond >= FIXED_OFFSET_SINCE_LOCAL_SECOND
                        ? toUnits(localSecond - 8 * 3600L, nano)
                        : NOT_FAST; // earlier local times need the zone's rules
            }
            int offset;
            char sign = t.charAt(i);
            if ((sign == 'Z' || sign == 'z') && i + 1 == n) {
                offset = 0;
            } else if (sign == '+' || sign == '-') {
                int oh = CivilDates.digits(t, i + 1, Math.min(2, n - i - 1));
                int om;
                if (n - i == 3) {
                    om = 0;
                } else if (n - i == 6 && t.charAt(i + 3) == ':') {
                    om = CivilDates.digits(t, i + 4, 2);
                } else if (n - i == 5) {
                    om = CivilDates.digits(t, i + 3, 2);
                } else {
                    return NOT_FAST;
                }
                if (n - i < 3 || oh < 0 || om < 0 || oh > 18 || om > 59) {
                    return NOT_FAST;
                }
                offset = (sign == '-' ? -1 : 1) * (oh * 3600 + om * 60);
            } else {
                return NOT_FAST;
            }
            if (local) {
                throw new DateTimeException("a local timestamp has no offset");
            }
            return toUnits(localSecond - offset, nano);
        }

        private long parse(String t) {
            long fast = fast(t);
            if (fast != NOT_FAST) {
                return fast;
            }
            if (t.length() == 10) {
                long day = CivilDates.parseIsoDate(t);
                if (day == CivilDates.NOT_A_DATE) {
                    throw new DateTimeException(t);
                }
                LocalDateTime midnight = LocalDate.ofEpochDay(day).atStartOfDay();
                return local
                        ? toUnits(midnight.toEpochSecond(ZoneOffset.UTC), 0)
                        : toUnits(midnight.atZone(CityZone.ZONE).toEpochSecond(), 0);
            }
            String iso = t.length() > 10 && t.charAt(10) == ' ' ? t.substring(0, 10) + 'T' + t.substring(11) : t;
            TemporalAccessor parsed =
                    DateTimeFormatter.ISO_DATE_TIME.parseBest(iso, OffsetDateTime::from, LocalDateTime::from);
            if (parsed instanceof OffsetDateTime offset) {
                if (local) {
                    throw new DateTimeException("a local timestamp has no offset");
                }
                return toUnits(offset.toEpochSecond(), offset.getNano());
            }
            LocalDateTime dateTime = (LocalDateTime) parsed;
            return local
                    ? toUnits(dateTime.toEpochSecond(ZoneOffset.UTC), dateTime.getNano())
                    : toUnits(dateTime.atZone(CityZone.ZONE).toEpochSecond(), dateTime.getNano());
        }

        private long toUnits(long epochSecond, int nano) {
            return Math.addExact(
                    Math.multiplyExact(epochSecond, unitsPerSecond), nano / (1_000_000_000L / unitsPerSecond));
        }

        private static boolean isWholeNumber(String t) {
            int from = t.startsWith("-") ? 1 : 0;
            if (t.length() == from) {
                return false;
            }
            for (int i = from; i < t.length(); i++) {
                if (!Character.isDigit(t.charAt(i))) {
                    return false;
                }
            }
            return true;
        }

        @Override
        String expected() {
            return local
                    ? "a local date-time yyyy-MM-ddTHH:mm:ss or " + unit + " since 1970-01-01T00:00"
                    : "an ISO-8601 timestamp (yyyy-MM-ddTHH:mm:ss with Z or an offset, or local time in"
                            + " Asia/Shanghai) or " + unit + " since the epoch";
        }
    }
}
