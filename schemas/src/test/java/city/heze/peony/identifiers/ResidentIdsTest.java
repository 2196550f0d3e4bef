package city.heze.peony.identifiers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import city.heze.peony.avro.common.Sex;
import java.time.LocalDate;
import org.apache.avro.util.Utf8;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ResidentIdsTest {

    @ParameterizedTest
    @ValueSource(strings = {"360426199101010071", "34052419800101001X"})
    void theExamplesOfDomainMdAreValid(String id) {
        assertThat(ResidentIds.isValid(id)).isTrue();
        assertThat(ResidentIds.checkCharacter(id)).isEqualTo(id.charAt(17));
    }

    @Test
    void decodesBirthDateAndSex() {
        assertThat(ResidentIds.birthDate("360426199101010071")).isEqualTo(LocalDate.of(1991, 1, 1));
        assertThat(ResidentIds.sex("360426199101010071")).isEqualTo(Sex.MALE); // 007: odd
        assertThat(ResidentIds.sex("34052419800101001X")).isEqualTo(Sex.MALE); // 001: odd
        assertThat(ResidentIds.sex(ResidentIds.generate("371702", LocalDate.of(1975, 3, 8), 2)))
                .isEqualTo(Sex.FEMALE);
    }

    @Test
    void readsUtf8AsWellAsStrings() {
        assertThat(ResidentIds.isValid(new Utf8("360426199101010071"))).isTrue();
        assertThat(ResidentIds.birthDate(new Utf8("360426199101010071"))).isEqualTo(LocalDate.of(1991, 1, 1));
    }

    @Test
    void generatesTheNumberTheStandardDefines() {
        assertThat(ResidentIds.generate("360426", LocalDate.of(1991, 1, 1), 7)).isEqualTo("360426199101010071");
        assertThat(ResidentIds.generate("340524", LocalDate.of(1980, 1, 1), 1)).isEqualTo("34052419800101001X");
    }

    @Test
    void refusesToGenerateFromBadInput() {
        LocalDate birth = LocalDate.of(1990, 5, 6);
        assertThatThrownBy(() -> ResidentIds.generate("37170", birth, 1)).hasMessageContaining("six digits");
        assertThatThrownBy(() -> ResidentIds.generate("371702", birth, 1000)).hasMessageContaining("0 to 999");
        assertThatThrownBy(() -> ResidentIds.generate("371702", LocalDate.of(10_000, 1, 1), 1))
                .hasMessageContaining("four-digit year");
    }

    @Test
    void legacyFifteenDigitIdsDecodeToTheNineteenHundreds() {
        String legacy = "371702800101031";
        assertThat(ResidentIds.birthDate(legacy)).isEqualTo(LocalDate.of(1980, 1, 1));
        assertThat(ResidentIds.sex(legacy)).isEqualTo(Sex.MALE);
        assertThat(ResidentIds.isValid(legacy)).isFalse(); // no check character to verify
    }

    @Test
    void upgradesALegacyIdToEighteenCharacters() {
        String upgraded = ResidentIds.upgradeLegacy("371702800101031");
        assertThat(upgraded).startsWith("37170219800101031").hasSize(18);
        assertThat(ResidentIds.isValid(upgraded)).isTrue();
        assertThatThrownBy(() -> ResidentIds.upgradeLegacy("37170280010103X")).hasMessageContaining("15 digits");
    }

    @Test
    void aWrongCheckCharacterOrImpossibleDateIsInvalid() {
        assertThat(ResidentIds.isValid("360426199101010072")).isFalse();
        assertThat(ResidentIds.isValid("36042619910101007x")).isFalse();
        assertThat(ResidentIds.isValid(ResidentIds.generate("360426", LocalDate.of(1991, 1, 1), 7)
                        .replace("19910101", "19910230")))
                .isFalse();
        assertThat(ResidentIds.isValid("36042619910101007")).isFalse();
        assertThat(ResidentIds.isValid(null)).isFalse();
    }

    @Test
    void february29thIsRealOnlyInLeapYears() {
        String leap = withBirth("20000229");
        String notLeap = withBirth("19000229");
        assertThat(ResidentIds.isValid(leap)).isTrue();
        assertThat(ResidentIds.isValid(notLeap)).isFalse(); // 1900 is divisible by 100, not by 400
        assertThatThrownBy(() -> ResidentIds.birthDate(notLeap)).hasMessageContaining("real birth date");
    }

    @Test
    void checkCharacterNeedsSeventeenDigits() {
        assertThatThrownBy(() -> ResidentIds.checkCharacter("3604261991010100A1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("17 leading digits");
        assertThatThrownBy(() -> ResidentIds.sex("12345")).hasMessageContaining("18 or 15");
    }

    /** An ID with the given birth digits and the check character that makes the rest right. */
    static String withBirth(String yyyyMMdd) {
        String body = "371702" + yyyyMMdd + "123";
        return body + ResidentIds.checkCharacter(body);
    }
}
