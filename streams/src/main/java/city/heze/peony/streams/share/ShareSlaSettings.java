package city.heze.peony.streams.share;

import city.heze.peony.streams.calendar.WorkingDayCalendar;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

/**
 * What the share topology is configured with: the deadlines, the working-day calendar, and how
 * often the wall-clock punctuators look for deadlines that passed ({@code
 * peony.share.overdue.interval.ms}, default 1000) and recompute the rates ({@code
 * peony.share.rates.interval.ms}, default 1000).
 */
public record ShareSlaSettings(
        ShareDeadlines deadlines, WorkingDayCalendar calendar, Duration overdueInterval, Duration ratesInterval) {

    public static final String OVERDUE_INTERVAL_CONFIG = "peony.share.overdue.interval.ms";
    public static final String RATES_INTERVAL_CONFIG = "peony.share.rates.interval.ms";
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);

    public ShareSlaSettings {
        if (overdueInterval.toMillis() < 1 || ratesInterval.toMillis() < 1) {
            throw new IllegalArgumentException(
                    "punctuation intervals must be at least 1 ms, got " + overdueInterval + " and " + ratesInterval);
        }
    }

    /** Built-in deadlines, the shipped holiday calendar, 1 s punctuation. */
    public static ShareSlaSettings defaults() {
        return new ShareSlaSettings(
                ShareDeadlines.defaults(), WorkingDayCalendar.fromClasspath(), DEFAULT_INTERVAL, DEFAULT_INTERVAL);
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
                interval(props, RATES_INTERVAL_CONFIG));
    }

    public ShareSlaSettings withIntervals(Duration overdue, Duration rates) {
        return new ShareSlaSettings(deadlines, calendar, overdue, rates);
    }

    public ShareSlaSettings withDeadlines(ShareDeadlines newDeadlines) {
        return new ShareSlaSettings(newDeadlines, calendar, overdueInterval, ratesInterval);
    }

    private static Duration interval(Map<Object, Object> props, String key) {
        Object value = props.get(key);
        if (value == null) {
            return DEFAULT_INTERVAL;
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
