package city.heze.peony.streams.linkage;

import city.heze.peony.avro.linkage.LinkageEvidence;
import city.heze.peony.schemas.CityZone;
import city.heze.peony.streams.topology.CompactCodec;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Map;
import org.apache.kafka.common.serialization.Serde;

/**
 * One input record of the pension certification, reduced to what the certification needs and
 * carried from the catalog's partition to the resident's: a pension record, a death registration or
 * a medical settlement, with where it came from (topic, partition, offset, timestamp) for its
 * evidence. A {@code withdrawn} fact carries only its kind and record key: the record left the
 * resident (a tombstone, or a later version of the record names another resident), so whatever the
 * resident held under that key must go.
 *
 * <p>{@code time} is the fact's own moment: the pension record's updatedAt, the death date (epoch
 * day) or the settlement's settledAt. {@code status} is the pension status; {@code detail} the death
 * certificate number or the settling institution's credit code.
 */
record CertificationFact(
        Kind kind,
        boolean withdrawn,
        String residentId,
        String recordKey,
        String topic,
        int partition,
        long offset,
        long recordTime,
        long time,
        String name,
        String regionCode,
        String status,
        String detail) {

    enum Kind {
        PENSION('P'),
        DEATH('D'),
        SETTLEMENT('S');

        /** The kind's letter in store keys, so that one resident's facts of one kind sit together. */
        final char code;

        Kind(char code) {
            this.code = code;
        }

        static Kind of(char code) {
            for (Kind k : values()) {
                if (k.code == code) {
                    return k;
                }
            }
            throw new IllegalArgumentException("no fact kind " + code);
        }
    }

    static final String ACTIVE = "ACTIVE";

    static CertificationFact withdrawal(Kind kind, String residentId, String recordKey) {
        return new CertificationFact(kind, true, residentId, recordKey, null, 0, 0, 0, 0, null, null, null, null);
    }

    boolean active() {
        return ACTIVE.equals(status);
    }

    LocalDate deathDate() {
        return LocalDate.ofEpochDay(time);
    }

    /** The record as evidence, its fields as a person reads them. */
    LinkageEvidence evidence() {
        Map<String, String> fields = switch (kind) {
            case PENSION ->
                Map.of(
                        "status", status,
                        "regionCode", regionCode,
                        "updatedAt", localTime(time));
            case DEATH -> Map.of("deathDate", deathDate().toString(), "certificateNo", detail);
            case SETTLEMENT -> Map.of("settledAt", localTime(time), "institutionCreditCode", detail);
        };
        return LinkageEvidence.newBuilder()
                .setCatalogId(SharedRecordReader.catalogOf(topic))
                .setRecordKey(recordKey)
                .setTopic(topic)
                .setPartition(partition)
                .setOffset(offset)
                .setRecordTime(Instant.ofEpochMilli(recordTime))
                .setFields(fields)
                .build();
    }

    /** What identifies the fact's content in a certification: not where it was read (offsets move). */
    void sign(StringBuilder signature) {
        signature
                .append(kind.code)
                .append('\0')
                .append(recordKey)
                .append('\0')
                .append(time)
                .append('\0')
                .append(name)
                .append('\0')
                .append(regionCode)
                .append('\0')
                .append(status)
                .append('\0')
                .append(detail)
                .append('\n');
    }

    private static String localTime(long millis) {
        return LocalDateTime.ofInstant(Instant.ofEpochMilli(millis), CityZone.ZONE)
                .toString();
    }

    private static final int VERSION = 1;

    private static byte[] toBytes(CertificationFact f) {
        return new CompactCodec.Writer(128)
                .writeByte(VERSION)
                .writeByte(f.kind.code)
                .writeByte(f.withdrawn ? 1 : 0)
                .writeString(f.residentId)
                .writeString(f.recordKey)
                .writeString(f.topic)
                .writeInt(f.partition)
                .writeLong(f.offset)
                .writeLong(f.recordTime)
                .writeLong(f.time)
                .writeString(f.name)
                .writeString(f.regionCode)
                .writeString(f.status)
                .writeString(f.detail)
                .toByteArray();
    }

    private static CertificationFact fromBytes(byte[] bytes) {
        CompactCodec.Reader r = new CompactCodec.Reader("pension certification fact", bytes);
        r.expectVersion(VERSION);
        return new CertificationFact(
                Kind.of((char) r.readByte()),
                r.readByte() == 1,
                r.readString(),
                r.readString(),
                r.readString(),
                r.readInt(),
                r.readLong(),
                r.readLong(),
                r.readLong(),
                r.readString(),
                r.readString(),
                r.readString(),
                r.readString());
    }

    static Serde<CertificationFact> serde() {
        return CompactCodec.serde(CertificationFact::toBytes, CertificationFact::fromBytes);
    }
}
