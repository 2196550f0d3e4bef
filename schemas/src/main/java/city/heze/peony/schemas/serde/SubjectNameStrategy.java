package city.heze.peony.schemas.serde;

import org.apache.avro.Schema;

/**
 * Which registry subject a record's schema belongs to, as Confluent's {@code
 * key.subject.name.strategy} / {@code value.subject.name.strategy} decide it.
 */
public interface SubjectNameStrategy {
    String subjectName(String topic, boolean isKey, Schema schema);
}
