package org.egovpki.core.sync;

import java.math.BigInteger;
import java.time.Instant;
import java.util.Objects;

import org.egovpki.core.certificate.CertificateRecord;

/**
 * One event of a CA's outbox, before it is built into a message for a target
 * ({@link SyncEventBodies}). Its id is deterministic (docs/sync.md): the same change always gives
 * the same id, so a retry, a replay or a crash-and-resume never shows a receiver a new id for an
 * event it already has.
 *
 * @param id          {@code <ca>/<SERIALHEX>/issued}, {@code <ca>/<SERIALHEX>/revoked} or {@code <ca>/crl/<number>}
 * @param type        the event type
 * @param ca          the CA the event is about (it signs the message)
 * @param caSequence  the event's number in the CA's outbox, from 1
 * @param time        when the change happened: issuance or revocation time, a CRL's thisUpdate
 * @param certificate a certificate event's record, in its state when the event was captured; else {@code null}
 * @param subscriber  a certificate event's subscriber; else {@code null}
 * @param replaces    the serial (as {@link CertificateRecord#serialHex()}) of the certificate a renewal or re-issue replaces, or {@code null}
 * @param crl         a CRL event's CRL; else {@code null}
 */
public record SyncEvent(String id, SyncEventType type, String ca, long caSequence, Instant time,
                        CertificateRecord certificate, SubscriberInfo subscriber, String replaces, SyncCrl crl) {

    public SyncEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(ca, "ca");
        Objects.requireNonNull(time, "time");
        if (caSequence < 1) {
            throw new IllegalArgumentException("event " + id + ": CA sequences start at 1, not " + caSequence);
        }
        if (type.isCertificateEvent()) {
            Objects.requireNonNull(certificate, "certificate");
            Objects.requireNonNull(subscriber, "subscriber");
            if (crl != null) {
                throw new IllegalArgumentException("certificate event " + id + " carries a CRL");
            }
            if (certificate.certificateDer() == null) {
                throw new IllegalArgumentException("certificate event " + id + " about an unsigned certificate");
            }
            if (!certificate.issuer().equals(ca)) {
                throw new IllegalArgumentException("certificate event " + id + " of CA " + ca
                        + " carries a certificate of " + certificate.issuer());
            }
            if (type == SyncEventType.CERT_REVOKED && certificate.revocation() == null) {
                throw new IllegalArgumentException("revocation event " + id + " about a certificate that is not revoked");
            }
        } else {
            Objects.requireNonNull(crl, "crl");
            if (certificate != null || subscriber != null || replaces != null) {
                throw new IllegalArgumentException("CRL event " + id + " carries certificate data");
            }
        }
    }

    /**
     * A certificate event: the id from the CA, the serial and the type; {@code time} the
     * revocation time for {@link SyncEventType#CERT_REVOKED}, else the issuance time given.
     */
    public static SyncEvent ofCertificate(SyncEventType type, long caSequence, Instant issuedAt,
                                          CertificateRecord record, SubscriberInfo subscriber, String replaces) {
        if (type == SyncEventType.CERT_REVOKED && record.revocation() == null) {
            throw new IllegalArgumentException("revocation event of " + record.id() + ": the record is not revoked");
        }
        Instant time = type == SyncEventType.CERT_REVOKED ? record.revocation().time() : issuedAt;
        return new SyncEvent(certificateEventId(record.issuer(), record.serialHex(), type), type, record.issuer(),
                caSequence, time, record, subscriber, replaces, null);
    }

    /** A {@code crl.published} event; its time is the CRL's thisUpdate. */
    public static SyncEvent ofCrl(String ca, long caSequence, SyncCrl crl) {
        return new SyncEvent(crlEventId(ca, crl.number()), SyncEventType.CRL_PUBLISHED, ca, caSequence,
                crl.thisUpdate(), null, null, null, crl);
    }

    /** {@code <ca>/<SERIALHEX>/revoked} for a revocation, {@code <ca>/<SERIALHEX>/issued} for the other certificate events. */
    public static String certificateEventId(String ca, String serialHex, SyncEventType type) {
        if (!type.isCertificateEvent()) {
            throw new IllegalArgumentException(type.wireName() + " is not a certificate event");
        }
        return ca + "/" + serialHex + (type == SyncEventType.CERT_REVOKED ? "/revoked" : "/issued");
    }

    /** {@code <ca>/crl/<number in decimal>}. */
    public static String crlEventId(String ca, BigInteger crlNumber) {
        return ca + "/crl/" + crlNumber;
    }
}
