package org.egovpki.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.egovpki.core.DomainException;
import org.egovpki.core.ca.CaRegistry;
import org.egovpki.core.ca.CertificateAuthority;
import org.egovpki.core.ca.CaRevocations;
import org.egovpki.core.ca.CrlPublisher;
import org.egovpki.core.certificate.Revocation;
import org.egovpki.core.certificate.RevocationReason;
import org.egovpki.core.ca.CrlRecord;
import org.egovpki.core.certificate.CertificateLookup;
import org.egovpki.core.certificate.CertificateQuery;
import org.egovpki.core.certificate.CertificateRecord;
import org.egovpki.core.certificate.CertificateStatus;
import org.egovpki.core.enroll.EnrollmentRequest;
import org.egovpki.core.enroll.EnrollmentService;
import org.egovpki.core.enroll.LifecycleService;
import org.egovpki.core.operator.Operator;
import org.egovpki.core.ca.KeyDeliveries;
import org.egovpki.core.ca.KeyManagementLink;
import org.egovpki.core.km.centre.KeyRecoveries;
import org.egovpki.core.km.centre.RecoveryState;
import org.egovpki.core.enroll.OperatorDirectory;
import org.egovpki.core.enroll.OperatorLockedOut;
import org.egovpki.core.enroll.validation.RegistrationData;
import org.egovpki.core.enroll.RequestState;
import org.egovpki.core.operator.Role;
import org.egovpki.core.enroll.Submission;
import org.egovpki.core.profile.ProfileCatalog;
import org.egovpki.core.revoke.RevocationService;
import org.egovpki.core.x509.Pem;
import org.egovpki.core.x509.Pkcs7;
import org.egovpki.core.privacy.PersonalData;
import org.egovpki.routes.BulkEnrollment;
import org.egovpki.routes.BulkProgress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator REST API under {@code /api/v1} (documented in {@code /api/v1/openapi.yaml}).
 * Every call but the OpenAPI document authenticates an operator with HTTP Basic: the server binds
 * to the directory as {@code uid=<user>,ou=operators,<base>} with the given password. Errors are
 * JSON {@code {code, message, field}}.
 */
public final class ApiHandler extends Handler.Abstract {

    private static final Logger LOG = LoggerFactory.getLogger(ApiHandler.class);
    static final String PREFIX = "/api/v1";
    private static final int MAX_BODY = 4 * 1024 * 1024;
    private static final Pattern REQUEST = Pattern.compile("/requests/([A-Za-z0-9._-]{1,64})");
    private static final Pattern DECISION = Pattern.compile("/requests/([A-Za-z0-9._-]{1,64})/(approve|reject|cancel)");
    private static final Pattern CRL = Pattern.compile("/crls/([A-Za-z0-9._-]{1,64})");
    private static final Pattern CA_REVOKE = Pattern.compile("/cas/([A-Za-z0-9._-]{1,64})/revoke");
    private static final Pattern REVOKE = Pattern.compile("/certificates/([0-9a-fA-F]{1,40})/revoke");
    private static final Pattern CERTIFICATE = Pattern.compile("/certificates/([0-9a-fA-F]{1,40})(\\.der|\\.pem|\\.p7b)?");
    private static final Set<String> SUBMISSION_FIELDS = Set.of("csr", "profile", "subscriberId", "registration",
            "businessType", "region", "publishOptOut", "challengePhrase", "agreementAccepted");
    private static final Set<String> REGISTRATION_FIELDS = Set.of("realName", "idType", "idNumber", "phone", "email",
            "organization", "legalName", "uscc", "organizationCode", "agentName", "agentPhone", "agentEmail",
            "agentIdNumber", "hostNames", "ipAddresses", "owner");

    private final EnrollmentService enrollment;
    private final BulkEnrollment bulk;
    private final RevocationApi revocations;
    private final CrlPublisher crls;
    private final CaRevocations caRevocations;
    private final LifecycleApi lifecycle;
    private final OperatorDirectory operators;
    private final CertificateLookup certificates;
    private final CaRegistry cas;
    private final ProfileCatalog profiles;
    private final KmApi km;
    private final ObjectMapper json;
    private final HttpResponses responses;
    private final byte[] openApi;

