package org.egovpki.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.egovpki.core.DomainException;
import org.egovpki.core.enroll.OperatorAccount;
import org.egovpki.core.enroll.OperatorAdministration;
import org.egovpki.core.enroll.OperatorCertificates;
import org.egovpki.core.dualcontrol.DualControl;
import org.egovpki.core.operator.Role;

/**
 * {@code /operators}: operator management for security admins, and every operator's own password
 * change (docs/operations.md, "Managing operators"). Who may do what — and the separation of duties,
 * the self and last-security-admin rules — is {@link OperatorAdministration}'s; this class turns JSON
 * into its inputs and its accounts into views that never carry a password or a hash. A generated
 * one-time password is in the answer of the call that made it, and nowhere else.
 */
final class OperatorResource {

    private static final Set<String> CREATE = Set.of("uid", "name", "roles");
    private static final Set<String> UPDATE = Set.of("roles", "enabled");
    private static final Set<String> PASSWORD = Set.of("oldPassword", "newPassword");

    private static final Set<String> BIND = Set.of("certificate");

    private final OperatorAdministration administration;
    private final OperatorCertificates certificates;

    /** @param administration operator management, {@code null} for a server built without it (tests) */
    OperatorResource(OperatorAdministration administration) {
        this(administration, null);
    }

    /** @param certificates the binding of operator certificates, {@code null} for a server built without it (tests) */
    OperatorResource(OperatorAdministration administration, OperatorCertificates certificates) {
        this.administration = administration;
        this.certificates = certificates;
    }

    /**
     * {@code POST /operators/{uid}/certificate}: binds an operator certificate (PEM or base64 DER) to
     * the operator, its second login factor; answers the binding.
     */
    void bindCertificate(ApiCall call) {
        if (certificates == null) {
            throw DomainException.unavailable("operator certificates are not available on this server", null);
        }
        JsonNode body = call.body();
        JsonCodec.rejectUnknown(body, BIND, "");
        String text = JsonCodec.text(body, "certificate");
        if (text == null) {
            throw DomainException.badRequest("certificate", "certificate is required: the operator certificate, PEM "
                    + "or base64 DER");
        }
        DualControl.Outcome<OperatorCertificates.Bound> bound = certificates.bind(call.operator(), call.param("uid"),
                LoginResource.certificateDer(text));
        if (!bound.done()) {
            call.json(202, proposed(call.param("uid"), bound.proposal(), "the same call with the same certificate"));
            return;
        }
        call.json(200, boundView(bound.result()));
    }

