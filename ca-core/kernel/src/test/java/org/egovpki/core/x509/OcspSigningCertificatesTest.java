package org.egovpki.core.x509;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Date;

import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.egovpki.core.crypto.BouncyCastle;
import org.egovpki.core.crypto.KeyAlgorithm;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class OcspSigningCertificatesTest {

    private static final Duration THIRTY_DAYS = Duration.ofDays(30);

    @ParameterizedTest
    @EnumSource(KeyAlgorithm.class)
    void issuesAShortLivedOcspSigningCertificateUnderTheCa(KeyAlgorithm algorithm) throws Exception {
        TestCas.Chain chain = TestCas.chain(algorithm);
        Instant now = TestCas.NOW.plus(Duration.ofDays(10));
        KeyPair responderKey = algorithm.generate(TestCas.RANDOM);

        X509Certificate certificate = factory(now).issue(chain.issuing().certificate(), chain.issuing().signer(),
                responderKey.getPublic(), THIRTY_DAYS);

        certificate.verify(chain.issuing().certificate().getPublicKey(), BouncyCastle.PROVIDER);
        assertThat(certificate.getSigAlgOID()).isEqualTo(TestCas.signatureOid(algorithm));
        assertThat(certificate.getPublicKey().getEncoded()).isEqualTo(responderKey.getPublic().getEncoded());
        assertThat(certificate.getIssuerX500Principal()).isEqualTo(chain.issuing().certificate().getSubjectX500Principal());
        assertThat(certificate.getSubjectX500Principal().getName())
                .isEqualTo("CN=egov-pki Test Issuing CA OCSP Responder,O=egov-pki,C=CN");
        Instant second = now.truncatedTo(ChronoUnit.SECONDS);
        assertThat(certificate.getNotBefore()).isEqualTo(Date.from(second.minus(OcspSigningCertificates.BACKDATE)));
        assertThat(certificate.getNotAfter()).isEqualTo(Date.from(second.plus(THIRTY_DAYS)));
        assertThat(certificate.getBasicConstraints()).as("no CA").isEqualTo(-1);

        assertThat(certificate.getCriticalExtensionOIDs()).containsExactly(Extension.keyUsage.getId());
        assertThat(certificate.getKeyUsage()).containsExactly(true, false, false, false, false, false, false, false,
                false);
        assertThat(certificate.getExtendedKeyUsage()).containsExactly(KeyPurposeId.id_kp_OCSPSigning.getId());
        JcaX509CertificateHolder holder = new JcaX509CertificateHolder(certificate);
        Extension nocheck = holder.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nocheck);
        assertThat(nocheck).isNotNull();
        assertThat(nocheck.isCritical()).isFalse();
        assertThat(nocheck.getExtnValue().getOctets()).isEqualTo(DERNull.INSTANCE.getEncoded(ASN1Encoding.DER));
        assertThat(AuthorityKeyIdentifier.fromExtensions(holder.getExtensions()).getKeyIdentifier())
                .isEqualTo(KeyIdentifiers.ofIssuer(chain.issuing().certificate()));
        assertThat(holder.getExtension(Extension.subjectKeyIdentifier)).isNotNull();
        assertThat(KeyIdentifiers.ofIssuer(certificate))
                .isEqualTo(KeyIdentifiers.subjectKeyIdentifier(responderKey.getPublic()));
        assertThat(holder.getExtensionOIDs()).hasSize(5);
    }

    @Test
    void neitherStartsBeforeNorEndsAfterTheCa() throws Exception {
        TestCas.Ca root = TestCas.root(KeyAlgorithm.EC,
                CaCertificateRequest.root(TestCas.ROOT_DN, Period.ofYears(1), TestCas.CA_REPOSITORY));
        Instant caNotAfter = root.certificate().getNotAfter().toInstant();

        X509Certificate justCreated = factory(TestCas.NOW).issue(root.certificate(), root.signer(),
                KeyAlgorithm.EC.generate(TestCas.RANDOM).getPublic(), THIRTY_DAYS);
        X509Certificate nearTheEnd = factory(caNotAfter.minus(Duration.ofDays(3))).issue(root.certificate(),
                root.signer(), KeyAlgorithm.EC.generate(TestCas.RANDOM).getPublic(), THIRTY_DAYS);

        assertThat(justCreated.getNotBefore()).isEqualTo(root.certificate().getNotBefore());
        assertThat(nearTheEnd.getNotAfter()).isEqualTo(root.certificate().getNotAfter());
        assertThatThrownBy(() -> factory(caNotAfter).issue(root.certificate(), root.signer(),
                KeyAlgorithm.EC.generate(TestCas.RANDOM).getPublic(), THIRTY_DAYS))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expired");
    }

    @Test
    void refusesALongValidityAForeignSignerAndANonCa() {
        TestCas.Chain chain = TestCas.chain(KeyAlgorithm.EC);
        TestCas.Ca other = TestCas.root(KeyAlgorithm.EC);
        X509Certificate ca = chain.issuing().certificate();
        var key = KeyAlgorithm.EC.generate(TestCas.RANDOM).getPublic();
        OcspSigningCertificates factory = factory(TestCas.NOW);

        assertThatThrownBy(() -> factory.issue(ca, chain.issuing().signer(), key, Duration.ofDays(367)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("366 days");
        assertThatThrownBy(() -> factory.issue(ca, other.signer(), key, THIRTY_DAYS))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not hold the key");
        X509Certificate responder = factory.issue(ca, chain.issuing().signer(), key, THIRTY_DAYS);
        KeyPair responderKey = KeyAlgorithm.EC.generate(TestCas.RANDOM);
        assertThatThrownBy(() -> factory.issue(responder,
                org.egovpki.core.crypto.CaSigner.of(responderKey, TestCas.RANDOM), key, THIRTY_DAYS))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "CN=A,O=B,C=CN | CN=A OCSP Responder,O=B,C=CN",
        "O=B,C=CN | CN=OCSP Responder,O=B,C=CN",
        "CN=某市数字证书认证中心,O=某市人民政府,C=CN | CN=某市数字证书认证中心 OCSP Responder,O=某市人民政府,C=CN",
        "CN=1234567890123456789012345678901234567890123456789012345678901234,C=CN"
                + " | CN=1234567890123456789012345678901234567890123456789 OCSP Responder,C=CN"})
    void theSubjectIsTheCasWithOcspResponderInItsCn(String ca, String expected) {
        X500Name subject = OcspSigningCertificates.responderSubject(DistinguishedNames.parse(ca));

        assertThat(DistinguishedNames.format(subject)).isEqualTo(expected);
    }

    private static OcspSigningCertificates factory(Instant now) {
        return new OcspSigningCertificates(Clock.fixed(now, ZoneOffset.UTC), TestCas.RANDOM);
    }
}
