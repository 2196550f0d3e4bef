package city.heze.peony.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.specific.SpecificData;
import org.junit.jupiter.api.Test;

/** Every contract stays compatible with the versions of it already published (contract-history/). */
class ContractEvolutionTest {
    private static final Path HISTORY = Path.of("src/test/resources/contract-history");
    private static final Path CONTRACTS = Path.of("src/main/avro");

    @Test
    void everyContractReadsEveryPublishedVersionAndTheLatestReadsIt() throws Exception {
        List<String> checked = new ArrayList<>();
        for (Path dir : list(HISTORY).filter(Files::isDirectory).toList()) {
            String fullName = dir.getFileName().toString();
            Schema current = SpecificData.get().getSchema(Class.forName(fullName));
            List<Path> versions = list(dir)
                    .filter(p -> p.getFileName().toString().matches("v\\d+\\.avsc"))
                    .sorted(Comparator.comparingInt(ContractEvolutionTest::versionOf))
                    .toList();
            assertThat(versions).as(fullName + " has published versions").isNotEmpty();
            for (Path version : versions) {
                Schema old = new Schema.Parser().parse(version.toFile());
                var backward = SchemaCompatibility.checkReaderWriterCompatibility(current, old);
                assertThat(backward.getType())
                        .as(
                                "%s: the current schema must read data written with %s: %s",
                                fullName, version.getFileName(), backward.getDescription())
                        .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
            }
            Schema latest =
                    new Schema.Parser().parse(versions.get(versions.size() - 1).toFile());
            var forward = SchemaCompatibility.checkReaderWriterCompatibility(latest, current);
            assertThat(forward.getType())
                    .as(
                            "%s: readers of the latest published version must read the current one: %s",
                            fullName, forward.getDescription())
                    .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
            checked.add(fullName);
        }
        assertThat(checked).contains("city.heze.peony.avro.CatalogEntry", "city.heze.peony.avro.Rejection");
    }

    @Test
    void everyRecordContractHasAPublishedVersion() throws Exception {
        ObjectMapper json = new ObjectMapper();
        List<String> missing = new ArrayList<>();
        try (Stream<Path> files = Files.walk(CONTRACTS)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".avsc")).toList()) {
                JsonNode schema = json.readTree(file.toFile());
                if ("record".equals(schema.path("type").asText())) {
                    String fullName = schema.path("namespace").asText() + "."
                            + schema.path("name").asText();
                    if (!Files.isDirectory(HISTORY.resolve(fullName))) {
                        missing.add(fullName + " (" + file + ")");
                    }
                }
            }
        }
        assertThat(missing)
                .as("record contracts without a published version under " + HISTORY)
                .isEmpty();
    }

    @Test
    void anIncompatibleChangeWouldBeCaught() {
        Schema v1 = new Schema.Parser().parse("""
                {"type":"record","name":"R","namespace":"t","fields":[{"name":"a","type":"string"}]}""");
        Schema required = new Schema.Parser().parse("""
                {"type":"record","name":"R","namespace":"t","fields":[{"name":"a","type":"string"},
                 {"name":"b","type":"string"}]}""");
        assertThat(SchemaCompatibility.checkReaderWriterCompatibility(required, v1)
                        .getType())
                .isEqualTo(SchemaCompatibilityType.INCOMPATIBLE);
    }

    private static int versionOf(Path file) {
        String name = file.getFileName().toString();
        return Integer.parseInt(name.substring(1, name.indexOf('.')));
    }

    private static Stream<Path> list(Path dir) throws IOException {
        return Files.list(dir).toList().stream();
    }
}
