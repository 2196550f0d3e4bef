package city.heze.peony.identifiers;

/**
 * The province-level prefixes of GB/T 2260 division codes, for judging whether a code from outside
 * Heze is plausible: Peony holds Heze's full list, not the country's.
 */
public final class DivisionCodes {

    /** The mainland's provinces, autonomous regions and municipalities (11 北京 … 65 新疆). */
    private static final boolean[] MAINLAND_PROVINCES = new boolean[100];

    static {
        int[][] ranges = {{11, 15}, {21, 23}, {31, 37}, {41, 46}, {50, 54}, {61, 65}};
        for (int[] range : ranges) {
            for (int code = range[0]; code <= range[1]; code++) {
                MAINLAND_PROVINCES[code] = true;
            }
        }
    }

    private DivisionCodes() {}

    public static boolean isMainlandProvince(int twoDigits) {
        return twoDigits >= 0 && twoDigits < 100 && MAINLAND_PROVINCES[twoDigits];
    }
}
