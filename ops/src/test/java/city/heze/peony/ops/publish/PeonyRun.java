package city.heze.peony.ops.publish;

import city.heze.peony.ops.PeonyCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
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
        return run(against(bootstrapServers, registryUrl, args));
    }

    /** {@code args...} followed by {@code --bootstrap-servers ... --registry-url ...}. */
    public static String[] against(String bootstrapServers, String registryUrl, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--bootstrap-servers", bootstrapServers, "--registry-url", registryUrl));
        return all.toArray(String[]::new);
    }

    /** Runs {@code peony args...} as given, capturing what the commands print through picocli's writers. */
    public static PeonyRun run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = PeonyCommand.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new PeonyRun(code, out.toString(), err.toString());
    }

    /** For assertion messages: the whole transcript. */
    @Override
    public String toString() {
        return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
}
