package city.heze.peony.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The watch's poll interval: 5 ms for the usual few topics, longer as the partitions grow, bounded. */
class OutputWatchTest {

    @Test
    void aFewDozenPartitionsArePolledEveryFiveMilliseconds() {
        assertThat(OutputWatch.pollMillisFor(0)).isEqualTo(5);
        assertThat(OutputWatch.pollMillisFor(1)).isEqualTo(5);
        // 12 catalogs' shared topics and peony.rejected at 3 partitions each.
        assertThat(OutputWatch.pollMillisFor(39)).isEqualTo(5);
        assertThat(OutputWatch.pollMillisFor(50)).isEqualTo(5);
    }

    @Test
    void theIntervalGrowsFiveMillisecondsPerFiftyPartitions() {
        assertThat(OutputWatch.pollMillisFor(51)).isEqualTo(10);
        // 200 catalogs' shared topics and peony.rejected.
        assertThat(OutputWatch.pollMillisFor(603)).isEqualTo(65);
    }

    @Test
    void theIntervalIsBoundedSoTheEndIsKnownWithin200Milliseconds() {
        assertThat(OutputWatch.pollMillisFor(6_003)).isEqualTo(200);
        assertThat(OutputWatch.pollMillisFor(Integer.MAX_VALUE - 100)).isEqualTo(200);
    }
}
