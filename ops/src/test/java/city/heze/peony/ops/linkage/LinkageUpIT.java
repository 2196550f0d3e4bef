package city.heze.peony.ops.linkage;

import static org.assertj.core.api.Assertions.assertThat;

import city.heze.peony.avro.linkage.CertificationStatus;
import city.heze.peony.avro.linkage.PensionCertification;
import city.heze.peony.avro.linkage.ReviewFlagKind;
import city.heze.peony.ops.PeonyProcess;
import city.heze.peony.ops.PeonyStack;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13's "done when", as a user runs it: {@code peony up --simulate} publishes a linked
 * population with planted cases, and both scenarios, running in the stack, find exactly those
 * cases; {@code peony linkage show} and {@code list} print them.
 */
class LinkageUpIT {
    private static final Duration START = Duration.ofMinutes(3);
    private static final Duration FOUND = Duration.ofMinutes(4);

    @TempDir
    Path dataDir;

    @Test
    void theScenariosFindExactlyTheCasesTheSimulatorPlanted() throws Exception {
        try (PeonyProcess peony = PeonyProcess.up(
                dataDir,
                "--simulate",
                "--simulate-rate",
                "100",
                "--simulate-applications",
                "1",
                "--simulate-seed",
                "13",
                "--simulate-people",
                "2000")) {
            Map<String, String> up = PeonyProcess.fields(peony.awaitLine("Peony is up:", START));
            peony.awaitLine("peony up: planted cases in", START);
            PlantedFile planted = PlantedFile.read(dataDir.resolve(PeonyStack.PLANTED_FILE));
            assertThat(planted.flags()).as("recipients planted with flags").hasSizeGreaterThan(10);
            assertThat(planted.statuses().values())
                    .as("pensioners planted in every status")
                    .contains(
                            CertificationStatus.CERTIFIED,
                            CertificationStatus.SUSPEND,
                            CertificationStatus.NEEDS_VISIT);
            Properties client = new Properties();
            client.put("bootstrap.servers", up.get("bootstrap.servers"));
            client.put("schema.registry.url", up.get("schema.registry.url"));

            Map<String, Set<ReviewFlagKind>> flagged = Map.of();
            Map<String, CertificationStatus> statuses = Map.of();
            long deadline = System.nanoTime() + FOUND.toNanos();
            do {
                Thread.sleep(1000);
                flagged = LinkageOutputs.flagged(LinkageOutputs.reviews(client).values());
                statuses =
                        statuses(LinkageOutputs.certifications(client).values().values());
            } while ((!flagged.equals(planted.flags()) || !statuses.equals(planted.statuses()))
                    && System.nanoTime() < deadline);
            assertThat(flagged).as("recipients flagged, by resident ID").isEqualTo(planted.flags());
            assertThat(statuses).as("pensioners' statuses, by resident ID").isEqualTo(planted.statuses());

            String[] cluster = {
                "--bootstrap-servers", up.get("bootstrap.servers"), "--registry-url", up.get("schema.registry.url")
            };
            String shown = PeonyProcess.runSucceeding(
                    peony,
                    Duration.ofMinutes(1),
                    command(cluster, "linkage", "show", "social-assistance-review", "--flagged", "--json"));
            JsonNode reviews = new ObjectMapper()
                    .readTree(shown.lines()
                            .filter(l -> l.startsWith("out: "))
                            .map(l -> l.substring(5))
                            .reduce("", (a, b) -> a + b + "\n"));
            assertThat(reviews.size()).isEqualTo(planted.flags().size());
            JsonNode first = reviews.get(0);
            assertThat(first.get("flags")
                            .get(0)
                            .get("evidence")
                            .get(0)
                            .get("topic")
                            .asText())
                    .startsWith("shared.");
            assertThat(first.get("flags").get(0).get("label").asText()).isNotBlank();

            String listed =
                    PeonyProcess.runSucceeding(peony, Duration.ofMinutes(1), command(cluster, "linkage", "list"));
            assertThat(listed)
                    .contains("social-assistance-review")
                    .contains(planted.flags().size() + " recipient(s) flagged")
                    .contains("pension-certification")
                    .contains(planted.statuses().size() + " pensioner(s)");
        }
    }

    private static Map<String, CertificationStatus> statuses(Iterable<PensionCertification> certifications) {
        Map<String, CertificationStatus> out = new TreeMap<>();
        certifications.forEach(c -> out.put(c.getResidentId(), c.getStatus()));
        return out;
    }

    private static List<String> command(String[] cluster, String... args) {
        List<String> all = new java.util.ArrayList<>(List.of(args));
        all.addAll(List.of(cluster));
        return all;
    }
}
