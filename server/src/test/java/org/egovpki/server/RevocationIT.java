package org.egovpki.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.SearchResultEntry;
import java.math.BigInteger;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Map;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.SingleResp;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.egovpki.core.crypto.BouncyCastle;
import org.egovpki.core.crypto.KeyAlgorithm;
import org.egovpki.core.x509.Pem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Revocation end to end on the real jar: the three channels, OCSP answering revoked at once,
 * the CRL after revocation listing the serial, checked by OpenSSL (ECDSA chain) and by Bouncy
 * Castle plus OpenSSL's SM3 digest check (SM2 chain), and CRL numbers across a restart.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RevocationIT {

    private static final String PASSWORD = "Root2026pass";
    /** ca.crl.afterRevocationSeconds in this test's configuration. */
    private static final Duration CRL_WINDOW = Duration.ofSeconds(2);
    private static final SecureRandom RANDOM = new SecureRandom();
    /** ca.crl.partitions in this test's configuration. */
    private static final int PARTITIONS = 2;

    @TempDir
    static Path tmp;

    private static Path config;
    private static Path data;
    private static ServerProcess server;
    private static ApiClient api;

    @BeforeAll
    static void start() throws Exception {
        config = ServerProcess.config(tmp,
                yaml -> yaml.replace("    - algorithm: EC\n      enabled: false", "    - algorithm: EC\n      enabled: true"),
                yaml -> yaml.replace("  # initialAdminPassword: ...", "  initialAdminPassword: " + PASSWORD),
                yaml -> yaml.replace("    afterRevocationSeconds: 60",
                        "    afterRevocationSeconds: " + CRL_WINDOW.toSeconds()),
                yaml -> yaml.replace("    partitions: 1", "    partitions: " + PARTITIONS),
                yaml -> yaml.replace("profiles:\n", "profiles:\n"
                        + "  - name: device-ec\n    type: DEVICE\n    issuer: ec-issuing\n    validityMonths: 12\n"
                        + "    identityExtensions: NONE\n    extendedKeyUsages: [serverAuth]\n"
                        + "  - name: personal-ec\n    type: PERSONAL\n    issuer: ec-issuing\n    validityMonths: 12\n"
                        + "    identityExtensions: NONE\n    extendedKeyUsages: [clientAuth]\n"));
        data = tmp.resolve("data");
        server = ServerProcess.serve(data, "--config", config.toString());
        api = server.api(PASSWORD);
        Path passwordFile = tmp.resolve("password");
        Files.writeString(passwordFile, PASSWORD);
        server.addOperator(config, "clerk1", "ENTRY_CLERK", passwordFile);
        server.addOperator(config, "reviewer1", "REVIEWER", passwordFile);
        server.addOperator(config, "ca2", "CA_ADMIN", passwordFile);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (server != null) {
            server.close();
        }
    }

    @Test
    @Order(1)
    void anOperatorRevokesAnEcdsaCertificateAndOpenSslSeesItInOcspAndInTheCrl() throws Exception {
        assumeThat(Tools.openSsl()).isTrue();
        KeyPair key = KeyAlgorithm.EC.generate(RANDOM);
        String serial = issueDevice(key, "www.revoke.example.gov.cn");
        Path chain = write("ec-chain.pem", concat(api.bytes(null, "/ca/ec-issuing.pem"), api.bytes(null, "/ca/ec-root.pem")));
        Path issuer = write("ec-issuing.pem", api.bytes(null, "/ca/ec-issuing.pem"));
        Path leaf = write("ec-leaf.pem", api.bytes("admin", "/api/v1/certificates/" + serial + ".pem"));
        assertThat(ocsp(issuer, leaf, chain)).contains(leaf + ": good");

        ObjectNode revoke = ApiClient.JSON.createObjectNode();
        revoke.put("reason", "KEY_COMPROMISE");
        revoke.put("requester", "AUTHORISED_REPRESENTATIVE");
        // Not before the certificate became valid (its notBefore is the second it was issued).
        String invalidity = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        revoke.put("invalidityDate", invalidity);
        JsonNode revoked = api.postJson("admin", "/api/v1/certificates/" + serial + "/revoke", revoke, 200);
        assertThat(revoked.path("status").asText()).isEqualTo("REVOKED");
        assertThat(revoked.path("revocation").path("reason").asText()).isEqualTo("keyCompromise");

        // The very next OCSP answer already says revoked: well within the one second allowed.
        assertThat(ocsp(issuer, leaf, chain)).contains(leaf + ": revoked").contains("Reason: keyCompromise");

        // Revoking again is a conflict, and changes nothing.
        HttpResponse<byte[]> again = api.postJson("admin", "/api/v1/certificates/" + serial + "/revoke", revoke);
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(ApiClient.text(again)).contains("already revoked");

        X509CRL crl = awaitCrlListing("ec-issuing", new BigInteger(serial, 16));
        X509CRLEntry entry = crl.getRevokedCertificate(new BigInteger(serial, 16));
        assertThat(entry.getRevocationReason()).hasToString("KEY_COMPROMISE");
        Path crlFile = write("ec-issuing.crl", crl.getEncoded());
        assertThat(Tools.run("openssl", "crl", "-inform", "DER", "-in", crlFile.toString(), "-CAfile", chain.toString(),
                "-noout")).contains("verify OK");
        Path crlPem = write("ec-issuing-crl.pem", Pem.crl(crl).getBytes(StandardCharsets.US_ASCII));
        assertThat(Tools.run("openssl", "verify", "-crl_check", "-CRLfile", crlPem.toString(), "-CAfile",
                chain.toString(), leaf.toString())).contains("certificate revoked");

        // The certificate names its partition's CRL; OpenSSL matches its critical IDP to that name.
        int shard = new BigInteger(serial, 16).mod(BigInteger.valueOf(PARTITIONS)).intValue();
        String partitionName = "ec-issuing-shard" + shard;
        assertThat(Tools.run("openssl", "x509", "-in", leaf.toString(), "-noout", "-ext", "crlDistributionPoints"))
                .contains("/crl/" + partitionName + ".crl").contains("cn=shard-" + shard + ",cn=ec-issuing");
        X509CRL partition = awaitCrlListing(partitionName, new BigInteger(serial, 16));
        assertThat(partition.getCriticalExtensionOIDs()).contains(Extension.issuingDistributionPoint.getId());
        Path partitionPem = write("ec-partition.pem", Pem.crl(partition).getBytes(StandardCharsets.US_ASCII));
        assertThat(Tools.run("openssl", "verify", "-crl_check", "-CRLfile", partitionPem.toString(), "-CAfile",
                chain.toString(), leaf.toString())).contains("certificate revoked");
        theCompromisedKeyIsNeverCertifiedAgain(key);
        try (LDAPConnection anonymous = server.anonymous()) {
            SearchResultEntry published = anonymous.getEntry("cn=shard-" + shard + ",cn=ec-issuing,ou=CAs,o=egov-pki,c=CN",
                    "certificateRevocationList;binary");
            assertThat(published).as("the partition entry, read anonymously").isNotNull();
            // RFC 4523 §2: under the ;binary name, as it was asked for.
            assertThat(published.getAttributeValueBytes("certificateRevocationList;binary")).isNotEmpty();
        }
    }

    @Test
    @Order(2)
    void theSubscriberRevokesAnSm2CertificateWithItsPhraseAndBouncyCastleVerifiesOcspAndCrl() throws Exception {
        KeyPair key = KeyAlgorithm.SM2.generate(RANDOM);
        String serial = issuePersonal(key, "personal", "Li Si", "SM3WITHSM2");

        ObjectNode wrong = ApiClient.JSON.createObjectNode();
        wrong.put("issuer", "sm2-issuing");
        wrong.put("serial", serial);
        wrong.put("challengePhrase", "not my phrase");
        HttpResponse<byte[]> refused = api.postJson(null, "/api/v1/revocations/self-service", wrong);
        ObjectNode unknown = wrong.deepCopy();
        unknown.put("serial", "7777777777");
        HttpResponse<byte[]> refusedUnknown = api.postJson(null, "/api/v1/revocations/self-service", unknown);
        assertThat(refused.statusCode()).isEqualTo(refusedUnknown.statusCode()).isEqualTo(403);
        assertThat(ApiClient.text(refused)).isEqualTo(ApiClient.text(refusedUnknown));
        assertThat(api.json("admin", "/api/v1/certificates/" + serial).path("status").asText()).isEqualTo("VALID");

        // A request without nonce may be answered from the cache: ask once before the revocation.
        X509Certificate ca = Pem.parseCertificate(api.bytes(null, "/ca/sm2-issuing.crt"));
        assertThat(ocspBc(ca, new BigInteger(serial, 16)).getCertStatus()).as("good").isNull();

        ObjectNode right = wrong.deepCopy();
        right.put("challengePhrase", "my secret phrase");
        right.put("reason", "JOB_CHANGE");
        api.postJson(null, "/api/v1/revocations/self-service", right, 200);

        SingleResp status = ocspBc(ca, new BigInteger(serial, 16));
        assertThat(status.getCertStatus()).isInstanceOf(RevokedStatus.class);
        assertThat(((RevokedStatus) status.getCertStatus()).getRevocationReason()).isEqualTo(CRLReason.affiliationChanged);

        X509CRL crl = awaitCrlListing("sm2-issuing", new BigInteger(serial, 16));
        crl.verify(ca.getPublicKey(), BouncyCastle.PROVIDER);
        if (Tools.openSsl()) {
            // OpenSSL 3.0 cannot verify an SM2-signed CRL itself; its SM3 digest check of the TBS can.
            Path tbs = write("sm2-crl-tbs.der", crl.getTBSCertList());
            Path signature = write("sm2-crl-sig.der", crl.getSignature());
            Path pub = write("sm2-issuing-pub.pem", pem("PUBLIC KEY", ca.getPublicKey().getEncoded()));
            assertThat(Tools.run("openssl", "dgst", "-sm3", "-verify", pub.toString(), "-sigopt",
                    "distid:1234567812345678", "-signature", signature.toString(), tbs.toString()))
                    .contains("Verified OK");
        }
    }

    @Test
    @Order(3)
    void aRequestSignedWithTheCertificatesOwnKeyRevokesIt() throws Exception {
        assumeThat(Tools.openSsl()).isTrue();
        KeyPair key = KeyAlgorithm.EC.generate(RANDOM);
        String serial = issuePersonal(key, "personal-ec", "Wang Wu", "SHA256WITHECDSA");
        Path leaf = write("ec-personal.pem", api.bytes("admin", "/api/v1/certificates/" + serial + ".pem"));
        Path keyFile = write("ec-personal.key", pem("PRIVATE KEY", key.getPrivate().getEncoded()));
        Path request = write("revoke.txt", ("serial=" + serial + "\nreason=KEY_COMPROMISE\nrequestedAt="
                + Instant.now().truncatedTo(ChronoUnit.SECONDS) + "\n")
                .getBytes(StandardCharsets.UTF_8));
        Path signed = tmp.resolve("revoke.p7s");
        Tools.run("openssl", "cms", "-sign", "-binary", "-nodetach", "-outform", "DER", "-signer", leaf.toString(),
                "-inkey", keyFile.toString(), "-in", request.toString(), "-out", signed.toString());

        HttpResponse<byte[]> tampered = api.post(null, "/api/v1/revocations/signed", "application/pkcs7-mime",
                flipLastByte(Files.readAllBytes(signed)));
        assertThat(tampered.statusCode()).as(ApiClient.text(tampered)).isIn(400, 403);
        assertThat(api.json("admin", "/api/v1/certificates/" + serial).path("status").asText()).isEqualTo("VALID");

        HttpResponse<byte[]> response = api.post(null, "/api/v1/revocations/signed", "application/pkcs7-mime",
                Files.readAllBytes(signed));
        assertThat(response.statusCode()).as(ApiClient.text(response)).isEqualTo(200);
        JsonNode record = api.json("admin", "/api/v1/certificates/" + serial);
        assertThat(record.path("revocation").path("channel").asText()).isEqualTo("SIGNED_REQUEST");
    }

    @Test
    @Order(4)
    void crlNumbersKeepIncreasingAcrossARestartAndOnDemandCrlsNeedAnAdmin() throws Exception {
        BigInteger before = crlNumber(fetchCrl("ec-issuing"));
        assertThat(api.postJson("clerk1", "/api/v1/crls/ec-issuing", Map.of()).statusCode()).isEqualTo(403);

        server.close();
        server = server.restart();

        JsonNode issued = api.postJson("admin", "/api/v1/crls/ec-issuing", Map.of(), 201);
        BigInteger after = new BigInteger(issued.path("crlNumber").asText());
        assertThat(after).isGreaterThan(before);
        assertThat(crlNumber(fetchCrl("ec-issuing"))).isEqualTo(after);

        // The same from the command line, and a revocation through it.
        ServerProcess crl = cli("crl", "issue", "--ca", "ec-issuing");
        assertThat(crl.awaitExit(Duration.ofSeconds(60))).as(crl.output()).isZero();
        assertThat(crlNumber(fetchCrl("ec-issuing"))).isGreaterThan(after);
        String serial = issueDevice(KeyAlgorithm.EC.generate(RANDOM), "cli.revoke.example.gov.cn");
        ServerProcess revoke = cli("certificate", "revoke", "--serial", serial, "--reason", "G", "--requester",
                "AUTHORISED_REPRESENTATIVE");
        assertThat(revoke.awaitExit(Duration.ofSeconds(60))).as(revoke.output()).isZero();
        assertThat(revoke.output()).contains("cessationOfOperation");
        ServerProcess again = cli("certificate", "revoke", "--serial", serial, "--reason", "G", "--requester",
                "AUTHORISED_REPRESENTATIVE");
        assertThat(again.awaitExit(Duration.ofSeconds(60))).as("409 exits 3").isEqualTo(3);
        assertThat(again.output()).contains("already revoked");
    }

    @Test
    @Order(5)
    void aRevokedIssuingCaAppearsInTheRootsCrlAndArlAndIssuesNothingMore() throws Exception {
        assumeThat(Tools.openSsl()).isTrue();
        X509Certificate issuing = Pem.parseCertificate(api.bytes(null, "/ca/ec-issuing.crt"));
        assertThat(api.postJson("reviewer1", "/api/v1/cas/ec-issuing/revoke", Map.of("reason", "CA_COMPROMISE"))
                .statusCode()).isEqualTo(403);
        // Two CA admins (002 §7.2.1.1): the first call proposes, nothing is revoked yet.
        JsonNode proposed = api.postJson("admin", "/api/v1/cas/ec-issuing/revoke", Map.of("reason", "CA_COMPROMISE"),
                202);
        assertThat(proposed.path("state").asText()).isEqualTo("PROPOSED");
        assertThat(api.postJson("admin", "/api/v1/cas/ec-issuing/revoke", Map.of("reason", "CA_COMPROMISE"))
                .statusCode()).as("the proposer again").isEqualTo(409);
        assertThat(api.postJson("ca2", "/api/v1/cas/ec-issuing/revoke", Map.of("reason", "SUPERSEDED"))
                .statusCode()).as("another reason").isEqualTo(409);
        assertThat(fetchCrl("ec-root").getRevokedCertificate(issuing.getSerialNumber())).isNull();
        JsonNode revoked = api.postJson("ca2", "/api/v1/cas/ec-issuing/revoke", Map.of("reason", "CA_COMPROMISE"),
                200);
        assertThat(revoked.path("revocation").path("reason").asText()).isEqualTo("cACompromise");
        assertThat(revoked.path("proposedBy").asText()).startsWith("uid=admin,");

        X509CRL rootCrl = awaitCrlListing("ec-root", issuing.getSerialNumber());
        // The ARL is published just after the CRL whose number it carries: wait for it too.
        X509CRL arl = await().atMost(CRL_WINDOW.plusSeconds(15)).pollInterval(Duration.ofMillis(200))
                .until(() -> Pem.parseCrl(api.bytes(null, "/crl/ec-root-arl.crl")),
                        listed -> listed.getRevokedCertificate(issuing.getSerialNumber()) != null);
        assertThat(arl.getRevokedCertificate(issuing.getSerialNumber())).isNotNull();
        assertThat(arl.getCriticalExtensionOIDs()).contains(Extension.issuingDistributionPoint.getId());

        // OpenSSL, checking the whole chain against both CAs' CRLs, now refuses the CA certificate.
        Path root = write("ec-root.pem", api.bytes(null, "/ca/ec-root.pem"));
        Path issuingPem = write("ec-issuing-now.pem", api.bytes(null, "/ca/ec-issuing.pem"));
        Path crls = write("ec-crls.pem", (Pem.crl(rootCrl) + Pem.crl(fetchCrl("ec-issuing")))
                .getBytes(StandardCharsets.US_ASCII));
        assertThat(Tools.run("openssl", "verify", "-crl_check_all", "-CRLfile", crls.toString(), "-CAfile",
                root.toString(), issuingPem.toString())).contains("certificate revoked");

        HttpResponse<byte[]> refused = api.postJson("clerk1", "/api/v1/requests", deviceApplication(
                KeyAlgorithm.EC.generate(RANDOM), "after.revocation.example.gov.cn"));
        ObjectNode approve = ApiClient.JSON.createObjectNode();
        HttpResponse<byte[]> approval = api.postJson("reviewer1", "/api/v1/requests/"
                + ApiClient.JSON.readTree(refused.body()).path("id").asText() + "/approve", approve);
        assertThat(approval.statusCode()).as(ApiClient.text(approval)).isEqualTo(409);
        assertThat(ApiClient.text(approval)).contains("revoked");
    }

    // --- helpers ---

    /** The real CLI against the running server, as the CA admin. */
    /**
     * After the revocation for key compromise, a new application over the same key — another device,
     * a new request — is refused at once (400, field csr) and nothing is stored; the key's entry is
     * in the directory for the CA's account only.
     */
    private static void theCompromisedKeyIsNeverCertifiedAgain(KeyPair key) throws Exception {
        int requestsBefore = api.json("admin", "/api/v1/requests").path("requests").size();
        HttpResponse<byte[]> again = api.postJson("clerk1", "/api/v1/requests",
                deviceApplication(key, "www.again.example.gov.cn"));
        assertThat(again.statusCode()).as(ApiClient.text(again)).isEqualTo(400);
        JsonNode error = ApiClient.JSON.readTree(again.body());
        assertThat(error.toString()).contains("csr").contains("key compromise").contains("generate a new key pair");
        assertThat(api.json("admin", "/api/v1/requests").path("requests").size()).as("nothing stored")
                .isEqualTo(requestsBefore);
        String keyId = org.egovpki.core.certificate.CompromisedKey.keyId(
                org.bouncycastle.asn1.x509.SubjectPublicKeyInfo.getInstance(key.getPublic().getEncoded()));
        String entry = "egovCompromisedKeyId=" + keyId + ",ou=compromisedKeys,o=egov-pki,c=CN";
        try (LDAPConnection ca = server.caService(); LDAPConnection anonymous = server.anonymous()) {
            assertThat(ca.getEntry(entry)).as("recorded by the revocation").isNotNull();
            assertThat(anonymous.getEntry(entry)).as("not public").isNull();
        }
    }

    private static ServerProcess cli(String... args) throws Exception {
        Path passwordFile = tmp.resolve("password");
        java.util.List<String> all = new java.util.ArrayList<>(java.util.List.of(args));
        all.addAll(java.util.List.of("--user", "admin", "--password-file", passwordFile.toString(), "--url",
                server.baseUrl()));
        return ServerProcess.launch(data, all.toArray(String[]::new));
    }

    private static String issueDevice(KeyPair key, String host) throws Exception {
        return approve(deviceApplication(key, host));
    }

    private static ObjectNode deviceApplication(KeyPair key, String host) throws Exception {
        ObjectNode body = ApiClient.JSON.createObjectNode();
        body.put("csr", csr(key, "CN=" + host + ",O=Tax Bureau,C=CN", "SHA256WITHECDSA"));
        body.put("profile", "device-ec");
        ObjectNode registration = body.putObject("registration");
        registration.putArray("hostNames").add(host);
        registration.put("owner", "Tax Bureau IT");
        body.put("challengePhrase", "device phrase 1");
        body.put("agreementAccepted", true);
        return body;
    }

    private static String issuePersonal(KeyPair key, String profile, String name, String algorithm) throws Exception {
        ObjectNode body = ApiClient.JSON.createObjectNode();
        body.put("csr", csr(key, "CN=" + name + ",O=egov-pki test,C=CN", algorithm));
        body.put("profile", profile);
        ObjectNode registration = body.putObject("registration");
        registration.put("realName", name);
        registration.put("idType", "RESIDENT_ID");
        registration.put("idNumber", TestResidentIds.next());
        body.put("challengePhrase", "my secret phrase");
        body.put("agreementAccepted", true);
        return approve(body);
    }

    private static String approve(ObjectNode body) throws Exception {
        JsonNode submitted = api.postJson("clerk1", "/api/v1/requests", body, 201);
        JsonNode issued = api.postJson("reviewer1", "/api/v1/requests/" + submitted.path("id").asText() + "/approve",
                Map.of(), 200);
        return issued.path("serials").get(0).asText();
    }

    private static String csr(KeyPair key, String subject, String algorithm) throws Exception {
        return Base64.getEncoder().encodeToString(new JcaPKCS10CertificationRequestBuilder(new X500Principal(subject),
                key.getPublic()).build(new JcaContentSignerBuilder(algorithm).setProvider(BouncyCastle.PROVIDER)
                .build(key.getPrivate())).getEncoded());
    }

    private static String ocsp(Path issuer, Path leaf, Path chain) throws Exception {
        return Tools.run("openssl", "ocsp", "-issuer", issuer.toString(), "-cert", leaf.toString(), "-url",
                server.baseUrl() + "/ocsp", "-CAfile", chain.toString());
    }

    private static SingleResp ocspBc(X509Certificate ca, BigInteger serial) throws Exception {
        CertificateID id = new CertificateID(new JcaDigestCalculatorProviderBuilder().setProvider(BouncyCastle.PROVIDER)
                .build().get(CertificateID.HASH_SHA1), new X509CertificateHolder(ca.getEncoded()), serial);
        byte[] request = new OCSPReqBuilder().addRequest(id).build().getEncoded();
        OCSPResp response = new OCSPResp(api.post(null, "/ocsp", "application/ocsp-request", request).body());
        assertThat(response.getStatus()).isZero();
        BasicOCSPResp basic = (BasicOCSPResp) response.getResponseObject();
        X509Certificate signer = basic.getCerts().length == 0 ? ca
                : Pem.parseCertificate(basic.getCerts()[0].getEncoded());
        assertThat(basic.isSignatureValid(new JcaContentVerifierProviderBuilder().setProvider(BouncyCastle.PROVIDER)
                .build(signer.getPublicKey()))).as("OCSP response signature (SM3withSM2)").isTrue();
        return basic.getResponses()[0];
    }

    private static X509CRL awaitCrlListing(String ca, BigInteger serial) {
        long started = System.nanoTime();
        X509CRL[] found = new X509CRL[1];
        await().atMost(CRL_WINDOW.plusSeconds(15)).pollInterval(Duration.ofMillis(200)).until(() -> {
            found[0] = fetchCrl(ca);
            return found[0].getRevokedCertificate(serial) != null;
        });
        System.out.printf("CRL of %s listed the serial %d ms after revocation (window %s)%n", ca,
                (System.nanoTime() - started) / 1_000_000, CRL_WINDOW);
        return found[0];
    }

    private static X509CRL fetchCrl(String ca) throws Exception {
        return Pem.parseCrl(api.bytes(null, "/crl/" + ca + ".crl"));
    }

    private static BigInteger crlNumber(X509CRL crl) {
        return ASN1Integer.getInstance(ASN1OctetString.getInstance(crl.getExtensionValue(Extension.cRLNumber.getId()))
                .getOctets()).getValue();
    }

    private static byte[] pem(String type, byte[] der) {
        return ("-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static Path write(String name, byte[] content) throws Exception {
        return Files.write(tmp.resolve(name), content);
    }

    private static byte[] flipLastByte(byte[] der) {
        byte[] copy = der.clone();
        copy[copy.length - 1] ^= 0x01;
        return copy;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
