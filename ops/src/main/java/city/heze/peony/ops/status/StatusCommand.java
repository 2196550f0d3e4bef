package city.heze.peony.ops.status;

import city.heze.peony.avro.QualityReport;
import city.heze.peony.avro.TimelyShareRate;
import city.heze.peony.avro.common.QualityWindow;
import city.heze.peony.avro.common.RatePeriod;
import city.heze.peony.ops.ClusterCommand;
import city.heze.peony.ops.TopicSnapshot;
import city.heze.peony.schemas.CityZone;
import city.heze.peony.schemas.PeonySerdes;
import city.heze.peony.schemas.Topics;
import city.heze.peony.schemas.registry.SchemaRegistryClient;
import city.heze.peony.schemas.registry.SchemaRegistryClients;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code peony status}: for a running stack, the health of each part (Kafka, the registry, the
 * streams applications behind the metrics endpoint), how many offsets (or, with {@code --exact},
 * committed records) each topic holds, and the current rates. Exit 0 when every part is up, 1 otherwise, so scripts can wait on it.
 */
@Command(
        name = "status",
        description = "Show the health of each part of a running Peony, topic counts and current rates.")
public final class StatusCommand extends ClusterCommand {

    @Option(
            names = "--metrics-url",
            paramLabel = "URL",
            defaultValue = "${env:PEONY_METRICS_URL:-http://127.0.0.1:9464}",
            description = "Base URL of the metrics endpoint of peony up or peony validate (default ${DEFAULT-VALUE}).")
    String metricsUrl;

    @Option(
            names = "--exact",
            description = "Count each topic's committed records by reading it to its end (slower) instead of showing"
                    + " offsets, which also count transaction markers.")
    boolean exact;

    @Override
    public Integer call() throws Exception {
        boolean allUp = true;
        out().println("PART       STATE  DETAIL");

        Map<String, Long> counts = null;
        var props = cluster.clientProperties();
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        try (Admin admin = Admin.create(props)) {
            int brokers =
                    admin.describeCluster().nodes().get(10, TimeUnit.SECONDS).size();
            line("kafka", true, brokers + " broker(s) at " + cluster.bootstrapServers());
            counts = exact
                    ? TopicCounts.records(cluster.clientProperties(), TopicCounts.peonyTopics(admin))
                    : TopicCounts.offsets(admin);
        } catch (Exception e) {
            allUp = false;
            line("kafka", false, cluster.bootstrapServers() + ": " + rootMessage(e));
        }

        try (SchemaRegistryClient registry = SchemaRegistryClients.fromConfig(cluster.clientConfigs())) {
            int subjects = registry.subjects().size();
            line("registry", true, subjects + " subject(s) at " + cluster.registryUrl());
        } catch (RuntimeException e) {
            allUp = false;
            line("registry", false, cluster.registryUrl() + ": " + rootMessage(e));
        }

        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
        String healthUrl = metricsUrl.replaceAll("/+$", "") + "/-/healthy";
        try {
            HttpResponse<String> health = http.send(
                    HttpRequest.newBuilder(URI.create(healthUrl))
                            .timeout(Duration.ofSeconds(5))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            boolean up = health.statusCode() == 200;
            allUp &= up;
            line(
                    "health",
                    up,
                    healthUrl + " answered " + health.statusCode() + ": "
                            + health.body().strip());
        } catch (Exception e) {
            allUp = false;
            line("health", false, healthUrl + ": " + rootMessage(e));
        }

        if (counts != null) {
            out().println();
            // Offsets are not records (a commit marker takes one); say which one the column is.
            out().printf("%-44s %12s%n", "TOPIC", exact ? "RECORDS" : "OFFSETS");
            counts.forEach((topic, n) -> out().printf("%-44s %12d%n", topic, n));
            if (!exact) {
                out().println("(offsets include transaction markers; --exact counts the committed records)");
            }
            printRates();
        }
        return allUp ? 0 : 1;
    }

    /** The latest 30-day timely-share rate per provider and qualified rate per catalog (today). */
    private void printRates() {
        Properties client = cluster.clientProperties();
        PeonySerdes serdes = new PeonySerdes(cluster.clientConfigs());
        Map<String, TimelyShareRate> timely = new TreeMap<>();
        TopicSnapshot.read(
                client, Topics.SHARE_RATES.name(), serdes.timelyShareRate().deserializer(), (k, r) -> {
                    if (r != null && r.getPeriod() == RatePeriod.LAST_30_DAYS && r.getCatalogId() == null) {
                        timely.put(r.getProviderDepartment(), r);
                    }
                });
        out().println();
        out().printf("%-10s %8s %8s %13s%n", "PROVIDER", "DUE", "TIMELY", "TIMELY-RATE");
        timely.forEach((provider, r) ->
                out().printf("%-10s %8d %8d %13s%n", provider, r.getDue(), r.getTimely(), percent(r.getRate())));

        LocalDate today = LocalDate.now(CityZone.ZONE);
        Map<String, QualityReport> quality = new TreeMap<>();
        TopicSnapshot.read(client, Topics.QUALITY.name(), serdes.qualityReport().deserializer(), (k, r) -> {
            if (r != null
                    && r.getWindow() == QualityWindow.DAY
                    && r.getWindowStart().atZone(CityZone.ZONE).toLocalDate().equals(today)) {
                quality.put(r.getCatalogId(), r);
            }
        });
        out().println();
        out().printf("%-32s %10s %10s %14s%n", "CATALOG (TODAY)", "RECEIVED", "PASSED", "QUALIFIED-RATE");
        quality.forEach((catalog, r) -> out().printf(
                        "%-32s %10d %10d %14s%n",
                        catalog, r.getReceived(), r.getPassed(), percent(r.getQualifiedRate())));
    }

    private static String percent(Double ratio) {
        return ratio == null ? "-" : String.format("%.2f %%", ratio * 100);
    }

    private void line(String part, boolean up, String detail) {
        out().printf("%-10s %-6s %s%n", part, up ? "UP" : "DOWN", detail);
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
