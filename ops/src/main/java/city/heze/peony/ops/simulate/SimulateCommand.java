package city.heze.peony.ops.simulate;

import city.heze.peony.ops.CityTimes;
import city.heze.peony.ops.ClusterCommand;
import city.heze.peony.ops.UserException;
import city.heze.peony.producers.PublisherSetupException;
import city.heze.peony.producers.simulate.CitySimulator;
import city.heze.peony.producers.simulate.LinkedPopulation;
import city.heze.peony.producers.simulate.PlantedCases;
import city.heze.peony.producers.simulate.SimulationSummary;
import city.heze.peony.schemas.CityZone;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code peony simulate}: a city of departments publishing realistic records of the registered
 * catalogs, with deliberate defects, plus share applications and their answers; see {@link
 * CitySimulator}. Prints what it produced, so a test knows exactly what validation must reject.
 */
@Command(
        name = "simulate",
        description = {
            "Simulate the city's departments: realistic records of every registered catalog (or those named), a"
                    + " share of them with one deliberate defect each, and share applications with their answers.",
            "Runs for --count records or --duration of simulated time, or until Ctrl-C. The same --seed and --start"
                    + " give byte-identical records.",
            "With --people N it publishes a linked population instead: N residents across the linkage catalogs"
                    + " with planted review flags and certification statuses, and prints what it planted."
        })
public final class SimulateCommand extends ClusterCommand {

    @Option(
            names = "--catalog",
            paramLabel = "ID",
            description = "Only this catalog (repeatable); by default every registered catalog.")
    List<String> catalogs = new ArrayList<>();

    @Option(
            names = "--rate",
            paramLabel = "N",
            defaultValue = "100",
            description = "Records per second (default ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--count", paramLabel = "N", description = "Stop after N records.")
    Long count;

    @Option(
            names = "--duration",
            paramLabel = "TIME",
            converter = DurationConverter.class,
            description = "Stop after this much simulated time: 30s, 5m, 2h, 1h30m, 500ms or ISO-8601 (PT30S).")
    Duration duration;

    @Option(names = "--seed", paramLabel = "S", description = "Seed of every random choice; by default a random one.")
    Long seed;

    @Option(
            names = "--start",
            paramLabel = "TIME",
            converter = CityTimes.Converter.class,
            description = "Simulated time of the first record: 2025-06-02T09:00:00+08:00, or a local time in"
                    + " Asia/Shanghai; with --people, the check instant (every pension record's updatedAt). Default: now, or"
                    + " 2025-06-02T09:00+08:00 when --seed is given (so seeds repeat).")
    Instant start;

    @Option(
            names = "--defect-rate",
            paramLabel = "F",
            defaultValue = "0.02",
            description = "Share of records with one deliberate defect (default ${DEFAULT-VALUE}).")
    double defectRate;

    @Option(
            names = "--share-rate",
            paramLabel = "N",
            defaultValue = "0.2",
            description = "Share applications per second, 0 for none (default ${DEFAULT-VALUE}).")
    double shareRate;

    @Option(
            names = "--late-fraction",
            paramLabel = "F",
            defaultValue = "0.1",
            description = "Share of applications answered after their deadline (default ${DEFAULT-VALUE}).")
    double lateFraction;

    @Option(
            names = "--never-fraction",
            paramLabel = "F",
            defaultValue = "0.05",
            description = "Share of applications never answered (default ${DEFAULT-VALUE}).")
    double neverFraction;

    @Option(
            names = "--withdrawn-fraction",
            paramLabel = "F",
            defaultValue = "0.03",
            description = "Share of applications withdrawn by the requester (default ${DEFAULT-VALUE}).")
    double withdrawnFraction;

    @Option(
            names = "--people",
            paramLabel = "N",
            description = "Instead of random traffic, publish a linked population of N people across the linkage"
                    + " catalogs, with a known number of review flags and certification statuses planted (as of"
                    + " --start, the check instant), print the planted counts and exit.")
    Integer people;

    @Option(
            names = "--planted",
            paramLabel = "FILE",
            description = "With --people: write the planted cases to FILE, one JSON object a line (resident ID with"
                    + " its flags or status), to compare with peony linkage show.")
    Path planted;

