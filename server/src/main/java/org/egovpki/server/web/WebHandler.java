package org.egovpki.server.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.egovpki.core.DomainException;
import org.egovpki.core.ca.CaRegistry;
import org.egovpki.core.ca.CertificateAuthority;
import org.egovpki.core.certificate.CertificateLookup;
import org.egovpki.core.certificate.CertificateQuery;
import org.egovpki.core.certificate.CertificateRecord;
import org.egovpki.core.certificate.PublishedCertificates;
import org.egovpki.core.certificate.RevocationReason;
import org.egovpki.server.config.EgovPkiConfig;
import org.egovpki.server.http.CertificateFiles;
import org.egovpki.server.http.PublicHandler;
import org.egovpki.server.http.SubscriberChannels;
import org.egovpki.server.http.TokenBuckets;
import org.egovpki.server.web.Messages.Lang;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The public pages under {@code /} (no login; docs/information-services.md): the CA's information
 * page, the CPS at the URL certificates carry ({@code /cps}), the subscriber agreement, certificate
 * lookup and download, self-service revocation with the challenge phrase and the recovered-key
 * download with the one-time code. Plain HTML forms, no script; Chinese unless {@code ?lang=en}
 * (remembered in a cookie). Every answer carries a strict Content-Security-Policy; every form that
 * changes something is a POST with a {@link Csrf} token; every value shown is escaped. The
 * revocation and the key download go through {@link SubscriberChannels}, the same code as the JSON
 * endpoints, so the rules, limits and messages are the API's. Paths it does not know fall through
 * to the next handler.
 */
public final class WebHandler extends Handler.Abstract {

