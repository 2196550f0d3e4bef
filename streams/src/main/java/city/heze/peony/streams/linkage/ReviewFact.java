package city.heze.peony.streams.linkage;

import city.heze.peony.avro.linkage.LinkageEvidence;
import city.heze.peony.streams.topology.CompactCodec;
import java.time.Instant;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.Serde;

/**
 * One fact of the social-assistance review about one subject (a resident, or a business by credit
 * code on its way to its legal representative), as it travels through the repartition topics and
 * sits in state. A fact is identified by its {@link Kind} and {@code factKey} (the source record's
 * key, or the credit code for BUSINESS), so that the latest record per key replaces the fact and a
 * retraction ({@code present == false}) removes it.
 *
 * <p>The fact keeps what the rules need ({@code active}, {@code number}, {@code subject}) rather
 * than the verdict, so that the flags are a pure function of the facts and the thresholds.
 *
 * @param active the fact counts (vehicle registered, business ACTIVE, employment without endDate,
 *     pension ACTIVE, death registered, recipient on record)
 * @param number the number a rule compares: monthlyPensionFen for PENSION, updatedAt (epoch ms) for
 *     a BUSINESS_REGISTRATION (the latest registration of a credit code wins), else 0
 * @param subject the legal representative of a BUSINESS_REGISTRATION, else null
 * @param name the recipient's name (RECIPIENT), else null
 * @param regionCode the recipient's division code (RECIPIENT), else null
 * @param evidence where it came from; null for a retraction
 */
record ReviewFact(
        Kind kind,
        String factKey,
        boolean present,
        boolean active,
        long number,
        String subject,
        String name,
        String regionCode,
        Evidence evidence) {

    /** What a fact is about; BUSINESS_REGISTRATION and BUSINESS_DEREGISTRATION stay keyed by credit code. */
    enum Kind {
        RECIPIENT,
        VEHICLE,
        BUSINESS,
        EMPLOYMENT,
        PENSION,
        DEATH,
        BUSINESS_REGISTRATION,
        BUSINESS_DEREGISTRATION;

        private static final Kind[] VALUES = values();
    }

    /** The source record: {@link LinkageEvidence} without the Avro object, fields sorted by name. */
    record Evidence(
            String catalogId,
            String recordKey,
            String topic,
            int partition,
            long offset,
            long recordTime,
            SortedMap<String, String> fields) {

        LinkageEvidence toAvro() {
            return LinkageEvidence.newBuilder()
                    .setCatalogId(catalogId)
                    .setRecordKey(recordKey)
                    .setTopic(topic)
                    .setPartition(partition)
                    .setOffset(offset)
                    .setRecordTime(Instant.ofEpochMilli(recordTime))
                    .setFields(Map.copyOf(fields))
                    .build();
        }

        /** Orders evidence by catalog, then record key, as the review lists it. */
        int compareByCatalogAndKey(Evidence other) {
            int c = catalogId.compareTo(other.catalogId);
            return c != 0 ? c : recordKey.compareTo(other.recordKey);
        }
    }

    /** Removes the fact {@code kind}/{@code factKey} from its subject. */
    static ReviewFact retraction(Kind kind, String factKey) {
        return new ReviewFact(kind, factKey, false, false, 0, null, null, null, null);
    }

    boolean sameIdentity(ReviewFact other) {
        return kind == other.kind && factKey.equals(other.factKey);
    }

    /** Facts in state are kept ordered by kind, then key. */
    int compareIdentity(ReviewFact other) {
        int c = kind.compareTo(other.kind);
        return c != 0 ? c : factKey.compareTo(other.factKey);
    }

    private static final int VERSION = 1;

    static void write(CompactCodec.Writer w, ReviewFact f) {
        w.writeByte(f.kind.ordinal())
                .writeString(f.factKey)
                .writeByte((f.present ? 1 : 0) | (f.active ? 2 : 0))
                .writeLong(f.number)
                .writeString(f.subject)
                .writeString(f.name)
                .writeString(f.regionCode);
        Evidence e = f.evidence;
        if (e == null) {
            w.writeByte(0);
            return;
        }
        w.writeByte(1)
                .writeString(e.catalogId)
                .writeString(e.recordKey)
                .writeString(e.topic)
                .writeInt(e.partition)
                .writeLong(e.offset)
                .writeLong(e.recordTime)
                .writeInt(e.fields.size());
        e.fields.forEach((k, v) -> w.writeString(k).writeString(v));
    }

    static ReviewFact read(CompactCodec.Reader r) {
        Kind kind = Kind.VALUES[r.readByte()];
        String factKey = r.readString();
        int bits = r.readByte();
        long number = r.readLong();
        String subject = r.readString();
        String name = r.readString();
        String regionCode = r.readString();
        Evidence evidence = null;
        if (r.readByte() == 1) {
            String catalogId = r.readString();
            String recordKey = r.readString();
            String topic = r.readString();
            int partition = r.readInt();
            long offset = r.readLong();
            long recordTime = r.readLong();
            int count = r.readInt();
            SortedMap<String, String> fields = new TreeMap<>();
            for (int i = 0; i < count; i++) {
                fields.put(r.readString(), r.readString());
            }
            evidence = new Evidence(catalogId, recordKey, topic, partition, offset, recordTime, fields);
        }
        return new ReviewFact(
                kind, factKey, (bits & 1) != 0, (bits & 2) != 0, number, subject, name, regionCode, evidence);
    }

    private static byte[] toBytes(ReviewFact f) {
        CompactCodec.Writer w = new CompactCodec.Writer(160).writeByte(VERSION);
        write(w, f);
        return w.toByteArray();
    }

    private static ReviewFact fromBytes(byte[] bytes) {
        CompactCodec.Reader r = new CompactCodec.Reader("social-assistance review fact", bytes);
        r.expectVersion(VERSION);
        return read(r);
    }

    /** The repartition topics' value serde. */
    static Serde<ReviewFact> serde() {
        return CompactCodec.serde(ReviewFact::toBytes, ReviewFact::fromBytes);
    }
}
