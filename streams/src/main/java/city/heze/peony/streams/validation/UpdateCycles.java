package city.heze.peony.streams.validation;

import city.heze.peony.avro.common.UpdateCycle;

/**
 * How long a catalog may stay silent before its scorecard says {@code stale}: its update cycle
 * (更新周期). Peony's own reading, since no official one was found: REALTIME one hour, DAILY one
 * day, WEEKLY seven days, and the longest month, quarter and year (31, 92 and 366 days), so that a
 * catalog published on its usual day is never reported stale. UNKNOWN is never stale.
 */
final class UpdateCycles {
    private static final long HOUR = CityWindows.HOUR_MS;
    private static final long DAY = CityWindows.DAY_MS;

    private UpdateCycles() {}

    /** Milliseconds of silence allowed; 0 when the cycle says nothing (never stale). */
    static long silenceAllowedMs(UpdateCycle cycle) {
        if (cycle == null) {
            return 0;
        }
        return switch (cycle) {
            case REALTIME -> HOUR;
            case DAILY -> DAY;
            case WEEKLY -> 7 * DAY;
            case MONTHLY -> 31 * DAY;
            case QUARTERLY -> 92 * DAY;
            case YEARLY -> 366 * DAY;
            case UNKNOWN -> 0;
        };
    }
}
