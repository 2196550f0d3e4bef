package city.heze.peony.producers.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import city.heze.peony.avro.CatalogEntry;
import city.heze.peony.avro.linkage.CertificationStatus;
import city.heze.peony.avro.linkage.ReviewFlagKind;
import city.heze.peony.identifiers.CivilDates;
import city.heze.peony.producers.PublisherSetupException;
import city.heze.peony.producers.TestCatalogs;
import city.heze.peony.producers.simulate.PlantedCases.Decoy;
import city.heze.peony.schemas.CityZone;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.Period;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The linked population, generated without a broker: repeatable from the seed, its expectations
 * equal to what an independent reading of its records by the rules of {@code docs/linkage.md} finds,
 * its people and businesses out of reach of random records, its decoys present and its order
 * shuffled. (That every record passes its catalog's blocking rules is tested in {@code ops}, where
 * the rule library is.)
 */
class LinkedPopulationTest {
    private static final List<CatalogEntry> CATALOGS = TestCatalogs.linkage();

    @Test
    void theSameSeedGivesTheSameRecordsAndTheSameCases() {
        List<byte[]> first = new ArrayList<>();
        List<byte[]> second = new ArrayList<>();
        List<byte[]> other = new ArrayList<>();
        PlantedCases a = population(7, 3_000).generate(r -> first.add(encoded(r)));
        PlantedCases b = population(7, 3_000).generate(r -> second.add(encoded(r)));
        PlantedCases c = population(8, 3_000).generate(r -> other.add(encoded(r)));

        assertThat(second).hasSameSizeAs(first);
        for (int i = 0; i < first.size(); i++) {
            assertThat(second.get(i)).as("record " + i).isEqualTo(first.get(i));
        }
        assertThat(b).isEqualTo(a);
        assertThat(c.flags()).isNotEqualTo(a.flags());
        assertThat(other.get(0)).isNotEqualTo(first.get(0));
    }

    @Test
    void theCasesAreExactlyWhatTheRecordsSayByTheScenariosRules() {
        List<GeneratedRecord> records = new ArrayList<>();
        PlantedCases cases = population(11, 20_000).generate(records::add);

        Oracle oracle = new Oracle(1, 100_000, Period.ofMonths(12));
        records.forEach(oracle::accept);

        assertThat(cases.flags()).isEqualTo(oracle.flags());
        assertThat(cases.statuses()).isEqualTo(oracle.statuses());
        assertThat(cases.recipients()).isEqualTo(oracle.recipients.size());
        assertThat(cases.checkDate()).isEqualTo(LocalDate.of(2025, 6, 2));
        // Every kind and status planted, some recipients with two flags.
        for (ReviewFlagKind kind : LinkedPopulation.FLAG_KINDS) {
            assertThat(cases.flagCount(kind)).as(kind.name()).isPositive();
        }
        assertThat(cases.multiplyFlagged()).isPositive();
        for (CertificationStatus status :
                List.of(CertificationStatus.CERTIFIED, CertificationStatus.SUSPEND, CertificationStatus.NEEDS_VISIT)) {
            assertThat(cases.statusCount(status)).as(status.name()).isPositive();
        }
    }

    @Test
    void otherThresholdsAreFollowed() {
        List<GeneratedRecord> records = new ArrayList<>();
        PlantedCases cases = LinkedPopulation.builder(new Properties())
                .catalogs(CATALOGS)
                .people(10_000)
                .seed(5)
                .vehicleCount(2)
                .pensionFen(250_000)
                .signOfLifeWindow(Period.ofMonths(6))
                .build()
                .generate(records::add);

        Oracle oracle = new Oracle(2, 250_000, Period.ofMonths(6));
        records.forEach(oracle::accept);
        assertThat(cases.flags()).isEqualTo(oracle.flags());
        assertThat(cases.statuses()).isEqualTo(oracle.statuses());
        assertThat(cases.flagCount(ReviewFlagKind.VEHICLE)).isPositive();
        assertThat(cases.decoys(Decoy.VEHICLES_BELOW_THRESHOLD)).isPositive();
    }

