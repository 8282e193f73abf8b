package org.egovpki.core.km.centre;

import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A request to recover an escrowed encryption key ({@code egovRequestId=<id>,ou=km}), with
 * everything an auditor needs to reconstruct who asked, who approved, when and why.
 *
 * @param id                  identifier, {@code kr-} + random hex
 * @param kind                subscriber or judicial
 * @param caName              CA that issued the encryption certificate
 * @param serial              its serial number
 * @param keyId               the escrowed key
 * @param subscriberDn        whose key it is
 * @param reason              why (free text from the requester)
 * @param legalDocumentRef    judicial: the legal document's number or archive reference; else {@code null}
 * @param officerCertificate  judicial: DER certificate of the officer the key is enveloped to; else {@code null}
 * @param enteredBy           DN of the operator who entered the request
 * @param submittedAt         when
 * @param approvals           the approvals so far, in order (at most two, two different people)
 * @param state               see {@link RecoveryState}
 * @param challengeHash       subscriber: hash of the one-time code, once approved; else {@code null}
 * @param challengeExpires    until when the code may be used
 * @param completedAt         when the key was delivered (code used / file fetched), or {@code null}
 * @param decidedAt           when it was approved by the second role or rejected, or {@code null}
 * @param rejectionReason     why it was rejected, or {@code null}
 */
public record RecoveryRequest(
        String id,
        RecoveryKind kind,
        String caName,
        BigInteger serial,
        String keyId,
        String subscriberDn,
        String reason,
        String legalDocumentRef,
        byte[] officerCertificate,
        String enteredBy,
        Instant submittedAt,
        List<Approval> approvals,
        RecoveryState state,
        String challengeHash,
        Instant challengeExpires,
        Instant completedAt,
        Instant decidedAt,
        String rejectionReason) {

    public RecoveryRequest {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(caName, "caName");
        Objects.requireNonNull(serial, "serial");
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(enteredBy, "enteredBy");
        Objects.requireNonNull(submittedAt, "submittedAt");
        Objects.requireNonNull(state, "state");
        approvals = approvals == null ? List.of() : List.copyOf(approvals);
        officerCertificate = officerCertificate == null ? null : officerCertificate.clone();
        if (kind == RecoveryKind.JUDICIAL && (legalDocumentRef == null || officerCertificate == null)) {
            throw new IllegalArgumentException("judicial recovery " + id + " needs a legal document reference and the "
                    + "officer's certificate");
        }
    }

    @Override
    public byte[] officerCertificate() {
        return officerCertificate == null ? null : officerCertificate.clone();
    }

    public String serialHex() {
        return serial.toString(16);
    }

    /** This request with one more approval, in {@code next} state (APPROVING or APPROVED). */
    public RecoveryRequest approved(Approval approval, RecoveryState next, String newChallengeHash,
                                    Instant newChallengeExpires, Instant decided) {
        List<Approval> all = new ArrayList<>(approvals);
        all.add(approval);
        return new RecoveryRequest(id, kind, caName, serial, keyId, subscriberDn, reason, legalDocumentRef,
                officerCertificate, enteredBy, submittedAt, all, next, newChallengeHash, newChallengeExpires, completedAt,
                decided, rejectionReason);
    }

    public RecoveryRequest rejected(Instant at, String why) {
        return new RecoveryRequest(id, kind, caName, serial, keyId, subscriberDn, reason, legalDocumentRef,
                officerCertificate, enteredBy, submittedAt, approvals, RecoveryState.REJECTED, challengeHash,
                challengeExpires, completedAt, at, why);
    }

    /** Delivered: the code is spent (subscriber) or the file was fetched (judicial). */
    public RecoveryRequest recovered(Instant at) {
        return new RecoveryRequest(id, kind, caName, serial, keyId, subscriberDn, reason, legalDocumentRef,
                officerCertificate, enteredBy, submittedAt, approvals, RecoveryState.RECOVERED, challengeHash,
                challengeExpires, at, decidedAt, rejectionReason);
    }
}
