package org.egovpki.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.egovpki.core.DomainException;
import org.egovpki.core.ca.KeyDeliveries;
import org.egovpki.core.ca.KeyManagementLink;
import org.egovpki.core.enroll.Operator;
import org.egovpki.core.km.SkfEnvelopedKeyBlob;
import org.egovpki.core.km.Sm2EnvelopedKey;
import org.egovpki.core.km.centre.Approval;
import org.egovpki.core.km.centre.KeyRecoveries;
import org.egovpki.core.km.centre.RecoveryKind;
import org.egovpki.core.km.centre.RecoveryRequest;
import org.egovpki.core.km.centre.RecoveryState;
import org.egovpki.core.x509.Pem;

/**
 * The key management part of {@code /api/v1}: the delivery of a dual issuance's enveloped key,
 * key recovery requests and their two-role approval (KM operators), the subscriber's download
 * with the one-time code (no operator login: the code is the authority), and the judicial file.
 * The subscriber's download goes through the CA's signed link to the KM, as a separate KM would
 * be reached.
 */
final class KmApi {

    static final Pattern DELIVERY = Pattern.compile("/requests/([A-Za-z0-9._-]{1,64})/key-delivery");
    static final Pattern RECOVERY = Pattern.compile("/km/recoveries/(kr-[0-9a-f]{1,64})");
    static final Pattern RECOVERY_ACTION = Pattern.compile("/km/recoveries/(kr-[0-9a-f]{1,64})/(approve|reject)");
    static final Pattern JUDICIAL_FILE = Pattern.compile("/km/recoveries/(kr-[0-9a-f]{1,64})/judicial-file");
    static final Pattern DOWNLOAD = Pattern.compile("/km/recoveries/(kr-[0-9a-f]{1,64})/download");
    private static final Set<String> SUBMISSION_FIELDS = Set.of("kind", "issuer", "serial", "reason",
            "legalDocumentRef", "officerCertificate");
    private static final Set<String> DOWNLOAD_FIELDS = Set.of("challengeCode", "publicKey");

    private final KeyRecoveries recoveries;
    private final KeyManagementLink link;
    private final KeyDeliveries deliveries;

    KmApi(KeyRecoveries recoveries, KeyManagementLink link, KeyDeliveries deliveries) {
        this.recoveries = recoveries;
        this.link = link;
        this.deliveries = deliveries;
    }

    /** {@code GET /requests/{id}/key-delivery}: both certificates and the key in the three token formats. */
    Map<String, Object> delivery(String requestId) {
        KeyDeliveries.Delivery d = deliveries.forRequest(requestId);
        Base64.Encoder b64 = Base64.getEncoder();
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("request", requestId);
        v.put("issuer", d.signing().issuer());
        v.put("signSerial", d.signing().serialHex());
        v.put("encryptSerial", d.encryption().serialHex());
        v.put("signCertificate", b64.encodeToString(d.signCertificate()));
        v.put("encryptCertificate", b64.encodeToString(d.encryptCertificate()));
        v.put("sm2EnvelopedKey", b64.encodeToString(d.envelopedKey()));
        v.put("csrResponse", b64.encodeToString(d.csrResponse()));
        v.put("envelopedKeyBlob", b64.encodeToString(d.skfBlob()));
        return v;
    }

