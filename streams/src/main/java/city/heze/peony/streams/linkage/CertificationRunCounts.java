package city.heze.peony.streams.linkage;

import city.heze.peony.avro.linkage.CertificationRun;
import city.heze.peony.avro.linkage.CertificationStatus;
import city.heze.peony.streams.topology.CompactCodec;
import java.time.Instant;
import org.apache.kafka.common.serialization.Serde;

/** The counts of one monthly run of one district, kept up to date as statuses change. */
record CertificationRunCounts(
        String month, String district, long certified, long suspend, long needsVisit, long updatedAt) {

    static CertificationRunCounts empty(String runKey) {
        int bar = runKey.indexOf('|');
        return new CertificationRunCounts(runKey.substring(0, bar), runKey.substring(bar + 1), 0, 0, 0, 0);
    }

    CertificationRunCounts plus(CertificationStatus status, int delta, long timestamp) {
        return new CertificationRunCounts(
                month,
                district,
                certified + (status == CertificationStatus.CERTIFIED ? delta : 0),
                suspend + (status == CertificationStatus.SUSPEND ? delta : 0),
                needsVisit + (status == CertificationStatus.NEEDS_VISIT ? delta : 0),
                timestamp);
    }

    long pensioners() {
        return certified + suspend + needsVisit;
    }

    long count(CertificationStatus status) {
        return switch (status) {
            case CERTIFIED -> certified;
            case SUSPEND -> suspend;
            case NEEDS_VISIT -> needsVisit;
            default -> 0;
        };
    }

    CertificationRun toRun() {
        return new CertificationRun(
                month, district, pensioners(), certified, suspend, needsVisit, Instant.ofEpochMilli(updatedAt));
    }

    private static final int VERSION = 1;

    private static byte[] toBytes(CertificationRunCounts c) {
        return new CompactCodec.Writer(64)
                .writeByte(VERSION)
                .writeString(c.month)
                .writeString(c.district)
                .writeLong(c.certified)
                .writeLong(c.suspend)
                .writeLong(c.needsVisit)
                .writeLong(c.updatedAt)
                .toByteArray();
    }

    private static CertificationRunCounts fromBytes(byte[] bytes) {
        CompactCodec.Reader r = new CompactCodec.Reader("certification run counts", bytes);
        r.expectVersion(VERSION);
        return new CertificationRunCounts(
                r.readString(), r.readString(), r.readLong(), r.readLong(), r.readLong(), r.readLong());
    }

    static Serde<CertificationRunCounts> serde() {
        return CompactCodec.serde(CertificationRunCounts::toBytes, CertificationRunCounts::fromBytes);
    }
}