    @Test
    void countsAddUpAndRatesAreNearTheirDefaults() {
        Map<String, Long> seen = new LinkedHashMap<>();
        PlantedCases cases = population(3, 20_000).generate(r -> seen.merge(r.catalogId(), 1L, Long::sum));

        assertThat(cases.recordsByCatalog()).isEqualTo(seen);
        assertThat(cases.recordsByCatalog().keySet()).containsExactlyElementsOf(LinkedPopulation.CATALOG_IDS);
        assertThat(cases.records())
                .isEqualTo(seen.values().stream().mapToLong(Long::longValue).sum());
        assertThat(cases.people()).isEqualTo(20_000);
        assertThat(cases.recordsByCatalog().get(LinkedPopulation.SOCIAL_ASSISTANCE))
                .isEqualTo(cases.recipients());
        assertThat(cases.recipients()).isBetween(3_600L, 4_400L);
        assertThat(cases.pensioners()).isBetween(5_400L, 6_600L);
        assertThat(cases.statusCount(CertificationStatus.CERTIFIED)
                        + cases.statusCount(CertificationStatus.SUSPEND)
                        + cases.statusCount(CertificationStatus.NEEDS_VISIT))
                .isEqualTo(cases.pensioners());
        // ~1 % of recipients per kind, ~1 % of pensioners deceased, ~5 % without a sign of life.
        assertThat(cases.flagCount(ReviewFlagKind.BUSINESS)).isBetween(20L, 80L);
        assertThat(cases.statusCount(CertificationStatus.NEEDS_VISIT)).isBetween(200L, 420L);
        for (Decoy decoy : Decoy.values()) {
            if (decoy != Decoy.VEHICLES_BELOW_THRESHOLD) {
                assertThat(cases.decoys(decoy)).as(decoy.label()).isPositive();
            }
        }
        assertThat(cases.decoys(Decoy.VEHICLES_BELOW_THRESHOLD)).isZero(); // the threshold is 1
    }

    @Test
    void residentIdsAreUniqueAndOutOfReachOfRandomRecords() {
        Map<String, String> birthOf = new HashMap<>();
        Set<String> recipients = new HashSet<>();
        Set<String> creditCodes = new HashSet<>();
        population(13, 20_000).generate(r -> {
            GenericRecord rec = r.record();
            for (String field : List.of("residentId", "ownerResidentId", "legalRepresentativeId")) {
                if (rec.hasField(field)) {
                    String id = rec.get(field).toString();
                    assertThat(Integer.parseInt(id.substring(14, 17))).as(id).isGreaterThanOrEqualTo(800);
                    assertThat(LinkedPopulation.ownsResidentId(id)).as(id).isTrue();
                    if (rec.hasField("birthDate")) {
                        // One ID, one person: the same birth date wherever the ID appears.
                        String birth = rec.get("birthDate").toString();
                        assertThat(birthOf.putIfAbsent(id, birth)).isIn(null, birth);
                    }
                }
            }
            if (r.catalogId().equals(LinkedPopulation.SOCIAL_ASSISTANCE)) {
                assertThat(recipients.add(rec.get("residentId").toString())).isTrue();
            }
            if (r.catalogId().equals(LinkedPopulation.BUSINESS_REGISTRATION)) {
                String code = rec.get("creditCode").toString();
                assertThat(code.charAt(8)).isEqualTo(RecordGenerator.POPULATION_ORGANISATION_MARK);
                assertThat(creditCodes.add(code)).isTrue();
            }
        });
        assertThat(recipients).hasSizeGreaterThan(3_000);

        Random random = new Random(1);
        long now = LinkedPopulationTest.startMillis();
        for (CatalogEntry catalog : CATALOGS) {
            RecordGenerator generator = RecordGenerator.forCatalog(catalog);
            for (int i = 0; i < 3_000; i++) {
                GenericRecord rec = generator.nextRecord(random, now);
                for (String field : List.of("residentId", "ownerResidentId", "legalRepresentativeId")) {
                    if (rec.hasField(field)) {
                        String id = rec.get(field).toString();
                        assertThat(Integer.parseInt(id.substring(14, 17)))
                                .as(id)
                                .isLessThan(800);
                        assertThat(LinkedPopulation.ownsResidentId(id)).as(id).isFalse();
                    }
                }
                if (catalog.getId().equals(LinkedPopulation.BUSINESS_DEREGISTRATION)
                        || catalog.getId().equals(LinkedPopulation.BUSINESS_REGISTRATION)) {
                    String code = rec.get("creditCode").toString();
                    assertThat(code.charAt(8)).as(code).isNotEqualTo(RecordGenerator.POPULATION_ORGANISATION_MARK);
                }
                String key = rec.get("recordId").toString();
                assertThat(key).doesNotContain("-P");
            }
        }
    }

