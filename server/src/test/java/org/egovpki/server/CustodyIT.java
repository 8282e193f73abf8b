package org.egovpki.server;

import static org.assertj.core.api.Assertions.assertThat;

import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Key custody by shares against the real jar: {@code init} with {@code caKeys.custody: shares}
 * splits a new key store password 3 of 5 into sealed share files and writes the password nowhere;
 * {@code custody status} names the split; {@code serve} starts locked until three custodians ran
 * {@code custody unlock} (one of them without {@code --url}: the ports file), serving the CA certificate and
 * CRL from the directory meanwhile, then issues a certificate; SIGTERM stops a locked server cleanly; and it is
 * locked again after a restart; {@code custody reshare} with three current shares makes
 * split 2 for new custodians, audited in the CLI trail (which {@code audit verify} still finds intact),
 * and one share below the threshold changes nothing.
 */
@EmbeddedOnly("a locked start: the embedded directory serves LDAP before the CA key is open")
class CustodyIT {

    private static final List<String> FIVE = List.of("alice", "bob", "carol", "dave", "erin");

    @TempDir
    Path work;

    private record Result(int exit, String output) {
    }

    private Result cli(Path data, List<String> args) throws InterruptedException {
        ServerProcess cli = ServerProcess.launch(data, args.toArray(String[]::new));
        int exit = cli.awaitExit(Duration.ofSeconds(180));
        return new Result(exit, cli.output());
    }

    private Path passphrase(String custodian) throws Exception {
        return Files.writeString(work.resolve(custodian + ".pass"), custodian + " correct horse battery\n");
    }

    private Path config(String custodians, int threshold) {
        return ServerProcess.config(work.resolve("conf"), yaml -> yaml.replace("""
                  custody: demo
                  # shares:
                  #   threshold: 3
                  #   custodians: [alice, bob, carol, dave, erin]
                """, "  custody: shares\n  shares:\n    threshold: " + threshold + "\n    custodians: [" + custodians
                + "]\n"));
    }

