package city.heze.peony.ops.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import city.heze.peony.avro.CatalogEntry;
import city.heze.peony.ops.catalog.CatalogFile;
import city.heze.peony.producers.simulate.CitySimulator;
import city.heze.peony.producers.simulate.LinkedPopulation;
import city.heze.peony.producers.simulate.PlantedCases;
import city.heze.peony.streams.rules.CatalogRules;
import city.heze.peony.streams.rules.ValidationResult;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/**
 * Every record of a linked population passes every rule of its catalog under {@code ops/catalog/},
 * judged by the rule library validation runs: a record a blocking rule rejected would never reach
 * {@code shared.*}, and the case planted in it would be lost. The clock stands at the check instant,
 * the latest moment any record is dated, so "not in the future" is judged at its strictest.
 */
class LinkedPopulationRulesTest {
    private static final Path CATALOGS = Path.of("catalog").toAbsolutePath();
    private static final Clock CLOCK = Clock.fixed(CitySimulator.SEEDED_START, ZoneOffset.UTC);

    @Test
    void everyRecordOfFiveThousandPeoplePassesEveryRuleOfItsCatalog() throws IOException {
        List<CatalogEntry> catalogs = new ArrayList<>();
        for (Path file : CatalogFile.filesIn(CATALOGS)) {
            catalogs.add(CatalogFile.load(file));
        }
        Map<String, CatalogRules> rules = new HashMap<>();
        for (CatalogEntry catalog : catalogs) {
            Schema schema = new Schema.Parser().parse(catalog.getSchema$());
            rules.put(catalog.getId(), CatalogRules.compile(catalog.getFieldRules(), schema, CLOCK));
        }
        Map<String, Long> judged = new LinkedHashMap<>();
        List<String> failures = new ArrayList<>();

        PlantedCases cases = LinkedPopulation.builder(new Properties())
                .catalogs(catalogs)
                .people(5_000)
                .seed(2026)
                .build()
                .generate(generated -> {
                    ValidationResult result = rules.get(generated.catalogId()).evaluate(generated.record());
                    if (!result.blockingFailures().isEmpty()
                            || !result.warnings().isEmpty()) {
                        failures.add(generated.catalogId() + " " + result.blockingFailures() + " " + result.warnings()
                                + " in " + generated.record());
                    }
                    judged.merge(generated.catalogId(), 1L, Long::sum);
                });

        assertThat(failures).as("records failing a rule").isEmpty();
        assertThat(judged).isEqualTo(cases.recordsByCatalog());
        assertThat(judged.keySet()).containsExactlyInAnyOrderElementsOf(LinkedPopulation.CATALOG_IDS);
        assertThat(judged.values()).allSatisfy(n -> assertThat(n).isPositive());
        assertThat(cases.flaggedRecipients()).isPositive();
        assertThat(cases.pensioners()).isPositive();
    }
}