    @Test
    void recordsArriveShuffledAcrossCatalogsYetInOrderPerKey() {
        List<GeneratedRecord> records = new ArrayList<>();
        population(17, 5_000).generate(records::add);

        Set<String> recipientsSoFar = new HashSet<>();
        Set<String> allRecipients = new HashSet<>();
        records.stream()
                .filter(r -> r.catalogId().equals(LinkedPopulation.SOCIAL_ASSISTANCE))
                .forEach(r -> allRecipients.add(r.record().get("residentId").toString()));
        int factsBeforeTheirRecipient = 0;
        int factsAfter = 0;
        Map<String, Integer> versions = new HashMap<>();
        Map<String, String> vehicleFirstOwner = new HashMap<>();
        Map<String, Long> vehicleFirstUpdate = new HashMap<>();
        int resold = 0;
        int endedLater = 0;
        for (GeneratedRecord r : records) {
            GenericRecord rec = r.record();
            switch (r.catalogId()) {
                case LinkedPopulation.SOCIAL_ASSISTANCE ->
                    recipientsSoFar.add(rec.get("residentId").toString());
                case LinkedPopulation.VEHICLE_REGISTRATION -> {
                    String owner = rec.get("ownerResidentId").toString();
                    String key = rec.get("recordId").toString();
                    if (allRecipients.contains(owner)) {
                        if (recipientsSoFar.contains(owner)) {
                            factsAfter++;
                        } else {
                            factsBeforeTheirRecipient++;
                        }
                    }
                    String first = vehicleFirstOwner.putIfAbsent(key, owner);
                    vehicleFirstUpdate.putIfAbsent(key, (Long) rec.get("updatedAt"));
                    if (first != null) {
                        // The re-registration comes second, later, and names the buyer, never a recipient.
                        assertThat(allRecipients).contains(first).doesNotContain(owner);
                        assertThat((Long) rec.get("updatedAt")).isGreaterThanOrEqualTo(vehicleFirstUpdate.get(key));
                        resold++;
                    }
                }
                case LinkedPopulation.EMPLOYMENT_REGISTRATION -> {
                    String key = rec.get("recordId").toString();
                    int version = versions.merge(key, 1, Integer::sum);
                    if (version == 2) {
                        assertThat(rec.get("endDate")).isNotNull();
                        endedLater++;
                    } else {
                        assertThat(version).isEqualTo(1);
                    }
                }
                default -> {}
            }
        }
        assertThat(factsBeforeTheirRecipient).isPositive();
        assertThat(factsAfter).isPositive();
        assertThat(resold).isPositive();
        assertThat(endedLater).isPositive();
    }

