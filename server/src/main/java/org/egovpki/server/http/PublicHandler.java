package org.egovpki.server.http;

import java.security.cert.CertificateEncodingException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.egovpki.core.DomainException;
import org.egovpki.core.ca.CaPublications;
import org.egovpki.core.ca.CaRecord;
import org.egovpki.core.ca.CaRegistry;
import org.egovpki.core.ca.CertificateAuthority;
import org.egovpki.core.ca.CrlHead;
import org.egovpki.core.ca.CrlRecord;
import org.egovpki.core.ca.PublicationUrls;
import org.egovpki.core.certificate.PublishedCertificates;
import org.egovpki.core.x509.Pem;
import org.egovpki.core.x509.SerialNumbers;
import org.egovpki.directory.DirectoryHealth;
import org.egovpki.directory.DirectoryNames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The public, unauthenticated HTTP surface: health ({@code /health}, {@code /health/live},
 * {@code /health/ready}), the CA list, CA certificates and CRLs, and the RFC 4387 certificate and
 * CRL store ({@code /certs}, {@code /crls}, {@code /search.cgi}).
 * It holds only read-only views: the CA registry's certificates, the directory's published CRLs and
 * published end-entity certificates, and the directory health probe, which writes only its own entry.
 */
public final class PublicHandler extends Handler.Abstract {

    private static final Logger LOG = LoggerFactory.getLogger(PublicHandler.class);
    static final Pattern CA_CERT = Pattern.compile("/ca/([^/]+)\\.(crt|pem)");
    static final Pattern CRL = Pattern.compile("/crl/([^/]+)\\.crl");
    /** Every certificate of a CA key changeover, certs-only PKCS#7 (docs/operations.md, "CA key changeover"). */
    static final Pattern CA_KEYS = Pattern.compile("/ca/([^/]+)-keys\\.p7c");
    /** The CRL of a key made by a key changeover (current or retired since), named by its key identifier. */
    private static final Pattern RETIRED_KEY = Pattern.compile("(.+)-key-([0-9a-f]{2,64})");
    private static final String DELTA_SUFFIX = "-delta";
    private static final String ARL_SUFFIX = "-arl";
    private static final Pattern PARTITION = Pattern.compile("(.+)-shard([0-9]{1,4})");
    /** The SOAP binding's contract (docs/sync.md), published for integrators. */
    static final String SYNC_WSDL_PATH = "/sync/egov-sync.wsdl";
    private static final byte[] SYNC_WSDL = resource("/org/egovpki/server/sync/egov-sync.wsdl");
    private static final String CRL_CACHE_CONTROL = "public, no-transform, must-revalidate";
    /** Set, to the limit, when more end-entity certificates matched an RFC 4387 query than one answer holds. */
    static final String TRUNCATED_HEADER = "X-Egov-Truncated";

    private final CaRegistry registry;
    private final CaPublications publications;
    private final PublicationUrls urls;
    private final DirectoryNames names;
    private final String ldapUrl;
    private final Clock clock;
    private final DirectoryHealth directoryHealth;
    private final Readiness readiness;
    private final HttpResponses responses;
    private final HttpCertStore store;
    private final TokenBuckets lookups;

    /**
     * @param published the end-entity certificates the directory publishes, for the RFC 4387 store
     * @param lookups   the per-client-address buckets of lookups by name, shared with the {@code /lookup}
     *                  page: every store query that reaches the subscribers' certificates draws on them
     *                  (never one answered by a CA certificate or a CRL)
     */
    public PublicHandler(CaRegistry registry, CaPublications publications, PublishedCertificates published,
                         PublicationUrls urls, DirectoryNames names, String ldapUrl, Clock clock,
                         DirectoryHealth directoryHealth, Readiness readiness,
                         com.fasterxml.jackson.databind.ObjectMapper json, TokenBuckets lookups) {
        this.lookups = java.util.Objects.requireNonNull(lookups, "lookups");
        this.directoryHealth = directoryHealth;
        this.readiness = readiness;
        this.registry = registry;
        this.publications = publications;
        this.urls = urls;
        this.names = names;
        this.ldapUrl = ldapUrl;
        this.clock = clock;
        this.responses = new HttpResponses(json);
        this.store = new HttpCertStore(registry, publications, published);
    }

