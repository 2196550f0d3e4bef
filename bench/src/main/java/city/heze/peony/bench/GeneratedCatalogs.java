package city.heze.peony.bench;

import city.heze.peony.avro.CatalogEntry;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.avro.Schema;

/**
 * Catalogs for the catalog-scale row: copies of the shipped catalogs (their schemas and rules),
 * each under its own id, department and record namespace, spread over the city's 117 departments.
 * The namespace makes every copy a schema of its own in the registry, as distinct catalogs are;
 * Avro's binary form does not depend on names, so records encoded once per template serve every
 * copy of it, framed with the copy's schema id.
 */
final class GeneratedCatalogs {
    /** Heze's departments (委办局) that publish catalogs. */
    static final int DEPARTMENTS = 117;

    /** One generated catalog: its entry and the index of the template it copies. */
    record Generated(CatalogEntry entry, int template) {
        String id() {
            return entry.getId();
        }
    }

    private GeneratedCatalogs() {}

    /**
     * {@code count} catalogs, the i-th a copy of template {@code i % templates.size()} in department
     * {@code i % 117}, with ids unique to {@code tag} and {@code label}.
     */
    static List<Generated> generate(List<CatalogEntry> templates, int count, String tag, String label) {
        List<String> departments = departments(templates);
        List<Schema> schemas = templates.stream()
                .map(t -> new Schema.Parser().parse(t.getSchema$()))
                .toList();
        List<Generated> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int t = i % templates.size();
            CatalogEntry template = templates.get(t);
            String department = departments.get(i % departments.size());
            String name = template.getId().substring(template.getId().indexOf('.') + 1);
            String id = department + "." + name + "-" + label + tag + "-" + i;
            Schema schema = renamed(schemas.get(t), label + tag + "n" + i);
            CatalogEntry entry = CatalogEntry.newBuilder(template)
                    .setId(id)
                    .setDepartment(department)
                    .setResourceCode(template.getResourceCode() + "-" + i)
                    .setSchema$(schema.toString())
                    .build();
            out.add(new Generated(entry, t));
        }
        return out;
    }

    /** The shipped catalogs' departments first, then made-up codes up to 117. */
    static List<String> departments(List<CatalogEntry> templates) {
        Set<String> codes = new LinkedHashSet<>();
        templates.forEach(t -> codes.add(t.getDepartment()));
        for (int k = 0; codes.size() < DEPARTMENTS; k++) {
            codes.add("dept" + (char) ('a' + k / 26) + (char) ('a' + k % 26));
        }
        return List.copyOf(codes);
    }

    /** The same record under another namespace: another schema for the registry, the same binary form. */
    private static Schema renamed(Schema schema, String suffix) {
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field f : schema.getFields()) {
            fields.add(new Schema.Field(f, f.schema()));
        }
        String namespace = (schema.getNamespace() == null ? "" : schema.getNamespace() + ".") + "bench." + suffix;
        return Schema.createRecord(schema.getName(), schema.getDoc(), namespace, false, fields);
    }
}
