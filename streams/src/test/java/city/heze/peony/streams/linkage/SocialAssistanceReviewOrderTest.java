package city.heze.peony.streams.linkage;

import static city.heze.peony.streams.linkage.ReviewRecords.BUSINESSES;
import static city.heze.peony.streams.linkage.ReviewRecords.DEATHS;
import static city.heze.peony.streams.linkage.ReviewRecords.DEREGISTRATIONS;
import static city.heze.peony.streams.linkage.ReviewRecords.EMPLOYMENT;
import static city.heze.peony.streams.linkage.ReviewRecords.PENSIONS;
import static city.heze.peony.streams.linkage.ReviewRecords.RECIPIENTS;
import static city.heze.peony.streams.linkage.ReviewRecords.VEHICLES;
import static city.heze.peony.streams.linkage.ReviewRecords.business;
import static city.heze.peony.streams.linkage.ReviewRecords.creditCode;
import static city.heze.peony.streams.linkage.ReviewRecords.death;
import static city.heze.peony.streams.linkage.ReviewRecords.deregistration;
import static city.heze.peony.streams.linkage.ReviewRecords.employment;
import static city.heze.peony.streams.linkage.ReviewRecords.pension;
import static city.heze.peony.streams.linkage.ReviewRecords.recipient;
import static city.heze.peony.streams.linkage.ReviewRecords.resident;
import static city.heze.peony.streams.linkage.ReviewRecords.vehicle;
import static org.assertj.core.api.Assertions.assertThat;

import city.heze.peony.avro.dept.EntityStatus;
import city.heze.peony.avro.dept.PensionStatus;
import city.heze.peony.avro.linkage.LinkageEvidence;
import city.heze.peony.avro.linkage.ReviewFlag;
import city.heze.peony.avro.linkage.ReviewFlagKind;
import city.heze.peony.avro.linkage.SocialAssistanceReview;
import city.heze.peony.streams.linkage.ReviewRecords.Input;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.avro.generic.GenericContainer;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The review is a function of the set of input records, not of their order: one fixed set of
 * records across the seven catalogs, fed in the written order and in six seeded shuffles (across
 * topics and within a topic; records of the same key in one catalog keep their relative order, as a
 * partition keeps them), ends in the same table of reviews, and that table is the one worked out by
 * hand below.
 */
class SocialAssistanceReviewOrderTest {
    private static final long[] SEEDS = {11, 23, 37, 41, 53, 67};
    private static final Instant T0 = Instant.parse("2025-06-10T00:00:00Z");
    private static final Instant U = ReviewRecords.UPDATED;

    @TempDir
    Path tmp;

    private final List<Input> inputs = new ArrayList<>();
    /** A record that is not Avro at all, in the middle of the vehicles: skipped wherever it comes. */
    private static final String BAD_KEY = "GA-BAD";

    private void add(String catalogId, String key, GenericContainer value) {
        // The timestamp belongs to the record, not to its place in an order.
        inputs.add(new Input(catalogId, key, value, T0.plusSeconds(60L * inputs.size())));
    }

    private static String r(int n) {
        return resident(n);
    }

