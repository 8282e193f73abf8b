package org.egovpki.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPSearchException;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CRL;
import java.security.cert.CertStore;
import java.security.cert.URICertStoreParameters;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLSelector;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.egovpki.core.crypto.BouncyCastle;
import org.egovpki.core.x509.Pem;
import org.egovpki.server.http.HttpDates;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The foundation end to end: the real server jar, real ports, a temporary data directory, and
 * independent clients (UnboundID anonymous and service binds, Java's HTTP client, Bouncy Castle,
 * OpenSSL).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServerIT {

    private static final String BASE = "o=egov-pki,c=CN";
    private static final String SM3_WITH_SM2 = "1.2.156.10197.1.501";

    @TempDir
    static Path tmp;

    private static ServerProcess server;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void start() {
        server = ServerProcess.serve(tmp.resolve("data"));
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (server != null) {
            server.close();
        }
    }

    @Test
    @Order(1)
    void anAnonymousReaderFindsBothCasAndTheSm2ChainVerifies() throws Exception {
        Map<String, X509Certificate> cas = publishedCas();

        assertThat(cas).containsOnlyKeys("sm2-root", "sm2-issuing");
        X509Certificate root = cas.get("sm2-root");
        X509Certificate issuing = cas.get("sm2-issuing");
        root.verify(root.getPublicKey(), BouncyCastle.PROVIDER);
        issuing.verify(root.getPublicKey(), BouncyCastle.PROVIDER);
        assertThat(issuing.getSigAlgOID()).isEqualTo(SM3_WITH_SM2);
        assertThat(issuing.getIssuerX500Principal()).isEqualTo(root.getSubjectX500Principal());
        assertThat(issuing.getBasicConstraints()).isZero();
        assertThat(root.getBasicConstraints()).isEqualTo(Integer.MAX_VALUE);
        assertThat(issuing.getCriticalExtensionOIDs()).contains(Extension.basicConstraints.getId(),
                Extension.keyUsage.getId());

        try (LDAPConnection anonymous = anonymous()) {
            for (String name : cas.keySet()) {
                SearchResultEntry entry = anonymous.getEntry("cn=" + name + ",ou=CAs," + BASE);
                X509CRL crl = Pem.parseCrl(binary(entry, "certificateRevocationList"));
                crl.verify(cas.get(name).getPublicKey(), BouncyCastle.PROVIDER);
            }
        }
    }

    @Test
    @Order(2)
    void httpServesTheCasAndAVerifiableV2CrlWithANumber() throws Exception {
        Map<String, X509Certificate> cas = publishedCas();

        JsonNode list = JSON.readTree(get("/ca").body());
        assertThat(list.findValuesAsText("name")).containsExactlyInAnyOrder("sm2-root", "sm2-issuing");
        JsonNode issuingItem = findByName(list, "sm2-issuing");
        assertThat(issuingItem.path("algorithm").asText()).isEqualTo("SM2");
        assertThat(issuingItem.path("ldapDn").asText()).isEqualTo("cn=sm2-issuing,ou=CAs," + BASE);
        assertThat(issuingItem.path("crlUrl").asText()).endsWith("/crl/sm2-issuing.crl");

        HttpResponse<byte[]> der = get("/ca/sm2-issuing.crt");
        assertThat(der.statusCode()).isEqualTo(200);
        assertThat(der.headers().firstValue("Content-Type")).hasValue("application/pkix-cert");
        assertThat(der.body()).isEqualTo(cas.get("sm2-issuing").getEncoded());
        assertThat(new String(get("/ca/sm2-root.pem").body(), StandardCharsets.US_ASCII))
                .startsWith("-----BEGIN CERTIFICATE-----");

        HttpResponse<byte[]> crlResponse = get("/crl/sm2-issuing.crl");
        assertThat(crlResponse.statusCode()).isEqualTo(200);
        assertThat(crlResponse.headers().firstValue("Content-Type")).hasValue("application/pkix-crl");
        X509CRL crl = Pem.parseCrl(crlResponse.body());
        crl.verify(cas.get("sm2-issuing").getPublicKey(), BouncyCastle.PROVIDER);
        assertThat(crl.getVersion()).isEqualTo(2);
        assertThat(crlNumber(crl)).isPositive();
        assertThat(Duration.between(crl.getThisUpdate().toInstant(), crl.getNextUpdate().toInstant()))
                .isEqualTo(Duration.ofHours(24));
        assertThat(crl.getSigAlgOID()).isEqualTo(SM3_WITH_SM2);

        // RFC 9110 IMF-fixdate: two-digit day, GMT.
        String imfFixdate = "[A-Z][a-z]{2}, [0-9]{2} [A-Z][a-z]{2} [0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2} GMT";
        assertThat(crlResponse.headers().firstValue("Last-Modified")).hasValueSatisfying(date -> assertThat(date)
                .matches(imfFixdate).isEqualTo(HttpDates.format(crl.getThisUpdate().toInstant())));
        assertThat(crlResponse.headers().firstValue("Expires")).hasValueSatisfying(date -> assertThat(date)
                .matches(imfFixdate).isEqualTo(HttpDates.format(crl.getNextUpdate().toInstant())));

        String etag = crlResponse.headers().firstValue("ETag").orElseThrow();
        HttpResponse<byte[]> notModified = HTTP.send(HttpRequest.newBuilder(url("/crl/sm2-issuing.crl"))
                .header("If-None-Match", etag).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(notModified.statusCode()).isEqualTo(304);

        JsonNode health = JSON.readTree(get("/health").body());
        assertThat(health.path("status").asText()).isEqualTo("UP");
        assertThat(health.path("directory").path("status").asText()).isEqualTo("UP");
        assertThat(health.path("cas").findValuesAsText("status")).containsOnly("UP");

        assertThat(get("/health/live").statusCode()).isEqualTo(200);
        HttpResponse<byte[]> ready = get("/health/ready");
        JsonNode readiness = JSON.readTree(ready.body());
        assertThat(ready.statusCode()).as(readiness.toString()).isEqualTo(200);
        assertThat(readiness.path("components").findValuesAsText("name"))
                .containsExactly("directory", "cas", "startup", "routes");
        assertThat(readiness.path("components").findValuesAsText("status")).containsOnly("READY");
    }

    /**
     * RFC 4523 §2: relying parties' own LDAP clients find certificates and CRLs under the
     * {@code ;binary} names. The JDK fetches the CRL at the LDAP CRL distribution point of a
     * certificate the CA issued (the issuing CA's, from the root) with its LDAP {@code CertStore};
     * python {@code ldap3} and {@code ldapsearch} read the CA entries.
     */
    @Test
    @Order(2)
    void ldapClientsFindCertificatesAndCrlsUnderTheBinaryNames() throws Exception {
        Map<String, X509Certificate> cas = publishedCas();
        X509Certificate issuing = cas.get("sm2-issuing");
        List<URI> ldapDistributionPoints = new ArrayList<>();
        CRLDistPoint points = CRLDistPoint.getInstance(JcaX509ExtensionUtils.parseExtensionValue(
                issuing.getExtensionValue(Extension.cRLDistributionPoints.getId())));
        for (DistributionPoint point : points.getDistributionPoints()) {
            for (GeneralName name : GeneralNames.getInstance(point.getDistributionPoint().getName()).getNames()) {
                String uri = name.getName().toString();
                if (name.getTagNo() == GeneralName.uniformResourceIdentifier && uri.startsWith("ldap://")) {
                    ldapDistributionPoints.add(URI.create(uri));
                }
            }
        }
        assertThat(ldapDistributionPoints).as("LDAP CRL distribution points of the issuing CA").isNotEmpty();
        for (URI uri : ldapDistributionPoints) {
            CertStore jdk = CertStore.getInstance("LDAP", new URICertStoreParameters(uri));
            Collection<? extends CRL> crls = jdk.getCRLs(new X509CRLSelector());
            // The entry's CRL and, on a CA that has one, its ARL: both the root's.
            assertThat(crls).as("CRLs the JDK's LDAP CertStore finds at " + uri).isNotEmpty();
            for (CRL found : crls) {
                Pem.parseCrl(((X509CRL) found).getEncoded()).verify(cas.get("sm2-root").getPublicKey(),
                        BouncyCastle.PROVIDER);
            }
        }

        String issuingDn = "cn=sm2-issuing,ou=CAs," + BASE;
        byte[] crlOverHttp = get("/crl/sm2-issuing.crl").body();
        Optional<String> python = Tools.pythonWithLdap3();
        if (python.isEmpty()) {
            System.err.println("ServerIT: SKIPPED the python ldap3 check: no python3 with ldap3 here; "
                    + "install Debian's python3-ldap3 (.ci/run does)");
        } else {
            Path script = tmp.resolve("read_binary.py");
            Files.writeString(script, String.join("\n",
                    "import sys",
                    "from ldap3 import Server, Connection, BASE",
                    "connection = Connection(Server(sys.argv[1], port=int(sys.argv[2])), auto_bind=True)",
                    "connection.search(sys.argv[3], '(objectClass=*)', search_scope=BASE, attributes=[sys.argv[4]])",
                    "for value in connection.response[0]['raw_attributes'].get(sys.argv[4], []):",
                    "    print(value.hex())", ""));
            for (String attribute : List.of("certificateRevocationList;binary", "cACertificate;binary")) {
                String out = Tools.run(python.get(), script.toString(), "127.0.0.1", Integer.toString(server.ldapPort),
                        issuingDn, attribute);
                byte[] expected = attribute.startsWith("cACertificate") ? issuing.getEncoded() : crlOverHttp;
                assertThat(out.strip()).as("python ldap3 reading " + attribute).isEqualTo(HexFormat.of().formatHex(expected));
            }
        }

        String ldif = Tools.run("ldapsearch", "-x", "-LLL", "-o", "ldif-wrap=no", "-H",
                "ldap://127.0.0.1:" + server.ldapPort, "-b", issuingDn, "-s", "base", "cACertificate",
                "certificateRevocationList", "deltaRevocationList", "authorityRevocationList");
        assertThat(ldif).contains("cACertificate;binary:: ", "certificateRevocationList;binary:: ");
        for (String line : ldif.split("\n")) {
            if (line.matches("(?i)(cACertificate|certificateRevocationList|deltaRevocationList|authorityRevocationList)[;:].*")) {
                assertThat(line).as("ldapsearch's attribute line").containsPattern("^[A-Za-z]+;binary:: ");
            }
        }
    }

    @Test
    @Order(3)
    void unknownNamesGetA404WithAJsonError() throws Exception {
        for (String path : List.of("/ca/nope.crt", "/ca/nope.pem", "/crl/nope.crl", "/nothing-here")) {
            HttpResponse<byte[]> response = get(path);
            assertThat(response.statusCode()).as(path).isEqualTo(404);
            assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");
            JsonNode error = JSON.readTree(response.body());
            assertThat(error.path("code").asText()).isEqualTo("NOT_FOUND");
            assertThat(error.path("message").asText()).isNotBlank();
        }
        assertThat(JSON.readTree(get("/ca/nope.crt").body()).path("message").asText()).contains("'nope'");
        // A browser asking for a page that does not exist gets a page; for a machine resource, still JSON.
        for (String path : List.of("/nothing-here", "/ca/nope.crt")) {
            HttpResponse<String> page = HTTP.send(HttpRequest.newBuilder(url(path))
                    .header("Accept", "text/html,application/xhtml+xml,*/*;q=0.8").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).as(path).isEqualTo(404);
            assertThat(page.headers().firstValue("Content-Type").orElseThrow()).as(path)
                    .startsWith(path.startsWith("/ca/") ? "application/json" : "text/html");
        }
    }

    @Test
    @Order(3)
    void ocspAnswersGarbageWithMalformedRequestAndTheServerStaysUp() throws Exception {
        byte[] garbage = new byte[200];
        new java.security.SecureRandom().nextBytes(garbage);
        HttpResponse<byte[]> response = HTTP.send(HttpRequest.newBuilder(url("/ocsp"))
                .header("Content-Type", "application/ocsp-request")
                .POST(HttpRequest.BodyPublishers.ofByteArray(garbage)).build(), HttpResponse.BodyHandlers.ofByteArray());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/ocsp-response");
        assertThat(new org.bouncycastle.cert.ocsp.OCSPResp(response.body()).getStatus())
                .isEqualTo(org.bouncycastle.cert.ocsp.OCSPResp.MALFORMED_REQUEST);
        assertThat(get("/health").statusCode()).isEqualTo(200);
    }

    @Test
    @Order(4)
    void openSslVerifiesThePublishedSm2ChainWithTheGmDefaultId() throws Exception {
        assumeThat(Tools.openSsl()).as("openssl on PATH").isTrue();
        Path root = tmp.resolve("root.pem");
        Path issuing = tmp.resolve("issuing.pem");
        Files.write(root, get("/ca/sm2-root.pem").body());
        Files.write(issuing, get("/ca/sm2-issuing.pem").body());

        String out = Tools.run("openssl", "verify", "-vfyopt", "distid:1234567812345678", "-CAfile", root.toString(),
                issuing.toString());

        assertThat(out).contains(issuing + ": OK");
    }

    @Test
    @Order(5)
    void anonymousReadsOnlyPublicDataAndTheCaServiceAccountCannotReadTheKm() throws Exception {
        byte[] certificate = publishedCas().get("sm2-issuing").getEncoded();
        try (LDAPConnection admin = admin()) {
            admin.add(new Entry("uid=clerk1,ou=operators," + BASE, List.of(
                    new Attribute("objectClass", "top", "egovOperator"), new Attribute("uid", "clerk1"),
                    new Attribute("cn", "Clerk One"), new Attribute("egovRole", "ENTRY_CLERK"))));
            admin.add(new Entry("egovRequestId=r1,ou=requests," + BASE, List.of(
                    new Attribute("objectClass", "top", "egovEnrollmentRequest"), new Attribute("egovRequestId", "r1"),
                    new Attribute("egovRequestState", "SUBMITTED"))));
            admin.add(new Entry("egovKeyId=k1,ou=km," + BASE, List.of(
                    new Attribute("objectClass", "top", "egovEscrowedKey"), new Attribute("egovKeyId", "k1"),
                    new Attribute("egovKeyState", "ACTIVE"))));
            admin.add(new Entry("egovAuditSequence=1,ou=audit," + BASE, List.of(
                    new Attribute("objectClass", "top", "egovAuditEvent"), new Attribute("egovAuditSequence", "1"),
                    new Attribute("egovAuditTime", "20261121000000Z"), new Attribute("egovAuditEventType", "TEST"),
                    new Attribute("egovAuditHash", "00"))));
            admin.add(new Entry("egovCertificateId=sm2-issuing-1,ou=certificates," + BASE, List.of(
                    new Attribute("objectClass", "top", "egovCertificateRecord"),
                    new Attribute("egovCertificateId", "sm2-issuing-1"), new Attribute("egovSerialNumber", "1"),
                    new Attribute("egovIssuerName", "sm2-issuing"), new Attribute("egovIssuanceState", "RECORDED"))));
            admin.add(new Entry("egovSubscriberId=s1,ou=subscribers," + BASE, List.of(
                    new Attribute("objectClass", "top", "egovSubscriber", "pkiUser", "egovPublishedSubscriber"),
                    new Attribute("egovSubscriberId", "s1"), new Attribute("cn", "Zhang San"),
                    new Attribute("description", "internal note"),
                    new Attribute("userCertificate;binary", certificate))));
            admin.add(new Entry("cn=registration,egovSubscriberId=s1,ou=subscribers," + BASE, List.of(
                    new Attribute("objectClass", "top", "egovSubscriberRegistration"),
                    new Attribute("cn", "registration"), new Attribute("egovSubscriberType", "PERSONAL"),
                    new Attribute("egovIdNumber", "11010519491231002X"), new Attribute("mail", "zhang@example.cn"))));
        }

        try (LDAPConnection anonymous = anonymous()) {
            for (String container : List.of("operators", "requests", "km", "audit", "certificates", "services",
                    "sync")) {
                assertThat(visibleBelow(anonymous, "ou=" + container + "," + BASE)).as("anonymous under ou=" + container)
                        .isEmpty();
            }
            SearchResultEntry subscriber = anonymous.getEntry("egovSubscriberId=s1,ou=subscribers," + BASE, "*");
            assertThat(subscriber).as("the published subscriber entry").isNotNull();
            assertThat(binary(subscriber, "userCertificate")).isEqualTo(certificate);
            assertThat(subscriber.hasAttribute("description")).as("only the public attributes").isFalse();
            assertThat(visibleBelow(anonymous, "egovSubscriberId=s1,ou=subscribers," + BASE))
                    .as("the registration data entry").isEmpty();
            assertThat(anonymous.search("ou=subscribers," + BASE, SearchScope.SUB, "(egovIdNumber=11010519491231002X)")
                    .getEntryCount()).as("probing registration data with a filter").isZero();
            assertThat(anonymous.search("ou=subscribers," + BASE, SearchScope.SUB, "(mail=*)")
                    .getEntryCount()).as("probing registration data with a filter").isZero();

            LDAPException write = org.junit.jupiter.api.Assertions.assertThrows(LDAPException.class, () ->
                    anonymous.modify("cn=sm2-root,ou=CAs," + BASE,
                            new com.unboundid.ldap.sdk.Modification(com.unboundid.ldap.sdk.ModificationType.REPLACE,
                                    "description", "defaced")));
            // slapd refuses any anonymous write before its access rules: strong(er) authentication required.
            assertThat(write.getResultCode()).isIn(ResultCode.INSUFFICIENT_ACCESS_RIGHTS, ResultCode.NO_SUCH_OBJECT,
                    ResultCode.STRONG_AUTH_REQUIRED);
        }

        try (LDAPConnection service = server.caService()) {
            assertThat(visibleBelow(service, "ou=km," + BASE)).as("the CA service account under ou=km").isEmpty();
            assertThat(visibleBelow(service, "ou=requests," + BASE)).as("the CA service account reads requests")
                    .containsExactly("egovRequestId=r1,ou=requests," + BASE);
        }
        try (LDAPConnection km = server.kmService()) {
            assertThat(visibleBelow(km, "ou=requests," + BASE)).as("the KM service account under ou=requests")
                    .isEmpty();
        }

        assertThatThrownBy(() -> server.bind("uid=admin,ou=system", "secret"))
                .as("ApacheDS's well-known default admin password is replaced")
                .isInstanceOf(LDAPException.class);
    }

    @Test
    @Order(6)
    void aSecondServeOnTheSameDataDirectoryExitsWithOneClearLine() throws Exception {
        ServerProcess second = ServerProcess.launch(server.data, "serve", "--data", server.data.toString(),
                "--ldap-port", "0", "--http-port", "0");

        assertThat(second.awaitExit(Duration.ofSeconds(60))).isEqualTo(2);
        assertThat(second.output()).contains("is in use by another egov-pki process").doesNotContain("\tat ");
        assertThat(server.isAlive()).isTrue();
    }

    @EmbeddedOnly("the embedded directory's own LDAP listener refuses a busy port")
    @Test
    @Order(7)
    void aBusyPortIsRefusedNamingThePort() throws Exception {
        Path other = tmp.resolve("other-data");
        ServerProcess second = ServerProcess.launch(other, "serve", "--data", other.toString(), "--ldap-port",
                Integer.toString(server.ldapPort), "--http-port", "0");

        assertThat(second.awaitExit(Duration.ofSeconds(60))).isEqualTo(2);
        assertThat(second.output()).contains("LDAP port 127.0.0.1:" + server.ldapPort + " is already in use")
                .doesNotContain("\tat ");
    }

    @Test
    @Order(8)
    void aBadConfigurationValueExitsNamingTheKey() throws Exception {
        Path config = tmp.resolve("bad.yaml");
        Files.writeString(config, "ldap:\n  port: 99999\n");
        Path other = tmp.resolve("bad-data");
        ServerProcess bad = ServerProcess.launch(other, "serve", "--config", config.toString(),
                "--data", other.toString());

        assertThat(bad.awaitExit(Duration.ofSeconds(60))).isEqualTo(2);
        assertThat(bad.output()).contains("'ldap.port'").contains("99999").doesNotContain("\tat ");
    }

    @Test
    @Order(9)
    void theCasSurviveAGracefulStopAndAKill9() throws Exception {
        Map<String, X509Certificate> before = publishedCas();
        BigInteger crlBefore = crlNumber(Pem.parseCrl(get("/crl/sm2-issuing.crl").body()));
        Path data = server.data;
        assertThat(PortsFile.of(data)).as("the running server's ports file").exists();

        server.terminate();
        if (!ServerProcess.onSlapd()) {
            assertThat(server.output()).contains("Embedded directory stopped");
        }
        assertThat(Files.readString(data.resolve("audit/audit.jsonl"))).contains("\"SERVER_STOP\"");
        assertThat(PortsFile.of(data)).as("a stopped server's ports file").doesNotExist();

        server = server.restart();
        assertCertificatesEqual(publishedCas(), before);
        assertThat(crlNumber(Pem.parseCrl(get("/crl/sm2-issuing.crl").body()))).isGreaterThanOrEqualTo(crlBefore);
        assertThat(server.output()).as("demo key custody is said at every start, not only the first")
                .contains("DEMO KEY CUSTODY: the CA key store password is kept in " + data.resolve("secrets")
                        .resolve("ca-keystore.password"))
                .contains("DEMO KEY CUSTODY: the KM key store password is kept in");

        try (LDAPConnection anonymous = anonymous()) {
            assertThat(visibleBelow(anonymous, "ou=operators," + BASE)).as("access control after a restart").isEmpty();
        }

        // A write acknowledged just before a kill -9 is still there afterwards.
        try (LDAPConnection admin = admin()) {
            admin.add(new Entry("cn=written-before-kill,ou=sync," + BASE, List.of(
                    new Attribute("objectClass", "top", "egovSyncTarget"), new Attribute("cn", "written-before-kill"),
                    new Attribute("labeledURI", "http://127.0.0.1:9/sync"))));
        }
        server.kill();
        server = server.restart();
        assertCertificatesEqual(publishedCas(), before);
        try (LDAPConnection admin = admin()) {
            assertThat(admin.getEntry("cn=written-before-kill,ou=sync," + BASE)).as("write before kill -9").isNotNull();
        }
        try (LDAPConnection anonymous = anonymous()) {
            assertThat(visibleBelow(anonymous, "ou=km," + BASE)).as("access control after kill -9").isEmpty();
        }
        assertThat(server.output()).doesNotContain("Created ROOT CA").doesNotContain("Created ISSUING CA");
        assertThat(get("/health").statusCode()).isEqualTo(200);
        // Each CA's sync-signing key was certified at the first start and reused after both restarts.
        String trail = Files.readString(server.data.resolve("audit/audit.jsonl"));
        assertThat(trail.split("\"SYNC_SIGNER_ISSUED\"", -1)).as("one sync signer per CA, reused after restarts")
                .hasSize(before.size() + 1);
    }

    // --- helpers ---

    private static void assertCertificatesEqual(Map<String, X509Certificate> actual,
                                                Map<String, X509Certificate> expected) throws Exception {
        assertThat(actual.keySet()).isEqualTo(expected.keySet());
        for (String name : expected.keySet()) {
            assertThat(actual.get(name).getEncoded()).as(name).isEqualTo(expected.get(name).getEncoded());
        }
    }

    private static Map<String, X509Certificate> publishedCas() throws LDAPException {
        Map<String, X509Certificate> cas = new HashMap<>();
        try (LDAPConnection anonymous = anonymous()) {
            // ou=CAs: the X.500-named mirror also has pkiCA entries (cn=<subject CN>) under the base.
            SearchResult result = anonymous.search("ou=CAs," + BASE, SearchScope.SUB, "(objectClass=pkiCA)", "cn",
                    "cACertificate;binary");
            for (SearchResultEntry entry : result.getSearchEntries()) {
                cas.put(entry.getAttributeValue("cn"), Pem.parseCertificate(binary(entry, "cACertificate")));
            }
        }
        return cas;
    }

    private static List<String> visibleBelow(LDAPConnection connection, String container) throws LDAPException {
        List<String> dns = new ArrayList<>();
        try {
            for (SearchResultEntry entry : connection.search(container, SearchScope.SUB, "(objectClass=*)")
                    .getSearchEntries()) {
                if (!entry.getDN().equalsIgnoreCase(container)) {
                    dns.add(entry.getDN());
                }
            }
        } catch (LDAPSearchException e) {
            if (e.getResultCode() != ResultCode.INSUFFICIENT_ACCESS_RIGHTS
                    && e.getResultCode() != ResultCode.NO_SUCH_OBJECT) {
                throw e;
            }
            e.getSearchEntries().stream().map(SearchResultEntry::getDN)
                    .filter(dn -> !dn.equalsIgnoreCase(container)).forEach(dns::add);
        }
        return dns;
    }

    private static byte[] binary(Entry entry, String baseName) {
        return Arrays.stream(entry.getAttributes().toArray(Attribute[]::new))
                .filter(a -> a.getBaseName().equalsIgnoreCase(baseName))
                .findFirst().orElseThrow(() -> new AssertionError(entry.getDN() + " has no " + baseName))
                .getValueByteArray();
    }

    private static BigInteger crlNumber(X509CRL crl) {
        byte[] extension = crl.getExtensionValue(Extension.cRLNumber.getId());
        assertThat(extension).as("CRLNumber extension").isNotNull();
        return ASN1Integer.getInstance(ASN1OctetString.getInstance(extension).getOctets()).getValue();
    }

    private static JsonNode findByName(JsonNode list, String name) {
        for (JsonNode item : list) {
            if (item.path("name").asText().equals(name)) {
                return item;
            }
        }
        throw new AssertionError("no " + name + " in " + list);
    }

    private static LDAPConnection anonymous() throws LDAPException {
        return server.anonymous();
    }

    private static LDAPConnection admin() throws LDAPException {
        return server.directoryAdmin();
    }

    private static URI url(String path) {
        return server.url(path);
    }

    private static HttpResponse<byte[]> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(url(path)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }
}
