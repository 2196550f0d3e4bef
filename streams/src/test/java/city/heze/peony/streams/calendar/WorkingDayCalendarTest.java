package city.heze.peony.streams.calendar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WorkingDayCalendarTest {

    private static final WorkingDayCalendar CALENDAR = WorkingDayCalendar.fromClasspath();

    @TempDir
    Path classpath;

    @Test
    void shipsTheYears2020To2026() {
        assertThat(CALENDAR.yearsWithData()).containsExactly(2020, 2021, 2022, 2023, 2024, 2025, 2026);
    }

    @Test
    void springFestival2025() {
        // Sunday 26 January and Saturday 8 February worked; 28 January to 4 February off
        assertThat(CALENDAR.isWorkingDay(day("2025-01-25"))).isFalse();
        assertThat(CALENDAR.isWorkingDay(day("2025-01-26"))).isTrue();
        assertThat(CALENDAR.isWorkingDay(day("2025-01-27"))).isTrue();
        for (LocalDate off = day("2025-01-28"); !off.isAfter(day("2025-02-04")); off = off.plusDays(1)) {
            assertThat(CALENDAR.isWorkingDay(off)).as(off.toString()).isFalse();
        }
        assertThat(CALENDAR.isWorkingDay(day("2025-02-05"))).isTrue();
        assertThat(CALENDAR.isWorkingDay(day("2025-02-08"))).isTrue();
        assertThat(CALENDAR.isWorkingDay(day("2025-02-09"))).isFalse();
    }

    @Test
    void nationalDay2025() {
        // Sunday 28 September and Saturday 11 October worked; 1 to 8 October off (with 中秋节)
        assertThat(CALENDAR.isWorkingDay(day("2025-09-27"))).isFalse();
        assertThat(CALENDAR.isWorkingDay(day("2025-09-28"))).isTrue();
        for (LocalDate off = day("2025-10-01"); !off.isAfter(day("2025-10-08")); off = off.plusDays(1)) {
            assertThat(CALENDAR.isWorkingDay(off)).as(off.toString()).isFalse();
        }
        assertThat(CALENDAR.isWorkingDay(day("2025-10-09"))).isTrue();
        assertThat(CALENDAR.isWorkingDay(day("2025-10-11"))).isTrue();
        assertThat(CALENDAR.isWorkingDay(day("2025-10-12"))).isFalse();
    }

    @Test
    void theNoticeFor2026() {
        assertThat(CALENDAR.isWorkingDay(day("2026-01-02"))).isFalse();
        assertThat(CALENDAR.isWorkingDay(day("2026-01-04"))).isTrue(); // a Sunday worked
        assertThat(CALENDAR.isWorkingDay(day("2026-02-14"))).isTrue();
        assertThat(CALENDAR.isWorkingDay(day("2026-02-23"))).isFalse(); // a Monday off
        assertThat(CALENDAR.isWorkingDay(day("2026-02-28"))).isTrue();
        assertThat(CALENDAR.isWorkingDay(day("2026-05-05"))).isFalse();
        assertThat(CALENDAR.isWorkingDay(day("2026-05-09"))).isTrue();
        assertThat(CALENDAR.isWorkingDay(day("2026-09-20"))).isTrue();
        assertThat(CALENDAR.isWorkingDay(day("2026-10-07"))).isFalse();
        assertThat(CALENDAR.isWorkingDay(day("2026-10-10"))).isTrue();
    }

    @Test
    void aDayListedInTheNextYearsFileCounts() {
        // 2023.json lists Saturday 2022-12-31 as part of 元旦; it is off either way, but it is read
        assertThat(CALENDAR.isWorkingDay(day("2022-12-31"))).isFalse();
        // 2020.json lists Monday 2020-02-03 as worked after the extended Spring Festival
        assertThat(CALENDAR.isWorkingDay(day("2020-02-03"))).isTrue();
        assertThat(CALENDAR.isWorkingDay(day("2020-01-31"))).isFalse();
    }

    @ParameterizedTest(name = "submitted {0}, {1} working days: ends on {2}")
    @CsvSource({
        "2025-01-24T10:00:00+08:00, 1, 2025-01-26", // the Sunday worked before Spring Festival
        "2025-01-24T10:00:00+08:00, 2, 2025-01-27",
        "2025-01-24T10:00:00+08:00, 3, 2025-02-05", // across the eight days off
        "2025-01-24T10:00:00+08:00, 6, 2025-02-08", // the Saturday worked after it
        "2025-01-24T10:00:00+08:00, 7, 2025-02-10",
        "2025-09-26T09:00:00+08:00, 1, 2025-09-28",
        "2025-09-26T09:00:00+08:00, 4, 2025-10-09", // across National Day
        "2025-09-26T09:00:00+08:00, 6, 2025-10-11",
        "2025-09-26T09:00:00+08:00, 10, 2025-10-16",
        "2024-12-25T15:00:00+08:00, 10, 2025-01-09", // across the year boundary and 元旦
        "2025-03-01T11:00:00+08:00, 1, 2025-03-03", // submitted on a Saturday
        "2025-10-03T11:00:00+08:00, 1, 2025-10-09", // submitted on a holiday
        "2025-12-26T16:00:00+08:00, 5, 2026-01-05", // 29-31 Dec, then 元旦 off and Sunday 4 January worked
    })
    void deadlinesEndAtTheLastMillisecondOfTheNthWorkingDayInHeze(String submitted, int days, String lastDay) {
        Instant deadline = CALENDAR.deadline(ZonedDateTime.parse(submitted).toInstant(), days);
        assertThat(deadline)
                .isEqualTo(ZonedDateTime.parse(lastDay + "T23:59:59.999+08:00").toInstant());
        assertThat(CALENDAR.addWorkingDays(ZonedDateTime.parse(submitted).toLocalDate(), days))
                .isEqualTo(day(lastDay));
    }

    @Test
    void theHourOfSubmissionDoesNotMatter() {
        Instant firstSecond = ZonedDateTime.parse("2025-06-10T00:00:01+08:00").toInstant();
        Instant lastSecond = ZonedDateTime.parse("2025-06-10T23:59:59+08:00").toInstant();
        Instant nextDay = ZonedDateTime.parse("2025-06-11T00:00:00+08:00").toInstant();
        assertThat(CALENDAR.deadline(firstSecond, 10)).isEqualTo(CALENDAR.deadline(lastSecond, 10));
        assertThat(CALENDAR.deadline(firstSecond, 10)).isEqualTo(Instant.parse("2025-06-24T15:59:59.999Z"));
        assertThat(CALENDAR.deadline(nextDay, 10)).isEqualTo(Instant.parse("2025-06-25T15:59:59.999Z"));
        // 23:30 UTC on the 9th is already 07:30 on the 10th in Heze
        assertThat(CALENDAR.deadline(Instant.parse("2025-06-09T23:30:00Z"), 10))
                .isEqualTo(CALENDAR.deadline(firstSecond, 10));
    }

    @Test
    void workingDaysBetweenIsTheInverseOfAddingThem() {
        List<String> wrong = new ArrayList<>();
        for (LocalDate start = day("2024-11-01"); start.isBefore(day("2026-03-01")); start = start.plusDays(3)) {
            for (int days : new int[] {1, 2, 5, 10, 20}) {
                LocalDate end = CALENDAR.addWorkingDays(start, days);
                if (CALENDAR.workingDaysBetween(start, end) != days || !CALENDAR.isWorkingDay(end)) {
                    wrong.add(start + " + " + days + " = " + end);
                }
            }
        }
        assertThat(wrong).isEmpty();
        assertThat(CALENDAR.workingDaysBetween(day("2025-01-27"), day("2025-02-05")))
                .isEqualTo(1);
        assertThat(CALENDAR.workingDaysBetween(day("2025-02-05"), day("2025-01-27")))
                .isZero();
    }

    @Test
    void aPeriodOfNoWorkingDaysIsRefused() {
        assertThatThrownBy(() -> CALENDAR.addWorkingDays(day("2025-01-01"), 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("workingDays is 0, expected 1 or more");
    }

    @Test
    void aYearWithoutDataCountsWeekendsOnlyAndWarnsOncePerYear() {
        WorkingDayCalendar calendar = WorkingDayCalendar.fromClasspath();
        try (CapturedLog log = CapturedLog.of(WorkingDayCalendar.class)) {
            assertThat(calendar.isWorkingDay(day("2031-01-01"))).isTrue(); // a Wednesday; 元旦 unknown
            assertThat(calendar.isWorkingDay(day("2031-01-04"))).isFalse(); // a Saturday
            assertThat(calendar.deadline(
                            ZonedDateTime.parse("2031-09-30T10:00:00+08:00").toInstant(), 3))
                    .isEqualTo(
                            ZonedDateTime.parse("2031-10-03T23:59:59.999+08:00").toInstant());
            assertThat(calendar.isWorkingDay(day("2032-01-01"))).isTrue();
            assertThat(calendar.isWorkingDay(day("2025-06-10"))).isTrue();
            assertThat(log.warnings()).hasSize(2);
            assertThat(log.warnings().get(0))
                    .startsWith("No holiday data for 2031: holiday-cn/2031.json is not on the classpath, so 2031 is "
                            + "counted Monday to Friday");
            assertThat(log.warnings().get(1)).startsWith("No holiday data for 2032");
        }
    }

    @Test
    void aNewYearIsPickedUpByDroppingInItsFile() throws IOException {
        write("2031.json", """
                {"year": 2031, "days": [
                  {"name": "元旦", "date": "2031-01-01", "isOffDay": true},
                  {"name": "春节", "date": "2031-01-19", "isOffDay": false}
                ]}""");
        WorkingDayCalendar calendar = calendarOf(classpath);
        assertThat(calendar.yearsWithData()).containsExactly(2031);
        assertThat(calendar.isWorkingDay(day("2031-01-01"))).isFalse();
        assertThat(calendar.isWorkingDay(day("2031-01-19"))).isTrue(); // a Sunday worked
        assertThat(calendar.isWorkingDay(day("2031-01-02"))).isTrue();
    }

    @Test
    void aFileThatIsNotJsonIsNamedWithTheLine() throws IOException {
        write("2024.json", "{\"year\": 2024,\n \"days\": [ {\"date\": \"2024-01-01\" \"isOffDay\": true} ]}");
        assertThatThrownBy(() -> calendarOf(classpath))
                .isInstanceOf(HolidayDataException.class)
                .hasMessageStartingWith("holiday-cn/2024.json is not valid JSON: ")
                .hasMessageContaining("at line 2");
    }

    @Test
    void aFileOfAnotherYearIsRefused() throws IOException {
        write("2024.json", "{\"year\": 2025, \"days\": []}");
        assertThatThrownBy(() -> calendarOf(classpath))
                .hasMessage("holiday-cn/2024.json: 'year' is 2025, expected 2024 as in the file's name");
    }

    @Test
    void malformedDaysAreNamedByTheirPlace() throws IOException {
        write("2024.json", """
                {"year": 2024, "days": [
                  {"name": "元旦", "date": "2024-01-01", "isOffDay": true},
                  {"name": "春节", "date": "2024-02-30", "isOffDay": true}
                ]}""");
        assertThatThrownBy(() -> calendarOf(classpath))
                .hasMessage("holiday-cn/2024.json: days[1]: 'date' is \"2024-02-30\", which is no date; expected a "
                        + "real date \"yyyy-MM-dd\"");
        write("2024.json", "{\"year\": 2024, \"days\": [{\"date\": \"2024-10-01\", \"isOffDay\": \"yes\"}]}");
        assertThatThrownBy(() -> calendarOf(classpath))
                .hasMessage("holiday-cn/2024.json: days[0] (2024-10-01): 'isOffDay' is \"yes\", expected true (a day "
                        + "off) or false (a working day)");
        write("2024.json", "{\"year\": 2024, \"days\": [{\"date\": \"2021-10-01\", \"isOffDay\": true}]}");
        assertThatThrownBy(() -> calendarOf(classpath))
                .hasMessageContaining("days[0]: date 2021-10-01 is far from 2024");
        write("2024.json", "{\"year\": 2024}");
        assertThatThrownBy(() -> calendarOf(classpath))
                .hasMessage("holiday-cn/2024.json: 'days' is null, expected an array of days");
        write("2024.json", """
                {"year": 2024, "days": [
                  {"date": "2024-05-01", "isOffDay": true},
                  {"date": "2024-05-01", "isOffDay": true}
                ]}""");
        assertThatThrownBy(() -> calendarOf(classpath))
                .hasMessage("holiday-cn/2024.json: days[1]: 2024-05-01 is listed twice, expected each date once");
    }

    @Test
    void filesThatDisagreeAboutADayAreRefused() throws IOException {
        write("2022.json", "{\"year\": 2022, \"days\": [{\"date\": \"2022-12-31\", \"isOffDay\": false}]}");
        write("2023.json", "{\"year\": 2023, \"days\": [{\"date\": \"2022-12-31\", \"isOffDay\": true}]}");
        assertThatThrownBy(() -> calendarOf(classpath))
                .hasMessage("holiday-cn/2023.json: 2022-12-31 is a day off but holiday-cn/2022.json says otherwise; "
                        + "expected the files to agree");
    }

    private void write(String file, String json) throws IOException {
        Path folder = Files.createDirectories(classpath.resolve(WorkingDayCalendar.FOLDER));
        Files.writeString(folder.resolve(file), json, StandardCharsets.UTF_8);
    }

    /** A calendar that sees only the files of {@code root}, not the ones Peony ships. */
    private static WorkingDayCalendar calendarOf(Path root) throws IOException {
        try (URLClassLoader loader = new URLClassLoader(new URL[] {root.toUri().toURL()}, null)) {
            return WorkingDayCalendar.fromClasspath(loader);
        }
    }

    private static LocalDate day(String text) {
        return LocalDate.parse(text);
    }
}
