package org.egovpki.server.audit;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.egovpki.core.audit.AuditAnchor;
import org.egovpki.core.crypto.BouncyCastle;
import org.egovpki.core.crypto.GeneratedSecret;
import org.egovpki.core.crypto.KeystorePassword;

/**
 * The audit seal key: an HMAC-SM3 key that seals audit checkpoints and directory anchors, so a
 * shortened or rewritten trail cannot be given a matching anchor without it. It holds the key and
 * never hands it out.
 *
 * <p>Why a MAC key of its own and not a CA key: the CA signer stays inside the CA (STYLE §3), a
 * checkpoint every few events would put routine bulk signatures on a CA key, and the trail must
 * be sealed before any CA is up (start-up) and by the CLI, which never opens the CA key store.
 * Why a MAC and not a dedicated signing key: in this version every secret lives in
 * {@code <data>/secrets} (demo custody), so a signing key whose key store password sits next to
 * it protects no better, while a MAC is one file, fast, and the verifier needs nothing else. The
 * price: whoever can verify can also seal, so {@code secrets/audit-seal.key} belongs to the CA
 * host account only; moving to an asymmetric key in an HSM would let auditors verify without
 * that power.
 *
 * <p>The sealed text is {@code egov-pki audit seal v1}, the trail name, the sequence, the hash
 * and the time, one a line, so a seal of one trail does not fit another trail or position.
 */
public final class AuditSeal {

    /** The secret file under {@code <data>/secrets}. */
    public static final String SECRET_FILE = "audit-seal.key";

    private static final String ALGORITHM = "HMACSM3";

    private final byte[] key;
    private final String keyId;

    private AuditSeal(byte[] key) {
        this.key = key;
        this.keyId = HexFormat.of().formatHex(mac("egov-pki audit seal key id".getBytes(StandardCharsets.US_ASCII)), 0, 8);
    }

    /** Reads the seal key from {@code secretFile}, or generates it there (owner-only) on first use. */
    public static AuditSeal loadOrGenerate(Path secretFile) {
        GeneratedSecret secret = KeystorePassword.loadOrGenerate(secretFile);
        return of(secret.value());
    }

    /** A seal with the given key material (tests, and the secret file's content). */
    public static AuditSeal of(char[] secret) {
        Objects.requireNonNull(secret, "secret");
        if (secret.length < 16) {
            throw new IllegalArgumentException("the audit seal key must have at least 16 characters; delete it only "
                    + "together with the audit trail it sealed");
        }
        return new AuditSeal(new String(secret).getBytes(StandardCharsets.UTF_8));
    }

    /** A public identifier of this key (not derived from it in a reversible way): 16 hex digits. */
    public String keyId() {
        return keyId;
    }

    /** The seal over one point of a trail. */
    public byte[] seal(String trail, long sequence, String hash, Instant time) {
        return mac(text(trail, sequence, hash, time));
    }

    /**
     * An anchor for that point, sealed at {@code time} cut to milliseconds (what an LDAP
     * generalized time keeps, so the stored anchor still verifies).
     */
    public AuditAnchor anchor(String trail, long sequence, String hash, Instant time) {
        Instant stored = time.truncatedTo(ChronoUnit.MILLIS);
        return new AuditAnchor(trail, sequence, hash, stored, seal(trail, sequence, hash, stored));
    }

    /** Whether {@code seal} is this key's seal over that point (compared in constant time). */
    public boolean verifies(String trail, long sequence, String hash, Instant time, byte[] seal) {
        return seal != null && MessageDigest.isEqual(seal(trail, sequence, hash, time), seal);
    }

    /** Whether the anchor's seal is this key's. */
    public boolean verifies(AuditAnchor anchor) {
        return verifies(anchor.trail(), anchor.sequence(), anchor.hash(), anchor.time(), anchor.seal());
    }

    @Override
    public String toString() {
        return "AuditSeal[key " + keyId + "]";
    }

    private static byte[] text(String trail, long sequence, String hash, Instant time) {
        return ("egov-pki audit seal v1\n" + trail + "\n" + sequence + "\n" + hash + "\n" + time + "\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    private byte[] mac(byte[] data) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM, BouncyCastle.PROVIDER);
            mac.init(new SecretKeySpec(key, ALGORITHM));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SM3 is not available from Bouncy Castle: " + e.getMessage(), e);
        }
    }
}
