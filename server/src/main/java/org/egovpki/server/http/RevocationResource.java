package org.egovpki.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.egovpki.core.DomainException;
import org.egovpki.core.certificate.CertificateRecord;
import org.egovpki.core.certificate.RevocationReason;
import org.egovpki.core.revoke.Requester;
import org.egovpki.core.revoke.RevocationService;

/**
 * Revoking a certificate: an operator's revocation, and the two subscriber channels that need no
 * operator login — the challenge phrase and a request signed with the certificate's key (the
 * phrase or the signature proves the right). Who may revoke what is the {@link RevocationService}'s
 * decision.
 */
final class RevocationResource {

    private static final Set<String> OPERATOR_FIELDS = Set.of("reason", "requester", "invalidityDate");
    private static final Set<String> SELF_SERVICE_FIELDS = Set.of("issuer", "serial", "challengePhrase", "reason",
            "invalidityDate");

    private final RevocationService revocations;
    private final CertificateFinder finder;
    private final SubscriberChannels channels;

    RevocationResource(RevocationService revocations, CertificateFinder finder, SubscriberChannels channels) {
        this.revocations = revocations;
        this.finder = finder;
        this.channels = channels;
    }

    /** {@code POST /certificates/{serial}/revoke?issuer=}: {@code {reason, requester, invalidityDate?}}. */
    void revokeByOperator(ApiCall call) {
        CertificateRecord certificate = finder.find(call, call.param("serial"));
        JsonNode body = call.body();
        JsonCodec.rejectUnknown(body, OPERATOR_FIELDS, "");
        String requester = JsonCodec.text(body, "requester");
        if (requester == null) {
            throw DomainException.badRequest("requester", "requester is required: on whose behalf the certificate is "
                    + "revoked, one of " + List.of(Requester.values()));
        }
        CertificateRecord revoked = revocations.revokeByOperator(call.operator(), certificate.issuer(),
                certificate.serial(), reason(body, true), parse(Requester.class, "requester", requester),
                instant(body, "invalidityDate"));
        call.json(200, CertificateView.of(revoked));
    }

    /** {@code POST /revocations/self-service}: {@code {issuer, serial, challengePhrase, reason?, invalidityDate?}}. */
    void revokeWithChallenge(ApiCall call) {
        JsonNode body = call.body();
        JsonCodec.rejectUnknown(body, SELF_SERVICE_FIELDS, "");
        CertificateRecord revoked = channels.revokeWithChallenge(JsonCodec.text(body, "issuer"),
                JsonCodec.text(body, "serial"), JsonCodec.text(body, "challengePhrase"), JsonCodec.text(body, "reason"),
                instant(body, "invalidityDate"), call.remoteAddress());
        call.json(200, CertificateView.revoked(revoked));
    }

    /** {@code POST /revocations/signed}: a DER CMS SignedData, see {@link org.egovpki.core.revoke.SignedRevocationRequest}. */
    void revokeSigned(ApiCall call) {
        call.json(200, CertificateView.revoked(revocations.revokeSigned(call.rawBody())));
    }

    /**
     * The answer to a POST under {@code /revocations/} that is neither channel: given without an
     * operator login, as the channels are, so a subscriber learns where the channels are.
     */
    static DomainException noSuchChannel(String route) {
        return DomainException.notFound("POST " + ApiHandler.PREFIX + route + " is not part of the API; the subscriber "
                + "revocation endpoints are /revocations/self-service and /revocations/signed");
    }

    private static RevocationReason reason(JsonNode body, boolean required) {
        String text = JsonCodec.text(body, "reason");
        if (text == null && required) {
            throw DomainException.badRequest("reason", "reason is required, one of "
                    + List.of(RevocationReason.values()) + " (or the CPS letter A-J)");
        }
        return SubscriberChannels.reason(text);
    }

    private static <E extends Enum<E>> E parse(Class<E> type, String field, String value) {
        try {
            return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw DomainException.badRequest(field, "unknown " + field + " '" + value + "'; allowed: "
                    + List.of(type.getEnumConstants()));
        }
    }

    private static Instant instant(JsonNode body, String field) {
        String text = JsonCodec.text(body, field);
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
