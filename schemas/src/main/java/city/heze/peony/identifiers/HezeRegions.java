package city.heze.peony.identifiers;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Heze's division codes, current and historical, as the national division-code list gives them: the 菏泽市 codes since the
 * prefecture became a city in 2000, 定陶县 until it became 定陶区 in 2016, the 菏泽地区 codes of before
 * 2000 that old resident IDs still carry, and the two development zones' statistical codes.
 */
public final class HezeRegions {

    private static final List<HezeRegion> ALL = List.of(
            current("371700", "菏泽市", 2000),
            current("371702", "牡丹区", 2000),
            current("371703", "定陶区", 2016),
            current("371721", "曹县", 2000),
            current("371722", "单县", 2000),
            current("371723", "成武县", 2000),
            current("371724", "巨野县", 2000),
            current("371725", "郓城县", 2000),
            current("371726", "鄄城县", 2000),
            new HezeRegion("371727", "定陶县", 2000, 2015, false),
            current("371728", "东明县", 2000),
            new HezeRegion("371771", "菏泽经济技术开发区", null, null, true),
            new HezeRegion("371772", "菏泽高新技术产业开发区", null, null, true),
            beforeTheCity("372900", "菏泽地区"),
            beforeTheCity("372901", "菏泽市 (县级)"),
            beforeTheCity("372922", "曹县"),
            beforeTheCity("372923", "定陶县"),
            beforeTheCity("372924", "成武县"),
            beforeTheCity("372925", "单县"),
            beforeTheCity("372926", "巨野县"),
            beforeTheCity("372928", "郓城县"),
            beforeTheCity("372929", "鄄城县"),
            beforeTheCity("372930", "东明县"));

    /** Sorted codes for a binary search that neither allocates nor boxes on the per-record path. */
    private static final int[] CODES;

    private static final HezeRegion[] BY_CODE;

    static {
        BY_CODE = ALL.stream().sorted(Comparator.comparing(HezeRegion::code)).toArray(HezeRegion[]::new);
        CODES = Arrays.stream(BY_CODE).mapToInt(r -> Integer.parseInt(r.code())).toArray();
    }

    private HezeRegions() {}

    private static HezeRegion current(String code, String name, int since) {
        return new HezeRegion(code, name, since, null, false);
    }

    private static HezeRegion beforeTheCity(String code, String name) {
        return new HezeRegion(code, name, null, 1999, false);
    }

    /** Every code, current, historical and statistical. */
    public static List<HezeRegion> all() {
        return ALL;
    }

    /** The codes in use today, development zones included. */
    public static List<HezeRegion> current() {
        return ALL.stream().filter(HezeRegion::isCurrent).toList();
    }

    public static Optional<HezeRegion> find(CharSequence code) {
        return Optional.ofNullable(code == null || code.length() != 6 ? null : lookup(code, 0));
    }

    /** Whether a resident ID may carry the code: a Heze division code, current or historical. */
    public static boolean isIdCardCode(CharSequence code) {
        return find(code).map(HezeRegion::appearsOnIdCards).orElse(false);
    }

    /** The region whose code is the six characters at {@code offset}, or null. */
    public static HezeRegion lookup(CharSequence text, int offset) {
        int code = CivilDates.digits(text, offset, 6);
        int index = code < 0 ? -1 : Arrays.binarySearch(CODES, code);
        return index < 0 ? null : BY_CODE[index];
    }

    /** Whether the six-digit code lies in a block that belongs to Heze (3717xx now, 3729xx before 2000). */
    public static boolean inHezeBlock(int code) {
        int block = code / 100;
        return block == 3717 || block == 3729;
    }
}
