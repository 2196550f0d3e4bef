package city.heze.peony.streams.share;

import city.heze.peony.streams.calendar.WorkingDayCalendar;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

/**
 * What the share topology is configured with: the deadlines, the working-day calendar, and how
 * often the wall-clock punctuators look for deadlines that passed ({@code
 * peony.share.overdue.interval.ms}, default 1000) and recompute the rates ({@code
 * peony.share.rates.interval.ms}, default 1000); how long an approval grants access when the decision
 * names no end ({@code peony.share.access-validity}, an ISO-8601 duration, default P365D); and how
 * long a decision waits for an application that never arrives before it is rejected ({@code
 * peony.share.unmatched.wait.ms}, default one hour).
 */
public record ShareSlaSettings(
        ShareDeadlines deadlines,
        WorkingDayCalendar calendar,
        Duration overdueInterval,
        Duration ratesInterval,
        Duration accessValidity,
        Duration unmatchedWait) {

    public static final String OVERDUE_INTERVAL_CONFIG = "peony.share.overdue.interval.ms";
    public static final String RATES_INTERVAL_CONFIG = "peony.share.rates.interval.ms";
    public static final String ACCESS_VALIDITY_CONFIG = "peony.share.access-validity";
    public static final String UNMATCHED_WAIT_CONFIG = "peony.share.unmatched.wait.ms";
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);
    public static final Duration DEFAULT_ACCESS_VALIDITY = Duration.ofDays(365);
    /**
     * A request and its decisions are written by different departments, each through Peony, so a
     * decision may overtake its request by the ingress's commit interval, never by an hour.
     */
    public static final Duration DEFAULT_UNMATCHED_WAIT = Duration.ofHours(1);

    public ShareSlaSettings {
        if (overdueInterval.toMillis() < 1 || ratesInterval.toMillis() < 1) {
            throw new IllegalArgumentException(
                    "punctuation intervals must be at least 1 ms, got " + overdueInterval + " and " + ratesInterval);
        }
        if (accessValidity.toMillis() < 1 || unmatchedWait.toMillis() < 1) {
            throw new IllegalArgumentException("the access validity and the unmatched wait must be at least 1 ms, got "
                    + accessValidity + " and " + unmatchedWait);
        }
    }

    /** Built-in deadlines, the shipped holiday calendar, 1 s punctuation. */
    public static ShareSlaSettings defaults() {
        return new ShareSlaSettings(
                ShareDeadlines.defaults(),
                WorkingDayCalendar.fromClasspath(),
                DEFAULT_INTERVAL,
                DEFAULT_INTERVAL,
                DEFAULT_ACCESS_VALIDITY,
                DEFAULT_UNMATCHED_WAIT);
    }

    /**
     * From the {@code peony.share.*} keys of {@code props} (other keys are ignored).
     *
     * @throws IllegalArgumentException naming the key and value that do not fit
     */
    public static ShareSlaSettings fromProperties(Properties props) {
        return new ShareSlaSettings(
                ShareDeadlines.fromProperties(props),
                WorkingDayCalendar.fromClasspath(),
                interval(props, OVERDUE_INTERVAL_CONFIG),
                interval(props, RATES_INTERVAL_CONFIG),
                accessValidity(props),
                millis(props, UNMATCHED_WAIT_CONFIG, DEFAULT_UNMATCHED_WAIT));
    }

    public ShareSlaSettings withIntervals(Duration overdue, Duration rates) {
        return new ShareSlaSettings(deadlines, calendar, overdue, rates, accessValidity, unmatchedWait);
    }

    public ShareSlaSettings withDeadlines(ShareDeadlines newDeadlines) {
        return new ShareSlaSettings(
                newDeadlines, calendar, overdueInterval, ratesInterval, accessValidity, unmatchedWait);
    }

    public ShareSlaSettings withAccessValidity(Duration validity) {
        return new ShareSlaSettings(deadlines, calendar, overdueInterval, ratesInterval, validity, unmatchedWait);
    }

    public ShareSlaSettings withUnmatchedWait(Duration wait) {
        return new ShareSlaSettings(deadlines, calendar, overdueInterval, ratesInterval, accessValidity, wait);
    }

    private static Duration accessValidity(Map<Object, Object> props) {
        Object value = props.get(ACCESS_VALIDITY_CONFIG);
        if (value == null) {
            return DEFAULT_ACCESS_VALIDITY;
        }
        try {
            Duration d = Duration.parse(value.toString().trim());
            if (d.toMillis() >= 1) {
                return d;
            }
        } catch (java.time.format.DateTimeParseException e) {
            // reported below
        }
        throw new IllegalArgumentException(ACCESS_VALIDITY_CONFIG + "=" + value
                + ": expected a positive ISO-8601 duration such as P365D or PT720H");
    }

    private static Duration interval(Map<Object, Object> props, String key) {
        return millis(props, key, DEFAULT_INTERVAL);
    }

    private static Duration millis(Map<Object, Object> props, String key, Duration fallback) {
        Object value = props.get(key);
        if (value == null) {
            return fallback;
        }
        try {
            long ms = Long.parseLong(value.toString().trim());
            if (ms >= 1) {
                return Duration.ofMillis(ms);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(key + "=" + value + ": expected a number of milliseconds, 1 or more");
    }
}
