package city.heze.peony.producers.simulate;

import org.apache.avro.generic.GenericRecord;

/**
 * A simulated record of a catalog: valid by construction, or carrying exactly one deliberate defect
 * on the named field.
 */
public record GeneratedRecord(String catalogId, GenericRecord record, DefectKind defect, String defectField) {

    public boolean defective() {
        return defect != null;
    }
}