    @Test
    void theReportShowsCountsAndTheFileTheCases(@TempDir Path dir) throws IOException {
        PlantedCases cases = population(19, 5_000).generate(r -> {});
        List<String> lines = cases.lines();
        String report = String.join("\n", lines);
        assertThat(report)
                .contains("population of 5000 people: " + cases.recipients() + " social-assistance recipients, "
                        + cases.pensioners() + " pensioners (check date 2025-06-02)")
                .contains("VEHICLE " + cases.flagCount(ReviewFlagKind.VEHICLE))
                .contains("NEEDS_VISIT " + cases.statusCount(CertificationStatus.NEEDS_VISIT))
                .contains("seed 19, check instant 2025-06-02T09:00+08:00")
                .doesNotContain("failed");
        for (String id : cases.statuses().keySet()) {
            assertThat(report).doesNotContain(id);
        }

        Path file = dir.resolve("planted.jsonl");
        cases.writeJsonLines(file);
        List<String> written = Files.readAllLines(file);
        assertThat(written).hasSize((int) (cases.flaggedRecipients() + cases.pensioners()));
        ObjectMapper json = new ObjectMapper();
        Map<String, Set<ReviewFlagKind>> flags = new HashMap<>();
        Map<String, CertificationStatus> statuses = new HashMap<>();
        for (String line : written) {
            JsonNode node = json.readTree(line);
            String id = node.get("residentId").asText();
            if (node.get("scenario").asText().equals("social-assistance-review")) {
                Set<ReviewFlagKind> kinds = EnumSet.noneOf(ReviewFlagKind.class);
                node.get("flags").forEach(f -> kinds.add(ReviewFlagKind.valueOf(f.asText())));
                flags.put(id, kinds);
            } else {
                assertThat(node.get("scenario").asText()).isEqualTo("pension-certification");
                statuses.put(id, CertificationStatus.valueOf(node.get("status").asText()));
            }
        }
        assertThat(flags).isEqualTo(cases.flags());
        assertThat(statuses).isEqualTo(cases.statuses());
    }

    @Test
    void aHundredThousandPeopleGenerateWithoutKeepingTheirRecords() {
        long[] records = new long[1];
        PlantedCases cases = population(23, 100_000).generate(r -> records[0]++);

        assertThat(cases.records()).isEqualTo(records[0]);
        assertThat(cases.recipients()).isBetween(19_000L, 21_000L);
        assertThat(cases.pensioners()).isBetween(28_500L, 31_500L);
    }

