package org.egovpki.core.x509;

import static org.assertj.core.api.Assertions.assertThat;
import static org.egovpki.core.x509.TestEndEntities.RESIDENT_ID;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Period;
import java.util.List;

import org.egovpki.core.crypto.KeyAlgorithm;
import org.egovpki.core.profile.CertificateProfile;
import org.egovpki.core.profile.CertificateType;
import org.egovpki.core.profile.IdentityExtensionForm;
import org.egovpki.core.profile.KeyUsageKind;
import org.egovpki.core.profile.SubjectIdentity;
import org.egovpki.core.x509.TestCas.Chain;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * OpenSSL 3 as the independent check of end-entity certificates. EC and RSA leaves verify with
 * no flags against the full chain; the SM2 leaf needs {@code distid:1234567812345678} (OpenSSL's
 * default SM2 ID is empty) and {@code -partial_chain}, because the distid only reaches the
 * certificate being verified, not the issuing CA's own signature (GM-CRYPTO.md). OpenSSL checks
 * validity against the real clock while the certificates start at the fixed {@link TestCas#NOW},
 * so the profiles here run five years.
 */
class EndEntityOpenSslTest {

    private static final String DISTID = "distid:1234567812345678";
    private static final Period FIVE_YEARS = Period.ofYears(5);

    @TempDir
    Path dir;

    @BeforeAll
    static void needsOpenSsl() {
        Assumptions.assumeTrue(OpenSsl.onPath(), "openssl is not on PATH");
    }

    @ParameterizedTest(name = "{0} chain, {1} certificate")
    @EnumSource(value = KeyAlgorithm.class, names = {"EC", "RSA"})
    void openSslVerifiesEcAndRsaLeavesAgainstTheFullChainAndTheIssuingCaAlone(KeyAlgorithm algorithm) throws Exception {
        Chain chain = TestCas.chain(algorithm);
        for (KeyUsageKind kind : KeyUsageKind.values()) {
            X509Certificate leaf = TestEndEntities.issue(deviceProfile(), TestEndEntities.request(algorithm, kind,
                    List.of("gw.egov.test"), List.of("192.0.2.7"), null), chain.issuing());
            writePem("leaf.pem", leaf);
            writePem("issuing.pem", chain.issuing().certificate());
            Files.writeString(dir.resolve("chain.pem"), Pem.certificate(chain.root().certificate())
                    + Pem.certificate(chain.issuing().certificate()), StandardCharsets.US_ASCII);

            assertVerifies(OpenSsl.run(dir, "verify", "-CAfile", "chain.pem", "leaf.pem"));
            assertVerifies(OpenSsl.run(dir, "verify", "-partial_chain", "-CAfile", "issuing.pem", "leaf.pem"));
        }
    }

    @Test
    void openSslVerifiesTheSm2LeafUnderItsIssuingCaWithTheDefaultUserId() throws Exception {
        Chain chain = TestCas.chain(KeyAlgorithm.SM2);
        for (KeyUsageKind kind : KeyUsageKind.values()) {
            writePem("leaf.pem", TestEndEntities.issue(TestEndEntities.profile().validity(FIVE_YEARS).build(),
                    TestEndEntities.request(KeyAlgorithm.SM2, kind), chain.issuing()));
            writePem("issuing.pem", chain.issuing().certificate());

            assertVerifies(OpenSsl.run(dir, "verify", "-partial_chain", "-vfyopt", DISTID, "-CAfile", "issuing.pem",
                    "leaf.pem"));
        }
    }

    @ParameterizedTest(name = "{0} certificate")
    @EnumSource(KeyUsageKind.class)
    void openSslShowsTheProfile(KeyUsageKind kind) throws Exception {
        Chain chain = TestCas.chain(KeyAlgorithm.SM2);
        writePem("leaf.pem", TestEndEntities.issue(deviceProfile(), TestEndEntities.request(KeyAlgorithm.SM2, kind,
                List.of("gw.egov.test"), List.of("192.0.2.7", "2001:db8::7"), null), chain.issuing()));

        OpenSsl.Result text = OpenSsl.run(dir, "x509", "-in", "leaf.pem", "-noout", "-text");

        assertThat(text.exitCode()).as("%s", text).isZero();
        assertThat(text.output()).as("%s", text)
                .contains("Version: 3 (0x2)", "SM2-with-SM3", "X509v3 Key Usage: critical",
                        kind == KeyUsageKind.SIGNING ? "Digital Signature, Non Repudiation"
                                : "Key Encipherment, Data Encipherment, Key Agreement",
                        "X509v3 Basic Constraints: \n", "CA:FALSE",
                        "X509v3 Extended Key Usage: \n", "TLS Web Server Authentication",
                        "X509v3 Subject Key Identifier", "X509v3 Authority Key Identifier",
                        "URI:" + TestEndEntities.CRL_HTTP, "URI:" + TestEndEntities.CRL_LDAP,
                        "OCSP - URI:" + TestEndEntities.OCSP, "CA Issuers - URI:" + TestEndEntities.CA_ISSUERS,
                        "Policy: " + TestEndEntities.POLICY_OID, "CPS: " + TestEndEntities.CPS_URI,
                        "DNS:gw.egov.test", "IP Address:192.0.2.7", "IP Address:2001:DB8:0:0:0:0:0:7");
        assertThat(text.output()).as("%s", text)
                .doesNotContain("Basic Constraints: critical", kind == KeyUsageKind.SIGNING
                        ? "Key Encipherment" : "Digital Signature");
    }

    @Test
    void openSslAsn1ParseShowsTheIdentityNumbersAsPrintableStrings() throws Exception {
        Chain chain = TestCas.chain(KeyAlgorithm.SM2);
        CertificateProfile profile = TestEndEntities.profile().validity(FIVE_YEARS)
                .identityExtensions(IdentityExtensionForm.BOTH).build();
        writePem("leaf.pem", TestEndEntities.issue(profile, TestEndEntities.request(KeyAlgorithm.SM2,
                KeyUsageKind.SIGNING, List.of(), List.of(), SubjectIdentity.residentId(RESIDENT_ID)), chain.issuing()));

        OpenSsl.Result identifyCode = extensionValue("1.2.156.10260.4.1.1");
        OpenSsl.Result resident2023 = extensionValue("1.2.156.10260.4.1.1.1");

        assertThat(identifyCode.output()).as("%s", identifyCode)
                .containsPattern("d=0 +hl=2 l= *20 cons: cont \\[ 0 \\]")
                .containsPattern("d=1 +hl=2 l= *18 prim: PRINTABLESTRING +:" + RESIDENT_ID);
        assertThat(resident2023.output()).as("%s", resident2023)
                .containsPattern("d=0 +hl=2 l= *18 prim: PRINTABLESTRING +:" + RESIDENT_ID);
    }

    /** asn1parse of the extnValue OCTET STRING that follows {@code oid} in leaf.pem. */
    private OpenSsl.Result extensionValue(String oid) {
        OpenSsl.Result whole = OpenSsl.run(dir, "asn1parse", "-in", "leaf.pem");
        assertThat(whole.exitCode()).as("%s", whole).isZero();
        List<String> lines = whole.output().lines().toList();
        int at = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).strip().endsWith("OBJECT            :" + oid)) {
                at = i;
            }
        }
        assertThat(at).as("OID %s in %s", oid, whole).isNotNegative();
        String octetString = lines.get(at + 1);
        assertThat(octetString).as("%s", whole).contains("OCTET STRING");
        String offset = octetString.strip().substring(0, octetString.strip().indexOf(':'));
        OpenSsl.Result value = OpenSsl.run(dir, "asn1parse", "-in", "leaf.pem", "-strparse", offset);
        assertThat(value.exitCode()).as("%s", value).isZero();
        return value;
    }

    private static CertificateProfile deviceProfile() {
        return CertificateProfile.builder("server", CertificateType.DEVICE)
                .validity(FIVE_YEARS)
                .policy(TestEndEntities.POLICY_OID, TestEndEntities.CPS_URI)
                .extendedKeyUsages(List.of("1.3.6.1.5.5.7.3.1"))
                .allowSubjectAltNames(true)
                .build();
    }

    private void writePem(String name, X509Certificate certificate) throws Exception {
        Files.writeString(dir.resolve(name), Pem.certificate(certificate), StandardCharsets.US_ASCII);
    }

    private static void assertVerifies(OpenSsl.Result result) {
        assertThat(result.exitCode()).as("%s", result).isZero();
        assertThat(result.output().strip()).as("%s", result).isEqualTo("leaf.pem: OK");
    }
}
