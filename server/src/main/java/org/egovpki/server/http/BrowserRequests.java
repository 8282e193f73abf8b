package org.egovpki.server.http;

import java.net.URI;
import java.util.Locale;
import java.util.Set;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;

/**
 * The edge's defence against cross-site request forgery of the operator API. A browser that holds
 * an operator's HTTP Basic credentials sends them with any request a page of another site makes,
 * and a form or a "simple" fetch may POST there without asking the server first. Two checks, run
 * before the login so such a call changes nothing and counts no failed login:
 *
 * <ul>
 *   <li>a state-changing call (POST, PUT, PATCH, DELETE) whose {@code Origin} is not the server's own
 *       (scheme, host and port of the request's {@code Host}), or whose {@code Sec-Fetch-Site} is
 *       {@code cross-site}, is refused 403. Clients that are not browsers (curl, the CLI, another
 *       server) send neither header and are answered as before;</li>
 *   <li>a body read as JSON must be sent as {@code application/json} (415 otherwise): no HTML form
 *       can send that type, and a script of another site cannot without a CORS preflight, which this
 *       server never grants.</li>
 * </ul>
 */
final class BrowserRequests {

    private static final Set<String> STATE_CHANGING = Set.of("POST", "PUT", "PATCH", "DELETE");

    static final String CROSS_SITE = "a state-changing call to the API from a page of another site is refused "
            + "(Origin or Sec-Fetch-Site names another site); call it from a client that is not a browser, or "
            + "from this server's own pages";
    static final String NOT_JSON = "the request body must be sent as Content-Type: application/json";

    private BrowserRequests() {
    }

    /** A refusal the edge answers itself, with its own status and code (no domain kind fits). */
    static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int status;
        final String code;

        Refused(int status, String code, String message) {
            super(message, null, false, false);
            this.status = status;
            this.code = code;
        }
    }

    /** Refuses (403) a state-changing call a browser made for a page of another site. */
    static void refuseCrossSite(Request request) {
        if (!STATE_CHANGING.contains(request.getMethod())) {
            return;
        }
        String site = request.getHeaders().get("Sec-Fetch-Site");
        String origin = request.getHeaders().get(HttpHeader.ORIGIN);
        if ("cross-site".equalsIgnoreCase(site == null ? null : site.strip())
                || origin != null && !sameOrigin(origin.strip(), request)) {
            throw new Refused(403, "FORBIDDEN", CROSS_SITE);
        }
    }

    /** Whether {@code origin} is the request's own: scheme, host (any case) and port, a default port implied. */
    static boolean sameOrigin(String origin, Request request) {
        URI uri;
        try {
            uri = new URI(origin);
        } catch (java.net.URISyntaxException e) {
            return false; // "null" (a sandboxed or privacy-sensitive context) and anything malformed
        }
        if (uri.getScheme() == null || uri.getHost() == null || uri.getRawPath() != null && !uri.getRawPath().isEmpty()
                || uri.getRawQuery() != null || uri.getRawUserInfo() != null) {
            return false;
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        String ownScheme = request.getHttpURI().getScheme() == null ? "http"
                : request.getHttpURI().getScheme().toLowerCase(Locale.ROOT);
        return scheme.equals(ownScheme)
                && uri.getHost().equalsIgnoreCase(Request.getServerName(request))
                && port(scheme, uri.getPort()) == Request.getServerPort(request);
    }

    private static int port(String scheme, int port) {
        return port >= 0 ? port : "https".equals(scheme) ? 443 : 80;
    }

    /** Refuses (415) a non-empty body that is not declared {@code application/json}; parameters are allowed. */
    static void requireJson(Request request, byte[] body) {
        if (body.length == 0) {
            return; // a bodiless call (an approve without a comment) carries nothing to misread
        }
        String type = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
        String mediaType = type == null ? "" : type.split(";", 2)[0].strip();
        if (!mediaType.equalsIgnoreCase("application/json")) {
            throw new Refused(415, "UNSUPPORTED_MEDIA_TYPE", NOT_JSON);
        }
    }
}
