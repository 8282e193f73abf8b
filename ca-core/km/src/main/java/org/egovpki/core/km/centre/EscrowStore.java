package org.egovpki.core.km.centre;

import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The KM's escrowed keys ({@code egovKeyId=<id>,ou=km}), reached only with the KM's own account. */
public interface EscrowStore {

    /**
     * Stores a new key.
     *
     * @return {@code false} if a key with this id exists already (the caller reads that one)
     */
    boolean add(EscrowedKey key);

    Optional<EscrowedKey> find(String keyId);

    /** The key of the encryption certificate {@code serial} issued by {@code caName}. */
    Optional<EscrowedKey> findByCertificate(String caName, BigInteger serial);

    /**
     * Writes {@code updated} (state, wrapped key, destruction time) if, and only if, the stored key
     * is still in {@code expected} state: one atomic directory operation.
     *
     * @return {@code false} if the state had moved on
     */
    boolean transition(KeyState expected, EscrowedKey updated);

    /** Keys not yet DESTROYED whose retainUntil is at or before {@code now}, at most {@code limit}. */
    List<EscrowedKey> dueForDestruction(Instant now, int limit);
}
