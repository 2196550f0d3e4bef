package city.heze.peony.ops.linkage;

import static org.assertj.core.api.Assertions.assertThat;

import city.heze.peony.avro.linkage.CertificationStatus;
import city.heze.peony.avro.linkage.PensionCertification;
import city.heze.peony.avro.linkage.ReviewFlagKind;
import city.heze.peony.ops.PeonyStack;
import city.heze.peony.producers.simulate.LinkedPopulation;
import city.heze.peony.producers.simulate.PlantedCases;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The known-answer run at the city's scale that issue 13 asks for: 100,000 linked people published
 * through validation into the shared topics, and both scenarios (running in the stack, {@code
 * exactly_once_v2}) find exactly the planted cases and no others. Prints planted against found and
 * how long the scenarios took, for the closing note.
 */
class LinkageKnownAnswerIT {
    private static final int PEOPLE = 100_000;
    private static final Duration FOUND = Duration.ofMinutes(8);

    @TempDir
    Path dataDir;

    @Test
    void aHundredThousandPeopleGiveExactlyThePlantedCases() throws Exception {
        StringWriter notices = new StringWriter();
        try (PeonyStack stack = PeonyStack.start(new PeonyStack.Settings(
                dataDir,
                0,
                0,
                0,
                Path.of("..", "ops", "catalog").toAbsolutePath().normalize(),
                null,
                false,
                new PrintWriter(notices, true)))) {
            long published = System.nanoTime();
            PlantedCases planted = LinkedPopulation.builder(stack.clientProperties())
                    .people(PEOPLE)
                    .seed(20261207L)
                    .build()
                    .run();
            long sent = System.nanoTime();
            assertThat(planted.failedSends()).isZero();

            Map<String, Set<ReviewFlagKind>> flagged = Map.of();
            Map<String, CertificationStatus> statuses = Map.of();
            long deadline = System.nanoTime() + FOUND.toNanos();
            do {
                Thread.sleep(2000);
                flagged = LinkageOutputs.flagged(
                        LinkageOutputs.reviews(stack.clientProperties()).values());
                statuses = statuses(LinkageOutputs.certifications(stack.clientProperties())
                        .values()
                        .values());
            } while ((!flagged.equals(planted.flags()) || !statuses.equals(planted.statuses()))
                    && System.nanoTime() < deadline);
            long found = System.nanoTime();

            System.out.printf(
                    "linkage known answer: %d people, %d records published in %.1f s; outputs complete %.1f s after"
                            + " the last send%n",
                    PEOPLE, planted.records(), (sent - published) / 1e9, (found - sent) / 1e9);
            System.out.println("  planted flags " + counts(planted.flags()) + ", found " + counts(flagged));
            System.out.println(
                    "  planted statuses " + statusCounts(planted.statuses()) + ", found " + statusCounts(statuses));
            assertThat(flagged).as("recipients flagged, by resident ID").isEqualTo(planted.flags());
            assertThat(statuses).as("pensioners' statuses, by resident ID").isEqualTo(planted.statuses());
            assertThat(notices.toString()).doesNotContain("skipped");
        }
    }

    private static Map<String, CertificationStatus> statuses(Iterable<PensionCertification> certifications) {
        Map<String, CertificationStatus> out = new TreeMap<>();
        certifications.forEach(c -> out.put(c.getResidentId(), c.getStatus()));
        return out;
    }

    private static Map<ReviewFlagKind, Integer> counts(Map<String, Set<ReviewFlagKind>> flags) {
        Map<ReviewFlagKind, Integer> out = new EnumMap<>(ReviewFlagKind.class);
        flags.values().forEach(kinds -> kinds.forEach(k -> out.merge(k, 1, Integer::sum)));
        return out;
    }

    private static Map<CertificationStatus, Integer> statusCounts(Map<String, CertificationStatus> statuses) {
        Map<CertificationStatus, Integer> out = new EnumMap<>(CertificationStatus.class);
        statuses.values().forEach(s -> out.merge(s, 1, Integer::sum));
        return out;
    }
}
