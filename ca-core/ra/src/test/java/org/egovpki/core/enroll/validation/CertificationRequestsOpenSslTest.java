package org.egovpki.core.enroll.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.egovpki.core.enroll.validation.Refusals.assertRefused;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.egovpki.core.crypto.KeyAlgorithm;
import org.egovpki.core.enroll.validation.RegistrationData;
import org.egovpki.core.profile.CertificateType;
import org.egovpki.core.x509.OpenSsl;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OpenSSL 3 as an independent subscriber: its requests must parse and prove possession here. The
 * SM2 user ID trap: OpenSSL signs with an empty ID unless given {@code -sigopt distid:...}.
 */
class CertificationRequestsOpenSslTest {

    private static final String DISTID = "distid:1234567812345678";
    private static final String SUBJECT = "/C=CN/O=Test/CN=Zhang San";

    @TempDir
    Path dir;

    private final CertificationRequests requests = new CertificationRequests(new KeyPolicy(false));

    @BeforeAll
    static void needsOpenSsl() {
        Assumptions.assumeTrue(OpenSsl.onPath(), "openssl is not on PATH");
    }

    @Test
    void anSm2RequestMadeWithTheDefaultDistidParsesAndProvesPossession() throws Exception {
        generateKey("ec_paramgen_curve:SM2");
        run("req", "-new", "-key", "k.pem", "-subj", SUBJECT, "-sm3", "-sigopt", DISTID, "-outform", "DER", "-out", "req.der");

        ParsedCsr parsed = requests.parse(Files.readAllBytes(dir.resolve("req.der")));

        assertThat(parsed.algorithm()).isEqualTo(KeyAlgorithm.SM2);
        assertThat(parsed.signatureAlgorithmOid()).isEqualTo("1.2.156.10197.1.501");
        assertThat(SubjectDnPolicy.canonicalString(parsed.subject())).isEqualTo("CN=Zhang San,O=Test,C=CN");
        RegistrationData person = new RegistrationData("Zhang San", RegistrationData.RESIDENT_ID, "11010519491231002X",
                null, null, null, null, null, null, null, null, null, null, List.of(), List.of(), null);
        assertThat(new SubjectDnPolicy().check(parsed.subject(), CertificateType.PERSONAL, person))
                .isEqualTo(parsed.subject());
    }

    @Test
    void anSm2RequestInOpenSslsDefaultPemAlsoParses() throws Exception {
        generateKey("ec_paramgen_curve:SM2");
        run("req", "-new", "-key", "k.pem", "-subj", SUBJECT, "-sm3", "-sigopt", DISTID, "-out", "req.pem");

        assertThat(requests.parse(Files.readAllBytes(dir.resolve("req.pem"))).algorithm()).isEqualTo(KeyAlgorithm.SM2);
    }

    @Test
    void anSm2RequestSignedWithOpenSslsEmptyDefaultIdFailsProofOfPossession() throws Exception {
        generateKey("ec_paramgen_curve:SM2");
        run("req", "-new", "-key", "k.pem", "-subj", SUBJECT, "-sm3", "-outform", "DER", "-out", "req.der");
        // The request is not broken: OpenSSL verifies it with its own (empty) default ID ...
        assertThat(run("req", "-inform", "DER", "-in", "req.der", "-verify", "-noout").output()).contains("verify OK");

        // ... but the ID differs from GM/T 0009's 1234567812345678, so the signature does not verify here.
        assertRefused(() -> requests.parse(Files.readAllBytes(dir.resolve("req.der"))), "csr",
                CertificationRequests.POP_FAILED);
    }

    @Test
    void anEcP256RequestParsesAndProvesPossession() throws Exception {
        generateKey("ec_paramgen_curve:P-256");
        run("req", "-new", "-key", "k.pem", "-subj", SUBJECT, "-sha256", "-outform", "DER", "-out", "req.der");

        ParsedCsr parsed = requests.parse(Files.readAllBytes(dir.resolve("req.der")));

        assertThat(parsed.algorithm()).isEqualTo(KeyAlgorithm.EC);
        assertThat(parsed.signatureAlgorithmOid()).isEqualTo("1.2.840.10045.4.3.2");
    }

    private void generateKey(String curveOption) {
        run("genpkey", "-algorithm", "EC", "-pkeyopt", curveOption, "-out", "k.pem");
    }

    private OpenSsl.Result run(String... arguments) {
        OpenSsl.Result result = OpenSsl.run(dir, arguments);
        assertThat(result.exitCode()).as(result.toString()).isZero();
        return result;
    }
}
