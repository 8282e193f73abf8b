package org.egovpki.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.egovpki.core.DomainException;
import org.egovpki.core.certificate.CertificateRecord;
import org.egovpki.core.certificate.Revocation;
import org.egovpki.core.certificate.RevocationReason;
import org.egovpki.core.enroll.Operator;
import org.egovpki.core.revoke.Requester;
import org.egovpki.core.revoke.RevocationService;

/**
 * The revocation part of {@code /api/v1}: an operator's revocation of a certificate, and the two
 * subscriber channels that need no operator login — the challenge phrase and a request signed
 * with the certificate's key. JSON in and out through {@link ApiHandler}'s helpers.
 */
final class RevocationApi {

    private static final Set<String> OPERATOR_FIELDS = Set.of("reason", "requester", "invalidityDate");
    private static final Set<String> SELF_SERVICE_FIELDS = Set.of("issuer", "serial", "challengePhrase", "reason",
            "invalidityDate");

    private final RevocationService revocations;

    RevocationApi(RevocationService revocations) {
        this.revocations = revocations;
    }

    /** {@code POST /certificates/{serial}/revoke}: {@code {reason, requester, invalidityDate?}}. */
    CertificateRecord revokeByOperator(Operator operator, CertificateRecord certificate, JsonNode body) {
        ApiHandler.rejectUnknown(body, OPERATOR_FIELDS, "");
        String requester = ApiHandler.text(body, "requester");
        if (requester == null) {
            throw DomainException.badRequest("requester", "requester is required: on whose behalf the certificate is "
                    + "revoked, one of " + java.util.List.of(Requester.values()));
        }
        return revocations.revokeByOperator(operator, certificate.issuer(), certificate.serial(),
                reason(body, true), parse(Requester.class, "requester", requester), instant(body, "invalidityDate"));
    }

    /** {@code POST /revocations/self-service}: {@code {issuer, serial, challengePhrase, reason?, invalidityDate?}}. */
    CertificateRecord revokeWithChallenge(JsonNode body, String client) {
        ApiHandler.rejectUnknown(body, SELF_SERVICE_FIELDS, "");
        String issuer = ApiHandler.text(body, "issuer");
        String serial = ApiHandler.text(body, "serial");
        String phrase = ApiHandler.text(body, "challengePhrase");
        if (issuer == null || serial == null || phrase == null) {
            throw DomainException.badRequest(issuer == null ? "issuer" : serial == null ? "serial" : "challengePhrase",
                    "issuer (the CA name), serial (hex) and challengePhrase are required");
        }
        return revocations.revokeWithChallenge(issuer, new BigInteger(ApiHandler.lower(serial), 16),
                phrase.toCharArray(), reason(body, false), instant(body, "invalidityDate"), client);
    }

    /** {@code POST /revocations/signed}: a DER CMS SignedData, see {@link org.egovpki.core.revoke.SignedRevocationRequest}. */
    CertificateRecord revokeSigned(byte[] cms) {
        return revocations.revokeSigned(cms);
    }

    /** The revocation facts added to a certificate's JSON view. */
    static Map<String, Object> view(Revocation r) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("revokedAt", r.time().toString());
        v.put("cause", r.reason().name());
        v.put("reason", r.reason().rfc5280Name());
        v.put("reasonCode", r.reason().rfc5280Code());
        v.put("invalidityDate", r.invalidityDate() == null ? null : r.invalidityDate().toString());
        v.put("revokedBy", r.revokedBy());
        v.put("channel", r.channel().name());
        return v;
    }

    private static RevocationReason reason(JsonNode body, boolean required) {
        String text = ApiHandler.text(body, "reason");
        if (text == null) {
            if (required) {
                throw DomainException.badRequest("reason", "reason is required, one of "
                        + java.util.List.of(RevocationReason.values()) + " (or the CPS letter A-J)");
            }
            return null;
        }
        try {
            return RevocationReason.parse(text);
        } catch (IllegalArgumentException e) {
            throw DomainException.badRequest("reason", e.getMessage());
        }
    }

    private static <E extends Enum<E>> E parse(Class<E> type, String field, String value) {
        try {
            return Enum.valueOf(type, value.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw DomainException.badRequest(field, "unknown " + field + " '" + value + "'; allowed: "
                    + java.util.List.of(type.getEnumConstants()));
        }
    }

    private static Instant instant(JsonNode body, String field) {
        String text = ApiHandler.text(body, field);
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw DomainException.badRequest(field, field + " '" + text + "' is not an ISO-8601 UTC time like "
                    + "2026-11-21T08:00:00Z");
        }
    }
}
