package org.egovpki.core.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.egovpki.core.crypto.BouncyCastle;
import org.egovpki.core.crypto.KeyAlgorithm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SyncSignatureVerifierTest {

    private static final Instant NOW = Instant.now();
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final byte[] BODY = "{\"specversion\":\"1.0\",\"id\":\"sub-ca/1A/issued\"}".getBytes(StandardCharsets.UTF_8);

    private final SyncSignatureVerifier verifier = new SyncSignatureVerifier(CLOCK);

    @ParameterizedTest
    @EnumSource(KeyAlgorithm.class)
    void aMessageSignedByTheSyncSignerVerifies(KeyAlgorithm algorithm) {
        SyncTestPki pki = SyncTestPki.create("sub-ca", algorithm, CLOCK);

        SyncSignatureVerifier.Result result = verifier.verify(BODY, pki.sign(BODY), pki.chain());

        assertThat(result.reason()).isNull();
        assertThat(result.valid()).isTrue();
        assertThat(result.signer()).isEqualTo(pki.syncCertificate());
    }

    @Test
    void anSm2SignatureIsOverTheBodyWithTheDefaultId() throws Exception {
        SyncTestPki pki = SyncTestPki.create("sub-ca", KeyAlgorithm.SM2, CLOCK);
        byte[] cms = pki.sign(BODY);

        // No signed attributes: the SignerInfo signature is a plain SM3withSM2 signature (default
        // ID 1234567812345678) over the body, which is what `openssl dgst -sm3 -sigopt distid:…` checks.
        byte[] signature = new CMSSignedData(cms).getSignerInfos().getSigners().iterator().next().getSignature();
        java.security.Signature plain = java.security.Signature.getInstance("SM3withSM2", BouncyCastle.PROVIDER);
        plain.initVerify(pki.syncCertificate().getPublicKey());
        plain.update(BODY);
        assertThat(plain.verify(signature)).isTrue();
    }

    @Test
    void aTamperedBodyFails() {
        SyncTestPki pki = SyncTestPki.create("sub-ca", KeyAlgorithm.SM2, CLOCK);
        byte[] cms = pki.sign(BODY);
        byte[] tampered = BODY.clone();
        tampered[tampered.length - 3] ^= 1;

        SyncSignatureVerifier.Result result = verifier.verify(tampered, cms, pki.chain());

        assertThat(result.valid()).isFalse();
        assertThat(result.reason()).contains("does not match the body bytes");
    }

    @Test
    void aSignerOfAnotherCaFails() {
        SyncTestPki pki = SyncTestPki.create("sub-ca", KeyAlgorithm.SM2, CLOCK);
        SyncTestPki other = SyncTestPki.create("other-ca", KeyAlgorithm.SM2, CLOCK);

        SyncSignatureVerifier.Result result = verifier.verify(BODY, other.sign(BODY), pki.chain());

        assertThat(result.valid()).isFalse();
        assertThat(result.reason()).contains("not by the CA");
    }

    @Test
    void aCertificateWithoutTheSyncSigningPurposeFails() {
        SyncTestPki pki = SyncTestPki.create("sub-ca", KeyAlgorithm.SM2, CLOCK);
        KeyPair key = pki.newKey();
        X509Certificate ocspLike = pki.syncSigner(key.getPublic(), NOW.minusSeconds(60), NOW.plus(Duration.ofDays(1)),
                KeyPurposeId.id_kp_OCSPSigning.getId());

        SyncSignatureVerifier.Result result = verifier.verify(BODY, pki.sign(BODY, key.getPrivate(), ocspLike), pki.chain());

        assertThat(result.valid()).isFalse();
        assertThat(result.reason()).contains("not a sync-signing certificate");
    }

    @Test
    void anExpiredSignerFails() {
        SyncTestPki pki = SyncTestPki.create("sub-ca", KeyAlgorithm.SM2, CLOCK);
        KeyPair key = pki.newKey();
        X509Certificate expired = pki.syncSigner(key.getPublic(), NOW.minus(Duration.ofDays(40)),
                NOW.minus(Duration.ofDays(10)), SyncSignatureVerifier.SYNC_SIGNING_EKU);

        SyncSignatureVerifier.Result result = verifier.verify(BODY, pki.sign(BODY, key.getPrivate(), expired), pki.chain());

        assertThat(result.valid()).isFalse();
        assertThat(result.reason()).contains("expired");
    }

    @Test
    void anEncapsulatingOrAttributeSignedCmsFails() throws Exception {
        SyncTestPki pki = SyncTestPki.create("sub-ca", KeyAlgorithm.SM2, CLOCK);
        KeyPair key = pki.newKey();
        X509Certificate certificate = pki.syncSigner(key.getPublic(), NOW.minusSeconds(60), NOW.plus(Duration.ofDays(1)),
                SyncSignatureVerifier.SYNC_SIGNING_EKU);

        byte[] encapsulating = cms(key, certificate, false, true);
        byte[] withAttributes = cms(key, certificate, true, false);

        assertThat(verifier.verify(BODY, encapsulating, pki.chain()).reason()).contains("encapsulates");
        assertThat(verifier.verify(BODY, withAttributes, pki.chain()).reason()).contains("signed attributes");
    }

    @Test
    void garbageAndAMissingSignatureFailWithAReason() {
        SyncTestPki pki = SyncTestPki.create("sub-ca", KeyAlgorithm.SM2, CLOCK);

        assertThat(verifier.verify(BODY, new byte[] {1, 2, 3}, pki.chain()).reason()).contains("not a DER CMS");
        assertThat(verifier.verify(BODY, new byte[0], pki.chain()).reason()).contains("no signature");
        assertThat(verifier.verify(BODY, pki.sign(BODY), List.of()).valid()).isFalse();
    }

    @Test
    void aChainThatDoesNotEndInARootFails() {
        SyncTestPki pki = SyncTestPki.create("sub-ca", KeyAlgorithm.SM2, CLOCK);

        SyncSignatureVerifier.Result result = verifier.verify(BODY, pki.sign(BODY), List.of(pki.issuing()));

        assertThat(result.valid()).isFalse();
        assertThat(result.reason()).contains("self-signed root");
    }

    private static byte[] cms(KeyPair key, X509Certificate certificate, boolean signedAttributes, boolean encapsulate)
            throws Exception {
        CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
        generator.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(
                new JcaDigestCalculatorProviderBuilder().setProvider(BouncyCastle.PROVIDER).build())
                .setDirectSignature(!signedAttributes)
                .build(new JcaContentSignerBuilder("SM3withSM2").setProvider(BouncyCastle.PROVIDER).build(key.getPrivate()),
                        certificate));
        generator.addCertificate(new JcaX509CertificateHolder(certificate));
        return generator.generate(new CMSProcessableByteArray(BODY), encapsulate).getEncoded("DER");
    }
}