    @Test
    void missingCatalogsAreNamed() {
        LinkedPopulation population = LinkedPopulation.builder(new Properties())
                .catalogs(CATALOGS.subList(0, 6))
                .people(10)
                .seed(1)
                .build();
        assertThatThrownBy(() -> population.generate(r -> {}))
                .isInstanceOf(PublisherSetupException.class)
                .hasMessageContaining("[wj.death-registration, yb.medical-settlement]");
        assertThatThrownBy(() -> LinkedPopulation.builder(new Properties()).people(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("people 0: expected between 1 and 2000000");
    }

    // ---------------------------------------------------------------- helpers

    private static LinkedPopulation population(long seed, int people) {
        return LinkedPopulation.builder(new Properties())
                .catalogs(CATALOGS)
                .people(people)
                .seed(seed)
                .build();
    }

    private static long startMillis() {
        return CitySimulator.SEEDED_START.toEpochMilli();
    }

    private static byte[] encoded(GeneratedRecord generated) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
            new GenericDatumWriter<GenericRecord>(generated.record().getSchema()).write(generated.record(), encoder);
            encoder.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The scenarios' rules ({@code docs/linkage.md}) applied to the records as they were emitted,
     * written apart from the population's own bookkeeping: the latest record per key counts.
     */
    private static final class Oracle {
        final int vehicleCount;
        final long pensionFen;
        final Period window;
        final Set<String> recipients = new HashSet<>();
        final Map<String, String> vehicleOwner = new HashMap<>();
        final Map<String, GenericRecord> businesses = new HashMap<>();
        final Set<String> deregistered = new HashSet<>();
        final Map<String, GenericRecord> employments = new HashMap<>();
        final Map<String, GenericRecord> pensions = new HashMap<>();
        final Map<String, Integer> deaths = new HashMap<>();
        final Map<String, List<Long>> settlements = new HashMap<>();

        Oracle(int vehicleCount, long pensionFen, Period window) {
            this.vehicleCount = vehicleCount;
            this.pensionFen = pensionFen;
            this.window = window;
        }

        void accept(GeneratedRecord r) {
            GenericRecord rec = r.record();
            String key = rec.get("recordId").toString();
            switch (r.catalogId()) {
                case LinkedPopulation.SOCIAL_ASSISTANCE ->
                    recipients.add(rec.get("residentId").toString());
                case LinkedPopulation.VEHICLE_REGISTRATION ->
                    vehicleOwner.put(key, rec.get("ownerResidentId").toString());
                case LinkedPopulation.BUSINESS_REGISTRATION -> businesses.put(key, rec);
                case LinkedPopulation.BUSINESS_DEREGISTRATION ->
                    deregistered.add(rec.get("creditCode").toString());
                case LinkedPopulation.EMPLOYMENT_REGISTRATION -> employments.put(key, rec);
                case LinkedPopulation.PENSION_RECIPIENTS -> pensions.put(key, rec);
                case LinkedPopulation.DEATH_REGISTRATION ->
                    deaths.put(rec.get("residentId").toString(), (Integer) rec.get("deathDate"));
                case LinkedPopulation.MEDICAL_SETTLEMENT ->
                    settlements
                            .computeIfAbsent(rec.get("residentId").toString(), k -> new ArrayList<>())
                            .add((Long) rec.get("settledAt"));
                default -> throw new AssertionError("a population record of " + r.catalogId());
            }
        }

        Map<String, Set<ReviewFlagKind>> flags() {
            Map<String, Set<ReviewFlagKind>> flags = new HashMap<>();
            Map<String, Integer> vehicles = new HashMap<>();
            vehicleOwner.values().forEach(owner -> vehicles.merge(owner, 1, Integer::sum));
            vehicles.forEach((owner, n) -> {
                if (n >= vehicleCount) {
                    flag(flags, owner, ReviewFlagKind.VEHICLE);
                }
            });
            businesses.values().forEach(b -> {
                if (b.get("status").toString().equals("ACTIVE")
                        && !deregistered.contains(b.get("creditCode").toString())) {
                    flag(flags, b.get("legalRepresentativeId").toString(), ReviewFlagKind.BUSINESS);
                }
            });
            employments.values().forEach(e -> {
                if (e.get("endDate") == null) {
                    flag(flags, e.get("residentId").toString(), ReviewFlagKind.EMPLOYED);
                }
            });
            pensions.values().forEach(p -> {
                if (p.get("status").toString().equals("ACTIVE") && (Long) p.get("monthlyPensionFen") >= pensionFen) {
                    flag(flags, p.get("residentId").toString(), ReviewFlagKind.PENSION);
                }
            });
            deaths.keySet().forEach(id -> flag(flags, id, ReviewFlagKind.DECEASED));
            flags.keySet().retainAll(recipients);
            return flags;
        }

        private static void flag(Map<String, Set<ReviewFlagKind>> flags, String id, ReviewFlagKind kind) {
            flags.computeIfAbsent(id, k -> EnumSet.noneOf(ReviewFlagKind.class)).add(kind);
        }

        Map<String, CertificationStatus> statuses() {
            Map<String, CertificationStatus> statuses = new HashMap<>();
            for (GenericRecord p : pensions.values()) {
                if (!p.get("status").toString().equals("ACTIVE")) {
                    continue;
                }
                String id = p.get("residentId").toString();
                long updatedAt = (Long) p.get("updatedAt");
                LocalDate checkDate = LocalDate.ofEpochDay(CivilDates.epochDayInCity(updatedAt));
                long from = checkDate
                        .minus(window)
                        .atStartOfDay(CityZone.ZONE)
                        .toInstant()
                        .toEpochMilli();
                long to = checkDate
                        .plusDays(1)
                        .atStartOfDay(CityZone.ZONE)
                        .toInstant()
                        .toEpochMilli();
                if (deaths.containsKey(id)) {
                    statuses.put(id, CertificationStatus.SUSPEND);
                } else if (settlements.getOrDefault(id, List.of()).stream().anyMatch(t -> t >= from && t < to)) {
                    statuses.put(id, CertificationStatus.CERTIFIED);
                } else {
                    statuses.put(id, CertificationStatus.NEEDS_VISIT);
                }
            }
            return statuses;
        }
    }
}
