package org.egovpki.server.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.egovpki.server.web.Messages.Lang;
import org.junit.jupiter.api.Test;

class MessagesTest {

    private final Messages messages = Messages.load();

    @Test
    void theChineseAndEnglishBundlesHaveTheSameKeys() {
        assertThat(messages.keys(Lang.ZH)).isNotEmpty().isEqualTo(messages.keys(Lang.EN));
    }

    @Test
    void noTextIsBlankInEitherLanguage() {
        for (Lang lang : Lang.values()) {
            for (String key : messages.keys(lang)) {
                assertThat(messages.text(lang, key)).as(lang + " " + key).isNotBlank();
            }
        }
    }

    @Test
    void argumentsAreFilledInAndTheHtmlFormIsEscaped() {
        assertThat(messages.text(Lang.EN, "error.method", "PUT")).isEqualTo("This page does not accept PUT requests.");
        assertThat(messages.html(Lang.EN, "error.method", "<b>")).contains("&lt;b&gt;").doesNotContain("<b>");
    }

    @Test
    void aMissingKeyIsAnErrorNotAnEmptyText() {
        assertThatThrownBy(() -> messages.text(Lang.ZH, "no.such.key"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("no.such.key");
    }
}
