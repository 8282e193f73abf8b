package org.egovpki.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.oiw.OIWObjectIdentifiers;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.UnknownStatus;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.egovpki.core.crypto.BouncyCastle;
import org.egovpki.core.crypto.KeyAlgorithm;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16 on the real jar, {@code ocsp.signer: ca}: the issuing CA certificates point at their
 * root's OCSP responder (AIA), and the root's responder answers for them, so a relying party that
 * checks revocation by OCSP only — the JDK's PKIX validator with {@code NO_FALLBACK}, every
 * certificate of the path — accepts an ECDSA chain, and refuses it with {@code REVOKED} once the
 * subscriber certificate, or the issuing CA itself, is revoked. {@code openssl ocsp} asks the root
 * about the issuing CA. The JDK cannot validate SM2, so the SM2 chain is checked with Bouncy
 * Castle: the AIA, and the root's signed answer, good and then revoked.
 */
class CaChainOcspIT {

    private static final String PASSWORD = "Root2026pass";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    static Path tmp;

    private static ServerProcess server;
    private static ApiClient api;

    @BeforeAll
    static void start() throws Exception {
        Path config = ServerProcess.config(tmp,
                yaml -> yaml.replace("    - algorithm: EC\n      enabled: false", "    - algorithm: EC\n      enabled: true"),
                yaml -> yaml.replace("  # initialAdminPassword: ...", "  initialAdminPassword: " + PASSWORD),
                yaml -> yaml.replace("profiles:\n", "profiles:\n  - name: device-ec\n    type: DEVICE\n"
                        + "    issuer: ec-issuing\n    validityMonths: 12\n    identityExtensions: NONE\n"
                        + "    extendedKeyUsages: [serverAuth]\n    autoApproveForRa: true\n"));
        assertThat(Files.readString(config)).contains("  signer: ca\n").contains("  cacheSeconds: 60\n");
        server = ServerProcess.serve(tmp.resolve("data"), "--config", config.toString());
        api = server.api(PASSWORD);
        Path passwordFile = Files.writeString(tmp.resolve("password"), PASSWORD);
        server.addOperator(config, "ca2", "CA_ADMIN", passwordFile);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void theJdkInOcspOnlyModeValidatesTheEcdsaChainAndRefusesARevokedLeafOrARevokedIssuingCa() throws Exception {
        X509Certificate root = jdkCertificate(api.bytes(null, "/ca/ec-root.crt"));
        X509Certificate issuing = jdkCertificate(api.bytes(null, "/ca/ec-issuing.crt"));
        assertThat(aia(issuing)).containsExactly(
                new AccessDescription(AccessDescription.id_ad_ocsp, uri(server.baseUrl() + "/ocsp")),
                new AccessDescription(AccessDescription.id_ad_caIssuers, uri(server.baseUrl() + "/ca/ec-root.crt")));
        assertThat(root.getExtensionValue("1.3.6.1.5.5.7.1.1")).as("the self-signed root has no AIA").isNull();
        String firstSerial = issueDevice("one");
        X509Certificate first = jdkCertificate(api.bytes("admin", "/api/v1/certificates/" + firstSerial + ".pem"));
        X509Certificate second = jdkCertificate(api.bytes("admin", "/api/v1/certificates/" + issueDevice("two")
                + ".pem"));
        Path rootPem = write("ec-root.pem", api.bytes(null, "/ca/ec-root.pem"));
        Path issuingPem = write("ec-issuing.pem", api.bytes(null, "/ca/ec-issuing.pem"));

        assertThat(OcspOnlyPkix.validate(List.of(first, issuing), root)).as("no soft failures").isEmpty();
        assertThat(openSslOcsp(rootPem, issuingPem)).contains("Response verify OK")
                .contains(issuingPem + ": good").doesNotContain("WARNING");

        api.postJson("admin", "/api/v1/certificates/" + firstSerial + "/revoke",
                Map.of("reason", "KEY_COMPROMISE", "requester", "AUTHORISED_REPRESENTATIVE"), 200);
        CertPathValidatorException leafRevoked = catchThrowableOfType(CertPathValidatorException.class,
                () -> OcspOnlyPkix.validate(List.of(first, issuing), root));
        assertThat(leafRevoked.getReason()).isEqualTo(CertPathValidatorException.BasicReason.REVOKED);
        assertThat(leafRevoked.getIndex()).as("the subscriber certificate").isZero();
        assertThat(OcspOnlyPkix.validate(List.of(second, issuing), root)).isEmpty();

        api.postJson("admin", "/api/v1/cas/ec-issuing/revoke", Map.of("reason", "CA_COMPROMISE"), 202);
        JsonNode caRevoked = api.postJson("ca2", "/api/v1/cas/ec-issuing/revoke", Map.of("reason", "CA_COMPROMISE"),
                200);
        assertThat(caRevoked.path("revocation").path("reason").asText()).isEqualTo("cACompromise");
        CertPathValidatorException caIsRevoked = catchThrowableOfType(CertPathValidatorException.class,
                () -> OcspOnlyPkix.validate(List.of(second, issuing), root));
        assertThat(caIsRevoked.getReason()).isEqualTo(CertPathValidatorException.BasicReason.REVOKED);
        assertThat(caIsRevoked.getIndex()).as("the issuing CA certificate, checked with the root's responder").isOne();
        assertThat(openSslOcsp(rootPem, issuingPem)).contains("Response verify OK")
                .contains(issuingPem + ": revoked").contains("Reason: cACompromise");
    }

    @Test
    void theSm2RootAnswersForItsIssuingCaGoodThenRevokedSignedWithSm2() throws Exception {
        X509Certificate root = bcCertificate(api.bytes(null, "/ca/sm2-root.crt"));
        X509Certificate issuing = bcCertificate(api.bytes(null, "/ca/sm2-issuing.crt"));
        assertThat(aia(issuing)).containsExactly(
                new AccessDescription(AccessDescription.id_ad_ocsp, uri(server.baseUrl() + "/ocsp")),
                new AccessDescription(AccessDescription.id_ad_caIssuers, uri(server.baseUrl() + "/ca/sm2-root.crt")));
        // Nonce-free, as RFC 5019 clients ask: the good answer is cached and must not outlive the revocation.
        byte[] request = request(root, issuing.getSerialNumber());

        BasicOCSPResp good = basic(post(request));
        assertThat(good.getResponses()[0].getCertStatus()).isSameAs(CertificateStatus.GOOD);
        assertThat(good.getSignatureAlgOID().getId()).as("SM3withSM2").isEqualTo("1.2.156.10197.1.501");
        assertThat(good.isSignatureValid(new JcaContentVerifierProviderBuilder().setProvider(BouncyCastle.PROVIDER)
                .build(root.getPublicKey()))).as("signed by the root's own key").isTrue();
        assertThat(basic(post(request)).getEncoded()).as("served from the cache").isEqualTo(good.getEncoded());

        api.postJson("admin", "/api/v1/cas/sm2-issuing/revoke", Map.of("reason", "SUPERSEDED"), 202);
        api.postJson("ca2", "/api/v1/cas/sm2-issuing/revoke", Map.of("reason", "SUPERSEDED"), 200);

        BasicOCSPResp revoked = basic(post(request));
        assertThat(revoked.getResponses()[0].getCertStatus()).isInstanceOf(RevokedStatus.class);
        RevokedStatus status = (RevokedStatus) revoked.getResponses()[0].getCertStatus();
        assertThat(status.getRevocationReason()).isEqualTo(CRLReason.superseded);
        assertThat(revoked.isSignatureValid(new JcaContentVerifierProviderBuilder().setProvider(BouncyCastle.PROVIDER)
                .build(root.getPublicKey()))).isTrue();
        assertThat(basic(post(request(root, issuing.getSerialNumber().add(BigInteger.ONE)))).getResponses()[0]
                .getCertStatus()).as("a serial the root never issued").isInstanceOf(UnknownStatus.class);
    }

    // --- helpers ---

    private static String issueDevice(String name) throws Exception {
        KeyPair key = KeyAlgorithm.EC.generate(RANDOM);
        String host = name + ".chain-ocsp.example.gov.cn";
        byte[] csr = new JcaPKCS10CertificationRequestBuilder(new X500Principal("CN=" + host + ",O=Tax Bureau,C=CN"),
                key.getPublic()).build(new JcaContentSignerBuilder("SHA256WITHECDSA").setProvider(BouncyCastle.PROVIDER)
                .build(key.getPrivate())).getEncoded();
        JsonNode issued = api.postJson("admin", "/api/v1/requests", Map.of(
                "csr", Base64.getEncoder().encodeToString(csr),
                "profile", "device-ec",
                "registration", Map.of("hostNames", List.of(host), "owner", "Tax Bureau IT"),
                "agreementAccepted", true), 201);
        assertThat(issued.path("state").asText()).as(issued.toString()).isEqualTo("ISSUED");
        return issued.path("serials").get(0).asText();
    }

    private static String openSslOcsp(Path issuer, Path certificate) throws Exception {
        return Tools.run("openssl", "ocsp", "-issuer", issuer.toString(), "-cert", certificate.toString(),
                "-url", server.baseUrl() + "/ocsp", "-CAfile", issuer.toString());
    }

    private static AccessDescription[] aia(X509Certificate certificate) throws Exception {
        return AuthorityInformationAccess.fromExtensions(new JcaX509CertificateHolder(certificate).getExtensions())
                .getAccessDescriptions();
    }

    private static GeneralName uri(String url) {
        return new GeneralName(GeneralName.uniformResourceIdentifier, url);
    }

    private static X509Certificate jdkCertificate(byte[] der) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
                new ByteArrayInputStream(der));
    }

    private static X509Certificate bcCertificate(byte[] der) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509", BouncyCastle.PROVIDER).generateCertificate(
                new ByteArrayInputStream(der));
    }

    private static byte[] request(X509Certificate issuer, BigInteger serial) throws Exception {
        CertificateID id = new CertificateID(new JcaDigestCalculatorProviderBuilder().setProvider(BouncyCastle.PROVIDER)
                .build().get(new AlgorithmIdentifier(OIWObjectIdentifiers.idSHA1)), new JcaX509CertificateHolder(issuer),
                serial);
        return new OCSPReqBuilder().addRequest(id).build().getEncoded();
    }

    private static byte[] post(byte[] request) throws Exception {
        HttpResponse<byte[]> response = HTTP.send(HttpRequest.newBuilder(server.url("/ocsp"))
                .header("Content-Type", "application/ocsp-request")
                .POST(HttpRequest.BodyPublishers.ofByteArray(request)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    private static BasicOCSPResp basic(byte[] der) throws Exception {
        OCSPResp response = new OCSPResp(der);
        assertThat(response.getStatus()).as("successful").isZero();
        return (BasicOCSPResp) response.getResponseObject();
    }

    private static Path write(String name, byte[] content) throws Exception {
        return Files.write(tmp.resolve(name), content);
    }
}
