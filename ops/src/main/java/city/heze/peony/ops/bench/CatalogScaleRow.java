package city.heze.peony.ops.bench;

import city.heze.peony.avro.CatalogEntry;
import city.heze.peony.bench.BenchCluster;
import city.heze.peony.bench.CatalogScaleBench;
import city.heze.peony.ops.UserException;
import city.heze.peony.ops.catalog.CatalogFile;
import city.heze.peony.ops.catalog.CatalogFileException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code peony bench --catalogs N}: the catalog-scale row ({@link CatalogScaleBench}), run after
 * the other rows on the same cluster, with every catalog file of the bench's catalog folder as a
 * template. Its figures are printed after the table and added to the JSON as {@code catalogScale}.
 */
final class CatalogScaleRow {
    private CatalogScaleRow() {}

    static List<CatalogEntry> templates(Path catalogFolder) {
        List<CatalogEntry> templates = new ArrayList<>();
        try {
            for (Path file : CatalogFile.filesIn(catalogFolder)) {
                templates.add(CatalogFile.load(file));
            }
        } catch (CatalogFileException e) {
            throw new UserException("--catalogs: a template catalog " + e.getMessage());
        } catch (IOException e) {
            throw new UserException("--catalogs: cannot list " + catalogFolder + ": " + e.getMessage());
        }
        if (templates.isEmpty()) {
            throw new UserException("--catalogs: no catalog files in " + catalogFolder + " to copy");
        }
        return templates;
    }

    /** @param stateDir an empty folder for the validation state of the generated catalogs */
    static void run(
            BenchCluster kafka,
            int catalogs,
            int records,
            int runs,
            int partitions,
            Path catalogFolder,
            Path stateDir,
            Path json)
            throws IOException {
        CatalogScaleBench.Result result = CatalogScaleBench.run(
                kafka,
                new CatalogScaleBench.Settings(
                        catalogs, records, runs, partitions, templates(catalogFolder), stateDir, System.err));
        System.out.print(result.table());
        System.out.flush();
        if (json != null) {
            ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            // Beside the other rows' report, or on its own with --catalogs-only.
            ObjectNode root =
                    Files.isRegularFile(json) ? (ObjectNode) mapper.readTree(json.toFile()) : mapper.createObjectNode();
            root.set("catalogScale", mapper.valueToTree(result));
            mapper.writeValue(json.toFile(), root);
        }
    }
}
