package org.egovpki.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.eclipse.jetty.http.HttpHeader;
import org.egovpki.core.DomainException;
import org.egovpki.core.ca.KeyDeliveries;
import org.egovpki.core.operator.Operator;
import org.egovpki.core.km.centre.KeyRecoveries;
import org.egovpki.core.km.centre.RecoveryKind;
import org.egovpki.core.km.centre.RecoveryRequest;
import org.egovpki.core.km.centre.RecoveryState;
import org.egovpki.core.x509.Pem;

/**
 * The key management part of {@code /api/v1}: the delivery of a dual issuance's enveloped key,
 * key recovery requests and their two-role approval (KM operators, decided by
 * {@link KeyRecoveries}), the subscriber's download with the one-time code (no operator login: the
 * code is the authority), and the judicial file. The subscriber's download goes through the CA's
 * signed link to the KM, as a separate KM would be reached.
 */
final class KmResource {
    private static final Set<String> SUBMISSION_FIELDS = Set.of("kind", "issuer", "serial", "reason",
            "legalDocumentRef", "officerCertificate");
    private static final Set<String> DOWNLOAD_FIELDS = Set.of("challengeCode", "publicKey");

    private final KeyRecoveries recoveries;
    private final KeyDeliveries deliveries;
    private final SubscriberChannels channels;

    KmResource(KeyRecoveries recoveries, KeyDeliveries deliveries, SubscriberChannels channels) {
        this.recoveries = recoveries;
        this.deliveries = deliveries;
        this.channels = channels;
    }

    /** {@code GET /requests/{id}/key-delivery}: both certificates and the key in the three token formats. */
    void delivery(ApiCall call) {
        String requestId = call.param("id");
        KeyDeliveries.Delivery d = deliveries.forRequest(requestId, call.operator());
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
        call.json(200, v);
    }

    /** {@code POST /km/recoveries}: {@code {kind, issuer, serial, reason, legalDocumentRef?, officerCertificate?}}. */
    void submit(ApiCall call) {
        Operator operator = call.operator();
        JsonNode body = call.body();
        JsonCodec.rejectUnknown(body, SUBMISSION_FIELDS, "");
        String kind = JsonCodec.text(body, "kind");
        RecoveryKind recoveryKind;
        try {
            recoveryKind = RecoveryKind.valueOf(kind == null ? "SUBSCRIBER" : kind.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw DomainException.badRequest("kind", "kind must be SUBSCRIBER or JUDICIAL, was '" + kind + "'");
        }
        String issuer = JsonCodec.text(body, "issuer");
        String serial = JsonCodec.serialHex(JsonCodec.text(body, "serial"));
        if (issuer == null || serial == null) {
            throw DomainException.badRequest(issuer == null ? "issuer" : "serial", "issuer (the CA name) and serial "
                    + "(hex) of the encryption certificate are required");
        }
        String officer = JsonCodec.text(body, "officerCertificate");
        byte[] officerDer = officer == null ? null : certificate(officer);
        RecoveryRequest created = recoveries.submit(new KeyRecoveries.Submission(recoveryKind, issuer,
                new BigInteger(serial, 16), JsonCodec.text(body, "reason"), JsonCodec.text(body, "legalDocumentRef"),
                officerDer), operator);
        call.created(ApiHandler.PREFIX + "/km/recoveries/" + created.id(), RecoveryView.of(created));
    }

    /** {@code GET /km/recoveries/{id}}. */
    void get(ApiCall call) {
        call.json(200, RecoveryView.of(recoveries.get(call.param("id"), call.operator())));
    }

    /** {@code GET /km/recoveries?state=&limit=}: every state unless asked. */
    void list(ApiCall call) {
        RecoveryState state = QueryParams.enumParam(call, "state", RecoveryState.class, null);
        int limit = QueryParams.intParam(call, "limit", 100, 1, 1000);
        call.json(200, Map.of("recoveries", recoveries.list(state, limit, call.operator()).stream()
                .map(RecoveryView::of).toList()));
    }

    /** {@code POST /km/recoveries/{id}/reject}: {@code {"reason": "..."}}. */
    void reject(ApiCall call) {
        String id = call.param("id");
        JsonNode body = call.body();
        JsonCodec.rejectUnknown(body, Set.of("reason"), "");
        call.json(200, RecoveryView.of(recoveries.reject(id, call.operator(), JsonCodec.text(body, "reason"))));
    }

    /** {@code POST /km/recoveries/{id}/approve} (empty body); the approval completing a subscriber recovery carries the code. */
    void approve(ApiCall call) {
        String id = call.param("id");
        JsonCodec.rejectUnknown(call.body(), Set.of(), "");
        KeyRecoveries.Approved approved = recoveries.approve(id, call.operator());
        Map<String, Object> v = RecoveryView.of(approved.request());
        if (approved.challengeCode() != null) {
            v.put("challengeCode", approved.challengeCode());
            v.put("challengeNote", "shown only now: hand it to the subscriber in person or by a separate channel; "
                    + "it works once, until challengeExpires");
        }
        call.json(200, v);
    }

    /** {@code GET /km/recoveries/{id}/judicial-file}: the DER SM2EnvelopedKey for the officer's certificate. */
    void judicialFile(ApiCall call) {
        String id = call.param("id");
        call.header(HttpHeader.CONTENT_DISPOSITION, "attachment; filename=\"" + id + "-judicial.der\"");
        call.bytes(200, "application/octet-stream", recoveries.judicialFile(id, call.operator()));
    }

    /**
     * {@code POST /km/recoveries/{id}/download} (no operator login): {@code {challengeCode, publicKey}}
     * where publicKey is the new token's SM2 key (PEM or base64 DER SubjectPublicKeyInfo).
     */
    void download(ApiCall call) {
        String id = call.param("id");
        JsonNode body = call.body();
        JsonCodec.rejectUnknown(body, DOWNLOAD_FIELDS, "");
        SubscriberChannels.RecoveredKey recovered = channels.recoverKey(id, JsonCodec.text(body, "challengeCode"),
                JsonCodec.text(body, "publicKey"));
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("recovery", recovered.recovery());
        v.put("issuer", recovered.issuer());
        v.put("serial", recovered.serialHex());
        v.put("sm2EnvelopedKey", Base64.getEncoder().encodeToString(recovered.sm2EnvelopedKey()));
        v.put("envelopedKeyBlob", Base64.getEncoder().encodeToString(recovered.envelopedKeyBlob()));
        call.json(200, v);
    }

    private static byte[] certificate(String text) {
        try {
            return Pem.parseCertificate(SubscriberChannels.base64Body(text)).getEncoded();
        } catch (Exception e) {
            throw DomainException.badRequest("officerCertificate", "officerCertificate must be an X.509 certificate, "
                    + "PEM or base64 DER: " + e.getMessage());
        }
    }

}
