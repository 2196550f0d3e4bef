package city.heze.peony.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import city.heze.peony.avro.dept.SocialAssistanceRecipient;
import city.heze.peony.registry.InProcessSchemaRegistryClient;
import city.heze.peony.registry.LocalSchemaRegistries;
import city.heze.peony.schemas.DepartmentRecords;
import city.heze.peony.schemas.TestSchemas;
import city.heze.peony.schemas.registry.SchemaRegistryClient;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class PeonyAvroSerdeTest {
    private static final String TOPIC = "raw.mz.social-assistance";
    private static final Map<String, Object> NO_URL = Map.of();

    private final InProcessSchemaRegistryClient client = InProcessSchemaRegistryClient.ofFreshRegistry();

    private PeonyAvroSerializer serializer(Map<String, ?> configs) {
        return new PeonyAvroSerializer(client, configs, false);
    }

    private PeonyAvroDeserializer deserializer(Map<String, ?> configs) {
        return new PeonyAvroDeserializer(client, configs, false);
    }

    private static Schema schema(String text) {
        return new Schema.Parser().parse(text);
    }

    private static GenericRecord resident(String schemaText, String name) {
        return new GenericRecordBuilder(schema(schemaText)).set("name", name).build();
    }

    @Test
    void aSpecificRecordRoundTripsInConfluentsWireFormat() {
        SpecificAvroSerde<SocialAssistanceRecipient> serde =
                new SpecificAvroSerde<>(client, SocialAssistanceRecipient.class);
        serde.configure(NO_URL, false);
        SocialAssistanceRecipient record = DepartmentRecords.recipient(7);

        byte[] bytes = serde.serializer().serialize(TOPIC, record);

        int id = client.latest(TOPIC + "-value").id();
        assertThat(bytes[0]).isZero();
        assertThat(AvroWireFormat.schemaIdOf(TOPIC, bytes)).isEqualTo(id);
        assertThat(serde.deserializer().deserialize(TOPIC, bytes)).isEqualTo(record);
    }

    @Test
    void aGenericRecordRoundTripsAndSpecificReaderPicksTheGeneratedClass() {
        GenericRecord generic = GenericData.get().deepCopy(SocialAssistanceRecipient.getClassSchema(), asGeneric());

        byte[] bytes = serializer(NO_URL).serialize(TOPIC, generic);

        Object asGeneric = deserializer(NO_URL).deserialize(TOPIC, bytes);
        Object asSpecific = deserializer(Map.of(PeonyAvroSerdeConfig.SPECIFIC_AVRO_READER_CONFIG, "true"))
                .deserialize(TOPIC, bytes);
        assertThat(asGeneric).isInstanceOf(GenericData.Record.class).isEqualTo(generic);
        assertThat(asSpecific).isEqualTo(DepartmentRecords.recipient(3));
    }

    /** recipient(3) as a GenericRecord with raw logical values (days, millis), as generic producers build it. */
    private static GenericRecord asGeneric() {
        SocialAssistanceRecipient r = DepartmentRecords.recipient(3);
        Schema schema = SocialAssistanceRecipient.getClassSchema();
        return new GenericRecordBuilder(schema)
                .set("recordId", r.getRecordId())
                .set("residentId", r.getResidentId())
                .set("name", r.getName())
                .set(
                        "sex",
                        new GenericData.EnumSymbol(
                                schema.getField("sex").schema(), r.getSex().name()))
                .set("birthDate", (int) r.getBirthDate().toEpochDay())
                .set("regionCode", r.getRegionCode())
                .set(
                        "assistanceType",
                        new GenericData.EnumSymbol(
                                schema.getField("assistanceType").schema(),
                                r.getAssistanceType().name()))
                .set("monthlyAmountFen", r.getMonthlyAmountFen())
                .set("householdSize", r.getHouseholdSize())
                .set("approvedOn", (int) r.getApprovedOn().toEpochDay())
                .set("phone", r.getPhone())
                .set("updatedAt", r.getUpdatedAt().toEpochMilli())
                .build();
    }

    @Test
    void logicalTypeConvertersGiveJavaTimeInGenericRecords() {
        byte[] bytes = serializer(NO_URL).serialize(TOPIC, DepartmentRecords.recipient(1));

        GenericRecord read =
                (GenericRecord) deserializer(Map.of(PeonyAvroSerdeConfig.AVRO_USE_LOGICAL_TYPE_CONVERTERS_CONFIG, true))
                        .deserialize(TOPIC, bytes);

        assertThat(read.get("birthDate")).isEqualTo(LocalDate.of(1980, 1, 1));
    }

    @Test
    void readingResolvesTheWritersSchemaAgainstTheReaders() {
        client.registry().setCompatibility(null, city.heze.peony.schemas.registry.CompatibilityLevel.NONE);
        byte[] writtenWithV1 = serializer(NO_URL).serialize("residents", resident(TestSchemas.RESIDENT_V1, "王芳"));
        byte[] writtenWithV2 = serializer(NO_URL)
                .serialize(
                        "residents",
                        new GenericRecordBuilder(schema(TestSchemas.RESIDENT_V2))
                                .set("name", "赵磊")
                                .set("age", 41)
                                .build());
        PeonyAvroDeserializer reader = deserializer(NO_URL);

        GenericRecord v1AsV2 =
                (GenericRecord) reader.deserialize("residents", writtenWithV1, schema(TestSchemas.RESIDENT_V2));
        GenericRecord v2AsV1 =
                (GenericRecord) reader.deserialize("residents", writtenWithV2, schema(TestSchemas.RESIDENT_V1));

        assertThat(v1AsV2.get("name")).hasToString("王芳");
        assertThat(v1AsV2.get("age")).isEqualTo(0);
        assertThat(v2AsV1.get("name")).hasToString("赵磊");
        assertThat(v2AsV1.hasField("age")).isFalse();
    }

    @Test
    void aTypedSerdeReadsARecordWrittenWithAnOlderSchemaOfItsClass() {
        Schema current = SocialAssistanceRecipient.getClassSchema();
        List<Schema.Field> olderFields = current.getFields().stream()
                .filter(f -> !f.name().equals("phone"))
                .map(f -> new Schema.Field(f, f.schema()))
                .toList();
        String older = Schema.createRecord(
                        current.getName(), current.getDoc(), current.getNamespace(), false, olderFields)
                .toString();
        GenericRecord old = new GenericData.Record(schema(older));
        GenericRecord full = asGeneric();
        for (Schema.Field field : old.getSchema().getFields()) {
            old.put(field.name(), full.get(field.name()));
        }
        byte[] bytes = serializer(NO_URL).serialize(TOPIC, old);
        SpecificAvroSerde<SocialAssistanceRecipient> serde =
                new SpecificAvroSerde<>(client, SocialAssistanceRecipient.class);
        serde.configure(NO_URL, false);

        SocialAssistanceRecipient read = serde.deserializer().deserialize(TOPIC, bytes);

        assertThat(read.getRecordId()).isEqualTo("MZ-2025-3");
        assertThat(read.getPhone()).isNull();
        assertThat(read.getBirthDate()).isEqualTo(LocalDate.of(1980, 1, 1));
    }

    @Test
    void primitivesRoundTripAsConfluentReturnsThem() {
        PeonyAvroSerializer keys = new PeonyAvroSerializer(client, NO_URL, true);
        PeonyAvroDeserializer keyReader = new PeonyAvroDeserializer(client, NO_URL, true);

        byte[] text = keys.serialize(TOPIC, "MZ-2025-1");
        byte[] raw = keys.serialize("blobs", new byte[] {1, 2, 3});

        assertThat(keyReader.deserialize(TOPIC, text)).isEqualTo("MZ-2025-1");
        assertThat((byte[]) keyReader.deserialize("blobs", raw)).containsExactly(1, 2, 3);
        assertThat(client.subjects()).contains(TOPIC + "-key", "blobs-key");
        assertThat(keys.serialize(TOPIC, null)).isNull();
        assertThat(keyReader.deserialize(TOPIC, null)).isNull();
    }

    @Test
    void aValueThatIsNotAvroIsRefusedByName() {
        assertThatThrownBy(() -> serializer(NO_URL).serialize(TOPIC, new java.util.Date()))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("java.util.Date")
                .hasMessageContaining(TOPIC);
    }

    // ---- bad input ----

    private byte[] validPayload() {
        return serializer(NO_URL).serialize(TOPIC, DepartmentRecords.recipient(5));
    }

    @Test
    void aPayloadShorterThanTheHeaderIsNamed() {
        assertThatThrownBy(() -> deserializer(NO_URL).deserialize(TOPIC, new byte[] {0, 0, 1}))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("'" + TOPIC + "'")
                .hasMessageContaining("3 bytes")
                .hasMessageContaining("5-byte header");
    }

    @Test
    void aPayloadWithoutTheMagicByteIsNamed() {
        byte[] json = "{\"recordId\":\"MZ-1\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);

        assertThatThrownBy(() -> deserializer(NO_URL).deserialize(TOPIC, json))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("'" + TOPIC + "'")
                .hasMessageContaining("unknown magic byte 0x7b");
        assertThat(AvroWireFormat.hasHeader(json)).isFalse();
    }

    @Test
    void anUnknownSchemaIdIsNamed() {
        byte[] payload = validPayload();
        payload[3] = 0x10; // id 4096 + original

        assertThatThrownBy(() -> deserializer(NO_URL).deserialize(TOPIC, payload))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("'" + TOPIC + "'")
                .hasMessageContaining("schema id " + AvroWireFormat.schemaIdOf(TOPIC, payload) + " is unknown")
                .hasMessageContaining("40403");
    }

    @Test
    void aTruncatedPayloadIsNamedWithItsSchemaId() {
        byte[] payload = validPayload();
        int id = AvroWireFormat.schemaIdOf(TOPIC, payload);
        byte[] truncated = Arrays.copyOf(payload, payload.length - 12);

        assertThatThrownBy(() -> deserializer(NO_URL).deserialize(TOPIC, truncated))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("'" + TOPIC + "'")
                .hasMessageContaining("schema id " + id)
                .hasMessageContaining("truncated");
    }

    @Test
    void bytesLeftOverAfterTheRecordAreNamed() {
        byte[] payload = validPayload();
        byte[] padded = Arrays.copyOf(payload, payload.length + 3);

        assertThatThrownBy(() -> deserializer(NO_URL).deserialize(TOPIC, padded))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("left over");
    }

    @Test
    void aCorruptLengthIsAnErrorNotAHugeAllocation() {
        byte[] payload = validPayload();
        byte[] corrupt = Arrays.copyOf(payload, 12);
        // The first field is a string: replace its length with a varint of about a billion.
        corrupt[5] = (byte) 0xfe;
        corrupt[6] = (byte) 0xff;
        corrupt[7] = (byte) 0xff;
        corrupt[8] = (byte) 0xff;
        corrupt[9] = (byte) 0x07;

        assertThatThrownBy(() -> deserializer(NO_URL).deserialize(TOPIC, corrupt))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("schema id");
    }

    @Test
    void aReaderSchemaThatCannotReadTheWritersIsNamed() {
        byte[] payload = validPayload();

        assertThatThrownBy(() -> deserializer(NO_URL).deserialize(TOPIC, payload, schema(TestSchemas.VEHICLE)))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("as city.heze.test.Vehicle");
    }

    // ---- registration settings ----

    @Test
    void withoutAutoRegisterTheSchemaMustAlreadyBeRegistered() {
        PeonyAvroSerializer strict = serializer(Map.of(PeonyAvroSerdeConfig.AUTO_REGISTER_SCHEMAS, "false"));

        assertThatThrownBy(() -> strict.serialize(TOPIC, DepartmentRecords.recipient(1)))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("subject '" + TOPIC + "-value'")
                .hasMessageContaining("auto.register.schemas=false");

        int id = client.register(TOPIC + "-value", SocialAssistanceRecipient.getClassSchema());
        PeonyAvroSerializer afterRegistration = serializer(Map.of(PeonyAvroSerdeConfig.AUTO_REGISTER_SCHEMAS, false));
        assertThat(AvroWireFormat.schemaIdOf(TOPIC, afterRegistration.serialize(TOPIC, DepartmentRecords.recipient(1))))
                .isEqualTo(id);
    }

    @Test
    void useLatestVersionWritesWithTheLatestIdAndRefusesAnotherSchema() {
        client.register("residents-value", TestSchemas.RESIDENT_V1);
        int latest = client.register("residents-value", TestSchemas.RESIDENT_V2);
        PeonyAvroSerializer latestOnly = serializer(Map.of(
                PeonyAvroSerdeConfig.USE_LATEST_VERSION, "true", PeonyAvroSerdeConfig.AUTO_REGISTER_SCHEMAS, "false"));

        byte[] bytes = latestOnly.serialize(
                "residents",
                new GenericRecordBuilder(schema(TestSchemas.RESIDENT_V2))
                        .set("name", "孙丽")
                        .set("age", 30)
                        .build());

        assertThat(AvroWireFormat.schemaIdOf("residents", bytes)).isEqualTo(latest);
        assertThatThrownBy(() -> latestOnly.serialize("residents", resident(TestSchemas.RESIDENT_V1, "周强")))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("latest schema of subject 'residents-value'")
                .hasMessageContaining("id " + latest);
    }

    @Test
    void subjectNameStrategiesAcceptPeonysAndConfluentsNames() {
        SocialAssistanceRecipient record = DepartmentRecords.recipient(1);
        String recordName = SocialAssistanceRecipient.getClassSchema().getFullName();

        serializer(Map.of(
                        PeonyAvroSerdeConfig.VALUE_SUBJECT_NAME_STRATEGY,
                        "io.confluent.kafka.serializers.subject.RecordNameStrategy"))
                .serialize("a", record);
        serializer(Map.of(PeonyAvroSerdeConfig.VALUE_SUBJECT_NAME_STRATEGY, TopicRecordNameStrategy.class))
                .serialize("b", record);
        new PeonyAvroSerializer(
                        client,
                        Map.of(
                                PeonyAvroSerdeConfig.KEY_SUBJECT_NAME_STRATEGY,
                                "io.confluent.kafka.serializers.subject.TopicNameStrategy"),
                        true)
                .serialize("c", record);

        assertThat(client.subjects()).containsExactlyInAnyOrder(recordName, "b-" + recordName, "c-key");
        assertThatThrownBy(() -> serializer(Map.of(PeonyAvroSerdeConfig.VALUE_SUBJECT_NAME_STRATEGY, "Sideways")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("value.subject.name.strategy")
                .hasMessageContaining("Sideways");
        assertThatThrownBy(() -> serializer(Map.of(PeonyAvroSerdeConfig.AUTO_REGISTER_SCHEMAS, "yes")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("auto.register.schemas");
    }

    @Test
    void serdesConfiguredFromPropertiesShareANamedInProcessRegistry() {
        String name = "serde-test-" + System.nanoTime();
        Map<String, Object> configs = new HashMap<>();
        configs.put(PeonyAvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, "local://" + name);
        configs.put(PeonyAvroSerdeConfig.SPECIFIC_AVRO_READER_CONFIG, "true");
        try {
            PeonyAvroSerde serde = new PeonyAvroSerde();
            serde.configure(configs, false);

            byte[] bytes = serde.serializer().serialize(TOPIC, DepartmentRecords.recipient(2));

            assertThat(LocalSchemaRegistries.client(name).subjects()).containsExactly(TOPIC + "-value");
            PeonyAvroSerde other = new PeonyAvroSerde();
            other.configure(
                    Map.of(
                            PeonyAvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG,
                            "mock://" + name,
                            PeonyAvroSerdeConfig.SPECIFIC_AVRO_READER_CONFIG,
                            true),
                    false);
            assertThat(other.deserializer().deserialize(TOPIC, bytes)).isEqualTo(DepartmentRecords.recipient(2));
        } finally {
            LocalSchemaRegistries.drop(name);
        }
    }

    @Test
    void theRegistryIsAskedOncePerSchemaNotPerRecord() {
        AtomicInteger calls = new AtomicInteger();
        SchemaRegistryClient counting = (SchemaRegistryClient) Proxy.newProxyInstance(
                SchemaRegistryClient.class.getClassLoader(),
                new Class<?>[] {SchemaRegistryClient.class},
                (proxy, method, args) -> {
                    if (!method.getName().equals("location")) {
                        calls.incrementAndGet();
                    }
                    try {
                        return method.invoke(client, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        SpecificAvroSerde<SocialAssistanceRecipient> serde =
                new SpecificAvroSerde<>(counting, SocialAssistanceRecipient.class);
        serde.configure(NO_URL, false);

        for (int i = 0; i < 1_000; i++) {
            SocialAssistanceRecipient record = DepartmentRecords.recipient(i);
            assertThat(serde.deserializer()
                            .deserialize(TOPIC, serde.serializer().serialize(TOPIC, record)))
                    .isEqualTo(record);
        }

        assertThat(calls.get()).isEqualTo(2); // one registration, one schema fetch by id
    }
}
