package city.heze.peony.streams.share;

import city.heze.peony.avro.TimelyShareRate;
import city.heze.peony.avro.common.RatePeriod;
import city.heze.peony.avro.common.ShareOutcomeStatus;
import city.heze.peony.streams.topology.CompactCodec;
import java.time.Instant;
import org.apache.kafka.common.serialization.Serde;

/**
 * The counts behind one timely-share rate (one provider, one catalog or all, one period), kept
 * up to date as outcomes change so that a day or a month is never recounted. {@code dirty} marks
 * counts changed since their rate was last emitted: rates are emitted once per punctuation, not once
 * per outcome, and the flag is stored so that a restart emits what a crash left unsent.
 */
record RateCounts(
        String provider,
        String catalogId,
        RatePeriod period,
        String label,
        long periodStart,
        long periodEnd,
        long due,
        long timely,
        long late,
        long overdue,
        boolean dirty) {

    static RateCounts empty(RateKey key) {
        return new RateCounts(
                key.provider(), key.catalogId(), key.period(), key.label(), key.start(), key.end(), 0, 0, 0, 0, false);
    }

    /** One more ({@code sign} 1) or one fewer (-1) application of {@code status} in this period. */
    RateCounts plus(ShareOutcomeStatus status, int sign) {
        return new RateCounts(
                provider,
                catalogId,
                period,
                label,
                periodStart,
                periodEnd,
                due + sign,
                timely + (status == ShareOutcomeStatus.TIMELY ? sign : 0),
                late + (status == ShareOutcomeStatus.LATE ? sign : 0),
                overdue + (status == ShareOutcomeStatus.OVERDUE ? sign : 0),
                true);
    }

    RateCounts sent() {
        return new RateCounts(
                provider, catalogId, period, label, periodStart, periodEnd, due, timely, late, overdue, false);
    }

    /** The timely-share rate: timely / due; null when nothing was due. */
    Double rate() {
        return due == 0 ? null : (double) timely / due;
    }

    TimelyShareRate toRate(long now) {
        return new TimelyShareRate(
                provider,
                catalogId,
                period,
                label,
                Instant.ofEpochMilli(periodStart),
                Instant.ofEpochMilli(periodEnd),
                due,
                timely,
                late,
                overdue,
                rate(),
                Instant.ofEpochMilli(now));
    }

    private static final int VERSION = 1;

    private static byte[] toBytes(RateCounts c) {
        return new CompactCodec.Writer(96)
                .writeByte(VERSION)
                .writeString(c.provider)
                .writeString(c.catalogId)
                .writeString(c.period.name())
                .writeString(c.label)
                .writeLong(c.periodStart)
                .writeLong(c.periodEnd)
                .writeLong(c.due)
                .writeLong(c.timely)
                .writeLong(c.late)
                .writeLong(c.overdue)
                .writeByte(c.dirty ? 1 : 0)
                .toByteArray();
    }

    private static RateCounts fromBytes(byte[] bytes) {
        CompactCodec.Reader r = new CompactCodec.Reader("timely-share rate counts", bytes);
        r.expectVersion(VERSION);
        return new RateCounts(
                r.readString(),
                r.readString(),
                RatePeriod.valueOf(r.readString()),
                r.readString(),
                r.readLong(),
                r.readLong(),
                r.readLong(),
                r.readLong(),
                r.readLong(),
                r.readLong(),
                r.readByte() == 1);
    }

    static Serde<RateCounts> serde() {
        return CompactCodec.serde(RateCounts::toBytes, RateCounts::fromBytes);
    }
}