    private static HttpResponse<String> http(ServerProcess server, String method, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                .header("Content-Type", "application/json")
                .method(method, method.equals("POST") ? HttpRequest.BodyPublishers.ofString("{}")
                        : HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<byte[]> ocsp(ServerProcess server, byte[] request) throws Exception {
        return OcspClient.post(server.baseUrl(), request);
    }

    /** A nonce-free one-certificate request, as browsers and the JDK send (RFC 5019). */
    private static byte[] ocspRequest(java.security.cert.X509Certificate issuer, java.math.BigInteger serial,
            org.bouncycastle.asn1.x509.AlgorithmIdentifier hash) throws Exception {
        return OcspClient.request(issuer, serial, hash);
    }

    /** The single answer of a successful response signed by {@code issuer}'s key, checked on the way. */
    private static org.bouncycastle.cert.ocsp.SingleResp answered(HttpResponse<byte[]> response,
            java.security.cert.X509Certificate issuer) throws Exception {
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/ocsp-response");
        org.bouncycastle.cert.ocsp.OCSPResp ocsp = new org.bouncycastle.cert.ocsp.OCSPResp(response.body());
        assertThat(ocsp.getStatus()).as("OCSP responseStatus").isZero();
        org.bouncycastle.cert.ocsp.BasicOCSPResp basic = (org.bouncycastle.cert.ocsp.BasicOCSPResp) ocsp.getResponseObject();
        assertThat(basic.isSignatureValid(new org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder()
                .setProvider(org.egovpki.core.crypto.BouncyCastle.PROVIDER).build(issuer))).isTrue();
        assertThat(basic.getResponses()).hasSize(1);
        return basic.getResponses()[0];
    }

    private static int ocspStatus(HttpResponse<byte[]> response) throws Exception {
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/ocsp-response");
        return new org.bouncycastle.cert.ocsp.OCSPResp(response.body()).getStatus();
    }

    private Result unlock(ServerProcess server, String custodian) throws Exception {
        return cli(server.data, List.of("custody", "unlock", "--url", server.baseUrl(), "--user", custodian,
                "--password-file", work.resolve("operator.password").toString(), "--share",
                server.data.resolve("custody").resolve(custodian + ".share").toString(), "--passphrase-file",
                passphrase(custodian).toString()));
    }

    /**
     * Start 1: locked (not ready, the API refused with 503), two custodians leave it locked, the
     * same custodian twice and an operator without the custodian role are refused, the third
     * unlocks and start-up finishes. Start 2: locked again.
     */
    private void unlockAfterEachStart(Path data, Path config) throws Exception {
        Files.writeString(work.resolve("operator.password"), "Custodian-Login-2026\n");
        ServerProcess server = ServerProcess.serveLocked(data, "--config", config.toString());
        int readyExit;
        java.security.cert.X509Certificate issuing;
        java.security.cert.X509Certificate certificate;
        byte[] bySha1;
        byte[] bySha256;
        byte[] goodAnswer;
        try {
            HttpResponse<String> ready = http(server, "GET", "/health/ready");
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.body()).contains("locked: 0 of 3 shares presented");
            HttpResponse<String> submit = http(server, "POST", "/api/v1/requests");
            assertThat(submit.statusCode()).isEqualTo(503);
            assertThat(submit.body()).contains("CA locked (0 of 3 key shares presented); key custodians unlock it "
                    + "with egov-pki custody unlock");
            HttpResponse<String> crl = http(server, "POST", "/api/v1/crls/sm2-issuing");
            assertThat(crl.statusCode()).as("an on-demand CRL needs the CA key").isEqualTo(503);
            // What needs no CA key is served from the directory while locked: the CA certificate and its CRL.
            HttpResponse<String> pem = http(server, "GET", "/ca/sm2-issuing.pem");
            assertThat(pem.statusCode()).as(pem.body()).isEqualTo(200);
            issuing = (java.security.cert.X509Certificate)
                    java.security.cert.CertificateFactory.getInstance("X.509",
                            new org.bouncycastle.jce.provider.BouncyCastleProvider()).generateCertificate(
                            new java.io.ByteArrayInputStream(pem.body().getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
            HttpResponse<byte[]> published = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(server.baseUrl() + "/crl/sm2-issuing.crl")).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(published.statusCode()).isEqualTo(200);
            assertThat(published.headers().firstValue("ETag")).isPresent();
            assertThat(org.egovpki.core.x509.Pem.parseCrl(published.body()).getIssuerX500Principal())
                    .isEqualTo(issuing.getSubjectX500Principal());
            assertThat(http(server, "GET", "/crl/no-such-ca.crl").statusCode()).isEqualTo(404);
            // Nothing was pre-signed before this first start: OCSP asks the client to try later, in OCSP terms.
            assertThat(ocspStatus(ocsp(server, ocspRequest(issuing, java.math.BigInteger.valueOf(12345),
                    org.bouncycastle.cert.ocsp.CertificateID.HASH_SHA1))))
                    .isEqualTo(org.bouncycastle.asn1.ocsp.OCSPResponseStatus.TRY_LATER);
            assertThat(ocspStatus(ocsp(server, new byte[] {1, 2, 3})))
                    .isEqualTo(org.bouncycastle.asn1.ocsp.OCSPResponseStatus.MALFORMED_REQUEST);
            for (String custodian : List.of("alice", "bob", "carol")) {
                server.addOperator(config, custodian, "KEY_CUSTODIAN", work.resolve("operator.password"));
            }
            server.addOperator(config, "erin", "ENTRY_CLERK", work.resolve("operator.password"));

            Result alice = unlock(server, "alice");
            assertThat(alice.exit()).as(alice.output()).isZero();
            Result again = unlock(server, "alice");
            assertThat(again.exit()).as(again.output()).isEqualTo(3);
            assertThat(again.output()).contains("custodian alice has already presented a share");
            Result clerk = unlock(server, "erin");
            assertThat(clerk.exit()).as(clerk.output()).isEqualTo(3);
            assertThat(clerk.output()).contains("only an operator with the KEY_CUSTODIAN role presents a key share");
            // Without --url the CLI finds the locked server's HTTP port in <data>/run/ports.
            Result bob = cli(server.data, List.of("custody", "unlock", "--config", config.toString(), "--data",
                    server.data.toString(), "--user", "bob", "--password-file",
                    work.resolve("operator.password").toString(), "--share",
                    server.data.resolve("custody").resolve("bob.share").toString(), "--passphrase-file",
                    passphrase("bob").toString()));
            assertThat(bob.exit()).as(bob.output()).isZero();
            assertThat(http(server, "GET", "/health/ready").body()).contains("locked: 2 of 3 shares presented");

            Result carol = unlock(server, "carol");
            assertThat(carol.exit()).as(carol.output()).isZero();
            server.awaitOutput("egov-pki ready");
            await().atMost(Duration.ofSeconds(60)).until(() -> http(server, "GET", "/health/ready").statusCode() == 200);
            // The unlocked CA signs: an on-demand CRL as a CA admin.
            server.addOperator(config, "caadmin", "CA_ADMIN", work.resolve("operator.password"));
            HttpResponse<String> signed = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create(server.baseUrl() + "/api/v1/crls/sm2-issuing"))
                    .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(
                            "caadmin:Custodian-Login-2026".getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(signed.statusCode()).as(signed.body()).isBetween(200, 201);
            // And issues: a personal request submitted by an entry clerk and approved by a reviewer.
            server.addOperator(config, "reviewer1", "REVIEWER", work.resolve("operator.password"));
            ApiClient api = server.api("Custodian-Login-2026");
            java.security.KeyPair key = org.egovpki.core.crypto.KeyAlgorithm.SM2.generate(new java.security.SecureRandom());
            com.fasterxml.jackson.databind.node.ObjectNode body = ApiClient.JSON.createObjectNode();
            body.put("csr", java.util.Base64.getEncoder().encodeToString(
                    new org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder(
                            new javax.security.auth.x500.X500Principal("CN=Li Lei,O=egov-pki test,C=CN"), key.getPublic())
                            .build(new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder("SM3WITHSM2")
                                    .setProvider(org.egovpki.core.crypto.BouncyCastle.PROVIDER).build(key.getPrivate()))
                            .getEncoded()));
            body.put("profile", "personal");
            var registration = body.putObject("registration");
            registration.put("realName", "Li Lei");
            registration.put("idType", "RESIDENT_ID");
            registration.put("idNumber", "11010519491231002X");
            body.put("challengePhrase", "my secret phrase");
            body.put("agreementAccepted", true);
            String requestId = api.postJson("erin", "/api/v1/requests", body, 201).path("id").asText();
            var approved = api.postJson("reviewer1", "/api/v1/requests/" + requestId + "/approve",
                    ApiClient.JSON.createObjectNode(), 200);
            assertThat(approved.path("serials")).as(approved.toString()).hasSize(1);
            String serial = approved.path("serials").get(0).asText();
            certificate = (java.security.cert.X509Certificate)
                    java.security.cert.CertificateFactory.getInstance("X.509", org.egovpki.core.crypto.BouncyCastle.PROVIDER)
                            .generateCertificate(new java.io.ByteArrayInputStream(api.bytes("erin",
                                    "/api/v1/certificates/" + serial + ".pem")));
            certificate.verify(issuing.getPublicKey(), org.egovpki.core.crypto.BouncyCastle.PROVIDER);
            // Asked about while unlocked (SHA-1 and SHA-256 CertIDs, no nonce): pre-signed, kept past the stop.
            bySha1 = ocspRequest(issuing, certificate.getSerialNumber(),
                    org.bouncycastle.cert.ocsp.CertificateID.HASH_SHA1);
            bySha256 = ocspRequest(issuing, certificate.getSerialNumber(), new org.bouncycastle.asn1.x509
                    .AlgorithmIdentifier(org.bouncycastle.asn1.nist.NISTObjectIdentifiers.id_sha256));
            HttpResponse<byte[]> first = ocsp(server, bySha1);
            assertThat(answered(first, issuing).getCertStatus()).isSameAs(org.bouncycastle.cert.ocsp.CertificateStatus.GOOD);
            goodAnswer = first.body();
            assertThat(answered(ocsp(server, bySha256), issuing).getCertStatus())
                    .isSameAs(org.bouncycastle.cert.ocsp.CertificateStatus.GOOD);
            String trail = Files.readString(data.resolve("audit").resolve("audit.jsonl"));
            assertThat(trail).contains("KEY_SHARE_PRESENTED").contains("CA_UNLOCKED");
        } finally {
            readyExit = server.terminate();
        }
        assertThat(data.resolve("ocsp").resolve("presigned.bin")).as("written at the orderly stop").exists();
        ServerProcess restarted = ServerProcess.serveLocked(data, "--config", config.toString());
        int lockedExit;
        try {
            assertThat(http(restarted, "GET", "/health/ready").body()).contains("locked: 0 of 3 shares presented");
            assertThat(restarted.output()).doesNotContain("was not closed cleanly");
            // Locked: the answer pre-signed before the stop, byte for byte, still valid under the CA certificate.
            HttpResponse<byte[]> locked = ocsp(restarted, bySha1);
            assertThat(answered(locked, issuing).getCertStatus()).isSameAs(org.bouncycastle.cert.ocsp.CertificateStatus.GOOD);
            assertThat(locked.body()).isEqualTo(goodAnswer);
            HttpResponse<byte[]> byGet = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                    restarted.baseUrl() + "/ocsp/" + java.net.URLEncoder.encode(java.util.Base64.getEncoder()
                            .encodeToString(bySha1), java.nio.charset.StandardCharsets.US_ASCII))).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(byGet.body()).as("RFC 6960 A.1 GET, parsed as the normal responder does").isEqualTo(goodAnswer);
            assertThat(ocspStatus(ocsp(restarted, ocspRequest(issuing, certificate.getSerialNumber().add(
                    java.math.BigInteger.ONE), org.bouncycastle.cert.ocsp.CertificateID.HASH_SHA1))))
                    .as("a serial nobody asked about before the stop")
                    .isEqualTo(org.bouncycastle.asn1.ocsp.OCSPResponseStatus.TRY_LATER);
            // Revoked in the directory meanwhile (as another CA process on it would record it): never answered good.
            try (var ldap = restarted.directoryAdmin()) {
                var record = ldap.searchForEntry(ServerProcess.BASE, com.unboundid.ldap.sdk.SearchScope.SUB,
                        com.unboundid.ldap.sdk.Filter.createEqualityFilter("egovCertificateId",
                                "sm2-issuing-" + certificate.getSerialNumber().toString(16)));
                assertThat(record).as("the certificate record").isNotNull();
                ldap.modify(record.getDN(),
                        new com.unboundid.ldap.sdk.Modification(com.unboundid.ldap.sdk.ModificationType.REPLACE,
                                "egovCertificateStatus", "REVOKED"),
                        new com.unboundid.ldap.sdk.Modification(com.unboundid.ldap.sdk.ModificationType.REPLACE,
                                "egovRevocationTime", com.unboundid.util.StaticUtils.encodeGeneralizedTime(
                                        new java.util.Date())));
            }
            assertThat(ocspStatus(ocsp(restarted, bySha256))).as("the stored answer says good; the directory says revoked")
                    .isEqualTo(org.bouncycastle.asn1.ocsp.OCSPResponseStatus.TRY_LATER);
            assertThat(ocspStatus(ocsp(restarted, bySha1)))
                    .isEqualTo(org.bouncycastle.asn1.ocsp.OCSPResponseStatus.TRY_LATER);
        } finally {
            lockedExit = restarted.terminate();
        }
        // SIGTERM while locked stops in order, as a ready server stops: its ports file is removed and the
        // directory is closed cleanly, so the next start replays no transaction log.
        assertThat(lockedExit).as(restarted.output()).isEqualTo(readyExit).isIn(0, 143);
        assertThat(PortsFile.of(data)).as("a locked server stopped by SIGTERM removed its ports file").doesNotExist();
        ServerProcess again = ServerProcess.serveLocked(data, "--config", config.toString());
        try {
            assertThat(again.output()).doesNotContain("was not closed cleanly");
        } finally {
            again.terminate();
        }
    }

