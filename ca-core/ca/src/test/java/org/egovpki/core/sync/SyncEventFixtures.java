package org.egovpki.core.sync;

import java.math.BigInteger;
import java.time.Instant;
import org.egovpki.core.certificate.CertificateRecord;
import org.egovpki.core.x509.EncodedCrl;

/** Outbox events and body builders for tests of the bodies, the signer and the receiver. */
public final class SyncEventFixtures {

    private SyncEventFixtures() {
    }

    /** A certificate event about {@code record} as it stands, number {@code caSequence} of its CA's outbox. */
    public static OutboxEvent certificate(SyncEventType type, long caSequence, Instant time, CertificateRecord record) {
        return new OutboxEvent(caSequence, new SyncEvent(SyncEvent.certificateId(record.issuer(), record.serialHex(), type),
                type, record.issuer(), time, SyncEvent.Certificate.of(record, null), null));
    }

    /** A {@code crl.published} event of {@code ca}; {@code kind} FULL or DELTA. */
    public static OutboxEvent crl(String ca, long caSequence, EncodedCrl crl, String kind, Integer partition,
                                  BigInteger base) {
        return new OutboxEvent(caSequence, new SyncEvent(SyncEvent.crlId(ca, crl.crlNumber()),
                SyncEventType.CRL_PUBLISHED, ca, crl.thisUpdate(), null, new SyncEvent.Crl(crl.crlNumber(), kind,
                partition, base, crl.thisUpdate(), crl.nextUpdate(), crl.der())));
    }

    /** Bodies whose every certificate belongs to {@code subscriber}. */
    public static SyncEventBodies bodies(SubscriberInfo subscriber) {
        return new SyncEventBodies(certificate -> subscriber);
    }
}
