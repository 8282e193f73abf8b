package org.egovpki.server.http;

import java.net.URI;
import java.util.Locale;
import java.util.Set;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;

/**
 * The edge's defence against cross-site request forgery of the operator API. A browser that holds
 * an operator's HTTP Basic credentials sends them with any request a page of another site makes,
 * and a form, an image or a "simple" fetch may call there without asking the server first. Three
 * checks, run before the login so such a call changes nothing and counts no failed login:
 *
 * <ul>
 *   <li>any call (every method: a GET may audit or change state, as the judicial file does) whose
 *       {@code Sec-Fetch-Site} is {@code cross-site} is refused 403. Browsers send that header on
 *       every request, an {@code <img>} or a no-cors fetch included; same-origin, same-site and
 *       {@code none} (a typed URL, a bookmark) are answered;</li>
 *   <li>a state-changing call (POST, PUT, PATCH, DELETE) whose {@code Origin} is not the server's own
 *       (scheme, host and port of the request's {@code Host}) is refused 403. Clients that are not
 *       browsers (curl, the CLI, another server) send neither header and are answered as before;</li>
 *   <li>a state-changing call that declares a {@code Content-Type} other than the one its route reads
 *       ({@code application/json}, or the signed revocation's binary types) is refused 415, with or
 *       without a body: the types an HTML form can send ({@code application/x-www-form-urlencoded},
 *       {@code multipart/form-data}, {@code text/plain}) never reach an endpoint, even from a browser
 *       that sends neither Origin nor Sec-Fetch-Site, and a script of another site cannot send another
 *       type without a CORS preflight, which this server never grants. A call without a body and
 *       without a Content-Type (the CLI, {@code curl -X POST}) is answered.</li>
 * </ul>
 */
final class BrowserRequests {

    private static final Set<String> STATE_CHANGING = Set.of("POST", "PUT", "PATCH", "DELETE");

    /** The type a JSON route reads. */
    static final Set<String> JSON = Set.of("application/json");

    static final String CROSS_SITE = "a call to the API from a page of another site is refused "
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

    /**
     * Refuses (403) any call a browser made for a page of another site ({@code Sec-Fetch-Site: cross-site}),
     * and a state-changing call whose {@code Origin} is not the server's own.
     */
    static void refuseCrossSite(Request request) {
        String site = request.getHeaders().get("Sec-Fetch-Site");
        if ("cross-site".equalsIgnoreCase(site == null ? null : site.strip())) {
            throw new Refused(403, "FORBIDDEN", CROSS_SITE);
        }
        String origin = request.getHeaders().get(HttpHeader.ORIGIN);
        if (STATE_CHANGING.contains(request.getMethod()) && origin != null && !sameOrigin(origin.strip(), request)) {
            throw new Refused(403, "FORBIDDEN", CROSS_SITE);
        }
    }

    /**
     * Refuses (415) a state-changing call that declares a {@code Content-Type} not among {@code accepted}
     * (media types, lower case; parameters and case in the header are ignored), whether or not it has a body.
     * A call without the header passes here; a body read as JSON still needs it ({@link #requireJson}).
     */
    static void refuseContentType(Request request, Set<String> accepted) {
        if (!STATE_CHANGING.contains(request.getMethod())) {
            return;
        }
        String type = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
        if (type != null && !accepted.contains(mediaType(type))) {
            throw new Refused(415, "UNSUPPORTED_MEDIA_TYPE", accepted.equals(JSON) ? NOT_JSON
                    : "the request body must be sent as Content-Type: " + String.join(" or ",
                    new java.util.TreeSet<>(accepted)));
        }
    }

    private static String mediaType(String contentType) {
        return contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
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
        if (type == null || !JSON.contains(mediaType(type))) {
            throw new Refused(415, "UNSUPPORTED_MEDIA_TYPE", NOT_JSON);
        }
    }
}
