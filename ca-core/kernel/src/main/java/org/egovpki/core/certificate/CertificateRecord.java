package org.egovpki.core.certificate;

import java.math.BigInteger;
import java.time.Instant;
import java.util.Objects;
import org.egovpki.core.profile.CertificateType;
import org.egovpki.core.profile.KeyUsageKind;
import org.egovpki.core.x509.SerialNumbers;

/**
 * A certificate the CA issued or intends to issue ({@code egovCertificateId=<ca>-<serial>,
 * ou=certificates}). Unique per (issuer, serial): the directory refuses a second record with the
 * same id, which is what makes a serial impossible to use twice.
 *
 * @param issuer         issuing CA name
 * @param serial         serial number
 * @param requestId      the request it was issued for
 * @param subscriberId   the subscriber it certifies
 * @param subjectDn      canonical subject DN
 * @param profile        certificate profile
 * @param type           certificate type
 * @param kind           signing or encryption
 * @param businessType   e-government business
 * @param region         administrative region code
 * @param status         VALID once recorded
 * @param issuanceState  step of the issuance cycle
 * @param tbsDer         the TBSCertificate that is (to be) signed
 * @param certificateDer the signed certificate, {@code null} while INTENT
 * @param notBefore      validity start
 * @param notAfter       validity end
 * @param sha256         fingerprint of the certificate, {@code null} while INTENT
 * @param createdAt      when the intent was written
 * @param crlShard       the CRL partition the certificate's CRL distribution point names (0 when
 *                       CRLs are not partitioned); chosen from the serial at issuance, never changed
 * @param revocation     the revocation, {@code null} unless the status is REVOKED
 */
public record CertificateRecord(
        String issuer,
        BigInteger serial,
        String requestId,
        String subscriberId,
        String subjectDn,
        String profile,
        CertificateType type,
        KeyUsageKind kind,
        String businessType,
        String region,
        CertificateStatus status,
        IssuanceState issuanceState,
        byte[] tbsDer,
        byte[] certificateDer,
        Instant notBefore,
        Instant notAfter,
        String sha256,
        Instant createdAt,
        int crlShard,
        Revocation revocation) {

    public CertificateRecord {
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(serial, "serial");
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(subscriberId, "subscriberId");
        Objects.requireNonNull(subjectDn, "subjectDn");
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(issuanceState, "issuanceState");
        Objects.requireNonNull(notBefore, "notBefore");
        Objects.requireNonNull(notAfter, "notAfter");
        Objects.requireNonNull(createdAt, "createdAt");
        if (crlShard < 0) {
            throw new IllegalArgumentException("CRL shard " + crlShard + " is negative");
        }
        if ((status == CertificateStatus.REVOKED) != (revocation != null)) {
            throw new IllegalArgumentException("certificate " + id(issuer, serial) + " is " + status
                    + (revocation == null ? " without" : " with") + " revocation details");
        }
        tbsDer = tbsDer == null ? null : tbsDer.clone();
        certificateDer = certificateDer == null ? null : certificateDer.clone();
    }

    /** The directory RDN value: {@code <issuer>-<serial hex>}. */
    public String id() {
        return id(issuer, serial);
    }

    public static String id(String issuer, BigInteger serial) {
        return issuer + "-" + SerialNumbers.toHex(serial);
    }

    public String serialHex() {
        return SerialNumbers.toHex(serial);
    }

    @Override
    public byte[] tbsDer() {
        return tbsDer == null ? null : tbsDer.clone();
    }

    @Override
    public byte[] certificateDer() {
        return certificateDer == null ? null : certificateDer.clone();
    }

    public CertificateRecord recorded(byte[] der, String fingerprint) {
        return new CertificateRecord(issuer, serial, requestId, subscriberId, subjectDn, profile, type, kind,
                businessType, region, CertificateStatus.VALID, IssuanceState.RECORDED, tbsDer, der, notBefore,
                notAfter, fingerprint, createdAt, crlShard, null);
    }

    public CertificateRecord inState(IssuanceState state) {
        return new CertificateRecord(issuer, serial, requestId, subscriberId, subjectDn, profile, type, kind,
                businessType, region, status, state, tbsDer, certificateDer, notBefore, notAfter, sha256, createdAt, crlShard, revocation);
    }

    /** This record, revoked. */
    public CertificateRecord revoked(Revocation details) {
        return new CertificateRecord(issuer, serial, requestId, subscriberId, subjectDn, profile, type, kind,
                businessType, region, CertificateStatus.REVOKED, issuanceState, tbsDer, certificateDer, notBefore,
                notAfter, sha256, createdAt, crlShard, Objects.requireNonNull(details, "details"));
    }

    /** Whether the certificate exists (signed and recorded, not a mere reservation). */
    public boolean issued() {
        return issuanceState == IssuanceState.RECORDED || issuanceState == IssuanceState.PUBLISHED;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CertificateRecord r && issuer.equals(r.issuer) && serial.equals(r.serial)
                && issuanceState == r.issuanceState && status == r.status;
    }

    @Override
    public int hashCode() {
        return Objects.hash(issuer, serial);
    }

    @Override
    public String toString() {
        return "CertificateRecord[" + id() + ", " + issuanceState + ", " + status + ", " + subjectDn + "]";
    }
}
