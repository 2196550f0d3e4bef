package city.heze.peony.ops.catalog;

import city.heze.peony.avro.CatalogEntry;
import city.heze.peony.avro.common.FieldRule;
import city.heze.peony.avro.common.OpenField;
import city.heze.peony.schemas.CatalogKeys;
import city.heze.peony.streams.opendata.OpenCatalogs;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A catalog entry as plain JSON-friendly maps, for {@code --json} output. */
final class CatalogJson {
    private CatalogJson() {}

    static Map<String, Object> of(CatalogEntry e, boolean withSchema) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", e.getId());
        m.put("resourceCode", e.getResourceCode());
        m.put("name", e.getName());
        m.put("department", e.getDepartment());
        m.put("departmentName", e.getDepartmentName());
        m.put("description", e.getDescription());
        m.put("shareType", e.getShareType().name());
        m.put("shareCondition", e.getShareCondition());
        m.put("shareMethod", e.getShareMethod());
        m.put("openType", e.getOpenType().name());
        m.put("updateCycle", e.getUpdateCycle().name());
        m.put("shareDeadlineWorkingDays", e.getShareDeadlineWorkingDays());
        m.put("keyField", CatalogKeys.keyField(e));
        m.put("publishedAt", e.getPublishedAt().toString());
        List<Map<String, Object>> rules = new ArrayList<>();
        for (FieldRule r : e.getFieldRules()) {
            Map<String, Object> rule = new LinkedHashMap<>();
            rule.put("id", r.getRuleId());
            rule.put("field", r.getField());
            rule.put("kind", r.getKind().name());
            rule.put("severity", r.getSeverity().name());
            rule.put("parameters", r.getParameters());
            rules.add(rule);
        }
        m.put("rules", rules);
        List<Map<String, Object>> open = new ArrayList<>();
        for (OpenField f : OpenCatalogs.fieldsOf(e)) {
            Map<String, Object> field = new LinkedHashMap<>();
            field.put("field", f.getField());
            field.put("treatment", f.getTreatment().name());
            field.put("parameters", f.getParameters());
            open.add(field);
        }
        m.put("openFields", open);
        m.put("openRequired", e.getOpenRequired());
        if (withSchema) {
            m.put("schema", e.getSchema$());
        }
        return m;
    }
}