    @Test
    void initSplitsThePasswordAndReshareReplacesCustodians() throws Exception {
        Path data = work.resolve("data");
        Path config = config(String.join(", ", FIVE), 3);
        List<String> init = new ArrayList<>(List.of("init", "--config", config.toString(), "--data", data.toString(),
                "--ldap-port", "0"));
        for (String custodian : FIVE) {
            init.addAll(List.of("--custodian-passphrase-file", custodian + "=" + passphrase(custodian)));
        }

        Result initialised = cli(data, init);

        assertThat(initialised.exit()).as(initialised.output()).isZero();
        assertThat(initialised.output()).contains("CA key store password split 3 of 5");
        Path custody = data.resolve("custody");
        for (String custodian : FIVE) {
            assertThat(Files.readString(custody.resolve(custodian + ".share")))
                    .startsWith("egov-pki key share 1\ncustodian: " + custodian + "\n");
        }
        assertThat(data.resolve("secrets").resolve("ca-keystore.password")).doesNotExist();
        assertThat(data.resolve("keys").resolve("ca.p12")).exists();
        assertThat(Files.readString(data.resolve("audit").resolve("audit.jsonl"))).contains("KEY_CUSTODY_SPLIT");

        Result status = cli(data, List.of("custody", "status", "--config", config.toString(), "--data",
                data.toString()));
        assertThat(status.exit()).as(status.output()).isZero();
        assertThat(status.output()).contains("split 1: 3 of 5 custodians needed");

        unlockAfterEachStart(data, config);

        Path next = config("alice, bob, frank", 2);
        List<String> reshare = new ArrayList<>(List.of("custody", "reshare", "--config", next.toString(), "--data",
                data.toString()));
        for (String custodian : List.of("bob", "dave")) {
            reshare.addAll(List.of("--share", custody.resolve(custodian + ".share").toString(),
                    "--share-passphrase-file", custodian + "=" + passphrase(custodian)));
        }
        for (String custodian : List.of("alice", "bob", "frank")) {
            reshare.addAll(List.of("--custodian-passphrase-file", custodian + "=" + passphrase(custodian)));
        }
        Result tooFew = cli(data, reshare);
        assertThat(tooFew.exit()).isNotZero();
        assertThat(tooFew.output()).contains("2 of 3 shares presented (bob, dave)");
        assertThat(custody.resolve("carol.share")).exists();

        reshare.addAll(List.of("--share", custody.resolve("erin.share").toString(),
                "--share-passphrase-file", "erin=" + passphrase("erin")));
        Result reshared = cli(data, reshare);
        assertThat(reshared.exit()).as(reshared.output()).isZero();
        assertThat(reshared.output()).contains("split 2 written: 2 of 3 (alice, bob, frank)");
        assertThat(Files.readString(custody.resolve("frank.share"))).contains("epoch: 2");
        assertThat(custody.resolve("carol.share")).doesNotExist();

        // Audited in the CLI trail, as the OS user who ran it, without a share or a passphrase; the refused
        // attempt below the threshold opened nothing and is not there.
        List<String> reshares = Files.readAllLines(data.resolve("audit").resolve("audit-cli.jsonl")).stream()
                .filter(l -> l.contains("KEY_CUSTODY_RESHARED")).toList();
        assertThat(reshares).hasSize(1);
        assertThat(reshares.get(0)).contains("SUCCESS", "cli:" + System.getProperty("user.name"),
                "\"previousSplit\":\"1\"", "\"split\":\"2\"", "\"threshold\":\"2\"",
                "\"custodians\":\"alice,bob,frank\"", "\"previousCustodians\":\"alice,bob,carol,dave,erin\"",
                "\"presentedBy\":\"bob,dave,erin\"").doesNotContain("correct horse");
        String sealed = Files.readString(custody.resolve("frank.share")).lines()
                .filter(l -> l.startsWith("sealed: ")).findFirst().orElseThrow().substring("sealed: ".length());
        assertThat(Files.readString(data.resolve("audit").resolve("audit-cli.jsonl"))).doesNotContain(sealed);
        Result verify = cli(data, List.of("audit", "verify", "--config", next.toString(), "--data", data.toString(),
                "--ldap-port", "0"));
        assertThat(verify.exit()).as(verify.output()).isZero();
    }
}
