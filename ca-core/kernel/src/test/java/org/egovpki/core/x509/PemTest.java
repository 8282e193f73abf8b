package org.egovpki.core.x509;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.egovpki.core.x509.TestCas.CLOCK;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

import org.egovpki.core.crypto.KeyAlgorithm;
import org.egovpki.core.x509.TestCas.Ca;
import org.junit.jupiter.api.Test;

class PemTest {

    @Test
    void certificatePemHasStandardArmourAnd64ColumnLines() throws Exception {
        X509Certificate certificate = TestCas.root(KeyAlgorithm.SM2).certificate();

        String pem = Pem.certificate(certificate);

        assertThat(pem).startsWith("-----BEGIN CERTIFICATE-----\n").endsWith("\n-----END CERTIFICATE-----\n");
        List<String> body = bodyLines(pem);
        assertThat(body).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(64));
        assertThat(body.subList(0, body.size() - 1)).allSatisfy(line -> assertThat(line).hasSize(64));
        assertThat(Base64.getDecoder().decode(String.join("", body))).isEqualTo(certificate.getEncoded());
    }

    @Test
    void crlPemUsesTheX509CrlLabel() throws Exception {
        Ca ca = TestCas.root(KeyAlgorithm.EC);
        X509CRL crl = Pem.parseCrl(new CrlFactory(CLOCK).build(CrlRequest.of(BigInteger.ONE), RevokedEntrySource.empty(),
                ca.certificate(), ca.signer()).der());

        String pem = Pem.crl(crl);

        assertThat(pem).startsWith("-----BEGIN X509 CRL-----\n").endsWith("\n-----END X509 CRL-----\n");
        assertThat(Base64.getDecoder().decode(String.join("", bodyLines(pem)))).isEqualTo(crl.getEncoded());
    }

    @Test
    void parsedSm2CertificateAndCrlVerifyWithBouncyCastle() throws Exception {
        Ca ca = TestCas.root(KeyAlgorithm.SM2);
        X509CRL crl = Pem.parseCrl(new CrlFactory(CLOCK).build(CrlRequest.of(BigInteger.ONE), RevokedEntrySource.empty(),
                ca.certificate(), ca.signer()).der());

        X509Certificate parsed = Pem.parseCertificate(ca.certificate().getEncoded());
        X509CRL parsedCrl = Pem.parseCrl(crl.getEncoded());

        parsed.verify(parsed.getPublicKey());
        parsedCrl.verify(parsed.getPublicKey());
        assertThat(parsed.getEncoded()).isEqualTo(ca.certificate().getEncoded());
        assertThat(parsedCrl.getEncoded()).isEqualTo(crl.getEncoded());
        assertThat(parsed.getClass().getName()).startsWith("org.bouncycastle.");
    }

    @Test
    void refusesPemTextTrailingBytesAndGarbage() throws Exception {
        X509Certificate certificate = TestCas.root(KeyAlgorithm.EC).certificate();
        byte[] der = certificate.getEncoded();
        byte[] pem = Pem.certificate(certificate).getBytes(StandardCharsets.US_ASCII);
        byte[] trailing = Arrays.copyOf(der, der.length + 1);

        assertThatThrownBy(() -> Pem.parseCertificate(pem))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("raw DER");
        assertThatThrownBy(() -> Pem.parseCertificate(trailing))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("exactly one DER-encoded certificate");
        assertThatThrownBy(() -> Pem.parseCertificate(new byte[] {1, 2, 3}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Pem.parseCrl(new byte[0]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static List<String> bodyLines(String pem) {
        List<String> lines = pem.lines().toList();
        return lines.subList(1, lines.size() - 1);
    }
}
