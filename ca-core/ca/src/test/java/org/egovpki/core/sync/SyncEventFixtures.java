package org.egovpki.core.sync;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import org.egovpki.core.certificate.CertificateRecord;
import org.egovpki.core.certificate.CertificateStatus;
import org.egovpki.core.certificate.IssuanceState;
import org.egovpki.core.profile.CertificateType;
import org.egovpki.core.profile.KeyUsageKind;
import org.egovpki.core.x509.EncodedCrl;

/** Outbox events and body builders for tests of the bodies, the signer and the receiver. */
public final class SyncEventFixtures {

    private SyncEventFixtures() {
    }

    /** A published personal signing certificate of {@code ca}, valid for a year from 2026-12-01. */
    public static CertificateRecord record(String ca, BigInteger serial) {
        Instant issued = Instant.parse("2026-12-01T00:00:00Z");
        return new CertificateRecord(ca, serial, "r-" + serial, "p-1", "CN=Zhang San,C=CN", "personal",
                CertificateType.PERSONAL, KeyUsageKind.SIGNING, "tax", "410000", CertificateStatus.VALID,
                IssuanceState.PUBLISHED, new byte[] {0x30, 0}, null, issued, issued.plus(Duration.ofDays(365)), null,
                issued, 0, null).recorded(new byte[] {0x30, 3, 1, 2, 3}, "ab".repeat(32));
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
