package org.egovpki.core.ocsp;

import java.io.IOException;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ocsp.BasicOCSPResponse;
import org.bouncycastle.asn1.ocsp.CertStatus;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.ocsp.OCSPResponse;
import org.bouncycastle.asn1.ocsp.OCSPResponseStatus;
import org.bouncycastle.asn1.ocsp.ResponseBytes;
import org.bouncycastle.asn1.ocsp.ResponseData;
import org.bouncycastle.asn1.ocsp.SingleResponse;

/**
 * One pre-signed OCSP answer as it is persisted ({@link PresignedSnapshot}) and served by a
 * locked server ({@link LockedOcspResponder}): public signed data, so nothing here is secret.
 *
 * <p>Invariants: {@code thisUpdate} is before {@code nextUpdate}; the byte arrays are copied in
 * and out, so a value never changes. {@link #checked()} additionally proves that the response is a
 * successful basic response with exactly this one CertID and these times (done for every answer
 * read from disk, where a file could have been damaged or edited).
 *
 * <p>A value class rather than a record only so that the responder's own listing can share its
 * arrays ({@link #shared}) instead of copying every response once a minute.
 */
public final class PresignedAnswer {

    private final String caName;
    private final BigInteger serial;
    private final byte[] certId;
    private final byte[] response;
    private final Instant thisUpdate;
    private final Instant nextUpdate;

    /** What a stored answer says about its certificate. */
    public enum Stated {
        GOOD, REVOKED, UNKNOWN
    }

    /** Whether a stored answer may be served now, and if not, why not. */
    public enum Verdict {
        /** Still valid and the directory still says what the answer says. */
        SERVE,
        /** Its nextUpdate has come: no client would accept it. */
        EXPIRED,
        /** The directory no longer knows the certificate (or the answer says unknown). */
        NOT_KNOWN,
        /** The directory's status differs from the answer's (revoked since, or no longer revoked). */
        STATUS_CHANGED
    }

    /**
     * @param caName     the {@link ServedCa#name()} of the CA that answered
     * @param serial     the serial number asked about
     * @param certId     the DER of the CertID exactly as the client asked it (the lookup key); copied
     * @param response   the DER OCSPResponse, served byte for byte; copied
     * @param thisUpdate the answer's thisUpdate (= producedAt)
     * @param nextUpdate the answer's nextUpdate: after it, no client accepts the answer
     */
    public PresignedAnswer(String caName, BigInteger serial, byte[] certId, byte[] response, Instant thisUpdate,
                           Instant nextUpdate) {
        this(caName, serial, Objects.requireNonNull(certId, "certId").clone(),
                Objects.requireNonNull(response, "response").clone(), thisUpdate, nextUpdate, true);
    }

    private PresignedAnswer(String caName, BigInteger serial, byte[] certId, byte[] response, Instant thisUpdate,
                            Instant nextUpdate, boolean owned) {
        this.caName = Objects.requireNonNull(caName, "caName");
        this.serial = Objects.requireNonNull(serial, "serial");
        this.certId = Objects.requireNonNull(certId, "certId");
        this.response = Objects.requireNonNull(response, "response");
        this.thisUpdate = Objects.requireNonNull(thisUpdate, "thisUpdate");
        this.nextUpdate = Objects.requireNonNull(nextUpdate, "nextUpdate");
        if (caName.isBlank()) {
            throw new IllegalArgumentException("a pre-signed answer needs the name of its CA");
        }
        if (!nextUpdate.isAfter(thisUpdate)) {
            throw new IllegalArgumentException("a pre-signed answer's nextUpdate " + nextUpdate
                    + " is not after its thisUpdate " + thisUpdate);
        }
    }

    /** Over arrays nobody changes (the pre-signed store's own, immutable once stored): not copied. */
    static PresignedAnswer shared(String caName, BigInteger serial, byte[] certId, byte[] response, Instant thisUpdate,
                                  Instant nextUpdate) {
        return new PresignedAnswer(caName, serial, certId, response, thisUpdate, nextUpdate, false);
    }

    public String caName() {
        return caName;
    }

    public BigInteger serial() {
        return serial;
    }

    /** The CertID's DER, a copy. */
    public byte[] certId() {
        return certId.clone();
    }

    /** The OCSPResponse's DER, a copy. */
    public byte[] response() {
        return response.clone();
    }

    public Instant thisUpdate() {
        return thisUpdate;
    }

    public Instant nextUpdate() {
        return nextUpdate;
    }

    /** The response without a copy, for the responder that hands it out (and clones it there). */
    byte[] responseShared() {
        return response;
    }

    /** The CertID's DER without a copy, for lookups. */
    byte[] certIdShared() {
        return certId;
    }

