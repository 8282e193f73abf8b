package org.egovpki.server.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.bouncycastle.asn1.ASN1GeneralizedTime;
import org.bouncycastle.asn1.ASN1UTCTime;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.x509.Time;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.util.Selector;
import org.egovpki.core.audit.AuditExportSigner;
import org.egovpki.core.crypto.BouncyCastle;

/**
 * The archive bundle of an audit export (docs/operations.md, "Audit review and export"): a ZIP with
 * exactly three members —
 * <ul>
 *   <li>{@value #LINES}: a contiguous segment of the trail, the lines byte for byte as written;</li>
 *   <li>{@value #MANIFEST}: the period, trail, who exported it and when, the first and last
 *       sequences, the count (and counts by type), the hash of the line before the segment and of
 *       its last line, and the SHA-256 and size of {@value #LINES};</li>
 *   <li>{@value #SIGNATURE}: a detached CMS SignedData over the manifest's exact bytes by an
 *       issuing CA's key, carrying the CA certificate and its chain.</li>
 * </ul>
 * {@link #verify} checks all of it offline — signature, certificate chain (against a trusted root
 * if one is given), the member's hash, and the audit hash chain inside — and reports every problem.
 * What it cannot check: the checkpoints' seals (a MAC with the CA host's seal key, which an
 * auditor does not hold); the signed chain makes them unnecessary for the exported segment.
 */
public final class AuditExportBundle {

    public static final String FORMAT = "egov-pki audit export v1";
    static final String MANIFEST = "manifest.json";
    static final String SIGNATURE = "manifest.p7s";
    static final String LINES = "audit.jsonl";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private AuditExportBundle() {
    }

    /** What a bundle holds besides its signature. */
    public record Contents(String trail, Instant from, Instant to, Instant exportedAt, String exportedBy,
                           String signingCa, long firstSequence, long lastSequence, long count,
                           Map<String, Long> countsByType, String previousHash, String lastHash,
                           Map<String, Long> sources, byte[] lines) {
        public Contents {
            lines = lines.clone();
            countsByType = Map.copyOf(countsByType);
            sources = new LinkedHashMap<>(sources);
        }
    }

