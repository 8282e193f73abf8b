package org.egovpki.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.time.Instant;
import java.util.Set;
import java.util.function.Predicate;
import org.egovpki.core.DomainException;
import org.egovpki.core.ca.CrlRecord;
import org.egovpki.core.ca.InMemoryCaRepository;
import org.junit.jupiter.api.Test;

/** {@code /crl/<ca>-key-<keyId>.crl}: the CRL of a key a CA key changeover made (current or retired since). */
class RetiredKeyCrlPathTest {

    private static final Instant NOW = Instant.parse("2026-12-02T08:00:00Z");
    private final Predicate<String> isCa = Set.of("sm2-root", "sm2-issuing")::contains;

    @Test
    void theRetiredKeysCrlIsServedByItsKeyIdAndOtherNamesAreNotFound() {
        InMemoryCaRepository repository = new InMemoryCaRepository();
        CrlRecord crl = new CrlRecord(BigInteger.ONE, NOW, NOW.plusSeconds(3600), new byte[] {0x30, 0x00});
        repository.publishRetiredKeyCrl("sm2-issuing", "0a1b2c", crl);

        assertThat(PublicHandler.currentCrl("sm2-issuing-key-0a1b2c", isCa, repository)).isEqualTo(crl);
        assertThatThrownBy(() -> PublicHandler.currentCrl("sm2-issuing-key-ffff", isCa, repository))
                .isInstanceOf(DomainException.class).hasMessageContaining("no key ffff").hasMessageContaining("/crl/sm2-issuing.crl")
                .extracting(e -> ((DomainException) e).kind()).isEqualTo(DomainException.Kind.NOT_FOUND);
        assertThatThrownBy(() -> PublicHandler.currentCrl("sm2-other-key-0a1b2c", isCa, repository))
                .isInstanceOf(DomainException.class)
                .extracting(e -> ((DomainException) e).kind()).isEqualTo(DomainException.Kind.NOT_FOUND);
        assertThatThrownBy(() -> PublicHandler.currentCrl("sm2-root-key-0a1b2c", isCa, repository))
                .as("a key id of another CA").isInstanceOf(DomainException.class).hasMessageContaining("sm2-root");
    }
}
