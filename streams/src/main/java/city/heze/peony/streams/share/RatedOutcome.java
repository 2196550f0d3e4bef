package city.heze.peony.streams.share;

import city.heze.peony.avro.ShareOutcome;
import city.heze.peony.avro.common.ShareOutcomeStatus;
import city.heze.peony.streams.topology.CompactCodec;
import org.apache.kafka.common.serialization.Serde;

/**
 * The part of a {@link ShareOutcome} the rates need, as it travels from the application's partition
 * to its provider's (repartition topic {@code share-rates-by-provider}) and as the rate store keeps
 * it: which provider, which catalog, when the deadline fell, and the latest status.
 */
record RatedOutcome(String applicationId, String provider, String catalogId, long deadline, ShareOutcomeStatus status) {

    static RatedOutcome of(ShareOutcome outcome) {
        return new RatedOutcome(
                outcome.getApplicationId(),
                outcome.getProviderDepartment(),
                outcome.getCatalogId(),
                outcome.getDeadline().toEpochMilli(),
                outcome.getStatus());
    }

    /** Counted in the rates: TIMELY, LATE and OVERDUE are due; WITHDRAWN never counts. */
    boolean isDue() {
        return status == ShareOutcomeStatus.TIMELY
                || status == ShareOutcomeStatus.LATE
                || status == ShareOutcomeStatus.OVERDUE;
    }

    private static final int VERSION = 1;

    private static byte[] toBytes(RatedOutcome o) {
        return new CompactCodec.Writer(64)
                .writeByte(VERSION)
                .writeString(o.applicationId)
                .writeString(o.provider)
                .writeString(o.catalogId)
                .writeLong(o.deadline)
                .writeString(o.status.name())
                .toByteArray();
    }

    private static RatedOutcome fromBytes(byte[] bytes) {
        CompactCodec.Reader r = new CompactCodec.Reader("a rated share outcome", bytes);
        r.expectVersion(VERSION);
        return new RatedOutcome(
                r.readString(),
                r.readString(),
                r.readString(),
                r.readLong(),
                ShareOutcomeStatus.valueOf(r.readString()));
    }

    static Serde<RatedOutcome> serde() {
        return CompactCodec.serde(RatedOutcome::toBytes, RatedOutcome::fromBytes);
    }
}
