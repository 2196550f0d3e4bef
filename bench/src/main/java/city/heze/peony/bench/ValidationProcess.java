package city.heze.peony.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * {@code peony validate} in a JVM of its own, against the bench's broker and registry: validation as
 * it runs in production, where its pauses are its own and not those of a broker and clients sharing
 * its heap. The bench does not know how to start Peony's command line (the {@code ops} module builds
 * on this one); the caller hands the command over ({@link BenchHarness.Settings#validateCommand}).
 */
final class ValidationProcess implements AutoCloseable {
    /** The line {@code peony validate} prints once its application is RUNNING. */
    static final String RUNNING = "Validation is running";

    private static final long START_SECONDS = 120;

    private final Process process;
    private final Path log;

    private ValidationProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /**
     * Starts {@code command validate ...} for the application and waits until it is RUNNING.
     *
     * @param command the program and arguments that run Peony's command line ({@code java -cp ...
     *     PeonyCommand})
     * @param workDir where its client configuration and its output go
     */
    static ValidationProcess start(
            List<String> command,
            BenchCluster cluster,
            String applicationId,
            String guarantee,
            Path stateDir,
            Path workDir) {
        Properties client = cluster.clientProperties();
        Path config = workDir.resolve(applicationId + ".properties");
        Path log = workDir.resolve(applicationId + ".log");
        try (OutputStream out = Files.newOutputStream(config)) {
            client.store(out, "client configuration of the bench's cluster");
        } catch (IOException e) {
            throw new BenchFailure("cannot write " + config + ": " + e.getMessage(), e);
        }
        List<String> args = new ArrayList<>(command);
        args.addAll(List.of(
                "validate",
                "--client-config",
                config.toString(),
                "--bootstrap-servers",
                client.getProperty("bootstrap.servers"),
                "--registry-url",
                client.getProperty("schema.registry.url"),
                "--application-id",
                applicationId,
                "--guarantee",
                guarantee,
                "--state-dir",
                stateDir.resolve(applicationId).toString(),
                "--metrics-port",
                "0"));
        Process process;
        try {
            process = new ProcessBuilder(args)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
        } catch (IOException e) {
            throw new BenchFailure("cannot start " + String.join(" ", command) + ": " + e.getMessage(), e);
        }
        ValidationProcess started = new ValidationProcess(process, log);
        try {
            started.awaitRunning();
            return started;
        } catch (RuntimeException e) {
            started.close();
            throw e;
        }
    }

    private void awaitRunning() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_SECONDS);
        while (!output().contains(RUNNING)) {
            if (!process.isAlive()) {
                throw new BenchFailure(
                        "peony validate exited with code " + process.exitValue() + " before running: " + lastLines());
            }
            if (System.nanoTime() > deadline) {
                throw new BenchFailure(
                        "peony validate did not say it runs within " + START_SECONDS + " s: " + lastLines());
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                throw BenchCluster.interrupted(e);
            }
        }
    }

    /** Why the process cannot deliver (it exited), or null while it runs. */
    String failure() {
        return process.isAlive() ? null : "peony validate exited with code " + process.exitValue() + ": " + lastLines();
    }

    private String output() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private String lastLines() {
        List<String> lines = output().lines().toList();
        return String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
    }

    /** SIGTERM, as an operator stops it; killed if it has not stopped within 30 s. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            throw BenchCluster.interrupted(e);
        }
    }
}
