package city.heze.peony.streams.share;

import city.heze.peony.avro.common.RatePeriod;
import city.heze.peony.schemas.CityZone;
import java.time.Duration;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;

/**
 * Which rate a count belongs to, and its key on {@code peony.share.rates}: {@code
 * provider/catalog-or-*&#47;period/label}, e.g. {@code mz/*&#47;DAY/2025-10-09}, {@code
 * mz/mz.social-assistance/MONTH/2025-10}, {@code mz/*&#47;LAST_30_DAYS/last-30-days}. Days and months are
 * Asia/Shanghai civil ones; an application belongs to the period its deadline fell in.
 */
record RateKey(String provider, String catalogId, RatePeriod period, String label, long start, long end) {
    static final String ALL_CATALOGS = "*";
    static final String LAST_30_DAYS_LABEL = "last-30-days";
    static final Duration ROLLING = Duration.ofDays(30);
    private static final ZoneId ZONE = CityZone.ZONE;

    static RateKey day(String provider, String catalogId, LocalDate day) {
        return new RateKey(provider, catalogId, RatePeriod.DAY, day.toString(), startOf(day), startOf(day.plusDays(1)));
    }

    static RateKey month(String provider, String catalogId, YearMonth month) {
        return new RateKey(
                provider,
                catalogId,
                RatePeriod.MONTH,
                month.toString(),
                startOf(month.atDay(1)),
                startOf(month.plusMonths(1).atDay(1)));
    }

    /** Deadlines in [now - 30 days, now), by wall clock. */
    static RateKey last30Days(String provider, String catalogId, long now) {
        return new RateKey(
                provider, catalogId, RatePeriod.LAST_30_DAYS, LAST_30_DAYS_LABEL, now - ROLLING.toMillis(), now);
    }

    private static long startOf(LocalDate day) {
        return day.atStartOfDay(ZONE).toInstant().toEpochMilli();
    }

    /** The record key on peony.share.rates. */
    String topicKey() {
        return provider + '/' + (catalogId == null ? ALL_CATALOGS : catalogId) + '/' + period.name() + '/' + label;
    }
}
