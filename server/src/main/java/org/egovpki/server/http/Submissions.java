package org.egovpki.server.http;

import static org.egovpki.server.http.JsonCodec.bool;
import static org.egovpki.server.http.JsonCodec.rejectUnknown;
import static org.egovpki.server.http.JsonCodec.strings;
import static org.egovpki.server.http.JsonCodec.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import java.util.Set;
import org.egovpki.core.DomainException;
import org.egovpki.core.enroll.validation.RegistrationData;
import org.egovpki.core.enroll.Submission;

/**
 * An application in JSON, as {@code POST /requests}, each item of {@code POST /requests/batch}
 * and {@code POST /certificates/{serial}/modify} take it: the fields of {@link Submission} with the
 * registration as a nested object, unknown fields refused.
 */
final class Submissions {

    private static final Set<String> SUBMISSION_FIELDS = Set.of("csr", "profile", "subscriberId", "registration",
            "businessType", "region", "publishOptOut", "challengePhrase", "agreementAccepted");
    private static final Set<String> REGISTRATION_FIELDS = Set.of("realName", "idType", "idNumber", "phone", "email",
            "organization", "legalName", "uscc", "organizationCode", "agentName", "agentPhone", "agentEmail",
            "agentIdNumber", "hostNames", "ipAddresses", "owner");

    private Submissions() {
    }

    static Submission parse(JsonNode node) {
        if (!node.isObject()) {
            throw DomainException.badRequest(null, "an application must be a JSON object");
        }
        rejectUnknown(node, SUBMISSION_FIELDS, "");
        JsonNode r = node.path("registration");
        if (!r.isMissingNode() && !r.isObject()) {
            throw DomainException.badRequest("registration", "registration must be a JSON object");
        }
        rejectUnknown(r, REGISTRATION_FIELDS, "registration.");
        String g = "registration.";
        RegistrationData registration = new RegistrationData(text(r, "realName", g), upper(text(r, "idType", g)),
                text(r, "idNumber", g), text(r, "phone", g), text(r, "email", g), text(r, "organization", g),
                text(r, "legalName", g), text(r, "uscc", g), text(r, "organizationCode", g), text(r, "agentName", g),
                text(r, "agentPhone", g), text(r, "agentEmail", g), text(r, "agentIdNumber", g),
                strings(r, "hostNames", g), strings(r, "ipAddresses", g), text(r, "owner", g));
        String csr = text(node, "csr");
        String phrase = text(node, "challengePhrase");
        return new Submission(csr == null ? null : JsonCodec.pemOrBase64(csr, "csr"), text(node, "profile"),
                text(node, "subscriberId"), registration, text(node, "businessType"), text(node, "region"),
                bool(node, "publishOptOut"), phrase == null ? null : phrase.toCharArray(),
                bool(node, "agreementAccepted"));
    }

    private static String upper(String s) {
        return s == null ? null : s.toUpperCase(Locale.ROOT);
    }
}
