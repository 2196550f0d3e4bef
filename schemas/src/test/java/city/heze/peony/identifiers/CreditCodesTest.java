package city.heze.peony.identifiers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.avro.util.Utf8;
import org.junit.jupiter.api.Test;

class CreditCodesTest {

    private static final String EXAMPLE = "91110000600037341L";

    @Test
    void theExampleOfDomainMdIsValid() {
        assertThat(CreditCodes.isValid(EXAMPLE)).isTrue();
        assertThat(CreditCodes.isValid(new Utf8(EXAMPLE))).isTrue();
        assertThat(CreditCodes.checkCharacter(EXAMPLE)).isEqualTo('L');
        // organisation code 60003734: 6*3 + 3*5 + 7*8 + 3*4 + 4*2 = 109; 11 - 109 mod 11 = 1
        assertThat(CreditCodes.organisationCheckCharacter(EXAMPLE)).isEqualTo('1');
    }

    @Test
    void generatesTheExample() {
        assertThat(CreditCodes.generate('9', '1', "110000", "60003734")).isEqualTo(EXAMPLE);
    }

    @Test
    void organisationCheckWritesTenAsXAndElevenAsZero() {
        // positions 9-16 are 00000001: sum 1*2 = 2, check 11 - 2 = 9
        assertThat(CreditCodes.organisationCheckCharacter("9137170200000001")).isEqualTo('9');
        // 00000030: sum 3*4 = 12, 12 mod 11 = 1, check 11 - 1 = 10, written X
        assertThat(CreditCodes.organisationCheckCharacter("9137170200000030")).isEqualTo('X');
        // 00000000: sum 0, check 11 - 0 = 11, written 0
        assertThat(CreditCodes.organisationCheckCharacter("9137170200000000")).isEqualTo('0');
        // letters count by the alphabet (GB 11714), J = 19 although J is 18 in the credit-code set:
        // 0000000J: 19*2 = 38, 38 mod 11 = 5, check 6
        assertThat(CreditCodes.organisationCheckCharacter("913717020000000J")).isEqualTo('6');
    }

    @Test
    void aWrongCharacterAnywhereMakesItInvalid() {
        assertThat(CreditCodes.isValid("91110000600037341M")).isFalse(); // final check
        assertThat(CreditCodes.isValid("91110000600037342L")).isFalse(); // organisation check
        assertThat(CreditCodes.isValid("B1110000600037341L")).isFalse(); // no such authority
        assertThat(CreditCodes.isValid("91990000600037341L")).isFalse(); // no province 99
        assertThat(CreditCodes.isValid("9111000060003734IL")).isFalse(); // I is not in the set
        assertThat(CreditCodes.isValid("91110000600037341")).isFalse();
        assertThat(CreditCodes.isValid(null)).isFalse();
    }

    @Test
    void refusesToGenerateFromBadInput() {
        assertThatThrownBy(() -> CreditCodes.generate('B', '1', "371702", "12345678"))
                .hasMessageContaining("registering authority 'B'");
        assertThatThrownBy(() -> CreditCodes.generate('9', 'I', "371702", "12345678"))
                .hasMessageContaining("category 'I'");
        assertThatThrownBy(() -> CreditCodes.generate('9', '1', "37170", "12345678"))
                .hasMessageContaining("six digits");
        assertThatThrownBy(() -> CreditCodes.generate('9', '1', "371702", "1234567O"))
                .hasMessageContaining("eight characters");
        assertThatThrownBy(() -> CreditCodes.checkCharacter("9111000060003734"))
                .hasMessageContaining("17 leading characters");
    }
}