    /** What a path names, once matched: the handler's one table of its resources. */
    private enum Kind { HEALTH, LIVE, READY, CA_LIST, CA_KEYS, CA_CERTIFICATE, CRL, STORE, SYNC_WSDL }

    /**
     * One of this handler's resources, as a path names it.
     *
     * @param match the pattern's match, for the kinds a pattern names (the CA, the CRL); else {@code null}
     * @param store the RFC 4387 store's target, for {@link Kind#STORE}; else {@code null}
     */
    private record Resource(Kind kind, Matcher match, StoreQuery.Target store) {

        static Resource of(Kind kind) {
            return new Resource(kind, null, null);
        }
    }

    /** The resource {@code path} names, or empty: the one place the paths are told apart. */
    private static Optional<Resource> resourceAt(String path) {
        switch (path) {
            case "/health":
                return Optional.of(Resource.of(Kind.HEALTH));
            case "/health/live":
                return Optional.of(Resource.of(Kind.LIVE));
            case "/health/ready":
                return Optional.of(Resource.of(Kind.READY));
            case "/ca", "/ca/":
                return Optional.of(Resource.of(Kind.CA_LIST));
            case SYNC_WSDL_PATH:
                return Optional.of(Resource.of(Kind.SYNC_WSDL));
            default:
                break;
        }
        Matcher caKeys = CA_KEYS.matcher(path);
        if (caKeys.matches()) {
            return Optional.of(new Resource(Kind.CA_KEYS, caKeys, null));
        }
        Matcher caCert = CA_CERT.matcher(path);
        if (caCert.matches()) {
            return Optional.of(new Resource(Kind.CA_CERTIFICATE, caCert, null));
        }
        Matcher crl = CRL.matcher(path);
        if (crl.matches()) {
            return Optional.of(new Resource(Kind.CRL, crl, null));
        }
        return StoreQuery.target(path).map(target -> new Resource(Kind.STORE, null, target));
    }

    /**
     * Whether {@code path} is one of this handler's resources (health, CA certificates, CRLs, the RFC 4387
     * store, the sync WSDL). Any other path reaching it is answered 404; the public pages answer such a
     * path themselves when a browser asks for a page ({@code WebHandler}).
     */
    public static boolean answers(String path) {
        return resourceAt(path).isPresent();
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
        boolean head = HttpMethod.HEAD.is(request.getMethod());
        if (!head && !HttpMethod.GET.is(request.getMethod())) {
            response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
            responses.error(response, callback, 405, "METHOD_NOT_ALLOWED", request.getMethod()
                    + " is not supported on " + path + "; use GET", null);
            return true;
        }
        Optional<Resource> resource = resourceAt(path);
        try {
            if (resource.isEmpty()) {
                responses.error(response, callback, 404, "NOT_FOUND", "no resource at " + path
                        + "; try /health, /health/live, /health/ready, /ca, /ca/{name}.crt, /ca/{name}.pem, "
                        + "/crl/{name}.crl, /crl/{name}-delta.crl, " + StoreQuery.USAGE + ", or " + SYNC_WSDL_PATH, null);
                return true;
            }
            Matcher match = resource.get().match();
            switch (resource.get().kind()) {
                case HEALTH -> health(response, callback, head);
                case LIVE -> responses.json(response, callback, 200, Map.of("status", "UP"), head);
                case READY -> ready(response, callback, head);
                case CA_LIST -> responses.json(response, callback, 200, caList(), head);
                case CA_KEYS -> caKeys(match.group(1), response, callback, head);
                case CA_CERTIFICATE -> caCertificate(match.group(1), match.group(2), response, callback, head);
                case CRL -> crl(match.group(1), request, response, callback, head);
                case STORE -> certStore(StoreQuery.parse(resource.get().store(), request.getHttpURI().getQuery()),
                        request, response, callback, head);
                case SYNC_WSDL -> responses.bytes(response, callback, 200, "text/xml; charset=utf-8", SYNC_WSDL, head);
            }
        } catch (DomainException e) {
            if (!e.isServerFault()) {
                // The client's mistake (a malformed store query, an unknown CA): anonymous callers
                // could otherwise fill the log at will. The answer tells them what was wrong.
                LOG.debug("{} {}: {}", request.getMethod(), path, e.getMessage());
            } else {
                LOG.warn("{} {} failed: {}", request.getMethod(), path, e.getMessage());
            }
            responses.error(response, callback, e);
        }
        return true;
    }

