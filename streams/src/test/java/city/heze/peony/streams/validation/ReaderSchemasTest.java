package city.heze.peony.streams.validation;

import static org.assertj.core.api.Assertions.assertThat;

import city.heze.peony.avro.common.RuleKind;
import city.heze.peony.avro.dept.SocialAssistanceRecipient;
import city.heze.peony.registry.InProcessSchemaRegistryClient;
import city.heze.peony.schemas.serde.PeonyAvroDeserializer;
import city.heze.peony.schemas.serde.PeonyAvroSerializer;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.util.Utf8;
import org.junit.jupiter.api.Test;

/** The reader schema: Java strings where rules read, Utf8 elsewhere, and the catalog's fields unchanged. */
class ReaderSchemasTest {

    @Test
    void fieldsRulesReadAreJavaStringsTheOthersStayUtf8() {
        var rules = List.of(
                ValidationFixtures.rule("r.id", "residentId", RuleKind.RESIDENT_ID),
                ValidationFixtures.warning("r.phone", "phone", RuleKind.MOBILE),
                ValidationFixtures.rule(
                        "r.birth", "residentId", RuleKind.ID_MATCHES_BIRTH_DATE, "birthDateField", "birthDate"));
        Schema catalog = SocialAssistanceRecipient.getClassSchema();
        Schema reader = ReaderSchemas.parse(catalog.toString(), rules);

        assertThat(reader.getFields())
                .extracting(Schema.Field::name)
                .isEqualTo(catalog.getFields().stream().map(Schema.Field::name).toList());
        assertThat(reader.getField("residentId").schema().getProp(ReaderSchemas.JAVA_STRING_PROPERTY))
                .isEqualTo("String");
        assertThat(reader.getField("name").schema().getProp(ReaderSchemas.JAVA_STRING_PROPERTY))
                .isNull();

        InProcessSchemaRegistryClient registry = InProcessSchemaRegistryClient.ofFreshRegistry();
        byte[] bytes = new PeonyAvroSerializer(registry, Map.of(), false)
                .serialize("raw.mz.social-assistance", ValidationFixtures.recipient(1));
        GenericRecord record = (GenericRecord)
                new PeonyAvroDeserializer(registry, Map.of(), false).deserialize("raw.x", bytes, reader);
        assertThat(record.get("residentId")).isInstanceOf(String.class);
        assertThat(record.get("phone")).isInstanceOf(String.class);
        assertThat(record.get("name")).isInstanceOf(Utf8.class);
        assertThat(record.get("recordId")).isInstanceOf(Utf8.class);
        assertThat(record.get("name").toString()).isEqualTo("张秀英");
    }
}
