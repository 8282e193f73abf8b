package org.egovpki.server.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.egovpki.core.certificate.VisibleCertificates;
import org.egovpki.core.stats.Statistics;
import org.egovpki.core.DomainException;
import org.egovpki.core.audit.AuditReview;
import org.egovpki.core.ca.CaRegistry;
import org.egovpki.core.ca.CaKeyChangeover;
import org.egovpki.core.ca.CaRevocations;
import org.egovpki.core.ca.CrlPublisher;
import org.egovpki.core.ca.KeyDeliveries;
import org.egovpki.core.ca.KeyManagementLink;
import org.egovpki.core.certificate.CertificateLookup;
import org.egovpki.core.enroll.EnrollmentService;
import org.egovpki.core.enroll.LifecycleService;
import org.egovpki.core.enroll.OperatorAdministration;
import org.egovpki.core.enroll.OperatorCertificates;
import org.egovpki.core.enroll.SecondFactorLogin;
import org.egovpki.core.operator.ApplicationScope;
import org.egovpki.core.operator.Operator;
import org.egovpki.core.enroll.OperatorDirectory;
import org.egovpki.core.enroll.OperatorLogin;
import org.egovpki.core.km.centre.KeyRecoveries;
import org.egovpki.core.profile.Profiles;
import org.egovpki.core.revoke.RevocationService;
import org.egovpki.core.sync.SyncTargets;
import org.egovpki.core.sync.SyncStore;
import org.egovpki.routes.BulkEnrollment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator REST API under {@code /api/v1} (documented in {@code /api/v1/openapi.yaml}): finds
 * the call's route in {@link ApiRoutes}, authenticates the operator once ({@link BasicAuthentication})
 * unless the route is open, runs the resource, and maps every failure to the one JSON error shape
 * {@code {code, message, field}} ({@link HttpResponses}). A path not in the table is 404 — after the
 * login, so the table is not probed anonymously; a POST under {@code /revocations/}, and an open
 * route's path with a malformed parameter, are answered without one, as the open routes are. HEAD
 * is answered as GET without the body. Before anything, a state-changing call a browser makes for
 * another site is refused ({@link BrowserRequests}).
 */
public final class ApiHandler extends Handler.Abstract {

    private static final Logger LOG = LoggerFactory.getLogger(ApiHandler.class);
    static final String PREFIX = "/api/v1";

    private final ApiRoutes routes = ApiRoutes.API;
    private final ApiResources resources;
    private final BasicAuthentication authentication;
    private final JsonCodec codec;
    private final HttpResponses responses;
    private final OperatorAdministration administration;
    private final SecondFactorLogin secondFactor;

    public ApiHandler(EnrollmentService enrollment, RevocationService revocations, LifecycleService lifecycle,
                      CrlPublisher crls, CaRevocations caRevocations, CaKeyChangeover keyChangeover,
                      OperatorDirectory operators, CertificateLookup certificates, CaRegistry cas,
                      Profiles profiles, KeyRecoveries recoveries, KeyManagementLink kmLink,
                      KeyDeliveries deliveries, BulkEnrollment bulk, SyncTargets syncTargets, SyncStore syncStore,
                      AuditReview auditReview, OperatorAdministration administration, Statistics statistics,
                      OperatorCertificates operatorCertificates, SecondFactorLogin secondFactor,
                      ObjectMapper json) {
        this(resources(enrollment, revocations, lifecycle, crls, caRevocations, keyChangeover, certificates, cas, profiles,
                recoveries, kmLink, deliveries, bulk, syncTargets, syncStore, auditReview, administration, statistics,
                operatorCertificates, secondFactor), operators,
                administration, secondFactor,
                json);
    }

    ApiHandler(ApiResources resources, OperatorDirectory operators, ObjectMapper json) {
        this(resources, operators, null, json);
    }

    ApiHandler(ApiResources resources, OperatorDirectory operators, OperatorAdministration administration,
               ObjectMapper json) {
        this(resources, operators, administration, null, json);
    }

    /**
     * @param administration tells which logged-in operators must change their password first;
     *                       {@code null}: none must (tests without operator management)
     * @param secondFactor   session tokens and what a password alone is worth; {@code null}: the password
     *                       alone is enough for everyone (tests without the two-factor login)
     */
    ApiHandler(ApiResources resources, OperatorDirectory operators, OperatorAdministration administration,
               SecondFactorLogin secondFactor, ObjectMapper json) {
        this.administration = administration;
        this.secondFactor = secondFactor;
        this.resources = resources;
        this.authentication = new BasicAuthentication(operators);
        this.codec = new JsonCodec(json);
        this.responses = new HttpResponses(json);
    }

