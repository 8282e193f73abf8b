package org.egovpki.server.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.egovpki.core.DomainException;
import org.egovpki.core.audit.AuditEvent;
import org.egovpki.core.audit.AuditEventType;
import org.egovpki.core.ca.CaBootstrap;
import org.egovpki.core.ca.CaDefinition;
import org.egovpki.core.ca.CaRegistry;
import org.egovpki.core.ca.CaRole;
import org.egovpki.core.ca.CertificateAuthority;
import org.egovpki.core.ca.CmsAuditExportSigner;
import org.egovpki.core.ca.EnrollmentFixture;
import org.egovpki.core.ca.InMemoryCaRepository;
import org.egovpki.core.ca.MovableClock;
import org.egovpki.core.ca.RecordingAuditLog;
import org.egovpki.core.ca.TestUrls;
import org.egovpki.core.crypto.InMemoryCaKeyStore;
import org.egovpki.core.crypto.KeyAlgorithm;
import org.egovpki.core.x509.CaCertificateFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The export bundle round trip — a period of a rotated trail signed by the issuing CA and checked
 * offline — and each kind of tampering refused with its reason: a line changed, the manifest
 * changed, the manifest signed by another CA's key, a member added.
 */
class AuditExportBundleTest {

    private static final String TRAIL = FileAuditLog.SERVER_TRAIL;
    private static final AuditRotation SMALL_FILES = new AuditRotation(3_000, false, ZoneId.of("UTC"));
    private static final Instant START = Instant.parse("2026-12-01T08:00:00Z");
    private static final String AUDITOR_DN = "uid=audit1,ou=operators,o=egov-pki,c=CN";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final AuditSeal seal = AuditSeal.of("test-seal-key-0123456789abcdef".toCharArray());
    private final MovableClock clock = new MovableClock(START);
    private Path file;
    private CaRegistry cas;
    private X509Certificate root;

    @BeforeEach
    void trail() throws IOException {
        cas = EnrollmentFixture.createCas();
        root = cas.find("sm2-root").orElseThrow().certificate();
        file = dir.resolve("audit").resolve("audit.jsonl");
        try (FileAuditLog log = new FileAuditLog(file, TRAIL, seal, clock, SMALL_FILES)) {
            for (int i = 1; i <= 40; i++) {
                clock.advance(Duration.ofMinutes(1));
                log.record(AuditEvent.success(clock.instant(), AuditEventType.CRL_ISSUED, AuditEvent.SYSTEM,
                        List.of("sm2-issuing"), Map.of("crlNumber", Integer.toString(i))));
            }
        }
    }

    private byte[] export(CaRegistry registry, Instant from, Instant to) {
        return export(CmsAuditExportSigner.of(registry, null), from, to);
    }

    private byte[] export(CmsAuditExportSigner signer, Instant from, Instant to) {
        return new FileAuditTrailReader(file, TRAIL, signer, clock)
                .export(from, to, AUDITOR_DN);
    }

    private byte[] exportMinutes(int from, int to) {
        return export(cas, START.plus(Duration.ofMinutes(from)), START.plus(Duration.ofMinutes(to)));
    }

    @Test
    void aPeriodAcrossRotatedFilesIsExportedAsOneChainSegmentThatVerifiesAgainstTheRoot() throws IOException {
        assertThat(AuditFiles.closed(file)).hasSizeGreaterThan(1);

        byte[] bundle = exportMinutes(5, 35);
        AuditExportBundle.Verification result = AuditExportBundle.verify(bundle, List.of(root));

        assertThat(result.problems()).isEmpty();
        assertThat(result.intact()).isTrue();
        assertThat(result.notes()).anySatisfy(n -> assertThat(n).contains("chained to the trusted root"));
        JsonNode manifest = result.manifest();
        assertThat(manifest.path("format").asText()).isEqualTo("egov-pki audit export v1");
        assertThat(manifest.path("exportedBy").asText()).isEqualTo(AUDITOR_DN);
        assertThat(manifest.path("signingCa").asText()).isEqualTo("sm2-issuing");
        assertThat(manifest.path("sourceFiles").size()).isGreaterThan(1);

        // The lines are the trail's own, byte for byte, from the first to the last event of the period.
        List<String> trail = new ArrayList<>();
        for (Path f : AuditFiles.all(file)) {
            trail.addAll(Files.readAllLines(f, StandardCharsets.UTF_8));
        }
        String lines = new String(members(bundle).get("audit.jsonl"), StandardCharsets.UTF_8);
        String[] exported = lines.split("\n");
        int first = trail.indexOf(exported[0]);
        assertThat(first).isPositive();
        assertThat(trail.subList(first, first + exported.length)).containsExactly(exported);
        assertThat(JSON.readTree(exported[0]).path("details").path("crlNumber").asText()).isEqualTo("5");
        assertThat(JSON.readTree(exported[exported.length - 1]).path("details").path("crlNumber").asText())
                .isEqualTo("34");
        assertThat(manifest.path("previousHash").asText()).isEqualTo(FileAuditLog.sha256(trail.get(first - 1)));
        assertThat(manifest.path("count").asLong()).isEqualTo(exported.length);
        assertThat(manifest.path("firstSequence").asLong()).isEqualTo(JSON.readTree(exported[0]).path("seq").asLong());
        assertThat(manifest.path("lastSequence").asLong())
                .isEqualTo(JSON.readTree(exported[exported.length - 1]).path("seq").asLong());
    }

