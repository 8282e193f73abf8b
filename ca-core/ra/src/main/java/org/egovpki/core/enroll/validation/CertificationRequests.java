package org.egovpki.core.enroll.validation;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Null;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1Set;
import org.bouncycastle.asn1.gm.GMNamedCurves;
import org.bouncycastle.asn1.gm.GMObjectIdentifiers;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.Attribute;
import org.bouncycastle.asn1.pkcs.CertificationRequest;
import org.bouncycastle.asn1.pkcs.CertificationRequestInfo;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSASSAPSSparams;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.operator.ContentVerifierProvider;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.egovpki.core.DomainException;
import org.egovpki.core.crypto.BouncyCastle;
import org.egovpki.core.crypto.KeyAlgorithm;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a subscriber's PKCS#10 certification request and checks proof of possession
 * (REQUIREMENTS §4): the request's signature must verify under the public key it carries.
 *
 * <p>Accepted input: DER, or one PEM block labelled {@code CERTIFICATE REQUEST} or
 * {@code NEW CERTIFICATE REQUEST} (nothing but blanks around it), at most
 * {@value #MAX_INPUT_BYTES} bytes. The DER must be exactly one request in distinguished encoding:
 * trailing bytes and BER are refused, because Bouncy Castle verifies the signature over the DER
 * re-encoding and a BER request would otherwise fail with a misleading message.
 *
 * <p>Accepted signature algorithms, each only with its own kind of key: SM3withSM2
 * (1.2.156.10197.1.501, parameters absent or NULL) for SM2 keys; SHA-256/384/512 with RSA
 * (PKCS#1 v1.5) and RSASSA-PSS with SHA-256/384/512 for RSA keys; ECDSA with SHA-256/384 for
 * P-256/P-384 keys. SHA-1 and MD5 are refused. The key itself is checked by the {@link KeyPolicy}.
 *
 * <p><b>The SM2 user ID interop trap.</b> An SM2 signature covers Z = SM3(ENTL‖ID‖curve‖key),
 * so signer and verifier must use the same user ID. This class verifies with the GM/T 0009
 * default ID {@code 1234567812345678} (Bouncy Castle's default, what USB keys use). OpenSSL 3.0
 * signs with an <em>empty</em> ID unless told otherwise, so an OpenSSL-made SM2 request verifies
 * only if it was made with {@code openssl req ... -sm3 -sigopt distid:1234567812345678};
 * without that option its signature is perfectly valid for the empty ID and still fails here
 * with "proof of possession failed". The fix is on the client side (add the option), never
 * here: accepting other IDs would let a request prove possession under an ID nobody will
 * verify certificates with.
 *
 * <p>Bouncy Castle's SM2 verifier returns {@code false} (it does not throw) for signatures whose
 * r or s is out of range or not DER-encoded, which some tokens produce (GM-CRYPTO.md). Such
 * failures are still refused, but logged at WARN with their cause so operators can tell a token
 * encoding bug from a forged request.
 *
 * <p>A request is parsed more than once on its way to a certificate: at submission, and again
 * when the CA checks the approved request it read back (the same bytes, in the same process, often
 * in the same call). Verifying the signature is the costly part — an SM2 verification is a
 * variable-base scalar multiplication; the second one was a seventh of the request thread's CPU
 * per issuance — and its answer depends on nothing but the bytes. So the DER of the last
 * {@value #REMEMBERED_PROOFS} requests that verified is kept, and an identical request is not
 * verified again; every other check runs on every parse. A request that failed is never
 * remembered.
 */
public final class CertificationRequests {

    /** Largest accepted input, PEM or DER. A typical SM2 request is about 300 bytes. */
    public static final int MAX_INPUT_BYTES = 64 * 1024;
    /** Most attributes a request may carry. */
    static final int MAX_ATTRIBUTES = 8;
    /** Most extensions a request may ask for (the CA sets its own from the profile). */
    static final int MAX_REQUESTED_EXTENSIONS = 16;
    /** Most subjectAltName entries a request may carry: a device's host names plus its IP addresses. */
    static final int MAX_REQUESTED_SANS = 64;
    /** The input field named in every refusal. */
    public static final String FIELD = "csr";
    /** The message of every proof-of-possession failure. */
    public static final String POP_FAILED =
            "proof of possession failed: the request's signature does not verify under its own public key";

    private static final Logger LOG = LoggerFactory.getLogger(CertificationRequests.class);

    private static final Set<String> PEM_LABELS = Set.of("CERTIFICATE REQUEST", "NEW CERTIFICATE REQUEST");
    private static final BigInteger SM2_ORDER = GMNamedCurves.getByOID(GMObjectIdentifiers.sm2p256v1).getN();

    /** Accepted signature algorithms and the key algorithm each requires. */
    private static final Map<ASN1ObjectIdentifier, KeyAlgorithm> SIGNATURES = Map.of(
            GMObjectIdentifiers.sm2sign_with_sm3, KeyAlgorithm.SM2,
            PKCSObjectIdentifiers.sha256WithRSAEncryption, KeyAlgorithm.RSA,
            PKCSObjectIdentifiers.sha384WithRSAEncryption, KeyAlgorithm.RSA,
            PKCSObjectIdentifiers.sha512WithRSAEncryption, KeyAlgorithm.RSA,
            PKCSObjectIdentifiers.id_RSASSA_PSS, KeyAlgorithm.RSA,
            X9ObjectIdentifiers.ecdsa_with_SHA256, KeyAlgorithm.EC,
            X9ObjectIdentifiers.ecdsa_with_SHA384, KeyAlgorithm.EC);
    private static final Set<ASN1ObjectIdentifier> PSS_HASHES =
            Set.of(NISTObjectIdentifiers.id_sha256, NISTObjectIdentifiers.id_sha384, NISTObjectIdentifiers.id_sha512);
    private static final String ACCEPTED_SIGNATURES = "SM3withSM2 for SM2 keys; SHA256/384/512withRSA or RSASSA-PSS"
            + " for RSA keys; SHA256/384withECDSA for P-256/P-384 keys";

    /** How many verified requests are remembered; the one least recently verified or parsed goes first. */
    static final int REMEMBERED_PROOFS = 512;
    /** Larger requests are verified every time: the remembered bytes stay within 2 MiB. */
    static final int REMEMBERED_MAX_BYTES = 4096;

    private final KeyPolicy keyPolicy;
    private final VerifiedRequests verified = new VerifiedRequests();
    private final AtomicLong verifications = new AtomicLong();

    public CertificationRequests(KeyPolicy keyPolicy) {
        this.keyPolicy = Objects.requireNonNull(keyPolicy, "keyPolicy");
    }

    /**
     * Parses and checks a certification request.
     *
     * @param input DER bytes or one PEM block, at most {@value #MAX_INPUT_BYTES} bytes
     * @throws DomainException BAD_REQUEST on field {@value #FIELD} if the input is not exactly one
     *     well-formed request, its key or signature algorithm is not accepted, or its signature
     *     does not verify ({@value #POP_FAILED})
     */
    public ParsedCsr parse(byte[] input) {
        if (input == null || input.length == 0) {
            throw refuse("no certification request was given; send a PKCS#10 request in DER or PEM");
        }
        if (input.length > MAX_INPUT_BYTES) {
            throw refuse("the certification request is " + input.length + " bytes, more than the " + MAX_INPUT_BYTES
                    + " accepted; send a single PKCS#10 request");
        }
        if (!looksLikePem(input) && startsWithText(input)) {
            throw refuse("the input is text but does not start with a \"-----BEGIN CERTIFICATE REQUEST-----\" line;"
                    + " send DER or exactly one PEM block with nothing before it");
        }
        // A copy: what is verified, remembered and returned must be the bytes checked, whatever the
        // caller does with its array meanwhile.
        byte[] der = looksLikePem(input) ? pemToDer(input) : input.clone();
        CertificationRequest request = decode(der);
        CertificationRequestInfo info = request.getCertificationRequestInfo();
        if (!info.getVersion().hasValue(0)) {
            throw refuse("the certification request has version " + info.getVersion().getValue()
                    + "; PKCS#10 requests are version 1 (encoded 0)");
        }
        KeyAlgorithm algorithm = keyPolicy.check(info.getSubjectPublicKeyInfo());
        AlgorithmIdentifier signatureAlgorithm = request.getSignatureAlgorithm();
        requireAcceptedSignatureAlgorithm(signatureAlgorithm, algorithm);
        if (!verified.contains(der)) {
            verifications.incrementAndGet();
            verifyProofOfPossession(request, algorithm);
            verified.add(der);
        }
        List<GeneralName> sans = requestedSans(info);
        return new ParsedCsr(der, info.getSubject(), info.getSubjectPublicKeyInfo(), algorithm,
                signatureAlgorithm.getAlgorithm().getId(), sans);
    }

    private static boolean looksLikePem(byte[] input) {
        int i = 0;
        while (i < input.length && isBlank(input[i])) {
            i++;
        }
        return i < input.length && input[i] == '-';
    }

    /** Printable ASCII that contains a PEM BEGIN line somewhere: PEM with text in front of it. */
    private static boolean startsWithText(byte[] input) {
        if (input[0] == 0x30) {
            return false;
        }
        String head = new String(input, 0, Math.min(input.length, 4096), StandardCharsets.ISO_8859_1);
        return head.contains("-----BEGIN ");
    }

    private static byte[] pemToDer(byte[] input) {
        for (byte b : input) {
            if (b < 0) {
                throw refuse("the PEM certification request contains non-ASCII bytes; send the PEM text unchanged");
            }
        }
        String text = new String(input, StandardCharsets.US_ASCII);
        String trimmed = text.stripLeading();
        String beginPrefix = "-----BEGIN ";
        int labelEnd = trimmed.indexOf("-----", beginPrefix.length());
        if (!trimmed.startsWith(beginPrefix) || labelEnd < 0) {
            throw refuse("the input starts like PEM but has no \"-----BEGIN CERTIFICATE REQUEST-----\" line;"
                    + " send DER or one PEM certificate request");
        }
        String label = trimmed.substring(beginPrefix.length(), labelEnd);
        if (!PEM_LABELS.contains(label)) {
            throw refuse("the PEM block is a \"" + Syntax.shown(label) + "\", not a CERTIFICATE REQUEST;"
                    + " send the PKCS#10 certification request");
        }
        String endLine = "-----END " + label + "-----";
        int bodyStart = labelEnd + 5;
        int end = trimmed.indexOf(endLine, bodyStart);
        if (end < 0) {
            throw refuse("the PEM certification request has no \"" + endLine + "\" line; send the whole PEM block");
        }
        String trailing = trimmed.substring(end + endLine.length());
        if (!trailing.isBlank()) {
            throw refuse("the PEM certification request has " + trailing.strip().length() + " characters of trailing data"
                    + " after \"" + endLine + "\"; send exactly one PEM block");
        }
        String body = trimmed.substring(bodyStart, end);
        if (body.indexOf(':') >= 0) {
            throw refuse("the PEM certification request has header lines (such as Proc-Type); send an unencrypted"
                    + " request without headers");
        }
        StringBuilder base64 = new StringBuilder(body.length());
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (!isBlank((byte) c)) {
                base64.append(c);
            }
        }
        try {
            return Base64.getDecoder().decode(base64.toString());
        } catch (IllegalArgumentException e) {
            throw refuse("the body of the PEM certification request is not valid base64; send the PEM text unchanged");
        }
    }

    private static boolean isBlank(byte b) {
        return b == ' ' || b == '\t' || b == '\r' || b == '\n';
    }

    private static CertificationRequest decode(byte[] der) {
        if (der.length == 0 || der[0] != 0x30) {
            throw refuse("the input is not a DER certification request (it does not start with a SEQUENCE);"
                    + " send a PKCS#10 request in DER or PEM");
        }
        CertificationRequest request;
        byte[] reencoded;
        try {
            ASN1Primitive primitive = ASN1Primitive.fromByteArray(der);
            request = CertificationRequest.getInstance(primitive);
            // Touch every part now, so a malformed structure fails here and not later.
            request.getCertificationRequestInfo().getSubject();
            request.getCertificationRequestInfo().getSubjectPublicKeyInfo();
            request.getSignature().getOctets();
            reencoded = request.getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            String detail = e.getMessage() != null && e.getMessage().contains("xtra data")
                    ? " has trailing data after the request; send exactly one request"
                    : " is truncated or not valid ASN.1; send the complete request";
            throw refuse("the certification request (" + der.length + " bytes)" + detail);
        } catch (RuntimeException e) {
            throw refuse("the input (" + der.length + " bytes) is not a PKCS#10 certification request; send a PKCS#10"
                    + " request in DER or PEM");
        }
        if (!Arrays.equals(der, reencoded)) {
            throw refuse("the certification request (" + der.length + " bytes) is not in DER (distinguished) encoding;"
                    + " re-encode it as DER");
        }
        return request;
    }

    private static void requireAcceptedSignatureAlgorithm(AlgorithmIdentifier signature, KeyAlgorithm key) {
        ASN1ObjectIdentifier oid = signature.getAlgorithm();
        KeyAlgorithm required = SIGNATURES.get(oid);
        if (required == null) {
            throw refuse("signature algorithm " + oid + " is not accepted; sign the request with " + ACCEPTED_SIGNATURES);
        }
        if (required != key) {
            throw refuse("the request is signed with " + oid + ", which does not go with its " + key + " key; sign with "
                    + (key == KeyAlgorithm.SM2 ? "SM3withSM2"
                            : key == KeyAlgorithm.RSA ? "SHA256withRSA" : "SHA256withECDSA"));
        }
        ASN1Encodable parameters = signature.getParameters();
        if (PKCSObjectIdentifiers.id_RSASSA_PSS.equals(oid)) {
            requireAcceptedPss(parameters);
        } else if (parameters != null && !(parameters.toASN1Primitive() instanceof ASN1Null)) {
            throw refuse("signature algorithm " + oid + " carries parameters it does not take; the request is malformed");
        }
    }

    private static void requireAcceptedPss(ASN1Encodable parameters) {
        RSASSAPSSparams pss;
        try {
            pss = RSASSAPSSparams.getInstance(parameters);
        } catch (RuntimeException e) {
            throw refuse("the RSASSA-PSS parameters of the request cannot be read; the request is malformed");
        }
        if (pss == null) {
            throw refuse("the RSASSA-PSS signature has no parameters (its default hash is SHA-1);"
                    + " sign with SHA-256 or better");
        }
        ASN1ObjectIdentifier hash = pss.getHashAlgorithm().getAlgorithm();
        if (!PSS_HASHES.contains(hash)) {
            throw refuse("the RSASSA-PSS signature uses hash " + hash + "; use SHA-256, SHA-384 or SHA-512");
        }
        AlgorithmIdentifier mgf = pss.getMaskGenAlgorithm();
        ASN1ObjectIdentifier mgfHash;
        try {
            AlgorithmIdentifier mgfParameters = AlgorithmIdentifier.getInstance(mgf.getParameters());
            mgfHash = mgfParameters == null ? null : mgfParameters.getAlgorithm();
        } catch (RuntimeException e) {
            mgfHash = null;
        }
        if (!PKCSObjectIdentifiers.id_mgf1.equals(mgf.getAlgorithm()) || !hash.equals(mgfHash)) {
            throw refuse("the RSASSA-PSS signature must use MGF1 with the same hash as the signature");
        }
    }

    /** How many signatures this instance has verified: what the remembered proofs save, for tests. */
    long verifications() {
        return verifications.get();
    }

    /** The DER of requests whose signature verified, least recently used dropped first. */
    private static final class VerifiedRequests {
        private final Map<ByteBuffer, Boolean> entries = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<ByteBuffer, Boolean> eldest) {
                return size() > REMEMBERED_PROOFS;
            }
        };

        /** Whether {@code der} verified before; a hit makes it the most recently used. */
        synchronized boolean contains(byte[] der) {
            return entries.get(ByteBuffer.wrap(der)) != null;
        }

        /** Remembers {@code der}, which must not change afterwards (the parse's own copy). */
        synchronized void add(byte[] der) {
            if (der.length <= REMEMBERED_MAX_BYTES) {
                entries.put(ByteBuffer.wrap(der), Boolean.TRUE);
            }
        }
    }

    private static void verifyProofOfPossession(CertificationRequest request, KeyAlgorithm algorithm) {
        String signatureOid = request.getSignatureAlgorithm().getAlgorithm().getId();
        boolean valid;
        try {
            ContentVerifierProvider verifier = new JcaContentVerifierProviderBuilder()
                    .setProvider(BouncyCastle.PROVIDER)
                    .build(request.getCertificationRequestInfo().getSubjectPublicKeyInfo());
            valid = new PKCS10CertificationRequest(request).isSignatureValid(verifier);
        } catch (Exception e) {
            // Malformed signature values make some verifiers throw rather than return false.
            LOG.info("proof of possession failed for a request with an {} key signed with {}: verifier error {}",
                    algorithm, signatureOid, e.toString());
            throw refuse(POP_FAILED);
        }
        if (valid) {
            return;
        }
        if (algorithm == KeyAlgorithm.SM2) {
            String anomaly = sm2SignatureAnomaly(request.getSignature().getOctets());
            if (anomaly != null) {
                LOG.warn("SM2 proof of possession failed for a request signed with {} (SM3withSM2): the signature value"
                        + " is malformed ({}); Bouncy Castle reports this as a plain mismatch. A signing token that"
                        + " encodes r/s wrongly produces this: refused", signatureOid, anomaly);
                throw refuse(POP_FAILED);
            }
        }
        LOG.info("proof of possession failed for a request with an {} key signed with {}: the signature does not match",
                algorithm, signatureOid);
        throw refuse(POP_FAILED);
    }

    /**
     * Why an SM2 signature value is malformed, or {@code null} if it is a DER
     * {@code SEQUENCE { r INTEGER, s INTEGER }} with 1 ≤ r, s &lt; n. Bouncy Castle's verifier
     * answers {@code false} for all of these without saying why.
     */
    static String sm2SignatureAnomaly(byte[] signature) {
        if (signature.length == 64 && signature[0] != 0x30) {
            return "64 raw bytes r||s instead of a DER SEQUENCE of two INTEGERs";
        }
        ASN1Sequence sequence;
        try {
            sequence = ASN1Sequence.getInstance(ASN1Primitive.fromByteArray(signature));
        } catch (IOException | RuntimeException e) {
            return "not a DER SEQUENCE of two INTEGERs";
        }
        if (sequence.size() != 2 || !(sequence.getObjectAt(0) instanceof ASN1Integer)
                || !(sequence.getObjectAt(1) instanceof ASN1Integer)) {
            return "not a SEQUENCE of exactly two INTEGERs";
        }
        try {
            if (!Arrays.equals(signature, sequence.getEncoded(ASN1Encoding.DER))) {
                return "not DER-encoded";
            }
        } catch (IOException e) {
            return "not DER-encoded";
        }
        BigInteger r = ((ASN1Integer) sequence.getObjectAt(0)).getValue();
        BigInteger s = ((ASN1Integer) sequence.getObjectAt(1)).getValue();
        if (r.signum() <= 0 || s.signum() <= 0) {
            return "r or s is zero or negative (a missing leading 0x00 byte makes a high-bit value negative)";
        }
        if (r.compareTo(SM2_ORDER) >= 0 || s.compareTo(SM2_ORDER) >= 0) {
            return "r or s is not below the SM2 group order n";
        }
        return null;
    }

    private static List<GeneralName> requestedSans(CertificationRequestInfo info) {
        ASN1Set attributes = info.getAttributes();
        if (attributes == null) {
            return List.of();
        }
        List<GeneralName> sans = new ArrayList<>();
        boolean seen = false;
        if (attributes.size() > MAX_ATTRIBUTES) {
            throw refuse("the certification request has " + attributes.size() + " attributes, more than the "
                    + MAX_ATTRIBUTES + " allowed; send at most an extensionRequest and a challengePassword");
        }
        for (ASN1Encodable element : attributes) {
            Attribute attribute;
            try {
                attribute = Attribute.getInstance(element);
            } catch (RuntimeException e) {
                throw refuse("an attribute of the certification request is malformed; the request is malformed");
            }
            if (!PKCSObjectIdentifiers.pkcs_9_at_extensionRequest.equals(attribute.getAttrType())) {
                continue;
            }
            if (seen || attribute.getAttrValues().size() != 1) {
                throw refuse("the certification request has more than one extensionRequest; send at most one");
            }
            seen = true;
            try {
                Extensions extensions = Extensions.getInstance(attribute.getAttrValues().getObjectAt(0));
                if (extensions.getExtensionOIDs().length > MAX_REQUESTED_EXTENSIONS) {
                    throw refuse("the certification request asks for " + extensions.getExtensionOIDs().length
                            + " extensions, more than the " + MAX_REQUESTED_EXTENSIONS + " allowed; the CA sets the"
                            + " extensions from the profile, so send at most the subjectAltName");
                }
                GeneralNames names = GeneralNames.fromExtensions(extensions, Extension.subjectAlternativeName);
                if (names != null) {
                    if (names.getNames().length > MAX_REQUESTED_SANS) {
                        throw refuse("the certification request's subjectAltName holds " + names.getNames().length
                                + " names, more than the " + MAX_REQUESTED_SANS + " allowed; register the device's"
                                + " names instead");
                    }
                    sans.addAll(Arrays.asList(names.getNames()));
                }
            } catch (DomainException e) {
                throw e;
            } catch (RuntimeException e) {
                throw refuse("the extensionRequest attribute of the certification request is malformed;"
                        + " the request is malformed");
            }
        }
        return sans;
    }

    private static DomainException refuse(String message) {
        return DomainException.badRequest(FIELD, message);
    }
}
