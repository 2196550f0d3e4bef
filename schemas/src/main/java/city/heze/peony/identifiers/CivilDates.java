package city.heze.peony.identifiers;

import city.heze.peony.schemas.CityZone;
import java.time.Instant;
import java.time.LocalDate;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;

/**
 * Calendar arithmetic on plain numbers, for the per-record path: parse and check a date without
 * building objects or catching exceptions, and tell which day it is in the city (Asia/Shanghai).
 */
public final class CivilDates {

    /** What a date-reading method returns for text that is no date; no real epoch day is this low. */
    public static final long NOT_A_DATE = Long.MIN_VALUE;

    private static final long MILLIS_PER_DAY = 86_400_000L;
    private static final long DAYS_0000_TO_1970 = 719_528L;

    /*
     * China has kept one offset since its last daylight-saving period ended in 1991, so after the
     * zone's last transition the day is plain arithmetic; earlier instants ask the zone rules.
     */
    private static final ZoneRules CITY_RULES = CityZone.ZONE.getRules();
    private static final long FIXED_OFFSET_SINCE_MILLIS;
    private static final long FIXED_OFFSET_MILLIS;

    static {
        Instant farFuture = Instant.parse("2200-01-01T00:00:00Z");
        ZoneOffsetTransition last = CITY_RULES.previousTransition(farFuture);
        FIXED_OFFSET_SINCE_MILLIS =
                last == null ? Long.MIN_VALUE : last.getInstant().toEpochMilli();
        FIXED_OFFSET_MILLIS = CITY_RULES.getOffset(farFuture).getTotalSeconds() * 1000L;
    }

    private CivilDates() {}

    public static boolean isLeapYear(long year) {
        return (year & 3) == 0 && (year % 100 != 0 || year % 400 == 0);
    }

    public static int daysInMonth(long year, int month) {
        return switch (month) {
            case 2 -> isLeapYear(year) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }

    public static boolean isRealDate(int year, int month, int day) {
        return year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
    }

    /** Days since 1970-01-01 of a real date, as {@link LocalDate#toEpochDay()} counts them. */
    public static long epochDay(int year, int month, int day) {
        long y = year;
        long total = 365 * y + (y + 3) / 4 - (y + 99) / 100 + (y + 399) / 400;
        total += (367L * month - 362) / 12;
        total += day - 1;
        if (month > 2) {
            total -= isLeapYear(year) ? 1 : 2;
        }
        return total - DAYS_0000_TO_1970;
    }

    /** The value of {@code count} ASCII digits at {@code from}, or -1 if any is not a digit. */
    public static int digits(CharSequence text, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            int digit = text.charAt(i) - '0';
            if (digit < 0 || digit > 9) {
                return -1;
            }
            value = value * 10 + digit;
        }
        return value;
    }

    /** {@code yyyy-MM-dd} or {@code yyyyMMdd} as an epoch day, or {@link #NOT_A_DATE}. */
    public static long parseIsoDate(CharSequence text) {
        int length = text.length();
        int monthAt;
        int dayAt;
        if (length == 10 && text.charAt(4) == '-' && text.charAt(7) == '-') {
            monthAt = 5;
            dayAt = 8;
        } else if (length == 8) {
            monthAt = 4;
            dayAt = 6;
        } else {
            return NOT_A_DATE;
        }
        return epochDayOrNotADate(digits(text, 0, 4), digits(text, monthAt, 2), digits(text, dayAt, 2));
    }

    public static long epochDayOrNotADate(int year, int month, int day) {
        return isRealDate(year, month, day) ? epochDay(year, month, day) : NOT_A_DATE;
    }

    /** The city's civil day of an instant, as an epoch day. */
    public static long epochDayInCity(long epochMillis) {
        long offset = epochMillis >= FIXED_OFFSET_SINCE_MILLIS
                ? FIXED_OFFSET_MILLIS
                : CITY_RULES.getOffset(Instant.ofEpochMilli(epochMillis)).getTotalSeconds() * 1000L;
        return Math.floorDiv(epochMillis + offset, MILLIS_PER_DAY);
    }

    /** An epoch day as {@code yyyy-MM-dd}, for reasons (the failure path only). */
    public static String show(long epochDay) {
        return LocalDate.ofEpochDay(epochDay).toString();
    }
}