    @Test
    void withoutATrustedRootTheBundleChecksUpToItsOwnRootAndNamesItsFingerprint() {
        AuditExportBundle.Verification result = AuditExportBundle.verify(exportMinutes(1, 10), List.of());

        assertThat(result.intact()).isTrue();
        assertThat(result.notes()).anySatisfy(n -> assertThat(n).startsWith("no trusted root given (--trust)")
                .contains("CN=Test Root"));
    }

    @Test
    void aChangedLineIsRefused() throws IOException {
        Map<String, byte[]> members = members(exportMinutes(1, 20));
        String lines = new String(members.get("audit.jsonl"), StandardCharsets.UTF_8);
        members.put("audit.jsonl", lines.replace("\"crlNumber\":\"7\"", "\"crlNumber\":\"8\"")
                .getBytes(StandardCharsets.UTF_8));

        AuditExportBundle.Verification result = AuditExportBundle.verify(zip(members), List.of(root));

        assertThat(result.intact()).isFalse();
        assertThat(result.problems()).anySatisfy(p -> assertThat(p).isEqualTo("audit.jsonl is not the file the "
                + "manifest names (SHA-256 or size differ): the lines were changed after the export"));
        assertThat(result.problems()).anySatisfy(p -> assertThat(p).contains("does not carry the hash of the line "
                + "before it: the line before it was changed"));
    }

    @Test
    void aChangedManifestIsRefused() throws IOException {
        Map<String, byte[]> members = members(exportMinutes(1, 20));
        String manifest = new String(members.get("manifest.json"), StandardCharsets.UTF_8);
        members.put("manifest.json", manifest.replace(AUDITOR_DN, "uid=someone,ou=operators,o=egov-pki,c=CN")
                .getBytes(StandardCharsets.UTF_8));

        AuditExportBundle.Verification result = AuditExportBundle.verify(zip(members), List.of(root));

        assertThat(result.problems()).anySatisfy(p -> assertThat(p).startsWith("the signature over the manifest does "
                + "not verify").endsWith("the manifest was changed after signing, or the signature is not over this "
                + "manifest"));
    }

    @Test
    void aManifestSignedByAnotherCasKeyIsRefusedAgainstTheTrustedRoot() throws IOException {
        CaRegistry other = EnrollmentFixture.createCas();
        Map<String, byte[]> members = members(exportMinutes(1, 20));
        members.put("manifest.p7s", CmsAuditExportSigner.of(other, null).sign(members.get("manifest.json")));

        AuditExportBundle.Verification result = AuditExportBundle.verify(zip(members), List.of(root));

        assertThat(result.problems()).singleElement().satisfies(p -> assertThat(p)
                .startsWith("the manifest is signed by CN=Test Issuing")
                .endsWith("not at the trusted root: the bundle was signed by another key"));
    }