    @Override
    public Integer call() throws Exception {
        if (planted != null && people == null) {
            throw new UserException("--planted needs --people: only a linked population plants cases");
        }
        if (people != null) {
            return population();
        }
        double fates = lateFraction + neverFraction + withdrawnFraction;
        if (fates > 1.0 + 1e-9) {
            throw new UserException("--late-fraction, --never-fraction and --withdrawn-fraction add up to "
                    + new java.text.DecimalFormat("0.###").format(fates) + "; expected at most 1");
        }
        CitySimulator simulator;
        try {
            CitySimulator.Builder builder = CitySimulator.builder(cluster.clientProperties())
                    .catalogIds(catalogs)
                    .rate(rate)
                    .defectRate(defectRate)
                    .shareRate(shareRate)
                    .lateFraction(lateFraction)
                    .neverFraction(neverFraction)
                    .withdrawnFraction(withdrawnFraction);
            if (count != null) {
                builder.count(count);
            }
            if (duration != null) {
                builder.duration(duration);
            }
            if (seed != null) {
                builder.seed(seed);
            }
            if (start != null) {
                builder.start(start);
            }
            simulator = builder.build();
        } catch (IllegalArgumentException e) {
            throw new UserException("--" + e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("simulating at " + new java.text.DecimalFormat("0.###").format(rate) + " records/s"
                + (count != null ? " for " + count + " records" : "")
                + (duration != null ? " for " + duration.toString().substring(2).toLowerCase(Locale.ROOT) : "")
                + (count == null && duration == null ? " until Ctrl-C" : "")
                + " (seed " + simulator.seed() + ", start "
                + simulator.start().atZone(CityZone.ZONE).toOffsetDateTime() + ")");
        out.flush();

        CountDownLatch finished = new CountDownLatch(1);
        Thread stopper = new Thread(
                () -> {
                    simulator.stop();
                    try {
                        // Let run() flush and print its summary before the JVM goes.
                        finished.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                "peony-simulate-stop");
        Runtime.getRuntime().addShutdownHook(stopper);
        SimulationSummary summary;
        try {
            summary = simulator.run();
        } catch (PublisherSetupException e) {
            throw new UserException(e.getMessage());
        } catch (KafkaException | IllegalStateException e) {
            throw new UserException("cannot simulate on " + cluster.bootstrapServers() + ": " + e.getMessage(), 1);
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(stopper);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it waits for the latch below
            }
        }
        summary.lines().forEach(out::println);
        out.flush();
        finished.countDown();
        return summary.failedSends() == 0 ? 0 : 1;
    }

    /** {@code --people}: the linked population, published once; the planted cases printed and written. */
    private int population() {
        if (!catalogs.isEmpty()) {
            throw new UserException("--catalog does not apply to --people: a linked population publishes to "
                    + String.join(", ", LinkedPopulation.CATALOG_IDS));
        }
        if (count != null || duration != null) {
            throw new UserException(
                    "--count and --duration do not apply to --people: the population is published once");
        }
        LinkedPopulation population;
        try {
            LinkedPopulation.Builder builder =
                    LinkedPopulation.builder(cluster.clientProperties()).people(people);
            if (seed != null) {
                builder.seed(seed);
            }
            if (start != null) {
                builder.start(start);
            }
            population = builder.build();
        } catch (IllegalArgumentException e) {
            throw new UserException("--" + e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("publishing a linked population of " + people + " people (seed " + population.seed()
                + ", check instant " + population.start().atZone(CityZone.ZONE).toOffsetDateTime() + ")");
        out.flush();
        PlantedCases cases;
        try {
            cases = population.run();
        } catch (PublisherSetupException e) {
            throw new UserException(e.getMessage());
        } catch (KafkaException | IllegalStateException e) {
            throw new UserException("cannot simulate on " + cluster.bootstrapServers() + ": " + e.getMessage(), 1);
        }
        cases.lines().forEach(out::println);
        if (planted != null) {
            try {
                cases.writeJsonLines(planted);
            } catch (UncheckedIOException e) {
                throw new UserException(e.getMessage(), 1);
            }
            out.println("planted cases written to " + planted);
        }
        out.flush();
        return cases.failedSends() == 0 ? 0 : 1;
    }

    /** {@code 30s}, {@code 5m}, {@code 2h}, {@code 1h30m}, {@code 500ms}, {@code 1d}, or ISO-8601 {@code PT30S}. */
    static final class DurationConverter implements ITypeConverter<Duration> {
        private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h|d)");

        @Override
        public Duration convert(String value) {
            String text = value.trim().toLowerCase(Locale.ROOT);
            if (text.startsWith("p")) {
                try {
                    return Duration.parse(text.toUpperCase(Locale.ROOT));
                } catch (DateTimeParseException e) {
                    throw new TypeConversionException("'" + value + "' is not an ISO-8601 duration such as PT30S");
                }
            }
            Matcher m = PART.matcher(text);
            Duration total = Duration.ZERO;
            int at = 0;
            while (at < text.length() && m.find(at) && m.start() == at) {
                long n = Long.parseLong(m.group(1));
                total = total.plus(
                        switch (m.group(2)) {
                            case "ms" -> Duration.ofMillis(n);
                            case "s" -> Duration.ofSeconds(n);
                            case "m" -> Duration.ofMinutes(n);
                            case "h" -> Duration.ofHours(n);
                            default -> Duration.ofDays(n);
                        });
                at = m.end();
            }
            if (at == 0 || at != text.length()) {
                throw new TypeConversionException(
                        "'" + value + "' is not a duration; expected for example 30s, 5m, 2h, 1h30m or 500ms");
            }
            return total;
        }
    }
}
