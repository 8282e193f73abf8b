package org.egovpki.server.http;

import java.math.BigInteger;
import java.time.Instant;
import java.util.Base64;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.egovpki.core.DomainException;
import org.egovpki.core.ca.KeyManagementLink;
import org.egovpki.core.certificate.CertificateRecord;
import org.egovpki.core.certificate.RevocationReason;
import org.egovpki.core.km.SkfEnvelopedKeyBlob;
import org.egovpki.core.km.Sm2EnvelopedKey;
import org.egovpki.core.km.centre.KeyRecoveries;
import org.egovpki.core.revoke.RevocationService;

/**
 * The two things a subscriber does without an operator login — revoking with the challenge phrase
 * and downloading a recovered key with the one-time code — from the text a client sent, with the
 * input rules and messages of the JSON API. The REST resources and the public pages both call this
 * one class, so a form and a JSON body are refused alike; who may do what stays the domain
 * services' decision ({@link RevocationService}, {@link KeyRecoveries}).
 */
public final class SubscriberChannels {

    private final RevocationService revocations;
    private final KeyRecoveries recoveries;
    private final KeyManagementLink link;

    public SubscriberChannels(RevocationService revocations, KeyRecoveries recoveries, KeyManagementLink link) {
        this.revocations = revocations;
        this.recoveries = recoveries;
        this.link = link;
    }

    /**
     * Revokes through the challenge-phrase channel (its attempt limiter applies per client and per
     * certificate).
     *
     * @param reason  a {@link RevocationReason} name or CPS letter, or {@code null} for the holder's request
     * @param client  the caller's address
     */
    public CertificateRecord revokeWithChallenge(String issuer, String serial, String phrase, String reason,
                                                 Instant invalidityDate, String client) {
        if (issuer == null || serial == null || phrase == null) {
            throw DomainException.badRequest(issuer == null ? "issuer" : serial == null ? "serial" : "challengePhrase",
                    "issuer (the CA name), serial (hex) and challengePhrase are required");
        }
        return revocations.revokeWithChallenge(issuer, new BigInteger(serialHex(serial), 16), phrase.toCharArray(),
                reason(reason), invalidityDate, client);
    }

    /** The API's serial rule: 1-40 hex digits, answered as lower-case hex without leading zeros. */
    public static String serialHex(String serial) {
        return JsonCodec.serialHex(serial);
    }

    /** The API's reason rule: a {@link RevocationReason} name or CPS letter; {@code null} stays {@code null}. */
    public static RevocationReason reason(String text) {
        if (text == null) {
            return null;
        }
        try {
            return RevocationReason.parse(text);
        } catch (IllegalArgumentException e) {
            throw DomainException.badRequest("reason", e.getMessage());
        }
    }

    /** The HTTP status of a domain error, the same for a page as for the JSON API. */
    public static int httpStatus(DomainException.Kind kind) {
        return HttpResponses.status(kind);
    }

    /** A recovered key, enveloped to the new token's key, in the two token formats. */
    public record RecoveredKey(String recovery, String issuer, String serialHex, byte[] sm2EnvelopedKey,
                               byte[] envelopedKeyBlob) {
        public RecoveredKey {
            sm2EnvelopedKey = sm2EnvelopedKey.clone();
            envelopedKeyBlob = envelopedKeyBlob.clone();
        }

        @Override
        public byte[] sm2EnvelopedKey() {
            return sm2EnvelopedKey.clone();
        }

        @Override
        public byte[] envelopedKeyBlob() {
            return envelopedKeyBlob.clone();
        }
    }

    /**
     * The recovered key of recovery {@code id} for the holder of the one-time code, through the CA's
     * signed link to the KM.
     *
     * @param publicKey the new token's SM2 public key, PEM or base64 DER SubjectPublicKeyInfo
     */
    public RecoveredKey recoverKey(String id, String code, String publicKey) {
        if (code == null || publicKey == null) {
            throw DomainException.badRequest(code == null ? "challengeCode" : "publicKey", "challengeCode and publicKey "
                    + "(the new token's SM2 public key, PEM or base64 DER) are required");
        }
        KeyRecoveries.RecoveredCertificate certificate = recoveries.certificateOf(id);
        byte[] envelope = link.restore(certificate.caName(), certificate.serial(), publicKey(publicKey), id, code);
        byte[] blob = SkfEnvelopedKeyBlob.encode(Sm2EnvelopedKey.parse(envelope));
        return new RecoveredKey(id, certificate.caName(), certificate.serial().toString(16), envelope, blob);
    }

    /** The bytes of one PEM block (headers dropped), or of plain base64. */
    static byte[] base64Body(String text) {
        return Base64.getMimeDecoder().decode(text.replaceAll("-----[A-Z0-9 ]+-----", "").strip());
    }

    private static SubjectPublicKeyInfo publicKey(String text) {
        try {
            return SubjectPublicKeyInfo.getInstance(base64Body(text));
        } catch (RuntimeException e) {
            throw DomainException.badRequest("publicKey", "publicKey must be a SubjectPublicKeyInfo (PEM 'PUBLIC KEY' "
                    + "or base64 DER): " + e.getMessage());
        }
    }
}
