package city.heze.peony.streams.validation;

import city.heze.peony.streams.topology.CompactCodec;
import java.util.Map;
import java.util.TreeMap;

/**
 * One catalog's hour as the scorecard aggregator keeps it: the latest partial of each validation
 * task (by the partition it reads), whose sum is the hour's scorecard.
 */
final class HourWindow {
    private static final int FORMAT = 1;

    private final String catalogId;
    private final long hourStart;
    private final TreeMap<Integer, ScorecardCounts> byPartition = new TreeMap<>();

    HourWindow(String catalogId, long hourStart) {
        this.catalogId = catalogId;
        this.hourStart = hourStart;
    }

    /** Replaces the partial of one task: partials are cumulative, the latest is the truth. */
    void put(int partition, ScorecardCounts counts) {
        byPartition.put(partition, counts);
    }

    String catalogId() {
        return catalogId;
    }

    long hourStart() {
        return hourStart;
    }

    Map<Integer, ScorecardCounts> byPartition() {
        return byPartition;
    }

    /** Adds every task's counts of this hour into {@code sum}. */
    void addTo(ScorecardCounts sum) {
        byPartition.values().forEach(sum::add);
    }

    byte[] toBytes() {
        CompactCodec.Writer out = new CompactCodec.Writer(128 * Math.max(1, byPartition.size()));
        out.writeByte(FORMAT).writeString(catalogId).writeLong(hourStart).writeInt(byPartition.size());
        byPartition.forEach((partition, counts) -> {
            out.writeInt(partition);
            counts.write(out);
        });
        return out.toByteArray();
    }

    static HourWindow fromBytes(byte[] bytes) {
        CompactCodec.Reader in = new CompactCodec.Reader("scorecard hour window", bytes).expectVersion(FORMAT);
        HourWindow window = new HourWindow(in.readString(), in.readLong());
        int partitions = in.readInt();
        for (int i = 0; i < partitions; i++) {
            int partition = in.readInt();
            window.byPartition.put(partition, ScorecardCounts.read(in));
        }
        return window;
    }
}
