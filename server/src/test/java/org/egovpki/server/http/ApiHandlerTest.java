package org.egovpki.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jetty.http.HttpTester;
import org.eclipse.jetty.server.LocalConnector;
import org.egovpki.core.operator.Operator;
import org.egovpki.core.enroll.OperatorDirectory;
import org.egovpki.core.enroll.OperatorLockedOut;
import org.egovpki.core.operator.Role;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The edge around the resources, in-process through a Jetty {@link LocalConnector} (no port): the
 * login before any resource, 404 for what the route table does not hold, and the one error mapping.
 * The domain services are absent: every call here is answered before a resource reaches one, or
 * fails on reaching it, which is how the unexpected-exception path is exercised.
 */
class ApiHandlerTest {

    private static final Operator CLERK = new Operator("clerk1", "uid=clerk1,ou=operators,o=egov-pki,c=CN", "Clerk",
            Set.of(Role.ENTRY_CLERK));
    private static final String LOGIN = "Basic " + Base64.getEncoder().encodeToString(
            "clerk1:secret".getBytes(StandardCharsets.UTF_8));

    private final ObjectMapper json = new ObjectMapper();
    private LocalApi api;

    @BeforeEach
    void start() throws Exception {
        TestApiResources fixture = new TestApiResources();
        ApiResources resources = fixture.build();
        api = new LocalApi(resources, new Operators(), json);
    }

    @AfterEach
    void stop() throws Exception {
        api.close();
    }

    @Test
    void withoutALoginTheAnswerIs401WithABasicChallengeAndNoResourceRuns() throws Exception {
        HttpTester.Response response = call("GET", "/api/v1/requests/r-1", null, null);

        assertThat(response.getStatus()).isEqualTo(401);
        assertThat(response.get("WWW-Authenticate")).isEqualTo("Basic realm=\"egov-pki\", charset=\"UTF-8\"");
        assertThat(response.getContent()).isEqualTo("{\"code\":\"UNAUTHORIZED\",\"message\":\"this API needs an operator "
                + "login (HTTP Basic: the operator's uid and password)\",\"field\":null}");
    }

    @Test
    void aWrongPasswordAndALockedAccountAreBoth401() throws Exception {
        String wrong = "Basic " + Base64.getEncoder().encodeToString("clerk1:nope".getBytes(StandardCharsets.UTF_8));
        String locked = "Basic " + Base64.getEncoder().encodeToString("locked:right".getBytes(StandardCharsets.UTF_8));

        assertThat(body(call("GET", "/api/v1/profiles", wrong, null)).path("message").asText())
                .isEqualTo("wrong operator login or password");
        assertThat(body(call("GET", "/api/v1/profiles", "Basic !!", null)).path("message").asText())
                .isEqualTo("the Authorization header is not valid Basic credentials");
        HttpTester.Response lockedOut = call("GET", "/api/v1/profiles", locked, null);
        assertThat(lockedOut.getStatus()).isEqualTo(401);
        assertThat(body(lockedOut).path("message").asText()).startsWith("operator account 'locked' is locked after "
                + "too many failed logins").contains("2026-12-01T10:00:00Z");
    }

    @Test
    void aMalformedPathParameterIsAPathOutsideTheApiAnsweredAfterTheLogin() throws Exception {
        String longId = "a".repeat(65);

        assertThat(call("GET", "/api/v1/requests/" + longId, null, null).getStatus()).isEqualTo(401);
        HttpTester.Response response = call("GET", "/api/v1/requests/" + longId, LOGIN, null);

        assertThat(response.getStatus()).isEqualTo(404);
        assertThat(response.getContent()).isEqualTo("{\"code\":\"NOT_FOUND\",\"message\":\"GET /api/v1/requests/"
                + longId + " is not part of the API; see /api/v1/openapi.yaml\",\"field\":null}");
        assertThat(body(call("POST", "/api/v1/certificates/xyz/revoke", LOGIN, "{}")).path("message").asText())
                .isEqualTo("POST /api/v1/certificates/xyz/revoke is not part of the API; see /api/v1/openapi.yaml");
    }

    @Test
    void anUnknownSubscriberRevocationChannelIs404WithoutALogin() throws Exception {
        HttpTester.Response response = call("POST", "/api/v1/revocations/by-phone", null, "{}");

        assertThat(response.getStatus()).isEqualTo(404);
        assertThat(body(response).path("message").asText()).isEqualTo("POST /api/v1/revocations/by-phone is not "
                + "part of the API; the subscriber revocation endpoints are /revocations/self-service and "
                + "/revocations/signed");
    }

