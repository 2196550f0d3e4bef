package city.heze.peony.ops.opendata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import city.heze.peony.avro.OpenQualifiedRate;
import city.heze.peony.avro.OpenWithheld;
import city.heze.peony.ops.PeonyProcess;
import city.heze.peony.ops.TopicSnapshot;
import city.heze.peony.ops.catalog.CatalogFile;
import city.heze.peony.producers.simulate.RecordGenerator;
import city.heze.peony.schemas.ClientConfigs;
import city.heze.peony.schemas.PeonySerdes;
import city.heze.peony.schemas.Topics;
import city.heze.peony.schemas.serde.PeonyAvroDeserializer;
import city.heze.peony.streams.opendata.OpenChecks;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code peony up --simulate} opens the OPEN catalogs: every record of them that reaches {@code
 * shared.*} is counted on {@code peony.open.rates}, what is on {@code open.*} is exactly what the rates
 * call opened, and an independent scan of every string on {@code open.*} finds no resident ID,
 * mobile number, card number or declared name. The records withheld for what the simulator planted
 * (personal information in free text) are exactly as many as it says it planted. Prints the measured
 * open-qualified rate.
 */
class OpenStackIT {
    private static final int RECORDS = 1500;
    private static final Duration START = Duration.ofMinutes(3);
    private static final Duration SETTLE = Duration.ofMinutes(3);
    private static final List<String> OPEN = List.of("scjg.business-registration", "scjg.business-deregistration");

    private static final String PLANTED_PREFIX = "planted to withhold from opening: ";
    private static final Pattern PLANTED = Pattern.compile(Pattern.quote(PLANTED_PREFIX) + "(\\d+) records");
    /** The field the simulator plants personal information in, per OPEN catalog. */
    private static final Map<String, String> PLANT_FIELDS = OPEN.stream()
            .collect(Collectors.toMap(
                    id -> id,
                    id -> RecordGenerator.forCatalog(CatalogFile.load(Path.of("catalog", id + ".yaml")))
                            .openPlantFields()
                            .get(0)));

    @TempDir
    Path dataDir;

    @Test
    void theSimulatedCityIsOpenedWithNoPersonalInformation() throws Exception {
        try (PeonyProcess peony = PeonyProcess.up(
                dataDir,
                "--simulate",
                "--simulate-rate",
                "300",
                "--simulate-count",
                Integer.toString(RECORDS),
                "--simulate-seed",
                "42")) {
            Map<String, String> up = PeonyProcess.fields(peony.awaitLine("Peony is up:", START));
            Properties client = new Properties();
            client.put("bootstrap.servers", up.get("bootstrap.servers"));
            client.put("schema.registry.url", up.get("schema.registry.url"));
            // The simulator's summary: how many valid records of OPEN catalogs it planted personal information in.
            Matcher plantedLine = PLANTED.matcher(peony.awaitLine("peony up: " + PLANTED_PREFIX, START));
            assertThat(plantedLine.find()).isTrue();
            long planted = Long.parseLong(plantedLine.group(1));

            // Settle: the rates count every shared record of the OPEN catalogs, and open.* holds the opened ones.
            long deadline = System.nanoTime() + SETTLE.toNanos();
            long shared;
            Map<String, OpenQualifiedRate> months;
            List<GenericRecord> opened;
            List<OpenWithheld> withheld;
            do {
                Thread.sleep(1000);
                shared = 0;
                for (String id : OPEN) {
                    shared += count(client, Topics.shared(id));
                }
                months = monthRates(client);
                opened = openRecords(client);
                withheld = withheld(client);
            } while ((shared == 0
                            || due(months) != shared
                            || opened.size() != opened(months)
                            || withheld.size() != due(months) - opened(months))
                    && System.nanoTime() < deadline);
            assertThat(shared).as("records of OPEN catalogs shared").isPositive();
            assertThat(due(months)).as("due on peony.open.rates: %s", months).isEqualTo(shared);
            assertThat(opened).hasSize((int) opened(months));

            for (GenericRecord r : opened) {
                List<String> strings = new ArrayList<>();
                strings(r, strings);
                for (String s : strings) {
                    assertThat(Independent.findings(s)).as("on open.*: '%s'", s).isEmpty();
                }
                assertThat(r.getSchema().getField("legalRepresentativeId")).isNull();
                assertThat(r.getSchema().getField("phone")).isNull();
            }
            // Every withheld record is on peony.open.withheld with its reasons; those withheld on the field
            // the simulator plants in, for what it plants there, are exactly the planted ones.
            assertThat(withheld).hasSize((int) (due(months) - opened(months)));
            long asPlanted = withheld.stream().filter(OpenStackIT::asPlanted).count();
            assertThat(planted).as("records planted to withhold").isPositive();
            assertThat(asPlanted).as("withheld for what was planted").isEqualTo(planted);
            for (OpenQualifiedRate r : months.values()) {
                assertThat(r.getWithheld()).isEqualTo(r.getDue() - r.getOpened());
                assertThat(r.getRate()).isCloseTo((double) r.getOpened() / r.getDue(), within(1e-9));
            }
            System.out.printf(
                    "withheld %d of %d due: %d as planted (the simulator planted %d), %d for what the generator made"
                            + " by chance (digits of record ids and credit codes that read as a mobile or resident ID)%n",
                    withheld.size(), due(months), asPlanted, planted, withheld.size() - asPlanted);
            double rate = (double) opened(months) / due(months);
            System.out.printf(
                    "open-qualified rate of the simulated city: %d opened of %d due = %.4f (%s)%n",
                    opened(months), due(months), rate, months.keySet());
            assertThat(peony.terminate(Duration.ofSeconds(30))).isZero();
        }
    }

