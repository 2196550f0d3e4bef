package city.heze.peony.ops.publish;

import city.heze.peony.ops.PeonyCommand;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs {@code peony} in this JVM, as the {@code ./peony} script would in a child process, and keeps
 * its exit code and what it printed. Integration tests of commands use it: a child process would
 * need the whole reactor built, and in-process runs leave the test's broker to the test.
 */
public record PeonyRun(int exitCode, String out, String err) {

    /** Runs {@code peony args...} against the given cluster and registry. */
    public static PeonyRun peony(String bootstrapServers, String registryUrl, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--bootstrap-servers", bootstrapServers, "--registry-url", registryUrl));
        return run(all.toArray(String[]::new));
    }

    /** Runs {@code peony args...} as given. Not thread-safe: it swaps System.out and System.err. */
    public static synchronized PeonyRun run(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
        ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        int code;
        try {
            System.setOut(new PrintStream(outBytes, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(errBytes, true, StandardCharsets.UTF_8));
            code = PeonyCommand.execute(args);
        } finally {
            System.out.flush();
            System.err.flush();
            System.setOut(out);
            System.setErr(err);
        }
        return new PeonyRun(code, outBytes.toString(StandardCharsets.UTF_8), errBytes.toString(StandardCharsets.UTF_8));
    }

    /** For assertion messages: the whole transcript. */
    @Override
    public String toString() {
        return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
}
