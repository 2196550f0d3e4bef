package city.heze.peony.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** How long a streams measurement may take: it must grow with the catalogs, not only the records. */
class StreamsStopwatchTest {

    @Test
    void aSmallMeasurementGetsTheBaseAllowance() {
        assertThat(StreamsStopwatch.timeoutFor(0, 0)).isEqualTo(Duration.ofSeconds(60));
        assertThat(StreamsStopwatch.timeoutFor(999, 0)).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void recordsAddOneSecondPerThousand() {
        assertThat(StreamsStopwatch.timeoutFor(10_000, 0)).isEqualTo(Duration.ofSeconds(70));
    }

    @Test
    void twoThousandCatalogsGetFiveMinutesOnTopOfTheirRecords() {
        // The row that failed at 61 s: 1,000 records over 2,000 catalogs.
        assertThat(StreamsStopwatch.timeoutFor(1_000, 2_000)).isEqualTo(Duration.ofSeconds(61 + 300));
    }

    @Test
    void moreCatalogsNeverShortenTheTimeout() {
        Duration previous = Duration.ZERO;
        for (int catalogs = 0; catalogs <= 14_300; catalogs += 1_100) {
            Duration timeout = StreamsStopwatch.timeoutFor(5_000, catalogs);
            assertThat(timeout).isGreaterThan(previous);
            previous = timeout;
        }
    }

    @Test
    void negativeCountsAreRefused() {
        assertThatThrownBy(() -> StreamsStopwatch.timeoutFor(-1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StreamsStopwatch.timeoutFor(0, -1)).isInstanceOf(IllegalArgumentException.class);
    }
}
