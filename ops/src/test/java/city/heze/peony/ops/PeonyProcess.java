package city.heze.peony.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The {@code ./peony} script run as a user runs it, in a child process, with its output captured
 * line by line. Integration tests use it to drive the real command line.
 */
public final class PeonyProcess implements AutoCloseable {
    private final Process process;
    private final BlockingQueue<String> stdout = new LinkedBlockingQueue<>();
    private final List<String> transcript = Collections.synchronizedList(new ArrayList<>());

    private PeonyProcess(Process process) {
        this.process = process;
        pump(process.getInputStream(), "out", true);
        pump(process.getErrorStream(), "err", false);
    }

    /** The repository root: the parent of the module the test runs in. */
    static Path repositoryRoot() {
        Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        while (dir != null && !Files.isExecutable(dir.resolve("peony"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("no ./peony script above " + System.getProperty("user.dir"));
        }
        return dir;
    }

    public static PeonyProcess start(String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(repositoryRoot().resolve("peony").toString());
        command.addAll(List.of(args));
        ProcessBuilder builder =
                new ProcessBuilder(command).directory(repositoryRoot().toFile());
        return new PeonyProcess(builder.start());
    }

    /**
     * Starts {@code peony up} with its data in {@code dataDir} and every port free (0), then the
     * {@code more} options ({@code --simulate ...}); await its {@code Peony is up:} line.
     */
    public static PeonyProcess up(Path dataDir, String... more) throws IOException {
        List<String> args = new ArrayList<>(List.of(
                "up",
                "--data-dir",
                dataDir.toString(),
                "--kafka-port",
                "0",
                "--registry-port",
                "0",
                "--metrics-port",
                "0"));
        args.addAll(List.of(more));
        return start(args.toArray(String[]::new));
    }

    /**
     * Runs a command (e.g. against the running {@code stack}) to completion, asserts it exited 0, and
     * returns its transcript; a failure shows both transcripts.
     */
    public static String runSucceeding(PeonyProcess stack, Duration timeout, List<String> args) throws Exception {
        try (PeonyProcess run = run(timeout, args.toArray(String[]::new))) {
            assertThat(run.exitCode())
                    .as("peony %s:%n%s%nstack:%n%s", String.join(" ", args), run.transcript(), stack.transcript())
                    .isZero();
            return run.transcript();
        }
    }

    /** Runs a command to completion and returns its exit code; output is in {@link #transcript()}. */
    public static PeonyProcess run(Duration timeout, String... args) throws Exception {
        PeonyProcess p = start(args);
        if (!p.process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            p.close();
            throw new AssertionError("peony " + String.join(" ", args) + " did not finish within " + timeout
                    + "; output:\n" + p.transcript());
        }
        return p;
    }

    private void pump(java.io.InputStream in, String tag, boolean queue) {
        Thread t = new Thread(
                () -> {
                    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                        String line;
                        while ((line = r.readLine()) != null) {
                            transcript.add(tag + ": " + line);
                            if (queue) {
                                stdout.add(line);
                            }
                        }
                    } catch (IOException e) {
                        transcript.add(tag + ": <closed: " + e.getMessage() + ">");
                    }
                },
                "peony-" + tag);
        t.setDaemon(true);
        t.start();
    }

    /** Waits for a stdout line starting with {@code prefix} and returns it. */
    public String awaitLine(String prefix, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            String line = stdout.poll(200, TimeUnit.MILLISECONDS);
            if (line != null && line.startsWith(prefix)) {
                return line;
            }
            if (line == null && !process.isAlive() && stdout.isEmpty()) {
                throw new AssertionError("peony exited with " + process.exitValue() + " before printing '" + prefix
                        + "'; output:\n" + transcript());
            }
        }
        throw new AssertionError("no line '" + prefix + "' within " + timeout + "; output:\n" + transcript());
    }

    /** Parses {@code key=value} pairs of a line such as {@code Peony is up: a=1 b=2}. */
    public static Map<String, String> fields(String line) {
        Map<String, String> map = new LinkedHashMap<>();
        for (String token : line.substring(line.indexOf(':') + 1).trim().split("\\s+")) {
            int eq = token.indexOf('=');
            if (eq > 0) {
                map.put(token.substring(0, eq), token.substring(eq + 1));
            }
        }
        return map;
    }

    /** Sends SIGTERM and waits for the exit code. */
    public int terminate(Duration timeout) throws InterruptedException {
        process.destroy(); // SIGTERM on Linux
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("peony did not exit within " + timeout + " of SIGTERM; output:\n" + transcript());
        }
        return process.exitValue();
    }

    /** Sends SIGKILL, as a crash or a pulled plug would stop it, and waits until it is gone. */
    public void kill(Duration timeout) throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("peony did not die within " + timeout + " of SIGKILL");
        }
    }

    public int exitCode() {
        return process.exitValue();
    }

    public String transcript() {
        synchronized (transcript) {
            return String.join("\n", transcript);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