    @Test
    void openRoutesNeedNoLogin() throws Exception {
        HttpTester.Response document = call("GET", "/api/v1/openapi.yaml", null, null);
        assertThat(document.getStatus()).isEqualTo(200);
        assertThat(document.get("Content-Type")).isEqualTo("application/yaml");
        assertThat(document.getContent()).startsWith("openapi: 3");

        HttpTester.Response selfService = call("POST", "/api/v1/revocations/self-service", null, "{}");
        assertThat(selfService.getStatus()).isEqualTo(400);
        assertThat(selfService.getContent()).isEqualTo("{\"code\":\"BAD_REQUEST\",\"message\":\"issuer (the CA name), "
                + "serial (hex) and challengePhrase are required\",\"field\":\"issuer\"}");
    }

    @Test
    void aBodyIsReadStrictlyAndItsErrorNamesTheField() throws Exception {
        HttpTester.Response duplicate = call("POST", "/api/v1/requests", LOGIN,
                "{\"profile\": \"personal\", \"profile\": \"device\"}");
        assertThat(duplicate.getStatus()).isEqualTo(400);
        assertThat(body(duplicate).path("message").asText()).startsWith("the request body is not valid JSON");

        HttpTester.Response typed = call("POST", "/api/v1/requests", LOGIN, "{\"registration\": {\"phone\": 138}}");
        assertThat(typed.getStatus()).isEqualTo(400);
        assertThat(typed.getContent()).isEqualTo("{\"code\":\"BAD_REQUEST\",\"message\":\"registration.phone must be "
                + "a string, not a number\",\"field\":\"registration.phone\"}");

        HttpTester.Response query = call("GET", "/api/v1/certificates?status=lost", LOGIN, null);
        assertThat(query.getStatus()).isEqualTo(400);
        assertThat(body(query).path("field").asText()).isEqualTo("status");
    }

    @Test
    void aDomainErrorGetsItsKindsStatusAndItsMessage() throws Exception {
        HttpTester.Response response = call("GET", "/api/v1/certificates/0a.pem?issuer=sm2-issuing", LOGIN, null);

        assertThat(response.getStatus()).isEqualTo(404);
        assertThat(response.getContent()).isEqualTo("{\"code\":\"NOT_FOUND\",\"message\":\"no certificate with serial "
                + "0a from CA sm2-issuing\",\"field\":null}");
    }

    @Test
    void anUnexpectedFailureIs500WithAnIncidentIdAndNothingElse() throws Exception {
        HttpTester.Response response = call("GET", "/api/v1/profiles", LOGIN, null);

        assertThat(response.getStatus()).isEqualTo(500);
        JsonNode body = body(response);
        assertThat(body.path("code").asText()).isEqualTo("INTERNAL");
        String incident = body.path("incident").asText();
        assertThat(incident).isNotBlank();
        assertThat(body.path("message").asText()).isEqualTo("internal error (incident " + incident
                + "; the server log has the details)");
        assertThat(response.getContent()).doesNotContain("NullPointer").doesNotContain("Exception");
    }

