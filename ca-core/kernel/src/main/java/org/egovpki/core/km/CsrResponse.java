package org.egovpki.core.km;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1Set;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.BERTags;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.math.ec.ECPoint;

/**
 * The GM/T 0092-2020 §8 certificate response: the signing certificate(s), and, when the KM
 * generated an encryption key pair, the enveloped key and the encryption certificate(s), in one
 * answer to one CSR.
 * <pre>
 * CSRResponse ::= SEQUENCE {
 *   signCertificate     CertificateSet,                 -- SET OF Certificate
 *   encryptedPrivateKey [0] SM2EnvelopedKey OPTIONAL,
 *   encryptCertificate  [1] CertificateSet  OPTIONAL }
 * </pre>
 *
 * <h2>Tagging</h2>
 * The ASN.1 above does not say EXPLICIT or IMPLICIT, and the standard's module header was not
 * available to us. We encode as the one widely used public implementation does, the Go library
 * emmansun/gmsm ({@code smx509/csr_rsp.go}, {@code MarshalCSRResponse}; go-cryptobin copies it):
 * <ul>
 *   <li>{@code encryptedPrivateKey}: {@code [0]} constructed <em>around the whole</em>
 *       SM2EnvelopedKey SEQUENCE, i.e. EXPLICIT ({@code A0 len 30 len ...});</li>
 *   <li>{@code encryptCertificate}: {@code [1]} <em>replacing</em> the SET tag, i.e. IMPLICIT
 *       ({@code A1 len 30 ... 30 ...}), like CMS {@code certificates [0] IMPLICIT CertificateSet};</li>
 *   <li>{@code signCertificate}: a universal SET OF.</li>
 * </ul>
 * The parser also accepts the other reading of each tag (IMPLICIT {@code [0]}, EXPLICIT
 * {@code [1]}): the two are unambiguous (an SM2EnvelopedKey has four fields, the explicit form
 * one; a Certificate is a SEQUENCE, never a SET), and a token vendor may have read the standard
 * the other way. If a deployed consumer turns out to need a different choice, only
 * {@link #toAsn1()} changes.
 *
 * <h2>Certificate order</h2>
 * A SET has no order and DER sorts its elements by encoding, so the position of a certificate in
 * the encoding cannot say "this is the leaf". The lists here are therefore kept in DER order
 * (sorted on construction): a value, its encoding and its parsed copy are all equal. Find the
 * leaf by its key ({@link #encryptionCertificate()}) or by building the chain, never by index.
 *
 * <p>Invariants: at least one sign certificate; every certificate is a DER X.509 Certificate;
 * an absent {@code encryptCertificate} is an empty list; if the enveloped key is present, one of
 * the encryption certificates certifies its public key (a key pair without its certificate is a
 * KM/CA bug, refused before it reaches a token). Arrays are copied in and out.
 *
 * @param signCertificates    the signing certificate and, optionally, its chain (DER each)
 * @param encryptedPrivateKey the KM-generated encryption key pair sealed to the signing key, or null
 * @param encryptCertificates the encryption certificate and optionally its chain; empty if absent
 */
