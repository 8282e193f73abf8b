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

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.egovpki.core.crypto.BouncyCastle;
import org.egovpki.core.crypto.KeyAlgorithm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class SyncSigningCertificatesTest {

    private static final Duration THIRTY_DAYS = Duration.ofDays(30);

    @ParameterizedTest
    @EnumSource(KeyAlgorithm.class)
    void issuesASyncSigningCertificateUnderTheCaWithTheSyncKeyPurpose(KeyAlgorithm algorithm) throws Exception {
        TestCas.Chain chain = TestCas.chain(algorithm);
        Instant now = TestCas.NOW.plus(Duration.ofDays(10));
        KeyPair signerKey = algorithm.generate(TestCas.RANDOM);

        X509Certificate certificate = factory(now).issue("sub-ca", chain.issuing().certificate(),
                chain.issuing().signer(), signerKey.getPublic(), THIRTY_DAYS);

        certificate.verify(chain.issuing().certificate().getPublicKey(), BouncyCastle.PROVIDER);
        assertThat(certificate.getSigAlgOID()).isEqualTo(TestCas.signatureOid(algorithm));
        assertThat(certificate.getPublicKey().getEncoded()).isEqualTo(signerKey.getPublic().getEncoded());
        assertThat(certificate.getIssuerX500Principal()).isEqualTo(chain.issuing().certificate().getSubjectX500Principal());
        assertThat(certificate.getSubjectX500Principal().getName()).isEqualTo("CN=sub-ca sync signer,O=egov-pki,C=CN");
        Instant second = now.truncatedTo(ChronoUnit.SECONDS);
        assertThat(certificate.getNotBefore()).isEqualTo(Date.from(second.minus(OcspSigningCertificates.BACKDATE)));
        assertThat(certificate.getNotAfter()).isEqualTo(Date.from(second.plus(THIRTY_DAYS)));
        assertThat(certificate.getBasicConstraints()).as("no CA").isEqualTo(-1);

        assertThat(certificate.getCriticalExtensionOIDs()).containsExactly(Extension.keyUsage.getId());
        assertThat(certificate.getKeyUsage()).containsExactly(true, false, false, false, false, false, false, false,
                false);
        assertThat(certificate.getExtendedKeyUsage())
                .containsExactly("2.25.181821722204100531762351466650690192293.9.1");
        JcaX509CertificateHolder holder = new JcaX509CertificateHolder(certificate);
        assertThat(AuthorityKeyIdentifier.fromExtensions(holder.getExtensions()).getKeyIdentifier())
                .isEqualTo(KeyIdentifiers.ofIssuer(chain.issuing().certificate()));
        assertThat(KeyIdentifiers.ofIssuer(certificate))
                .isEqualTo(KeyIdentifiers.subjectKeyIdentifier(signerKey.getPublic()));
        assertThat(holder.getExtensionOIDs()).hasSize(4);
    }

    @Test
    void neitherStartsBeforeNorEndsAfterTheCa() {
        TestCas.Ca root = TestCas.root(KeyAlgorithm.EC,
                CaCertificateRequest.root(TestCas.ROOT_DN, Period.ofYears(1), TestCas.CA_REPOSITORY));
        Instant caNotAfter = root.certificate().getNotAfter().toInstant();

        X509Certificate justCreated = factory(TestCas.NOW).issue("root", root.certificate(), root.signer(),
                KeyAlgorithm.EC.generate(TestCas.RANDOM).getPublic(), THIRTY_DAYS);
        X509Certificate nearTheEnd = factory(caNotAfter.minus(Duration.ofDays(3))).issue("root", root.certificate(),
                root.signer(), KeyAlgorithm.EC.generate(TestCas.RANDOM).getPublic(), THIRTY_DAYS);

        assertThat(justCreated.getNotBefore()).isEqualTo(root.certificate().getNotBefore());
        assertThat(nearTheEnd.getNotAfter()).isEqualTo(root.certificate().getNotAfter());
        assertThatThrownBy(() -> factory(caNotAfter).issue("root", root.certificate(), root.signer(),
                KeyAlgorithm.EC.generate(TestCas.RANDOM).getPublic(), THIRTY_DAYS))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expired");
    }

    @Test
    void refusesALongValidityAForeignSignerAndANonCa() {
        TestCas.Chain chain = TestCas.chain(KeyAlgorithm.EC);
        TestCas.Ca other = TestCas.root(KeyAlgorithm.EC);
        X509Certificate ca = chain.issuing().certificate();
        var key = KeyAlgorithm.EC.generate(TestCas.RANDOM).getPublic();
        SyncSigningCertificates factory = factory(TestCas.NOW);

        assertThatThrownBy(() -> factory.issue("ca", ca, chain.issuing().signer(), key, Duration.ofDays(367)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("366 days");
        assertThatThrownBy(() -> factory.issue("ca", ca, other.signer(), key, THIRTY_DAYS))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not hold the key");
        X509Certificate signer = factory.issue("ca", ca, chain.issuing().signer(), key, THIRTY_DAYS);
        KeyPair signerKey = KeyAlgorithm.EC.generate(TestCas.RANDOM);
        assertThatThrownBy(() -> factory.issue("ca", signer,
                org.egovpki.core.crypto.CaSigner.of(signerKey, TestCas.RANDOM), key, THIRTY_DAYS))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "sub-ca | CN=A,OU=Ops,O=B,C=CN | CN=sub-ca sync signer,O=B,C=CN",
        "root | L=Zhengzhou,C=CN | CN=root sync signer,C=CN",
        "某市CA | CN=某市数字证书认证中心,O=某市人民政府,C=CN | CN=某市CA sync signer,O=某市人民政府,C=CN",
        "1234567890123456789012345678901234567890123456789012345678901234 | C=CN"
                + " | CN=1234567890123456789012345678901234567890123456789012 sync signer,C=CN"})
    void theSubjectNamesTheCaAndKeepsItsOrganisationAndCountry(String caName, String caSubject, String expected) {
        X500Name subject = SyncSigningCertificates.signerSubject(caName, DistinguishedNames.parse(caSubject));

        assertThat(DistinguishedNames.format(subject)).isEqualTo(expected);
    }

    private static SyncSigningCertificates factory(Instant now) {
        return new SyncSigningCertificates(Clock.fixed(now, ZoneOffset.UTC), TestCas.RANDOM);
    }
}
