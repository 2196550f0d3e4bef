package city.heze.peony.producers.simulate;

import city.heze.peony.avro.linkage.CertificationStatus;
import city.heze.peony.avro.linkage.ReviewFlagKind;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a {@link LinkedPopulation} planted: the answers the linkage scenarios must find, exactly, and
 * no others. {@link #flags()} holds every recipient the social-assistance review must flag, with
 * the kinds of flags (recipients without a flag never appear in its output); {@link #statuses()}
 * holds every pensioner (latest pension record {@code ACTIVE}) with the status the silent
 * certification must give as of {@link #checkDate()}. Both are derived from the records generated,
 * by the rules of {@code docs/linkage.md}, not from what was intended.
 *
 * <p>{@link #lines()} prints counts only: resident IDs belong in {@link #writeJsonLines(Path)}, a
 * file the user asked for, never on a console or in a log.
 *
 * @param people the population's people, not counting the buyers of re-registered vehicles
 * @param recipients people with a social-assistance record
 * @param decoys facts planted so that a join must look closely, by kind: none of them is a flag
 * @param recordsByCatalog records generated per catalog
 * @param failedSends records whose send failed ({@link LinkedPopulation#run()}); 0 when only generated
 */
public record PlantedCases(
        long seed,
        Instant start,
        LocalDate checkDate,
        long people,
        long recipients,
        Map<String, Set<ReviewFlagKind>> flags,
        Map<String, CertificationStatus> statuses,
        Map<Decoy, Long> decoys,
        Map<String, Long> recordsByCatalog,
        long failedSends) {

    public static final String REVIEW_SCENARIO = "social-assistance-review";
    public static final String CERTIFICATION_SCENARIO = "pension-certification";

    /** Facts that look like a flag or a status but must not become one. */
    public enum Decoy {
        /** A recipient's business, ACTIVE, with a deregistration of its credit code; or registered as cancelled or revoked. */
        BUSINESS_DEREGISTERED("business deregistered"),
        /** A recipient's employment with an end date (some first published open, then closed under the same key). */
        EMPLOYMENT_ENDED("employment ended"),
        /** A recipient's ACTIVE pension below the pension threshold. */
        PENSION_BELOW_THRESHOLD("pension below threshold"),
        /** A recipient's vehicle re-registered under the same record key to another person. */
        VEHICLE_RESOLD("vehicle re-registered to another person"),
        /** A recipient owning vehicles, but fewer than the vehicle threshold (only when it is above 1). */
        VEHICLES_BELOW_THRESHOLD("vehicles below threshold"),
        /** A pension published ACTIVE, then SUSPENDED or TERMINATED under the same key: not a pensioner. */
        PENSION_STOPPED("pension stopped"),
        /** A pensioner's medical settlement just before the sign-of-life window: NEEDS_VISIT all the same. */
        SETTLEMENT_OUTSIDE_WINDOW("settlement just outside the window"),
        /** A vehicle, active business or open employment of someone who is not a recipient. */
        FACT_OF_NON_RECIPIENT("fact about a non-recipient"),
        /** A death registration of someone who is neither a recipient nor a pensioner. */
        DEATH_OF_NON_BENEFICIARY("death of a non-beneficiary");

        private final String label;

        Decoy(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    public PlantedCases {
        Map<String, Set<ReviewFlagKind>> sortedFlags = new TreeMap<>();
        flags.forEach((id, kinds) -> sortedFlags.put(id, Collections.unmodifiableSet(EnumSet.copyOf(kinds))));
        flags = Collections.unmodifiableMap(sortedFlags);
        statuses = Collections.unmodifiableMap(new TreeMap<>(statuses));
        Map<Decoy, Long> byDecoy = new EnumMap<>(Decoy.class);
        byDecoy.putAll(decoys);
        decoys = Collections.unmodifiableMap(byDecoy);
        recordsByCatalog = Collections.unmodifiableMap(new LinkedHashMap<>(recordsByCatalog));
    }

    /** The same cases with the count of failed sends. */
    public PlantedCases withFailedSends(long failed) {
        return new PlantedCases(
                seed, start, checkDate, people, recipients, flags, statuses, decoys, recordsByCatalog, failed);
    }

    /** Pensioners: people whose latest pension record is ACTIVE. */
    public long pensioners() {
        return statuses.size();
    }

    /** Recipients the review must flag. */
    public long flaggedRecipients() {
        return flags.size();
    }

    /** Recipients with two flags or more. */
    public long multiplyFlagged() {
        return flags.values().stream().filter(f -> f.size() > 1).count();
    }

    /** Recipients flagged with {@code kind}. */
    public long flagCount(ReviewFlagKind kind) {
        return flags.values().stream().filter(f -> f.contains(kind)).count();
    }

    public long statusCount(CertificationStatus status) {
        return statuses.values().stream().filter(s -> s == status).count();
    }

    public long decoys(Decoy decoy) {
        return decoys.getOrDefault(decoy, 0L);
    }

    public long records() {
        return recordsByCatalog.values().stream().mapToLong(Long::longValue).sum();
    }

    /** The report {@code peony simulate --people} prints: counts only, never a resident ID. */
    public List<String> lines() {
        List<String> lines = new ArrayList<>();
        lines.add("population of " + people + " people: " + recipients + " social-assistance recipients, "
                + pensioners() + " pensioners (check date " + checkDate + ")");
        StringBuilder review =
                new StringBuilder(REVIEW_SCENARIO + ": " + flaggedRecipients() + " recipients to flag (");
        String sep = "";
        for (ReviewFlagKind kind : LinkedPopulation.FLAG_KINDS) {
            review.append(sep).append(kind).append(' ').append(flagCount(kind));
            sep = ", ";
        }
        lines.add(review.append("), ")
                .append(multiplyFlagged())
                .append(" with two flags or more")
                .toString());
        lines.add(CERTIFICATION_SCENARIO + ": " + CertificationStatus.CERTIFIED + " "
                + statusCount(CertificationStatus.CERTIFIED) + ", " + CertificationStatus.SUSPEND + " "
                + statusCount(CertificationStatus.SUSPEND) + ", " + CertificationStatus.NEEDS_VISIT + " "
                + statusCount(CertificationStatus.NEEDS_VISIT));
        StringBuilder decoyLine = new StringBuilder("decoys (no flag, no other status): ");
        sep = "";
        for (Decoy decoy : Decoy.values()) {
            decoyLine.append(sep).append(decoy.label()).append(' ').append(decoys(decoy));
            sep = ", ";
        }
        lines.add(decoyLine.toString());
        StringBuilder recordLine = new StringBuilder("records " + records() + ": ");
        sep = "";
        for (var e : recordsByCatalog.entrySet()) {
            recordLine.append(sep).append(e.getKey()).append(' ').append(e.getValue());
            sep = ", ";
        }
        lines.add(recordLine.toString());
        String from = SimulationSummary.inCity(start);
        lines.add(
                "seed " + seed + ", check instant " + from + " (repeat with --seed " + seed + " --start " + from + ")");
        if (failedSends > 0) {
            lines.add("failed to send " + failedSends + " records; they are not on Kafka and the cases above are"
                    + " not all there");
        }
        return lines;
    }

    /**
     * Writes one JSON object a line per planted case, flags first then statuses, each by resident ID:
     * {@code {"scenario":"social-assistance-review","residentId":"...","flags":["VEHICLE"]}} and
     * {@code {"scenario":"pension-certification","residentId":"...","status":"CERTIFIED"}}.
     */
    public void writeJsonLines(Path file) {
        ObjectMapper json = new ObjectMapper();
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (var e : flags.entrySet()) {
                Map<String, Object> line = new LinkedHashMap<>();
                line.put("scenario", REVIEW_SCENARIO);
                line.put("residentId", e.getKey());
                line.put("flags", e.getValue().stream().map(Enum::name).toList()); // in kind order
                out.write(json.writeValueAsString(line));
                out.newLine();
            }
            for (var e : statuses.entrySet()) {
                Map<String, Object> line = new LinkedHashMap<>();
                line.put("scenario", CERTIFICATION_SCENARIO);
                line.put("residentId", e.getKey());
                line.put("status", e.getValue().name());
                out.write(json.writeValueAsString(line));
                out.newLine();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the planted cases to " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return String.join("\n", lines());
    }
}
