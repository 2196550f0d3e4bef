package city.heze.peony.streams.validation;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The hour and day windows of the quality scorecards, in the city's time (Asia/Shanghai).
 *
 * <p>China has kept UTC+8 without daylight saving since 1991, so a window start is plain
 * arithmetic on epoch milliseconds: no time-zone lookup on the hot path. A test checks the
 * arithmetic against {@code ZoneId.of("Asia/Shanghai")}.
 */
final class CityWindows {
    static final long HOUR_MS = 3_600_000L;
    static final long DAY_MS = 24 * HOUR_MS;
    private static final long CITY_OFFSET_MS = 8 * HOUR_MS;
    private static final ZoneOffset CITY_OFFSET = ZoneOffset.ofHours(8);
    private static final DateTimeFormatter LABEL = DateTimeFormatter.ISO_OFFSET_DATE_TIME;

    private CityWindows() {}

    /** Start of the hour holding {@code epochMillis} (whole hours are the same in UTC and UTC+8). */
    static long hourStart(long epochMillis) {
        return Math.floorDiv(epochMillis, HOUR_MS) * HOUR_MS;
    }

    /** Start (00:00 in Heze) of the day holding {@code epochMillis}. */
    static long dayStart(long epochMillis) {
        return Math.floorDiv(epochMillis + CITY_OFFSET_MS, DAY_MS) * DAY_MS - CITY_OFFSET_MS;
    }

    /** A window start as people read it, e.g. {@code 2025-06-15T10:00:00+08:00}. */
    static String label(long windowStart) {
        return LABEL.format(OffsetDateTime.ofInstant(Instant.ofEpochMilli(windowStart), CITY_OFFSET));
    }
}