    /** {@code POST /km/recoveries}: {@code {kind, issuer, serial, reason, legalDocumentRef?, officerCertificate?}}. */
    Map<String, Object> submit(Operator operator, JsonNode body) {
        ApiHandler.rejectUnknown(body, SUBMISSION_FIELDS, "");
        String kind = ApiHandler.text(body, "kind");
        RecoveryKind recoveryKind;
        try {
            recoveryKind = RecoveryKind.valueOf(kind == null ? "SUBSCRIBER" : kind.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw DomainException.badRequest("kind", "kind must be SUBSCRIBER or JUDICIAL, was '" + kind + "'");
        }
        String issuer = ApiHandler.text(body, "issuer");
        String serial = ApiHandler.lower(ApiHandler.text(body, "serial"));
        if (issuer == null || serial == null) {
            throw DomainException.badRequest(issuer == null ? "issuer" : "serial", "issuer (the CA name) and serial "
                    + "(hex) of the encryption certificate are required");
        }
        String officer = ApiHandler.text(body, "officerCertificate");
        byte[] officerDer = officer == null ? null : certificate(officer);
        RecoveryRequest created = recoveries.submit(new KeyRecoveries.Submission(recoveryKind, issuer,
                new BigInteger(serial, 16), ApiHandler.text(body, "reason"), ApiHandler.text(body, "legalDocumentRef"),
                officerDer), operator);
        return view(created);
    }

    Map<String, Object> get(String id) {
        return view(recoveries.get(id));
    }

    Map<String, Object> list(RecoveryState state, int limit) {
        return Map.of("recoveries", recoveries.list(state, limit).stream().map(KmApi::view).toList());
    }

    /** {@code POST /km/recoveries/{id}/approve|reject}; the approval completing a subscriber recovery carries the code. */
    Map<String, Object> decide(Operator operator, String id, String action, JsonNode body) {
        if (action.equals("reject")) {
            ApiHandler.rejectUnknown(body, Set.of("reason"), "");
            return view(recoveries.reject(id, operator, ApiHandler.text(body, "reason")));
        }
        ApiHandler.rejectUnknown(body, Set.of(), "");
        KeyRecoveries.Approved approved = recoveries.approve(id, operator);
        Map<String, Object> v = view(approved.request());
        if (approved.challengeCode() != null) {
            v.put("challengeCode", approved.challengeCode());
            v.put("challengeNote", "shown only now: hand it to the subscriber in person or by a separate channel; "
                    + "it works once, until challengeExpires");
        }
        return v;
    }

    /** {@code GET /km/recoveries/{id}/judicial-file}: the DER SM2EnvelopedKey for the officer's certificate. */
    byte[] judicialFile(Operator operator, String id) {
        return recoveries.judicialFile(id, operator);
    }

    /**
     * {@code POST /km/recoveries/{id}/download} (no operator login): {@code {challengeCode, publicKey}}
     * where publicKey is the new token's SM2 key (PEM or base64 DER SubjectPublicKeyInfo).
     */
    Map<String, Object> download(String id, JsonNode body) {
        ApiHandler.rejectUnknown(body, DOWNLOAD_FIELDS, "");
        String code = ApiHandler.text(body, "challengeCode");
        String key = ApiHandler.text(body, "publicKey");
        if (code == null || key == null) {
            throw DomainException.badRequest(code == null ? "challengeCode" : "publicKey", "challengeCode and publicKey "
                    + "(the new token's SM2 public key, PEM or base64 DER) are required");
        }
        RecoveryRequest request = recoveries.get(id);
        byte[] envelope = link.restore(request.caName(), request.serial(), publicKey(key), id, code);
        Sm2EnvelopedKey parsed = Sm2EnvelopedKey.parse(envelope);
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("recovery", id);
        v.put("issuer", request.caName());
        v.put("serial", request.serialHex());
        v.put("sm2EnvelopedKey", Base64.getEncoder().encodeToString(envelope));
        v.put("envelopedKeyBlob", Base64.getEncoder().encodeToString(
                SkfEnvelopedKeyBlob.encode(parsed)));
        return v;
    }

    static Map<String, Object> view(RecoveryRequest r) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", r.id());
        v.put("kind", r.kind().name());
        v.put("state", r.state().name());
        v.put("issuer", r.caName());
        v.put("serial", r.serialHex());
        v.put("keyId", r.keyId());
        v.put("subscriber", r.subscriberDn());
        v.put("reason", r.reason());
        v.put("legalDocumentRef", r.legalDocumentRef());
        v.put("enteredBy", r.enteredBy());
        v.put("submittedAt", r.submittedAt().toString());
        List<Map<String, Object>> approvals = new ArrayList<>();
        for (Approval a : r.approvals()) {
            approvals.add(Map.of("role", a.role().name(), "by", a.operatorDn(), "at", a.at().toString()));
        }
        v.put("approvals", approvals);
        v.put("challengeExpires", r.challengeExpires() == null ? null : r.challengeExpires().toString());
        v.put("completedAt", r.completedAt() == null ? null : r.completedAt().toString());
        v.put("decidedAt", r.decidedAt() == null ? null : r.decidedAt().toString());
        v.put("rejectionReason", r.rejectionReason());
        return v;
    }

    private static byte[] certificate(String text) {
        try {
            return Pem.parseCertificate(base64Body(text)).getEncoded();
        } catch (Exception e) {
            throw DomainException.badRequest("officerCertificate", "officerCertificate must be an X.509 certificate, "
                    + "PEM or base64 DER: " + e.getMessage());
        }
    }

    /** The bytes of one PEM block (headers dropped), or of plain base64. */
    private static byte[] base64Body(String text) {
        return Base64.getMimeDecoder().decode(text.replaceAll("-----[A-Z0-9 ]+-----", "").strip());
    }

    private static SubjectPublicKeyInfo publicKey(String text) {
        try {
            return SubjectPublicKeyInfo.getInstance(base64Body(text));
        } catch (RuntimeException e) {
            throw DomainException.badRequest("publicKey", "publicKey must be a SubjectPublicKeyInfo (PEM 'PUBLIC KEY' "
                    + "or base64 DER): " + e.getMessage());
        }
    }
}
