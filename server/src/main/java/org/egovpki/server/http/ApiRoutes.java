package org.egovpki.server.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The route table of the operator API under {@code /api/v1}: one line per operation, method and
 * OpenAPI-style path template ({@code /requests/{id}/approve}) to the resource method that answers
 * it. Adding an endpoint adds a line here and a method in (or a new) resource class.
 *
 * <p>A path parameter matches only its own pattern, so a malformed id or serial never reaches a
 * resource: the path is simply not part of the API (404). Routes are tried in the order written;
 * methods are compared exactly (HTTP methods are case-sensitive: {@code get} is not {@code GET}). {@link #operations()}
 * lists the table for the contract check against {@code openapi.yaml}.
 */
public final class ApiRoutes {

    /** A request id (also the request of a key delivery). */
    static final Param REQUEST_ID = new Param("id", "[A-Za-z0-9._-]{1,64}");
    /** A key recovery id. */
    static final Param RECOVERY_ID = new Param("id", "kr-[0-9a-f]{1,64}");
    /** A certificate serial, hex. */
    static final Param SERIAL = new Param("serial", "[0-9a-fA-F]{1,40}");
    /** A serial, optionally with the file format asked for: {@code .der}, {@code .pem} or {@code .p7b}. */
    static final Param SERIAL_FILE = new Param("serial", "[0-9a-fA-F]{1,40}(?:\\.der|\\.pem|\\.p7b)?");
    /** A CA name. */
    static final Param CA = new Param("ca", "[A-Za-z0-9._-]{1,64}");
    /** A sync target's id ({@code SyncTarget.ID}). */
    static final Param SYNC_TARGET = new Param("id", "[a-z0-9][a-z0-9-]{0,62}");
    /**
     * An operator's login ({@code LdapOperatorDirectory.UID}), except {@code me}: {@code /operators/me}
     * is the logged-in operator's own ({@code OperatorAdministration.RESERVED_UID}).
     */
    static final Param OPERATOR_UID = new Param("uid", "(?!me(?:/|$))[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    /** A path parameter in a template; declared before the table, which uses it as it is built. */
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z]+)}");
    private static final String GET = "GET";
    private static final String POST = "POST";
    private static final String PUT = "PUT";
    private static final String DELETE = "DELETE";
    private static final String PATCH = "PATCH";

    /**
     * What {@code POST /revocations/signed} reads: a DER CMS SignedData, as the document declares it
     * ({@code application/pkcs7-mime}) or as generic bytes. Every other route reads JSON.
     */
    static final Set<String> SIGNED_REQUEST_TYPES = Set.of("application/pkcs7-mime", "application/octet-stream");

    /** The operator API. Open routes need no operator login: the document, or a proof in the body. */
    public static final ApiRoutes API = new ApiRoutes()
            .document("/openapi.yaml", (r, c) -> r.openApi().document(c))
            .open(POST, "/revocations/self-service", (r, c) -> r.revocations().revokeWithChallenge(c))
            .open(POST, "/revocations/signed", (r, c) -> r.revocations().revokeSigned(c))
            .accepting(SIGNED_REQUEST_TYPES)
            .open(POST, "/km/recoveries/{id}/download", RECOVERY_ID, (r, c) -> r.km().download(c))
            .operator(POST, "/requests", (r, c) -> r.requests().submit(c))
            .operator(POST, "/requests/batch", (r, c) -> r.requests().submitBatch(c))
            .operator(GET, "/requests", (r, c) -> r.requests().list(c))
            .operator(POST, "/requests/{id}/approve", REQUEST_ID, (r, c) -> r.requests().approve(c))
            .operator(POST, "/requests/{id}/reject", REQUEST_ID, (r, c) -> r.requests().reject(c))
            .operator(POST, "/requests/{id}/cancel", REQUEST_ID, (r, c) -> r.requests().cancel(c))
            .operator(GET, "/requests/{id}", REQUEST_ID, (r, c) -> r.requests().get(c))
            .scoped(GET, "/certificates", (r, c) -> r.certificates().search(c))
            .scoped(GET, "/certificates/{serial}", SERIAL_FILE, (r, c) -> r.certificates().get(c))
            .operator(POST, "/cas/{ca}/revoke", CA, (r, c) -> r.cas().revoke(c))
            .operator(POST, "/cas/{ca}/changeover", CA, (r, c) -> r.cas().changeover(c))
            .operator(POST, "/crls/{ca}", CA, (r, c) -> r.cas().issueCrl(c))
            .operator(POST, "/certificates/{serial}/revoke", SERIAL, (r, c) -> r.revocations().revokeByOperator(c))
            .operator(POST, "/certificates/{serial}/renew", SERIAL, (r, c) -> r.lifecycle().renew(c))
            .operator(POST, "/certificates/{serial}/rekey", SERIAL, (r, c) -> r.lifecycle().rekey(c))
            .operator(POST, "/certificates/{serial}/modify", SERIAL, (r, c) -> r.lifecycle().modify(c))
            .operator(POST, "/certificates/{serial}/replace", SERIAL, (r, c) -> r.lifecycle().replace(c))
            .operator(GET, "/requests/{id}/key-delivery", REQUEST_ID, (r, c) -> r.km().delivery(c))
            .operator(POST, "/km/recoveries", (r, c) -> r.km().submit(c))
            .operator(GET, "/km/recoveries", (r, c) -> r.km().list(c))
            .operator(POST, "/km/recoveries/{id}/approve", RECOVERY_ID, (r, c) -> r.km().approve(c))
            .operator(POST, "/km/recoveries/{id}/reject", RECOVERY_ID, (r, c) -> r.km().reject(c))
            .operator(GET, "/km/recoveries/{id}/judicial-file", RECOVERY_ID, (r, c) -> r.km().judicialFile(c))
            .operator(GET, "/km/recoveries/{id}", RECOVERY_ID, (r, c) -> r.km().get(c))
            .operator(GET, "/profiles", (r, c) -> r.profiles().list(c))
            .operator(POST, "/sync/targets", (r, c) -> r.sync().add(c))
            .scoped(GET, "/sync/targets", (r, c) -> r.sync().list(c))
            .scoped(GET, "/sync/targets/{id}", SYNC_TARGET, (r, c) -> r.sync().get(c))
            .operator(PUT, "/sync/targets/{id}", SYNC_TARGET, (r, c) -> r.sync().replace(c))
            .operator(DELETE, "/sync/targets/{id}", SYNC_TARGET, (r, c) -> r.sync().delete(c))
            .operator(POST, "/sync/targets/{id}/redrive", SYNC_TARGET, (r, c) -> r.sync().redrive(c))
            .operator(POST, "/sync/targets/{id}/skip", SYNC_TARGET, (r, c) -> r.sync().skip(c))
            .operator(POST, "/sync/targets/{id}/replay", SYNC_TARGET, (r, c) -> r.sync().replay(c))
            .operator(GET, "/sync/targets/{id}/events", SYNC_TARGET, (r, c) -> r.syncEvents().events(c))
            .operator(GET, "/audit", (r, c) -> r.audit().read(c))
            .operator(GET, "/audit/export", (r, c) -> r.audit().export(c))
            .passwordChange(POST, "/operators/me/password", (r, c) -> r.operators().changeOwnPassword(c))
            .operator(GET, "/operators", (r, c) -> r.operators().list(c))
            .operator(POST, "/operators", (r, c) -> r.operators().create(c))
            .operator(GET, "/operators/{uid}", OPERATOR_UID, (r, c) -> r.operators().get(c))
            .operator(PATCH, "/operators/{uid}", OPERATOR_UID, (r, c) -> r.operators().update(c))
            .operator(POST, "/operators/{uid}/password-reset", OPERATOR_UID, (r, c) -> r.operators().resetPassword(c))
            .operator(POST, "/operators/{uid}/certificate", OPERATOR_UID, (r, c) -> r.operators().bindCertificate(c))
            .passwordFactor(POST, "/login/challenge", (r, c) -> r.login().challenge(c))
            .open(POST, "/login", (r, c) -> r.login().login(c))
            .scoped(GET, "/statistics/certificates", (r, c) -> r.statistics().certificates(c))
            .scoped(GET, "/statistics/efficiency", (r, c) -> r.statistics().efficiency(c));

    private final List<Route> routes = new ArrayList<>();

    /** Answers a call; the resources are the server's, the call carries the request and its path parameters. */
    @FunctionalInterface
    interface Endpoint {
        void handle(ApiResources resources, ApiCall call);
    }

    /** A path parameter: its name in the template and the pattern a value must match whole. */
    record Param(String name, String pattern) {
    }

    /** An operation as the OpenAPI document names it: method (upper case) and path template. */
    public record Operation(String method, String template) {
    }

    /**
     * One line of the table.
     *
     * @param open           no operator login
     * @param scoped         whether an application admin may call it (the service scopes the answer); every
     *                       other operator route answers an application admin as a path outside the API
     * @param passwordChange the one route an operator whose password must be changed may call
     * @param passwordFactor a route the password alone reaches even for an operator whose roles need the second
     *                       factor (the login challenge; the own password change is such a route too)
     * @param head           HEAD is answered as this GET route without the body: only an open, read-only
     *                       document; on every other route HEAD is 405, as running a GET endpoint may audit or
     *                       change state (the judicial file is made once)
     * @param mediaTypes     the {@code Content-Type}s a state-changing call may declare (lower case)
     */
    record Route(Operation operation, boolean open, boolean scoped, boolean passwordChange, boolean passwordFactor,
                 boolean head, Set<String> mediaTypes, Pattern path, Param param, Endpoint endpoint) {
    }

    /** The route a call matched, with its path parameters by name. */
    record Match(Route route, Map<String, String> params) {
    }

    /** Adds a route that needs an operator login; to an application admin it does not exist (404). */
    ApiRoutes operator(String method, String template, Endpoint endpoint) {
        return add(method, template, false, false, false, false, null, endpoint);
    }

    ApiRoutes operator(String method, String template, Param param, Endpoint endpoint) {
        return add(method, template, false, false, false, false, param, endpoint);
    }

    /**
     * Adds a route that needs an operator login and that application admins reach too: its domain
     * service scopes what it answers to their business types ({@code ApplicationScope}).
     */
    ApiRoutes scoped(String method, String template, Endpoint endpoint) {
        return add(method, template, false, true, false, false, null, endpoint);
    }

    ApiRoutes scoped(String method, String template, Param param, Endpoint endpoint) {
        return add(method, template, false, true, false, false, param, endpoint);
    }

    /**
     * Adds the route of an operator's own password change: it needs the login, and stays open to an
     * operator whose one-time or expired password must be changed (every other route answers 403). It
     * acts only on the caller's own account, so application admins reach it too.
     */
    ApiRoutes passwordChange(String method, String template, Endpoint endpoint) {
        return add(method, template, false, true, true, true, null, endpoint);
    }

    /**
     * Adds a route the password alone reaches, even for an operator whose roles need the second factor:
     * the start of the two-factor login. It acts only for the caller, so application admins reach it too.
     */
    ApiRoutes passwordFactor(String method, String template, Endpoint endpoint) {
        return add(method, template, false, true, false, true, null, endpoint);
    }

    /**
     * Adds an open, read-only document: a GET without a login whose endpoint changes and audits nothing,
     * the one kind of route HEAD is answered on.
     */
    ApiRoutes document(String template, Endpoint endpoint) {
        add(GET, template, true, false, false, false, null, endpoint);
        Route added = routes.remove(routes.size() - 1);
        routes.add(new Route(added.operation(), true, false, false, false, true, added.mediaTypes(), added.path(),
                null, endpoint));
        return this;
    }

    /** The last route added reads {@code mediaTypes} instead of JSON. */
    ApiRoutes accepting(Set<String> mediaTypes) {
        Route last = routes.remove(routes.size() - 1);
        routes.add(new Route(last.operation(), last.open(), last.scoped(), last.passwordChange(),
                last.passwordFactor(), last.head(), Set.copyOf(mediaTypes), last.path(), last.param(),
                last.endpoint()));
        return this;
    }

    /** Adds a route that needs no operator login. */
    ApiRoutes open(String method, String template, Endpoint endpoint) {
        return add(method, template, true, false, false, false, null, endpoint);
    }

    ApiRoutes open(String method, String template, Param param, Endpoint endpoint) {
        return add(method, template, true, false, false, false, param, endpoint);
    }

    private ApiRoutes add(String method, String template, boolean open, boolean scoped, boolean passwordChange,
                          boolean passwordFactor, Param param, Endpoint endpoint) {
        StringBuilder regex = new StringBuilder();
        Matcher placeholder = PLACEHOLDER.matcher(template);
        int literalStart = 0;
        int placeholders = 0;
        while (placeholder.find()) {
            if (param == null || !param.name().equals(placeholder.group(1)) || ++placeholders > 1) {
                throw new IllegalArgumentException("route " + method + " " + template + ": path parameter {"
                        + placeholder.group(1) + "} needs exactly one matching Param, given " + param);
            }
            regex.append(Pattern.quote(template.substring(literalStart, placeholder.start())));
            regex.append('(').append(param.pattern()).append(')');
            literalStart = placeholder.end();
        }
        if (param != null && placeholders == 0) {
            throw new IllegalArgumentException("route " + method + " " + template + " has no {" + param.name() + "}");
        }
        regex.append(Pattern.quote(template.substring(literalStart)));
        routes.add(new Route(new Operation(method, template), open, scoped, passwordChange, passwordFactor, false,
                BrowserRequests.JSON, Pattern.compile(regex.toString()), param, endpoint));
        return this;
    }

    /** The first route whose method and path match; empty when the path is not part of the API. */
    Optional<Match> match(String method, String path) {
        for (Route route : routes) {
            if (!route.operation().method().equals(method)) {
                continue;
            }
            Matcher m = route.path().matcher(path);
            if (m.matches()) {
                Map<String, String> params = new LinkedHashMap<>();
                if (route.param() != null) {
                    params.put(route.param().name(), m.group(1));
                }
                return Optional.of(new Match(route, Map.copyOf(params)));
            }
        }
        return Optional.empty();
    }

    /** The methods of the routes whose path matches {@code path}, in table order; empty outside the API. */
    List<String> methods(String path) {
        return routes.stream().filter(route -> route.path().matcher(path).matches())
                .map(route -> route.operation().method()).distinct().toList();
    }

    /**
     * Whether {@code path} is an open route's path with its parameter malformed (any segment where the
     * parameter goes): such a path is answered 404 without a login, as the open route is answered.
     */
    boolean underOpenRoute(String method, String path) {
        for (Route route : routes) {
            if (route.open() && route.param() != null && route.operation().method().equals(method)
                    && path.matches(Pattern.quote(route.operation().template())
                            .replace("{" + route.param().name() + "}", "\\E[^/]+\\Q"))) {
                return true;
            }
        }
        return false;
    }

    /** The operations an application admin may call (the others answer it 404), in table order. */
    public List<Operation> scopedOperations() {
        return routes.stream().filter(Route::scoped).map(Route::operation).toList();
    }

    /** Every operation in the table, in table order. */
    public List<Operation> operations() {
        return routes.stream().map(Route::operation).toList();
    }
}