    /**
     * This answer after proving that its response is what the other fields say: a successful
     * basic OCSP response with one SingleResponse whose CertID is {@link #certId()} and whose
     * thisUpdate and nextUpdate are these (to the second), with the serial of the CertID.
     *
     * @throws IllegalArgumentException saying what does not match
     */
    public PresignedAnswer checked() {
        SingleResponse single = single();
        byte[] echoed;
        try {
            echoed = single.getCertID().getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            throw new IllegalArgumentException("its CertID cannot be encoded: " + e.getMessage(), e);
        }
        if (!Arrays.equals(echoed, certId)) {
            throw new IllegalArgumentException("the response answers another CertID than the one it is stored under");
        }
        if (!single.getCertID().getSerialNumber().getValue().equals(serial)) {
            throw new IllegalArgumentException("the response is about serial "
                    + single.getCertID().getSerialNumber().getValue().toString(16) + ", not " + serial.toString(16));
        }
        if (single.getNextUpdate() == null) {
            throw new IllegalArgumentException("the response has no nextUpdate");
        }
        try {
            Instant responseThis = single.getThisUpdate().getDate().toInstant();
            Instant responseNext = single.getNextUpdate().getDate().toInstant();
            if (responseThis.getEpochSecond() != thisUpdate.getEpochSecond()
                    || responseNext.getEpochSecond() != nextUpdate.getEpochSecond()) {
                throw new IllegalArgumentException("the response's thisUpdate/nextUpdate " + responseThis + "/"
                        + responseNext + " differ from the stored " + thisUpdate + "/" + nextUpdate);
            }
        } catch (java.text.ParseException e) {
            throw new IllegalArgumentException("the response's times cannot be read: " + e.getMessage(), e);
        }
        return this;
    }

    /** What the stored response says about the certificate. */
    public Stated stated() {
        CertStatus status = single().getCertStatus();
        return switch (status.getTagNo()) {
            case 0 -> Stated.GOOD;
            case 1 -> Stated.REVOKED;
            default -> Stated.UNKNOWN;
        };
    }

    /**
     * The rule of a locked server: may this stored answer be served at {@code now}, given the
     * certificate's status read from the directory now? Only while {@code now} is before
     * nextUpdate, and only when the directory still says what the answer says: an answer "good"
     * for a certificate revoked since (by another CA process on the same directory, or recorded
     * before the stop) is never served, nor "revoked" for one the directory holds valid. A stored
     * "unknown" (never written by this responder) is not served either.
     *
     * @param current the status in the directory now; empty when the CA never issued the serial
     */
    public Verdict servableAt(Instant now, Optional<RevocationStatus> current) {
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(current, "current");
        if (!now.isBefore(nextUpdate)) {
            return Verdict.EXPIRED;
        }
        Stated stated = stated();
        if (current.isEmpty() || stated == Stated.UNKNOWN) {
            return Verdict.NOT_KNOWN;
        }
        boolean revokedNow = current.get().isRevoked();
        return revokedNow == (stated == Stated.REVOKED) ? Verdict.SERVE : Verdict.STATUS_CHANGED;
    }

    private SingleResponse single() {
        OCSPResponse parsed;
        try {
            parsed = OCSPResponse.getInstance(response);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("the response is not an OCSPResponse: " + e.getMessage(), e);
        }
        try {
            if (parsed.getResponseStatus().getIntValue() != OCSPResponseStatus.SUCCESSFUL) {
                throw new IllegalArgumentException("the response is not successful (status "
                        + parsed.getResponseStatus().getIntValue() + ")");
            }
            ResponseBytes bytes = parsed.getResponseBytes();
            if (bytes == null || !OCSPObjectIdentifiers.id_pkix_ocsp_basic.equals(bytes.getResponseType())) {
                throw new IllegalArgumentException("the response is not a basic OCSP response");
            }
            ResponseData data = BasicOCSPResponse.getInstance(bytes.getResponse().getOctets()).getTbsResponseData();
            if (data.getResponses().size() != 1) {
                throw new IllegalArgumentException("the response answers " + data.getResponses().size()
                        + " CertIDs, not one");
            }
            return SingleResponse.getInstance(data.getResponses().getObjectAt(0));
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("the response cannot be read: " + e.getMessage(), e);
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PresignedAnswer that && caName.equals(that.caName) && serial.equals(that.serial)
                && Arrays.equals(certId, that.certId) && Arrays.equals(response, that.response)
                && thisUpdate.equals(that.thisUpdate) && nextUpdate.equals(that.nextUpdate);
    }

    @Override
    public int hashCode() {
        return Objects.hash(caName, serial, Arrays.hashCode(certId), thisUpdate);
    }

    @Override
    public String toString() {
        return "PresignedAnswer[" + caName + " serial " + serial.toString(16) + ", " + thisUpdate + " to "
                + nextUpdate + "]";
    }
}
