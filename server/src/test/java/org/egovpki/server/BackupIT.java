package org.egovpki.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldif.LDIFReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.Enumeration;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.SingleResp;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.egovpki.core.crypto.BouncyCastle;
import org.egovpki.core.crypto.KeyAlgorithm;
import org.egovpki.core.km.EnvelopedKeys;
import org.egovpki.core.km.Sm2EnvelopedKey;
import org.egovpki.core.x509.Pem;
import org.egovpki.server.backup.BackupArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code egov-pki backup} and {@code restore} on the real jar: a server with an issued dual
 * certificate (its encryption key escrowed at the KM), a revoked certificate and a published CRL
 * is stopped, backed up and restored into a new data directory; the restored directory exports to
 * the same LDIF, {@code audit verify} passes, and the restored server answers the same statuses
 * over REST and OCSP, a CRL at least as new, and still recovers the escrowed key. Each refusal
 * (server running, short passphrase, non-empty target, wrong passphrase, changed archive) leaves
 * nothing behind.
 */
@EmbeddedOnly("backup and restore of the embedded directory's LDIF; an OpenLDAP is backed up with slapcat")
class BackupIT {

    private static final String PASSWORD = "Root2026pass";
    private static final String PASSPHRASE = "correct horse battery staple";
    private static final String BASE = "o=egov-pki,c=CN";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String KEPT_ID_NUMBER = "11010519491231002X";
    private static final String REVOKED_ID_NUMBER = idNumber("11010519800101001");

    @TempDir
    static Path tmp;

    private static Path config;
    private static Path original;
    private static Path archive;
    private static Path passphraseFile;
    private static Result whileRunning;
    private static String validSerial;
    private static X509Certificate encryptionCertificate;
    private static String revokedSerial;
    private static BigInteger crlNumber;
    private static ServerProcess restored;

    private record Result(int exit, String output) {
    }

