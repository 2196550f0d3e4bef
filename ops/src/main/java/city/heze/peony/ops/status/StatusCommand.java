package city.heze.peony.ops.status;

import city.heze.peony.ops.ClusterOptions;
import city.heze.peony.schemas.registry.SchemaRegistryClient;
import city.heze.peony.schemas.registry.SchemaRegistryClients;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code peony status}: for a running stack, the health of each part (Kafka, the registry, the
 * streams applications behind the metrics endpoint), how many records each topic holds, and the
 * current rates. Exit 0 when every part is up, 1 otherwise, so scripts can wait on it.
 */
@Command(
        name = "status",
        description = "Show the health of each part of a running Peony, topic counts and current rates.")
public final class StatusCommand implements Callable<Integer> {
    @Mixin
    ClusterOptions cluster;

    @Option(
            names = "--metrics-url",
            paramLabel = "URL",
            defaultValue = "${env:PEONY_METRICS_URL:-http://127.0.0.1:9464}",
            description = "Base URL of the metrics endpoint of peony up or peony validate (default ${DEFAULT-VALUE}).")
    String metricsUrl;

    @Override
    public Integer call() throws Exception {
        boolean allUp = true;
        System.out.println("PART       STATE  DETAIL");

        Map<String, Long> counts = null;
        var props = cluster.clientProperties();
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        try (Admin admin = Admin.create(props)) {
            int brokers =
                    admin.describeCluster().nodes().get(10, TimeUnit.SECONDS).size();
            line("kafka", true, brokers + " broker(s) at " + cluster.bootstrapServers());
            counts = TopicCounts.of(admin);
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
            System.out.println();
            System.out.printf("%-44s %12s%n", "TOPIC", "RECORDS");
            counts.forEach((topic, n) -> System.out.printf("%-44s %12d%n", topic, n));
        }
        return allUp ? 0 : 1;
    }

    private static void line(String part, boolean up, String detail) {
        System.out.printf("%-10s %-6s %s%n", part, up ? "UP" : "DOWN", detail);
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