    /** The allow-listed fields of a binding. */
    static Map<String, Object> boundView(OperatorCertificates.Bound bound) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("uid", bound.uid());
        v.put("certificate", bound.record().id());
        v.put("issuer", bound.record().issuer());
        v.put("serial", bound.record().serialHex());
        v.put("notAfter", bound.record().notAfter().toString());
        v.put("status", bound.record().status().name());
        return v;
    }

    /** A 202's body: the change waits for a second security admin, who confirms it with {@code how}. */
    private static Map<String, Object> proposed(String uid, DualControl.Proposal proposal, String how) {
        return ProposalView.of(Map.of("uid", uid), proposal, "security admin", how);
    }

    /** {@code GET /operators}. */
    void list(ApiCall call) {
        List<Map<String, Object>> views = new ArrayList<>();
        for (OperatorAccount account : administration().list(call.operator())) {
            views.add(view(account));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("operators", views);
        call.json(200, body);
    }

    /** {@code POST /operators}: 201 with the account and its one-time password. */
    void create(ApiCall call) {
        JsonNode body = call.body();
        JsonCodec.rejectUnknown(body, CREATE, "");
        String uid = JsonCodec.text(body, "uid");
        if (uid == null) {
            throw DomainException.badRequest("uid", "uid is required: the new operator's login");
        }
        String name = JsonCodec.text(body, "name");
        if (name == null) {
            throw DomainException.badRequest("name", "name is required: the operator's display name");
        }
        DualControl.Outcome<OperatorAdministration.OneTimePassword> created = administration().create(call.operator(),
                uid, name, roles(body));
        if (!created.done()) {
            call.json(202, proposed(uid, created.proposal(), "the same call with the same uid, name and roles"));
            return;
        }
        call.created(ApiHandler.PREFIX + "/operators/" + created.result().account().uid(),
                withPassword(created.result()));
    }

    /** {@code GET /operators/{uid}}. */
    void get(ApiCall call) {
        call.json(200, view(administration().get(call.operator(), call.param("uid"))));
    }

    /** {@code PATCH /operators/{uid}}: {@code roles} (the whole new set), {@code enabled}, or both. */
    void update(ApiCall call) {
        JsonNode body = call.body();
        JsonCodec.rejectUnknown(body, UPDATE, "");
        boolean roles = body.has("roles") && !body.get("roles").isNull();
        boolean enabled = body.has("enabled") && !body.get("enabled").isNull();
        if (!roles && !enabled) {
            throw DomainException.badRequest(null, "nothing to change: give roles (the operator's new set of roles), "
                    + "enabled (true or false), or both");
        }
        String uid = call.param("uid");
        OperatorAccount account = null;
        if (roles) {
            DualControl.Outcome<OperatorAccount> changed = administration().changeRoles(call.operator(), uid,
                    roles(body));
            if (!changed.done()) {
                // A role added waits for a second security admin; nothing of this call is done until then.
                call.json(202, proposed(uid, changed.proposal(), "the same call with the same roles"));
                return;
            }
            account = changed.result();
        }
        if (enabled) {
            account = administration().setEnabled(call.operator(), uid, JsonCodec.bool(body, "enabled"));
        }
        call.json(200, view(account));
    }

    /** {@code POST /operators/{uid}/password-reset}: the new one-time password, shown once. */
    void resetPassword(ApiCall call) {
        JsonCodec.rejectUnknown(call.body(), Set.of(), "");
        DualControl.Outcome<OperatorAdministration.OneTimePassword> reset = administration()
                .resetPassword(call.operator(), call.param("uid"));
        if (!reset.done()) {
            call.json(202, proposed(call.param("uid"), reset.proposal(), "the same call"));
            return;
        }
        call.json(200, withPassword(reset.result()));
    }

    /** {@code POST /operators/me/password}: the old password and the new one. */
    void changeOwnPassword(ApiCall call) {
        JsonNode body = call.body();
        JsonCodec.rejectUnknown(body, PASSWORD, "");
        administration().changeOwnPassword(call.operator(), secret(body, "oldPassword"), secret(body, "newPassword"));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("uid", call.operator().uid());
        answer.put("passwordChanged", true);
        call.json(200, answer);
    }

    private OperatorAdministration administration() {
        if (administration == null) {
            throw DomainException.unavailable("operator management is not available on this server", null);
        }
        return administration;
    }

    private static Set<Role> roles(JsonNode body) {
        List<String> names = JsonCodec.strings(body, "roles", "");
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (String name : names) {
            try {
                roles.add(Role.valueOf(name.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw DomainException.badRequest("roles", "unknown role '" + name + "'; roles: "
                        + EnumSet.allOf(Role.class));
            }
        }
        return roles;
    }

    /** A password as given, blanks included; refused naming the field when absent or not a string. */
    private static char[] secret(JsonNode body, String field) {
        JsonNode value = body.path(field);
        if (!value.isTextual() || value.asText().isEmpty()) {
            throw DomainException.badRequest(field, field + " is required (a string)");
        }
        return value.asText().toCharArray();
    }

    /** The allow-listed fields of an account: never a password or a hash. */
    static Map<String, Object> view(OperatorAccount account) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("uid", account.uid());
        v.put("name", account.operator().name());
        v.put("dn", account.operator().dn());
        v.put("roles", account.operator().roles().stream().map(Enum::name).sorted().toList());
        v.put("enabled", account.enabled());
        v.put("passwordChangedAt", account.passwordChangedAt().toString());
        v.put("passwordMustChange", account.passwordMustChange());
        return v;
    }

    private static Map<String, Object> withPassword(OperatorAdministration.OneTimePassword created) {
        Map<String, Object> v = view(created.account());
        v.put("oneTimePassword", new String(created.password()));
        return v;
    }
}