    /** The bundle's bytes: manifest, signature over it, lines. */
    public static byte[] build(Contents c, AuditExportSigner signer) {
        ObjectNode manifest = JSON.createObjectNode();
        manifest.put("format", FORMAT);
        manifest.put("trail", c.trail());
        manifest.put("from", c.from().toString());
        manifest.put("to", c.to().toString());
        manifest.put("exportedAt", c.exportedAt().toString());
        manifest.put("exportedBy", c.exportedBy());
        manifest.put("signingCa", c.signingCa());
        manifest.put("firstSequence", c.firstSequence());
        manifest.put("lastSequence", c.lastSequence());
        manifest.put("count", c.count());
        ObjectNode counts = manifest.putObject("countsByType");
        new TreeMap<>(c.countsByType()).forEach(counts::put);
        manifest.put("hashAlgorithm", "SHA-256");
        manifest.put("previousHash", c.previousHash());
        manifest.put("lastHash", c.lastHash());
        ObjectNode member = manifest.putObject("members").putObject(LINES);
        member.put("sha256", hex(FileAuditTrailReader.sha256(c.lines())));
        member.put("size", c.lines().length);
        ObjectNode sources = manifest.putObject("sourceFiles");
        c.sources().forEach(sources::put);
        try {
            byte[] manifestBytes = JSON.writeValueAsBytes(manifest);
            byte[] signature = signer.sign(manifestBytes);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (ZipOutputStream zip = new ZipOutputStream(out)) {
                put(zip, MANIFEST, manifestBytes, c.exportedAt());
                put(zip, SIGNATURE, signature, c.exportedAt());
                put(zip, LINES, c.lines(), c.exportedAt());
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("cannot write an audit export bundle in memory: " + e.getMessage(), e);
        }
    }

    private static void put(ZipOutputStream zip, String name, byte[] bytes, Instant time) throws IOException {
        ZipEntry entry = new ZipEntry(name);
        entry.setTime(time.toEpochMilli());
        zip.putNextEntry(entry);
        zip.write(bytes);
        zip.closeEntry();
    }

    /** The outcome of {@link #verify}: intact only without problems. */
    public record Verification(List<String> problems, List<String> notes, JsonNode manifest) {
        public Verification {
            problems = List.copyOf(problems);
            notes = List.copyOf(notes);
        }

        public boolean intact() {
            return problems.isEmpty();
        }
    }

    /**
     * Checks a bundle offline.
     *
     * @param trusted the roots the signing CA's chain must end at; empty: the chain is checked up
     *                to the root the bundle carries, and a note names that root's fingerprint to
     *                compare with the published one
     */
    public static Verification verify(byte[] bundle, Collection<X509Certificate> trusted) {
        List<String> problems = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        Map<String, byte[]> members = new LinkedHashMap<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(bundle))) {
            ZipEntry entry;
            while ((entry = zip.getNextEntry()) != null) {
                if (members.put(entry.getName(), zip.readAllBytes()) != null) {
                    problems.add("the bundle holds " + entry.getName() + " twice");
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            problems.add("not a readable ZIP archive: " + e.getMessage());
        }
        for (String name : members.keySet()) {
            if (!List.of(MANIFEST, SIGNATURE, LINES).contains(name)) {
                problems.add("the bundle holds " + name + ", which an audit export does not: added after signing");
            }
        }
        for (String name : List.of(MANIFEST, SIGNATURE, LINES)) {
            if (!members.containsKey(name)) {
                problems.add("the bundle has no " + name);
            }
        }
        if (!problems.isEmpty()) {
            return new Verification(problems, notes, null);
        }
        byte[] manifestBytes = members.get(MANIFEST);
        JsonNode manifest;
        try {
            manifest = JSON.readTree(manifestBytes);
        } catch (IOException e) {
            manifest = null;
        }
        if (manifest == null || !FORMAT.equals(manifest.path("format").asText())) {
            problems.add(MANIFEST + " is not a manifest of the format '" + FORMAT + "'");
            return new Verification(problems, notes, null);
        }
        Instant signedAt = signature(manifestBytes, members.get(SIGNATURE), manifest, trusted, problems, notes);
        if (signedAt != null) {
            notes.add("signed at " + signedAt);
        }
        byte[] lines = members.get(LINES);
        JsonNode member = manifest.path("members").path(LINES);
        if (!hex(FileAuditTrailReader.sha256(lines)).equals(member.path("sha256").asText())
                || lines.length != member.path("size").asLong(-1)) {
            problems.add(LINES + " is not the file the manifest names (SHA-256 or size differ): the lines were "
                    + "changed after the export");
        }
        chain(lines, manifest, problems);
        return new Verification(problems, notes, manifest);
    }

    /** Checks the CMS and the signer's chain; answers the signing time, or null if unreadable. */
    private static Instant signature(byte[] manifestBytes, byte[] p7s, JsonNode manifest,
                                     Collection<X509Certificate> trusted, List<String> problems, List<String> notes) {
        CMSSignedData cms;
        try {
            cms = new CMSSignedData(new CMSProcessableByteArray(manifestBytes), p7s);
        } catch (Exception e) {
            problems.add(SIGNATURE + " is not a DER CMS SignedData: " + e.getMessage());
            return null;
        }
        Collection<SignerInformation> signers = cms.getSignerInfos().getSigners();
        if (signers.size() != 1) {
            problems.add(SIGNATURE + " has " + signers.size() + " signers; an audit export has exactly one");
            return null;
        }
        SignerInformation signer = signers.iterator().next();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter().setProvider(BouncyCastle.PROVIDER);
        List<X509Certificate> carried = new ArrayList<>();
        X509Certificate signerCert = null;
        try {
            @SuppressWarnings("unchecked")
            Selector<X509CertificateHolder> sid = (Selector<X509CertificateHolder>) (Selector<?>) signer.getSID();
            for (X509CertificateHolder holder : cms.getCertificates().getMatches(null)) {
                X509Certificate certificate = converter.getCertificate(holder);
                carried.add(certificate);
                if (signerCert == null && sid.match(holder)) {
                    signerCert = certificate;
                }
            }
        } catch (Exception e) {
            problems.add("a certificate in " + SIGNATURE + " cannot be read: " + e.getMessage());
            return null;
        }
        if (signerCert == null) {
            problems.add(SIGNATURE + " does not carry the signer's certificate");
            return null;
        }
        try {
            if (!signer.verify(new JcaSimpleSignerInfoVerifierBuilder().setProvider(BouncyCastle.PROVIDER)
                    .build(signerCert))) {
                problems.add(signatureBroken(""));
            }
        } catch (Exception e) {
            problems.add(signatureBroken(" (" + e.getMessage() + ")"));
        }
        Instant signedAt = signingTime(signer);
        if (signedAt == null) {
            try {
                signedAt = Instant.parse(manifest.path("exportedAt").asText());
            } catch (DateTimeParseException e) {
                problems.add("the manifest's exportedAt is not a time and the signature has no signing time");
                return null;
            }
        }
        certificateChain(signerCert, carried, signedAt, trusted, problems, notes);
        return signedAt;
    }

    private static String signatureBroken(String detail) {
        return "the signature over the manifest does not verify" + detail + ": the manifest was changed after "
                + "signing, or the signature is not over this manifest";
    }

    private static Instant signingTime(SignerInformation signer) {
        if (signer.getSignedAttributes() == null) {
            return null;
        }
        Attribute attribute = signer.getSignedAttributes().get(CMSAttributes.signingTime);
        if (attribute == null || attribute.getAttrValues().size() != 1) {
            return null;
        }
        try {
            Object value = attribute.getAttrValues().getObjectAt(0);
            if (value instanceof ASN1UTCTime || value instanceof ASN1GeneralizedTime) {
                return Time.getInstance(value).getDate().toInstant();
            }
        } catch (RuntimeException e) {
            // no usable signing time
        }
        return null;
    }

    /** From the signer up to a self-signed root among the carried certificates, each signed by the next. */
    private static void certificateChain(X509Certificate signer, List<X509Certificate> carried, Instant at,
                                         Collection<X509Certificate> trusted, List<String> problems,
                                         List<String> notes) {
        List<X509Certificate> chain = new ArrayList<>();
        X509Certificate current = signer;
        while (current != null && chain.size() < 10) {
            chain.add(current);
            try {
                current.checkValidity(Date.from(at));
            } catch (Exception e) {
                problems.add("the certificate " + current.getSubjectX500Principal().getName() + " was not valid when "
                        + "the manifest was signed (" + at + ")");
            }
            if (current == signer && (current.getBasicConstraints() < 0 || current.getKeyUsage() == null
                    || !current.getKeyUsage()[5])) {
                // Only a CA signs an export (CmsAuditExportSigner): a subscriber's or a device's key under the same
                // root must not be able to sign a bundle that verifies.
                problems.add("the manifest is signed by " + current.getSubjectX500Principal().getName() + ", which "
                        + "is not a CA certificate (no cA basic constraint or keyCertSign): an audit export is signed "
                        + "by a CA key");
            }
            if (current != signer && current.getBasicConstraints() < 0) {
                problems.add("the certificate " + current.getSubjectX500Principal().getName() + " in the chain is not "
                        + "a CA certificate");
            }
            if (current.getSubjectX500Principal().equals(current.getIssuerX500Principal())) {
                if (!signedBy(current, current)) {
                    problems.add("the root " + current.getSubjectX500Principal().getName() + " is not self-signed");
                }
                break;
            }
            X509Certificate issuer = null;
            for (X509Certificate candidate : carried) {
                if (candidate.getSubjectX500Principal().equals(current.getIssuerX500Principal())
                        && signedBy(current, candidate)) {
                    issuer = candidate;
                    break;
                }
            }
            if (issuer == null) {
                problems.add("the bundle does not carry the issuer of " + current.getSubjectX500Principal().getName()
                        + ": the chain to the root cannot be checked");
                return;
            }
            current = issuer;
        }
        X509Certificate root = chain.get(chain.size() - 1);
        String fingerprint = fingerprint(root);
        if (trusted.isEmpty()) {
            notes.add("no trusted root given (--trust): the chain ends at the root the bundle carries, "
                    + root.getSubjectX500Principal().getName() + ", SHA-256 " + fingerprint + "; compare it with the "
                    + "CA's published root before relying on the bundle");
        } else if (trusted.stream().noneMatch(t -> t.equals(root))) {
            problems.add("the manifest is signed by " + signer.getSubjectX500Principal().getName() + ", whose chain "
                    + "ends at " + root.getSubjectX500Principal().getName() + " (SHA-256 " + fingerprint + "), not at "
                    + "the trusted root: the bundle was signed by another key");
        } else {
            notes.add("signed by " + signer.getSubjectX500Principal().getName() + ", chained to the trusted root "
                    + root.getSubjectX500Principal().getName());
        }
    }

    private static boolean signedBy(X509Certificate certificate, X509Certificate issuer) {
        try {
            certificate.verify(issuer.getPublicKey(), BouncyCastle.PROVIDER);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private static String fingerprint(X509Certificate certificate) {
        try {
            return hex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (Exception e) {
            return "(unreadable)";
        }
    }

    /** The audit hash chain inside: consecutive sequences, each line carrying the hash of the one before. */
    private static void chain(byte[] lines, JsonNode manifest, List<String> problems) {
        ObjectMapper plain = new ObjectMapper();
        String previous = manifest.path("previousHash").asText();
        long expected = manifest.path("firstSequence").asLong(-1);
        long count = 0;
        long last = 0;
        int start = 0;
        int firstProblems = problems.size();
        for (int i = 0; i < lines.length; i++) {
            if (lines[i] != '\n') {
                continue;
            }
            String text = new String(lines, start, i - start, StandardCharsets.UTF_8);
            start = i + 1;
            count++;
            JsonNode record;
            try {
                record = plain.readTree(text);
            } catch (IOException e) {
                record = null;
            }
            if (record == null || !record.path("seq").isIntegralNumber()) {
                problems.add("line " + count + " of " + LINES + " is not an audit record (edited or inserted)");
            } else {
                long sequence = record.path("seq").asLong();
                if (sequence != expected) {
                    problems.add("line " + count + " of " + LINES + " has sequence " + sequence + ", expected "
                            + expected + ": lines were removed, inserted or reordered");
                } else if (!record.path("prev").asText().equals(previous)) {
                    problems.add("line " + count + " of " + LINES + " (sequence " + sequence + ") does not carry the "
                            + "hash of the line before it: " + (count == 1 ? "the segment does not continue the "
                            + "trail at the manifest's previousHash" : "the line before it was changed"));
                }
                last = sequence;
                expected = sequence + 1;
            }
            previous = FileAuditLog.sha256(text);
            if (problems.size() - firstProblems > 20) {
                problems.add("more problems in " + LINES + " not listed");
                return;
            }
        }
        if (start < lines.length) {
            problems.add(LINES + " ends in an incomplete line: it was cut or appended to");
        }
        if (count != manifest.path("count").asLong(-1)) {
            problems.add(LINES + " holds " + count + " line(s), the manifest says " + manifest.path("count").asLong());
        }
        if (last != manifest.path("lastSequence").asLong(-1) || !previous.equals(manifest.path("lastHash").asText())) {
            problems.add("the last line of " + LINES + " is not the one the manifest names (sequence "
                    + manifest.path("lastSequence").asLong() + "): lines were changed, removed or appended");
        }
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
