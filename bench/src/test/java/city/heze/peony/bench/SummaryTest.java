package city.heze.peony.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import city.heze.peony.bench.BenchResults.Bound;
import city.heze.peony.bench.BenchResults.Ratio;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The statistics and formatting of the bench's table: medians, ratios run by run, units. */
class SummaryTest {

    @Test
    void medianOfAnOddCountIsTheMiddleSampleWhateverTheOrder() {
        Summary s = Summary.of(300, 100, 200);
        assertThat(s.median()).isEqualTo(200);
        assertThat(s.min()).isEqualTo(100);
        assertThat(s.max()).isEqualTo(300);
        assertThat(s.count()).isEqualTo(3);
    }

    @Test
    void medianOfAnEvenCountIsTheMeanOfTheTwoMiddleSamples() {
        assertThat(Summary.of(4, 1, 3, 10).median()).isEqualTo(3.5);
    }

    @Test
    void oneOutlierMovesNeitherTheMedianNorHidesInMinMax() {
        Summary s = Summary.of(List.of(100.0, 101.0, 5.0));
        assertThat(s.median()).isEqualTo(100.0);
        assertThat(s.min()).isEqualTo(5.0);
        assertThat(s.max()).isEqualTo(101.0);
    }

    @Test
    void noSampleOrANonFiniteOneIsRefused() {
        assertThatThrownBy(Summary::of).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Summary.of(1, Double.NaN)).hasMessageContaining("NaN");
    }

    @Test
    void unitsFormatAsTheTablePrintsThem() {
        assertThat(Unit.RECORDS_PER_SECOND.format(123456.7)).isEqualTo("123,457");
        assertThat(Unit.MILLISECONDS.format(12.34)).isEqualTo("12.3");
        assertThat(Unit.MEBIBYTES.format(1536.4)).isEqualTo("1,536");
        assertThat(Unit.RATIO.format(0.756)).isEqualTo("0.76");
        assertThat(Unit.RATIO.format(2.0 / 3)).isEqualTo("0.67");
    }

    @Test
    void ratiosPairTheSamplesOfTheSameRun() {
        BenchResults r = new BenchResults()
                .figure("p", "t", "P", Unit.RECORDS_PER_SECOND)
                .figure("publish", "t", "publish", Unit.RECORDS_PER_SECOND)
                .ratio(new Ratio("publish/P", "publish/P", "publish", "p", 0, Bound.AT_LEAST, 0.5));
        r.add("p", 1, 100);
        r.add("p", 2, 200);
        r.add("p", 3, 400);
        r.add("publish", 1, 50);
        // run 2 could not measure publish: its P must not be paired with run 3's publish
        r.add("publish", 3, 100);
        Ratio ratio = r.ratios().get(0);
        assertThat(r.ratioSamples(ratio)).containsExactly(0.5, 0.25);
        Summary s = Summary.of(r.ratioSamples(ratio));
        assertThat(s.median()).isEqualTo(0.375);
        assertThat(ratio.meets(s.median())).isFalse();
        assertThat(ratio.meets(0.5)).isTrue();
    }

    @Test
    void aRatioCanSubtractAnAllowanceAndBeBoundedFromAbove() {
        BenchResults r = new BenchResults()
                .figure("eos.p99", "l", "eos p99", Unit.MILLISECONDS)
                .figure("plain.p99", "l", "plain p99", Unit.MILLISECONDS)
                .ratio(new Ratio("x", "x", "eos.p99", "plain.p99", 100, Bound.AT_MOST, 3));
        r.add("eos.p99", 1, 160);
        r.add("plain.p99", 1, 20);
        Ratio ratio = r.ratios().get(0);
        assertThat(r.ratioSamples(ratio)).containsExactly(3.0);
        assertThat(ratio.meets(3.0)).isTrue();
        assertThat(ratio.meets(3.01)).isFalse();
    }

    @Test
    void aFigureNoRunMeasuredMakesItsRatiosSayWhy() {
        BenchResults r = new BenchResults()
                .figure("s", "t", "S", Unit.RECORDS_PER_SECOND)
                .figure("share", "t", "share", Unit.RECORDS_PER_SECOND)
                .ratio(new Ratio("share/S", "share/S", "share", "s", 0, Bound.AT_LEAST, 0.25));
        r.add("s", 1, 1000);
        r.notMeasured("share", "the share application is ERROR");
        Ratio ratio = r.ratios().get(0);
        assertThat(r.ratioSamples(ratio)).isEmpty();
        assertThat(r.ratioNotMeasured(ratio)).isEqualTo("share not measured: the share application is ERROR");
    }

    @Test
    void aTableShowsMedianMinMaxTargetsAndWhatWasNotMeasured() {
        BenchResults r = new BenchResults()
                .figure("p", "Throughput", "P  raw producer", Unit.RECORDS_PER_SECOND)
                .figure("publish", "Throughput", "publish", Unit.RECORDS_PER_SECOND)
                .figure("share", "Throughput", "share", Unit.RECORDS_PER_SECOND)
                .ratio(new Ratio("publish/P", "publish/P", "publish", "p", 0, Bound.AT_LEAST, 0.5))
                .ratio(new Ratio("share/P", "share/P", "share", "p", 0, Bound.AT_LEAST, 0.25));
        r.add("p", 1, 200_000);
        r.add("p", 2, 100_000);
        r.add("p", 3, 300_000);
        r.add("publish", 1, 80_000);
        r.add("publish", 2, 60_000);
        r.add("publish", 3, 120_000);
        r.notMeasured("share", "no ShareSlaTopology in this build");
        String table =
                new BenchReport(r, new BenchReport.Context("first line", "second line", java.util.Map.of())).table();
        assertThat(table)
                .contains("first line\nsecond line\n")
                .containsPattern("P  raw producer +200,000 +100,000 +300,000  records/s")
                // run by run 0.40, 0.60, 0.40: spread max/min 1.50
                .containsPattern("publish/P +0\\.40 +0\\.40 +0\\.60 +1\\.50  >= 0\\.50  SHORT")
                .contains("share  ")
                .contains("not measured: no ShareSlaTopology in this build")
                .contains("not measured: share not measured: no ShareSlaTopology in this build");
    }
}
