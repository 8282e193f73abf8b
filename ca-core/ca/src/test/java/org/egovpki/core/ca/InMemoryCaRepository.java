package org.egovpki.core.ca;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test double of the directory's CA store with the same compare-and-swap contract as the LDAP
 * implementation (which the server integration test exercises for real).
 */
public final class InMemoryCaRepository implements CaRepository {

    final Map<String, CaRecord> cas = new TreeMap<>();
    final Map<String, CrlRecord> crls = new TreeMap<>();
    final Map<String, CrlRecord> deltas = new TreeMap<>();
    final List<CrlRecord> published = new ArrayList<>();
    /** How many of the next publishCrl calls behave as if another writer got there first. */
    final AtomicInteger racesToLose = new AtomicInteger();
    int saves;

    @Override
    public synchronized Optional<CaRecord> find(String caName) {
        return Optional.ofNullable(cas.get(caName));
    }

    @Override
    public synchronized List<CaRecord> findAll() {
        return List.copyOf(cas.values());
    }

    @Override
    public synchronized void save(CaRecord ca) {
        saves++;
        cas.put(ca.name(), ca);
        caCertificates.remove(ca.name()); // as in LDAP: the entry's certificate is replaced by this one
    }

    @Override
    public synchronized Optional<CrlRecord> currentCrl(String caName) {
        return Optional.ofNullable(crls.get(caName));
    }

    @Override
    public synchronized Optional<CrlRecord> currentDeltaCrl(String caName) {
        return Optional.ofNullable(deltas.get(caName));
    }

    final Map<String, org.egovpki.core.certificate.Revocation> revokedCas = new TreeMap<>();

    @Override
    public synchronized Optional<CrlHead> crlHead(String caName) {
        return head(caName, crls.get(caName + "#arl"));
    }

    @Override
    public synchronized Optional<CrlHead> partitionCrlHead(String caName, int shard) {
        return head(caName + "#" + shard, null);
    }

    private Optional<CrlHead> head(String key, CrlRecord arl) {
        CrlRecord full = crls.get(key);
        CrlRecord delta = deltas.get(key);
        return full == null ? Optional.empty() : Optional.of(new CrlHead(full.crlNumber(), full.thisUpdate(),
                full.nextUpdate(), delta == null ? null : delta.crlNumber(), arl == null ? null : arl.crlNumber()));
    }

    @Override
    public synchronized Optional<CrlRecord> currentArl(String caName) {
        return Optional.ofNullable(crls.get(caName + "#arl"));
    }

    @Override
    public synchronized boolean publishArl(String caName, java.math.BigInteger crlNumber, CrlRecord arl) {
        CrlRecord current = crls.get(caName + "#arl");
        CrlRecord full = crls.get(caName);
        if (current != null && current.crlNumber().compareTo(arl.crlNumber()) >= 0
                || full == null || !full.crlNumber().equals(crlNumber)) {
            return false;
        }
        crls.put(caName + "#arl", arl);
        return true;
    }

    @Override
    public synchronized Optional<org.egovpki.core.certificate.Revocation> caRevocation(String caName) {
        return Optional.ofNullable(revokedCas.get(caName));
    }

    @Override
    public synchronized List<org.egovpki.core.x509.RevokedEntry> revokedSubordinates(String caName) {
        return cas.values().stream().filter(ca -> caName.equals(ca.parent()) && revokedCas.containsKey(ca.name()))
                .map(ca -> new org.egovpki.core.x509.RevokedEntry(new BigInteger(ca.serialHex(), 16),
                        revokedCas.get(ca.name()).time(), revokedCas.get(ca.name()).reason().rfc5280Code(), null))
                .toList();
    }

    @Override
    public synchronized boolean revokeCa(String caName, org.egovpki.core.certificate.Revocation revocation) {
        return revokedCas.putIfAbsent(caName, revocation) == null;
    }

    @Override
    public synchronized Optional<CrlRecord> currentPartitionCrl(String caName, int shard) {
        return Optional.ofNullable(crls.get(caName + "#" + shard));
    }

