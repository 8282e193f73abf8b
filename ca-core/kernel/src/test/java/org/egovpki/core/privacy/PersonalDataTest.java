package org.egovpki.core.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PersonalDataTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "resident ID: county and birth date hidden | 11010519491231002X | 110***********002X",
            "USCC                                      | 91350100M000100Y43 | 913***********0Y43",
            "mobile phone                              | 13812345678        | 13*******78",
            "passport                                  | E12345678          | E1*****78",
            "organisation code                         | 60003734-1         | 60******-1",
            "short values are hidden completely        | 1234567            | *******"})
    void keepsOnlyTheEnds(String description, String number, String masked) {
        assertThat(PersonalData.mask(number)).isEqualTo(masked);
    }

    @Test
    void aLongValueDoesNotGrowTheMessage() {
        assertThat(PersonalData.mask("1".repeat(5000))).hasSize(3 + 14 + 4);
    }

    @Test
    void nullStaysNullAndControlCharactersAtTheEndsAreNotEchoed() {
        assertThat(PersonalData.mask(null)).isNull();
        assertThat(PersonalData.mask("\u202e1234567890123456\u0007")).startsWith("?").endsWith("?");
    }

    @Test
    void numbersInForeignTextAreMasked() {
        String diagnostic = "ERR_250 add failed for entry cn=registration egovIdNumber: 11010519491231002X "
                + "egovPhone: 13812345678 objectClass: egovSubscriberRegistration cn: registration";

        String masked = PersonalData.maskNumbersIn(diagnostic);

        assertThat(masked).doesNotContain("11010519491231002X").doesNotContain("19491231")
                .doesNotContain("13812345678").contains("110***********002X").contains("ERR_250")
                .contains("egovSubscriberRegistration");
    }

    @Test
    void numbersWrittenInGroupsAreMaskedAsOneNumber() {
        String text = "CN=Zhang San +86 139 1234 5678, OU=110105 19491231 002X, L=0371 6000 0000, port 10389";

        String masked = PersonalData.maskNumbersIn(text);

        assertThat(masked).doesNotContain("1234 5678").doesNotContain("19491231").doesNotContain("6000 0000")
                .contains("CN=Zhang San +86**********5678").contains("OU=110*************002X")
                .contains("port 10389");
    }
}
