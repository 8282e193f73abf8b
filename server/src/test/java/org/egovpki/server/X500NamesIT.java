package org.egovpki.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.CRL;
import java.security.cert.CertStore;
import java.security.cert.CertificateFactory;
import java.security.cert.Certificate;
import java.security.cert.LDAPCertStoreParameters;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLSelector;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.egovpki.core.crypto.BouncyCastle;
import org.egovpki.core.crypto.KeyAlgorithm;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16 on the real jar with the shipped configuration ({@code ldap.x500Names}: {@code c=CN}):
 * the JDK's LDAP CertStore, an anonymous X.500 client that reads the entry a name names, finds the
 * CA certificates by the CA's subject, the CA's CRL by its issuer name, and a subscriber's
 * certificate by the subscriber's subject; not an opted-out subscriber's, not a revoked one; and
 * an anonymous search of the whole naming context shows no registration data.
 */
class X500NamesIT {

    private static final String PASSWORD = "Root2026pass";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String EC_ISSUING = "CN=egov-pki ECDSA Issuing CA,O=egov-pki,C=CN";

    @TempDir
    static Path tmp;

    private static ServerProcess server;
    private static ApiClient api;
    private static CertStore x500Client;
    private static String idNumber;

    @BeforeAll
    static void start() throws Exception {
        Path config = ServerProcess.config(tmp,
                yaml -> yaml.replace("    - algorithm: EC\n      enabled: false", "    - algorithm: EC\n      enabled: true"),
                yaml -> yaml.replace("  # initialAdminPassword: ...", "  initialAdminPassword: " + PASSWORD),
                yaml -> yaml.replace("profiles:\n", "profiles:\n"
                        + "  - name: personal-ec\n    type: PERSONAL\n    issuer: ec-issuing\n    validityMonths: 12\n"
                        + "    identityExtensions: NONE\n    extendedKeyUsages: [clientAuth]\n"));
        server = ServerProcess.serve(tmp.resolve("data"), "--config", config.toString());
        api = server.api(PASSWORD);
        Path passwordFile = tmp.resolve("password");
        Files.writeString(passwordFile, PASSWORD);
        server.addOperator(config, "clerk1", "ENTRY_CLERK", passwordFile);
        server.addOperator(config, "reviewer1", "REVIEWER", passwordFile);
        // The JDK's LDAP CertStore caches what it read for 30 s; this test reads after every change.
        System.setProperty("sun.security.certpath.ldap.cache.lifetime", "0");
        x500Client = CertStore.getInstance("LDAP", new LDAPCertStoreParameters("127.0.0.1", server.ldapPort));
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void theJdkFindsTheCaCertificatesByTheirSubjectAndTheCrlByItsIssuer() throws Exception {
        List<Certificate> ec = certificatesNamed(EC_ISSUING);
        assertThat(ec).hasSize(1);
        assertThat(((X509Certificate) ec.get(0)).getEncoded()).isEqualTo(api.bytes(null, "/ca/ec-issuing.crt"));
        // The JDK cannot parse an SM2 certificate (sm2p256v1 is not one of its curves), so its CertStore
        // skips it; the entry named by the SM2 CA's subject still carries it for clients that can.
        try (LDAPConnection anonymous = new LDAPConnection("127.0.0.1", server.ldapPort)) {
            SearchResultEntry sm2 = anonymous.getEntry("cn=egov-pki SM2 Issuing CA,o=egov-pki,c=CN",
                    "cACertificate;binary");
            assertThat(sm2).isNotNull();
            assertThat(sm2.getAttributeValueBytes("cACertificate;binary"))
                    .isEqualTo(api.bytes(null, "/ca/sm2-issuing.crt"));
        }

        List<CRL> crls = crlsOf(EC_ISSUING);
        assertThat(crls).hasSize(1);
        assertThat(((X509CRL) crls.get(0)).getIssuerX500Principal()).isEqualTo(new X500Principal(EC_ISSUING));
        assertThat(((X509CRL) crls.get(0)).getEncoded()).isEqualTo(api.bytes(null, "/crl/ec-issuing.crl"));
    }

    @Test
    void aSubscribersCertificateIsFoundByItsSubjectUntilItIsRevoked() throws Exception {
        String subject = "CN=王小明,OU=测试处,O=镜像测试局,C=CN";
        String serial = issuePersonal(subject, false);
        X509Certificate issued = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
                new ByteArrayInputStream(api.bytes("admin", "/api/v1/certificates/" + serial + ".pem")));

        assertThat(certificatesNamed(subject)).containsExactly(issued);

        ObjectNode revoke = ApiClient.JSON.createObjectNode();
        revoke.put("reason", "KEY_COMPROMISE");
        revoke.put("requester", "SUBSCRIBER");
        api.postJson("admin", "/api/v1/certificates/" + serial + "/revoke", revoke, 200);
        assertThat(certificatesNamed(subject)).as("revoked: gone from the X.500-named entry").isEmpty();
        try (LDAPConnection anonymous = new LDAPConnection("127.0.0.1", server.ldapPort)) {
            assertThat(anonymous.getEntry("cn=王小明,ou=测试处,o=镜像测试局,c=CN")).as("the name is not listed").isNull();
            assertThat(anonymous.getEntry("ou=测试处,o=镜像测试局,c=CN")).as("nor its emptied parent").isNull();
        }
    }