    @Override
    public synchronized Optional<CrlRecord> currentPartitionDeltaCrl(String caName, int shard) {
        return Optional.ofNullable(deltas.get(caName + "#" + shard));
    }

    @Override
    public synchronized boolean publishPartitionCrl(String caName, int shard, CrlRecord full, CrlRecord delta) {
        String key = caName + "#" + shard;
        CrlRecord current = crls.get(key);
        if (current != null && current.crlNumber().compareTo(full.crlNumber()) >= 0) {
            return false;
        }
        crls.put(key, full);
        if (delta == null) {
            deltas.remove(key);
        } else {
            deltas.put(key, delta);
        }
        return true;
    }

    @Override
    public synchronized boolean publishCrl(String caName, BigInteger previousNumber, CrlRecord crl, CrlRecord delta) {
        if (racesToLose.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            // another writer published previous + 1 in the meantime
            BigInteger theirs = previousNumber == null ? BigInteger.ONE : previousNumber.add(BigInteger.ONE);
            crls.put(caName, new CrlRecord(theirs, crl.thisUpdate(), crl.nextUpdate(), crl.der()));
            return false;
        }
        BigInteger current = Optional.ofNullable(crls.get(caName)).map(CrlRecord::crlNumber).orElse(null);
        if (!Objects.equals(current, previousNumber)) {
            return false;
        }
        crls.put(caName, crl);
        published.add(crl);
        if (delta == null) {
            deltas.remove(caName);
        } else {
            deltas.put(caName, delta);
            published.add(delta);
        }
        return true;
    }

    /** A CRL publisher into this repository for CAs that revoked nothing: 24-hour CRLs, test URLs. */
    final Map<String, CrlRecord> retiredKeyCrls = new TreeMap<>();
    final Map<String, List<byte[]>> caCertificates = new TreeMap<>();
    final Map<String, List<byte[]>> crossPairs = new TreeMap<>();

    @Override
    public synchronized boolean publishRetiredKeyCrl(String caName, String keyIdHex, CrlRecord crl) {
        CrlRecord existing = retiredKeyCrls.get(caName + "#key-" + keyIdHex);
        if (existing != null && existing.crlNumber().compareTo(crl.crlNumber()) >= 0) {
            return false;
        }
        retiredKeyCrls.put(caName + "#key-" + keyIdHex, crl);
        published.add(crl);
        return true;
    }

    @Override
    public synchronized Optional<CrlRecord> retiredKeyCrl(String caName, String keyIdHex) {
        return Optional.ofNullable(retiredKeyCrls.get(caName + "#key-" + keyIdHex));
    }

    /** Set by a test: the next {@link #publishKeyHistory} throws it and writes nothing. */
    public RuntimeException failNextKeyHistory;

    @Override
    public synchronized void publishKeyHistory(String caName, List<byte[]> certificates, List<byte[]> pairs) {
        if (failNextKeyHistory != null) {
            RuntimeException failure = failNextKeyHistory;
            failNextKeyHistory = null;
            throw failure;
        }
        caCertificates.put(caName, certificates.stream().map(byte[]::clone).toList());
        crossPairs.put(caName, pairs.stream().map(byte[]::clone).toList());
    }

    @Override
    public synchronized List<byte[]> caCertificates(String caName) {
        List<byte[]> history = caCertificates.get(caName);
        if (history != null) {
            return history;
        }
        return cas.containsKey(caName) ? List.of(cas.get(caName).certificateDer()) : List.of();
    }

    @Override
    public synchronized List<byte[]> crossCertificatePairs(String caName) {
        return crossPairs.getOrDefault(caName, List.of());
    }

    public CrlPublisher publisher(org.egovpki.core.audit.AuditLog audit, java.time.Clock clock) {
        return new CrlPublisher(this, (selection, sink) -> { }, new org.egovpki.core.x509.CrlFactory(clock), audit, clock,
                java.time.Duration.ofHours(24), new TestUrls(),
                org.egovpki.core.event.LifecycleEvents.NONE);
    }
}
