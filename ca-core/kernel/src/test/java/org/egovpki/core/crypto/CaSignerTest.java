package org.egovpki.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.Signature;
import java.util.HexFormat;
import java.util.List;

import org.bouncycastle.jcajce.spec.SM2ParameterSpec;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CaSignerTest {

    private static final byte[] DATA = "to be signed".getBytes(StandardCharsets.US_ASCII);

    private final SecureRandom random = new SecureRandom();

    @ParameterizedTest
    @EnumSource(KeyAlgorithm.class)
    void signaturesAndContentSignersVerifyUnderThePublicKey(KeyAlgorithm algorithm) throws Exception {
        CaSigner signer = CaSigner.of(algorithm.generate(random), random);

        assertThat(signer.algorithm()).isEqualTo(algorithm);
        assertThat(verifies(algorithm, signer, signer.sign(DATA))).isTrue();

        ContentSigner contentSigner = signer.contentSigner();
        try (OutputStream out = contentSigner.getOutputStream()) {
            out.write(DATA);
        }
        assertThat(verifies(algorithm, signer, contentSigner.getSignature())).isTrue();
    }

    @Test
    void sm2SignaturesUseTheDefaultUserId() throws Exception {
        CaSigner signer = CaSigner.of(KeyAlgorithm.SM2.generate(random), random);
        byte[] signature = signer.sign(DATA);

        assertThat(verifiesWithId(signer, signature, "1234567812345678")).isTrue();
        assertThat(verifiesWithId(signer, signature, "")).isFalse();
    }

    @Test
    void pooledSm2SignersSignEveryMessageRightUnderConcurrencyAndTheBuildersAlgorithmIdentifier() throws Exception {
        CaSigner signer = CaSigner.of(KeyAlgorithm.SM2.generate(random), random);
        assertThat(signer.contentSigner().getAlgorithmIdentifier()).isEqualTo(
                new JcaContentSignerBuilder("SM3WITHSM2").setProvider(BouncyCastle.PROVIDER)
                        .build(KeyAlgorithm.SM2.generate(random).getPrivate()).getAlgorithmIdentifier());
        // A content signer written to and abandoned (a builder that failed) never comes back to sign again.
        signer.contentSigner().getOutputStream().write("abandoned".getBytes(StandardCharsets.US_ASCII));

        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            List<java.util.concurrent.Future<Boolean>> results = new java.util.ArrayList<>();
            for (int i = 0; i < 400; i++) {
                byte[] message = ("message " + i).getBytes(StandardCharsets.US_ASCII);
                boolean viaContentSigner = i % 2 == 0;
                results.add(pool.submit(() -> {
                    byte[] signature;
                    if (viaContentSigner) {
                        ContentSigner contentSigner = signer.contentSigner();
                        contentSigner.getOutputStream().write(message, 0, 3);
                        contentSigner.getOutputStream().write(message, 3, message.length - 3);
                        signature = contentSigner.getSignature();
                    } else {
                        signature = signer.sign(message);
                    }
                    return verifiesWithId(signer, signature, "1234567812345678", message);
                }));
            }
            for (java.util.concurrent.Future<Boolean> result : results) {
                assertThat(result.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void anSm2ContentSignerSignsOnceOnly() throws Exception {
        CaSigner signer = CaSigner.of(KeyAlgorithm.SM2.generate(random), random);
        ContentSigner contentSigner = signer.contentSigner();
        contentSigner.getOutputStream().write(DATA);
        assertThat(verifies(KeyAlgorithm.SM2, signer, contentSigner.getSignature())).isTrue();

        assertThatThrownBy(contentSigner::getSignature).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("signed already");
        // Its signer is back in the pool: writing more must not reach it.
        assertThatThrownBy(() -> contentSigner.getOutputStream().write(DATA)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("signed already");
    }

    @Test
    void aContentSignerAskedOnlyForItsAlgorithmTakesNoSignerFromThePool() throws Exception {
        CaSigner signer = CaSigner.of(KeyAlgorithm.SM2.generate(random), random);
        signer.sign(DATA);
        assertThat(signer.sm2SignersInitialised()).isEqualTo(1);
        for (int i = 0; i < 5; i++) {
            // What the issuance's intent step does: the algorithm identifier for the TBSCertificate.
            signer.contentSigner().getAlgorithmIdentifier();
            ContentSigner certificateSigner = signer.contentSigner();
            certificateSigner.getOutputStream().write(DATA);
            assertThat(verifies(KeyAlgorithm.SM2, signer, certificateSigner.getSignature())).isTrue();
        }
        assertThat(signer.sm2SignersInitialised()).as("the one signer, reused every time").isEqualTo(1);
    }

    @Test
    void refusesKeysThatAreNotAPair() {
        KeyPair one = KeyAlgorithm.SM2.generate(random);
        KeyPair other = KeyAlgorithm.SM2.generate(random);
        KeyPair rsa = KeyAlgorithm.RSA.generate(random);

        assertThatThrownBy(() -> new CaSigner(one.getPrivate(), other.getPublic(), random))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not belong to the SM2 public key");
        assertThatThrownBy(() -> new CaSigner(rsa.getPrivate(), one.getPublic(), random))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot sign with SM3WITHSM2");
    }

    @Test
    void toStringShowsNoKeyMaterial() {
        KeyPair keyPair = KeyAlgorithm.EC.generate(random);
        CaSigner signer = CaSigner.of(keyPair, random);

        assertThat(signer.toString())
                .startsWith("CaSigner[EC, public key sha256=")
                .doesNotContain(HexFormat.of().formatHex(keyPair.getPrivate().getEncoded()));
    }

    private static boolean verifies(KeyAlgorithm algorithm, CaSigner signer, byte[] signature) throws Exception {
        Signature verifier = Signature.getInstance(algorithm.signatureAlgorithm(), BouncyCastle.PROVIDER);
        verifier.initVerify(signer.publicKey());
        verifier.update(DATA);
        return verifier.verify(signature);
    }

    private static boolean verifiesWithId(CaSigner signer, byte[] signature, String id) throws Exception {
        return verifiesWithId(signer, signature, id, DATA);
    }

    private static boolean verifiesWithId(CaSigner signer, byte[] signature, String id, byte[] data) throws Exception {
        Signature verifier = Signature.getInstance("SM3WITHSM2", BouncyCastle.PROVIDER);
        verifier.setParameter(new SM2ParameterSpec(id.getBytes(StandardCharsets.US_ASCII)));
        verifier.initVerify(signer.publicKey());
        verifier.update(data);
        return verifier.verify(signature);
    }
}
