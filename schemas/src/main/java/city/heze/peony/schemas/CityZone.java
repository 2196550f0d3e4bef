package city.heze.peony.schemas;

import java.time.ZoneId;

/** Heze's civil time: deadlines, windows, "today" and every printed time are in it. */
public final class CityZone {
    /** Asia/Shanghai; it has kept +08:00 since its last daylight-saving period ended in 1991. */
    public static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");

    private CityZone() {}
}
