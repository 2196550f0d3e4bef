package city.heze.peony.ops.share;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import city.heze.peony.ops.UserException;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class IsoTimesTest {
    @Test
    void anOffsetTimeIsThatInstant() {
        assertThat(IsoTimes.parse("--at", "2025-10-09T10:15:00+08:00"))
                .isEqualTo(Instant.parse("2025-10-09T02:15:00Z"));
        assertThat(IsoTimes.parse("--at", "2025-10-09T02:15:00Z")).isEqualTo(Instant.parse("2025-10-09T02:15:00Z"));
    }

    @Test
    void aLocalTimeIsInAsiaShanghai() {
        assertThat(IsoTimes.parse("--at", "2025-10-09T10:15")).isEqualTo(Instant.parse("2025-10-09T02:15:00Z"));
        assertThat(IsoTimes.parse("--at", " 2025-10-09T10:15:30 ")).isEqualTo(Instant.parse("2025-10-09T02:15:30Z"));
    }

    @Test
    void aDateIsItsFirstMomentInAsiaShanghai() {
        assertThat(IsoTimes.parse("--at", "2025-10-09")).isEqualTo(Instant.parse("2025-10-08T16:00:00Z"));
    }

    @Test
    void anythingElseIsAUsageErrorNamingTheOptionAndTheForms() {
        assertThatThrownBy(() -> IsoTimes.parse("--submitted-at", "9 Oct 2025"))
                .isInstanceOf(UserException.class)
                .hasMessageContaining("--submitted-at '9 Oct 2025'")
                .hasMessageContaining("2025-10-09T10:15:00+08:00")
                .satisfies(e -> assertThat(((UserException) e).exitCode()).isEqualTo(UserException.USAGE));
        assertThatThrownBy(() -> IsoTimes.parse("--at", "2025-02-30")).isInstanceOf(UserException.class);
    }

    @Test
    void timesPrintInTheCitysCivilTime() {
        assertThat(IsoTimes.iso(Instant.parse("2025-10-16T15:59:59.999Z"))).isEqualTo("2025-10-16T23:59:59.999+08:00");
        assertThat(IsoTimes.forTable(Instant.parse("2025-10-16T15:59:59.999Z"))).isEqualTo("2025-10-16 23:59");
        assertThat(IsoTimes.iso(null)).isNull();
    }
}
