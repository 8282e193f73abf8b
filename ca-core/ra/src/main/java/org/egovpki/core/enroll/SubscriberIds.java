package org.egovpki.core.enroll;

import org.egovpki.core.enroll.validation.RegistrationData;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.egovpki.core.profile.CertificateType;

/**
 * Subscriber ids derived from who the subscriber is, with a key only the RA holds.
 *
 * <p>The id is the RDN of the subscriber's public directory entry, so anyone can read it. An
 * unkeyed hash of an identity number can be reversed by trying every number (a resident ID
 * number has a small search space: region, birth date, sequence), and a guessed hash tells
 * whether that person holds a certificate. With HMAC-SHA-256 under a secret key the id says
 * nothing to whoever lacks the key, while the same person still gets the same id every time
 * (re-application, renewal), so identity → subscriber needs no lookup table.
 *
 * <p>Form: a type letter, a hyphen and 32 hex digits (128 bits of the MAC): {@code p-} persons
 * (keyed on the ID document type and number), {@code o-} organisations (on the USCC, or the
 * organisation code where there is none), {@code d-} devices (on the canonical subject DN of the
 * first application). Organisations and devices are keyed too: one rule for every id, and an
 * organisation's code in the RDN would tell anyone whether it holds a certificate even when it
 * opted out of publication.
 *
 * <p>The key is part of the RA's state like the CA key store: losing it does not break existing
 * subscribers (their ids are stored), but a returning applicant would then get a new subscriber.
 */
public final class SubscriberIds {

    /** Characters of hex in a keyed id after the type prefix. */
    public static final int HEX_LENGTH = 32;
    private static final String MAC = "HmacSHA256";

    private final SecretKeySpec key;

    /** @param key the RA's subscriber-id key, at least 16 bytes (copied) */
    public SubscriberIds(byte[] key) {
        Objects.requireNonNull(key, "key");
        if (key.length < 16) {
            throw new IllegalArgumentException("a subscriber-id key needs at least 16 bytes, got " + key.length);
        }
        this.key = new SecretKeySpec(key.clone(), MAC);
    }

    /** The keyed id of the subscriber the (normalised) registration identifies. */
    public String derive(CertificateType type, RegistrationData registration, String canonicalSubjectDn) {
        return prefix(type) + mac(type, identity(type, registration, canonicalSubjectDn));
    }

    /**
     * The id the CA derived before ids were keyed ({@code p-}/{@code d-} + 20 hex digits of an
     * unkeyed SHA-256, {@code o-} + the lower-case code). Only the migration of existing
     * directories uses it, to recognise the subscribers that still carry such an id.
     */
    public static String legacy(CertificateType type, RegistrationData r, String canonicalSubjectDn) {
        return switch (type) {
            case PERSONAL -> "p-" + sha256Hex(r.idType() + ":" + r.idNumber().toUpperCase(Locale.ROOT), 10);
            case ORGANIZATION, CODE_SIGNING -> "o-" + (r.uscc() != null ? r.uscc() : r.organizationCode())
                    .toLowerCase(Locale.ROOT);
            case DEVICE -> "d-" + sha256Hex(canonicalSubjectDn, 10);
        };
    }

    private static String identity(CertificateType type, RegistrationData r, String canonicalSubjectDn) {
        String key = type == CertificateType.DEVICE ? "DN:" + canonicalSubjectDn : Registrations.identityKey(type, r);
        return SubscriberIdentity.kind(type) + "\n" + key;
    }

    private String mac(CertificateType type, String identity) {
        try {
            Mac mac = Mac.getInstance(MAC);
            mac.init(key);
            byte[] out = mac.doFinal(identity.getBytes(StandardCharsets.UTF_8));
            String hex = HexFormat.of().formatHex(out, 0, HEX_LENGTH / 2);
            Arrays.fill(out, (byte) 0);
            return hex;
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(MAC + " is not usable in this JVM", e);
        }
    }

    private static String prefix(CertificateType type) {
        return switch (type) {
            case PERSONAL -> "p-";
            case ORGANIZATION, CODE_SIGNING -> "o-";
            case DEVICE -> "d-";
        };
    }

    private static String sha256Hex(String text, int bytes) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    @Override
    public String toString() {
        return "SubscriberIds[" + MAC + ", key hidden]";
    }
}
