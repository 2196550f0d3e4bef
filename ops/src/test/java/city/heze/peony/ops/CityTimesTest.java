package city.heze.peony.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

class CityTimesTest {
    @Test
    void anOffsetTimeIsThatInstant() {
        assertThat(CityTimes.parse("--at", "2025-10-09T10:15:00+08:00"))
                .isEqualTo(Instant.parse("2025-10-09T02:15:00Z"));
        assertThat(CityTimes.parse("--at", "2025-10-09T02:15:00Z")).isEqualTo(Instant.parse("2025-10-09T02:15:00Z"));
    }

    @Test
    void aLocalTimeIsInAsiaShanghai() {
        assertThat(CityTimes.parse("--at", "2025-10-09T10:15")).isEqualTo(Instant.parse("2025-10-09T02:15:00Z"));
        assertThat(CityTimes.parse("--at", " 2025-10-09T10:15:30 ")).isEqualTo(Instant.parse("2025-10-09T02:15:30Z"));
    }

    @Test
    void aDateIsItsFirstMomentInAsiaShanghai() {
        assertThat(CityTimes.parse("--at", "2025-10-09")).isEqualTo(Instant.parse("2025-10-08T16:00:00Z"));
    }

    @Test
    void anythingElseIsAUsageErrorNamingTheOptionAndTheForms() {
        assertThatThrownBy(() -> CityTimes.parse("--submitted-at", "9 Oct 2025"))
                .isInstanceOf(UserException.class)
                .hasMessageContaining("--submitted-at '9 Oct 2025'")
                .hasMessageContaining("2025-10-09T10:15:00+08:00")
                .satisfies(e -> assertThat(((UserException) e).exitCode()).isEqualTo(UserException.USAGE));
        assertThatThrownBy(() -> CityTimes.parse("--at", "2025-02-30")).isInstanceOf(UserException.class);
    }

    @Test
    void timesPrintInTheCitysCivilTime() {
        assertThat(CityTimes.iso(Instant.parse("2025-10-16T15:59:59.999Z"))).isEqualTo("2025-10-16T23:59:59.999+08:00");
        assertThat(CityTimes.tableMinutes(Instant.parse("2025-10-16T15:59:59.999Z")))
                .isEqualTo("2025-10-16 23:59");
        assertThat(CityTimes.iso(null)).isNull();
        assertThat(CityTimes.isoWithSeconds(Instant.parse("2025-10-16T15:59:00Z")))
                .isEqualTo("2025-10-16T23:59:00+08:00");
        assertThat(CityTimes.tableSeconds(Instant.parse("2025-10-16T15:59:59.999Z")))
                .isEqualTo("2025-10-16 23:59:59");
        assertThat(CityTimes.tableSeconds(null)).isEqualTo("-");
    }

    @Test
    void theOptionConverterTakesTheSameFormsAndAnInstant() {
        CityTimes.Converter instants = new CityTimes.Converter();
        Instant nine = Instant.parse("2025-06-02T01:00:00Z");
        assertThat(instants.convert("2025-06-02T09:00:00+08:00")).isEqualTo(nine);
        assertThat(instants.convert("2025-06-02T09:00:00")).isEqualTo(nine);
        assertThat(instants.convert("2025-06-02T01:00:00Z")).isEqualTo(nine);
        assertThat(instants.convert("2025-06-02")).isEqualTo(Instant.parse("2025-06-01T16:00:00Z"));
        assertThatThrownBy(() -> instants.convert("yesterday")).isInstanceOf(TypeConversionException.class);
    }
}