public record CsrResponse(List<byte[]> signCertificates, Sm2EnvelopedKey encryptedPrivateKey,
                          List<byte[]> encryptCertificates) {

    private static final String STRUCTURE = "CSRResponse";
    private static final int ENCRYPTED_PRIVATE_KEY_TAG = 0;
    private static final int ENCRYPT_CERTIFICATE_TAG = 1;

    public CsrResponse {
        signCertificates = derOrder(Objects.requireNonNull(signCertificates, "signCertificates"), "signCertificate");
        if (signCertificates.isEmpty()) {
            throw new IllegalArgumentException("CSRResponse needs at least one signCertificate");
        }
        encryptCertificates = encryptCertificates == null ? List.of()
                : derOrder(encryptCertificates, "encryptCertificate");
        if (encryptedPrivateKey != null && certifying(encryptedPrivateKey, encryptCertificates).isEmpty()) {
            throw new IllegalArgumentException("CSRResponse encryptedPrivateKey is present but none of the "
                    + encryptCertificates.size() + " encryptCertificates certifies its public key");
        }
    }

    /** A response with only signing certificates (the subscriber generated its own keys). */
    public static CsrResponse signOnly(List<byte[]> signCertificates) {
        return new CsrResponse(signCertificates, null, List.of());
    }

    /** Copies of the signing certificates, in DER SET order. */
    @Override
    public List<byte[]> signCertificates() {
        return copies(signCertificates);
    }

    /** Copies of the encryption certificates, in DER SET order; empty when absent. */
    @Override
    public List<byte[]> encryptCertificates() {
        return copies(encryptCertificates);
    }

    /** The enveloped key, if the response carries one. */
    public Optional<Sm2EnvelopedKey> envelope() {
        return Optional.ofNullable(encryptedPrivateKey);
    }

    /**
     * The encryption certificate whose public key is the enveloped key's, or empty when the
     * response carries no enveloped key.
     */
    public Optional<byte[]> encryptionCertificate() {
        return encryptedPrivateKey == null ? Optional.empty()
                : certifying(encryptedPrivateKey, encryptCertificates).map(byte[]::clone);
    }

    /** The CSRResponse SEQUENCE (tagging as described in the class comment). */
    public ASN1Primitive toAsn1() {
        ASN1EncodableVector fields = new ASN1EncodableVector(3);
        fields.add(certificateSet(signCertificates));
        if (encryptedPrivateKey != null) {
            fields.add(new DERTaggedObject(true, ENCRYPTED_PRIVATE_KEY_TAG, encryptedPrivateKey.toAsn1()));
        }
        if (!encryptCertificates.isEmpty()) {
            fields.add(new DERTaggedObject(false, ENCRYPT_CERTIFICATE_TAG, certificateSet(encryptCertificates)));
        }
        return new DERSequence(fields);
    }

    /** The DER encoding of {@link #toAsn1()}. */
    public byte[] encoded() {
        return Asn1.der(toAsn1());
    }

    /**
     * Parses a DER CSRResponse; the whole input must be the one SEQUENCE.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static CsrResponse parse(byte[] der) {
        return fromAsn1(Asn1.parse(der, STRUCTURE));
    }

    /**
     * Reads a CSRResponse SEQUENCE, accepting either tagging of each optional field (see the
     * class comment).
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static CsrResponse fromAsn1(ASN1Encodable asn1) {
        Objects.requireNonNull(asn1, STRUCTURE);
        if (!(asn1.toASN1Primitive() instanceof ASN1Sequence sequence)) {
            throw new IllegalArgumentException("CSRResponse must be a SEQUENCE; got " + Asn1.kind(asn1));
        }
        if (sequence.size() < 1 || sequence.size() > 3) {
            throw new IllegalArgumentException("CSRResponse must have 1 to 3 fields; got " + sequence.size());
        }
        if (!(sequence.getObjectAt(0).toASN1Primitive() instanceof ASN1Set signSet)) {
            throw new IllegalArgumentException("CSRResponse signCertificate must be a SET OF Certificate; got "
                    + Asn1.kind(sequence.getObjectAt(0)));
        }
        List<byte[]> sign = certificates(signSet, "signCertificate");
        Sm2EnvelopedKey envelope = null;
        List<byte[]> encrypt = List.of();
        int lastTag = -1;
        for (int i = 1; i < sequence.size(); i++) {
            ASN1TaggedObject tagged = contextTagged(sequence.getObjectAt(i));
            int tag = tagged.getTagNo();
            if (tag <= lastTag) {
                throw new IllegalArgumentException("CSRResponse field [" + tag + "] is repeated or out of order");
            }
            lastTag = tag;
            if (tag == ENCRYPTED_PRIVATE_KEY_TAG) {
                envelope = Sm2EnvelopedKey.fromAsn1(envelopeContent(tagged));
            } else if (tag == ENCRYPT_CERTIFICATE_TAG) {
                encrypt = certificates(certificateSetContent(tagged), "encryptCertificate");
            } else {
                throw new IllegalArgumentException("CSRResponse has an unknown field [" + tag
                        + "]; only [0] encryptedPrivateKey and [1] encryptCertificate are defined");
            }
        }
        return new CsrResponse(sign, envelope, encrypt);
    }

    private static ASN1TaggedObject contextTagged(ASN1Encodable field) {
        if (!(field.toASN1Primitive() instanceof ASN1TaggedObject tagged)
                || tagged.getTagClass() != BERTags.CONTEXT_SPECIFIC) {
            throw new IllegalArgumentException("CSRResponse optional fields must be context-tagged [0] or [1]; got "
                    + Asn1.kind(field));
        }
        // Re-read from DER so an object built in memory (DECLARED_EXPLICIT/IMPLICIT) behaves like a
        // parsed one, whose content can be viewed either way (see envelopeContent).
        return (ASN1TaggedObject) Asn1.parse(Asn1.der(tagged), "CSRResponse [" + tagged.getTagNo() + "]");
    }

    /** [0]: EXPLICIT wraps one SM2EnvelopedKey SEQUENCE; IMPLICIT holds its four fields directly. */
    private static ASN1Sequence envelopeContent(ASN1TaggedObject tagged) {
        ASN1Sequence content = implicitContent(tagged, "encryptedPrivateKey [0]");
        if (content.size() == 1 && content.getObjectAt(0).toASN1Primitive() instanceof ASN1Sequence inner) {
            return inner;
        }
        return content;
    }

    /** [1]: IMPLICIT holds the certificates directly; EXPLICIT wraps one SET. */
    private static ASN1Set certificateSetContent(ASN1TaggedObject tagged) {
        ASN1Sequence content = implicitContent(tagged, "encryptCertificate [1]");
        if (content.size() == 1 && content.getObjectAt(0).toASN1Primitive() instanceof ASN1Set inner) {
            return inner;
        }
        return new DERSet(content.toArray());
    }

    private static ASN1Sequence implicitContent(ASN1TaggedObject tagged, String field) {
        try {
            return ASN1Sequence.getInstance(tagged, false);
        } catch (IllegalArgumentException | IllegalStateException e) {
            // Bouncy Castle refuses a primitive encoding here ("unexpected implicit primitive encoding").
            throw new IllegalArgumentException("CSRResponse " + field + " must be a constructed encoding: "
                    + e.getMessage(), e);
        }
    }

    private static List<byte[]> certificates(ASN1Set set, String field) {
        List<byte[]> certificates = new ArrayList<>(set.size());
        for (int i = 0; i < set.size(); i++) {
            ASN1Encodable element = set.getObjectAt(i);
            if (!(element.toASN1Primitive() instanceof ASN1Sequence)) {
                throw new IllegalArgumentException("CSRResponse " + field + " element " + i
                        + " must be a Certificate SEQUENCE; got " + Asn1.kind(element));
            }
            certificates.add(Asn1.der(element.toASN1Primitive()));
        }
        return certificates;
    }

    private static DERSet certificateSet(List<byte[]> certificates) {
        ASN1Encodable[] elements = new ASN1Encodable[certificates.size()];
        for (int i = 0; i < elements.length; i++) {
            elements[i] = Certificate.getInstance(certificates.get(i));
        }
        return new DERSet(elements);
    }

    /**
     * Validates each certificate and returns copies in DER SET order (Bouncy Castle's DERSet
     * sorts exactly as X.690 §11.6 requires, so we let it decide the order).
     */
    private static List<byte[]> derOrder(List<byte[]> certificates, String field) {
        ASN1Encodable[] elements = new ASN1Encodable[certificates.size()];
        for (int i = 0; i < elements.length; i++) {
            byte[] der = Objects.requireNonNull(certificates.get(i), field + " " + i);
            ASN1Primitive parsed = Asn1.parse(der, "CSRResponse " + field + " " + i);
            try {
                elements[i] = Certificate.getInstance(parsed);
            } catch (IllegalArgumentException | IllegalStateException e) {
                throw new IllegalArgumentException("CSRResponse " + field + " " + i + " is not an X.509 Certificate: "
                        + e.getMessage(), e);
            }
            if (!Arrays.equals(Asn1.der(parsed), der)) {
                throw new IllegalArgumentException("CSRResponse " + field + " " + i
                        + " is not DER-encoded; its signature would not survive re-encoding");
            }
        }
        DERSet sorted = new DERSet(elements);
        List<byte[]> ordered = new ArrayList<>(sorted.size());
        for (ASN1Encodable element : sorted) {
            ordered.add(Asn1.der(element.toASN1Primitive()));
        }
        return List.copyOf(ordered);
    }

    private static Optional<byte[]> certifying(Sm2EnvelopedKey envelope, List<byte[]> certificates) {
        ECPoint enveloped = Sm2Curve.point(envelope.publicKey(), "SM2EnvelopedKey Sm2PublicKey");
        for (byte[] certificate : certificates) {
            SubjectPublicKeyInfo key = Certificate.getInstance(certificate).getSubjectPublicKeyInfo();
            try {
                if (Sm2Curve.publicPoint(key, "certificate key").equals(enveloped)) {
                    return Optional.of(certificate);
                }
            } catch (IllegalArgumentException notSm2) {
                // A chain may hold RSA or P-256 CA certificates; they certify nothing here.
            }
        }
        return Optional.empty();
    }

    private static List<byte[]> copies(List<byte[]> certificates) {
        List<byte[]> copies = new ArrayList<>(certificates.size());
        for (byte[] certificate : certificates) {
            copies.add(certificate.clone());
        }
        return List.copyOf(copies);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CsrResponse other && sameBytes(signCertificates, other.signCertificates)
                && Objects.equals(encryptedPrivateKey, other.encryptedPrivateKey)
                && sameBytes(encryptCertificates, other.encryptCertificates);
    }

    private static boolean sameBytes(List<byte[]> a, List<byte[]> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!Arrays.equals(a.get(i), b.get(i))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int hash = Objects.hashCode(encryptedPrivateKey);
        for (byte[] certificate : signCertificates) {
            hash = 31 * hash + Arrays.hashCode(certificate);
        }
        for (byte[] certificate : encryptCertificates) {
            hash = 31 * hash + Arrays.hashCode(certificate);
        }
        return hash;
    }

    @Override
    public String toString() {
        return "CsrResponse[" + signCertificates.size() + " sign certificates, "
                + (encryptedPrivateKey == null ? "no enveloped key" : "enveloped key") + ", "
                + encryptCertificates.size() + " encrypt certificates]";
    }
}