    @BeforeAll
    static void serveIssueRevokeStopAndBackUp() throws Exception {
        config = ServerProcess.config(tmp,
                yaml -> yaml.replace("  # initialAdminPassword: ...", "  initialAdminPassword: " + PASSWORD),
                yaml -> yaml.replace("    afterRevocationSeconds: 60", "    afterRevocationSeconds: 2"));
        original = tmp.resolve("data");
        passphraseFile = Files.writeString(tmp.resolve("passphrase"), PASSPHRASE + "\n");
        archive = tmp.resolve("backup.zip");
        ServerProcess server = ServerProcess.serve(original, "--config", config.toString());
        try {
            Path passwordFile = Files.writeString(tmp.resolve("password"), PASSWORD);
            for (String[] operator : List.of(new String[] {"clerk1", "ENTRY_CLERK"}, new String[] {"reviewer1", "REVIEWER"},
                    new String[] {"kmadmin1", "KM_BUSINESS_ADMIN"}, new String[] {"kmop1", "KM_OPERATOR"},
                    new String[] {"kmop2", "KM_OPERATOR"})) {
                server.addOperator(config, operator[0], operator[1], passwordFile);
            }
            ApiClient api = server.api(PASSWORD);
            JsonNode kept = issueDual(api, "Zhang San", KEPT_ID_NUMBER);
            encryptionCertificate = Pem.parseCertificate(Base64.getDecoder().decode(kept.path("encryptCertificate").asText()));
            validSerial = signingSerial(kept);
            JsonNode other = issueDual(api, "Li Si", REVOKED_ID_NUMBER);
            revokedSerial = signingSerial(other);
            ObjectNode revoke = ApiClient.JSON.createObjectNode().put("reason", "KEY_COMPROMISE")
                    .put("requester", "SUBSCRIBER");
            api.postJson("admin", "/api/v1/certificates/" + revokedSerial + "/revoke", revoke, 200);
            X509CRL crl = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> fetchCrl(api), c -> c.getRevokedCertificate(new BigInteger(revokedSerial, 16)) != null);
            crlNumber = crlNumber(crl);

            whileRunning = backup(original, tmp.resolve("while-running.zip"), passphraseFile);
        } finally {
            server.terminate();
        }
        Result backup = backup(original, archive, passphraseFile);
        assertThat(backup.exit()).as(backup.output()).isZero();
        assertThat(backup.output()).contains("backup written and read back: " + archive);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (restored != null) {
            restored.close();
        }
    }

    @Test
    void aRestoredDataDirectoryHoldsTheSameDirectoryAndServesTheSameCertificates() throws Exception {
        Path copy = tmp.resolve("restored");
        Result restore = run("restore", "--archive", archive.toString(), "--data", copy.toString(),
                "--passphrase-file", passphraseFile.toString());
        assertThat(restore.exit()).as(restore.output()).isZero();
        Path restoredConfig = copy.resolve("conf").resolve("egov-pki.yaml");
        assertThat(restoredConfig).hasSameTextualContentAs(config);
        assertThat(copy.resolve("keys").resolve("ca.p12")).hasSameBinaryContentAs(original.resolve("keys").resolve("ca.p12"));
        assertThat(copy.resolve("audit").resolve("audit.jsonl"))
                .hasSameBinaryContentAs(original.resolve("audit").resolve("audit.jsonl"));

        // The restored directory, exported again before anything runs on it, is the original's.
        Path again = tmp.resolve("again.zip");
        Result second = backup(copy, again, passphraseFile);
        assertThat(second.exit()).as(second.output()).isZero();
        String ldif = ldif(archive);
        assertThat(ldif).contains("userCertificate;binary:: ").contains("certificateRevocationList;binary:: ")
                .contains("cACertificate;binary:: ").contains("creatorsName: ").contains("userPassword: ")
                .contains("egovSubscriberId=");
        assertThat(entries(ldif(again))).isEqualTo(entries(ldif));

        Result verify = run("audit", "verify", "--config", restoredConfig.toString(), "--data",
                copy.toString(), "--ldap-port", "0");
        assertThat(verify.exit()).as(verify.output()).isZero();

        restored = ServerProcess.serve(copy, "--config", restoredConfig.toString());
        ApiClient api = restored.api(PASSWORD);
        assertThat(api.json("admin", "/api/v1/certificates/" + validSerial).path("status").asText()).isEqualTo("VALID");
        assertThat(api.json("admin", "/api/v1/certificates/" + revokedSerial).path("status").asText()).isEqualTo("REVOKED");
        X509Certificate ca = Pem.parseCertificate(api.bytes(null, "/ca/sm2-issuing.crt"));
        assertThat(ocsp(api, ca, new BigInteger(validSerial, 16)).getCertStatus()).as("OCSP of the valid one").isNull();
        assertThat(ocsp(api, ca, new BigInteger(revokedSerial, 16)).getCertStatus()).isInstanceOf(RevokedStatus.class);
        X509CRL crl = fetchCrl(api);
        crl.verify(ca.getPublicKey(), BouncyCastle.PROVIDER);
        assertThat(crl.getRevokedCertificate(new BigInteger(revokedSerial, 16))).isNotNull();
        assertThat(crlNumber(crl)).isGreaterThanOrEqualTo(crlNumber);

        assertThat(recoverJudicially(api)).as("the escrowed key, recovered after the restore")
                .isEqualTo(((ECPublicKey) encryptionCertificate.getPublicKey()).getW());

        Result running = run("audit", "verify", "--config", restoredConfig.toString(), "--data",
                copy.toString(), "--ldap-port", "0");
        assertThat(running.exit()).as(running.output()).isZero();
    }

    @Test
    void noMemberOfTheArchiveShowsRegistrationDataOrPasswordHashesInClear() throws Exception {
        // Both ID numbers are in the directory (the restore test finds them there), sealed.
        assertThat(ldif(archive)).contains(KEPT_ID_NUMBER).contains(REVOKED_ID_NUMBER);
        try (ZipFile zip = new ZipFile(archive.toFile())) {
            assertThat(zip.stream().map(ZipEntry::getName)).contains("directory.ldif.enc").doesNotContain("directory.ldif");
            for (ZipEntry entry : zip.stream().toList()) {
                String content;
                try (InputStream in = zip.getInputStream(entry)) {
                    content = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
                }
                // The audit trail travels in clear: it names certificate subjects and subscribers by their
                // pseudonymous egovSubscriberId, never an ID number; no LDIF line is anywhere in clear.
                assertThat(content).as(entry.getName()).doesNotContain(KEPT_ID_NUMBER).doesNotContain(REVOKED_ID_NUMBER)
                        .doesNotContain("userPassword").doesNotContain("dn: ").doesNotContain("egovSubscriberId: ")
                        .doesNotContain("objectClass: ");
            }
        }
    }

    @Test
    void backupRefusesWhileTheServerRunsAndWritesNothing() {
        assertThat(whileRunning.exit()).as(whileRunning.output()).isEqualTo(2);
        assertThat(whileRunning.output()).contains("stop the server first");
        assertThat(tmp.resolve("while-running.zip")).doesNotExist();
        assertThat(partials()).isEmpty();
    }

    @Test
    void backupRefusesAShortPassphrase() throws Exception {
        Path shortOne = Files.writeString(tmp.resolve("short"), "only11chars");
        Result result = backup(original, tmp.resolve("short.zip"), shortOne);
        assertThat(result.exit()).as(result.output()).isEqualTo(2);
        assertThat(result.output()).contains("at least 12");
        assertThat(tmp.resolve("short.zip")).doesNotExist();
    }

    @Test
    void restoreRefusesANonEmptyDirectoryAndLeavesItAlone() throws Exception {
        Path target = Files.createDirectories(tmp.resolve("occupied"));
        Files.writeString(target.resolve("notes.txt"), "mine");
        Result result = run("restore", "--archive", archive.toString(), "--data", target.toString(),
                "--passphrase-file", passphraseFile.toString());
        assertThat(result.exit()).as(result.output()).isEqualTo(2);
        assertThat(result.output()).contains("not empty");
        try (Stream<Path> files = Files.list(target)) {
            assertThat(files).containsExactly(target.resolve("notes.txt"));
        }
        assertThat(target.resolve("notes.txt")).hasContent("mine");
    }

    @Test
    void restoreRefusesAWrongPassphraseAndWritesNothing() throws Exception {
        Path wrong = Files.writeString(tmp.resolve("wrong"), "not the passphrase at all");
        Path target = tmp.resolve("wrong-target");
        Result result = run("restore", "--archive", archive.toString(), "--data", target.toString(),
                "--passphrase-file", wrong.toString());
        assertThat(result.exit()).as(result.output()).isEqualTo(2);
        assertThat(result.output()).contains("wrong passphrase or damaged archive");
        assertThat(target).doesNotExist();
    }

    @Test
    void restoreRefusesAChangedMemberNamingItAndWritesNothing() throws Exception {
        Path tampered = tmp.resolve("tampered.zip");
        try (ZipFile in = new ZipFile(archive.toFile()); OutputStream file = Files.newOutputStream(tampered);
             ZipOutputStream out = new ZipOutputStream(file)) {
            for (Enumeration<? extends ZipEntry> e = in.entries(); e.hasMoreElements();) {
                ZipEntry entry = e.nextElement();
                byte[] content;
                try (InputStream member = in.getInputStream(entry)) {
                    content = member.readAllBytes();
                }
                if (entry.getName().equals("directory.ldif.enc")) {
                    content[content.length / 2] ^= 1;
                }
                out.putNextEntry(new ZipEntry(entry.getName()));
                out.write(content);
                out.closeEntry();
            }
        }
        assertThat(member(tampered, "directory.ldif.enc")).isNotEqualTo(member(archive, "directory.ldif.enc"));
        Path target = tmp.resolve("tampered-target");
        Result result = run("restore", "--archive", tampered.toString(), "--data", target.toString(),
                "--passphrase-file", passphraseFile.toString());
        assertThat(result.exit()).as(result.output()).isEqualTo(2);
        assertThat(result.output()).contains("archive member directory.ldif.enc does not match the manifest");
        assertThat(target).doesNotExist();
    }

    private static Result backup(Path data, Path out, Path passphrase) throws InterruptedException {
        return run("backup", "--config", config.toString(), "--data", data.toString(), "--out", out.toString(),
                "--passphrase-file", passphrase.toString());
    }

    private static Result run(String... args) throws InterruptedException {
        ServerProcess cli = ServerProcess.launch(tmp.resolve("cli"), args);
        int exit = cli.awaitExit(Duration.ofSeconds(180));
        return new Result(exit, cli.output());
    }

    private static List<Path> partials() {
        try (Stream<Path> files = Files.list(tmp)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".partial")
                    || p.getFileName().toString().endsWith(".ldif")).toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Entries by DN; the base entry without operational attributes (the fresh directory creates it). */
    private static TreeMap<String, Entry> entries(String ldif) throws Exception {
        TreeMap<String, Entry> entries = new TreeMap<>();
        try (LDIFReader reader = new LDIFReader(new ByteArrayInputStream(ldif.getBytes(StandardCharsets.UTF_8)))) {
            Entry entry;
            while ((entry = reader.readEntry()) != null) {
                if (entry.getParsedDN().toNormalizedString().equals(new com.unboundid.ldap.sdk.DN(BASE).toNormalizedString())) {
                    for (String volatileName : Set.of("creatorsName", "createTimestamp", "modifiersName",
                            "modifyTimestamp", "entryUUID")) {
                        entry.removeAttribute(volatileName);
                    }
                }
                entries.put(entry.getParsedDN().toNormalizedString(), entry);
            }
        }
        assertThat(entries).hasSizeGreaterThan(10);
        return entries;
    }

    /** The archive's directory LDIF, opened with the passphrase as restore opens it. */
    private static String ldif(Path zip) throws IOException {
        try (BackupArchive.Opened opened = BackupArchive.open(zip, PASSPHRASE.toCharArray())) {
            return new String(opened.ldif(), StandardCharsets.UTF_8);
        }
    }

    private static byte[] member(Path zip, String name) throws IOException {
        try (ZipFile file = new ZipFile(zip.toFile()); InputStream in = file.getInputStream(file.getEntry(name))) {
            return in.readAllBytes();
        }
    }

    /** Submits and approves a personal-dual request; returns its key delivery. */
    private static JsonNode issueDual(ApiClient api, String name, String idNumber) throws Exception {
        KeyPair token = KeyAlgorithm.SM2.generate(RANDOM);
        ObjectNode body = ApiClient.JSON.createObjectNode();
        body.put("csr", Base64.getEncoder().encodeToString(new JcaPKCS10CertificationRequestBuilder(
                new X500Principal("CN=" + name + ",O=egov-pki test,C=CN"), token.getPublic()).build(
                new JcaContentSignerBuilder("SM3WITHSM2").setProvider(BouncyCastle.PROVIDER)
                        .build(token.getPrivate())).getEncoded()));
        body.put("profile", "personal-dual");
        ObjectNode registration = body.putObject("registration");
        registration.put("realName", name);
        registration.put("idType", "RESIDENT_ID");
        registration.put("idNumber", idNumber);
        body.put("challengePhrase", "my secret phrase");
        body.put("agreementAccepted", true);
        String id = api.postJson("clerk1", "/api/v1/requests", body, 201).path("id").asText();
        JsonNode issued = api.postJson("reviewer1", "/api/v1/requests/" + id + "/approve",
                ApiClient.JSON.createObjectNode(), 200);
        assertThat(issued.path("serials")).hasSize(2);
        ObjectNode delivery = (ObjectNode) api.json("clerk1", "/api/v1/requests/" + id + "/key-delivery");
        delivery.set("serials", issued.path("serials"));
        return delivery;
    }

    /** The serial of the pair's signing certificate: the one that is not the encryption certificate's. */
    private static String signingSerial(JsonNode delivery) {
        X509Certificate encryption = Pem.parseCertificate(Base64.getDecoder().decode(delivery.path("encryptCertificate").asText()));
        List<String> serials = new ArrayList<>();
        delivery.path("serials").forEach(s -> serials.add(s.asText()));
        serials.removeIf(s -> new BigInteger(s, 16).equals(encryption.getSerialNumber()));
        assertThat(serials).hasSize(1);
        return serials.get(0);
    }

    /** GB 11643: the 18th character from the first 17 digits. */
    private static String idNumber(String first17) {
        int[] weights = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
        int sum = 0;
        for (int i = 0; i < 17; i++) {
            sum += (first17.charAt(i) - '0') * weights[i];
        }
        return first17 + "10X98765432".charAt(sum % 11);
    }

    private static X509CRL fetchCrl(ApiClient api) throws Exception {
        return Pem.parseCrl(api.bytes(null, "/crl/sm2-issuing.crl"));
    }

    private static BigInteger crlNumber(X509CRL crl) {
        return ASN1Integer.getInstance(ASN1OctetString.getInstance(crl.getExtensionValue(Extension.cRLNumber.getId()))
                .getOctets()).getValue();
    }

    private static SingleResp ocsp(ApiClient api, X509Certificate ca, BigInteger serial) throws Exception {
        CertificateID id = new CertificateID(new JcaDigestCalculatorProviderBuilder().setProvider(BouncyCastle.PROVIDER)
                .build().get(CertificateID.HASH_SHA1), new X509CertificateHolder(ca.getEncoded()), serial);
        OCSPResp response = new OCSPResp(api.post(null, "/ocsp", "application/ocsp-request",
                new OCSPReqBuilder().addRequest(id).build().getEncoded()).body());
        assertThat(response.getStatus()).isZero();
        return ((BasicOCSPResp) response.getResponseObject()).getResponses()[0];
    }

    /** A judicial recovery of the escrowed encryption key, approved by two KM roles; the key's public point. */
    private static java.security.spec.ECPoint recoverJudicially(ApiClient api) throws Exception {
        KeyPair officer = KeyAlgorithm.SM2.generate(RANDOM);
        X500Name name = new X500Name("CN=Officer Chen,O=Zhengzhou Intermediate Court,C=CN");
        Instant now = Instant.now();
        X509Certificate officerCert = new JcaX509CertificateConverter().setProvider(BouncyCastle.PROVIDER)
                .getCertificate(new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now.toEpochMilli()),
                        Date.from(now.minusSeconds(3600)), Date.from(now.plus(Duration.ofDays(30))), name,
                        officer.getPublic()).build(new JcaContentSignerBuilder("SM3WITHSM2")
                        .setProvider(BouncyCastle.PROVIDER).build(officer.getPrivate())));
        ObjectNode body = ApiClient.JSON.createObjectNode().put("kind", "JUDICIAL").put("issuer", "sm2-issuing")
                .put("serial", encryptionCertificate.getSerialNumber().toString(16))
                .put("reason", "evidence in a criminal case").put("legalDocumentRef", "(2026) Yu 01 Xing Chu 118")
                .put("officerCertificate", "-----BEGIN CERTIFICATE-----\n"
                        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(officerCert.getEncoded())
                        + "\n-----END CERTIFICATE-----\n");
        String id = api.postJson("kmop2", "/api/v1/km/recoveries", body, 201).path("id").asText();
        api.postJson("kmadmin1", "/api/v1/km/recoveries/" + id + "/approve", ApiClient.JSON.createObjectNode(), 200);
        api.postJson("kmop1", "/api/v1/km/recoveries/" + id + "/approve", ApiClient.JSON.createObjectNode(), 200);
        byte[] file = api.bytes("kmadmin1", "/api/v1/km/recoveries/" + id + "/judicial-file");
        return ((ECPublicKey) EnvelopedKeys.open(Sm2EnvelopedKey.parse(file), officer.getPrivate()).getPublic()).getW();
    }
}
