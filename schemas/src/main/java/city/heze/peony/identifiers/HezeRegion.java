package city.heze.peony.identifiers;

/**
 * One administrative division code of Heze (GB/T 2260) with its name and the years it was in use.
 *
 * @param code six digits, e.g. {@code 371702}
 * @param name the division's name, e.g. 牡丹区
 * @param firstYear the first year the code was in use, or null where Peony's source (the national division-code list) gives
 *     no start
 * @param lastYear the last year the code was in use, or null while it is current
 * @param statisticalOnly a development zone's statistical code (统计用区划代码): it names an area
 *     for statistics but is never an address code, so it never appears on a resident ID
 */
public record HezeRegion(String code, String name, Integer firstYear, Integer lastYear, boolean statisticalOnly) {

    public boolean isCurrent() {
        return lastYear == null;
    }

    /** Whether a resident ID may carry it: every division code, current or historical, but no zone. */
    public boolean appearsOnIdCards() {
        return !statisticalOnly;
    }

    /** Whether the code was in use during {@code year}. */
    public boolean inUseIn(int year) {
        return (firstYear == null || firstYear <= year) && (lastYear == null || year <= lastYear);
    }
}
