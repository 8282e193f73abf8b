package org.egovpki.core.enroll.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.egovpki.core.enroll.validation.Refusals.assertRefused;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SocialCreditCodesTest {

    private static final String FIELD = "registration.uscc";

    /*
     * Worked by hand. Alphabet values: 0-9, A10 B11 C12 D13 E14 F15 G16 H17 J18 K19 L20 M21 N22
     * P23 Q24 R25 T26 U27 W28 X29 Y30. GB 32100 weights 1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28.
     * GB 11714 (positions 9-16, letters A=10 ... Z=35) weights 3 7 9 10 5 8 4 2.
     *
     * 91350100M000100Y43
     *   outer: 9+3+27+135+0+26+0+0+21*20(420)+0+0+0+8+0+0+30*30(900)+4*28(112) = 1640;
     *          1640 mod 31 = 28; 31-28 = 3 -> '3'  (position 18 is 3)
     *   inner: M000100Y: M=22*3(66)+0+0+0+1*5(5)+0+0+Y=34*2(68) = 139; 139 mod 11 = 7; 11-7 = 4 -> '4'
     * 91110000600037341L
     *   outer: 9+3+9+27+0+0+0+0+6*20(120)+0+0+0+3*8(24)+7*24(168)+3*10(30)+4*30(120)+1*28(28) = 538;
     *          538 mod 31 = 11; 31-11 = 20 -> 'L'
     *   inner: 60003734: 18+0+0+0+15+56+12+8 = 109; 109 mod 11 = 10; 11-10 = 1 -> '1'
     * 911100036000373410 (constructed: region 110003): 538 + 3*17 = 589 = 19*31; 31-0 = 31 -> '0'
     * 91350100M000100Y56 (constructed: inner check changed to 5, outer recomputed):
     *   1640 - 4*28 + 5*28 = 1668; 1668 mod 31 = 25; 31-25 = 6 -> '6' (outer valid), inner expects 4
     * 91350211M00013FA1N (a real Fujian pilot code, hutool issue 4119/2020): outer sum 1237,
     *   1237 mod 31 = 28 -> expects '3', carries 'N'
     */
    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({
            "published example Fuzhou, 91350100M000100Y43",
            "published example Beijing, 91110000600037341L",
            "check character 0 (31 maps to 0), 911100036000373410",
            "public institution Guangdong, 12440600MB2C07549J"})
    void acceptsValidCodes(String description, String code) {
        assertThat(SocialCreditCodes.isValid(code)).isTrue();
        assertThat(SocialCreditCodes.require(FIELD, code)).isEqualTo(code);
    }

    @Test
    void acceptsLowerCaseAndNormalisesToUpperCase() {
        assertThat(SocialCreditCodes.require(FIELD, " 91350100m000100y43 ")).isEqualTo("91350100M000100Y43");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "wrong check character              | 91350100M000100Y44  | wrong check character (expected 3)",
            "two characters swapped             | 91110000600073341L  | wrong check character",
            "wrong inner GB 11714 character     | 91350100M000100Y56  | GB 11714 check character is wrong (expected 4",
            "Fujian pilot code (refused by design) | 91350211M00013FA1N | wrong check character (expected 3)",
            "forbidden letter I                 | 91350100M000100I43  | letter I at position 16",
            "forbidden letter O                 | 9135010OM000100Y43  | letter O at position 8",
            "forbidden letter Z                 | 91350100MZ00100Y43  | letter Z",
            "forbidden letter S                 | 91350100M000100S43  | letter S",
            "forbidden letter V                 | V1350100M000100Y43  | letter V at position 1",
            "punctuation                        | 91350100M000-00Y43  | '-' at position 13",
            "letter in the region code          | 91A50100M000100Y43  | positions 3-8 are the region code",
            "17 characters                      | 91350100M000100Y4   | has 17 characters",
            "19 characters                      | 91350100M000100Y433 | has 19 characters",
            "15-digit old registration number   | 110108000000016     | has 15 characters"})
    void refusesInvalidCodes(String description, String code, String fragment) {
        assertThat(SocialCreditCodes.isValid(code)).isFalse();
        assertRefused(() -> SocialCreditCodes.require(FIELD, code), FIELD, fragment);
    }

    @Test
    void refusesMissingCodesAndSaysWhereToLook() {
        assertRefused(() -> SocialCreditCodes.require(FIELD, null), FIELD, "business licence");
        assertRefused(() -> SocialCreditCodes.require(FIELD, "91350100M000100Y44"), FIELD,
                "check the code on the business licence");
    }

    /*
     * GB 11714 by hand (weights 3 7 9 10 5 8 4 2; C = 11 - sum mod 11; 10 -> X, 11 -> 0):
     * 60003734 -> 109, 109 mod 11 = 10 -> 1;   40000000 -> 12, 12 mod 11 = 1 -> 10 -> X;
     * B0000000 -> 11*3 = 33, 33 mod 11 = 0 -> 11 -> 0;   M000100Y -> 139 -> 4.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "600037341, 600037341",
            "60003734-1, 600037341",
            "40000000x, 40000000X",
            "B00000000, B00000000",
            "m000100y-4, M000100Y4"})
    void organizationCodesAcceptTheHyphenatedAndLowerCaseForms(String input, String normalised) {
        assertThat(OrganizationCodes.require("registration.organizationCode", input)).isEqualTo(normalised);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "600037342  | wrong check character (expected 1",
            "40000000-0 | wrong check character (expected X",
            "6000373    | has 7 characters",
            "6000_3734  | '_' at position 5"})
    void organizationCodesAreChecked(String input, String fragment) {
        assertThat(OrganizationCodes.isValid(input)).isFalse();
        assertRefused(() -> OrganizationCodes.require("registration.organizationCode", input),
                "registration.organizationCode", fragment);
    }
}