    @Test
    void anOptedOutSubscriberIsNotFoundAndNoRegistrationDataIsVisibleAnonymously() throws Exception {
        String hidden = "CN=李小红,O=镜像测试局,C=CN";
        issuePersonal(hidden, true);
        assertThat(certificatesNamed(hidden)).isEmpty();

        String shown = "CN=张小华,O=镜像测试局,C=CN";
        issuePersonal(shown, false);
        assertThat(certificatesNamed(shown)).hasSize(1);
        try (LDAPConnection anonymous = new LDAPConnection("127.0.0.1", server.ldapPort)) {
            List<SearchResultEntry> entries = anonymous.search("c=CN", SearchScope.SUB,
                    Filter.createPresenceFilter("objectClass"), "*", "+").getSearchEntries();
            assertThat(entries).extracting(SearchResultEntry::getDN).contains("cn=张小华,o=镜像测试局,c=CN")
                    .doesNotContain("cn=李小红,o=镜像测试局,c=CN");
            for (SearchResultEntry entry : entries) {
                for (Attribute attribute : entry.getAttributes()) {
                    assertThat(attribute.getBaseName()).as(entry.getDN()).doesNotStartWithIgnoringCase("egovId")
                            .isNotEqualToIgnoringCase("egovRealName").isNotEqualToIgnoringCase("egovSubjectDn");
                    for (String value : attribute.getValues()) {
                        assertThat(value).as(entry.getDN() + " " + attribute.getName()).doesNotContain(idNumber);
                    }
                }
            }
        }
    }

    private static List<Certificate> certificatesNamed(String name) throws Exception {
        X509CertSelector selector = new X509CertSelector();
        selector.setSubject(new X500Principal(name));
        return List.copyOf(x500Client.getCertificates(selector));
    }

    private static List<CRL> crlsOf(String issuer) throws Exception {
        X509CRLSelector selector = new X509CRLSelector();
        selector.addIssuer(new X500Principal(issuer));
        return List.copyOf(x500Client.getCRLs(selector));
    }

    private static String issuePersonal(String subject, boolean optOut) throws Exception {
        KeyPair key = KeyAlgorithm.EC.generate(RANDOM);
        String name = new X500Principal(subject).getName().replaceAll("^CN=([^,]*),.*$", "$1");
        ObjectNode body = ApiClient.JSON.createObjectNode();
        body.put("csr", Base64.getEncoder().encodeToString(new JcaPKCS10CertificationRequestBuilder(
                new X500Principal(subject), key.getPublic()).build(new JcaContentSignerBuilder("SHA256WITHECDSA")
                .setProvider(BouncyCastle.PROVIDER).build(key.getPrivate())).getEncoded()));
        body.put("profile", "personal-ec");
        ObjectNode registration = body.putObject("registration");
        registration.put("realName", name);
        registration.put("idType", "RESIDENT_ID");
        idNumber = TestResidentIds.next();
        registration.put("idNumber", idNumber);
        body.put("publishOptOut", optOut);
        body.put("challengePhrase", "my secret phrase");
        body.put("agreementAccepted", true);
        JsonNode submitted = api.postJson("clerk1", "/api/v1/requests", body, 201);
        JsonNode issued = api.postJson("reviewer1", "/api/v1/requests/" + submitted.path("id").asText() + "/approve",
                Map.of(), 200);
        return issued.path("serials").get(0).asText();
    }
}
