package city.heze.peony.ops.linkage;

import city.heze.peony.avro.linkage.CertificationStatus;
import city.heze.peony.avro.linkage.ReviewFlagKind;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** The planted cases as {@code peony simulate --planted} and {@code peony up --simulate} write them. */
record PlantedFile(Map<String, Set<ReviewFlagKind>> flags, Map<String, CertificationStatus> statuses) {

    static PlantedFile read(Path file) throws IOException {
        ObjectMapper json = new ObjectMapper();
        Map<String, Set<ReviewFlagKind>> flags = new TreeMap<>();
        Map<String, CertificationStatus> statuses = new TreeMap<>();
        for (String line : Files.readAllLines(file)) {
            JsonNode node = json.readTree(line);
            String resident = node.get("residentId").asText();
            if (node.has("flags")) {
                Set<ReviewFlagKind> kinds = new TreeSet<>();
                node.get("flags").forEach(k -> kinds.add(ReviewFlagKind.valueOf(k.asText())));
                flags.put(resident, kinds);
            } else {
                statuses.put(
                        resident, CertificationStatus.valueOf(node.get("status").asText()));
            }
        }
        return new PlantedFile(flags, statuses);
    }
}
