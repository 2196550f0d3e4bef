package city.heze.peony.identifiers;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.stream.Collectors;
import org.apache.avro.util.Utf8;
import org.junit.jupiter.api.Test;

class HezeRegionsTest {

    @Test
    void holdsEveryCodeOfDomainMdOnce() {
        Set<String> codes = HezeRegions.all().stream().map(HezeRegion::code).collect(Collectors.toSet());
        assertThat(codes)
                .hasSize(HezeRegions.all().size())
                .containsExactlyInAnyOrder(
                        "371700", "371702", "371703", "371721", "371722", "371723", "371724", "371725", "371726",
                        "371728", "371727", "371771", "371772", "372900", "372901", "372922", "372923", "372924",
                        "372925", "372926", "372928", "372929", "372930");
    }

    @Test
    void namesAndPeriods() {
        HezeRegion dingtaoCounty = HezeRegions.find("371727").orElseThrow();
        assertThat(dingtaoCounty.name()).isEqualTo("定陶县");
        assertThat(dingtaoCounty.inUseIn(2000)).isTrue();
        assertThat(dingtaoCounty.inUseIn(2015)).isTrue();
        assertThat(dingtaoCounty.inUseIn(2016)).isFalse();
        assertThat(dingtaoCounty.isCurrent()).isFalse();
        HezeRegion dingtaoDistrict = HezeRegions.find(new Utf8("371703")).orElseThrow();
        assertThat(dingtaoDistrict.name()).isEqualTo("定陶区");
        assertThat(dingtaoDistrict.inUseIn(2015)).isFalse();
        assertThat(dingtaoDistrict.inUseIn(2016)).isTrue();
        assertThat(HezeRegions.find("372922").orElseThrow().inUseIn(2000)).isFalse();
        assertThat(HezeRegions.find("370102")).isEmpty();
        assertThat(HezeRegions.find("3717")).isEmpty();
    }

    @Test
    void currentCodesAreThoseWithoutAnEnd() {
        assertThat(HezeRegions.current())
                .extracting(HezeRegion::code)
                .containsExactlyInAnyOrder(
                        "371700", "371702", "371703", "371721", "371722", "371723", "371724", "371725", "371726",
                        "371728", "371771", "371772");
    }

    @Test
    void developmentZonesAreNeverIdCardCodes() {
        assertThat(HezeRegions.isIdCardCode("371702")).isTrue();
        assertThat(HezeRegions.isIdCardCode("372901")).isTrue();
        assertThat(HezeRegions.isIdCardCode("371771")).isFalse();
        assertThat(HezeRegions.isIdCardCode("371772")).isFalse();
        assertThat(HezeRegions.isIdCardCode("110101")).isFalse();
    }
}
