package city.heze.peony.streams.opendata;

import city.heze.peony.avro.OpenQualifiedRate;
import city.heze.peony.avro.common.RatePeriod;
import city.heze.peony.schemas.CityZone;
import city.heze.peony.streams.topology.CompactCodec;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import org.apache.kafka.common.serialization.Serde;

/**
 * The counts behind one open-qualified rate: one department, one catalog or all ({@code *}), one
 * DAY or MONTH (Asia/Shanghai, of the record timestamp). {@code dirty} marks counts changed since
 * their rate was last emitted; it is stored, so that a restart emits what a crash left unsent.
 */
record OpenRateCounts(
        String department,
        String catalogId,
        RatePeriod period,
        String label,
        long periodStart,
        long periodEnd,
        long due,
        long opened,
        boolean dirty) {
    static final String ALL_CATALOGS = "*";
    private static final int VERSION = 1;

    /** {@code department/catalog-or-*&#47;period/label}: the store key and the key on peony.open.rates. */
    static String key(String department, String catalogId, RatePeriod period, String label) {
        return department + '/' + catalogId + '/' + period.name() + '/' + label;
    }

    static OpenRateCounts day(String department, String catalogId, long timestamp) {
        LocalDate day = Instant.ofEpochMilli(timestamp).atZone(CityZone.ZONE).toLocalDate();
        return new OpenRateCounts(
                department,
                catalogId,
                RatePeriod.DAY,
                day.toString(),
                startOf(day),
                startOf(day.plusDays(1)),
                0,
                0,
                false);
    }

    static OpenRateCounts month(String department, String catalogId, long timestamp) {
        YearMonth month = YearMonth.from(Instant.ofEpochMilli(timestamp).atZone(CityZone.ZONE));
        return new OpenRateCounts(
                department,
                catalogId,
                RatePeriod.MONTH,
                month.toString(),
                startOf(month.atDay(1)),
                startOf(month.plusMonths(1).atDay(1)),
                0,
                0,
                false);
    }

    private static long startOf(LocalDate day) {
        return day.atStartOfDay(CityZone.ZONE).toInstant().toEpochMilli();
    }

    String key() {
        return key(department, catalogId, period, label);
    }

    OpenRateCounts plus(boolean wasOpened) {
        return new OpenRateCounts(
                department,
                catalogId,
                period,
                label,
                periodStart,
                periodEnd,
                due + 1,
                opened + (wasOpened ? 1 : 0),
                true);
    }

    OpenRateCounts sent() {
        return new OpenRateCounts(department, catalogId, period, label, periodStart, periodEnd, due, opened, false);
    }

    /** opened / due; null when nothing was due. */
    Double rate() {
        return due == 0 ? null : (double) opened / due;
    }

    OpenQualifiedRate toRate(long now) {
        return new OpenQualifiedRate(
                department,
                ALL_CATALOGS.equals(catalogId) ? null : catalogId,
                period,
                label,
                Instant.ofEpochMilli(periodStart),
                Instant.ofEpochMilli(periodEnd),
                due,
                opened,
                due - opened,
                rate(),
                Instant.ofEpochMilli(now));
    }

    private static byte[] toBytes(OpenRateCounts c) {
        return new CompactCodec.Writer(80)
                .writeByte(VERSION)
                .writeString(c.department)
                .writeString(c.catalogId)
                .writeString(c.period.name())
                .writeString(c.label)
                .writeLong(c.periodStart)
                .writeLong(c.periodEnd)
                .writeLong(c.due)
                .writeLong(c.opened)
                .writeByte(c.dirty ? 1 : 0)
                .toByteArray();
    }

    private static OpenRateCounts fromBytes(byte[] bytes) {
        CompactCodec.Reader r = new CompactCodec.Reader("open-qualified rate counts", bytes);
        r.expectVersion(VERSION);
        return new OpenRateCounts(
                r.readString(),
                r.readString(),
                RatePeriod.valueOf(r.readString()),
                r.readString(),
                r.readLong(),
                r.readLong(),
                r.readLong(),
                r.readLong(),
                r.readByte() == 1);
    }

    static Serde<OpenRateCounts> serde() {
        return CompactCodec.serde(OpenRateCounts::toBytes, OpenRateCounts::fromBytes);
    }
}