    /** The records, and (in the comments and {@link #expected}) what each resident should end with. */
    private void records() {
        for (int n = 0; n < 30; n++) {
            if (n != 28) {
                add(RECIPIENTS, "MZ-" + n, recipient("MZ-" + n, r(n)));
            }
        }
        add(RECIPIENTS, "MZ-28a", recipient("MZ-28a", r(28))); // two assistance records, one person
        add(RECIPIENTS, "MZ-28b", recipient("MZ-28b", r(28)));
        add(RECIPIENTS, "MZ-22", null); // 22 stops being a recipient

        add(VEHICLES, "GA-0", vehicle("GA-0", r(0)));
        add(VEHICLES, "GA-1a", vehicle("GA-1a", r(1)));
        add(VEHICLES, "GA-1b", vehicle("GA-1b", r(1)));
        add(VEHICLES, "GA-2", vehicle("GA-2", r(2)));
        add(VEHICLES, "GA-2", vehicle("GA-2", r(30))); // sold to a non-recipient: 2 cleared
        add(VEHICLES, "GA-3", vehicle("GA-3", r(3)));
        add(VEHICLES, "GA-3", null); // deleted: 3 cleared
        add(VEHICLES, "GA-4", vehicle("GA-4", r(4)));
        add(VEHICLES, "GA-4", vehicle("GA-4", r(4))); // the same again
        add(VEHICLES, "GA-21", vehicle("GA-21", r(21)));
        add(VEHICLES, "GA-22", vehicle("GA-22", r(22)));
        add(VEHICLES, "GA-24", vehicle("GA-24", r(31)));
        add(VEHICLES, "GA-24", vehicle("GA-24", r(24))); // bought from a non-recipient
        add(VEHICLES, "GA-28", vehicle("GA-28", r(28)));
        for (int n = 30; n < 40; n++) {
            add(VEHICLES, "GA-" + n, vehicle("GA-" + n, r(n)));
        }
        add(VEHICLES, BAD_KEY, null); // replaced by undecodable bytes when piped

        add(BUSINESSES, "REG-5", business("REG-5", creditCode(5), r(5), EntityStatus.ACTIVE, U));
        add(BUSINESSES, "REG-6", business("REG-6", creditCode(6), r(6), EntityStatus.ACTIVE, U));
        add(DEREGISTRATIONS, "DEREG-6", deregistration("DEREG-6", creditCode(6)));
        add(BUSINESSES, "REG-7", business("REG-7", creditCode(7), r(7), EntityStatus.REVOKED, U));
        add(BUSINESSES, "REG-8a", business("REG-8a", creditCode(8), r(8), EntityStatus.ACTIVE, U));
        // A re-registration under a new record id, later by updatedAt: its representative, 9, wins.
        add(BUSINESSES, "REG-8b", business("REG-8b", creditCode(8), r(9), EntityStatus.ACTIVE, U.plusSeconds(86_400)));
        add(BUSINESSES, "REG-10", business("REG-10", creditCode(10), r(10), EntityStatus.ACTIVE, U));
        add(BUSINESSES, "REG-10", business("REG-10", creditCode(10), r(11), EntityStatus.ACTIVE, U.plusSeconds(60)));
        add(BUSINESSES, "REG-12", business("REG-12", creditCode(12), r(12), EntityStatus.ACTIVE, U));
        add(DEREGISTRATIONS, "DEREG-12", deregistration("DEREG-12", creditCode(12)));
        add(DEREGISTRATIONS, "DEREG-12", null); // the deregistration withdrawn
        add(BUSINESSES, "REG-21", business("REG-21", creditCode(21), r(21), EntityStatus.ACTIVE, U));
        add(BUSINESSES, "REG-23", business("REG-23", creditCode(23), r(23), EntityStatus.ACTIVE, U));
        add(BUSINESSES, "REG-23", business("REG-23", creditCode(23), r(23), EntityStatus.CANCELLED, U.plusSeconds(60)));
        add(BUSINESSES, "REG-35", business("REG-35", creditCode(35), r(35), EntityStatus.ACTIVE, U));
        add(DEREGISTRATIONS, "DEREG-99", deregistration("DEREG-99", creditCode(99))); // of no registration

        add(EMPLOYMENT, "EMP-13", employment("EMP-13", r(13), null));
        add(EMPLOYMENT, "EMP-14", employment("EMP-14", r(14), null));
        add(EMPLOYMENT, "EMP-14", employment("EMP-14", r(14), LocalDate.of(2025, 5, 31)));
        add(EMPLOYMENT, "EMP-15", employment("EMP-15", r(15), LocalDate.of(2025, 3, 31)));
        add(EMPLOYMENT, "EMP-21", employment("EMP-21", r(21), null));
        add(EMPLOYMENT, "EMP-25a", employment("EMP-25a", r(25), LocalDate.of(2025, 3, 31)));
        add(EMPLOYMENT, "EMP-25b", employment("EMP-25b", r(25), null));
        add(EMPLOYMENT, "EMP-33", employment("EMP-33", r(33), null));

        add(PENSIONS, "PEN-16", pension("PEN-16", r(16), 150_000, PensionStatus.ACTIVE));
        add(PENSIONS, "PEN-17", pension("PEN-17", r(17), 50_000, PensionStatus.ACTIVE));
        add(PENSIONS, "PEN-18", pension("PEN-18", r(18), 200_000, PensionStatus.SUSPENDED));
        add(PENSIONS, "PEN-19", pension("PEN-19", r(19), 100_000, PensionStatus.ACTIVE));
        add(PENSIONS, "PEN-21", pension("PEN-21", r(21), 120_000, PensionStatus.ACTIVE));
        add(PENSIONS, "PEN-26", pension("PEN-26", r(26), 90_000, PensionStatus.ACTIVE));
        add(PENSIONS, "PEN-26", pension("PEN-26", r(26), 130_000, PensionStatus.ACTIVE));

        add(DEATHS, "WJ-20", death("WJ-20", r(20)));
        add(DEATHS, "WJ-21", death("WJ-21", r(21)));
        add(DEATHS, "WJ-27", death("WJ-27", r(27)));
        for (int n = 30; n < 40; n += 3) {
            add(DEATHS, "WJ-" + n, death("WJ-" + n, r(n)));
        }
    }

