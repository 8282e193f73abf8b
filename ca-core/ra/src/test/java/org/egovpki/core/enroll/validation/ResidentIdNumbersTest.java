package org.egovpki.core.enroll.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.egovpki.core.enroll.validation.Refusals.assertRefused;

import java.time.LocalDate;

import org.egovpki.core.privacy.PersonalData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ResidentIdNumbersTest {

    private static final LocalDate TODAY = LocalDate.of(2024, 6, 1);
    private static final String FIELD = "registration.idNumber";

    /*
     * Check characters worked out by hand (weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2; sum mod 11
     * indexes 1 0 X 9 8 7 6 5 4 3 2), not by the code under test:
     *
     * 11010519491231002X: 7+9+0+5+0+20+2+9+24+27+7+18+30+5+0+0+4 = 167; 167 mod 11 = 2 -> X
     * 440524188001010014: 28+36+0+25+16+16+2+8+48+0+0+9+0+5+0+0+2 = 195; 195 mod 11 = 8 -> 4
     * 32010219880515201X: 21+18+0+5+0+8+2+9+48+24+0+45+10+25+16+0+2 = 233; 233 mod 11 = 2 -> X
     * 110101200002290034: 7+9+0+5+0+4+4+0+0+0+0+18+20+45+0+0+6 = 118; 118 mod 11 = 8 -> 4 (born 29 Feb 2000)
     * 510104199001011230: 35+9+0+5+0+16+2+9+54+0+0+9+0+5+8+8+6 = 166; 166 mod 11 = 1 -> 0
     */
    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({
            "published example with check X, 11010519491231002X",
            "hand-computed Nanjing X, 32010219880515201X",
            "hand-computed leap day 2000-02-29, 110101200002290034",
            "hand-computed check digit 0, 510104199001011230"})
    void acceptsValidNumbers(String description, String number) {
        assertThat(ResidentIdNumbers.isValid(number, TODAY)).isTrue();
        assertThat(ResidentIdNumbers.require(FIELD, number, TODAY)).isEqualTo(number);
    }

    @Test
    void thePublishedExampleBornIn1880HasARightCheckDigitButFallsBelowThe1900Floor() {
        // GB 11643's second example: its check digit is right (hand sum 195 -> 4, above), but
        // nobody born in 1880 applies for a certificate, and the requirements set the floor at 1900.
        assertThat(ResidentIdNumbers.checkCharacter("44052418800101001")).isEqualTo('4');
        assertRefused(() -> ResidentIdNumbers.require(FIELD, "440524188001010014", TODAY), FIELD,
                "birth date before 1900");
    }

    @Test
    void acceptsLowerCaseXAndSurroundingBlanksAndNormalises() {
        assertThat(ResidentIdNumbers.require(FIELD, " 11010519491231002x ", TODAY)).isEqualTo("11010519491231002X");
    }

    @Test
    void aBirthDateOfTodayIsNotInTheFuture() {
        assertThat(ResidentIdNumbers.isValid("11010519491231002X", LocalDate.of(1949, 12, 31))).isTrue();
        assertThat(ResidentIdNumbers.isValid("11010519491231002X", LocalDate.of(1949, 12, 30))).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "wrong check digit                | 110105194912310021  | wrong check digit",
            "wrong check digit, expected 0    | 510104199001011231  | wrong check digit",
            "check character a letter         | 11010519491231002Y  | ends in Y",
            "bad date 19490230                | 110105194902300021  | birth date that is not a calendar date",
            "month 13                         | 110105194913010021  | not a calendar date",
            "not a leap year 1900-02-29       | 110105190002290021  | not a calendar date",
            "future birth date                | 110105202501010010  | in the future",
            "before 1900                      | 110105189912310013  | before 1900",
            "17 characters                    | 11010519491231002   | has 17 characters",
            "19 characters                    | 11010519491231002X1 | has 19 characters",
            "15-digit first generation        | 110105491231002     | 15-digit first-generation",
            "letter in the body               | 11010A19491231002X  | non-digit at position 6",
            "full-width digit                 | １10105194912310021  | non-digit at position 1",
            "region code starting with 0      | 01010519491231002X  | starts with 0, which no region code does"})
    void refusesInvalidNumbers(String description, String number, String fragment) {
        assertThat(ResidentIdNumbers.isValid(number, TODAY)).isFalse();
        assertRefused(() -> ResidentIdNumbers.require(FIELD, number, TODAY), FIELD, fragment);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "110105194912310021", "11010519491231002Y", "110105194902300021", "110105202501010010",
            "11010519491231002", "11010A19491231002X", "01010519491231002X"})
    void refusalsNeverCarryTheWholeNumberNorTheBirthDate(String number) {
        assertThatThrownBy(() -> ResidentIdNumbers.require(FIELD, number, TODAY))
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(number)
                        .doesNotContain(number.substring(6, 14)).doesNotContain(number.substring(0, 6))
                        .contains(PersonalData.mask(number)));
    }

    @Test
    void refusalMessageSaysWhatToDo() {
        assertRefused(() -> ResidentIdNumbers.require("registration.agentIdNumber", "11010519491231002Y", TODAY),
                "registration.agentIdNumber", "check the number on the ID card");
    }

    @Test
    void refusesMissingNumbers() {
        assertRefused(() -> ResidentIdNumbers.require(FIELD, null, TODAY), FIELD, "missing");
        assertRefused(() -> ResidentIdNumbers.require(FIELD, "  ", TODAY), FIELD, "missing");
        assertThat(ResidentIdNumbers.isValid(null, TODAY)).isFalse();
    }
}
