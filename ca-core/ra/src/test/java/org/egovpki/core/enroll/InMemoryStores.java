package org.egovpki.core.enroll;

import org.egovpki.core.enroll.validation.RegistrationData;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.egovpki.core.DomainException;
import org.egovpki.core.certificate.CertificateQuery;
import org.egovpki.core.certificate.CertificateRecord;
import org.egovpki.core.certificate.CertificateStore;
import org.egovpki.core.certificate.CompromisedKey;
import org.egovpki.core.certificate.CompromisedKeyStore;
import org.egovpki.core.certificate.CertificateStatus;
import org.egovpki.core.certificate.IssuanceState;
import org.egovpki.core.certificate.Revocation;
import org.egovpki.core.certificate.RevokedSelection;
import org.egovpki.core.x509.RevokedEntry;
import org.egovpki.core.profile.CertificateType;

/**
 * Test doubles of the directory stores with the same contracts as the LDAP ones (compare-and-swap
 * state changes, add-fails-if-exists serial reservation); the end-to-end IT runs the real ones.
 */
public final class InMemoryStores implements RequestStore, CertificateStore, SubscriberStore, CompromisedKeyStore {

    public final Map<String, EnrollmentRequest> requests = new LinkedHashMap<>();
    public final Map<String, CertificateRecord> certificates = new LinkedHashMap<>();
    public final Map<String, String> holders = new LinkedHashMap<>();
    /**
     * Every subscriber claiming each subject DN, as the registration entries' {@code egovSubjectDn}
     * values in the directory: a test adds a claim here alone to play another CA process's claim
     * that landed after this issuance's first look ({@link #holderOf}) and before its second.
     */
    public final Map<String, List<String>> claims = new LinkedHashMap<>();
    public final Map<String, List<byte[]>> published = new LinkedHashMap<>();
    public final Map<String, RegistrationData> registrations = new LinkedHashMap<>();
    public final Map<String, String> subscriberKinds = new LinkedHashMap<>();
    public final Map<String, byte[]> envelopedKeys = new LinkedHashMap<>();
    /** The compromised keys by id, as the entries under ou=compromisedKeys. */
    public final Map<String, CompromisedKey> compromisedKeys = new LinkedHashMap<>();
    /** How often {@link #register} was called: each call costs a directory two reads at least. */
    public int registerCalls;

    // --- compromised keys ---

    @Override
    public synchronized Optional<CompromisedKey> byKeyId(String keyId) {
        return Optional.ofNullable(compromisedKeys.get(keyId));
    }

    @Override
    public synchronized void add(CompromisedKey key) {
        compromisedKeys.putIfAbsent(key.keyId(), key);
    }

    // --- requests ---

    @Override
    public synchronized void create(EnrollmentRequest request) {
        if (requests.putIfAbsent(request.id(), request) != null) {
            throw DomainException.conflict("request " + request.id() + " exists");
        }
    }

    @Override
    public synchronized Optional<EnrollmentRequest> find(String id) {
        return Optional.ofNullable(requests.get(id));
    }

    @Override
    public synchronized List<EnrollmentRequest> findByState(RequestState state, int limit) {
        return requests.values().stream().filter(r -> r.state() == state)
                .sorted(Comparator.comparing(EnrollmentRequest::submittedAt)).limit(limit).toList();
    }

    @Override
    public synchronized boolean transition(RequestState expected, EnrollmentRequest updated) {
        EnrollmentRequest current = requests.get(updated.id());
        if (current == null || current.state() != expected) {
            return false;
        }
        requests.put(updated.id(), updated);
        return true;
    }

    // --- certificates ---

    @Override
    public synchronized boolean writeIntent(CertificateRecord intent, byte[] envelopedKey) {
        if (certificates.putIfAbsent(intent.id(), intent) != null) {
            return false;
        }
        if (envelopedKey != null) {
            envelopedKeys.put(intent.id(), envelopedKey.clone());
        }
        return true;
    }

    @Override
    public synchronized Optional<byte[]> envelopedKey(String issuer, BigInteger serial) {
        return Optional.ofNullable(envelopedKeys.get(CertificateRecord.id(issuer, serial))).map(byte[]::clone);
    }

    @Override
    public synchronized void update(CertificateRecord record) {
        if (!certificates.containsKey(record.id())) {
            throw DomainException.notFound("no record " + record.id());
        }
        certificates.put(record.id(), record);
    }

    @Override
    public synchronized List<CertificateRecord> findByIssuanceState(IssuanceState state) {
        return certificates.values().stream().filter(r -> r.issuanceState() == state).toList();
    }

