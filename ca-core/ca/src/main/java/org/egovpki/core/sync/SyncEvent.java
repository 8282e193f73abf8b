package org.egovpki.core.sync;

import java.math.BigInteger;
import java.time.Instant;
import java.util.Objects;
import org.egovpki.core.certificate.CertificateRecord;
import org.egovpki.core.certificate.CertificateStatus;

/**
 * A captured sync event: what one change (an issuance, a revocation, a CRL) tells the targets, as it
 * was when the change happened — the same for every target. The body builder turns it into each
 * target's message; the subscriber's registration details (name, ID number, organisation) are not
 * copied here but read by the builder through {@link Certificate#subscriberId()}, so the outbox holds
 * no personal data.
 *
 * @param id          the CloudEvents id, stable and deterministic ({@link #certificateId}, {@link #crlId})
 * @param type        the event type
 * @param ca          the CA the event is about (the one that signs its messages)
 * @param time        when the change happened: issuance, revocation time, CRL thisUpdate
 * @param certificate the certificate of a certificate event, else {@code null}
 * @param crl         the CRL of a {@code crl.published} event, else {@code null}
 */
public record SyncEvent(String id, SyncEventType type, String ca, Instant time, Certificate certificate, Crl crl) {

    /** The {@code businessType} of a CRL event. */
    public static final String CRL_BUSINESS_TYPE = "CRL";

    public SyncEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(ca, "ca");
        Objects.requireNonNull(time, "time");
        if (type.isCertificateEvent() != (certificate != null) || (crl != null) == (certificate != null)) {
            throw new IllegalArgumentException("event " + id + " of type " + type.wireName()
                    + " must carry exactly " + (type.isCertificateEvent() ? "a certificate" : "a CRL"));
        }
    }

    /** The business type the event is routed by: the certificate's, or {@value #CRL_BUSINESS_TYPE}. */
    public String businessType() {
        return certificate != null ? certificate.businessType() : CRL_BUSINESS_TYPE;
    }

    /** Whether {@code target} takes this event: certificate events by business type, CRL events always. */
    public boolean routedTo(SyncTarget target) {
        return target.enabled() && (certificate == null || target.receives(certificate.businessType()));
    }

    /** {@code <ca>/<serial hex>/issued} or {@code .../revoked}: one id per certificate and kind of event. */
    public static String certificateId(String ca, String serialHex, SyncEventType type) {
        if (!type.isCertificateEvent()) {
            throw new IllegalArgumentException(type.wireName() + " is not a certificate event");
        }
        return ca + "/" + serialHex + (type == SyncEventType.CERT_REVOKED ? "/revoked" : "/issued");
    }

    /** {@code <ca>/crl/<number>}: one number sequence per CA covers full, delta and partition CRLs. */
    public static String crlId(String ca, BigInteger number) {
        return ca + "/crl/" + number;
    }

    /**
     * The certificate as the record stood when the event was captured: a revoked event always says
     * REVOKED; an issued event captured after a revocation already says so too.
     *
     * @param serialHex        serial, hex as {@link CertificateRecord#serialHex()}
     * @param subscriberId     the subscriber it certifies (the builder looks up the details)
     * @param certificateType  PERSONAL, ORGANIZATION, DEVICE or CODE_SIGNING
     * @param kind             SIGNING or ENCRYPTION
     * @param status           VALID or REVOKED
     * @param revocationReason RFC 5280 reason name (e.g. keyCompromise), {@code null} unless revoked
     * @param replaces         serial (hex) of the certificate it renews or re-issues, else {@code null}
     */
    public record Certificate(String serialHex, String subscriberId, String certificateType, String kind,
                              String profile, String subjectDn, String businessType, String region, String status,
                              Instant notBefore, Instant notAfter, String sha256, byte[] der,
                              String revocationReason, Instant revocationTime, String replaces) {

        /** The record as it stands now; {@code replaces} from its request (renewal or re-issue), else {@code null}. */
        public static Certificate of(CertificateRecord r, String replaces) {
            boolean revoked = r.status() == CertificateStatus.REVOKED;
            return new Certificate(r.serialHex(), r.subscriberId(), r.type().name(), r.kind().name(), r.profile(),
                    r.subjectDn(), r.businessType(), r.region(), r.status().name(), r.notBefore(), r.notAfter(),
                    r.sha256(), r.certificateDer(), revoked ? r.revocation().reason().rfc5280Name() : null,
                    revoked ? r.revocation().time() : null, replaces);
        }

        public Certificate {
            Objects.requireNonNull(serialHex, "serialHex");
            Objects.requireNonNull(subscriberId, "subscriberId");
            Objects.requireNonNull(status, "status");
            der = Objects.requireNonNull(der, "der").clone();
        }

        @Override
        public byte[] der() {
            return der.clone();
        }
    }

    /**
     * A published CRL.
     *
     * @param kind       FULL or DELTA
     * @param partition  the shard of a partition CRL, else {@code null}
     * @param baseNumber the base CRL number of a delta, else {@code null}
     */
    public record Crl(BigInteger number, String kind, Integer partition, BigInteger baseNumber, Instant thisUpdate,
                      Instant nextUpdate, byte[] der) {

        public Crl {
            Objects.requireNonNull(number, "number");
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(thisUpdate, "thisUpdate");
            der = Objects.requireNonNull(der, "der").clone();
        }

        @Override
        public byte[] der() {
            return der.clone();
        }
    }
}