    /** Withheld on the field the simulator plants in, for a mobile or resident ID: what it planted. */
    private static boolean asPlanted(OpenWithheld w) {
        String field = PLANT_FIELDS.get(w.getCatalogId());
        return w.getReasons().stream()
                .anyMatch(f -> field.equals(f.getField())
                        && (f.getRuleId().equals(OpenChecks.MOBILE)
                                || f.getRuleId().equals(OpenChecks.RESIDENT_ID)));
    }

    private static List<OpenWithheld> withheld(Properties client) {
        Deserializer<OpenWithheld> values = new PeonySerdes(ClientConfigs.toMap(client))
                .value(OpenWithheld.class)
                .deserializer();
        List<OpenWithheld> out = new ArrayList<>();
        TopicSnapshot.read(client, Topics.OPEN_WITHHELD.name(), values, (k, v) -> out.add(v));
        return out;
    }

    private static long due(Map<String, OpenQualifiedRate> months) {
        return months.values().stream().mapToLong(OpenQualifiedRate::getDue).sum();
    }

    private static long opened(Map<String, OpenQualifiedRate> months) {
        return months.values().stream().mapToLong(OpenQualifiedRate::getOpened).sum();
    }

    /** The latest MONTH rate of each OPEN catalog (not the department-wide ones). */
    private static Map<String, OpenQualifiedRate> monthRates(Properties client) {
        Deserializer<OpenQualifiedRate> values = new PeonySerdes(ClientConfigs.toMap(client))
                .value(OpenQualifiedRate.class)
                .deserializer();
        Map<String, OpenQualifiedRate> latest = new HashMap<>();
        TopicSnapshot.read(client, Topics.OPEN_RATES.name(), values, (k, v) -> {
            if (v.getCatalogId() != null && v.getPeriod().name().equals("MONTH")) {
                latest.put(k, v);
            }
        });
        return latest;
    }

    private static long count(Properties client, String topic) {
        long[] n = {0};
        TopicSnapshot.read(client, topic, new StringDeserializer(), (k, v) -> n[0]++);
        return n[0];
    }

    private static List<GenericRecord> openRecords(Properties client) {
        List<GenericRecord> out = new ArrayList<>();
        try (PeonyAvroDeserializer values = new PeonyAvroDeserializer()) {
            values.configure(ClientConfigs.toMap(client), false);
            for (String id : OPEN) {
                TopicSnapshot.read(client, Topics.open(id), values, (k, v) -> out.add((GenericRecord) v));
            }
        }
        return out;
    }

    private static void strings(Object value, List<String> out) {
        if (value instanceof CharSequence s) {
            out.add(s.toString());
        } else if (value instanceof GenericRecord r) {
            for (Schema.Field f : r.getSchema().getFields()) {
                strings(r.get(f.pos()), out);
            }
        } else if (value instanceof List<?> items) {
            items.forEach(item -> strings(item, out));
        } else if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> {
                strings(k, out);
                strings(v, out);
            });
        }
    }

    /** An independent scan, with its own arithmetic: not OpenChecks'. */
    static final class Independent {
        private static final Pattern NUMBER = Pattern.compile("[0-9]+[Xx]?");
        private static final int[] WEIGHTS = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};

        static List<String> findings(String text) {
            List<String> found = new ArrayList<>();
            Matcher m = NUMBER.matcher(text);
            while (m.find()) {
                String digits = m.group().toUpperCase();
                for (int i = 0; i + 18 <= digits.length(); i++) {
                    String id = digits.substring(i, i + 18);
                    if (id.matches("[0-9]{17}[0-9X]") && check(id) == id.charAt(17) && realDate(id.substring(6, 14))) {
                        found.add("resident id");
                    }
                }
                String plain = digits.replace("X", "");
                if (plain.matches("1[3-9][0-9]{9}")) {
                    found.add("mobile");
                }
            }
            return found;
        }

        private static boolean realDate(String yyyymmdd) {
            try {
                java.time.LocalDate.parse(yyyymmdd, java.time.format.DateTimeFormatter.BASIC_ISO_DATE);
                return true;
            } catch (java.time.format.DateTimeParseException e) {
                return false;
            }
        }

        private static char check(String id) {
            int sum = 0;
            for (int i = 0; i < 17; i++) {
                sum += (id.charAt(i) - '0') * WEIGHTS[i];
            }
            return "10X98765432".charAt(sum % 11);
        }
    }
}