    @Override
    public synchronized List<CertificateRecord> findByRequest(String requestId) {
        return certificates.values().stream().filter(r -> r.requestId().equals(requestId)).toList();
    }

    @Override
    public synchronized Optional<CertificateRecord> find(String issuer, BigInteger serial) {
        return Optional.ofNullable(certificates.get(CertificateRecord.id(issuer, serial)));
    }

    @Override
    public synchronized List<CertificateRecord> search(CertificateQuery query) {
        return certificates.values().stream()
                .filter(r -> query.serialHex() == null || r.serialHex().equals(query.serialHex()))
                .filter(r -> query.subscriberId() == null || r.subscriberId().equals(query.subscriberId()))
                .limit(query.limit()).toList();
    }

    @Override
    public synchronized boolean revoke(CertificateRecord record, Revocation revocation) {
        CertificateRecord current = certificates.get(record.id());
        if (current == null || current.status() != CertificateStatus.VALID) {
            return false;
        }
        certificates.put(record.id(), current.revoked(revocation));
        return true;
    }

    @Override
    public synchronized void forEachRevoked(RevokedSelection selection, Consumer<RevokedEntry> sink) {
        for (CertificateRecord r : List.copyOf(certificates.values())) {
            Revocation rev = r.revocation();
            if (rev != null && r.issuer().equals(selection.issuer()) && !r.notAfter().isBefore(selection.validAt())
                    && (selection.revokedSince() == null || !rev.time().isBefore(selection.revokedSince()))
                    && (selection.shard() == null || selection.shard() == r.crlShard())) {
                sink.accept(new RevokedEntry(r.serial(), rev.time(), rev.reason().rfc5280Code(), rev.invalidityDate()));
            }
        }
    }

    // --- subscribers ---

    @Override
    public synchronized Optional<String> holderOf(String canonicalSubjectDn) {
        return Optional.ofNullable(holders.get(canonicalSubjectDn));
    }

    @Override
    public synchronized List<String> holdersOf(String canonicalSubjectDn) {
        return List.copyOf(claims.getOrDefault(canonicalSubjectDn, List.of()));
    }

    @Override
    public synchronized void releaseSubjectDn(String subscriberId, String canonicalSubjectDn) {
        holders.remove(canonicalSubjectDn, subscriberId);
        List<String> claimants = claims.get(canonicalSubjectDn);
        if (claimants != null) {
            claimants.remove(subscriberId);
        }
    }

    @Override
    public synchronized Optional<Registered> registrationOf(String subscriberId) {
        return Optional.ofNullable(registrations.get(subscriberId))
                .map(r -> new Registered(subscriberKinds.get(subscriberId), r));
    }

    @Override
    public synchronized void register(String subscriberId, CertificateType type, String canonicalSubjectDn,
                                      RegistrationData registration, String businessType, String region,
                                      boolean publishOptOut, String challengeHash) {
        registerCalls++;
        RegistrationData existing = registrations.get(subscriberId);
        if (existing != null) {
            SubscriberIdentity.conflict(subscriberId, subscriberKinds.get(subscriberId), existing, type, registration)
                    .ifPresent(problem -> {
                        throw new org.egovpki.core.DomainException(org.egovpki.core.DomainException.Kind.CONFLICT,
                                problem, "subscriberId");
                    });
        }
        holders.putIfAbsent(canonicalSubjectDn, subscriberId);
        List<String> claimants = claims.computeIfAbsent(canonicalSubjectDn, k -> new ArrayList<>());
        if (!claimants.contains(subscriberId)) {
            claimants.add(subscriberId);
        }
        registrations.put(subscriberId, registration);
        subscriberKinds.put(subscriberId, SubscriberIdentity.kind(type));
    }

    @Override
    public synchronized void publishCertificate(String subscriberId, String displayName, byte[] certificateDer) {
        List<byte[]> list = published.computeIfAbsent(subscriberId, k -> new ArrayList<>());
        if (list.stream().noneMatch(d -> java.util.Arrays.equals(d, certificateDer))) {
            list.add(certificateDer);
        }
    }

    @Override
    public synchronized List<byte[]> publishedCertificates(String subscriberId) {
        return List.copyOf(published.getOrDefault(subscriberId, List.of()));
    }

    @Override
    public synchronized void unpublishCertificate(String subscriberId, byte[] certificateDer) {
        List<byte[]> list = published.get(subscriberId);
        if (list != null) {
            list.removeIf(d -> java.util.Arrays.equals(d, certificateDer));
        }
    }

    @Override
    public String entryDn(String subscriberId) {
        return "egovSubscriberId=" + subscriberId + ",ou=subscribers,o=test";
    }
}