    @Test
    void pathsOutsideTheApiAreLeftToTheNextHandler() throws Exception {
        HttpTester.Response response = call("GET", "/api/v10/requests", LOGIN, null);

        assertThat(response.getStatus()).isEqualTo(404);
        assertThat(body(response).path("message").asText()).startsWith("no resource at this path");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/api/v1/requests?state=%FF", "/api/v1/certificates?serial=%FF", "/api/v1/audit?type=%FF",
            "/api/v1/certificates?issuer=%E4%B8", "/api/v1/requests?limit=%FF", "/api/v1/requests?%C3=x"})
    void aQueryStringThatIsNotUtf8Is400NamingIt(String path) throws Exception {
        HttpTester.Response response = call("GET", path, LOGIN, null);

        assertThat(response.getStatus()).isEqualTo(400);
        assertThat(response.getContent()).isEqualTo("{\"code\":\"BAD_REQUEST\",\"message\":\"the query string is not "
                + "valid UTF-8 percent-encoding (a %-escape that is malformed or not part of a UTF-8 character)\","
                + "\"field\":null}");
    }

    @Test
    void contentAfterTheJsonObjectIsRefused() throws Exception {
        for (String trailing : List.of("garbage", "{\"profile\": \"device\"}", "]")) {
            HttpTester.Response response = call("POST", "/api/v1/requests", LOGIN,
                    "{\"registration\": {\"phone\": \"138\"}}" + trailing);

            assertThat(response.getStatus()).as(trailing).isEqualTo(400);
            assertThat(body(response).path("message").asText()).as(trailing)
                    .startsWith("the request body has trailing content after the JSON object");
        }
    }

    @ParameterizedTest(name = "Content-Type: ''{0}''")
    @ValueSource(strings = {"text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
            "application/jsonp", ""})
    void aJsonBodySentAsAnotherTypeIs415AndNothingRuns(String contentType) throws Exception {
        HttpTester.Response response = api.call("POST", "/api/v1/requests",
                LocalApi.headers("Authorization", LOGIN, "Content-Type", contentType),
                "{\"registration\": {\"phone\": 138}}");

        assertThat(response.getStatus()).isEqualTo(415);
        assertThat(response.getContent()).isEqualTo("{\"code\":\"UNSUPPORTED_MEDIA_TYPE\",\"message\":\"the request "
                + "body must be sent as Content-Type: application/json\",\"field\":null}");
    }

    @ParameterizedTest(name = "Content-Type: {0}")
    @ValueSource(strings = {"application/json", "application/json; charset=UTF-8", "Application/JSON;charset=utf-8"})
    void aJsonContentTypeWithParametersInAnyCaseIsRead(String contentType) throws Exception {
        HttpTester.Response response = api.call("POST", "/api/v1/requests",
                LocalApi.headers("Authorization", LOGIN, "Content-Type", contentType),
                "{\"registration\": {\"phone\": 138}}");

        assertThat(response.getStatus()).isEqualTo(400);
        assertThat(body(response).path("field").asText()).isEqualTo("registration.phone");
    }

    @Test
    void aPostWithoutABodyNeedsNoContentType() throws Exception {
        HttpTester.Response response = api.call("POST", "/api/v1/revocations/self-service",
                LocalApi.headers("Content-Type", ""), "");

        assertThat(response.getStatus()).isEqualTo(400);
        assertThat(body(response).path("field").asText()).isEqualTo("issuer");
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({
            "Origin,         http://evil.example",
            "Origin,         null",
            "Origin,         https://test",
            "Origin,         http://test:8080",
            "Sec-Fetch-Site, cross-site",
    })
    void aStateChangingCallFromAnotherSiteIs403BeforeTheLogin(String header, String value) throws Exception {
        for (String authorization : List.of(LOGIN, LocalApi.basic("clerk1", "wrong"))) {
            HttpTester.Response approve = api.call("POST", "/api/v1/requests/r-1/approve",
                    LocalApi.headers("Authorization", authorization, header, value, "Content-Type", "text/plain"),
                    "x=y");

            assertThat(approve.getStatus()).isEqualTo(403);
            assertThat(approve.getContent()).isEqualTo("{\"code\":\"FORBIDDEN\",\"message\":\"a call "
                    + "to the API from a page of another site is refused (Origin or Sec-Fetch-Site names another "
                    + "site); call it from a client that is not a browser, or from this server's own pages\","
                    + "\"field\":null}");
        }
        HttpTester.Response open = api.call("POST", "/api/v1/revocations/self-service",
                LocalApi.headers(header, value), "{}");
        assertThat(open.getStatus()).isEqualTo(403);
        assertThat(api.call("DELETE", "/api/v1/sync/targets/t1",
                LocalApi.headers("Authorization", LOGIN, header, value), null).getStatus()).isEqualTo(403);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({
            "Origin,         http://test",
            "Origin,         HTTP://TEST:80",
            "Sec-Fetch-Site, same-origin",
            "Sec-Fetch-Site, none",
    })
    void aCallFromTheServersOwnOriginOrWithoutOneIsAnswered(String header, String value) throws Exception {
        HttpTester.Response selfService = api.call("POST", "/api/v1/revocations/self-service",
                LocalApi.headers(header, value), "{}");

        assertThat(selfService.getStatus()).isEqualTo(400);
        assertThat(body(selfService).path("field").asText()).isEqualTo("issuer");
    }

    @ParameterizedTest(name = "GET {0}")
    @ValueSource(strings = {"/openapi.yaml", "/km/recoveries/kr-1a/judicial-file", "/requests/r-1/key-delivery",
            "/audit/export"})
    void anyCallABrowserMakesForAnotherSiteIs403BeforeTheLoginAndNothingRuns(String route) throws Exception {
        // An <img src> of another site's page sends Sec-Fetch-Site: cross-site with the cached Basic login.
        for (String authorization : java.util.Arrays.asList(LOGIN, null)) {
            HttpTester.Response response = api.call("GET", "/api/v1" + route,
                    LocalApi.headers("Authorization", authorization, "Sec-Fetch-Site", "cross-site"), null);

            assertThat(response.getStatus()).as(route).isEqualTo(403);
            assertThat(body(response).path("message").asText()).startsWith("a call to the API from a page of "
                    + "another site is refused");
        }
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({
            "Sec-Fetch-Site, same-origin",
            "Sec-Fetch-Site, same-site",
            "Sec-Fetch-Site, none",
            "Origin,         http://evil.example",
    })
    void aReadFromThisSiteATypedUrlOrACorsReadIsAnswered(String header, String value) throws Exception {
        // An Origin on a GET is a CORS read: no credentials are sent without a preflight this server never grants.
        HttpTester.Response document = api.call("GET", "/api/v1/openapi.yaml", LocalApi.headers(header, value), null);

        assertThat(document.getStatus()).isEqualTo(200);
    }

    @Test
    void headOfAnOpenDocumentIsItsGetWithoutTheBody() throws Exception {
        HttpTester.Response get = call("GET", "/api/v1/openapi.yaml", null, null);
        String head = api.raw("HEAD", "/api/v1/openapi.yaml", LocalApi.headers(), null);

        assertThat(head).startsWith("HTTP/1.1 200 ")
                .contains("Content-Type: application/yaml")
                .contains("Content-Length: " + get.getContentBytes().length)
                .endsWith("\r\n\r\n");
    }

    @ParameterizedTest(name = "HEAD {0}")
    @ValueSource(strings = {"/km/recoveries/kr-1a/judicial-file", "/requests/r-1/key-delivery", "/audit/export",
            "/requests/r-1", "/certificates"})
    void headOnAnOperatorRouteIs405BeforeTheLoginAndItsEndpointNeverRuns(String route) throws Exception {
        // The resources here have no services: an endpoint that ran would answer 500, not 405.
        for (String authorization : java.util.Arrays.asList(LOGIN, null, LocalApi.basic("clerk1", "wrong"))) {
            HttpTester.Response response = HttpTester.parseHeadResponse(api.raw("HEAD", "/api/v1" + route,
                    LocalApi.headers("Authorization", authorization), null));

            assertThat(response.getStatus()).as(route).isEqualTo(405);
            assertThat(response.get("Allow")).isEqualTo("GET");
            assertThat(response.get("WWW-Authenticate")).isNull();
        }
        HttpTester.Response approve = HttpTester.parseHeadResponse(api.raw("HEAD", "/api/v1/requests/r-1/approve",
                LocalApi.headers("Authorization", LOGIN), null));
        assertThat(approve.getStatus()).isEqualTo(405);
        assertThat(approve.get("Allow")).isEqualTo("POST");
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
            "/requests/r-1/approve  | application/x-www-form-urlencoded | x=y",
            "/requests/r-1/approve  | multipart/form-data; boundary=b    | --b--",
            "/requests/r-1/approve  | text/plain                        | x",
            "/requests/r-1/approve  | application/x-www-form-urlencoded | ''",
            "/requests/r-1/approve  | TEXT/PLAIN; charset=utf-8         | ''",
            "/requests/r-1/cancel   | application/x-www-form-urlencoded | ''",
            "/cas/sm2-issuing/changeover | application/x-www-form-urlencoded | x=y",
            "/cas/sm2-issuing/changeover | multipart/form-data; boundary=b    | ''",
            "/cas/sm2-issuing/changeover | text/plain                        | ''",
            "/crls/sm2-issuing      | text/plain                        | ''",
            "/km/recoveries/kr-1a/approve | application/x-www-form-urlencoded | ''",
    })
    void aFormPostToAnEndpointThatReadsNoBodyIs415BeforeTheLoginAndNothingRuns(String route, String type,
                                                                             String form) throws Exception {
        // A browser that sends neither Origin nor Sec-Fetch-Site can still submit an HTML form with these types.
        for (String authorization : java.util.Arrays.asList(LOGIN, null)) {
            HttpTester.Response response = api.call("POST", "/api/v1" + route,
                    LocalApi.headers("Authorization", authorization, "Content-Type", type), form);

            assertThat(response.getStatus()).as(route).isEqualTo(415);
            assertThat(body(response).path("message").asText()).isEqualTo(BrowserRequests.NOT_JSON);
        }
    }

    @ParameterizedTest(name = "POST {0}")
    @ValueSource(strings = {"/requests/r-1/approve", "/cas/sm2-issuing/changeover", "/crls/sm2-issuing"})
    void aBodilessPostWithoutAContentTypeStillReachesItsEndpoint(String route) throws Exception {
        // curl -X POST and the CLI send no Content-Type without a body; the endpoint runs (here: no service, 500).
        HttpTester.Response response = api.call("POST", "/api/v1" + route,
                LocalApi.headers("Authorization", LOGIN, "Content-Type", ""), "");

        assertThat(response.getStatus()).isEqualTo(500);
        assertThat(api.call("POST", "/api/v1" + route, LocalApi.headers("Authorization", LOGIN,
                "Content-Type", "application/json"), "").getStatus()).isEqualTo(500);
    }

    @Test
    void theSignedRevocationTakesItsBinaryTypesAndNoForm() throws Exception {
        for (String type : List.of("application/x-www-form-urlencoded", "text/plain", "application/json")) {
            HttpTester.Response refused = api.call("POST", "/api/v1/revocations/signed",
                    LocalApi.headers("Content-Type", type), "0");

            assertThat(refused.getStatus()).as(type).isEqualTo(415);
            assertThat(body(refused).path("message").asText()).isEqualTo("the request body must be sent as "
                    + "Content-Type: application/octet-stream or application/pkcs7-mime");
        }
        for (String type : List.of("application/pkcs7-mime", "application/pkcs7-mime; smime-type=signed-data",
                "application/octet-stream", "")) {
            assertThat(api.call("POST", "/api/v1/revocations/signed", LocalApi.headers("Content-Type", type), "0")
                    .getStatus()).as(type).isEqualTo(500); // reached the (absent) revocation service
        }
    }

    @Test
    void aMalformedIdUnderTheOpenRecoveryDownloadIs404WithoutALogin() throws Exception {
        HttpTester.Response response = call("POST", "/api/v1/km/recoveries/xx/download", null, "{}");

        assertThat(response.getStatus()).isEqualTo(404);
        assertThat(response.get("WWW-Authenticate")).isNull();
        assertThat(body(response).path("message").asText()).isEqualTo("POST /api/v1/km/recoveries/xx/download is not "
                + "part of the API; see /api/v1/openapi.yaml");
        assertThat(call("POST", "/api/v1/km/recoveries/xx/approve", null, "{}").getStatus())
                .as("an operator route still asks for the login first").isEqualTo(401);
    }

    @Test
    void anUnsupportedHttpVersionIs505WithAFixedMessageAndNoIncident() throws Exception {
        HttpTester.Response response = HttpTester.parseResponse(api.raw("GET /ca HTTP/9.9\r\nHost: test\r\n\r\n"));

        assertThat(response.getStatus()).isEqualTo(505);
        assertThat(response.getContent()).isEqualTo("{\"code\":\"BAD_REQUEST\",\"message\":\"unsupported HTTP "
                + "version: this server speaks HTTP/1.1 and HTTP/1.0\",\"field\":null}");
    }

    private HttpTester.Response call(String method, String path, String authorization, String body) throws Exception {
        return api.call(method, path, LocalApi.headers("Authorization", authorization), body);
    }

    private JsonNode body(HttpTester.Response response) throws Exception {
        return json.readTree(response.getContent());
    }

    /** clerk1/secret logs in; 'locked' gives the right password to a locked account; anything else is wrong. */
    private static final class Operators implements OperatorDirectory {

        @Override
        public Optional<org.egovpki.core.enroll.OperatorLogin> login(String uid, char[] password) {
            return KnownOperators.loginOf(authenticate(uid, password));
        }

        @Override
        public Optional<Operator> authenticate(String uid, char[] password) {
            if (uid.equals("locked")) {
                throw new OperatorLockedOut(uid, Instant.parse("2026-12-01T10:00:00Z"));
            }
            return uid.equals("clerk1") && String.valueOf(password).equals("secret") ? Optional.of(CLERK)
                    : Optional.empty();
        }

        @Override
        public Optional<Operator> findByDn(String dn) {
            throw new UnsupportedOperationException("not used by the HTTP edge");
        }

        @Override
        public Optional<Operator> findByUid(String uid) {
            throw new UnsupportedOperationException("not used by the HTTP edge");
        }

        @Override
        public Operator create(String uid, String name, Set<Role> roles, char[] password) {
            throw new UnsupportedOperationException("not used by the HTTP edge");
        }
    }
}