    /**
     * {@code UP} (200) only when the directory answers a write and a read round trip
     * ({@link DirectoryHealth}) and every CA is published with a current CRL; otherwise {@code DOWN}
     * (503), naming the component and what failed, never the directory's own error text.
     */
    private void health(Response response, Callback callback, boolean head) {
        Health health = checkHealth();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", health.up() ? "UP" : "DOWN");
        body.put("directory", health.directory());
        body.put("cas", health.cas());
        responses.json(response, callback, health.up() ? 200 : 503, body, head);
    }

    /**
     * Ready (200) only when the directory and the CAs are up as {@code /health} checks them (a stale
     * CRL aside: see {@link Health#casReadinessProblem}) and every
     * component of {@link Readiness} (start-up with its recovery, the Camel routes) is; otherwise 503
     * naming each component that is not and why. Liveness ({@code /health/live}) is only that the
     * process answers: a load balancer takes a node out on readiness, a supervisor restarts it on liveness.
     */
    private void ready(Response response, Callback callback, boolean head) {
        Health health = checkHealth();
        List<Readiness.Component> components = new ArrayList<>();
        components.add(new Readiness.Component("directory",
                health.directoryUp() ? null : (String) health.directory().get("problem")));
        components.add(new Readiness.Component("cas", health.casReadinessProblem()));
        components.addAll(readiness.components());
        List<String> notReady = new ArrayList<>();
        List<Map<String, Object>> items = new ArrayList<>();
        for (Readiness.Component component : components) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("name", component.name());
            item.put("status", component.isReady() ? "READY" : "NOT_READY");
            if (!component.isReady()) {
                item.put("problem", component.problem());
                notReady.add(component.name());
            }
            items.add(item);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", notReady.isEmpty() ? "READY" : "NOT_READY");
        if (!notReady.isEmpty()) {
            body.put("notReady", notReady);
        }
        body.put("components", items);
        responses.json(response, callback, notReady.isEmpty() ? 200 : 503, body, head);
    }

    /** The directory's and the CAs' state, as {@code /health} reports it and {@code /health/ready} uses it. */
    private record Health(boolean directoryUp, Map<String, Object> directory, List<Map<String, Object>> cas) {

        boolean up() {
            return directoryUp && casProblem() == null;
        }

        /** What is wrong with the CAs, {@code null} when every CA is up. */
        String casProblem() {
            return directoryUp ? problem(cas, Set.of("UP")) : "unknown while the directory is down";
        }

        /**
         * What keeps the CAs from serving, {@code null} when none: a stale CRL makes {@code /health}
         * DOWN (an alert) but not the server unready, since taking every node out of the load
         * balancer would stop OCSP and the downloads too while the CRL job catches up.
         */
        String casReadinessProblem() {
            return directoryUp ? problem(cas, Set.of("UP", "CRL_STALE")) : "unknown while the directory is down";
        }
    }

    /** The CAs whose status is not one of {@code fine}, as "name STATUS, ...", or {@code null}. */
    static String problem(List<Map<String, Object>> cas, Set<String> fine) {
        List<String> down = new ArrayList<>();
        for (Map<String, Object> ca : cas) {
            if (!fine.contains(String.valueOf(ca.get("status")))) {
                down.add(ca.get("name") + " " + ca.get("status"));
            }
        }
        return down.isEmpty() ? null : String.join(", ", down);
    }

