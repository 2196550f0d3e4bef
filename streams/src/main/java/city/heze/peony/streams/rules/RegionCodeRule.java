package city.heze.peony.streams.rules;

import city.heze.peony.avro.common.RuleFailure;
import city.heze.peony.identifiers.HezeRegion;
import city.heze.peony.identifiers.HezeRegions;
import org.apache.avro.Schema;

/**
 * {@code REGION_CODE}: a Heze division code (GB/T 2260) from {@link HezeRegions}. Parameters:
 * {@code allowHistorical} (default true) accepts codes no longer in use, such as 372922 曹县 of
 * before 2000 or 371727 定陶县 until 2015, because old records keep them; {@code
 * allowDevelopmentZones} (default false) accepts the statistical codes 371771 and 371772, which name
 * development zones for statistics but are no address code.
 */
final class RegionCodeRule extends FieldValueRule {

    private final boolean allowHistorical;
    private final boolean allowDevelopmentZones;

    private RegionCodeRule(
            RuleDeclaration declaration, Schema.Field field, boolean allowHistorical, boolean allowDevelopmentZones) {
        super(declaration, field);
        this.allowHistorical = allowHistorical;
        this.allowDevelopmentZones = allowDevelopmentZones;
    }

    static RegionCodeRule compile(RuleDeclaration declaration) {
        Schema.Field field = declaration.stringSubject("allowHistorical", "allowDevelopmentZones");
        return new RegionCodeRule(
                declaration,
                field,
                declaration.flag("allowHistorical", true),
                declaration.flag("allowDevelopmentZones", false));
    }

    @Override
    RuleFailure checkValue(Object value) {
        HezeRegion region =
                value instanceof CharSequence code && code.length() == 6 ? HezeRegions.lookup(code, 0) : null;
        if (region == null) {
            return failure(value, "not a Heze division code, expected six digits from HezeRegions, e.g. 371702 牡丹区");
        }
        if (region.statisticalOnly() && !allowDevelopmentZones) {
            return failure(
                    value,
                    "the statistical code of " + region.name()
                            + ", expected a division code (the rule does not allow development zones)");
        }
        if (!region.isCurrent() && !allowHistorical) {
            return failure(
                    value,
                    "a historical code (" + region.name() + ", until " + region.lastYear()
                            + "), expected a current division code");
        }
        return null;
    }
}