    public ApiHandler(EnrollmentService enrollment, RevocationService revocations, LifecycleService lifecycle,
                      CrlPublisher crls, CaRevocations caRevocations,
                      OperatorDirectory operators, CertificateLookup certificates, CaRegistry cas,
                      ProfileCatalog profiles, KeyRecoveries recoveries, KeyManagementLink kmLink,
                      KeyDeliveries deliveries, BulkEnrollment bulk, ObjectMapper json) {
        this.km = new KmApi(recoveries, kmLink, deliveries);
        this.enrollment = enrollment;
        this.bulk = bulk;
        this.crls = crls;
        this.caRevocations = caRevocations;
        this.revocations = new RevocationApi(revocations);
        this.lifecycle = new LifecycleApi(lifecycle);
        this.operators = operators;
        this.certificates = certificates;
        this.cas = cas;
        this.profiles = profiles;
        this.json = json;
        this.responses = new HttpResponses(json);
        try (InputStream in = ApiHandler.class.getResourceAsStream("openapi.yaml")) {
            this.openApi = in.readAllBytes();
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("openapi.yaml is missing from the jar", e);
        }
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
            if (route.equals("/openapi.yaml") && HttpMethod.GET.is(method)) {
                responses.bytes(response, callback, 200, "application/yaml", openApi, false);
                return true;
            }
            if (route.startsWith("/revocations/") && HttpMethod.POST.is(method)) {
                subscriberRevocation(route, request, response, callback);
                return true;
            }
            Matcher download = KmApi.DOWNLOAD.matcher(route);
            if (download.matches() && HttpMethod.POST.is(method)) {
                // The subscriber's key recovery: the one-time code is the authority, not an operator login.
                responses.json(response, callback, 200, km.download(download.group(1), body(request)), false);
                return true;
            }
            Operator operator = authenticate(request);
            dispatch(operator, method, route, request, response, callback);
        } catch (Unauthorized e) {
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

    private void dispatch(Operator operator, String method, String route, Request request, Response response,
                          Callback callback) {
        Matcher m;
        boolean get = HttpMethod.GET.is(method);
        boolean post = HttpMethod.POST.is(method);
        if (route.equals("/requests") && post) {
            EnrollmentRequest created = enrollment.submit(operator, submission(body(request)));
            response.getHeaders().put(HttpHeader.LOCATION, PREFIX + "/requests/" + created.id());
            responses.json(response, callback, 201, view(created, operator), false);
        } else if (route.equals("/requests/batch") && post) {
            JsonNode body = body(request);
            rejectUnknown(body, Set.of("requests"), "");
            JsonNode items = body.path("requests");
            if (!items.isArray()) {
                throw DomainException.badRequest("requests", "a batch is {\"requests\": [ ... ]}");
            }
            if (items.isEmpty() || items.size() > EnrollmentService.MAX_BATCH) {
                throw DomainException.badRequest("requests", "a batch holds 1 to " + EnrollmentService.MAX_BATCH
                        + " applications, this one has " + items.size());
            }
            List<Submission> submissions = new ArrayList<>();
            for (int i = 0; i < items.size(); i++) {
                try {
                    submissions.add(submission(items.get(i)));
                } catch (DomainException e) {
                    throw DomainException.badRequest("requests[" + i + "]" + (e.field() == null ? "" : "." + e.field()),
                            "application " + i + " of the batch: " + e.getMessage());
                }
            }
            List<Map<String, Object>> results = new ArrayList<>();
            for (EnrollmentService.BatchResult result : bulk.submit(operator, submissions, BulkProgress.NONE)) {
                Map<String, Object> item = new LinkedHashMap<>();
                item.put("index", result.index());
                if (result.request() != null) {
                    item.put("request", view(result.request(), operator));
                } else {
                    item.put("error", error(result.error()));
                }
                results.add(item);
            }
            responses.json(response, callback, 200, Map.of("results", results), false);
        } else if (route.equals("/requests") && get) {
            Fields query = Request.extractQueryParameters(request);
            RequestState state = enumParam(query, "state", RequestState.class, RequestState.SUBMITTED);
            int limit = intParam(query, "limit", 100, 1, 1000);
            responses.json(response, callback, 200, Map.of("requests",
                    enrollment.list(state, limit).stream().map(r -> view(r, operator)).toList()), false);
        } else if ((m = DECISION.matcher(route)).matches() && post) {
            String id = m.group(1);
            EnrollmentRequest result = switch (m.group(2)) {
                case "approve" -> enrollment.approve(operator, id);
                case "reject" -> enrollment.reject(operator, id, reason(body(request)));
                default -> enrollment.cancel(operator, id);
            };
            responses.json(response, callback, 200, view(result, operator), false);
        } else if ((m = REQUEST.matcher(route)).matches() && get) {
            responses.json(response, callback, 200, view(enrollment.get(m.group(1)), operator), false);
        } else if (route.equals("/certificates") && get) {
            Fields query = Request.extractQueryParameters(request);
            CertificateQuery q = new CertificateQuery(lower(query.getValue("serial")), query.getValue("subject"),
                    query.getValue("subscriber"), enumParam(query, "status", CertificateStatus.class, null),
                    intParam(query, "limit", 100, 1, 1000));
            responses.json(response, callback, 200, Map.of("certificates",
                    certificates.search(q).stream().map(this::view).toList()), false);
        } else if ((m = CERTIFICATE.matcher(route)).matches() && get) {
            certificate(m.group(1), m.group(2), Request.extractQueryParameters(request).getValue("issuer"),
                    response, callback);
        } else if ((m = CA_REVOKE.matcher(route)).matches() && post) {
            JsonNode body = body(request);
            rejectUnknown(body, Set.of("reason"), "");
            String reason = text(body, "reason");
            Revocation revocation;
            try {
                revocation = caRevocations.revoke(operator, m.group(1), reason == null ? null
                        : RevocationReason.parse(reason));
            } catch (IllegalArgumentException e) {
                throw DomainException.badRequest("reason", e.getMessage());
            }
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("ca", m.group(1));
            v.put("revocation", RevocationApi.view(revocation));
            responses.json(response, callback, 200, v, false);
        } else if ((m = CRL.matcher(route)).matches() && post) {
            responses.json(response, callback, 201, issueCrl(operator, m.group(1)), false);
        } else if ((m = REVOKE.matcher(route)).matches() && post) {
            CertificateRecord certificate = findOne(m.group(1), Request.extractQueryParameters(request).getValue("issuer"));
            responses.json(response, callback, 200,
                    view(revocations.revokeByOperator(operator, certificate, body(request))), false);
        } else if ((m = LifecycleApi.ROUTE.matcher(route)).matches() && post) {
            CertificateRecord certificate = findOne(m.group(1), Request.extractQueryParameters(request).getValue("issuer"));
            EnrollmentRequest created = lifecycle.handle(operator, m.group(2), certificate, body(request));
            response.getHeaders().put(HttpHeader.LOCATION, PREFIX + "/requests/" + created.id());
            responses.json(response, callback, 201, view(created, operator), false);
        } else if ((m = KmApi.DELIVERY.matcher(route)).matches() && get) {
            responses.json(response, callback, 200, km.delivery(m.group(1)), false);
        } else if (route.equals("/km/recoveries") && post) {
            Map<String, Object> created = km.submit(operator, body(request));
            response.getHeaders().put(HttpHeader.LOCATION, PREFIX + "/km/recoveries/" + created.get("id"));
            responses.json(response, callback, 201, created, false);
        } else if (route.equals("/km/recoveries") && get) {
            Fields query = Request.extractQueryParameters(request);
            responses.json(response, callback, 200, km.list(enumParam(query, "state", RecoveryState.class, null),
                    intParam(query, "limit", 100, 1, 1000)), false);
        } else if ((m = KmApi.RECOVERY_ACTION.matcher(route)).matches() && post) {
            responses.json(response, callback, 200, km.decide(operator, m.group(1), m.group(2), body(request)), false);
        } else if ((m = KmApi.JUDICIAL_FILE.matcher(route)).matches() && get) {
            response.getHeaders().put(HttpHeader.CONTENT_DISPOSITION, "attachment; filename=\"" + m.group(1)
                    + "-judicial.der\"");
            responses.bytes(response, callback, 200, "application/octet-stream", km.judicialFile(operator, m.group(1)),
                    false);
        } else if ((m = KmApi.RECOVERY.matcher(route)).matches() && get) {
            responses.json(response, callback, 200, km.get(m.group(1)), false);
        } else if (route.equals("/profiles") && get) {
            responses.json(response, callback, 200, Map.of("profiles", profiles.all().stream().map(e -> {
                Map<String, Object> p = new LinkedHashMap<>();
                p.put("name", e.profile().name());
                p.put("type", e.profile().type().name());
                p.put("issuer", e.issuer());
                p.put("validity", e.profile().validity().toString());
                p.put("autoApproveForRa", e.profile().autoApproveForRa());
                p.put("dual", e.profile().dual());
                p.put("description", e.profile().description());
                return p;
            }).toList()), false);
        } else {
            responses.error(response, callback, 404, "NOT_FOUND", method + " " + PREFIX + route
                    + " is not part of the API; see " + PREFIX + "/openapi.yaml", null);
        }
    }

    /** An emergency CRL on demand (REQUIREMENTS §5), by a CA or RA administrator. */
    private Map<String, Object> issueCrl(Operator operator, String caName) {
        if (!operator.has(Role.CA_ADMIN) && !operator.has(Role.RA_ADMIN)) {
            throw new DomainException(DomainException.Kind.FORBIDDEN, "operator '" + operator.uid()
                    + "' may not issue CRLs; that needs the CA_ADMIN or RA_ADMIN role");
        }
        CertificateAuthority ca = cas.find(caName).orElseThrow(() -> DomainException.notFound("no CA named '"
                + caName + "'; the CAs are " + cas.all().stream().map(CertificateAuthority::name).toList()));
        CrlRecord crl = crls.issue(ca, operator.dn());
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("ca", ca.name());
        v.put("crlNumber", crl.crlNumber().toString());
        v.put("thisUpdate", crl.thisUpdate().toString());
        v.put("nextUpdate", crl.nextUpdate().toString());
        v.put("url", "/crl/" + ca.name() + ".crl");
        return v;
    }

    /** The subscriber channels: no operator login, the challenge phrase or the signature proves the right. */
    private void subscriberRevocation(String route, Request request, Response response, Callback callback) {
        CertificateRecord revoked;
        if (route.equals("/revocations/self-service")) {
            revoked = revocations.revokeWithChallenge(body(request), Request.getRemoteAddr(request));
        } else if (route.equals("/revocations/signed")) {
            revoked = revocations.revokeSigned(rawBody(request));
        } else {
            throw DomainException.notFound("POST " + PREFIX + route + " is not part of the API; the subscriber "
                    + "revocation endpoints are /revocations/self-service and /revocations/signed");
        }
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("issuer", revoked.issuer());
        v.put("serial", revoked.serialHex());
        v.put("status", revoked.status().name());
        v.put("revocation", RevocationApi.view(revoked.revocation()));
        responses.json(response, callback, 200, v, false);
    }

    private void certificate(String serialHex, String format, String issuer, Response response, Callback callback) {
        CertificateRecord record = findOne(serialHex, issuer);
        X509Certificate certificate = Pem.parseCertificate(record.certificateDer());
        if (format == null) {
            responses.json(response, callback, 200, view(record), false);
        } else if (format.equals(".der")) {
            responses.bytes(response, callback, 200, "application/pkix-cert", record.certificateDer(), false);
        } else if (format.equals(".pem")) {
            responses.bytes(response, callback, 200, "application/x-pem-file",
                    Pem.certificate(certificate).getBytes(StandardCharsets.US_ASCII), false);
        } else {
            List<X509Certificate> chain = new ArrayList<>();
            chain.add(certificate);
            cas.find(record.issuer()).map(CertificateAuthority::chain).ifPresent(chain::addAll);
            responses.bytes(response, callback, 200, "application/pkcs7-mime", Pkcs7.certificatesOnly(chain), false);
        }
    }

    /** The one certificate with this serial (from {@code issuer}, when several CAs used the serial). */
    private CertificateRecord findOne(String serialHex, String issuer) {
        List<CertificateRecord> found = certificates.search(new CertificateQuery(lower(serialHex), null, null, null,
                10)).stream().filter(r -> issuer == null || r.issuer().equals(issuer)).toList();
        if (found.isEmpty()) {
            throw DomainException.notFound("no certificate with serial " + serialHex
                    + (issuer == null ? "" : " from CA " + issuer));
        }
        if (found.size() > 1) {
            throw DomainException.conflict("serial " + serialHex + " was issued by several CAs "
                    + found.stream().map(CertificateRecord::issuer).toList() + "; add ?issuer=<name>");
        }
        return found.get(0);
    }

    // --- authentication ---

    private static final class Unauthorized extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Unauthorized(String message) {
            super(message, null, false, false);
        }
    }

