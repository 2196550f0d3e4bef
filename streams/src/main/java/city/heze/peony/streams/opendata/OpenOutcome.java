package city.heze.peony.streams.opendata;

import city.heze.peony.streams.topology.CompactCodec;

/**
 * What became of one record of an OPEN catalog, on its way to the rate counter (keyed by
 * department, so that one task counts all of a department's catalogs).
 */
record OpenOutcome(String department, String catalogId, long timestamp, boolean opened) {
    private static final int VERSION = 1;

    byte[] toBytes() {
        return new CompactCodec.Writer(48)
                .writeByte(VERSION)
                .writeString(department)
                .writeString(catalogId)
                .writeLong(timestamp)
                .writeByte(opened ? 1 : 0)
                .toByteArray();
    }

    static OpenOutcome fromBytes(byte[] bytes) {
        CompactCodec.Reader r = new CompactCodec.Reader("open outcome", bytes);
        r.expectVersion(VERSION);
        return new OpenOutcome(r.readString(), r.readString(), r.readLong(), r.readByte() == 1);
    }
}
