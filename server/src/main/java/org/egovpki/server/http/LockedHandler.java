package org.egovpki.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.egovpki.core.DomainException;
import org.egovpki.core.enroll.OperatorDirectory;
import org.egovpki.core.operator.Operator;
import org.egovpki.server.custody.Share;
import org.egovpki.server.custody.ShareCollector;

/**
 * What HTTP serves while the CA is locked ({@code caKeys.custody: shares}, before the threshold of
 * key shares was presented): {@code /health/live}, {@code /health/ready} (503, "locked: k of M
 * shares presented"), the custody status and the presentation of a share
 * ({@code POST /api/v1/custody/shares}, an operator login), the CA certificates and CRLs the
 * directory publishes ({@link LockedDownloads}), and {@code /ocsp} from the pre-signed answers
 * persisted before the stop ({@link org.egovpki.core.ocsp.LockedOcspResponder}: a stored answer
 * still valid and still true, else the unsigned {@code tryLater}); anything else answers 503 "CA locked".
 * Replaced by the full handlers once the CA is unlocked and start-up has finished.
 */
public final class LockedHandler extends Handler.Abstract {

    /** The locked server's unlock: who may present, and the audit, are its business. */
    public interface Unlock {
        ShareCollector.Progress progress();

        ShareCollector.Progress present(Operator operator, Share share);
    }

    static final String SHARES = "/api/v1/custody/shares";
    static final String STATUS = "/api/v1/custody";
    private static final int MAX_BODY = 16 * 1024;

    private final Unlock unlock;
    private final BasicAuthentication authentication;
    private final HttpResponses responses;
    private final JsonCodec codec;
    private final LockedDownloads downloads;
    private final OcspHandler ocsp;

    /** @param ocsp {@code /ocsp} while locked, over the locked responder */
    public LockedHandler(Unlock unlock, OperatorDirectory operators, LockedDownloads downloads, OcspHandler ocsp,
                         ObjectMapper json) {
        this.unlock = unlock;
        this.ocsp = java.util.Objects.requireNonNull(ocsp, "ocsp");
        this.downloads = java.util.Objects.requireNonNull(downloads, "downloads");
        this.authentication = new BasicAuthentication(operators);
        this.responses = new HttpResponses(json);
        this.codec = new JsonCodec(json);
    }

    /** The 503 message of everything that needs the CA key while it is locked. */
    public static String lockedMessage(ShareCollector.Progress progress) {
        return "CA locked (" + progress.presented().size() + " of " + progress.threshold() + " key shares presented); "
                + "key custodians unlock it with egov-pki custody unlock";
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        if (ocsp.handle(request, response, callback)) {
            return true;
        }
        String path = Request.getPathInContext(request);
        ShareCollector.Progress progress = unlock.progress();
        try {
            switch (path) {
                case "/health/live" -> responses.json(response, callback, 200, Map.of("status", "UP"), false);
                case "/health/ready" -> responses.json(response, callback, 503, Map.of("status", "DOWN",
                        "components", List.of(Map.of("name", "custody",
                                "problem", "locked: " + progress.summary()))), false);
                case STATUS -> {
                    BrowserRequests.refuseCrossSite(request);
                    authentication.authenticate(request.getHeaders().get(HttpHeader.AUTHORIZATION));
                    responses.json(response, callback, 200, view(progress), false);
                }
                case SHARES -> present(request, response, callback);
                default -> {
                    if (!downloads.handle(path, request, response, callback, responses)) {
                        responses.error(response, callback, 503, DomainException.Kind.UNAVAILABLE.name(),
                                lockedMessage(progress), null);
                    }
                }
            }
        } catch (BrowserRequests.Refused e) {
            responses.error(response, callback, e.status, e.code, e.getMessage(), null);
        } catch (BasicAuthentication.Unauthorized e) {
            response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Basic realm=\"egov-pki\", charset=\"UTF-8\"");
            responses.error(response, callback, 401, "UNAUTHORIZED", e.getMessage(), null);
        } catch (DomainException e) {
            responses.json(response, callback, HttpResponses.status(e.kind()), HttpResponses.body(e), false);
        } catch (RuntimeException e) {
            responses.internalError(response, callback, "custody " + path, e);
        }
        return true;
    }

    private void present(Request request, Response response, Callback callback) {
        if (!HttpMethod.POST.is(request.getMethod())) {
            responses.error(response, callback, 405, "METHOD_NOT_ALLOWED", request.getMethod() + " is not allowed "
                    + "here; POST a share", null);
            return;
        }
        BrowserRequests.refuseCrossSite(request);
        BrowserRequests.refuseContentType(request, BrowserRequests.JSON);
        Operator operator = authentication.authenticate(request.getHeaders().get(HttpHeader.AUTHORIZATION));
        Share share;
        try {
            byte[] body = RequestBodies.read(request, MAX_BODY);
            if (body == null) {
                throw DomainException.badRequest(null, "the request body is larger than " + MAX_BODY + " bytes");
            }
            BrowserRequests.requireJson(request, body);
            JsonNode node = codec.readObject(body);
            share = new Share(text(node, "custodian"), number(node, "index"), number(node, "threshold"),
                    number(node, "shares"), text(node, "keyStore"), number(node, "epoch"),
                    Base64.getDecoder().decode(text(node, "share")));
        } catch (java.io.IOException | IllegalArgumentException e) {
            throw DomainException.badRequest("share", "not a key share: a JSON object with custodian, index, "
                    + "threshold, shares, keyStore, epoch and share (base64) is expected");
        }
        responses.json(response, callback, 200, view(unlock.present(operator, share)), false);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException(field);
        }
        return value.asText();
    }

    private static int number(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isInt()) {
            throw new IllegalArgumentException(field);
        }
        return value.asInt();
    }

    private static Map<String, Object> view(ShareCollector.Progress progress) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("locked", !progress.unlocked());
        view.put("presented", progress.presented().size());
        view.put("threshold", progress.threshold());
        view.put("custodians", progress.presented());
        view.put("message", progress.unlocked() ? "the CA is unlocked; start-up continues" : progress.summary());
        return view;
    }
}
