package org.egovpki.core.x509;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import org.bouncycastle.asn1.x509.CRLReason;
import org.egovpki.core.crypto.KeyAlgorithm;
import org.egovpki.core.x509.TestCas.Ca;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/** The CRL header read without decoding the entries agrees with the JDK's full parse. */
class CrlHeaderTest {

    @ParameterizedTest
    @EnumSource(KeyAlgorithm.class)
    void readsWhatTheJdkReadsFromACrlWithManyEntries(KeyAlgorithm algorithm) throws Exception {
        Ca ca = TestCas.root(algorithm);
        Instant revokedAt = Instant.parse("2025-05-30T10:15:30Z");
        RevokedEntrySource entries = sink -> {
            for (int i = 0; i < 20_000; i++) {
                sink.accept(new RevokedEntry(BigInteger.valueOf(1_000_000L + i), revokedAt, CRLReason.superseded, null));
            }
        };
        EncodedCrl encoded = new CrlFactory(TestCas.CLOCK).build(new CrlRequest(new BigInteger("123456789012345678"),
                TestCas.CLOCK.instant(), Duration.ofHours(24)), entries, ca.certificate(), ca.signer());
        byte[] der = encoded.der();

        CrlHeader header = CrlHeader.of(der);
        X509CRL jdk = (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(der));
        assertThat(header.issuer()).isEqualTo(jdk.getIssuerX500Principal());
        assertThat(header.thisUpdate()).isEqualTo(jdk.getThisUpdate().toInstant());
        assertThat(header.nextUpdate()).isEqualTo(jdk.getNextUpdate().toInstant());
        assertThat(header.crlNumber()).isEqualTo(new BigInteger("123456789012345678"));
        assertThat(header.entries()).isEqualTo(jdk.getRevokedCertificates().size()).isEqualTo(20_000);
        assertThat(header.baseCrlNumber()).as("a full CRL").isNull();
    }

    @Test
    void anEmptyCrlHasItsHeaderToo() {
        Ca ca = TestCas.root(KeyAlgorithm.SM2);
        EncodedCrl encoded = new CrlFactory(TestCas.CLOCK).build(new CrlRequest(BigInteger.TWO,
                TestCas.CLOCK.instant(), Duration.ofHours(1)), sink -> { }, ca.certificate(), ca.signer());
        CrlHeader header = CrlHeader.of(encoded.der());
        assertThat(header.crlNumber()).isEqualTo(BigInteger.TWO);
        assertThat(header.issuer()).isEqualTo(ca.certificate().getSubjectX500Principal());
        assertThat(header.entries()).isZero();
    }

    @Test
    void aDeltaCrlNamesItsBase() {
        Ca ca = TestCas.root(KeyAlgorithm.EC);
        EncodedCrl delta = new CrlFactory(TestCas.CLOCK).build(CrlRequest.of(BigInteger.valueOf(12))
                .deltaOf(BigInteger.valueOf(10)), sink -> sink.accept(RevokedEntry.of(BigInteger.TEN,
                Instant.parse("2025-05-30T10:15:30Z"))), ca.certificate(), ca.signer());
        CrlHeader header = CrlHeader.of(delta.der());
        assertThat(header.crlNumber()).isEqualTo(12);
        assertThat(header.baseCrlNumber()).isEqualTo(10);
        assertThat(header.entries()).isEqualTo(1);
    }

    @Test
    void whatIsNotACrlIsRefusedSayingWhy() {
        Ca ca = TestCas.root(KeyAlgorithm.EC);
        byte[] der = new CrlFactory(TestCas.CLOCK).build(new CrlRequest(BigInteger.ONE, TestCas.CLOCK.instant(),
                Duration.ofHours(1)), sink -> { }, ca.certificate(), ca.signer()).der();
        assertThatThrownBy(() -> CrlHeader.of(Arrays.copyOf(der, der.length / 2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("not a DER CRL");
        assertThatThrownBy(() -> CrlHeader.of(new byte[] {0x04, 0x01, 0x00}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tag 0x4");
        assertThatThrownBy(() -> CrlHeader.of(new byte[0])).isInstanceOf(IllegalArgumentException.class);
    }
}