    private static ApiResources resources(EnrollmentService enrollment, RevocationService revocations,
                                          LifecycleService lifecycle, CrlPublisher crls, CaRevocations caRevocations,
                                          CaKeyChangeover keyChangeover, CertificateLookup certificates, CaRegistry cas, Profiles profiles,
                                          KeyRecoveries recoveries, KeyManagementLink kmLink,
                                          KeyDeliveries deliveries, BulkEnrollment bulk, SyncTargets syncTargets,
                                          SyncStore syncStore, AuditReview auditReview,
                                          OperatorAdministration administration, Statistics statistics,
                                          OperatorCertificates operatorCertificates, SecondFactorLogin secondFactor) {
        CertificateFinder finder = new CertificateFinder(certificates);
        SubscriberChannels channels = new SubscriberChannels(revocations, recoveries, kmLink);
        RequestResource requests = new RequestResource(enrollment, bulk);
        return new ApiResources(new OpenApiResource(), requests,
                new CertificateResource(new VisibleCertificates(certificates), new CertificateFiles(cas)),
                new CaResource(caRevocations, crls, cas, keyChangeover), new RevocationResource(revocations, finder, channels),
                new LifecycleResource(lifecycle, finder, requests), new KmResource(recoveries, deliveries, channels),
                new ProfileResource(profiles), new SyncResource(syncTargets), new SyncEventsResource(syncTargets),
                new AuditResource(auditReview), new OperatorResource(administration, operatorCertificates),
                new StatisticsResource(statistics), new LoginResource(secondFactor));
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
        if (!path.startsWith(PREFIX + "/") && !path.equals(PREFIX)) {
            return false;
        }
        String route = path.substring(PREFIX.length());
        String method = request.getMethod();
        try {
            BrowserRequests.refuseCrossSite(request);
            boolean head = "HEAD".equals(method);
            Optional<ApiRoutes.Match> match = routes.match(head ? "GET" : method, route);
            if (head && match.map(m -> !m.route().head()).orElse(!routes.methods(route).isEmpty())) {
                // HEAD runs the GET endpoint; only a document's is harmless (RFC 9110 lets a server refuse HEAD).
                response.getHeaders().put(HttpHeader.ALLOW, String.join(", ", routes.methods(route)));
                responses.error(response, callback, 405, "METHOD_NOT_ALLOWED", "HEAD is not served on "
                        + PREFIX + route + "; use " + String.join(" or ", routes.methods(route)), null);
            } else if (match.isPresent()) {
                ApiRoutes.Route found = match.get().route();
                BrowserRequests.refuseContentType(request, found.mediaTypes());
                Login login = found.open() ? null : login(request);
                Operator operator = login == null ? null : login.operator();
                if (operator != null && !found.scoped() && ApplicationScope.of(operator).restricted()) {
                    // An application admin's API is the scoped routes; the rest is as absent as a wrong path.
                    notPartOfTheApi(response, callback, method, route);
                } else {
                    if (operator != null && !login.twoFactors() && !found.passwordFactor() && secondFactor != null
                            && login.passwordOnly(secondFactor) == SecondFactorLogin.PasswordOnly.REFUSED) {
                        throw SecondFactorLogin.secondFactorRequired(operator.uid());
                    }
                    if (operator != null && !found.passwordChange() && administration != null
                            && login.passwordChangeRequired(administration)) {
                        throw OperatorAdministration.passwordChangeRequiredRefusal(operator.uid());
                    }
                    found.endpoint().handle(resources,
                            new ApiCall(request, response, callback, operator, match.get().params(), codec, responses,
                                    head));
                }
            } else if ("POST".equals(method) && route.startsWith("/revocations/")) {
                throw RevocationResource.noSuchChannel(route);
            } else if (routes.underOpenRoute(method, route)) {
                // An open route's path with a malformed parameter (POST /km/recoveries/xx/download): the
                // route is in the public document and answers a well-formed id without a login, so a
                // 404 here tells a guesser nothing a login would have guarded.
                notPartOfTheApi(response, callback, method, route);
            } else {
                login(request);
                notPartOfTheApi(response, callback, method, route);
            }
        } catch (BrowserRequests.Refused e) {
            responses.error(response, callback, e.status, e.code, e.getMessage(), null);
        } catch (BasicAuthentication.Unauthorized e) {
            response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Basic realm=\"egov-pki\", charset=\"UTF-8\"");
            responses.error(response, callback, 401, "UNAUTHORIZED", e.getMessage(), null);
        } catch (DomainException e) {
            if (e.isServerFault()) {
                LOG.warn("{} {} failed (incident {})", method, path, e.incident());
            }
            responses.error(response, callback, e);
        } catch (RuntimeException e) {
            responses.internalError(response, callback, method + " " + path, e);
        }
        return true;
    }

    /**
     * Who is calling, and whether with two factors (a session token, or the password over a bound TLS
     * client certificate); {@code read} is what the directory answered a password login, {@code null}
     * for a session token, whose checks then read the directory themselves.
     */
    private record Login(Operator operator, boolean twoFactors, OperatorLogin read) {

        SecondFactorLogin.PasswordOnly passwordOnly(SecondFactorLogin secondFactor) {
            return read == null ? secondFactor.passwordOnly(operator)
                    : secondFactor.passwordOnly(operator, read.boundCertificate());
        }

        boolean passwordChangeRequired(OperatorAdministration administration) {
            return read == null ? administration.passwordChangeRequired(operator)
                    : administration.passwordChangeRequired(read.account());
        }
    }

    private Login login(Request request) {
        String header = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            if (secondFactor == null) {
                throw new BasicAuthentication.Unauthorized("this server issues no session tokens: use HTTP Basic");
            }
            return new Login(secondFactor.session(header.substring(7).trim()).orElseThrow(() ->
                    new BasicAuthentication.Unauthorized("the session token is unknown or has expired, or the "
                            + "certificate it was opened with is revoked or no longer bound: log in again "
                            + "(POST " + PREFIX + "/login/challenge, then POST " + PREFIX + "/login; egov-pki login)")),
                    true, null);
        }
        OperatorLogin read = authentication.login(header);
        Operator operator = read.operator();
        byte[] clientCertificate = TlsClientCertificates.of(request);
        return new Login(operator, secondFactor != null && clientCertificate != null
                && secondFactor.presentsBoundCertificate(operator, clientCertificate), read);
    }

    private void notPartOfTheApi(Response response, Callback callback, String method, String route) {
        responses.error(response, callback, 404, "NOT_FOUND", method + " " + PREFIX + route
                + " is not part of the API; see " + PREFIX + "/openapi.yaml", null);
    }
}
