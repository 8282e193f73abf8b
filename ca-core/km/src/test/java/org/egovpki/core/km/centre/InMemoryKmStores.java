package org.egovpki.core.km.centre;

import java.math.BigInteger;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.egovpki.core.DomainException;

/** The KM's escrow and recovery stores in memory, with the directory's compare-and-swap contracts. */
public final class InMemoryKmStores {

    public final Map<String, EscrowedKey> keys = new LinkedHashMap<>();
    public final Map<String, RecoveryRequest> recoveries = new LinkedHashMap<>();
    public final EscrowStore escrow = new Escrow();
    public final RecoveryStore recoveryStore = new Recoveries();

    public synchronized Optional<EscrowedKey> findByCertificate(String caName, BigInteger serial) {
        return escrow.findByCertificate(caName, serial);
    }

    private final class Escrow implements EscrowStore {
        @Override
        public boolean add(EscrowedKey key) {
            synchronized (InMemoryKmStores.this) {
                return keys.putIfAbsent(key.keyId(), key) == null;
            }
        }

        @Override
        public Optional<EscrowedKey> find(String keyId) {
            synchronized (InMemoryKmStores.this) {
                return Optional.ofNullable(keys.get(keyId));
            }
        }

        @Override
        public Optional<EscrowedKey> findByCertificate(String caName, BigInteger serial) {
            synchronized (InMemoryKmStores.this) {
                return keys.values().stream().filter(k -> k.caName().equals(caName) && k.serial().equals(serial))
                        .findFirst();
            }
        }

        @Override
        public boolean transition(KeyState expected, EscrowedKey updated) {
            synchronized (InMemoryKmStores.this) {
                EscrowedKey current = keys.get(updated.keyId());
                if (current == null || current.state() != expected) {
                    return false;
                }
                keys.put(updated.keyId(), updated);
                return true;
            }
        }

        @Override
        public List<EscrowedKey> dueForDestruction(Instant now, int limit) {
            synchronized (InMemoryKmStores.this) {
                return keys.values().stream().filter(k -> k.state() != KeyState.DESTROYED
                        && !k.retainUntil().isAfter(now)).limit(limit).toList();
            }
        }
    }

    private final class Recoveries implements RecoveryStore {
        @Override
        public void create(RecoveryRequest request) {
            synchronized (InMemoryKmStores.this) {
                if (recoveries.putIfAbsent(request.id(), request) != null) {
                    throw DomainException.conflict("recovery " + request.id() + " exists");
                }
            }
        }

        @Override
        public Optional<RecoveryRequest> find(String id) {
            synchronized (InMemoryKmStores.this) {
                return Optional.ofNullable(recoveries.get(id));
            }
        }

        @Override
        public List<RecoveryRequest> list(RecoveryState state, int limit) {
            synchronized (InMemoryKmStores.this) {
                return recoveries.values().stream().filter(r -> state == null || r.state() == state)
                        .sorted(Comparator.comparing(RecoveryRequest::submittedAt)).limit(limit).toList();
            }
        }

        @Override
        public boolean transition(RecoveryState expected, RecoveryRequest updated) {
            synchronized (InMemoryKmStores.this) {
                RecoveryRequest current = recoveries.get(updated.id());
                if (current == null || current.state() != expected) {
                    return false;
                }
                recoveries.put(updated.id(), updated);
                return true;
            }
        }
    }
}
