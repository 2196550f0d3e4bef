package city.heze.peony.bench;

import city.heze.peony.avro.CatalogEntry;
import city.heze.peony.streams.rules.CatalogRules;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;

/**
 * The records every measurement of a bench uses, prepared once before anything is timed: the
 * Avro records, their keys, and their bytes in Confluent's wire format (for the raw producer and
 * the byte passthrough, which must not pay for encoding), with which of them pass the catalog's
 * blocking rules (judged by the same rule library the validation uses).
 */
final class BenchData {
    private final Schema schema;
    private final int schemaId;
    private final List<GenericRecord> records;
    private final byte[][] keys;
    private final byte[][] framed;
    private final int[] validBefore;
    private final long avroBytes;

    private BenchData(
            Schema schema,
            int schemaId,
            List<GenericRecord> records,
            byte[][] keys,
            byte[][] framed,
            int[] validBefore,
            long avroBytes) {
        this.schema = schema;
        this.schemaId = schemaId;
        this.records = records;
        this.keys = keys;
        this.framed = framed;
        this.validBefore = validBefore;
        this.avroBytes = avroBytes;
    }

    /**
     * @param catalog the catalog the records belong to (its schema and rules)
     * @param schemaId the id the registry gave the catalog's schema, written into each frame
     */
    static BenchData prepare(CatalogEntry catalog, int schemaId, int count) {
        Schema schema = new Schema.Parser().parse(catalog.getSchema$());
        List<GenericRecord> records = BusinessRegistrations.generate(schema, count, 20_251_129L);
        CatalogRules rules = CatalogRules.compile(catalog.getFieldRules(), schema);
        AvroBodyWriter writer = new AvroBodyWriter(schema);
        byte[][] keys = new byte[count][];
        byte[][] framed = new byte[count][];
        int[] validBefore = new int[count + 1];
        long avroBytes = 0;
        for (int i = 0; i < count; i++) {
            GenericRecord record = records.get(i);
            keys[i] = record.get("recordId").toString().getBytes(StandardCharsets.UTF_8);
            byte[] body = writer.body(record);
            framed[i] = AvroBodyWriter.framed(schemaId, body);
            avroBytes += body.length;
            validBefore[i + 1] = validBefore[i] + (rules.evaluate(record).passed() ? 1 : 0);
        }
        return new BenchData(schema, schemaId, records, keys, framed, validBefore, avroBytes);
    }

    Schema schema() {
        return schema;
    }

    int schemaId() {
        return schemaId;
    }

    int size() {
        return records.size();
    }

    GenericRecord record(int i) {
        return records.get(i);
    }

    List<GenericRecord> records(int count) {
        return records.subList(0, count);
    }

    byte[] key(int i) {
        return keys[i];
    }

    /** Magic byte, schema id, Avro body: what Peony's serializer writes for the record. */
    byte[] framed(int i) {
        return framed[i];
    }

    /** How many of the first {@code count} records pass every blocking rule. */
    int valid(int count) {
        return validBefore[count];
    }

    /** The mean Avro body size, without the 5-byte wire header. */
    double averageAvroBytes() {
        return (double) avroBytes / records.size();
    }
}
