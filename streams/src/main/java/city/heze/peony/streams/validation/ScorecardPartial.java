package city.heze.peony.streams.validation;

import city.heze.peony.streams.topology.CompactCodec;

/**
 * What one validation task has counted so far for one catalog and hour, sent to the scorecard
 * aggregator on the internal topic {@code <application.id>-validation-scorecard-partials-repartition}.
 *
 * <p>Counts are cumulative, not deltas: the aggregator keeps the latest partial of each task
 * ({@code partition}) and sums them, so a partial sent twice, or again after a restart, changes
 * nothing.
 */
record ScorecardPartial(String catalogId, int partition, long hourStart, ScorecardCounts counts) {
    private static final int FORMAT = 1;

    byte[] toBytes() {
        CompactCodec.Writer out =
                new CompactCodec.Writer(96 + 24 * counts.failuresByRule().size());
        out.writeByte(FORMAT).writeString(catalogId).writeInt(partition).writeLong(hourStart);
        counts.write(out);
        return out.toByteArray();
    }

    static ScorecardPartial fromBytes(byte[] bytes) {
        CompactCodec.Reader in = new CompactCodec.Reader("scorecard partial", bytes).expectVersion(FORMAT);
        String catalogId = in.readString();
        int partition = in.readInt();
        long hourStart = in.readLong();
        return new ScorecardPartial(catalogId, partition, hourStart, ScorecardCounts.read(in));
    }
}