    private Operator authenticate(Request request) {
        String header = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            throw new Unauthorized("this API needs an operator login (HTTP Basic: the operator's uid and password)");
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new Unauthorized("the Authorization header is not valid Basic credentials");
        }
        int colon = decoded.indexOf(':');
        if (colon < 1) {
            throw new Unauthorized("the Authorization header is not valid Basic credentials");
        }
        try {
            return operators.authenticate(decoded.substring(0, colon), decoded.substring(colon + 1).toCharArray())
                    .orElseThrow(() -> new Unauthorized("wrong operator login or password"));
        } catch (OperatorLockedOut e) {
            // Said only to someone who gave the right password, so it reveals no login to a guesser.
            throw new Unauthorized("operator account '" + e.uid() + "' is locked after too many failed logins "
                    + "(over the REST API or LDAP); it unlocks at " + e.until() + " (a wrong password before then "
                    + "locks it again), or the directory administrator can unlock it earlier");
        }
    }

    // --- JSON in ---

    private JsonNode body(Request request) {
        byte[] body = rawBody(request);
        if (body.length == 0) {
            return json.createObjectNode();
        }
        try {
            // A key given twice is refused: which value wins would otherwise depend on the parser.
            JsonNode node = json.reader().with(StreamReadFeature.STRICT_DUPLICATE_DETECTION).readTree(body);
            if (node == null || !node.isObject()) {
                throw DomainException.badRequest(null, "the request body must be a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw DomainException.badRequest(null, "the request body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw DomainException.badRequest(null, "the request body could not be read: " + e.getMessage());
        }
    }

    private static byte[] rawBody(Request request) {
        try {
            byte[] body = RequestBodies.read(request, MAX_BODY);
            if (body == null) {
                throw DomainException.badRequest(null, "the request body is larger than " + MAX_BODY + " bytes");
            }
            return body;
        } catch (IOException e) {
            throw DomainException.badRequest(null, "the request body could not be read: " + e.getMessage());
        }
    }

    static Submission submission(JsonNode node) {
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
                text(r, "agentPhone", g), text(r, "agentEmail", g), text(r, "agentIdNumber", g), list(r, "hostNames"),
                list(r, "ipAddresses"), text(r, "owner", g));
        String csr = text(node, "csr");
        String phrase = text(node, "challengePhrase");
        return new Submission(csr == null ? null : csr(csr), text(node, "profile"), text(node, "subscriberId"),
                registration, text(node, "businessType"), text(node, "region"),
                bool(node, "publishOptOut"), phrase == null ? null : phrase.toCharArray(),
                bool(node, "agreementAccepted"));
    }

    /** PEM text as is; otherwise base64 of DER. */
    static byte[] csr(String value) {
        if (value.contains("-----BEGIN")) {
            return value.getBytes(StandardCharsets.US_ASCII);
        }
        try {
            return Base64.getMimeDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            throw DomainException.badRequest("csr", "csr must be PEM or base64-encoded DER");
        }
    }

    static void rejectUnknown(JsonNode node, Set<String> allowed, String prefix) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw DomainException.badRequest(prefix + name, "unknown field '" + prefix + name + "'; allowed: "
                        + allowed.stream().sorted().toList());
            }
        }
    }

    static String text(JsonNode node, String field) {
        return text(node, field, "");
    }

    /**
     * A string field, {@code null} when absent, JSON null or blank. Any other JSON type (number,
     * boolean, object, array) is refused naming the field as {@code prefix + field}: a number is
     * never taken as its text.
     */
    static String text(JsonNode node, String field, String prefix) {
        JsonNode value = node.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw DomainException.badRequest(prefix + field, prefix + field + " must be a string, not "
                    + jsonType(value));
        }
        String text = value.asText().strip();
        return text.isEmpty() ? null : text;
    }

    private static boolean bool(JsonNode node, String field) {
        JsonNode value = node.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return false;
        }
        if (!value.isBoolean()) {
            throw DomainException.badRequest(field, field + " must be true or false, not " + jsonType(value));
        }
        return value.booleanValue();
    }

    private static List<String> list(JsonNode node, String field) {
        JsonNode value = node.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return List.of();
        }
        if (!value.isArray()) {
            throw DomainException.badRequest("registration." + field, field + " must be a list of strings");
        }
        List<String> items = new ArrayList<>();
        for (JsonNode item : value) {
            if (!item.isTextual()) {
                throw DomainException.badRequest("registration." + field, field + " must be a list of strings");
            }
            items.add(item.asText().strip());
        }
        return items;
    }

    /** The JSON type of a value, for messages; never the value itself. */
    static String jsonType(JsonNode value) {
        return switch (value.getNodeType()) {
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case OBJECT -> "an object";
            case ARRAY -> "an array";
            default -> value.getNodeType().name().toLowerCase(Locale.ROOT);
        };
    }

    /** The body of {@code POST /requests/{id}/reject}: {@code {"reason": "..."}}. */
    private static String reason(JsonNode body) {
        rejectUnknown(body, Set.of("reason"), "");
        return text(body, "reason");
    }

    private static String upper(String s) {
        return s == null ? null : s.toUpperCase(Locale.ROOT);
    }

    /** A serial in the one hex form records use; refuses anything that is not hex. */
    static String lower(String s) {
        if (s == null) {
            return null;
        }
        if (!s.matches("[0-9a-fA-F]{1,40}")) {
            throw DomainException.badRequest("serial", "serial must be 1-40 hexadecimal digits, was '"
                    + (s.length() > 40 ? s.substring(0, 40) + "..." : s) + "'");
        }
        return new BigInteger(s, 16).toString(16);
    }

    private static <E extends Enum<E>> E enumParam(Fields query, String name, Class<E> type, E fallback) {
        String value = query.getValue(name);
        if (value == null) {
            return fallback;
        }
        try {
            return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw DomainException.badRequest(name, "unknown " + name + " '" + value + "'; allowed: "
                    + List.of(type.getEnumConstants()));
        }
    }

    private static int intParam(Fields query, String name, int fallback, int min, int max) {
        String value = query.getValue(name);
        if (value == null) {
            return fallback;
        }
        try {
            int parsed = Integer.parseInt(value);
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException ignored) {
            // fall through to the error
        }
        throw DomainException.badRequest(name, name + " must be a whole number from " + min + " to " + max);
    }

    // --- JSON out ---

    /**
     * The request as {@code viewer} may see it. Reviewers (who decide the request by comparing the
     * registration with the documents presented) and RA admins (who answer for the RA's records)
     * see identity and phone numbers whole; everyone else, the entry clerk included once the
     * application is entered, sees them masked (seed 001 §6.4.2: access by role).
     */
    private Map<String, Object> view(EnrollmentRequest r, Operator viewer) {
        boolean whole = viewer.has(Role.REVIEWER) || viewer.has(Role.RA_ADMIN);
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", r.id());
        v.put("state", r.state().name());
        v.put("profile", r.profile());
        v.put("type", r.type().name());
        v.put("subscriberId", r.subscriberId());
        v.put("subjectDn", r.subjectDn());
        v.put("businessType", r.businessType());
        v.put("region", r.region());
        v.put("publishOptOut", r.publishOptOut());
        v.put("enteredBy", r.enteredBy());
        v.put("reviewedBy", r.reviewedBy());
        v.put("submittedAt", str(r.submittedAt()));
        v.put("decidedAt", str(r.decidedAt()));
        v.put("issuedAt", str(r.issuedAt()));
        v.put("rejectionReason", r.rejectionReason());
        v.put("serials", r.resultSerials());
        v.put("kind", r.kind().name());
        v.put("originalSerial", r.originalSerial());
        // Operators only, never public; numbers whole only for those who decide on them.
        RegistrationData g = r.registration();
        Map<String, Object> registration = new LinkedHashMap<>();
        registration.put("realName", g.realName());
        registration.put("idType", g.idType());
        registration.put("idNumber", whole ? g.idNumber() : PersonalData.mask(g.idNumber()));
        registration.put("phone", whole ? g.phone() : PersonalData.mask(g.phone()));
        registration.put("email", g.email());
        registration.put("organization", g.organization());
        registration.put("legalName", g.legalName());
        registration.put("uscc", g.uscc());
        registration.put("organizationCode", g.organizationCode());
        registration.put("agentName", g.agentName());
        registration.put("agentPhone", whole ? g.agentPhone() : PersonalData.mask(g.agentPhone()));
        registration.put("agentEmail", g.agentEmail());
        registration.put("agentIdNumber", whole ? g.agentIdNumber() : PersonalData.mask(g.agentIdNumber()));
        registration.put("hostNames", g.hostNames());
        registration.put("ipAddresses", g.ipAddresses());
        registration.put("owner", g.owner());
        registration.values().removeIf(value -> value == null || (value instanceof List<?> l && l.isEmpty()));
        v.put("registration", registration);
        return v;
    }

    private Map<String, Object> view(CertificateRecord r) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("issuer", r.issuer());
        v.put("serial", r.serialHex());
        v.put("subjectDn", r.subjectDn());
        v.put("subscriberId", r.subscriberId());
        v.put("profile", r.profile());
        v.put("type", r.type().name());
        v.put("keyUsage", r.kind().name());
        v.put("status", r.status().name());
        v.put("notBefore", str(r.notBefore()));
        v.put("notAfter", str(r.notAfter()));
        v.put("sha256", r.sha256());
        v.put("requestId", r.requestId());
        if (r.revocation() != null) {
            v.put("revocation", RevocationApi.view(r.revocation()));
        }
        String base = PREFIX + "/certificates/" + r.serialHex();
        v.put("der", base + ".der?issuer=" + r.issuer());
        v.put("pem", base + ".pem?issuer=" + r.issuer());
        v.put("pkcs7", base + ".p7b?issuer=" + r.issuer());
        return v;
    }

    private static Map<String, Object> error(DomainException e) {
        if (e.isServerFault()) {
            LOG.warn("a batch item failed (incident {}): {}", e.incident(), e.getMessage(), e);
        }
        return HttpResponses.body(e);
    }

    private static String str(Object o) {
        return o == null ? null : o.toString();
    }

}
