package city.heze.peony.ops;

import static org.assertj.core.api.Assertions.assertThat;

import city.heze.peony.ops.StackEndToEndIT.Scrape;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a user sees on the console of {@code peony up --simulate}: no ERROR line and no stack trace
 * while everything works, also when the stack is started again on the data of one that was killed
 * (an unclean stop leaves Kafka Streams state without checkpoints, which it recovers by itself).
 */
class PeonyUpConsoleIT {
    private static final int RECORDS = 600;
    private static final Duration START = Duration.ofMinutes(3);
    private static final Duration PROCESS = Duration.ofMinutes(3);
    /** A log line at ERROR, as the console pattern writes it ({@code HH:mm:ss.SSS LEVEL logger - msg}). */
    private static final Pattern ERROR_LINE = Pattern.compile("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} ERROR ");

    @TempDir
    Path dataDir;

    @Test
    void aSimulatedRunThenAKilledOneAndItsRestartPrintNoErrorAndNoStackTrace() throws Exception {
        // A clean run, to the last simulated record, then a clean stop.
        try (PeonyProcess peony = up()) {
            awaitProcessed(peony);
            assertThat(peony.terminate(Duration.ofSeconds(30)))
                    .as(peony.transcript())
                    .isZero();
            assertQuiet("a clean run", peony);
        }
        // The same data, killed mid-run: state stores are left without checkpoints.
        try (PeonyProcess peony = up()) {
            awaitProcessed(peony);
            peony.kill(Duration.ofSeconds(30));
            assertQuiet("the run that was then killed", peony);
        }
        // Started again on what the kill left: it recovers without alarming anyone.
        try (PeonyProcess peony = up()) {
            awaitProcessed(peony);
            assertThat(peony.terminate(Duration.ofSeconds(30)))
                    .as(peony.transcript())
                    .isZero();
            assertQuiet("the restart after the kill", peony);
        }
    }

    private PeonyProcess up() throws Exception {
        PeonyProcess peony = PeonyProcess.up(
                dataDir,
                "--simulate",
                "--simulate-rate",
                "200",
                "--simulate-applications",
                "10",
                "--simulate-count",
                Integer.toString(RECORDS),
                "--simulate-seed",
                "20251009",
                // the console counts the random records; the linked population has its own test
                "--simulate-people",
                "0");
        peony.awaitLine("Peony is up:", START);
        return peony;
    }

    /** Waits until every simulated record of this run was validated (shared or rejected). */
    private static void awaitProcessed(PeonyProcess peony) throws Exception {
        String metricsUrl = metricsUrl(peony);
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + PROCESS.toNanos();
        Scrape last = null;
        while (System.nanoTime() < deadline) {
            try {
                last = Scrape.parse(http.send(
                                HttpRequest.newBuilder(URI.create(metricsUrl)).build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body());
                if (last.sum("peony_records_shared_total") + last.sum("peony_records_rejected_total") >= RECORDS) {
                    return;
                }
            } catch (java.io.IOException busy) {
                // a loaded machine may refuse a connection now and then; the deadline still holds
            }
            Thread.sleep(1000);
        }
        throw new AssertionError("the " + RECORDS + " simulated records were not all validated within " + PROCESS
                + "; last scrape: " + (last == null ? "none" : last.totals()) + "\n" + peony.transcript());
    }

    private static String metricsUrl(PeonyProcess peony) {
        return Arrays.stream(peony.transcript().split("\n"))
                .filter(l -> l.startsWith("out: Peony is up:"))
                .map(l -> PeonyProcess.fields(l.substring("out: ".length())).get("metrics"))
                .reduce((a, b) -> b)
                .orElseThrow();
    }

    private static void assertQuiet(String run, PeonyProcess peony) {
        List<String> alarming = Arrays.stream(peony.transcript().split("\n"))
                .filter(l -> ERROR_LINE.matcher(l).find() || l.contains("\tat ") || l.contains("Exception in thread"))
                .toList();
        assertThat(alarming)
                .as("%s printed ERROR lines or stack traces; whole console:%n%s", run, peony.transcript())
                .isEmpty();
    }
}
