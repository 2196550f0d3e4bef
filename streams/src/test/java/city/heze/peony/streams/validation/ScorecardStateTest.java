package city.heze.peony.streams.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The scorecard state: windows in the city's time, and the internal values surviving a round trip. */
class ScorecardStateTest {

    @Test
    void hourAndDayWindowsMatchAsiaShanghaiForAnyInstantSince1992() {
        ZoneId shanghai = ZoneId.of("Asia/Shanghai");
        Random random = new Random(20_250_615L);
        long from = Instant.parse("1992-01-01T00:00:00Z").toEpochMilli();
        long to = Instant.parse("2100-01-01T00:00:00Z").toEpochMilli();
        for (int i = 0; i < 20_000; i++) {
            long t = from + (long) (random.nextDouble() * (to - from));
            ZonedDateTime local = Instant.ofEpochMilli(t).atZone(shanghai);
            assertThat(CityWindows.hourStart(t))
                    .as("hour of %s", local)
                    .isEqualTo(local.truncatedTo(ChronoUnit.HOURS).toInstant().toEpochMilli());
            assertThat(CityWindows.dayStart(t))
                    .as("day of %s", local)
                    .isEqualTo(local.truncatedTo(ChronoUnit.DAYS).toInstant().toEpochMilli());
        }
        assertThat(CityWindows.label(Instant.parse("2025-06-14T16:00:00Z").toEpochMilli()))
                .isEqualTo("2025-06-15T00:00:00+08:00");
    }

    @Test
    void partialsFromSeveralTasksSumAndTheLatestPartialOfATaskReplacesItsEarlierOne() {
        ScorecardCounts first = new ScorecardCounts("mz");
        first.countPassed(1_000, 2_000, 1);
        first.countFailed(1_500, 2_500, List.of("sa.amount", "sa.household"), 0);
        ScorecardCounts second = new ScorecardCounts("mz");
        second.countFailed(3_000, 4_000, List.of("sa.amount"), 2);

        HourWindow window = new HourWindow("mz.social-assistance", 0);
        window.put(0, first);
        window.put(1, second);
        ScorecardCounts laterFirst = ScorecardCounts.fromBytes(first.toBytes());
        laterFirst.countPassed(1_600, 2_600, 0);
        window.put(0, laterFirst);

        HourWindow restored = HourWindow.fromBytes(window.toBytes());
        ScorecardCounts sum = new ScorecardCounts(null);
        restored.addTo(sum);
        assertThat(sum.department()).isEqualTo("mz");
        assertThat(sum.received()).isEqualTo(4);
        assertThat(sum.passed()).isEqualTo(2);
        assertThat(sum.failed()).isEqualTo(2);
        assertThat(sum.warnings()).isEqualTo(3);
        assertThat(sum.failuresByRule())
                .containsExactlyInAnyOrderEntriesOf(Map.of("sa.amount", 2L, "sa.household", 1L));
        assertThat(sum.lastRecordAt()).isEqualTo(3_000);
        assertThat(sum.lastReceivedAt()).isEqualTo(4_000);

        ScorecardPartial partial = ScorecardPartial.fromBytes(
                new ScorecardPartial("mz.social-assistance", 2, 3_600_000, second).toBytes());
        assertThat(partial.catalogId()).isEqualTo("mz.social-assistance");
        assertThat(partial.partition()).isEqualTo(2);
        assertThat(partial.hourStart()).isEqualTo(3_600_000);
        assertThat(partial.counts().failuresByRule()).containsEntry("sa.amount", 1L);
    }

    @Test
    void stateOfAnotherFormatOrCutShortFailsSayingWhatItWas() {
        byte[] bytes = new ScorecardCounts("mz").toBytes();
        bytes[0] = 9;
        assertThatThrownBy(() -> ScorecardCounts.fromBytes(bytes))
                .hasMessageContaining("scorecard counts")
                .hasMessageContaining("format version 9, expected 1");
        byte[] shortened = java.util.Arrays.copyOf(new LastSeen().toBytes(), 10);
        assertThatThrownBy(() -> LastSeen.fromBytes(shortened))
                .hasMessageContaining("catalog last seen")
                .hasMessageContaining("cut short");
    }

    @Test
    void tallyKeysSortByCatalogThenHour() {
        String key = RecordValidator.tallyKey("mz.social-assistance", 1_749_952_800_000L);
        assertThat(key).isEqualTo("mz.social-assistance|001749952800000");
        assertThat(RecordValidator.catalogOfKey(key)).isEqualTo("mz.social-assistance");
        assertThat(RecordValidator.hourOfKey(key)).isEqualTo(1_749_952_800_000L);
        assertThat(RecordValidator.tallyKey("a", 5)).isLessThan(RecordValidator.tallyKey("a", 10));
        // Another catalog whose id extends this one's never falls inside its range.
        assertThat(RecordValidator.tallyKey("a.b", 0)).isLessThan(RecordValidator.tallyKey("a", 0));
    }
}
