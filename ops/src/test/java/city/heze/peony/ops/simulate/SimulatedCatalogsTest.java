package city.heze.peony.ops.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import city.heze.peony.avro.CatalogEntry;
import city.heze.peony.avro.common.FieldRule;
import city.heze.peony.avro.common.RuleFailure;
import city.heze.peony.avro.common.RuleKind;
import city.heze.peony.ops.catalog.CatalogFile;
import city.heze.peony.producers.simulate.DefectKind;
import city.heze.peony.producers.simulate.GeneratedRecord;
import city.heze.peony.producers.simulate.RecordGenerator;
import city.heze.peony.streams.rules.CatalogRules;
import city.heze.peony.streams.rules.ValidationResult;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/**
 * The simulator against the real rule library, for every catalog under {@code ops/catalog/}: a
 * valid record passes every rule (warnings included), and a record with a defect fails a blocking
 * rule of the defect's kind, so that validation rejects exactly the records the simulator reports.
 */
class SimulatedCatalogsTest {
    private static final Path CATALOGS = Path.of("catalog").toAbsolutePath();
    private static final Instant NOW = Instant.parse("2026-03-02T02:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    @Test
    void everyCatalogGetsValidRecordsByConstruction() throws IOException {
        List<Path> files = CatalogFile.filesIn(CATALOGS);
        assertThat(files).hasSizeGreaterThanOrEqualTo(12);
        for (Path file : files) {
            CatalogEntry catalog = CatalogFile.load(file);
            Schema schema = new Schema.Parser().parse(catalog.getSchema$());
            RecordGenerator generator = RecordGenerator.forCatalog(catalog, schema);
            CatalogRules rules = CatalogRules.compile(catalog.getFieldRules(), schema, CLOCK);
            Random random = new Random(catalog.getId().hashCode());
            for (int i = 0; i < 1000; i++) {
                GeneratedRecord generated = generator.next(random, NOW.toEpochMilli() - i * 1000L, null);
                ValidationResult result = rules.evaluate(generated.record());
                assertThat(result.blockingFailures())
                        .as(catalog.getId() + " record " + generated.record())
                        .isEmpty();
                assertThat(result.warnings())
                        .as(catalog.getId() + " record " + generated.record())
                        .isEmpty();
            }
        }
    }

    @Test
    void everyDefectIsCaughtByABlockingRuleOfItsKind() throws IOException {
        Set<DefectKind> seen = EnumSet.noneOf(DefectKind.class);
        for (Path file : CatalogFile.filesIn(CATALOGS)) {
            CatalogEntry catalog = CatalogFile.load(file);
            Schema schema = new Schema.Parser().parse(catalog.getSchema$());
            RecordGenerator generator = RecordGenerator.forCatalog(catalog, schema);
            CatalogRules rules = CatalogRules.compile(catalog.getFieldRules(), schema, CLOCK);
            Map<String, RuleKind> kindOf = catalog.getFieldRules().stream()
                    .collect(Collectors.toMap(FieldRule::getRuleId, FieldRule::getKind));
            assertThat(generator.defectKinds()).as(catalog.getId()).isNotEmpty();
            Random random = new Random(catalog.getId().hashCode());
            for (DefectKind defect : generator.defectKinds()) {
                seen.add(defect);
                for (int i = 0; i < 200; i++) {
                    GeneratedRecord generated = generator.next(random, NOW.toEpochMilli(), defect);
                    List<RuleFailure> blocking =
                            rules.evaluate(generated.record()).blockingFailures();
                    assertThat(blocking)
                            .as(catalog.getId() + " " + defect + " on " + generated.defectField())
                            .anySatisfy(f -> {
                                assertThat(kindOf.get(f.getRuleId())).isEqualTo(defect.rule());
                                assertThat(f.getField()).isEqualTo(generated.defectField());
                            });
                }
            }
        }
        assertThat(seen).containsExactlyInAnyOrder(DefectKind.values());
    }
}
