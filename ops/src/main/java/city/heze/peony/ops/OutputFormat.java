package city.heze.peony.ops;

import picocli.CommandLine.Option;

/** The {@code --json} option of the commands that show what is on a topic: text for people, JSON for scripts. */
public final class OutputFormat {
    @Option(names = "--json", description = "Print JSON instead of text for people.")
    boolean json;

    public boolean json() {
        return json;
    }
}
