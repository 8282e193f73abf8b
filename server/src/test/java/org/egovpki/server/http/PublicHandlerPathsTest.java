package org.egovpki.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * {@link PublicHandler#answers}: the paths the public handler serves, which the public pages must
 * leave to it even when a browser asks (a CRL link followed in a browser), and the paths it does not.
 */
class PublicHandlerPathsTest {

    @Test
    void itsOwnResourcesAreAnswered() {
        for (String path : new String[] {"/health", "/health/live", "/health/ready", "/ca", "/ca/",
                "/ca/sm2-root.crt", "/ca/sm2-issuing.pem", "/ca/sm2-issuing-keys.p7c", "/crl/sm2-issuing.crl",
                "/crl/sm2-issuing-delta.crl", "/certs", "/certs/", "/crls", "/crls/", "/search.cgi",
                PublicHandler.SYNC_WSDL_PATH}) {
            assertThat(PublicHandler.answers(path)).as(path).isTrue();
        }
    }

    @Test
    void otherPathsAreNot() {
        for (String path : new String[] {"/", "/lookup", "/health/", "/ca/sm2-root.der", "/ca/a/b.crt", "/crl/x.pem",
                "/crl/", "/certs/x", "/search", "/sync/other.wsdl", "/api/v1/requests", ""}) {
            assertThat(PublicHandler.answers(path)).as(path).isFalse();
        }
    }
}
