package city.heze.peony.ops.validation;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** Times as a city official reads them: Asia/Shanghai, with the offset in JSON. */
final class CityTime {
    static final ZoneId CITY = ZoneId.of("Asia/Shanghai");
    private static final DateTimeFormatter TABLE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private CityTime() {}

    static String table(Instant instant) {
        return instant == null ? "-" : TABLE.format(instant.atZone(CITY));
    }

    static String json(Instant instant) {
        return instant == null ? null : DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(instant.atZone(CITY));
    }
}