    /** Worked out by hand from the records: resident -> kind -> evidence (catalog/key). */
    private static Map<String, Map<ReviewFlagKind, List<String>>> expected() {
        Map<String, Map<ReviewFlagKind, List<String>>> e = new TreeMap<>();
        put(e, 0, ReviewFlagKind.VEHICLE, VEHICLES + "/GA-0");
        put(e, 1, ReviewFlagKind.VEHICLE, VEHICLES + "/GA-1a", VEHICLES + "/GA-1b");
        put(e, 4, ReviewFlagKind.VEHICLE, VEHICLES + "/GA-4");
        put(e, 5, ReviewFlagKind.BUSINESS, BUSINESSES + "/REG-5");
        put(e, 9, ReviewFlagKind.BUSINESS, BUSINESSES + "/REG-8b");
        put(e, 11, ReviewFlagKind.BUSINESS, BUSINESSES + "/REG-10");
        put(e, 12, ReviewFlagKind.BUSINESS, BUSINESSES + "/REG-12");
        put(e, 13, ReviewFlagKind.EMPLOYED, EMPLOYMENT + "/EMP-13");
        put(e, 16, ReviewFlagKind.PENSION, PENSIONS + "/PEN-16");
        put(e, 19, ReviewFlagKind.PENSION, PENSIONS + "/PEN-19");
        put(e, 20, ReviewFlagKind.DECEASED, DEATHS + "/WJ-20");
        put(e, 21, ReviewFlagKind.VEHICLE, VEHICLES + "/GA-21");
        put(e, 21, ReviewFlagKind.BUSINESS, BUSINESSES + "/REG-21");
        put(e, 21, ReviewFlagKind.EMPLOYED, EMPLOYMENT + "/EMP-21");
        put(e, 21, ReviewFlagKind.PENSION, PENSIONS + "/PEN-21");
        put(e, 21, ReviewFlagKind.DECEASED, DEATHS + "/WJ-21");
        put(e, 24, ReviewFlagKind.VEHICLE, VEHICLES + "/GA-24");
        put(e, 25, ReviewFlagKind.EMPLOYED, EMPLOYMENT + "/EMP-25b");
        put(e, 26, ReviewFlagKind.PENSION, PENSIONS + "/PEN-26");
        put(e, 27, ReviewFlagKind.DECEASED, DEATHS + "/WJ-27");
        put(e, 28, ReviewFlagKind.VEHICLE, VEHICLES + "/GA-28");
        return e;
    }

    private static void put(
            Map<String, Map<ReviewFlagKind, List<String>>> e, int n, ReviewFlagKind kind, String... evidence) {
        e.computeIfAbsent(r(n), k -> new TreeMap<>()).put(kind, List.of(evidence));
    }

    @Test
    void theFinalReviewsAreTheSameInEveryOrderAndAsWorkedOutByHand() {
        records();
        assertThat(inputs).hasSizeGreaterThan(90);
        Map<String, String> written = finalTable(inputs, "written-order");
        assertThat(kindsAndKeys(written)).isEqualTo(expected());
        // 28 has two assistance records: the review is about the first by key.
        assertThat(written.get(r(28))).contains("recipient=" + RECIPIENTS + "/MZ-28a");

        for (long seed : SEEDS) {
            List<Input> order = shuffled(inputs, seed);
            assertThat(order).as("seed %d shuffles", seed).isNotEqualTo(inputs);
            assertThat(finalTable(order, "seed-" + seed))
                    .as("the final reviews after the order of seed %d", seed)
                    .isEqualTo(written);
        }
    }

