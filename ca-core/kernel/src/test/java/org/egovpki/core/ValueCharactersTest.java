package org.egovpki.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ValueCharactersTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "replacement character (invalid UTF-8) | FFFD   | U+FFFD",
            "BMP private use                       | E000   | U+E000",
            "plane 16 non-character                | 10FFFF | U+10FFFF",
            "arabic-block non-character            | FDD0   | U+FDD0",
            "NUL                                   | 0      | U+0000",
            "right-to-left override                | 202E   | U+202E",
            "unpaired surrogate                    | D800   | U+D800"})
    void aRefusedCharacterIsNamedByItsCodePointAndNeverShown(String kind, String hex, String named) {
        String character = Character.toString(Integer.parseInt(hex, 16));
        assertThatThrownBy(() -> ValueCharacters.require("name", "name", "a" + character + "b"))
                .isInstanceOfSatisfying(DomainException.class, e -> {
                    assertThat(e.kind()).isEqualTo(DomainException.Kind.BAD_REQUEST);
                    assertThat(e.field()).isEqualTo("name");
                })
                .hasMessageContaining(named)
                .message().doesNotContain(character).doesNotContain("a" + character);
    }

    @Test
    void ordinaryTextIncludingCjkExtensionBIsFine() {
        ValueCharacters.require("name", "name", "张三 Zhang-San.O'Brien \uD840\uDC00");
        assertThat(ValueCharacters.problem("name", "tax")).isNull();
    }
}
