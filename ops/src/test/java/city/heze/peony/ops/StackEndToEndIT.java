package city.heze.peony.ops;

import static org.assertj.core.api.Assertions.assertThat;

import city.heze.peony.avro.QualityReport;
import city.heze.peony.avro.TimelyShareRate;
import city.heze.peony.avro.common.QualityWindow;
import city.heze.peony.avro.common.RatePeriod;
import city.heze.peony.schemas.ClientConfigs;
import city.heze.peony.schemas.PeonySerdes;
import city.heze.peony.schemas.Topics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole stack as a user starts it, fed by the simulator with a known number of records: the
 * counters on {@code /metrics} add up to what was published, and the ratios on {@code /metrics}
 * are the ones on {@code peony.quality} and {@code peony.share.rates}.
 */
class StackEndToEndIT {
    private static final int RECORDS = 1500;
    private static final Duration START = Duration.ofMinutes(3);
    private static final Duration SETTLE = Duration.ofMinutes(3);
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{([^}]*)})? (\\S+)$");

    @TempDir
    Path dataDir;

    @Test
    void countersAddUpAndRatiosMatchTheTopics() throws Exception {
        try (PeonyProcess peony = PeonyProcess.up(
                dataDir,
                "--simulate",
                "--simulate-rate",
                "300",
                "--simulate-applications",
                "20",
                "--simulate-count",
                Integer.toString(RECORDS),
                "--simulate-seed",
                "42",
                // the counters must add up to the random records; the linked population has its own test
                "--simulate-people",
                "0")) {
            Map<String, String> up = PeonyProcess.fields(peony.awaitLine("Peony is up:", START));
            String metricsUrl = up.get("metrics");
            Properties client = new Properties();
            client.put("bootstrap.servers", up.get("bootstrap.servers"));
            client.put("schema.registry.url", up.get("schema.registry.url"));

            // Every simulated record is received once, and ends shared or rejected.
            Map<String, Double> totals = awaitScrape(
                            metricsUrl,
                            s -> s.sum("peony_records_received_total") == RECORDS
                                    && s.sum("peony_records_shared_total") + s.sum("peony_records_rejected_total")
                                            == RECORDS,
                            peony)
                    .totals();
            assertThat(totals.get("peony_records_received_total")).isEqualTo(RECORDS);
            assertThat(totals.get("peony_records_shared_total") + totals.get("peony_records_rejected_total"))
                    .isEqualTo(RECORDS);
            assertThat(totals.get("peony_records_rejected_total")).isPositive();
            // The counters move when a record is processed; a read_committed reader sees the record
            // after the transaction commits (commit.interval.ms later), so read until the topic agrees.
            long rejected = totals.get("peony_records_rejected_total").longValue();
            long onTopic = awaitCount(client, Topics.REJECTED.name(), rejected);
            assertThat(onTopic)
                    .as("committed records on %s", Topics.REJECTED.name())
                    .isEqualTo(rejected);

            // `peony status --exact` counts records, not offsets (a commit marker takes one): every raw
            // record is shared or rejected, exactly. Without --exact the column says it shows offsets.
            String[] cluster = {
                "--bootstrap-servers", up.get("bootstrap.servers"),
                "--registry-url", up.get("schema.registry.url"),
                "--metrics-url", metricsUrl.replace("/metrics", "")
            };
            // Each processing task commits on its own: run it until the last commit is in.
            long settled = System.nanoTime() + SETTLE.toNanos();
            Map<String, Long> exact;
            long raw;
            long shared;
            do {
                exact = topicColumn(status(peony, cluster, "--exact"), "RECORDS");
                raw = sumByPrefix(exact, Topics.RAW_PREFIX);
                shared = sumByPrefix(exact, Topics.SHARED_PREFIX);
            } while ((raw != RECORDS || shared + exact.getOrDefault(Topics.REJECTED.name(), 0L) != RECORDS)
                    && System.nanoTime() < settled);
            assertThat(raw)
                    .as("records on raw.* per peony status --exact: %s", exact)
                    .isEqualTo(RECORDS);
            assertThat(shared + exact.get(Topics.REJECTED.name()))
                    .as("shared.* + peony.rejected per peony status --exact: %s", exact)
                    .isEqualTo(RECORDS);
            assertThat(topicColumn(status(peony, cluster), "OFFSETS")).containsKeys(Topics.REJECTED.name());

            // The qualified ratio on /metrics is today's DAY scorecard on peony.quality.
            String today = LocalDate.now(ZoneId.of("Asia/Shanghai")).toString();
            Scrape matched = awaitScrape(
                    metricsUrl,
                    s -> {
                        Map<String, QualityReport> reports = latestDayReports(client, today);
                        return !reports.isEmpty()
                                && reports.entrySet().stream()
                                        .allMatch(e -> equal(
                                                s.value("peony_quality_qualified_ratio", "catalog", e.getKey()),
                                                e.getValue().getQualifiedRate()));
                    },
                    peony);
            assertThat(latestDayReports(client, today)).isNotEmpty();

            // The timely-share ratio on /metrics is the LAST_30_DAYS rate of each provider on peony.share.rates.
            awaitScrape(
                    metricsUrl,
                    s -> {
                        Map<String, TimelyShareRate> rates = latestThirtyDayRates(client);
                        return !rates.isEmpty()
                                && rates.entrySet().stream()
                                        .allMatch(e -> equal(
                                                s.value("peony_share_timely_ratio", "provider", e.getKey()),
                                                e.getValue().getRate()));
                    },
                    peony);
            assertThat(matched.sum("peony_quality_qualified_ratio")).isPositive();

            assertThat(peony.terminate(Duration.ofSeconds(30))).isZero();
        }
    }

    private static String status(PeonyProcess stack, String[] cluster, String... more) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("status"));
        args.addAll(List.of(cluster));
        args.addAll(List.of(more));
        return PeonyProcess.runSucceeding(stack, Duration.ofMinutes(2), args);
    }

    /** The TOPIC table of {@code peony status}, whose count column is headed {@code column}. */
    private static Map<String, Long> topicColumn(String transcript, String column) {
        Map<String, Long> counts = new java.util.TreeMap<>();
        boolean inTable = false;
        for (String line : transcript.split("\n")) {
            String text = line.startsWith("out: ") ? line.substring(5) : "";
            if (text.matches("TOPIC\\s+" + column)) {
                inTable = true;
            } else if (inTable && text.isBlank()) {
                break;
            } else if (inTable && text.matches("\\S+\\s+\\d+")) {
                String[] cells = text.split("\\s+");
                counts.put(cells[0], Long.parseLong(cells[1]));
            }
        }
        assertThat(counts).as("a TOPIC %s table in:%n%s", column, transcript).isNotEmpty();
        return counts;
    }

    private static long sumByPrefix(Map<String, Long> counts, String prefix) {
        return counts.entrySet().stream()
                .filter(e -> e.getKey().startsWith(prefix))
                .mapToLong(Map.Entry::getValue)
                .sum();
    }

    private static boolean equal(Double fromMetrics, Double fromTopic) {
        if (fromTopic == null) {
            return fromMetrics == null || fromMetrics.isNaN();
        }
        return fromMetrics != null && Math.abs(fromMetrics - fromTopic) < 1e-9;
    }

    /** The latest DAY scorecard of today per catalog. */
    private static Map<String, QualityReport> latestDayReports(Properties client, String today) {
        Map<String, QualityReport> latest = new HashMap<>();
        read(
                client,
                Topics.QUALITY.name(),
                new PeonySerdes(ClientConfigs.toMap(client)).qualityReport().deserializer(),
                (k, r) -> {
                    if (r.getWindow() == QualityWindow.DAY
                            && r.getWindowStart()
                                    .atZone(ZoneId.of("Asia/Shanghai"))
                                    .toLocalDate()
                                    .toString()
                                    .equals(today)) {
                        latest.put(r.getCatalogId(), r);
                    }
                });
        return latest;
    }

    /** The latest all-catalog LAST_30_DAYS rate per provider. */
    private static Map<String, TimelyShareRate> latestThirtyDayRates(Properties client) {
        Map<String, TimelyShareRate> latest = new HashMap<>();
        read(
                client,
                Topics.SHARE_RATES.name(),
                new PeonySerdes(ClientConfigs.toMap(client)).timelyShareRate().deserializer(),
                (k, r) -> {
                    if (r != null && r.getPeriod() == RatePeriod.LAST_30_DAYS && r.getCatalogId() == null) {
                        latest.put(r.getProviderDepartment(), r);
                    }
                });
        return latest;
    }

    /** Counts the committed records of {@code topic} until there are {@code expected}, or SETTLE ends. */
    private static long awaitCount(Properties client, String topic, long expected) throws InterruptedException {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        long n = countRecords(client, topic);
        while (n != expected && System.nanoTime() < deadline) {
            Thread.sleep(500);
            n = countRecords(client, topic);
        }
        return n;
    }

    private static long countRecords(Properties client, String topic) {
        long[] n = {0};
        read(
                client,
                topic,
                new PeonySerdes(ClientConfigs.toMap(client)).rejection().deserializer(),
                (k, v) -> n[0]++);
        return n[0];
    }

    /** Every record of {@code topic} as it is now, committed only; none may be undecodable. */
    private static <V> void read(Properties client, String topic, Deserializer<V> values, BiConsumer<String, V> each) {
        assertThat(TopicSnapshot.read(client, topic, values, each))
                .as("undecodable records on %s", topic)
                .isZero();
    }

    /** One scrape of /metrics: samples by name and labels. */
    record Scrape(Map<String, Map<String, Double>> samples) {
        static Scrape parse(String text) {
            Map<String, Map<String, Double>> samples = new HashMap<>();
            for (String line : text.split("\n")) {
                Matcher m = SAMPLE.matcher(line);
                if (!line.startsWith("#") && m.matches()) {
                    samples.computeIfAbsent(m.group(1), k -> new HashMap<>())
                            .put(m.group(3) == null ? "" : m.group(3), Double.parseDouble(m.group(4)));
                }
            }
            return new Scrape(samples);
        }

        double sum(String name) {
            return samples.getOrDefault(name, Map.of()).values().stream()
                    .mapToDouble(Double::doubleValue)
                    .sum();
        }

        /** The value of the sample whose labels include {@code label="value"}; null if none. */
        Double value(String name, String label, String value) {
            String wanted = label + "=\"" + value + "\"";
            return samples.getOrDefault(name, Map.of()).entrySet().stream()
                    .filter(e -> List.of(e.getKey().split(",")).contains(wanted))
                    .map(Map.Entry::getValue)
                    .findFirst()
                    .orElse(null);
        }

        Map<String, Double> totals() {
            Map<String, Double> totals = new HashMap<>();
            samples.keySet().forEach(n -> totals.put(n, sum(n)));
            return totals;
        }
    }

    private static Scrape awaitScrape(String url, java.util.function.Predicate<Scrape> done, PeonyProcess peony)
            throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + SETTLE.toNanos();
        Scrape last = null;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r =
                    http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
            last = Scrape.parse(r.body());
            if (done.test(last)) {
                return last;
            }
            Thread.sleep(1000);
        }
        throw new AssertionError("the scrape never matched within " + SETTLE + "; received="
                + (last == null ? "-" : last.sum("peony_records_received_total")) + " shared="
                + (last == null ? "-" : last.sum("peony_records_shared_total")) + " rejected="
                + (last == null ? "-" : last.sum("peony_records_rejected_total")) + "\n" + peony.transcript());
    }
}
