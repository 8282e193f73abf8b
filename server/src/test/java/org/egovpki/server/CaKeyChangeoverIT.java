package org.egovpki.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPURL;
import com.unboundid.ldap.sdk.SearchResultEntry;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.DERIA5String;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.egovpki.core.crypto.BouncyCastle;
import org.egovpki.core.crypto.KeyAlgorithm;
import org.egovpki.core.x509.KeyIdentifiers;
import org.egovpki.core.x509.Pem;
import org.egovpki.core.x509.SerialNumbers;
import org.egovpki.core.x509.StoreKeys;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * A CA key changeover on the real jar (one start): a clerk is refused, a CA admin rolls the issuing
 * CA with {@code egov-pki ca changeover}, the new certificate — same subject, new key, signed by the
 * root — is published at once beside the old one, and a second changeover before the next start
 * is refused. Then the ECDSA issuing CA is rolled with certificates under it and the server
 * restarted: every certificate, issued before or after, finds at the URLs of its CRL distribution
 * point — over HTTP and in the directory — a CRL its own issuer key signed, which OpenSSL accepts
 * with {@code -crl_check}. The rest of what happens after the restart is {@code CaKeyChangeoverTest}'s.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CaKeyChangeoverIT {

    private static final String PASSWORD = "Root2026pass";
    private static final SecureRandom RANDOM = new SecureRandom();

    @TempDir
    static Path tmp;

    private static Path data;
    private static Path passwordFile;
    private static ServerProcess server;

    @BeforeAll
    static void start() throws Exception {
        Path config = ServerProcess.config(tmp,
                yaml -> yaml.replace("    - algorithm: EC\n      enabled: false", "    - algorithm: EC\n      enabled: true"),
                yaml -> yaml.replace("  # initialAdminPassword: ...", "  initialAdminPassword: " + PASSWORD),
                yaml -> yaml.replace("    afterRevocationSeconds: 60", "    afterRevocationSeconds: 2"),
                yaml -> yaml.replace("profiles:\n", "profiles:\n"
                        + "  - name: device-ec\n    type: DEVICE\n    issuer: ec-issuing\n    validityMonths: 12\n"
                        + "    identityExtensions: NONE\n    extendedKeyUsages: [serverAuth]\n"));
        data = tmp.resolve("data");
        server = ServerProcess.serve(data, "--config", config.toString());
        passwordFile = tmp.resolve("password");
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
    void aCaAdminRollsTheIssuingCaAndTheNewCertificateIsPublishedBesideTheOld() throws Exception {
        ApiClient api = server.api(PASSWORD);
        X509Certificate old = Pem.parseCertificate(api.bytes(null, "/ca/sm2-issuing.crt"));
        X509Certificate root = Pem.parseCertificate(api.bytes(null, "/ca/sm2-root.crt"));

        HttpResponse<byte[]> refused = api.post("clerk1", "/api/v1/cas/sm2-issuing/changeover", "application/json",
                new byte[0]);
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(ApiClient.text(refused)).contains("CA_ADMIN");

        // Two CA admins (002 §7.2.1.1): the first one's request is a proposal, and changes nothing.
        ServerProcess proposal = cli("ca", "changeover", "--ca", "sm2-issuing");
        assertThat(proposal.awaitExit(Duration.ofSeconds(60))).as(proposal.output()).isZero();
        assertThat(proposal.output()).contains("\"PROPOSED\"").contains("second CA admin").doesNotContain("keyStoreAlias");
        assertThat(certificates(api.bytes(null, "/ca/sm2-issuing-keys.p7c"))).hasSize(1);
        ServerProcess again = cli("ca", "changeover", "--ca", "sm2-issuing");
        assertThat(again.awaitExit(Duration.ofSeconds(60))).as("the proposer again: 409 exits 3").isEqualTo(3);
        assertThat(again.output()).contains("proposed by you");
        ServerProcess changeover = cliAs("ca2", "ca", "changeover", "--ca", "sm2-issuing");
        assertThat(changeover.awaitExit(Duration.ofSeconds(60))).as(changeover.output()).isZero();
        assertThat(changeover.output()).contains("\"keyStoreAlias\"").contains("sm2-issuing.key.")
                .contains("at the next start").contains("uid=admin,");

        List<X509Certificate> published = certificates(api.bytes(null, "/ca/sm2-issuing-keys.p7c"));
        assertThat(published).hasSize(2).contains(old);
        X509Certificate renewed = published.stream().filter(c -> !c.equals(old)).findFirst().orElseThrow();
        assertThat(renewed.getSubjectX500Principal()).isEqualTo(old.getSubjectX500Principal());
        assertThat(renewed.getPublicKey()).isNotEqualTo(old.getPublicKey());
        renewed.verify(root.getPublicKey(), BouncyCastle.PROVIDER);
        assertThat(Pem.parseCertificate(api.bytes(null, "/ca/sm2-issuing.crt"))).as("the old key issues until the "
                + "next start").isEqualTo(old);

        ServerProcess twice = cli("ca", "changeover", "--ca", "sm2-issuing");
        assertThat(twice.awaitExit(Duration.ofSeconds(60))).as("409 exits 3").isEqualTo(3);
        assertThat(twice.output()).contains("already made");
    }

    @Test
    @Order(2)
    void afterTheRestartEveryCertificatesCrlDistributionPointLeadsToACrlItsIssuerKeySigned() throws Exception {
        ApiClient api = server.api(PASSWORD);
        X509Certificate root = Pem.parseCertificate(api.bytes(null, "/ca/ec-root.crt"));
        X509Certificate oldIssuing = Pem.parseCertificate(api.bytes(null, "/ca/ec-issuing.crt"));
        X509Certificate oldGood = issueDevice(api, "old-good.example.gov.cn");
        X509Certificate oldRevoked = issueDevice(api, "old-revoked.example.gov.cn");
        revoke(api, oldRevoked);

        ServerProcess proposal = cli("ca", "changeover", "--ca", "ec-issuing");
        assertThat(proposal.awaitExit(Duration.ofSeconds(60))).as(proposal.output()).isZero();
        ServerProcess changeover = cliAs("ca2", "ca", "changeover", "--ca", "ec-issuing");
        assertThat(changeover.awaitExit(Duration.ofSeconds(60))).as(changeover.output()).isZero();
        assertThat(changeover.output()).contains("\"keyStoreAlias\"");
        server.close();
        server = server.restart();
        api = server.api(PASSWORD);
        X509Certificate newIssuing = Pem.parseCertificate(api.bytes(null, "/ca/ec-issuing.crt"));
        assertThat(newIssuing).isNotEqualTo(oldIssuing);
        X509Certificate newGood = issueDevice(api, "new-good.example.gov.cn");
        X509Certificate newRevoked = issueDevice(api, "new-revoked.example.gov.cn");
        revoke(api, newRevoked);
        assertThat(urls(newGood)).as("the new key's certificates name its own CRL").doesNotContainAnyElementsOf(
                urls(oldGood)).first().asString().endsWith("/crl/ec-issuing-key-" + keyId(newIssuing) + ".crl");
        assertThat(urls(oldGood).get(0)).endsWith("/crl/ec-issuing.crl");

        ApiClient client = api;
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).until(() ->
                crlAt(client, newRevoked, newIssuing).getRevokedCertificate(newRevoked.getSerialNumber()) != null);
        X509CRL oldCrl = crlAt(api, oldRevoked, oldIssuing);
        assertThat(oldCrl.getRevokedCertificate(oldRevoked.getSerialNumber())).isNotNull();
        assertThat(oldCrl.getRevokedCertificate(oldGood.getSerialNumber())).isNull();
        X509CRL newCrl = crlAt(api, newRevoked, newIssuing);
        assertThat(newCrl.getRevokedCertificate(newGood.getSerialNumber())).isNull();
        // The RFC 4387 store finds each key's CRL by that key's identifier.
        for (X509Certificate issuer : List.of(oldIssuing, newIssuing)) {
            X509CRL stored = Pem.parseCrl(api.bytes(null, "/crls?sKIDHash=" + java.net.URLEncoder.encode(
                    StoreKeys.of(issuer).keyIdHash(), StandardCharsets.US_ASCII)));
            stored.verify(issuer.getPublicKey(), BouncyCastle.PROVIDER);
        }

        assumeThat(Tools.openSsl()).isTrue();
        Path oldChain = write("old-chain.pem", Pem.certificate(oldIssuing) + Pem.certificate(root));
        Path newChain = write("new-chain.pem", Pem.certificate(newIssuing) + Pem.certificate(root));
        assertThat(verify(oldChain, oldGood, crlAt(api, oldGood, oldIssuing))).contains(": OK");
        assertThat(verify(oldChain, oldRevoked, crlAt(api, oldRevoked, oldIssuing))).contains("certificate revoked");
        assertThat(verify(newChain, newGood, crlAt(api, newGood, newIssuing))).contains(": OK");
        assertThat(verify(newChain, newRevoked, crlAt(api, newRevoked, newIssuing))).contains("certificate revoked");
    }

    /**
     * The CRL at the URLs {@code leaf}'s CRL distribution point names, downloaded over HTTP and read
     * anonymously from the directory (the same CRL at both), signed by {@code issuer}'s key.
     */
    private static X509CRL crlAt(ApiClient api, X509Certificate leaf, X509Certificate issuer) throws Exception {
        List<String> urls = urls(leaf);
        assertThat(urls).hasSize(2);
        LDAPURL ldap = new LDAPURL(urls.get(1));
        X509CRL http;
        byte[] fromDirectory;
        byte[] after;
        int attempts = 0;
        do {
            // A CRL run may publish the next CRL between the two reads (afterRevocationSeconds is 2 here):
            // the directory's CRL is compared with a download made before and after it, both the same.
            http = Pem.parseCrl(api.bytes(null, URI.create(urls.get(0)).getPath()));
            try (LDAPConnection anonymous = server.anonymous()) {
                SearchResultEntry entry = anonymous.getEntry(ldap.getBaseDN().toString(), ldap.getAttributes());
                assertThat(entry).as("the entry " + ldap.getBaseDN() + ", read anonymously").isNotNull();
                fromDirectory = entry.getAttributeValueBytes(ldap.getAttributes()[0]);
            }
            after = api.bytes(null, URI.create(urls.get(0)).getPath());
        } while (!java.util.Arrays.equals(Pem.parseCrl(after).getEncoded(), http.getEncoded()) && ++attempts < 5);
        assertThat(fromDirectory).as("the directory publishes the CRL the download serves").isEqualTo(http.getEncoded());
        http.verify(issuer.getPublicKey(), BouncyCastle.PROVIDER);
        byte[] aki = AuthorityKeyIdentifier.getInstance(ASN1OctetString.getInstance(
                http.getExtensionValue(Extension.authorityKeyIdentifier.getId())).getOctets()).getKeyIdentifier();
        assertThat(aki).isEqualTo(KeyIdentifiers.subjectKeyIdentifier(issuer.getPublicKey()));
        return http;
    }

    private static List<String> urls(X509Certificate certificate) {
        List<String> urls = new ArrayList<>();
        byte[] extension = certificate.getExtensionValue(Extension.cRLDistributionPoints.getId());
        for (DistributionPoint point : CRLDistPoint.getInstance(ASN1OctetString.getInstance(extension).getOctets())
                .getDistributionPoints()) {
            for (GeneralName name : GeneralNames.getInstance(point.getDistributionPoint().getName()).getNames()) {
                urls.add(DERIA5String.getInstance(name.getName()).getString());
            }
        }
        return urls;
    }

    private static String keyId(X509Certificate certificate) {
        return org.bouncycastle.util.encoders.Hex.toHexString(KeyIdentifiers.ofIssuer(certificate));
    }

    private static String verify(Path chain, X509Certificate leaf, X509CRL crl) throws Exception {
        Path leafFile = write("leaf.pem", Pem.certificate(leaf));
        Path crlFile = write("crl.pem", Pem.crl(crl));
        return Tools.run("openssl", "verify", "-crl_check", "-CAfile", chain.toString(), "-CRLfile",
                crlFile.toString(), leafFile.toString());
    }

    private static Path write(String name, String pem) throws Exception {
        return Files.writeString(tmp.resolve(name), pem, StandardCharsets.US_ASCII);
    }

    private static X509Certificate issueDevice(ApiClient api, String host) throws Exception {
        KeyPair key = KeyAlgorithm.EC.generate(RANDOM);
        ObjectNode body = ApiClient.JSON.createObjectNode();
        body.put("csr", Base64.getEncoder().encodeToString(new JcaPKCS10CertificationRequestBuilder(
                new X500Principal("CN=" + host + ",O=Tax Bureau,C=CN"), key.getPublic()).build(
                new JcaContentSignerBuilder("SHA256WITHECDSA").setProvider(BouncyCastle.PROVIDER)
                        .build(key.getPrivate())).getEncoded()));
        body.put("profile", "device-ec");
        ObjectNode registration = body.putObject("registration");
        registration.putArray("hostNames").add(host);
        registration.put("owner", "Tax Bureau IT");
        body.put("challengePhrase", "device phrase 1");
        body.put("agreementAccepted", true);
        JsonNode submitted = api.postJson("clerk1", "/api/v1/requests", body, 201);
        JsonNode issued = api.postJson("reviewer1", "/api/v1/requests/" + submitted.path("id").asText() + "/approve",
                Map.of(), 200);
        String serial = issued.path("serials").get(0).asText();
        return Pem.parseCertificate(api.bytes("admin", "/api/v1/certificates/" + serial + ".der"));
    }

    private static void revoke(ApiClient api, X509Certificate certificate) throws Exception {
        ObjectNode revoke = ApiClient.JSON.createObjectNode();
        revoke.put("reason", "KEY_COMPROMISE");
        revoke.put("requester", "AUTHORISED_REPRESENTATIVE");
        api.postJson("admin", "/api/v1/certificates/" + SerialNumbers.toHex(certificate.getSerialNumber())
                + "/revoke", revoke, 200);
    }

    private static ServerProcess cli(String... args) {
        return cliAs("admin", args);
    }

    private static ServerProcess cliAs(String user, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--user", user, "--password-file", passwordFile.toString(), "--url", server.baseUrl()));
        return ServerProcess.launch(data, all.toArray(String[]::new));
    }

    private static List<X509Certificate> certificates(byte[] p7c) throws Exception {
        List<X509Certificate> certificates = new ArrayList<>();
        for (X509CertificateHolder holder : new CMSSignedData(p7c).getCertificates().getMatches(null)) {
            certificates.add(Pem.parseCertificate(holder.getEncoded()));
        }
        return certificates;
    }
}
