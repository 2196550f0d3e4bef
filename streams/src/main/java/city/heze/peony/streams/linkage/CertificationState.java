package city.heze.peony.streams.linkage;

import city.heze.peony.avro.linkage.CertificationStatus;
import city.heze.peony.streams.topology.CompactCodec;
import org.apache.kafka.common.serialization.Serde;

/**
 * What was last written for a pensioner: the run it is counted in ({@code yyyy-MM|district}), its
 * status, and the signature of the certification (status, check date and evidence content, without
 * offsets), so that an identical result is not written again.
 */
record CertificationState(String runKey, CertificationStatus status, String signature) {
    private static final int VERSION = 1;

    private static byte[] toBytes(CertificationState s) {
        return new CompactCodec.Writer(64 + s.signature.length())
                .writeByte(VERSION)
                .writeString(s.runKey)
                .writeByte(s.status.ordinal())
                .writeString(s.signature)
                .toByteArray();
    }

    private static CertificationState fromBytes(byte[] bytes) {
        CompactCodec.Reader r = new CompactCodec.Reader("pension certification state", bytes);
        r.expectVersion(VERSION);
        return new CertificationState(r.readString(), CertificationStatus.values()[r.readByte()], r.readString());
    }

    static Serde<CertificationState> serde() {
        return CompactCodec.serde(CertificationState::toBytes, CertificationState::fromBytes);
    }
}
