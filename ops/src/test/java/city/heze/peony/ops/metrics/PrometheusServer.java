package city.heze.peony.ops.metrics;

import city.heze.peony.testkit.ExternalCommands;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;
import java.util.function.DoublePredicate;

/**
 * A real Prometheus server (Debian's {@code prometheus} package) for integration tests: it runs
 * with Peony's own {@code ops/prometheus/prometheus.yml} and rule files, scraping the targets the
 * test names every second, on a free port with its data in a temporary folder. Tests ask it
 * questions through its HTTP API as Grafana would.
 *
 * <pre>{@code
 * try (PrometheusServer prometheus = PrometheusServer.start(tempDir, "127.0.0.1:" + metrics.port())) {
 *     double rate = prometheus.awaitValue("peony_share_timely_ratio{provider=\"mz\"}", Duration.ofSeconds(30));
 * }
 * }</pre>
 */
public final class PrometheusServer implements AutoCloseable {
    /** The one on the PATH (Debian's package puts it in /usr/bin); {@code -Dpeony.prometheus=PATH} for another one. */
    public static final Path BINARY = ExternalCommands.path("prometheus", "peony.prometheus");

    private static final Duration START = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Process process;
    private final String url;
    private final Path log;

    private PrometheusServer(Process process, String url, Path log) {
        this.process = process;
        this.url = url;
        this.log = log;
    }

    /** Scrapes {@code targets} ({@code host:port}) with the configuration in {@code ops/prometheus/}. */
    public static PrometheusServer start(Path workDir, String... targets) throws IOException, InterruptedException {
        return start(
                DashboardMetricsCheck.opsDirectory().resolve("prometheus/prometheus.yml"), workDir, List.of(targets));
    }

    /**
     * Runs Prometheus with {@code config}, changed only where a test must: the scrape and
     * evaluation intervals become 1 s, the {@code peony} job scrapes {@code targets}, and rule
     * file globs are made absolute.
     */
    public static PrometheusServer start(Path config, Path workDir, List<String> targets)
            throws IOException, InterruptedException {
        requireBinary(BINARY);
        Files.createDirectories(workDir);
        Path testConfig = workDir.resolve("prometheus.yml");
        Files.writeString(testConfig, testConfig(config, targets));
        int port = freePort();
        Path log = workDir.resolve("prometheus.log");
        Process process = new ProcessBuilder(
                        BINARY.toString(),
                        "--config.file=" + testConfig,
                        "--storage.tsdb.path=" + workDir.resolve("data"),
                        "--web.listen-address=127.0.0.1:" + port,
                        "--log.level=warn")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        PrometheusServer server = new PrometheusServer(process, "http://127.0.0.1:" + port, log);
        try {
            server.awaitReady();
        } catch (RuntimeException | Error e) {
            server.close();
            throw e;
        }
        return server;
    }

    static void requireBinary(Path binary) {
        if (!Files.isExecutable(binary)) {
            throw new AssertionError(binary + " is missing: these tests run a real Prometheus server."
                    + " .ci/run installs it from Debian's packages (apt-get install prometheus);"
                    + " do the same here, or point -Dpeony.prometheus at one.");
        }
    }

    static String testConfig(Path config, List<String> targets) throws IOException {
        YAMLMapper yaml = new YAMLMapper();
        ObjectNode root = (ObjectNode) yaml.readTree(config.toFile());
        ObjectNode global = root.withObjectProperty("global");
        global.put("scrape_interval", "1s");
        global.put("evaluation_interval", "1s");
        ArrayNode rules = root.putArray("rule_files");
        for (JsonNode glob : yaml.readTree(config.toFile()).path("rule_files")) {
            rules.add(config.toAbsolutePath().getParent().resolve(glob.asText()).toString());
        }
        boolean found = false;
        for (JsonNode job : root.path("scrape_configs")) {
            if (job.path("job_name").asText().equals("peony")) {
                ArrayNode staticConfigs = ((ObjectNode) job).putArray("static_configs");
                ArrayNode list = staticConfigs.addObject().putArray("targets");
                targets.forEach(list::add);
                found = true;
            }
        }
        if (!found) {
            throw new IllegalArgumentException(config + " has no scrape job named 'peony'");
        }
        return yaml.writeValueAsString(root);
    }

    /** {@code http://127.0.0.1:PORT}. */
    public String url() {
        return url;
    }

    /** GET {@code path} of the HTTP API (e.g. {@code /api/v1/rules}), its {@code data} on success. */
    public JsonNode api(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create(url + path))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode body = JSON.readTree(response.body());
        if (response.statusCode() != 200
                || !"success".equals(body.path("status").asText())) {
            throw new AssertionError(
                    "Prometheus answered " + response.statusCode() + " to " + path + ": " + response.body());
        }
        return body.path("data");
    }

    /** The result vector of an instant query. */
    public JsonNode queryResult(String promql) throws IOException, InterruptedException {
        return api("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8))
                .path("result");
    }

    /** The value of the first sample an instant query returns; empty when it returns none. */
    public OptionalDouble query(String promql) throws IOException, InterruptedException {
        JsonNode result = queryResult(promql);
        if (result.isEmpty()) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(
                Double.parseDouble(result.get(0).path("value").get(1).asText()));
    }

    /** Polls {@link #query} until it returns a value. */
    public double awaitValue(String promql, Duration timeout) throws IOException, InterruptedException {
        return awaitValue(promql, v -> true, timeout);
    }

    /** Polls {@link #query} until it returns a value that {@code accept}s. */
    public double awaitValue(String promql, DoublePredicate accept, Duration timeout)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        OptionalDouble last = OptionalDouble.empty();
        while (System.nanoTime() < deadline) {
            last = query(promql);
            if (last.isPresent() && accept.test(last.getAsDouble())) {
                return last.getAsDouble();
            }
            TimeUnit.MILLISECONDS.sleep(250);
        }
        throw new AssertionError("Prometheus did not answer " + promql + " as expected within " + timeout
                + "; last answer: " + (last.isPresent() ? last.getAsDouble() : "no sample") + "; targets: "
                + api("/api/v1/targets").path("activeTargets"));
    }

    private void awaitReady() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("Prometheus exited with " + process.exitValue() + ":\n" + log());
            }
            try {
                HttpResponse<Void> ready = HTTP.send(
                        HttpRequest.newBuilder(URI.create(url + "/-/ready"))
                                .timeout(Duration.ofSeconds(2))
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
                if (ready.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
        throw new AssertionError("Prometheus was not ready within " + START + ":\n" + log());
    }

    /** What Prometheus logged (warnings and errors). */
    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Stops Prometheus (SIGTERM, then SIGKILL after 10 s). */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
