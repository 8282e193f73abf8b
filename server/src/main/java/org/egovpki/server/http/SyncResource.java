package org.egovpki.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.egovpki.core.DomainException;
import org.egovpki.core.sync.SyncCredentials;
import org.egovpki.core.sync.SyncTargets;

/**
 * {@code /sync/targets}: the e-government systems that receive the CA's events, and their delivery
 * cursor (docs/sync.md, "Administering targets"). Who may do what, and every check of the settings,
 * is {@link SyncTargets}'s; this class only turns JSON into its inputs, with the secrets taken out
 * of the body into a {@link SyncCredentials.Secret} and never answered back.
 */
final class SyncResource {

    private static final Set<String> FIELDS = Set.of("id", "url", "binding", "businessTypes", "caIdentifier",
            "authentication", "enabled", "schedule", "personalData");
    private static final Set<String> AUTHENTICATION = Set.of("type", "username", "password", "pkcs12",
            "pkcs12Password");

    private final SyncTargets targets;

    /** @param targets the administration, {@code null} if this server runs without the sync store */
    SyncResource(SyncTargets targets) {
        this.targets = targets;
    }

    /** {@code POST /sync/targets}: 201 with the target as stored. */
    void add(ApiCall call) {
        JsonNode body = call.body();
        SyncTargets.Settings settings = settings(body);
        var added = targets().add(call.operator(), settings, secret(body));
        call.created(ApiHandler.PREFIX + "/sync/targets/" + added.target().id(), SyncTargetView.of(added));
    }

    /** {@code GET /sync/targets}: every target with its state. */
    void list(ApiCall call) {
        call.json(200, SyncTargetView.list(targets().list(call.operator())));
    }

    /** {@code GET /sync/targets/{id}}. */
    void get(ApiCall call) {
        call.json(200, SyncTargetView.of(targets().get(call.operator(), call.param("id"))));
    }

    /** {@code PUT /sync/targets/{id}}: the whole settings; a secret left out is kept while the type stays. */
    void replace(ApiCall call) {
        JsonNode body = call.body();
        var replaced = targets().replace(call.operator(), call.param("id"), settings(body), secret(body));
        call.json(200, SyncTargetView.of(replaced));
    }

    /** {@code DELETE /sync/targets/{id}}. */
    void delete(ApiCall call) {
        String id = call.param("id");
        targets().delete(call.operator(), id);
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", id);
        v.put("deleted", true);
        call.json(200, v);
    }

    /** {@code POST /sync/targets/{id}/redrive}. */
    void redrive(ApiCall call) {
        JsonCodec.rejectUnknown(call.body(), Set.of(), "");
        call.json(200, SyncTargetView.of(targets().redrive(call.operator(), call.param("id"))));
    }

    /** {@code POST /sync/targets/{id}/skip}. */
    void skip(ApiCall call) {
        JsonCodec.rejectUnknown(call.body(), Set.of(), "");
        call.json(200, SyncTargetView.of(targets().skip(call.operator(), call.param("id"))));
    }

    /** {@code POST /sync/targets/{id}/replay}: {@code {"from": N}}. */
    void replay(ApiCall call) {
        JsonNode body = call.body();
        JsonCodec.rejectUnknown(body, Set.of("from"), "");
        JsonNode from = body.path("from");
        if (!from.canConvertToLong() || !from.isIntegralNumber()) {
            throw DomainException.badRequest("from", "from is required: the sequence number to deliver again from "
                    + "(an integer, 1 or more)");
        }
        call.json(200, SyncTargetView.of(targets().replay(call.operator(), call.param("id"), from.longValue())));
    }

    private SyncTargets targets() {
        if (targets == null) {
            throw DomainException.unavailable("sync targets are not available: this server runs without the sync "
                    + "store", null);
        }
        return targets;
    }

    private static SyncTargets.Settings settings(JsonNode body) {
        JsonCodec.rejectUnknown(body, FIELDS, "");
        JsonNode auth = body.path("authentication");
        String type = null;
        String username = null;
        if (!auth.isMissingNode() && !auth.isNull()) {
            if (!auth.isObject()) {
                throw DomainException.badRequest("authentication", "authentication must be an object, not "
                        + JsonCodec.jsonType(auth));
            }
            JsonCodec.rejectUnknown(auth, AUTHENTICATION, "authentication.");
            type = JsonCodec.text(auth, "type", "authentication.");
            username = JsonCodec.text(auth, "username", "authentication.");
        }
        return new SyncTargets.Settings(JsonCodec.text(body, "id"), JsonCodec.text(body, "url"),
                JsonCodec.text(body, "binding"), JsonCodec.strings(body, "businessTypes", ""),
                JsonCodec.text(body, "caIdentifier"), type, username, optionalBool(body, "enabled"),
                JsonCodec.text(body, "schedule"), optionalBool(body, "personalData"));
    }

    /** The secret fields of {@code authentication}, or {@code null} if none is given. */
    private static SyncCredentials.Secret secret(JsonNode body) {
        JsonNode auth = body.path("authentication");
        if (!auth.isObject()) {
            return null;
        }
        String type = JsonCodec.text(auth, "type", "authentication.");
        String password = secretText(auth, SyncTargets.AUTH_CLIENT_CERTIFICATE.equals(type) ? "pkcs12Password"
                : "password");
        String other = secretText(auth, SyncTargets.AUTH_CLIENT_CERTIFICATE.equals(type) ? "password"
                : "pkcs12Password");
        if (other != null) {
            String field = SyncTargets.AUTH_CLIENT_CERTIFICATE.equals(type) ? "password" : "pkcs12Password";
            throw DomainException.badRequest("authentication." + field, "authentication." + field + " does not go "
                    + "with authentication type " + (type == null ? SyncTargets.AUTH_NONE : type));
        }
        String pkcs12 = JsonCodec.text(auth, "pkcs12", "authentication.");
        byte[] der = null;
        if (pkcs12 != null) {
            try {
                der = Base64.getMimeDecoder().decode(pkcs12);
            } catch (IllegalArgumentException e) {
                throw DomainException.badRequest("authentication.pkcs12", "authentication.pkcs12 must be the "
                        + "PKCS#12 file in base64");
            }
        }
        if (password == null && der == null) {
            return null;
        }
        return new SyncCredentials.Secret(password == null ? null : password.toCharArray(), der);
    }

    /** A password as given, blanks included (unlike {@link JsonCodec#text}); {@code null} when absent or empty. */
    private static String secretText(JsonNode auth, String field) {
        JsonNode value = auth.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw DomainException.badRequest("authentication." + field, "authentication." + field
                    + " must be a string, not " + JsonCodec.jsonType(value));
        }
        return value.asText().isEmpty() ? null : value.asText();
    }

    /** A boolean field, {@code null} when absent or JSON null (the domain's default applies). */
    private static Boolean optionalBool(JsonNode body, String field) {
        JsonNode value = body.path(field);
        return value.isMissingNode() || value.isNull() ? null : JsonCodec.bool(body, field);
    }
}
