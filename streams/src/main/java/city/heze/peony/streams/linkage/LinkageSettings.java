package city.heze.peony.streams.linkage;

import java.time.LocalDate;
import java.time.Period;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Properties;

/**
 * The thresholds and windows of the linkage scenarios, as configuration ({@code peony.linkage.*}):
 *
 * <ul>
 *   <li>{@code peony.linkage.review.vehicle-count} (default 1): a recipient owning this many vehicles
 *       or more is flagged VEHICLE;
 *   <li>{@code peony.linkage.review.pension-fen} (default 100000, 1,000 yuan a month): an ACTIVE
 *       pension of at least this many fen a month is flagged PENSION;
 *   <li>{@code peony.linkage.pension.sign-of-life-window} (ISO-8601 period, default P12M): a medical
 *       settlement this long before the check date, or later, certifies a pensioner;
 *   <li>{@code peony.linkage.pension.check-date} (yyyy-MM-dd, default none): the date every pensioner
 *       is certified as of; without it, each pension record's own updatedAt date (Asia/Shanghai).
 * </ul>
 */
public record LinkageSettings(int vehicleCount, long pensionFen, Period signOfLifeWindow, LocalDate checkDate) {

    public static final String VEHICLE_COUNT_CONFIG = "peony.linkage.review.vehicle-count";
    public static final String PENSION_FEN_CONFIG = "peony.linkage.review.pension-fen";
    public static final String SIGN_OF_LIFE_WINDOW_CONFIG = "peony.linkage.pension.sign-of-life-window";
    public static final String CHECK_DATE_CONFIG = "peony.linkage.pension.check-date";

    public static final int DEFAULT_VEHICLE_COUNT = 1;
    public static final long DEFAULT_PENSION_FEN = 100_000;
    public static final Period DEFAULT_SIGN_OF_LIFE_WINDOW = Period.ofMonths(12);

    public LinkageSettings {
        if (vehicleCount < 1) {
            throw new IllegalArgumentException(VEHICLE_COUNT_CONFIG + "=" + vehicleCount + ": expected 1 or more");
        }
        if (pensionFen < 0) {
            throw new IllegalArgumentException(PENSION_FEN_CONFIG + "=" + pensionFen + ": expected 0 or more");
        }
        if (signOfLifeWindow.isNegative() || signOfLifeWindow.isZero()) {
            throw new IllegalArgumentException(
                    SIGN_OF_LIFE_WINDOW_CONFIG + "=" + signOfLifeWindow + ": expected a positive period such as P12M");
        }
    }

    public static LinkageSettings defaults() {
        return new LinkageSettings(DEFAULT_VEHICLE_COUNT, DEFAULT_PENSION_FEN, DEFAULT_SIGN_OF_LIFE_WINDOW, null);
    }

    /**
     * From the {@code peony.linkage.*} keys of {@code props} (other keys are ignored).
     *
     * @throws IllegalArgumentException naming the key and value that do not fit
     */
    public static LinkageSettings fromProperties(Properties props) {
        return new LinkageSettings(
                (int) number(props, VEHICLE_COUNT_CONFIG, DEFAULT_VEHICLE_COUNT),
                number(props, PENSION_FEN_CONFIG, DEFAULT_PENSION_FEN),
                period(props),
                date(props));
    }

    /** The same with every pensioner certified as of {@code date}. */
    public LinkageSettings withCheckDate(LocalDate date) {
        return new LinkageSettings(vehicleCount, pensionFen, signOfLifeWindow, date);
    }

    private static long number(Map<Object, Object> props, String key, long fallback) {
        Object value = props.get(key);
        if (value == null) {
            return fallback;
        }
        try {
            return Long.parseLong(value.toString().trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + "=" + value + ": expected a whole number");
        }
    }

    private static Period period(Map<Object, Object> props) {
        Object value = props.get(SIGN_OF_LIFE_WINDOW_CONFIG);
        if (value == null) {
            return DEFAULT_SIGN_OF_LIFE_WINDOW;
        }
        try {
            return Period.parse(value.toString().trim());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                    SIGN_OF_LIFE_WINDOW_CONFIG + "=" + value + ": expected an ISO-8601 period such as P12M or P365D");
        }
    }

    private static LocalDate date(Map<Object, Object> props) {
        Object value = props.get(CHECK_DATE_CONFIG);
        if (value == null || value.toString().isBlank()) {
            return null;
        }
        try {
            return LocalDate.parse(value.toString().trim());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(CHECK_DATE_CONFIG + "=" + value + ": expected a date, yyyy-MM-dd");
        }
    }
}
