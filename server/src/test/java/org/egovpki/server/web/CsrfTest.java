package org.egovpki.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class CsrfTest {

    private final Csrf csrf = new Csrf(new SecureRandom());

    @Test
    void theTokenOfAFormIsAcceptedWithTheCookieItWasMadeFor() {
        String cookie = csrf.newCookieValue();
        assertThat(csrf.valid(cookie, "revoke", csrf.token(cookie, "revoke"))).isTrue();
    }

    @Test
    void aTokenIsRefusedWithAnotherCookieForAnotherFormOrWhenMissing() {
        String cookie = csrf.newCookieValue();
        String token = csrf.token(cookie, "revoke");
        assertThat(csrf.valid(csrf.newCookieValue(), "revoke", token)).as("another browser's cookie").isFalse();
        assertThat(csrf.valid(cookie, "recover", token)).as("another form").isFalse();
        assertThat(csrf.valid(cookie, "revoke", null)).as("no token").isFalse();
        assertThat(csrf.valid(null, "revoke", token)).as("no cookie").isFalse();
        assertThat(csrf.valid(cookie, "revoke", token.substring(1) + "A")).as("altered token").isFalse();
    }

    @Test
    void anotherServerKeyRefusesTheToken() {
        String cookie = csrf.newCookieValue();
        assertThat(new Csrf(new SecureRandom()).valid(cookie, "revoke", csrf.token(cookie, "revoke"))).isFalse();
    }

    @Test
    void aCookieValueOfTheWrongShapeIsRefusedBeforeAnyHmac() {
        assertThat(Csrf.wellFormed(csrf.newCookieValue())).isTrue();
        assertThat(Csrf.wellFormed("short")).isFalse();
        assertThat(csrf.valid("short", "revoke", csrf.token("short", "revoke"))).isFalse();
    }
}
