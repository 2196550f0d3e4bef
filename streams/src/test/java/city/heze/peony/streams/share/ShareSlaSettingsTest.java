package city.heze.peony.streams.share;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The share settings read from {@code peony.share.*}: the access validity and the unmatched wait. */
class ShareSlaSettingsTest {

    @Test
    void defaultsAreAYearOfAccessAndAnHourOfWaiting() {
        ShareSlaSettings settings = ShareSlaSettings.fromProperties(new Properties());
        assertThat(settings.accessValidity()).isEqualTo(Duration.ofDays(365));
        assertThat(settings.unmatchedWait()).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void bothAreReadFromTheirKeys() {
        Properties props = new Properties();
        props.setProperty("peony.share.access-validity", "P30D");
        props.setProperty("peony.share.unmatched.wait.ms", "600000");
        ShareSlaSettings settings = ShareSlaSettings.fromProperties(props);
        assertThat(settings.accessValidity()).isEqualTo(Duration.ofDays(30));
        assertThat(settings.unmatchedWait()).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void aValidityThatIsNotAPositiveDurationNamesTheKey() {
        for (String bad : new String[] {"365", "P0D", "-P1D"}) {
            Properties props = new Properties();
            props.setProperty("peony.share.access-validity", bad);
            assertThatThrownBy(() -> ShareSlaSettings.fromProperties(props))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("peony.share.access-validity=" + bad
                            + ": expected a positive ISO-8601 duration such as P365D or PT720H");
        }
    }
}
