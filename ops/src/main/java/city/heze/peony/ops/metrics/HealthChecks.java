package city.heze.peony.ops.metrics;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Readiness checks for {@link MetricsServer#addHealthCheck}: each answers within its timeout, so
 * that {@code /-/healthy} never hangs on a part that does not answer.
 */
public final class HealthChecks {
    private HealthChecks() {}

    /** Up while the streams application is RUNNING (not while it rebalances or restores). */
    public static Supplier<Boolean> streamsRunning(KafkaStreams streams) {
        return () -> streams.state() == KafkaStreams.State.RUNNING;
    }

    /** Up when the cluster answers a describe-cluster call within {@code timeout}. */
    public static Supplier<Boolean> brokerReachable(Admin admin, Duration timeout) {
        int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        return () -> {
            try {
                return admin.describeCluster(new DescribeClusterOptions().timeoutMs(millis))
                                .clusterId()
                                .get(timeout.toMillis(), TimeUnit.MILLISECONDS)
                        != null;
            } catch (ExecutionException | TimeoutException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        };
    }

    /**
     * Up when the schema registry at {@code registryUrl} answers {@code GET /subjects} with 200
     * within {@code timeout}.
     */
    public static Supplier<Boolean> registryAnswering(String registryUrl, Duration timeout) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(timeout).build();
        String base = registryUrl.endsWith("/") ? registryUrl.substring(0, registryUrl.length() - 1) : registryUrl;
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/subjects"))
                .timeout(timeout)
                .GET()
                .build();
        return () -> {
            try {
                // A registry that asks for credentials (401) is up all the same: health is not access.
                int status = client.send(request, HttpResponse.BodyHandlers.discarding())
                        .statusCode();
                return status == 200 || status == 401;
            } catch (java.io.IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        };
    }
}