    private Health checkHealth() {
        Map<String, Object> directory = new LinkedHashMap<>();
        directory.put("url", ldapUrl);
        directory.put("baseDn", names.base().toString());
        List<Map<String, Object>> cas = new ArrayList<>();
        DirectoryHealth.Result probe = directoryHealth.check();
        boolean directoryUp = probe.up();
        String problem = probe.problem();
        if (directoryUp) {
            try {
                Instant now = clock.instant();
                for (CertificateAuthority ca : registry.all()) {
                    Map<String, Object> item = new LinkedHashMap<>();
                    item.put("name", ca.name());
                    Optional<CaRecord> published = publications.find(ca.name());
                    Optional<CrlHead> crl = publications.crlHead(ca.name());
                    String status = "UP";
                    if (published.isEmpty()) {
                        status = "NOT_PUBLISHED";
                    } else if (crl.isEmpty() || crl.get().nextUpdate().isBefore(now)) {
                        status = "CRL_STALE";
                    }
                    item.put("status", status);
                    crl.ifPresent(c -> {
                        item.put("crlNumber", c.crlNumber().toString());
                        item.put("crlNextUpdate", c.nextUpdate().toString());
                    });
                    cas.add(item);
                }
            } catch (DomainException e) {
                LOG.error("Health: the CA entries cannot be read from the directory: {}", e.getMessage());
                directoryUp = false;
                problem = "a read from the directory failed";
                cas.clear();
            }
        }
        if (!directoryUp) {
            for (CertificateAuthority ca : registry.all()) {
                cas.add(new LinkedHashMap<>(Map.of("name", ca.name(), "status", "UNKNOWN")));
            }
        }
        directory.put("status", directoryUp ? "UP" : "DOWN");
        if (!directoryUp) {
            directory.put("problem", problem);
        }
        directory.put("checkedAt", probe.checkedAt().toString());
        return new Health(directoryUp, directory, cas);
    }

