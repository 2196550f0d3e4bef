package city.heze.peony.registry.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import city.heze.peony.registry.RegistryEvent;
import city.heze.peony.registry.RegistryEvent.CompatibilityChanged;
import city.heze.peony.registry.RegistryEvent.ModeChanged;
import city.heze.peony.registry.RegistryEvent.SchemaIdsReserved;
import city.heze.peony.registry.RegistryEvent.SchemaVersionErased;
import city.heze.peony.registry.RegistryEvent.SchemaVersionStored;
import city.heze.peony.registry.RegistryEvent.SubjectDeleted;
import city.heze.peony.registry.RegistryJournal;
import city.heze.peony.registry.SchemaRegistry;
import city.heze.peony.registry.server.StoreRecordFormat.StoreRecord;
import city.heze.peony.schemas.TestSchemas;
import city.heze.peony.schemas.registry.CompatibilityLevel;
import city.heze.peony.schemas.registry.RegistryMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class StoreRecordFormatTest {

    private static String text(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String text) {
        return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void keysAndValuesAreConfluentsJson() {
        StoreRecord schema =
                StoreRecordFormat.encode(new SchemaVersionStored("residents-value", 2, 7, "\"string\"", false));
        StoreRecord globalConfig =
                StoreRecordFormat.encode(new CompatibilityChanged(null, CompatibilityLevel.FULL_TRANSITIVE));
        StoreRecord subjectMode = StoreRecordFormat.encode(new ModeChanged("residents-value", RegistryMode.READONLY));
        StoreRecord deleted = StoreRecordFormat.encode(new SubjectDeleted("residents-value", 2));

        assertThat(text(schema.key()))
                .isEqualTo("{\"keytype\":\"SCHEMA\",\"subject\":\"residents-value\",\"version\":2,\"magic\":1}");
        assertThat(text(schema.value()))
                .isEqualTo("{\"subject\":\"residents-value\",\"version\":2,\"id\":7,\"schema\":\"\\\"string\\\"\","
                        + "\"deleted\":false}");
        assertThat(text(globalConfig.key())).isEqualTo("{\"keytype\":\"CONFIG\",\"magic\":0}");
        assertThat(text(globalConfig.value())).isEqualTo("{\"compatibilityLevel\":\"FULL_TRANSITIVE\"}");
        assertThat(text(subjectMode.key()))
                .isEqualTo("{\"keytype\":\"MODE\",\"subject\":\"residents-value\",\"magic\":0}");
        assertThat(text(subjectMode.value())).isEqualTo("{\"mode\":\"READONLY\"}");
        assertThat(text(deleted.key()))
                .isEqualTo("{\"keytype\":\"DELETE_SUBJECT\",\"subject\":\"residents-value\",\"magic\":0}");
        assertThat(text(deleted.value())).isEqualTo("{\"subject\":\"residents-value\",\"version\":2}");
        assertThat(StoreRecordFormat.encode(new SchemaVersionErased("residents-value", 2))
                        .value())
                .isNull();
    }

    static Stream<RegistryEvent> everyKindOfEvent() {
        return Stream.of(
                new SchemaVersionStored("s", 1, 1, TestSchemas.RESIDENT_V1, false),
                new SchemaVersionStored("s", 3, 9, TestSchemas.VEHICLE, true),
                new SchemaVersionErased("s", 3),
                new SubjectDeleted("s", 4),
                new CompatibilityChanged(null, CompatibilityLevel.NONE),
                new CompatibilityChanged("s", CompatibilityLevel.FORWARD),
                new CompatibilityChanged("s", null),
                new ModeChanged(null, RegistryMode.IMPORT),
                new ModeChanged("s", null),
                new SchemaIdsReserved(12));
    }

    @ParameterizedTest
    @MethodSource("everyKindOfEvent")
    void everyEventReadsBackAsItself(RegistryEvent event) {
        StoreRecord record = StoreRecordFormat.encode(event);

        assertThat(StoreRecordFormat.decode(record.key(), record.value())).contains(event);
    }

    @Test
    void readsRecordsConfluentWrote() {
        String confluentValue = "{\"subject\":\"orders-value\",\"version\":1,\"id\":21,\"schemaType\":null,"
                + "\"references\":[],\"metadata\":null,\"ruleSet\":null,\"schema\":\"\\\"long\\\"\",\"deleted\":false}";
        Optional<RegistryEvent> schema = StoreRecordFormat.decode(
                bytes("{\"keytype\":\"SCHEMA\",\"subject\":\"orders-value\",\"version\":1,\"magic\":1}"),
                bytes(confluentValue));
        Optional<RegistryEvent> protobuf = StoreRecordFormat.decode(
                bytes("{\"keytype\":\"SCHEMA\",\"subject\":\"p-value\",\"version\":1,\"magic\":1}"),
                bytes("{\"subject\":\"p-value\",\"version\":1,\"id\":30,\"schemaType\":\"PROTOBUF\","
                        + "\"schema\":\"syntax = \\\"proto3\\\";\",\"deleted\":false}"));
        Optional<RegistryEvent> noop = StoreRecordFormat.decode(bytes("{\"keytype\":\"NOOP\",\"magic\":0}"), null);

        assertThat(schema).contains(new SchemaVersionStored("orders-value", 1, 21, "\"long\"", false));
        assertThat(protobuf).contains(new SchemaIdsReserved(30));
        assertThat(noop).isEmpty();
    }

    @Test
    void aRecordItCannotReadIsNamedInTheError() {
        assertThatThrownBy(() -> StoreRecordFormat.decode(bytes("{\"keytype\":\"LEASE\",\"magic\":0}"), bytes("{}")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown keytype 'LEASE'");
        assertThatThrownBy(() -> StoreRecordFormat.decode(bytes("not json"), bytes("{}")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the key is not JSON");
        assertThatThrownBy(() -> StoreRecordFormat.decode(
                        bytes("{\"keytype\":\"SCHEMA\",\"subject\":\"s\",\"version\":1,\"magic\":1}"),
                        bytes("{\"subject\":\"s\",\"version\":1,\"schema\":\"\\\"int\\\"\"}")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'id'");
    }

    /** A storage topic in a list, with Kafka's compaction (last record per key, tombstones gone). */
    private static final class CompactedTopic implements RegistryJournal {
        private final List<StoreRecord> records = new ArrayList<>();
        private Consumer<RegistryEvent> applier;

        @Override
        public void open(Consumer<RegistryEvent> applier) {
            this.applier = applier;
            records.forEach(r -> StoreRecordFormat.decode(r.key(), r.value()).ifPresent(applier));
        }

        @Override
        public void append(List<RegistryEvent> events) {
            for (RegistryEvent event : events) {
                StoreRecord record = StoreRecordFormat.encode(event);
                records.add(record);
                StoreRecordFormat.decode(record.key(), record.value()).ifPresent(applier);
            }
        }

        void compact() {
            Map<String, StoreRecord> latest = new LinkedHashMap<>();
            for (StoreRecord record : records) {
                String key = text(record.key());
                latest.remove(key);
                latest.put(key, record);
            }
            records.clear();
            latest.values().stream().filter(r -> r.value() != null).forEach(records::add);
        }

        @Override
        public String describe() {
            return "a compacted list";
        }

        @Override
        public void close() {}
    }

    @Test
    void aReplayAfterCompactionStillNeverReusesAnId() {
        CompactedTopic topic = new CompactedTopic();
        SchemaRegistry before = SchemaRegistry.open(topic);
        before.register("residents-value", TestSchemas.RESIDENT_V1);
        int erased = before.register("vehicles-value", TestSchemas.VEHICLE).id();
        before.setCompatibility("residents-value", CompatibilityLevel.FULL);
        before.deleteSubject("vehicles-value", false);
        before.deleteSubject("vehicles-value", true);

        topic.compact();
        SchemaRegistry after = SchemaRegistry.open(topic);

        assertThat(after.subjects(true)).containsExactly("residents-value");
        assertThat(after.subjectCompatibility("residents-value")).contains(CompatibilityLevel.FULL);
        assertThat(after.register("vehicles-value", TestSchemas.VEHICLE).id()).isGreaterThan(erased);
    }
}
