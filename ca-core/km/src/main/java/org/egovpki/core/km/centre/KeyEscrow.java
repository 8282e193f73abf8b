package org.egovpki.core.km.centre;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.time.Clock;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.util.BigIntegers;
import org.egovpki.core.DomainException;
import org.egovpki.core.audit.AuditEvent;
import org.egovpki.core.audit.AuditEventType;
import org.egovpki.core.audit.AuditLog;
import org.egovpki.core.crypto.KeyAlgorithm;
import org.egovpki.core.crypto.Sm4;
import org.egovpki.core.km.KmRequest;
import org.egovpki.core.km.KmResponse;
import org.egovpki.core.km.Sm2EnvelopedKey;

/**
 * The KM's key material: generates SM2 encryption key pairs, escrows the private keys wrapped
 * under the KM key-encryption key, envelopes a key to a public key when it is delivered or
 * recovered, retires keys whose certificate was revoked and destroys keys whose retention ended.
 *
 * <p><b>Wrapping: SM4-GCM.</b> An authenticated mode, so a wrapped key that was altered in the
 * directory, or copied onto another entry, fails to unwrap instead of yielding a wrong key: the
 * GCM additional data binds each wrap to its key id, CA and certificate serial. SM4 because the
 * KM keeps to the national algorithms (GM/T 0054); GCM with SM4 is standardised in GB/T
 * 36624-2018 and RFC 8998. Each wrap is {@code iv(12) || ciphertext(32) || tag(16)} with a fresh
 * random IV; at most a few million wraps per key-encryption key, far below GCM's random-IV limit.
 *
 * <p>The private scalar exists in clear only inside {@link #generate} and {@link #envelope},
 * and is wiped there after use.
 */
public final class KeyEscrow {

    public static final String WRAP_ALGORITHM = "SM4-GCM";
    private static final int IV_LENGTH = 12;
    private static final int SCALAR_LENGTH = 32;
    private static final int DESTRUCTION_BATCH = 500;

    private final EscrowStore store;
    private final KmKeyStore keys;
    private final AuditLog audit;
    private final Clock clock;
    private final SecureRandom random;
    private final Period retention;

    /** @param retention how long a key is kept after its certificate's notAfter (at least 10 years by the CPS) */
    public KeyEscrow(EscrowStore store, KmKeyStore keys, AuditLog audit, Clock clock, SecureRandom random,
                     Period retention) {
        this.store = Objects.requireNonNull(store, "store");
        this.keys = Objects.requireNonNull(keys, "keys");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
        this.retention = Objects.requireNonNull(retention, "retention");
    }

    /**
     * A key pair for a CA's encryption certificate. The same CA task always gets the same key
     * (and the serial it was first asked for), so a CA that crashed after asking can ask again
     * without leaving an orphan key behind.
     */
    public KmResponse.RetKey apply(String caName, BigInteger taskNo, KmRequest.ApplyKey request) {
        String keyId = keyId(caName, taskNo);
        EscrowedKey key = store.find(keyId).orElse(null);
        if (key == null) {
            key = generate(keyId, caName, request);
        }
        if (key.state() == KeyState.DESTROYED) {
            throw new DomainException(DomainException.Kind.CONFLICT, "the key of task " + taskNo + " was destroyed");
        }
        byte[] envelope = envelope(key, request.signingKey());
        return new KmResponse.RetKey(key.serial(), SubjectPublicKeyInfo.getInstance(key.publicKeyInfo()), envelope);
    }

    private EscrowedKey generate(String keyId, String caName, KmRequest.ApplyKey request) {
        KeyPair pair = KeyAlgorithm.SM2.generate(random);
        byte[] scalar = BigIntegers.asUnsignedByteArray(SCALAR_LENGTH, ((ECPrivateKey) pair.getPrivate()).getS());
        Instant now = clock.instant();
        Instant retainUntil = request.notAfter().atZone(ZoneOffset.UTC).plus(retention).toInstant();
        EscrowedKey key;
        try {
            key = new EscrowedKey(keyId, caName, request.userCertNo(), request.subscriberDn(),
                    pair.getPublic().getEncoded(), wrap(keyId, caName, request.userCertNo(), scalar), WRAP_ALGORITHM,
                    keys.kekId(), now, retainUntil, KeyState.ACTIVE, null);
        } finally {
            Arrays.fill(scalar, (byte) 0);
        }
        if (!store.add(key)) {
            // Another attempt of the same task won the race: use its key, drop ours unused.
            return store.find(keyId).orElseThrow(() -> DomainException.internal("escrowed key " + keyId
                    + " exists and cannot be read", null));
        }
        audit.record(AuditEvent.success(now, AuditEventType.KM_KEY_ESCROWED, "ca:" + caName,
                subjects(key), Map.of("serial", key.serialHex(), "issuer", caName, "keyId", keyId,
                        "wrap", WRAP_ALGORITHM, "kek", key.kekId(), "retainUntil", retainUntil.toString())));
        return key;
    }

