package org.egovpki.core.enroll.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import org.egovpki.core.DomainException;
import org.egovpki.core.x509.OpenSsl;
import org.egovpki.core.x509.Pem;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The rekey proof as documented: {@code openssl cms -sign} with the old certificate and key over
 * the new request's DER, for RSA and ECDSA (OpenSSL 3.0 cannot write SM2 SignedData; SM2 proofs
 * are made with Bouncy Castle, see LifecycleServiceTest).
 */
class RekeyProofOpenSslTest {

    @TempDir
    Path dir;

    @BeforeAll
    static void needsOpenSsl() {
        Assumptions.assumeTrue(OpenSsl.onPath(), "openssl is not on PATH");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"rsa_keygen_bits:2048", "ec_paramgen_curve:P-256"})
    void anOpenSslProofVerifiesEncapsulatedDetachedAndAsPemButNotForAnotherKey(String keyOption) throws Exception {
        String algorithm = keyOption.startsWith("rsa") ? "RSA" : "EC";
        run("genpkey", "-algorithm", algorithm, "-pkeyopt", keyOption, "-out", "old.key");
        run("req", "-new", "-x509", "-key", "old.key", "-subj", "/C=CN/CN=Zhang San", "-days", "30", "-out", "old.crt");
        run("x509", "-in", "old.crt", "-outform", "DER", "-out", "old.cer");
        run("genpkey", "-algorithm", algorithm, "-pkeyopt", keyOption, "-out", "new.key");
        run("req", "-new", "-key", "new.key", "-subj", "/C=CN/CN=Zhang San", "-outform", "DER", "-out", "new.der");
        run("cms", "-sign", "-binary", "-nodetach", "-outform", "DER", "-signer", "old.crt", "-inkey", "old.key",
                "-in", "new.der", "-out", "proof.der");
        run("cms", "-sign", "-binary", "-outform", "DER", "-signer", "old.crt", "-inkey", "old.key",
                "-in", "new.der", "-out", "detached.der");
        run("cms", "-sign", "-binary", "-nodetach", "-outform", "PEM", "-signer", "old.crt", "-inkey", "old.key",
                "-in", "new.der", "-out", "proof.pem");
        byte[] csr = Files.readAllBytes(dir.resolve("new.der"));
        X509Certificate old = Pem.parseCertificate(Files.readAllBytes(dir.resolve("old.cer")));

        for (String proof : new String[] {"proof.der", "detached.der", "proof.pem"}) {
            assertThatCode(() -> RekeyProof.verify(Files.readAllBytes(dir.resolve(proof)), csr, old)).as(proof)
                    .doesNotThrowAnyException();
        }

        run("req", "-new", "-x509", "-key", "new.key", "-subj", "/C=CN/CN=Zhang San", "-days", "30", "-outform", "DER", "-out", "other.cer");
        X509Certificate other = Pem.parseCertificate(Files.readAllBytes(dir.resolve("other.cer")));
        DomainException refused = org.junit.jupiter.api.Assertions.assertThrows(DomainException.class,
                () -> RekeyProof.verify(Files.readAllBytes(dir.resolve("proof.der")), csr, other));
        assertThat(refused.kind()).isEqualTo(DomainException.Kind.FORBIDDEN);
    }

    private void run(String... arguments) {
        OpenSsl.Result result = OpenSsl.run(dir, arguments);
        assertThat(result.exitCode()).as(result.toString()).isZero();
    }
}
