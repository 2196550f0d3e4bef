package city.heze.peony.streams.linkage;

import city.heze.peony.avro.linkage.CertificationStatus;
import city.heze.peony.streams.topology.CompactCodec;
import org.apache.kafka.common.serialization.Serde;

/**
 * One pensioner more ({@code delta} 1) or fewer (-1) in one status of a monthly run, keyed
 * {@code yyyy-MM|district} on its way to the task that counts that district.
 */
record CertificationRunChange(CertificationStatus status, int delta) {
    private static final int VERSION = 1;

    private static byte[] toBytes(CertificationRunChange c) {
        return new CompactCodec.Writer(8)
                .writeByte(VERSION)
                .writeByte(c.status.ordinal())
                .writeInt(c.delta)
                .toByteArray();
    }

    private static CertificationRunChange fromBytes(byte[] bytes) {
        CompactCodec.Reader r = new CompactCodec.Reader("certification run change", bytes);
        r.expectVersion(VERSION);
        return new CertificationRunChange(CertificationStatus.values()[r.readByte()], r.readInt());
    }

    static Serde<CertificationRunChange> serde() {
        return CompactCodec.serde(CertificationRunChange::toBytes, CertificationRunChange::fromBytes);
    }
}
