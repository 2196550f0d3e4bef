package city.heze.peony.streams.calendar;

/**
 * A holiday data file on the classpath cannot be used: not JSON, the wrong year, a date that is no
 * date, a day listed twice with different meanings. The message names the file and what is wrong.
 * Thrown while the calendar loads, so that wrong deadlines are never computed from it.
 */
public final class HolidayDataException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public HolidayDataException(String message) {
        super(message);
    }

    public HolidayDataException(String message, Throwable cause) {
        super(message, cause);
    }
}