    @Test
    void aManifestSignedByAnEndEntityKeyUnderTheTrustedRootIsRefused() throws Exception {
        // A root the verifier trusts and a subscriber's certificate under it: the subscriber has its key.
        java.security.KeyPairGenerator ec = java.security.KeyPairGenerator.getInstance("EC");
        ec.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
        java.security.KeyPair rootKey = ec.generateKeyPair();
        java.security.KeyPair leafKey = ec.generateKeyPair();
        org.bouncycastle.asn1.x500.X500Name rootName = new org.bouncycastle.asn1.x500.X500Name("CN=Trusted Root");
        java.util.Date from = java.util.Date.from(START.minus(Duration.ofDays(1)));
        java.util.Date to = java.util.Date.from(START.plus(Duration.ofDays(365)));
        org.bouncycastle.operator.ContentSigner byRoot = new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder(
                "SHA256withECDSA").build(rootKey.getPrivate());
        X509Certificate trustedRoot = new org.bouncycastle.cert.jcajce.JcaX509CertificateConverter().getCertificate(
                new org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder(rootName, java.math.BigInteger.ONE, from, to,
                        rootName, rootKey.getPublic())
                        .addExtension(org.bouncycastle.asn1.x509.Extension.basicConstraints, true,
                                new org.bouncycastle.asn1.x509.BasicConstraints(true))
                        .addExtension(org.bouncycastle.asn1.x509.Extension.keyUsage, true,
                                new org.bouncycastle.asn1.x509.KeyUsage(org.bouncycastle.asn1.x509.KeyUsage.keyCertSign
                                        | org.bouncycastle.asn1.x509.KeyUsage.cRLSign))
                        .build(byRoot));
        X509Certificate leaf = new org.bouncycastle.cert.jcajce.JcaX509CertificateConverter().getCertificate(
                new org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder(rootName, java.math.BigInteger.TWO, from, to,
                        new org.bouncycastle.asn1.x500.X500Name("CN=A Subscriber"), leafKey.getPublic())
                        .addExtension(org.bouncycastle.asn1.x509.Extension.keyUsage, true,
                                new org.bouncycastle.asn1.x509.KeyUsage(
                                        org.bouncycastle.asn1.x509.KeyUsage.digitalSignature))
                        .build(byRoot));
        Map<String, byte[]> members = members(exportMinutes(1, 20));
        org.bouncycastle.cms.CMSSignedDataGenerator cms = new org.bouncycastle.cms.CMSSignedDataGenerator();
        cms.addSignerInfoGenerator(new org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder(
                new org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder().build()).build(
                new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder("SHA256withECDSA")
                        .build(leafKey.getPrivate()), leaf));
        cms.addCertificates(new org.bouncycastle.cert.jcajce.JcaCertStore(List.of(leaf, trustedRoot)));
        members.put("manifest.p7s", cms.generate(new org.bouncycastle.cms.CMSProcessableByteArray(
                members.get("manifest.json")), false).getEncoded());

        AuditExportBundle.Verification result = AuditExportBundle.verify(zip(members), List.of(trustedRoot));

        assertThat(result.intact()).isFalse();
        assertThat(result.problems()).anySatisfy(p -> assertThat(p).startsWith("the manifest is signed by CN=A Subscriber")
                .contains("is not a CA certificate"));
    }

    @Test
    void aMemberAddedAfterSigningOrAMissingMemberIsRefused() throws IOException {
        Map<String, byte[]> members = members(exportMinutes(1, 20));
        members.put("note.txt", "nothing to see".getBytes(StandardCharsets.UTF_8));
        assertThat(AuditExportBundle.verify(zip(members), List.of(root)).problems()).containsExactly(
                "the bundle holds note.txt, which an audit export does not: added after signing");

        members.remove("note.txt");
        members.remove("manifest.p7s");
        assertThat(AuditExportBundle.verify(zip(members), List.of(root)).problems())
                .containsExactly("the bundle has no manifest.p7s");
        assertThat(AuditExportBundle.verify("not a zip".getBytes(StandardCharsets.UTF_8), List.of(root)).intact())
                .isFalse();
    }

    @Test
    void aPeriodWithoutEventsIsNotFound() {
        assertThatThrownBy(() -> export(cas, START.minus(Duration.ofDays(2)), START.minus(Duration.ofDays(1))))
                .isInstanceOfSatisfying(DomainException.class, e -> {
                    assertThat(e.kind()).isEqualTo(DomainException.Kind.NOT_FOUND);
                    assertThat(e.getMessage()).startsWith("the audit trail holds no event from");
                });
    }

    @ParameterizedTest
    @EnumSource(KeyAlgorithm.class)
    void everyCaAlgorithmSignsAVerifiableBundle(KeyAlgorithm algorithm) {
        Clock near = Clock.fixed(Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(60), ZoneOffset.UTC);
        SecureRandom random = new SecureRandom();
        String prefix = algorithm.name().toLowerCase(Locale.ROOT);
        InMemoryCaRepository repository = new InMemoryCaRepository();
        RecordingAuditLog caAudit = new RecordingAuditLog();
        CaRegistry registry = new CaBootstrap(new InMemoryCaKeyStore(random), new CaCertificateFactory(near, random),
                repository,
                repository.publisher(caAudit, near), new TestUrls(), caAudit, near, random).bootstrap(List.of(
                new CaDefinition(prefix + "-root", CaRole.ROOT, algorithm, "CN=" + prefix + " Root,O=egov-pki,C=CN",
                        Period.ofYears(30), null)));
        CertificateAuthority ca = registry.all().iterator().next();

        byte[] bundle = export(CmsAuditExportSigner.of(registry, ca.name()), START, START.plus(Duration.ofHours(1)));

        assertThat(AuditExportBundle.verify(bundle, List.of(ca.certificate())).problems()).isEmpty();
    }

    private static Map<String, byte[]> members(byte[] bundle) throws IOException {
        Map<String, byte[]> members = new LinkedHashMap<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(bundle))) {
            ZipEntry entry;
            while ((entry = zip.getNextEntry()) != null) {
                members.put(entry.getName(), zip.readAllBytes());
            }
        }
        return members;
    }

    private static byte[] zip(Map<String, byte[]> members) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> m : members.entrySet()) {
                zip.putNextEntry(new ZipEntry(m.getKey()));
                zip.write(m.getValue());
                zip.closeEntry();
            }
        }
        return out.toByteArray();
    }
}