    /**
     * The escrowed private key of {@code key}, enveloped (GM/T 0009 SM2EnvelopedKey, DER) so that
     * only the holder of {@code recipient}'s private key opens it.
     */
    public byte[] envelope(EscrowedKey key, SubjectPublicKeyInfo recipient) {
        if (key.state() == KeyState.DESTROYED) {
            throw new DomainException(DomainException.Kind.CONFLICT, "the escrowed key of certificate "
                    + key.serialHex() + " was destroyed on " + key.destroyedAt() + " when its retention ended");
        }
        byte[] scalar = unwrap(key);
        try {
            return Sm2EnvelopedKey.seal(new BigInteger(1, scalar), SubjectPublicKeyInfo.getInstance(key.publicKeyInfo()),
                    recipient, random).encoded();
        } finally {
            Arrays.fill(scalar, (byte) 0);
        }
    }

    /** Retires the key of a revoked certificate; it stays recoverable. Idempotent. */
    public KmResponse.RevokedKey retire(String caName, BigInteger serial) {
        EscrowedKey key = find(caName, serial);
        if (key.state() == KeyState.ACTIVE) {
            if (store.transition(KeyState.ACTIVE, key.retired())) {
                audit.record(AuditEvent.success(clock.instant(), AuditEventType.KM_KEY_RETIRED, "ca:" + caName,
                        subjects(key), Map.of("serial", key.serialHex(), "issuer", caName,
                                "reason", "encryption certificate revoked; key kept for recovery until "
                                        + key.retainUntil())));
            }
        }
        return new KmResponse.RevokedKey(serial);
    }

    public EscrowedKey find(String caName, BigInteger serial) {
        return store.findByCertificate(caName, serial).orElseThrow(() -> DomainException.notFound(
                "the KM holds no escrowed key for certificate " + serial.toString(16) + " of CA " + caName));
    }

    /**
     * Destroys every key whose retention has ended: the wrapped private key is removed, the entry
     * stays (state DESTROYED, with the time), and each destruction is audited with its serial.
     *
     * @return the keys destroyed
     */
    public List<EscrowedKey> destroyExpired() {
        Instant now = clock.instant();
        List<EscrowedKey> destroyed = new ArrayList<>();
        List<EscrowedKey> due;
        do {
            due = store.dueForDestruction(now, DESTRUCTION_BATCH);
            int before = destroyed.size();
            for (EscrowedKey key : due) {
                EscrowedKey gone = key.destroyed(now);
                if (store.transition(key.state(), gone)) {
                    destroyed.add(gone);
                    audit.record(AuditEvent.success(now, AuditEventType.KM_KEY_DESTROYED, AuditEvent.SYSTEM,
                            subjects(key), Map.of("serial", key.serialHex(), "issuer", key.caName(),
                                    "keyId", key.keyId(), "retainUntil", key.retainUntil().toString(),
                                    "reason", "retention period ended")));
                }
            }
            if (destroyed.size() == before) {
                break;
            }
        } while (due.size() == DESTRUCTION_BATCH);
        return destroyed;
    }

    static List<String> subjects(EscrowedKey key) {
        return key.subscriberDn() == null ? List.of(key.keyId()) : List.of(key.keyId(), key.subscriberDn());
    }

    private byte[] wrap(String keyId, String caName, BigInteger serial, byte[] scalar) {
        byte[] iv = new byte[IV_LENGTH];
        random.nextBytes(iv);
        byte[] kek = keys.kek(keys.kekId());
        try {
            byte[] sealed = Sm4.encryptGcm(kek, iv, additionalData(keyId, caName, serial), scalar);
            byte[] out = Arrays.copyOf(iv, IV_LENGTH + sealed.length);
            System.arraycopy(sealed, 0, out, IV_LENGTH, sealed.length);
            return out;
        } finally {
            Arrays.fill(kek, (byte) 0);
        }
    }

    private byte[] unwrap(EscrowedKey key) {
        if (!WRAP_ALGORITHM.equals(key.wrapAlgorithm())) {
            throw DomainException.internal("escrowed key " + key.keyId() + " is wrapped with " + key.wrapAlgorithm()
                    + ", which this KM does not unwrap", null);
        }
        byte[] wrapped = key.wrappedPrivateKey();
        byte[] kek = keys.kek(key.kekId());
        try {
            return Sm4.decryptGcm(kek, Arrays.copyOf(wrapped, IV_LENGTH),
                    additionalData(key.keyId(), key.caName(), key.serial()),
                    Arrays.copyOfRange(wrapped, IV_LENGTH, wrapped.length));
        } catch (Sm4.AuthenticationFailedException e) {
            throw DomainException.internal("escrowed key " + key.keyId() + " fails its integrity check: it was altered "
                    + "or moved to another entry", e);
        } finally {
            Arrays.fill(kek, (byte) 0);
        }
    }

    private static byte[] additionalData(String keyId, String caName, BigInteger serial) {
        return ("egov-pki escrow v1|" + keyId + "|" + caName + "|" + serial.toString(16)).getBytes(StandardCharsets.UTF_8);
    }

    /** Deterministic per CA task: a repeated apply lands on the same entry. */
    static String keyId(String caName, BigInteger taskNo) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((caName + "|" + taskNo.toString(16)).getBytes(StandardCharsets.UTF_8));
            return "k-" + HexFormat.of().formatHex(digest, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing", e);
        }
    }
}
