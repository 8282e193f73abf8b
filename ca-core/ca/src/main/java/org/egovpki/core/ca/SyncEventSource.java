package org.egovpki.core.ca;

import java.math.BigInteger;
import java.util.Objects;
import java.util.Optional;
import org.egovpki.core.certificate.CertificateRecord;
import org.egovpki.core.certificate.CertificateRecords;
import org.egovpki.core.certificate.CertificateStatus;
import org.egovpki.core.certificate.IssuanceState;
import org.egovpki.core.enroll.EnrollmentRequest;
import org.egovpki.core.enroll.RequestKind;
import org.egovpki.core.enroll.RequestStore;
import org.egovpki.core.sync.SyncEvent;
import org.egovpki.core.sync.SyncEventType;
import org.egovpki.core.sync.SyncMarkers;
import org.egovpki.core.x509.SerialNumbers;

/**
 * Turns an owed-event marker into the event it stands for, reading the change's entry as it is now
 * (a certificate record, the CA's or a partition's current CRL) and, for an issuance, the request
 * (new application, renewal or re-issue, and the serial it replaces). In package {@code ca} because it
 * reads the CA's publications; {@code sync} knows only its own port, {@link SyncMarkers.Resolver}.
 */
public final class SyncEventSource implements SyncMarkers.Resolver {


    private final CertificateRecords certificates;
    private final RequestStore requests;
    private final CaPublications cas;

    public SyncEventSource(CertificateRecords certificates, RequestStore requests, CaPublications cas) {
        this.certificates = Objects.requireNonNull(certificates, "certificates");
        this.requests = Objects.requireNonNull(requests, "requests");
        this.cas = Objects.requireNonNull(cas, "cas");
    }

    /**
     * The event {@code owed} stands for, or empty when there is none to send (the record is gone,
     * or the marked CRL was replaced by a newer one before it was captured: the newer CRL has its
     * own marker and supersedes it).
     */
    @Override
    public Optional<SyncEvent> resolve(SyncMarkers.Owed owed) {
        if (owed.certificate()) {
            return certificates.find(owed.ca(), owed.serial()).flatMap(r -> certificateEvent(r, owed.marker()));
        }
        return crlEvent(owed.ca(), owed.marker());
    }

    private Optional<SyncEvent> certificateEvent(CertificateRecord r, String marker) {
        if (!r.issued() || r.certificateDer() == null) {
            return Optional.empty();
        }
        SyncEventType type;
        String replaces = null;
        if (SyncMarkers.REVOKED.equals(marker)) {
            if (r.status() != CertificateStatus.REVOKED) {
                return Optional.empty();
            }
            type = SyncEventType.CERT_REVOKED;
        } else if (SyncMarkers.ISSUED.equals(marker)) {
            EnrollmentRequest request = requests.find(r.requestId()).orElse(null);
            RequestKind kind = request == null ? RequestKind.NEW : request.kind();
            type = switch (kind) {
                case NEW -> SyncEventType.CERT_ISSUED;
                case RENEWAL -> SyncEventType.CERT_RENEWED;
                case REKEY, MODIFICATION, REPLACEMENT -> SyncEventType.CERT_REISSUED;
            };
            if (request != null && request.originalSerial() != null) {
                replaces = SerialNumbers.toHex(new BigInteger(request.originalSerial(), 16));
            }
        } else {
            throw new IllegalArgumentException("unknown sync marker '" + marker + "' on certificate " + r.id());
        }
        SyncEvent.Certificate certificate = SyncEvent.Certificate.of(r, replaces);
        java.time.Instant time = type == SyncEventType.CERT_REVOKED ? r.revocation().time() : r.createdAt();
        return Optional.of(new SyncEvent(SyncEvent.certificateId(r.issuer(), r.serialHex(), type), type, r.issuer(),
                time, certificate, null));
    }

    private Optional<SyncEvent> crlEvent(String ca, String marker) {
        String[] parts = marker.split(":");
        if (!parts[0].equals("crl") || parts.length < 2 || parts.length > 3) {
            throw new IllegalArgumentException("unknown sync marker '" + marker + "' on CA " + ca);
        }
        Integer shard = parts.length == 3 ? Integer.valueOf(parts[1]) : null;
        BigInteger number = new BigInteger(parts[parts.length - 1]);
        Optional<CrlRecord> full = shard == null ? cas.currentCrl(ca) : cas.currentPartitionCrl(ca, shard);
        Optional<CrlRecord> delta = shard == null ? cas.currentDeltaCrl(ca) : cas.currentPartitionDeltaCrl(ca, shard);
        Optional<CrlRecord> marked = full.filter(c -> c.crlNumber().equals(number))
                .or(() -> delta.filter(c -> c.crlNumber().equals(number)));
        return marked.map(c -> {
            // Read, not copied: the event copies the CRL once, the header is read in place.
            BigInteger base = baseNumber(c.sharedDer());
            SyncEvent.Crl crl = new SyncEvent.Crl(c.crlNumber(), base == null ? "FULL" : "DELTA", shard, base,
                    c.thisUpdate(), c.nextUpdate(), c.sharedDer());
            return new SyncEvent(SyncEvent.crlId(ca, c.crlNumber()), SyncEventType.CRL_PUBLISHED, ca, c.thisUpdate(),
                    null, crl);
        });
    }

    /** The DeltaCRLIndicator's base CRL number, or {@code null} for a full CRL. */
    static BigInteger baseNumber(byte[] der) {
        try {
            // The header only: a full CRL may list a million entries, which a full parse would decode.
            return org.egovpki.core.x509.CrlHeader.of(der).baseCrlNumber();
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("a published CRL does not parse: " + e.getMessage(), e);
        }
    }

}
