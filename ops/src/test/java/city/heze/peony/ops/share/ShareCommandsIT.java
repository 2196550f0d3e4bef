package city.heze.peony.ops.share;

import static org.assertj.core.api.Assertions.assertThat;

import city.heze.peony.ops.LocalPeony;
import city.heze.peony.ops.TopicProvisioner;
import city.heze.peony.ops.publish.PeonyRun;
import city.heze.peony.schemas.ClientConfigs;
import city.heze.peony.schemas.Topics;
import city.heze.peony.streams.share.ShareSlaApp;
import city.heze.peony.streams.share.ShareSlaSettings;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The share commands as a user runs them, against a real broker, registry and share SLA
 * application: applications submitted with past times around the 2025 National Day holiday,
 * answered, withdrawn and left unanswered, then listed and rated.
 */
class ShareCommandsIT {
    private static final Path CATALOGS = Path.of("catalog").toAbsolutePath();
    private static final Duration WAIT = Duration.ofMinutes(2); // a loaded 2-core machine
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dataDir;

    static LocalPeony cluster;
    static ShareSlaApp app;

    @BeforeAll
    static void start() throws Exception {
        cluster = LocalPeony.start(dataDir.resolve("kafka"));
        assertThat(peony(
                                "catalog",
                                "register",
                                CATALOGS.resolve("mz.social-assistance.yaml").toString(),
                                CATALOGS.resolve("mz.marriage-registration.yaml")
                                        .toString(),
                                CATALOGS.resolve("rs.employment-registration.yaml")
                                        .toString())
                        .exitCode())
                .isZero();
        Properties client = cluster.client();
        // wj and ga apply below but have no catalog here, so nothing created their share topics: on a
        // secured stack `peony department add` would.
        try (Admin admin = Admin.create(ClientConfigs.kafkaOnly(client))) {
            TopicProvisioner topics = new TopicProvisioner(admin, (short) 1);
            topics.ensure(Topics.shareIngressTopicsOf("wj"));
            topics.ensure(Topics.shareIngressTopicsOf("ga"));
        }
        app = ShareSlaApp.start(
                client,
                dataDir.resolve("share-state"),
                ShareSlaSettings.defaults().withIntervals(Duration.ofMillis(200), Duration.ofMillis(200)),
                new SimpleMeterRegistry());
        assertThat(app.awaitRunning(WAIT)).isTrue();
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    /** Runs {@code peony ARGS --bootstrap-servers ... --registry-url ...} in this JVM, capturing its output. */
    static PeonyRun peony(String... args) {
        return PeonyRun.peony(cluster.bootstrapServers(), cluster.registryUrl(), args);
    }

    private static Map<String, String> fields(String line) {
        Map<String, String> map = new HashMap<>();
        Matcher m = Pattern.compile("([a-z-]+)=(\\S+)").matcher(line);
        while (m.find()) {
            map.put(m.group(1), m.group(2));
        }
        return map;
    }

    /** Runs a --json command until its output satisfies {@code done}. */
    private static JsonNode awaitJson(Predicate<JsonNode> done, String... args) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            PeonyRun run = peony(args);
            assertThat(run.exitCode()).as(run.err()).isZero();
            last = JSON.readTree(run.out());
            if (done.test(last)) {
                return last;
            }
            Thread.sleep(300);
        }
        throw new AssertionError("peony " + String.join(" ", args) + " never showed what was expected; last: " + last);
    }

    private static JsonNode byId(JsonNode list, String id) {
        for (JsonNode n : list) {
            if (id.equals(n.path("applicationId").asText())) {
                return n;
            }
        }
        return null;
    }

    private static JsonNode day(JsonNode rates, String label) {
        for (JsonNode n : rates) {
            if (label.equals(n.path("label").asText())) {
                return n;
            }
        }
        return null;
    }

    private static boolean hasStatus(JsonNode list, String id, String status) {
        JsonNode n = byId(list, id);
        return n != null && status.equals(n.path("status").asText());
    }

    @Test
    void applicationsAreSubmittedAnsweredListedAndRated() throws Exception {
        // 5 working days (the catalog's): Sep 28 (a worked Sunday), 29, 30, Oct 9, 10.
        PeonyRun timely = peony(
                "share",
                "request",
                "--from",
                "rs",
                "--catalog",
                "mz.social-assistance",
                "--purpose",
                "低保家庭经济状况核对",
                "--submitted-at",
                "2025-09-26T10:00",
                "--id",
                "IT-TIMELY");
        assertThat(timely.exitCode()).as(timely.err()).isZero();
        assertThat(fields(timely.out()))
                .containsEntry("id", "IT-TIMELY")
                .containsEntry("deadline", "2025-10-10T23:59:59.999+08:00")
                .containsEntry("working-days", "5")
                .containsEntry("provider", "mz");

        PeonyRun never = peony(
                "share",
                "request",
                "--from",
                "wj",
                "--catalog",
                "mz.social-assistance",
                "--purpose",
                "死亡人员待遇核查",
                "--submitted-at",
                "2025-09-26T10:00:00+08:00",
                "--id",
                "IT-NEVER");
        assertThat(never.exitCode()).as(never.err()).isZero();

        // A date alone is its first moment in Asia/Shanghai; 10 working days: Oct 9-11, 13-17, 20, 21.
        PeonyRun generated = peony(
                "share",
                "request",
                "--from",
                "ga",
                "--catalog",
                "mz.marriage-registration",
                "--purpose",
                "户籍变更核验",
                "--submitted-at",
                "2025-09-30");
        assertThat(generated.exitCode()).as(generated.err()).isZero();
        Map<String, String> g = fields(generated.out());
        assertThat(g.get("id")).matches("sq-20250930-[0-9a-f]{8}");
        assertThat(g).containsEntry("deadline", "2025-10-21T23:59:59.999+08:00").containsEntry("working-days", "10");
        String withdrawnId = g.get("id");

        PeonyRun open = peony(
                "share",
                "request",
                "--from",
                "rs",
                "--catalog",
                "mz.marriage-registration",
                "--purpose",
                "婚姻状况核验",
                "--id",
                "IT-OPEN");
        assertThat(open.exitCode()).as(open.err()).isZero();
        String openDeadline = fields(open.out()).get("deadline");

        PeonyRun unconditional = peony(
                "share", "request", "--from", "mz", "--catalog", "rs.employment-registration", "--purpose", "就业核验");
        assertThat(unconditional.exitCode()).isEqualTo(1);
        assertThat(unconditional.err()).contains("UNCONDITIONAL").contains("without an application");
        PeonyRun unknown = peony("share", "request", "--from", "mz", "--catalog", "no.such", "--purpose", "x");
        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(unknown.err()).contains("--catalog no.such: no such catalog").contains("mz.social-assistance");

        PeonyRun bare = peony("share", "decide", "IT-TIMELY", "--refuse");
        assertThat(bare.exitCode()).isEqualTo(2);
        assertThat(bare.err()).contains("--refuse needs --reason");
        PeonyRun refused = peony(
                "share",
                "decide",
                "IT-TIMELY",
                "--refuse",
                "--reason",
                "超出共享范围",
                "--decided-at",
                "2025-10-10T23:59",
                "--by",
                "mz");
        assertThat(refused.exitCode()).as(refused.err()).isZero();
        assertThat(refused.out()).contains("decision=REFUSED").contains("at=2025-10-10T23:59+08:00");
        PeonyRun withdrawn = peony("share", "withdraw", withdrawnId, "--withdrawn-at", "2025-10-09T09:00");
        assertThat(withdrawn.exitCode()).as(withdrawn.err()).isZero();
        // Nobody can tell who decides an application that does not exist: --by says it.
        PeonyRun whoDecides = peony("share", "decide", "IT-NO-REQUEST", "--approve", "--decided-at", "2025-10-09");
        assertThat(whoDecides.exitCode()).isEqualTo(1);
        assertThat(whoDecides.err())
                .contains("cannot tell which department decides IT-NO-REQUEST")
                .contains("--by");
        PeonyRun orphan =
                peony("share", "decide", "IT-NO-REQUEST", "--approve", "--decided-at", "2025-10-09", "--by", "mz");
        assertThat(orphan.exitCode()).as(orphan.err()).isZero();

        JsonNode list = awaitJson(
                l -> hasStatus(l, "IT-TIMELY", "TIMELY")
                        && hasStatus(l, "IT-NEVER", "OVERDUE")
                        && hasStatus(l, withdrawnId, "WITHDRAWN"),
                "share",
                "list",
                "--json");
        assertThat(byId(list, "IT-TIMELY").path("reason").asText()).isEqualTo("超出共享范围");
        assertThat(byId(list, "IT-TIMELY").path("deadline").asText()).isEqualTo("2025-10-10T23:59:59.999+08:00");
        assertThat(byId(list, "IT-NEVER").path("answeredAt").isNull()).isTrue();
        assertThat(byId(list, "IT-OPEN").path("status").asText()).isEqualTo("OPEN");
        assertThat(byId(list, "IT-OPEN").path("deadline").asText()).isEqualTo(openDeadline);
        assertThat(byId(list, "IT-NO-REQUEST").path("status").asText()).isEqualTo("UNMATCHED");
        // What it is for and who asked: a department finds its application without keeping the id.
        assertThat(byId(list, "IT-TIMELY").path("purpose").asText()).isEqualTo("低保家庭经济状况核对");
        assertThat(byId(list, "IT-TIMELY").path("requester").asText()).isEqualTo("rs");
        assertThat(byId(list, "IT-OPEN").path("purpose").asText()).isEqualTo("婚姻状况核验");
        assertThat(byId(list, "IT-NO-REQUEST").path("purpose").isNull()).isTrue();
        PeonyRun listed = peony("share", "list");
        assertThat(listed.exitCode()).as(listed.err()).isZero();
        assertThat(listed.out().lines().findFirst().orElseThrow())
                .contains("FROM")
                .contains("PURPOSE");
        assertThat(listed.out()
                        .lines()
                        .filter(l -> l.startsWith("IT-TIMELY "))
                        .findFirst()
                        .orElseThrow())
                .contains(" rs ")
                .contains("低保家庭经济状况核对");

        PeonyRun overdueOnly = peony("share", "list", "--status", "overdue", "--provider", "mz");
        assertThat(overdueOnly.exitCode()).as(overdueOnly.err()).isZero();
        assertThat(overdueOnly.out())
                .contains("IT-NEVER")
                .doesNotContain("IT-TIMELY")
                .contains("1 application(s), 1 OVERDUE");

        // Oct 10: IT-TIMELY (refused with a reason in the deadline's last minute) and IT-NEVER (overdue).
        // (Oct 21 may show due 0: the withdrawn application could be OVERDUE for a moment before its
        // withdrawal, dated before the deadline, arrived; withdrawn ones never count.)
        JsonNode rates = awaitJson(
                r -> day(r, "2025-10-10") != null
                        && day(r, "2025-10-10").path("due").asLong() == 2,
                "rates",
                "--provider",
                "mz",
                "--catalog",
                "*",
                "--period",
                "day",
                "--json");
        JsonNode oct10 = day(rates, "2025-10-10");
        assertThat(oct10.path("timely").asLong()).isEqualTo(1);
        assertThat(oct10.path("overdue").asLong()).isEqualTo(1);
        assertThat(oct10.path("rate").asDouble()).isEqualTo(0.5);
        for (JsonNode r : rates) {
            if (!r.path("label").asText().equals("2025-10-10")) {
                assertThat(r.path("due").asLong()).as(r.toString()).isZero();
                assertThat(r.path("rate").isNull()).isTrue();
            }
        }

        PeonyRun table = peony("rates", "--provider", "mz", "--period", "month");
        assertThat(table.exitCode()).as(table.err()).isZero();
        assertThat(table.out())
                .containsPattern("mz +\\* +MONTH +2025-10 +2 +1 +0 +1 +50\\.0%")
                .containsPattern("mz +mz.social-assistance +MONTH +2025-10 +2 +1 +0 +1 +50\\.0%");
    }
}
