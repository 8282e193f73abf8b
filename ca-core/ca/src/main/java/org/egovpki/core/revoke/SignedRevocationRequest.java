package org.egovpki.core.revoke;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerId;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.egovpki.core.DomainException;
import org.egovpki.core.certificate.RevocationReason;
import org.egovpki.core.crypto.BouncyCastle;
import org.egovpki.core.x509.SerialNumbers;

/**
 * A revocation request signed with the certificate's own private key: a CMS SignedData (RFC 5652,
 * DER) with one signer, identified by issuer and serial number, encapsulating a UTF-8 text of
 * {@code key=value} lines:
 *
 * <pre>
 * serial=7F3A...            the certificate's serial, hex (must equal the signer's serial)
 * reason=KEY_COMPROMISE     a reason a subscriber may give (HOLDER_REQUEST if absent)
 * requestedAt=2026-11-21T08:00:00Z
 * invalidityDate=2026-11-20T00:00:00Z   (optional)
 * </pre>
 *
 * {@code openssl cms -sign -binary -nodetach -outform DER -signer cert.pem -inkey key.pem -in
 * request.txt} produces one for RSA and ECDSA keys. {@link #parse} checks only the form; {@link
 * #verifySignature} checks the signature against the certificate the CA has on record — never
 * against a certificate carried in the message.
 */
public final class SignedRevocationRequest {

    private static final Set<String> KEYS = Set.of("serial", "reason", "requestedAt", "invalidityDate");

    private final SignerInformation signer;
    private final X500Name issuer;
    private final BigInteger serial;
    private final RevocationReason reason;
    private final Instant requestedAt;
    private final Instant invalidityDate;

    private SignedRevocationRequest(SignerInformation signer, X500Name issuer, BigInteger serial,
                                    RevocationReason reason, Instant requestedAt, Instant invalidityDate) {
        this.signer = signer;
        this.issuer = issuer;
        this.serial = serial;
        this.reason = reason;
        this.requestedAt = requestedAt;
        this.invalidityDate = invalidityDate;
    }

    /**
     * Reads the message.
     *
     * @throws DomainException BAD_REQUEST naming what is wrong with it
     */
    public static SignedRevocationRequest parse(byte[] der) {
        Objects.requireNonNull(der, "der");
        CMSSignedData cms;
        try {
            cms = new CMSSignedData(der);
        } catch (CMSException | RuntimeException e) {
            throw bad("the body is not a DER CMS SignedData (RFC 5652): " + e.getMessage());
        }
        if (cms.getSignedContent() == null) {
            throw bad("the CMS SignedData is detached; sign with the content encapsulated (openssl cms -nodetach)");
        }
        Collection<SignerInformation> signers = cms.getSignerInfos().getSigners();
        if (signers.size() != 1) {
            throw bad("the CMS SignedData has " + signers.size() + " signers; exactly one, the certificate's key, is needed");
        }
        SignerInformation signer = signers.iterator().next();
        SignerId sid = signer.getSID();
        if (sid.getIssuer() == null || sid.getSerialNumber() == null) {
            throw bad("the signer is identified by subject key identifier; identify it by issuer and serial number");
        }
        Map<String, String> fields = fields((byte[]) cms.getSignedContent().getContent());
        BigInteger serial = serial(fields.get("serial"));
        if (!serial.equals(sid.getSerialNumber())) {
            throw bad("serial " + SerialNumbers.toHex(serial) + " in the request is not the signer's serial "
                    + SerialNumbers.toHex(sid.getSerialNumber()) + "; a certificate can only ask to revoke itself");
        }
        RevocationReason reason;
        try {
            reason = fields.containsKey("reason") ? RevocationReason.parse(fields.get("reason"))
                    : RevocationReason.HOLDER_REQUEST;
        } catch (IllegalArgumentException e) {
            throw bad(e.getMessage());
        }
        Instant requestedAt = instant(fields, "requestedAt");
        if (requestedAt == null) {
            throw bad("requestedAt is missing; give the time of the request, e.g. requestedAt=2026-11-21T08:00:00Z");
        }
        return new SignedRevocationRequest(signer, sid.getIssuer(), serial, reason, requestedAt,
                instant(fields, "invalidityDate"));
    }

    /** Whether the signature verifies under {@code certificate}'s public key. */
    public boolean verifySignature(X509Certificate certificate) {
        try {
            return signer.verify(new JcaSimpleSignerInfoVerifierBuilder().setProvider(BouncyCastle.PROVIDER)
                    .build(certificate));
        } catch (CMSException | OperatorCreationException | RuntimeException e) {
            return false;
        }
    }

    public X500Name issuer() {
        return issuer;
    }

    public BigInteger serial() {
        return serial;
    }

    public RevocationReason reason() {
        return reason;
    }

    public Instant requestedAt() {
        return requestedAt;
    }

    /** The invalidity date, or {@code null}. */
    public Instant invalidityDate() {
        return invalidityDate;
    }

    private static Map<String, String> fields(byte[] content) {
        Map<String, String> fields = new HashMap<>();
        for (String line : new String(content, StandardCharsets.UTF_8).split("\r?\n")) {
            if (line.isBlank()) {
                continue;
            }
            int eq = line.indexOf('=');
            String key = eq < 0 ? line.trim() : line.substring(0, eq).trim();
            if (eq < 0 || !KEYS.contains(key)) {
                throw bad("line '" + line + "' of the signed content is not one of " + KEYS + " as key=value");
            }
            if (fields.put(key, line.substring(eq + 1).trim()) != null) {
                throw bad(key + " appears twice in the signed content");
            }
        }
        return fields;
    }

    private static BigInteger serial(String hex) {
        if (hex == null || hex.isEmpty()) {
            throw bad("serial is missing from the signed content");
        }
        try {
            return new BigInteger(hex, 16);
        } catch (NumberFormatException e) {
            throw bad("serial '" + hex + "' is not hexadecimal");
        }
    }

    private static Instant instant(Map<String, String> fields, String key) {
        String value = fields.get(key);
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw bad(key + " '" + value + "' is not an ISO-8601 UTC time like 2026-11-21T08:00:00Z");
        }
    }

    private static DomainException bad(String message) {
        return DomainException.badRequest("request", message);
    }

    /** For tests and logs. */
    @Override
    public String toString() {
        return "SignedRevocationRequest[" + issuer + " " + SerialNumbers.toHex(serial) + " " + reason + "]";
    }

}