    /**
     * The latest review per resident (a tombstone removes it), with what depends on arrival order
     * normalised: evidence offsets and record times, and changedAt. A review with no flags is left out: it means "flags
     * cleared", which in another order may never have needed saying (the flag was never raised).
     */
    private Map<String, String> finalTable(List<Input> order, String name) {
        Map<String, SocialAssistanceReview> latest = new TreeMap<>();
        try (ReviewDriver driver = new ReviewDriver(tmp.resolve(name))) {
            for (Input in : order) {
                if (BAD_KEY.equals(in.key())) {
                    driver.pipe(in.catalogId(), in.key(), "not avro".getBytes(StandardCharsets.UTF_8), in.timestamp());
                } else {
                    driver.pipe(in);
                }
            }
            for (TestRecord<String, SocialAssistanceReview> rec : driver.drain()) {
                if (rec.value() == null) {
                    latest.remove(rec.key());
                } else {
                    latest.put(rec.key(), rec.value());
                }
            }
            assertThat(driver.skipped(VEHICLES, "undecodable")).isEqualTo(1);
            long flagged21 = driver.flagged(ReviewFlagKind.DECEASED);
            assertThat(flagged21).as("recipients flagged DECEASED: 20, 21, 27").isEqualTo(3);
            assertThat(driver.flagged(ReviewFlagKind.VEHICLE)).isEqualTo(6);
            assertThat(driver.meterRegistry.getMeters())
                    .flatExtracting(m -> m.getId().getTags())
                    .extracting(io.micrometer.core.instrument.Tag::getValue)
                    .as("no resident ID in a metric label")
                    .noneMatch(v -> v.matches("\\d{17}[0-9X]"))
                    .contains("undecodable", VEHICLES, "vehicle");
        }
        Map<String, String> table = new TreeMap<>();
        latest.forEach((residentId, review) -> {
            if (!review.getFlags().isEmpty()) {
                table.put(residentId, normalised(review));
            }
        });
        return table;
    }

    private static String normalised(SocialAssistanceReview review) {
        StringBuilder s = new StringBuilder();
        s.append("name=").append(review.getName()).append(" region=").append(review.getRegionCode());
        s.append(" recipient=").append(evidence(review.getRecipient())).append('\n');
        for (ReviewFlag f : review.getFlags()) {
            s.append(f.getKind()).append(" rule=").append(f.getRule()).append('\n');
            for (LinkageEvidence e : f.getEvidence()) {
                s.append("  ").append(evidence(e)).append('\n');
            }
        }
        return s.toString();
    }

    /**
     * Everything but the offset and the record time: where the record landed depends on the order,
     * and of two records of one key that say the same (GA-4 sent twice), the review shows the one
     * that was there when it was written, and a record that changes nothing writes no review.
     */
    private static String evidence(LinkageEvidence e) {
        return e.getCatalogId() + "/" + e.getRecordKey() + " topic=" + e.getTopic() + " partition=" + e.getPartition()
                + " fields=" + new TreeMap<>(e.getFields());
    }

    /** Parses the kinds and evidence keys back out of the normalised table. */
    private static Map<String, Map<ReviewFlagKind, List<String>>> kindsAndKeys(Map<String, String> table) {
        Map<String, Map<ReviewFlagKind, List<String>>> out = new TreeMap<>();
        table.forEach((residentId, text) -> {
            Map<ReviewFlagKind, List<String>> flags = new TreeMap<>();
            List<String> current = null;
            for (String line : text.split("\n")) {
                if (line.startsWith("  ")) {
                    current.add(line.trim().split(" ")[0]);
                } else if (!line.startsWith("name=")) {
                    current = new ArrayList<>();
                    flags.put(ReviewFlagKind.valueOf(line.split(" ")[0]), current);
                }
            }
            out.put(residentId, flags);
        });
        return out;
    }

    /**
     * A random order of {@code in} in which the records of one key in one catalog keep their
     * relative order: every record draws a random slot, then the records of a key take their key's
     * slots in their original order.
     */
    static List<Input> shuffled(List<Input> in, long seed) {
        List<Integer> slots = new ArrayList<>();
        for (int i = 0; i < in.size(); i++) {
            slots.add(i);
        }
        Collections.shuffle(slots, new Random(seed));
        Map<String, List<Integer>> byKey = new LinkedHashMap<>();
        for (int i = 0; i < in.size(); i++) {
            byKey.computeIfAbsent(in.get(i).catalogId() + "|" + in.get(i).key(), k -> new ArrayList<>())
                    .add(i);
        }
        Input[] out = new Input[in.size()];
        for (List<Integer> indexes : byKey.values()) {
            List<Integer> keySlots = new ArrayList<>();
            for (int i : indexes) {
                keySlots.add(slots.get(i));
            }
            Collections.sort(keySlots);
            for (int j = 0; j < indexes.size(); j++) {
                out[keySlots.get(j)] = in.get(indexes.get(j));
            }
        }
        return List.of(out);
    }
}