    private static final Logger LOG = LoggerFactory.getLogger(WebHandler.class);
    static final String CSS_PATH = "/static/egov.css";
    static final String LANG_COOKIE = "egov_lang";
    static final String SECURITY_POLICY = "default-src 'self'; script-src 'none'; object-src 'none'; "
            + "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
    private static final int MAX_FORM_BYTES = 16 * 1024;
    private static final Pattern DOWNLOAD = Pattern.compile("/lookup/([a-z0-9-]{1,63})/([0-9a-fA-F]{1,40})\\.(der|pem|p7b)");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneId.of("UTC"));
    private static final String FORM_REVOKE = "revoke";
    private static final String FORM_RECOVER = "recover";

    private final Messages messages;
    private final InfoContent info;
    private final Layout layout;
    private final CaRegistry registry;
    private final CertificateLookup certificates;
    private final PublicLookup lookup;
    private final CertificateFiles files;
    private final SubscriberChannels channels;
    private final TokenBuckets lookups;
    private final Csrf csrf;
    private final byte[] css;
    private final OperatorPages operatorPages;

    /**
     * @param certificates the certificate records, read-only: lookup by serial, the issuer of a serial
     * @param published    what the directory publishes, which decides what the public may see and download
     */
    public WebHandler(EgovPkiConfig.Info config, CaRegistry registry, CertificateLookup certificates,
                      PublishedCertificates published, SubscriberChannels channels, Clock clock, SecureRandom random) {
        this(config, registry, certificates, published, channels, null, clock, random);
    }

    /**
     * @param operatorPages the operators' login and statistics pages; {@code null} leaves their paths to later handlers
     */
    public WebHandler(EgovPkiConfig.Info config, CaRegistry registry, CertificateLookup certificates,
                      PublishedCertificates published, SubscriberChannels channels, OperatorPages operatorPages,
                      Clock clock, SecureRandom random) {
        this(config, registry, certificates, published, channels, operatorPages, clock, random,
                TokenBuckets.lookups(clock, config.lookupPerMinute(), config.lookupBurst()));
    }

    /**
     * @param lookups the lookups' per-client-address buckets, shared with the RFC 4387 store's
     *                name queries ({@link org.egovpki.server.http.PublicHandler})
     */
    public WebHandler(EgovPkiConfig.Info config, CaRegistry registry, CertificateLookup certificates,
                      PublishedCertificates published, SubscriberChannels channels, OperatorPages operatorPages,
                      Clock clock, SecureRandom random, TokenBuckets lookups) {
        this.operatorPages = operatorPages;
        this.messages = Messages.load();
        this.info = new InfoContent(config);
        this.layout = new Layout(messages, info);
        this.registry = registry;
        this.certificates = certificates;
        this.lookup = new PublicLookup(certificates, published, clock);
        this.files = new CertificateFiles(registry);
        this.channels = channels;
        this.lookups = lookups;
        this.csrf = new Csrf(random);
        this.css = resource("egov.css");
    }

    /** One request: the exchange, its language, and the browser's CSRF cookie value (set now if it had none). */
    final class Visit {
        final Request request;
        final Response response;
        final Callback callback;
        final String path;
        final Lang lang;
        final Fields query;
        /** Set when the query string does not decode: the page answers 400 with it, {@link #query} is empty. */
        DomainException badQuery;
        private final String cookieValue;
        private final Map<String, String> cookies = new HashMap<>();
        private boolean cookieSent;

        Visit(Request request, Response response, Callback callback, String path) {
            this.request = request;
            this.response = response;
            this.callback = callback;
            this.path = path;
            this.query = decodedQuery(request);
            for (HttpCookie cookie : Request.getCookies(request)) {
                cookies.putIfAbsent(cookie.getName(), cookie.getValue());
            }
            Lang asked = Lang.of(query.getValue("lang"));
            if (asked != null) {
                response.getHeaders().add(HttpHeader.SET_COOKIE, LANG_COOKIE + "=" + asked.code()
                        + "; Path=/; Max-Age=31536000; SameSite=Strict; HttpOnly");
            }
            Lang remembered = Lang.of(cookies.get(LANG_COOKIE));
            this.lang = asked != null ? asked : remembered != null ? remembered : Lang.ZH;
            String existing = cookies.get(Csrf.COOKIE);
            this.cookieValue = Csrf.wellFormed(existing) ? existing : null;
        }

        /**
         * The query as UTF-8; one that does not decode (a malformed %-escape, bytes that are no UTF-8)
         * is empty here and remembered, so the page answers 400 instead of Jetty's bare error.
         */
        private Fields decodedQuery(Request request) {
            try {
                return org.egovpki.server.http.QueryStrings.decode(request);
            } catch (DomainException e) {
                badQuery = e;
                return new Fields();
            }
        }

        /** The value of the request's cookie {@code name}, or {@code null}. */
        String cookie(String name) {
            return cookies.get(name);
        }

        WebHandler handler() {
            return WebHandler.this;
        }

        /** Answers an HTML page in the shared layout. */
        void page(int status, String title, String body) {
            send(this, status, title, body);
        }

        String param(String name) {
            String value = query.getValue(name);
            return value == null || value.isBlank() ? null : value;
        }

        String client() {
            return Request.getRemoteAddr(request);
        }

        boolean head() {
            return "HEAD".equals(request.getMethod());
        }

        /** The hidden field of form {@code form}, setting the browser's CSRF cookie when it has none. */
        String csrfField(String form) {
            String value = cookieValue;
            if (value == null) {
                value = newCookie();
            }
            return "<input type=\"hidden\" name=\"" + Csrf.FIELD + "\" value=\"" + csrf.token(value, form) + "\">\n";
        }

        private String fresh;

        private String newCookie() {
            if (!cookieSent) {
                fresh = csrf.newCookieValue();
                response.getHeaders().add(HttpHeader.SET_COOKIE, Csrf.COOKIE + "=" + fresh
                        + "; Path=/; SameSite=Strict; HttpOnly");
                cookieSent = true;
            }
            return fresh;
        }

        boolean genuine(Map<String, String> form, String name) {
            return csrf.valid(cookieValue, name, form.get(Csrf.FIELD));
        }

        String t(String key, Object... args) {
            return messages.html(lang, key, args);
        }

        String text(String key, Object... args) {
            return messages.text(lang, key, args);
        }
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
        Matcher download = DOWNLOAD.matcher(path);
        Matcher myFile = OperatorPages.MY_FILE.matcher(path);
        boolean known = switch (path) {
            case "/", "/cps", "/agreement", "/lookup", "/revoke", "/recover", CSS_PATH -> true;
            case OperatorPages.LOGIN, OperatorPages.LOGOUT, OperatorPages.STATISTICS, OperatorPages.STATISTICS_CSV,
                 OperatorPages.MY_CERTIFICATES -> operatorPages != null;
            default -> download.matches() || operatorPages != null && myFile.matches();
        };
        if (!known) {
            if (!pageAsked(request) || PublicHandler.answers(path)) {
                return false; // the machine resources, or a client that did not ask for a page: JSON
            }
            // A browser that asked for a page no one serves: a page in the site's layout, its
            // navigation leading to the pages that exist, rather than the JSON the machines get.
            securityHeaders(response);
            Visit visit = new Visit(request, response, callback, path);
            send(visit, 404, visit.text("error.notFound.title"), "<p id=\"not-found\">"
                    + visit.t("error.notFound.page", path) + "</p>\n");
            return true;
        }
        securityHeaders(response);
        String method = request.getMethod();
        boolean post = "POST".equals(method);
        boolean formPath = path.equals("/revoke") || path.equals("/recover") || path.equals(OperatorPages.LOGIN)
                || path.equals(OperatorPages.LOGOUT);
        if (!"GET".equals(method) && !"HEAD".equals(method) && !(post && formPath)) {
            response.getHeaders().put(HttpHeader.ALLOW, formPath ? "GET, HEAD, POST" : "GET, HEAD");
            Visit visit = new Visit(request, response, callback, path);
            send(visit, 405, visit.text("error.method.title"), "<p>" + visit.t("error.method", method) + "</p>\n");
            return true;
        }
        if (path.equals(CSS_PATH)) {
            response.getHeaders().put(HttpHeader.CACHE_CONTROL, "public, max-age=3600");
            bytes(response, callback, 200, "text/css; charset=utf-8", css, "HEAD".equals(method));
            return true;
        }
        Visit visit = new Visit(request, response, callback, path);
        try {
            if (visit.badQuery != null) {
                throw visit.badQuery;
            }
            if (download.matches()) {
                download(visit, download.group(1), download.group(2), download.group(3));
                return true;
            }
            if (myFile.matches()) {
                operatorPages.myCertificateFile(visit, myFile.group(1), myFile.group(2));
                return true;
            }
            switch (path) {
                case "/" -> home(visit);
                case "/cps" -> document(visit, visit.text("cps.title"), info.cps(visit.lang),
                        info.cpsIsTemplate(visit.lang));
                case "/agreement" -> document(visit, visit.text("agreement.title"), info.agreement(visit.lang),
                        info.agreementIsTemplate(visit.lang));
                case "/lookup" -> lookup(visit);
                case "/revoke" -> {
                    if (post) {
                        revoke(visit);
                    } else {
                        send(visit, 200, visit.text("revoke.title"), revokeForm(visit, Map.of(), null));
                    }
                }
                case "/recover" -> {
                    if (post) {
                        recover(visit);
                    } else {
                        send(visit, 200, visit.text("recover.title"), recoverForm(visit, Map.of(), null));
                    }
                }
                case OperatorPages.LOGIN -> {
                    if (post) {
                        operatorPages.login(visit, form(visit));
                    } else {
                        operatorPages.loginPage(visit);
                    }
                }
                case OperatorPages.LOGOUT -> {
                    if (post) {
                        operatorPages.logout(visit, form(visit));
                    } else {
                        operatorPages.redirect(visit, OperatorPages.LOGIN);
                    }
                }
                case OperatorPages.STATISTICS -> operatorPages.statistics(visit);
                case OperatorPages.STATISTICS_CSV -> operatorPages.statisticsCsv(visit);
                case OperatorPages.MY_CERTIFICATES -> operatorPages.myCertificates(visit);
                default -> throw new IllegalStateException(path);
            }
        } catch (DomainException e) {
            // A refusal no page handled itself, or the directory down: the kind decides the status,
            // and a server fault shows only its incident (publicMessage).
            if (e.isServerFault()) {
                LOG.warn("{} {} failed: {}", method, path, e.getMessage());
            }
            send(visit, SubscriberChannels.httpStatus(e.kind()), visit.text("error.kind." + e.kind().name()),
                    error(visit, e));
        } catch (RuntimeException e) {
            String incident = DomainException.newIncident();
            LOG.error("{} {} failed (incident {})", method, path, incident, e);
            send(visit, 500, visit.text("error.internal.title"), "<p>" + visit.t("error.internal", incident) + "</p>\n");
        }
        return true;
    }

    /** A GET or HEAD whose {@code Accept} names HTML: what a browser sends when it navigates to a page. */
    private static boolean pageAsked(Request request) {
        String accept = request.getHeaders().get(HttpHeader.ACCEPT);
        return (HttpMethod.GET.is(request.getMethod()) || HttpMethod.HEAD.is(request.getMethod()))
                && accept != null && accept.toLowerCase(java.util.Locale.ROOT).contains("text/html");
    }

    private static void securityHeaders(Response response) {
        response.getHeaders().put("Content-Security-Policy", SECURITY_POLICY);
        response.getHeaders().put("X-Content-Type-Options", "nosniff");
        response.getHeaders().put("X-Frame-Options", "DENY");
        response.getHeaders().put("Referrer-Policy", "no-referrer");
    }

    // ---- pages ----

    private void home(Visit v) {
        StringBuilder b = new StringBuilder();
        b.append("<p>").append(v.t("home.intro", info.organisation(v.lang))).append("</p>\n");
        b.append("<section aria-labelledby=\"cas\"><h2 id=\"cas\">").append(v.t("home.cas")).append("</h2>\n")
                .append("<p>").append(v.t("home.cas.note")).append("</p>\n<div class=\"table\"><table>\n<thead><tr><th scope=\"col\">")
                .append(v.t("home.ca.name")).append("</th><th scope=\"col\">").append(v.t("home.ca.subject"))
                .append("</th><th scope=\"col\">").append(v.t("result.notAfter")).append("</th><th scope=\"col\">")
                .append(v.t("home.ca.downloads")).append("</th></tr></thead>\n<tbody>\n");
        for (CertificateAuthority ca : registry.all()) {
            String name = Html.escape(ca.name());
            b.append("<tr><td>").append(name).append(" <span class=\"muted\">(")
                    .append(v.t("home.ca.role." + ca.role().name())).append(")</span></td><td>")
                    .append(Html.escape(ca.certificate().getSubjectX500Principal().getName())).append("</td><td>")
                    .append(TIME.format(ca.certificate().getNotAfter().toInstant())).append("</td><td>")
                    .append("<a href=\"/ca/").append(name).append(".crt\">").append(v.t("home.ca.der")).append("</a> ")
                    .append("<a href=\"/ca/").append(name).append(".pem\">PEM</a> ")
                    .append("<a href=\"/crl/").append(name).append(".crl\">").append(v.t("home.ca.crl"))
                    .append("</a></td></tr>\n");
        }
        b.append("</tbody></table></div></section>\n");
        b.append("<section aria-labelledby=\"docs\"><h2 id=\"docs\">").append(v.t("home.documents")).append("</h2>\n<ul>\n")
                .append("<li><a id=\"cps-link\" href=\"/cps\">").append(v.t("cps.title")).append("</a></li>\n")
                .append("<li><a href=\"/agreement\">").append(v.t("agreement.title")).append("</a></li>\n</ul></section>\n");
        b.append("<section aria-labelledby=\"services\"><h2 id=\"services\">").append(v.t("home.services")).append("</h2>\n<ul>\n")
                .append("<li><a href=\"/lookup\">").append(v.t("lookup.title")).append("</a> - ").append(v.t("home.lookup"))
                .append("</li>\n<li><a href=\"/revoke\">").append(v.t("revoke.title")).append("</a> - ")
                .append(v.t("home.revoke")).append("</li>\n<li><a href=\"/recover\">").append(v.t("recover.title"))
                .append("</a> - ").append(v.t("home.recover")).append("</li>\n</ul></section>\n");
        b.append("<section aria-labelledby=\"contacts\"><h2 id=\"contacts\">").append(v.t("home.contacts")).append("</h2>\n<dl>\n")
                .append("<dt>").append(v.t("home.organisation")).append("</dt><dd>")
                .append(Html.escape(info.organisation(v.lang))).append("</dd>\n");
        contact(b, v.t("home.phone"), info.phone(), null);
        contact(b, v.t("home.email"), info.email(), "mailto:");
        contact(b, v.t("home.address"), info.address(), null);
        b.append("</dl></section>\n");
        send(v, 200, info.organisation(v.lang), b.toString());
    }

    private static void contact(StringBuilder b, String label, String value, String scheme) {
        if (value == null) {
            return;
        }
        b.append("<dt>").append(label).append("</dt><dd>");
        if (scheme != null) {
            b.append("<a href=\"").append(scheme).append(Html.escape(value)).append("\">").append(Html.escape(value))
                    .append("</a>");
        } else {
            b.append(Html.escape(value));
        }
        b.append("</dd>\n");
    }

    private void document(Visit v, String title, String text, boolean template) {
        StringBuilder b = new StringBuilder();
        if (template) {
            b.append("<p class=\"notice\">").append(v.t("document.template")).append("</p>\n");
        }
        b.append("<article>\n").append(Html.paragraphs(text)).append("</article>\n");
        send(v, 200, title, b.toString());
    }

    private void lookup(Visit v) {
        String serial = v.param("serial");
        String subject = v.param("subject");
        String business = v.param("businessType");
        String title = v.text("lookup.title");
        if (serial == null && subject == null && business == null) {
            send(v, 200, title, lookupForms(v, null, null, null));
            return;
        }
        Optional<Duration> wait = lookups.take(v.client());
        if (wait.isPresent()) {
            long seconds = Math.max(1, (wait.get().toMillis() + 999) / 1000);
            v.response.getHeaders().put(HttpHeader.RETRY_AFTER, Long.toString(seconds));
            send(v, 429, v.text("error.rate.title"), "<p class=\"error\" role=\"alert\">" + v.t("error.rate", seconds)
                    + "</p>\n" + lookupForms(v, serial, subject, business));
            return;
        }
        List<PublicLookup.PublicCertificate> found;
        try {
            found = serial != null ? lookup.bySerial(serial) : lookup.bySubject(subject, business);
        } catch (DomainException e) {
            if (e.isServerFault()) {
                throw e;
            }
            send(v, SubscriberChannels.httpStatus(e.kind()), title, error(v, e) + lookupForms(v, serial, subject, business));
            return;
        }
        StringBuilder b = new StringBuilder();
        b.append("<section aria-labelledby=\"results\"><h2 id=\"results\">").append(v.t("result.title")).append("</h2>\n");
        if (found.isEmpty()) {
            b.append("<p id=\"no-results\">").append(v.t(serial != null ? "result.none.serial" : "result.none.subject"))
                    .append("</p>\n");
        } else {
            b.append(results(v, found));
        }
        b.append("</section>\n").append(lookupForms(v, serial, subject, business));
        send(v, 200, title, b.toString());
    }

    private String results(Visit v, List<PublicLookup.PublicCertificate> found) {
        StringBuilder b = new StringBuilder("<div class=\"table\"><table id=\"results-table\">\n<thead><tr>");
        for (String key : List.of("result.issuer", "result.serial", "result.subject", "result.notBefore",
                "result.notAfter", "result.type", "result.status", "result.downloads")) {
            b.append("<th scope=\"col\">").append(v.t(key)).append("</th>");
        }
        b.append("</tr></thead>\n<tbody>\n");
        for (PublicLookup.PublicCertificate c : found) {
            String issuer = Html.escape(c.issuer());
            String serial = Html.escape(c.serialHex());
            b.append("<tr><td>").append(issuer).append("</td><td class=\"serial\">").append(serial).append("</td><td>")
                    .append(c.subject() == null ? "<span class=\"muted\">" + v.t("result.notPublished") + "</span>"
                            : Html.escape(c.subject()))
                    .append("</td><td>").append(TIME.format(c.notBefore())).append("</td><td>")
                    .append(TIME.format(c.notAfter())).append("</td><td>").append(v.t("type." + c.type().name()))
                    .append("</td><td class=\"status status-").append(c.status().name().toLowerCase(java.util.Locale.ROOT))
                    .append("\">").append(v.t("status." + c.status().name())).append("</td><td>");
            if (c.published()) {
                String base = "/lookup/" + issuer + "/" + serial;
                b.append("<a href=\"").append(base).append(".der\">DER</a> <a href=\"").append(base)
                        .append(".pem\">PEM</a> <a href=\"").append(base).append(".p7b\">")
                        .append(v.t("result.chain")).append("</a>");
            } else {
                b.append("<span class=\"muted\">-</span>");
            }
            b.append("</td></tr>\n");
        }
        return b.append("</tbody></table></div>\n").toString();
    }

    private String lookupForms(Visit v, String serial, String subject, String business) {
        return "<section aria-labelledby=\"by-serial\"><h2 id=\"by-serial\">" + v.t("lookup.bySerial") + "</h2>\n"
                + "<form method=\"get\" action=\"/lookup\" id=\"serial-form\">\n"
                + "<label for=\"serial\">" + v.t("lookup.serial") + "</label>\n"
                + "<input id=\"serial\" name=\"serial\" type=\"text\" inputmode=\"latin\" autocomplete=\"off\" "
                + "spellcheck=\"false\" maxlength=\"40\" aria-describedby=\"serial-help\" value=\"" + Html.escape(serial) + "\">\n"
                + "<p id=\"serial-help\" class=\"help\">" + v.t("lookup.serial.help") + "</p>\n"
                + "<button type=\"submit\">" + v.t("lookup.submit") + "</button>\n</form></section>\n"
                + "<section aria-labelledby=\"by-subject\"><h2 id=\"by-subject\">" + v.t("lookup.bySubject") + "</h2>\n"
                + "<form method=\"get\" action=\"/lookup\" id=\"subject-form\">\n"
                + "<label for=\"subject\">" + v.t("lookup.subject") + "</label>\n"
                + "<input id=\"subject\" name=\"subject\" type=\"text\" autocomplete=\"off\" spellcheck=\"false\" "
                + "maxlength=\"" + PublicLookup.MAX_SUBJECT + "\" aria-describedby=\"subject-help\" value=\"" + Html.escape(subject) + "\">\n"
                + "<p id=\"subject-help\" class=\"help\">" + v.t("lookup.subject.help") + "</p>\n"
                + "<label for=\"businessType\">" + v.t("lookup.businessType") + "</label>\n"
                + "<input id=\"businessType\" name=\"businessType\" type=\"text\" autocomplete=\"off\" maxlength=\""
                + PublicLookup.MAX_BUSINESS_TYPE + "\" value=\"" + Html.escape(business) + "\">\n"
                + "<button type=\"submit\">" + v.t("lookup.submit") + "</button>\n</form>\n"
                + "<p class=\"help\">" + v.t("lookup.rules") + "</p></section>\n";
    }

    private void download(Visit v, String issuer, String serial, String format) {
        Optional<CertificateRecord> record = lookup.downloadable(issuer, serial);
        if (record.isEmpty()) {
            send(v, 404, v.text("error.notFound.title"), "<p>" + v.t("download.none") + "</p>\n");
            return;
        }
        CertificateFiles.File file = files.of(record.get(), "." + format);
        v.response.getHeaders().put(HttpHeader.CONTENT_DISPOSITION, "attachment; filename=\"" + record.get().issuer()
                + "-" + record.get().serialHex() + "." + format + "\"");
        bytes(v.response, v.callback, 200, file.contentType(), file.content(), v.head());
    }

    private String revokeForm(Visit v, Map<String, String> form, String error) {
        StringBuilder reasons = new StringBuilder();
        String chosen = form.getOrDefault("reason", RevocationReason.HOLDER_REQUEST.name());
        for (RevocationReason reason : RevocationReason.values()) {
            if (reason.subscriberMayGive()) {
                reasons.append("<option value=\"").append(reason.name()).append('"')
                        .append(reason.name().equals(chosen) ? " selected" : "").append('>')
                        .append(v.t("reason." + reason.name())).append("</option>\n");
            }
        }
        StringBuilder cas = new StringBuilder("<option value=\"\">").append(v.t("revoke.issuer.any")).append("</option>\n");
        for (CertificateAuthority ca : registry.all()) {
            String name = Html.escape(ca.name());
            cas.append("<option value=\"").append(name).append('"')
                    .append(ca.name().equals(form.get("issuer")) ? " selected" : "").append('>').append(name)
                    .append("</option>\n");
        }
        return (error == null ? "" : error)
                + "<p>" + v.t("revoke.intro") + "</p>\n"
                + "<form method=\"post\" action=\"/revoke\" id=\"revoke-form\">\n" + v.csrfField(FORM_REVOKE)
                + "<label for=\"serial\">" + v.t("lookup.serial") + "</label>\n"
                + "<input id=\"serial\" name=\"serial\" type=\"text\" autocomplete=\"off\" spellcheck=\"false\" "
                + "maxlength=\"40\" required value=\"" + Html.escape(form.get("serial")) + "\">\n"
                + "<label for=\"issuer\">" + v.t("revoke.issuer") + "</label>\n"
                + "<select id=\"issuer\" name=\"issuer\">\n" + cas + "</select>\n"
                + "<label for=\"challengePhrase\">" + v.t("revoke.phrase") + "</label>\n"
                + "<input id=\"challengePhrase\" name=\"challengePhrase\" type=\"password\" autocomplete=\"off\" "
                + "maxlength=\"256\" required>\n"
                + "<label for=\"reason\">" + v.t("revoke.reason") + "</label>\n"
                + "<select id=\"reason\" name=\"reason\">\n" + reasons + "</select>\n"
                + "<p class=\"notice\">" + v.t("revoke.warning") + "</p>\n"
                + "<button type=\"submit\">" + v.t("revoke.submit") + "</button>\n</form>\n";
    }

    private void revoke(Visit v) {
        Map<String, String> form = form(v);
        String title = v.text("revoke.title");
        if (!v.genuine(form, FORM_REVOKE)) {
            forged(v);
            return;
        }
        try {
            String serial = SubscriberChannels.serialHex(blankToNull(form.get("serial")));
            String issuer = blankToNull(form.get("issuer"));
            if (issuer == null && serial != null) {
                issuer = issuerOf(serial);
            }
            CertificateRecord revoked = channels.revokeWithChallenge(issuer, serial,
                    form.get("challengePhrase"), blankToNull(form.get("reason")), null, v.client());
            String done = "<p id=\"revoked\" class=\"success\" role=\"status\">" + v.t("revoke.done",
                    revoked.issuer(), revoked.serialHex(), TIME.format(revoked.revocation().time()),
                    v.text("reason." + revoked.revocation().reason().name())) + "</p>\n"
                    + "<p><a href=\"/lookup?serial=" + Html.escape(revoked.serialHex()) + "\">"
                    + v.t("revoke.check") + "</a></p>\n";
            send(v, 200, title, done);
        } catch (DomainException e) {
            if (e.isServerFault()) {
                throw e;
            }
            send(v, SubscriberChannels.httpStatus(e.kind()), title, revokeForm(v, form, error(v, e)));
        }
    }

    /**
     * The CA that issued {@code serialHex}, when the form left the choice to us: the only issued
     * certificate with the serial, or {@code "-"} (no CA) when there is none, so the revocation
     * service answers and counts it exactly as a wrong phrase. Several CAs: the subscriber picks one.
     */
    private String issuerOf(String serialHex) {
        List<String> issuers = certificates.search(new CertificateQuery(serialHex, null, null, null, 10)).stream()
                .filter(CertificateRecord::issued).map(CertificateRecord::issuer).distinct().toList();
        if (issuers.size() > 1) {
            throw DomainException.badRequest("issuer", "serial " + serialHex + " was issued by several CAs "
                    + issuers + "; choose the CA");
        }
        return issuers.isEmpty() ? "-" : issuers.get(0);
    }

    private String recoverForm(Visit v, Map<String, String> form, String error) {
        return (error == null ? "" : error)
                + "<p>" + v.t("recover.intro") + "</p>\n"
                + "<form method=\"post\" action=\"/recover\" id=\"recover-form\">\n" + v.csrfField(FORM_RECOVER)
                + "<label for=\"recovery\">" + v.t("recover.id") + "</label>\n"
                + "<input id=\"recovery\" name=\"recovery\" type=\"text\" autocomplete=\"off\" spellcheck=\"false\" "
                + "maxlength=\"128\" required value=\"" + Html.escape(form.get("recovery")) + "\">\n"
                + "<label for=\"challengeCode\">" + v.t("recover.code") + "</label>\n"
                + "<input id=\"challengeCode\" name=\"challengeCode\" type=\"password\" autocomplete=\"off\" "
                + "maxlength=\"256\" required>\n"
                + "<label for=\"publicKey\">" + v.t("recover.publicKey") + "</label>\n"
                + "<textarea id=\"publicKey\" name=\"publicKey\" rows=\"6\" spellcheck=\"false\" required>"
                + Html.escape(form.get("publicKey")) + "</textarea>\n"
                + "<button type=\"submit\">" + v.t("recover.submit") + "</button>\n</form>\n";
    }

    private void recover(Visit v) {
        Map<String, String> form = form(v);
        String title = v.text("recover.title");
        if (!v.genuine(form, FORM_RECOVER)) {
            forged(v);
            return;
        }
        try {
            String id = blankToNull(form.get("recovery"));
            if (id == null) {
                throw DomainException.badRequest("recovery", "the recovery id is required");
            }
            SubscriberChannels.RecoveredKey key = channels.recoverKey(id, blankToNull(form.get("challengeCode")),
                    blankToNull(form.get("publicKey")));
            Base64.Encoder b64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
            String body = "<p class=\"success\" role=\"status\">" + v.t("recover.done", key.issuer(), key.serialHex())
                    + "</p>\n<label for=\"sm2EnvelopedKey\">" + v.t("recover.sm2") + "</label>\n"
                    + "<textarea id=\"sm2EnvelopedKey\" rows=\"8\" readonly>"
                    + b64.encodeToString(key.sm2EnvelopedKey()) + "</textarea>\n"
                    + "<label for=\"envelopedKeyBlob\">" + v.t("recover.skf") + "</label>\n"
                    + "<textarea id=\"envelopedKeyBlob\" rows=\"8\" readonly>"
                    + b64.encodeToString(key.envelopedKeyBlob()) + "</textarea>\n"
                    + "<p class=\"notice\">" + v.t("recover.once") + "</p>\n";
            send(v, 200, title, body);
        } catch (DomainException e) {
            if (e.isServerFault()) {
                throw e;
            }
            form.remove("challengeCode");
            send(v, SubscriberChannels.httpStatus(e.kind()), title, recoverForm(v, form, error(v, e)));
        }
    }

    /** 403: the form's token is missing or does not match the browser's cookie; nothing was done. */
    void forged(Visit v) {
        send(v, 403, v.text("error.csrf.title"), "<p class=\"error\" role=\"alert\" id=\"csrf-refused\">"
                + v.t("error.csrf") + "</p>\n<p><a href=\"" + Html.escape(v.path) + "\">" + v.t("error.csrf.reload")
                + "</a></p>\n");
    }

    /** A refusal as the page shows it: a heading by kind and the domain's own message (the API's), escaped. */
    static String error(Visit v, DomainException e) {
        return "<div class=\"error\" role=\"alert\" id=\"error\"><p><strong>" + v.t("error.kind." + e.kind().name())
                + "</strong></p><p>" + Html.escape(e.publicMessage()) + "</p></div>\n";
    }

    // ---- plumbing ----

    void send(Visit v, int status, String title, String body) {
        v.response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        byte[] html = layout.page(v.lang, v.path, title, body).getBytes(StandardCharsets.UTF_8);
        bytes(v.response, v.callback, status, "text/html; charset=utf-8", html, v.head());
    }

    /** Answers {@code body}; a HEAD gets the headers of the GET and no body. */
    static void bytes(Response response, Callback callback, int status, String contentType, byte[] body,
                              boolean head) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, head ? ByteBuffer.allocate(0) : ByteBuffer.wrap(body), callback);
    }

    /**
     * The urlencoded body of a POST, at most {@value #MAX_FORM_BYTES} bytes.
     *
     * @throws DomainException BAD_REQUEST, before anything is done, for a longer body or a field that
     *                         is not valid percent-encoding (no page's form is either)
     */
    private static Map<String, String> form(Visit v) {
        byte[] body;
        try (InputStream in = Content.Source.asInputStream(v.request)) {
            body = in.readNBytes(MAX_FORM_BYTES + 1);
        } catch (IOException e) {
            throw new UncheckedIOException("the form could not be read", e);
        }
        if (body.length > MAX_FORM_BYTES) {
            throw DomainException.badRequest(null, "the form is larger than " + MAX_FORM_BYTES + " bytes; nothing "
                    + "was done");
        }
        return FormFields.parse(new String(body, StandardCharsets.US_ASCII));
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static byte[] resource(String name) {
        try (InputStream in = WebHandler.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the server jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(name + " cannot be read from the server jar", e);
        }
    }

    /** application/x-www-form-urlencoded, UTF-8; the first value of a repeated name wins. */
    static final class FormFields {
        private FormFields() {
        }

        static Map<String, String> parse(String body) {
            Map<String, String> fields = new HashMap<>();
            if (body.isEmpty()) {
                return fields;
            }
            for (String pair : body.split("&")) {
                int eq = pair.indexOf('=');
                String name = eq < 0 ? pair : pair.substring(0, eq);
                String value = eq < 0 ? "" : pair.substring(eq + 1);
                String decodedName = decode(name, null);
                fields.putIfAbsent(decodedName, decode(value, decodedName));
            }
            return fields;
        }

        /** @throws DomainException BAD_REQUEST naming the field whose %-escape is malformed or not UTF-8 */
        private static String decode(String text, String field) {
            try {
                String decoded = URLDecoder.decode(text, StandardCharsets.UTF_8);
                if (decoded.indexOf('\uFFFD') >= 0 && text.indexOf('\uFFFD') < 0) {
                    throw new IllegalArgumentException("not UTF-8");
                }
                return decoded;
            } catch (IllegalArgumentException e) {
                throw DomainException.badRequest(field, (field == null ? "a field name of the form"
                        : "the form field '" + field + "'") + " is not valid percent-encoding (a %-escape that is "
                        + "malformed or not part of a UTF-8 character); nothing was done");
            }
        }
    }


}
