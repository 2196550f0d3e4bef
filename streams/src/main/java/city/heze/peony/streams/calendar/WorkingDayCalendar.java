package city.heze.peony.streams.calendar;

import city.heze.peony.schemas.CityZone;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.BitSet;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * China's working days (工作日), for share-application deadlines: Monday to Friday, except the days the
 * State Council's yearly holiday notice gives off, plus the weekend days it makes working days
 * (调休). The notices come as holiday-cn files, {@code holiday-cn/<year>.json} on the classpath; a new
 * year is added by dropping in its file, no code or index changes.
 *
 * <p>A year without a file is counted Monday to Friday only, and one warning per such year says so:
 * deadlines in it may then fall on a holiday. Immutable apart from remembering those warnings;
 * safe to share between threads.
 */
public final class WorkingDayCalendar {

    /** The years whose files are looked for: the holiday-cn data begins in 2007. */
    static final int FIRST_YEAR = 2000;

    static final int LAST_YEAR = 2099;

    static final String FOLDER = "holiday-cn";

    private static final Logger LOG = LoggerFactory.getLogger(WorkingDayCalendar.class);

    /** 23:59:59.999: the last millisecond of a day, as deadlines are stored in milliseconds. */
    private static final LocalTime END_OF_DAY = LocalTime.of(23, 59, 59, 999_000_000);

    private final Map<LocalDate, Boolean> offDays;
    private final BitSet yearsWithData;
    private final Set<Integer> warnedYears = ConcurrentHashMap.newKeySet();

    private WorkingDayCalendar(Map<LocalDate, Boolean> offDays, BitSet yearsWithData) {
        this.offDays = offDays;
        this.yearsWithData = yearsWithData;
    }

    /** The calendar of the holiday files Peony ships (and any added beside them). */
    public static WorkingDayCalendar fromClasspath() {
        return fromClasspath(WorkingDayCalendar.class.getClassLoader());
    }

    /**
     * The calendar of the files {@code holiday-cn/<year>.json} that {@code loader} finds for the years
     * 2000 to 2099.
     *
     * @throws HolidayDataException if a file is malformed or two files disagree about a day
     */
    public static WorkingDayCalendar fromClasspath(ClassLoader loader) {
        Map<LocalDate, Boolean> offDays = new HashMap<>();
        Map<LocalDate, String> listedIn = new HashMap<>();
        BitSet years = new BitSet();
        for (int year = FIRST_YEAR; year <= LAST_YEAR; year++) {
            String resource = FOLDER + "/" + year + ".json";
            try (InputStream in = loader.getResourceAsStream(resource)) {
                if (in == null) {
                    continue;
                }
                years.set(year);
                for (Map.Entry<LocalDate, Boolean> day :
                        HolidayFile.read(resource, year, in).entrySet()) {
                    Boolean earlier = offDays.putIfAbsent(day.getKey(), day.getValue());
                    if (earlier != null && !earlier.equals(day.getValue())) {
                        throw new HolidayDataException(resource + ": " + day.getKey() + " is "
                                + (day.getValue() ? "a day off" : "a working day") + " but "
                                + listedIn.get(day.getKey())
                                + " says otherwise; expected the files to agree");
                    }
                    listedIn.putIfAbsent(day.getKey(), resource);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + resource, e);
            }
        }
        return new WorkingDayCalendar(Map.copyOf(offDays), years);
    }

    /** Whether people work on {@code date}: listed days as the notice says, others Monday to Friday. */
    public boolean isWorkingDay(LocalDate date) {
        Boolean off = offDays.get(date);
        if (off != null) {
            return !off;
        }
        warnIfNoData(date.getYear());
        DayOfWeek day = date.getDayOfWeek();
        return day != DayOfWeek.SATURDAY && day != DayOfWeek.SUNDAY;
    }

    /**
     * The {@code workingDays}-th working day after {@code start}; {@code start} itself never counts
     * (期间开始之日不计算在内).
     *
     * @throws IllegalArgumentException if {@code workingDays} is less than 1
     */
    public LocalDate addWorkingDays(LocalDate start, int workingDays) {
        if (workingDays < 1) {
            throw new IllegalArgumentException("workingDays is " + workingDays + ", expected 1 or more");
        }
        LocalDate day = start;
        int counted = 0;
        while (counted < workingDays) {
            day = day.plusDays(1);
            if (isWorkingDay(day)) {
                counted++;
            }
        }
        return day;
    }

    /**
     * The deadline of a period of {@code workingDays} working days that starts with a submission: the
     * end (23:59:59.999, Asia/Shanghai) of the {@code workingDays}-th working day after the day of
     * submission. The hour of submission does not matter: the submission day is never counted.
     */
    public Instant deadline(Instant submittedAt, int workingDays) {
        LocalDate submittedOn = LocalDate.ofInstant(submittedAt, CityZone.ZONE);
        return addWorkingDays(submittedOn, workingDays)
                .atTime(END_OF_DAY)
                .atZone(CityZone.ZONE)
                .toInstant();
    }

    /**
     * The working days after {@code startExclusive} up to and including {@code endInclusive}; 0 when
     * the end is not after the start. {@code workingDaysBetween(d, addWorkingDays(d, n)) == n}.
     */
    public int workingDaysBetween(LocalDate startExclusive, LocalDate endInclusive) {
        int count = 0;
        for (LocalDate day = startExclusive.plusDays(1); !day.isAfter(endInclusive); day = day.plusDays(1)) {
            if (isWorkingDay(day)) {
                count++;
            }
        }
        return count;
    }

    /** The years with a holiday file, in order. */
    public SortedSet<Integer> yearsWithData() {
        SortedSet<Integer> years = new TreeSet<>();
        yearsWithData.stream().forEach(years::add);
        return Collections.unmodifiableSortedSet(years);
    }

    private void warnIfNoData(int year) {
        if (!yearsWithData.get(Math.max(year, 0)) && warnedYears.add(year)) {
            LOG.warn(
                    "No holiday data for {}: {}/{}.json is not on the classpath, so {} is counted Monday to "
                            + "Friday and its deadlines may fall on holidays; add the State Council's holiday "
                            + "notice for {} in that file",
                    year,
                    FOLDER,
                    year,
                    year,
                    year);
        }
    }
}