    private List<Map<String, Object>> caList() {
        List<Map<String, Object>> list = new ArrayList<>();
        for (CertificateAuthority ca : registry.all()) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("name", ca.name());
            item.put("role", ca.role().name());
            item.put("algorithm", ca.algorithm().name());
            item.put("subject", ca.certificate().getSubjectX500Principal().getName());
            item.put("issuer", ca.certificate().getIssuerX500Principal().getName());
            item.put("serial", SerialNumbers.toHex(ca.certificate().getSerialNumber()));
            item.put("notBefore", ca.certificate().getNotBefore().toInstant().toString());
            item.put("notAfter", ca.certificate().getNotAfter().toInstant().toString());
            item.put("certificateUrl", urls.caCertificateUrl(ca.name()));
            item.put("certificatePemUrl", urls.caCertificateUrl(ca.name()).replaceAll("\\.crt$", ".pem"));
            item.put("crlUrl", urls.crlUrl(ca.name()));
            item.put("ldapDn", names.ca(ca.name()).toString());
            item.put("crlLdapUrl", urls.crlLdapUrl(ca.name()));
            item.put("deltaCrlUrl", urls.deltaCrlUrl(ca.name()));
            if (!ca.firstKeyIssues()) {
                // The CRL the certificates the current key issues name: the main URLs stay the first key's.
                item.put("currentKeyCrlUrl", ca.crlUrl(urls));
            }
            if (!ca.retiredKeys().isEmpty()) {
                // After a key changeover: where the old keys' CRLs and all the CA's certificates are.
                item.put("keysUrl", urls.caCertificateUrl(ca.name()).replaceAll("\\.crt$", "-keys.p7c"));
                List<Map<String, Object>> retired = new ArrayList<>();
                for (org.egovpki.core.ca.RetiredCaKey key : ca.retiredKeys()) {
                    boolean first = key.alias().equals(ca.name());
                    retired.add(Map.of("serial", SerialNumbers.toHex(key.certificate().getSerialNumber()),
                            "notAfter", key.certificate().getNotAfter().toInstant().toString(),
                            "crlUrl", first ? urls.crlUrl(ca.name()) : urls.keyCrlUrl(ca.name(), key.keyIdHex())));
                }
                item.put("retiredKeys", retired);
            }
            list.add(item);
        }
        return list;
    }

    private void caCertificate(String name, String format, Response response, Callback callback, boolean head) {
        CertificateAuthority ca = registry.find(name).orElseThrow(() -> unknownCa(name));
        try {
            if (format.equals("crt")) {
                responses.bytes(response, callback, 200, "application/pkix-cert", ca.certificate().getEncoded(), head);
            } else {
                responses.bytes(response, callback, 200, "application/x-pem-file",
                        HttpResponses.utf8(Pem.certificate(ca.certificate())), head);
            }
        } catch (CertificateEncodingException e) {
            throw DomainException.internal("CA certificate of '" + name + "' cannot be encoded", e);
        }
    }

    /**
     * {@code /ca/<ca>-keys.p7c}: the CA's current certificate, the certificates of its retired keys
     * still in service and, for a root, the link certificates (NewWithOld, OldWithNew) of its key
     * changeovers; a CA that never changed its key answers with its certificate alone.
     */
    private void caKeys(String name, Response response, Callback callback, boolean head) {
        CertificateAuthority ca = registry.find(name).orElseThrow(() -> unknownCa(name));
        responses.bytes(response, callback, 200, "application/pkcs7-mime",
                org.egovpki.core.x509.Pkcs7.certificatesOnly(store.caCertificates(ca)), head);
    }

    /**
     * {@code /crl/<ca>.crl} (full), {@code /crl/<ca>-delta.crl} (the delta issued with it), and the
     * same for a partition: {@code /crl/<ca>-shard<n>.crl}, {@code /crl/<ca>-shard<n>-delta.crl}.
     */
    private void crl(String name, Request request, Response response, Callback callback, boolean head) {
        sendCrl(responses, name, currentCrl(name, n -> registry.find(n).isPresent(), publications), request, response,
                callback, head);
    }

    /**
     * The CRL {@code /crl/<name>.crl} names, of the CAs {@code isCa} accepts: full, delta, partition or
     * a root's ARL. Shared with the locked server ({@link LockedDownloads}), which knows the CA names
     * from the configuration only.
     */
    static CrlRecord currentCrl(String name, java.util.function.Predicate<String> isCa, CaPublications publications) {
        if (name.endsWith(ARL_SUFFIX) && !isCa.test(name)) {
            String root = name.substring(0, name.length() - ARL_SUFFIX.length());
            if (!isCa.test(root)) {
                throw unknownCa(name);
            }
            return publications.currentArl(root).orElseThrow(() -> DomainException.notFound("CA '" + root
                    + "' publishes no ARL (only root CAs do, with their first CRL)"));
        }
        Matcher retiredKey = RETIRED_KEY.matcher(name);
        if (!isCa.test(name) && retiredKey.matches() && isCa.test(retiredKey.group(1))) {
            return publications.retiredKeyCrl(retiredKey.group(1), retiredKey.group(2)).orElseThrow(() ->
                    DomainException.notFound("CA '" + retiredKey.group(1) + "' has no key " + retiredKey.group(2)
                            + " that publishes a CRL of its own (only keys made by a key changeover do; the first "
                            + "key's CRL is /crl/" + retiredKey.group(1) + ".crl)"));
        }
        String caName = name;
        boolean delta = false;
        if (!isCa.test(caName) && caName.endsWith(DELTA_SUFFIX)) {
            delta = true;
            caName = caName.substring(0, caName.length() - DELTA_SUFFIX.length());
        }
        Integer shard = null;
        Matcher partition = PARTITION.matcher(caName);
        if (!isCa.test(caName) && partition.matches()) {
            caName = partition.group(1);
            shard = Integer.valueOf(partition.group(2));
        }
        String ca = caName;
        if (!isCa.test(ca)) {
            throw unknownCa(name);
        }
        Optional<CrlRecord> found = shard == null
                ? (delta ? publications.currentDeltaCrl(ca) : publications.currentCrl(ca))
                : (delta ? publications.currentPartitionDeltaCrl(ca, shard) : publications.currentPartitionCrl(ca, shard));
        boolean plain = shard == null && !delta;
        return found.orElseThrow(() -> plain ? new DomainException(DomainException.Kind.UNAVAILABLE, "CA '"
                + ca + "' has no published CRL yet; retry shortly") : new DomainException(DomainException.Kind.NOT_FOUND, "no CRL is "
                + "published at /crl/" + name + ".crl now (delta CRLs and partitions exist only when configured); "
                + "the full CRL is /crl/" + ca + ".crl"));
    }

    private void send(String name, CrlRecord crl, Request request, Response response, Callback callback, boolean head) {
        sendCrl(responses, name, crl, request, response, callback, head);
    }

    /** A CRL with its caching headers (ETag of name and number, Last-Modified, Expires); 304 when unchanged. */
    static void sendCrl(HttpResponses responses, String name, CrlRecord crl, Request request, Response response,
                        Callback callback, boolean head) {
        String etag = "\"" + name + "-" + crl.crlNumber() + "\"";
        response.getHeaders().put(HttpHeader.ETAG, etag);
        response.getHeaders().put(HttpHeader.LAST_MODIFIED, HttpDates.format(crl.thisUpdate()));
        response.getHeaders().put(HttpHeader.EXPIRES, HttpDates.format(crl.nextUpdate()));
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, CRL_CACHE_CONTROL);
        if (notModified(request, etag, crl.thisUpdate())) {
            response.setStatus(304);
            callback.succeeded();
            return;
        }
        responses.bytes(response, callback, 200, "application/pkix-crl", crl.der(), head);
    }

    /**
     * RFC 4387: one match is the object itself ({@code application/pkix-cert} or
     * {@code application/pkix-crl}); several are a {@code multipart/mixed} body with one part per
     * object, each with its own content type; none is a 404. A single CRL carries the caching
     * headers of {@code /crl/<ca>.crl} (the same ETag, so a cache may serve either); certificates,
     * like {@code /ca/<ca>.crt}, carry none, since a published certificate is taken off when revoked.
     */
    private void certStore(StoreQuery query, Request request, Response response, Callback callback, boolean head) {
        HttpCertStore.Answer answer;
        try {
            answer = store.find(query, () -> lookups.take(Request.getRemoteAddr(request)).ifPresent(wait -> {
                throw new RateLimited(Math.max(1, (wait.toMillis() + 999) / 1000));
            }));
        } catch (RateLimited e) {
            response.getHeaders().put(HttpHeader.RETRY_AFTER, Long.toString(e.seconds));
            responses.error(response, callback, 429, "RATE_LIMITED", "too many lookups by "
                    + query.key().attribute() + " from this address; try again in " + e.seconds + " seconds", null);
            return;
        }
        List<HttpCertStore.Item> items = answer.items();
        if (items.isEmpty()) {
            // The value is not echoed: an email address or a name is personal data.
            throw DomainException.notFound("nothing published matches the " + query.key().attribute() + " given");
        }
        if (answer.truncated()) {
            response.getHeaders().put(TRUNCATED_HEADER, Integer.toString(HttpCertStore.MAX_CERTIFICATES));
        }
        if (items.size() == 1) {
            HttpCertStore.Item item = items.get(0);
            if (item.isCrl()) {
                send(item.caName(), item.crl(), request, response, callback, head);
            } else {
                responses.bytes(response, callback, 200, item.contentType(), item.der(), head);
            }
            return;
        }
        MultipartMixed body = MultipartMixed.of(items.stream()
                .map(i -> new MultipartMixed.Part(i.contentType(), i.der())).toList());
        responses.bytes(response, callback, 200, body.contentType(), body.bytes(), head);
    }

    /** A store query that would search the subscribers' certificates while its client's bucket is empty. */
    private static final class RateLimited extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final long seconds;

        RateLimited(long seconds) {
            super(null, null, false, false);
            this.seconds = seconds;
        }
    }

    /** RFC 9110 §13.1: If-None-Match wins over If-Modified-Since when both are sent. */
    private static boolean notModified(Request request, String etag, Instant lastModified) {
        String ifNoneMatch = request.getHeaders().get(HttpHeader.IF_NONE_MATCH);
        if (ifNoneMatch != null) {
            return ifNoneMatch.contains(etag) || ifNoneMatch.trim().equals("*");
        }
        String ifModifiedSince = request.getHeaders().get(HttpHeader.IF_MODIFIED_SINCE);
        if (ifModifiedSince == null) {
            return false;
        }
        return HttpDates.parse(ifModifiedSince).map(since -> !lastModified.isAfter(since)).orElse(false);
    }

    static DomainException unknownCa(String name) {
        return DomainException.notFound("no CA named '" + name + "'; GET /ca lists the CAs this server operates");
    }

    private static byte[] resource(String name) {
        try (java.io.InputStream in = PublicHandler.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the server jar");
            }
            return in.readAllBytes();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(name + " cannot be read from the server jar", e);
        }
    }
}
