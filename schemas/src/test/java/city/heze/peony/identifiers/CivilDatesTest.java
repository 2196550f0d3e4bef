package city.heze.peony.identifiers;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class CivilDatesTest {

    @Test
    void epochDaysAgreeWithJavaTimeFor1800To2200() {
        for (LocalDate day = LocalDate.of(1800, 1, 1); day.getYear() < 2200; day = day.plusDays(1)) {
            long expected = day.toEpochDay();
            if (CivilDates.epochDay(day.getYear(), day.getMonthValue(), day.getDayOfMonth()) != expected) {
                throw new AssertionError(day + ": expected " + expected);
            }
        }
    }

    @Test
    void parsesBothIsoForms() {
        long expected = LocalDate.of(2024, 2, 29).toEpochDay();
        assertThat(CivilDates.parseIsoDate("2024-02-29")).isEqualTo(expected);
        assertThat(CivilDates.parseIsoDate("20240229")).isEqualTo(expected);
        assertThat(CivilDates.parseIsoDate("2024_02_29")).isEqualTo(CivilDates.NOT_A_DATE);
        assertThat(CivilDates.parseIsoDate("2023-02-29")).isEqualTo(CivilDates.NOT_A_DATE);
        assertThat(CivilDates.parseIsoDate("0000-01-01")).isEqualTo(CivilDates.NOT_A_DATE);
    }

    @Test
    void theDayOfAnInstantInTheCityAgreesWithTheZoneRules() {
        ZoneId shanghai = ZoneId.of("Asia/Shanghai");
        // around midnight today, and inside the 1986-1991 daylight-saving summers
        String[] instants = {
            "2025-06-15T15:59:59.999Z",
            "2025-06-15T16:00:00Z",
            "1988-07-01T15:30:00Z",
            "1988-07-01T16:30:00Z",
            "1991-09-14T16:30:00Z",
            "1970-01-01T00:00:00Z",
            "1900-01-01T00:00:00Z"
        };
        for (String text : instants) {
            Instant instant = Instant.parse(text);
            assertThat(CivilDates.epochDayInCity(instant.toEpochMilli()))
                    .as(text)
                    .isEqualTo(LocalDateTime.ofInstant(instant, shanghai)
                            .toLocalDate()
                            .toEpochDay());
        }
    }
}
