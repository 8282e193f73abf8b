package org.egovpki.server.web;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.eclipse.jetty.http.HttpHeader;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.egovpki.core.DomainException;
import org.egovpki.core.ca.CaRegistry;
import org.egovpki.core.certificate.CertificateLookup;
import org.egovpki.core.certificate.CertificateQuery;
import org.egovpki.core.certificate.CertificateRecord;
import org.egovpki.core.certificate.VisibleCertificates;
import org.egovpki.server.http.CertificateFiles;
import org.egovpki.core.enroll.OperatorAdministration;
import org.egovpki.core.enroll.OperatorDirectory;
import org.egovpki.core.enroll.OperatorLockedOut;
import org.egovpki.core.enroll.SecondFactorLogin;
import org.egovpki.core.operator.Operator;
import org.egovpki.core.stats.Statistics;
import org.egovpki.core.stats.StatisticsTable;
import org.egovpki.server.http.StatisticsResource;
import org.egovpki.server.http.TlsClientCertificates;
import org.egovpki.server.web.WebHandler.Visit;
import org.egovpki.server.web.chart.BarChart;

/**
 * The operators' pages (docs/information-services.md): {@code /login} and {@code /logout} (a
 * session cookie, {@link OperatorSessions}), and {@code /statistics} with its CSV download. The
 * password is checked by {@link OperatorDirectory#authenticate}, as the API's Basic login, so the
 * lockout counts page logins too; an operator who must change the password gets no session. The
 * second factor is {@link SecondFactorLogin#passwordLogin}'s decision, as for the API: an operator
 * whose roles need it (past the enrolment grace) logs in only over the HTTPS listener with its bound
 * operator certificate as TLS client certificate, else is refused (audited); such a session stands
 * on a second-factor session, re-checked on every page and ended with it (the API token's lifetime,
 * the certificate revoked, expired or unbound, the operator disabled). A password-only session ends
 * when a certificate is bound to its operator. Who
 * may read which figures is {@link Statistics}'s decision for the logged-in operator, and the CSV
 * is the API's ({@link StatisticsResource#csv}). Every POST carries a {@link Csrf} token.
 */
public final class OperatorPages {

    static final String LOGIN = "/login";
    static final String LOGOUT = "/logout";
    static final String STATISTICS = "/statistics";
    static final String STATISTICS_CSV = "/statistics.csv";
    static final String MY_CERTIFICATES = "/my/certificates";
    /** One visible certificate's file: {@code /my/certificates/{serial}.der|.pem|.p7b?issuer=}. */
    static final Pattern MY_FILE = Pattern.compile("/my/certificates/([0-9a-fA-F]{1,40})(\\.der|\\.pem|\\.p7b)");
    private static final int MY_LIMIT = 200;
    private static final String FORM_LOGIN = "login";
    private static final String FORM_LOGOUT = "logout";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);
    private static final List<String> PARAMETERS = List.of("figures", "from", "to", "period", "groupBy");

    private final OperatorDirectory operators;
    private final Predicate<Operator> mustChangePassword;
    private final Statistics statistics;
    private final OperatorSessions sessions;
    private final VisibleCertificates certificates;
    private final CertificateFiles files;
    private final SecondFactorLogin secondFactor;

    /**
     * @param administration tells whether an operator must change the password first; {@code null} checks nothing
     * @param statistics     the figures; {@code null} when this server has none (the page says so, 503)
     * @param secondFactor   what a password alone is worth, and the second-factor sessions; {@code null}: the
     *                       password alone is enough for everyone
     */
    public OperatorPages(OperatorDirectory operators, OperatorAdministration administration, Statistics statistics,
                         CertificateLookup certificates, CaRegistry cas, SecondFactorLogin secondFactor, Clock clock,
                         SecureRandom random) {
        this(operators, administration == null ? o -> false : administration::passwordChangeRequired, statistics,
                certificates, cas, secondFactor, clock, random);
    }

    /** @param mustChangePassword whether a logged-in operator must change its password before anything else */
    OperatorPages(OperatorDirectory operators, Predicate<Operator> mustChangePassword, Statistics statistics,
                  CertificateLookup certificates, CaRegistry cas, SecondFactorLogin secondFactor, Clock clock,
                  SecureRandom random) {
        this.secondFactor = secondFactor;
        this.certificates = new VisibleCertificates(certificates);
        this.files = new CertificateFiles(cas);
        this.operators = operators;
        this.mustChangePassword = mustChangePassword;
        this.statistics = statistics;
        this.sessions = new OperatorSessions(clock, random, OperatorSessions.IDLE);
    }

    // ---- login ----

    void loginPage(Visit v) {
        v.page(200, v.text("login.title"), loginForm(v, null, null));
    }

    void login(Visit v, Map<String, String> form) {
        if (!v.genuine(form, FORM_LOGIN)) {
            v.handler().forged(v);
            return;
        }
        String uid = form.getOrDefault("uid", "").strip();
        String password = form.getOrDefault("password", "");
        if (uid.isEmpty() || password.isEmpty()) {
            v.page(400, v.text("login.title"), loginForm(v, uid, v.t("login.missing")));
            return;
        }
        Optional<Operator> operator;
        try {
            operator = operators.authenticate(uid, password.toCharArray());
        } catch (OperatorLockedOut e) {
            // Said only to someone who gave the right password, as the API does.
            v.page(403, v.text("login.title"), loginForm(v, uid, v.t("login.locked", e.until())));
            return;
        }
        if (operator.isEmpty()) {
            v.page(401, v.text("login.title"), loginForm(v, uid, v.t("login.wrong")));
            return;
        }
        Optional<SecondFactorLogin.Session> factor;
        try {
            // The client certificate of this connection's TLS handshake, if it came over HTTPS with one.
            factor = secondFactor == null ? Optional.empty()
                    : secondFactor.passwordLogin(operator.get(), TlsClientCertificates.of(v.request), "pages");
        } catch (DomainException e) {
            if (e.kind() != DomainException.Kind.FORBIDDEN) {
                throw e;
            }
            // Refused and audited by SecondFactorLogin; the page says how to log in instead.
            v.page(403, v.text("login.title"), loginForm(v, uid, v.t("login.secondFactor")));
            return;
        }
        if (mustChangePassword.test(operator.get())) {
            factor.ifPresent(f -> secondFactor.logout(f.token()));
            v.page(403, v.text("login.title"), loginForm(v, uid, v.t("login.passwd")));
            return;
        }
        String id = sessions.open(operator.get(), factor.map(SecondFactorLogin.Session::token).orElse(null));
        v.response.getHeaders().add(HttpHeader.SET_COOKIE, OperatorSessions.COOKIE + "=" + id
                + "; Path=/; HttpOnly; SameSite=Strict" + (v.request.isSecure() ? "; Secure" : ""));
        redirect(v, STATISTICS);
    }

    void logout(Visit v, Map<String, String> form) {
        if (!v.genuine(form, FORM_LOGOUT)) {
            v.handler().forged(v);
            return;
        }
        sessions.close(v.cookie(OperatorSessions.COOKIE)).map(OperatorSessions.Open::factorToken)
                .ifPresent(this::endFactorSession);
        v.response.getHeaders().add(HttpHeader.SET_COOKIE, OperatorSessions.COOKIE
                + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict" + (v.request.isSecure() ? "; Secure" : ""));
        redirect(v, LOGIN);
    }

    private String loginForm(Visit v, String uid, String error) {
        StringBuilder b = new StringBuilder();
        if (error != null) {
            b.append("<p class=\"error\" role=\"alert\" id=\"login-error\">").append(error).append("</p>\n");
        }
        b.append("<p>").append(v.t("login.intro")).append("</p>\n")
                .append("<form method=\"post\" action=\"").append(LOGIN).append("\" id=\"login-form\">\n")
                .append(v.csrfField(FORM_LOGIN))
                .append("<p><label for=\"uid\">").append(v.t("login.uid")).append("</label>\n")
                .append("<input id=\"uid\" name=\"uid\" autocomplete=\"username\" required value=\"")
                .append(Html.escape(uid)).append("\"></p>\n")
                .append("<p><label for=\"password\">").append(v.t("login.password")).append("</label>\n")
                .append("<input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\" required></p>\n")
                .append("<p><button type=\"submit\">").append(v.t("login.submit")).append("</button></p>\n</form>\n");
        return b.toString();
    }

    // ---- statistics ----

    void statistics(Visit v) {
        Optional<Operator> operator = loggedIn(v);
        if (operator.isEmpty()) {
            return;
        }
        String title = v.text("stats.title");
        StringBuilder b = new StringBuilder();
        b.append(logoutForm(v, operator.get()));
        b.append(statisticsForm(v));
        if (v.param("from") == null && v.param("to") == null && v.param("period") == null) {
            // First visit: the form only; the defaults are the API's (see docs/statistics.md).
            b.append("<p>").append(v.t("stats.hint")).append("</p>\n");
            v.page(200, title, b.toString());
            return;
        }
        StatisticsTable table;
        try {
            table = table(v, operator.get());
        } catch (DomainException e) {
            if (e.isServerFault()) {
                throw e;
            }
            b.append(WebHandler.error(v, e));
            v.page(org.egovpki.server.http.SubscriberChannels.httpStatus(e.kind()), title, b.toString());
            return;
        }
        b.append("<p class=\"muted\" id=\"stats-asof\">").append(v.t("stats.asOf", table.asOf(), table.zone()))
                .append("</p>\n");
        b.append("<figure>").append(chart(v, table).toSvg()).append("</figure>\n");
        b.append("<p><a id=\"stats-csv\" href=\"").append(STATISTICS_CSV).append(Html.escape(queryString(v)))
                .append("\">").append(v.t("stats.csv")).append("</a></p>\n");
        b.append(tableHtml(v, table));
        v.page(200, title, b.toString());
    }

    void statisticsCsv(Visit v) {
        Optional<Operator> operator = loggedIn(v);
        if (operator.isEmpty()) {
            return;
        }
        StatisticsTable table = table(v, operator.get());
        String name = "egov-pki-" + table.figures() + "-" + table.query().from() + "-" + table.query().to() + ".csv";
        v.response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        v.response.getHeaders().put(HttpHeader.CONTENT_DISPOSITION, "attachment; filename=\"" + name + "\"");
        WebHandler.bytes(v.response, v.callback, 200, "text/csv; charset=utf-8",
                StatisticsResource.csv(table).getBytes(StandardCharsets.UTF_8), v.head());
    }

    private StatisticsTable table(Visit v, Operator operator) {
        if (statistics == null) {
            throw DomainException.unavailable("statistics are not available on this server", null);
        }
        String figures = v.param("figures");
        if (figures == null || figures.equals("certificates")) {
            return statistics.certificates(operator, v.param("from"), v.param("to"), v.param("period"),
                    v.param("groupBy"));
        }
        if (figures.equals("efficiency")) {
            return statistics.efficiency(operator, v.param("from"), v.param("to"), v.param("period"),
                    v.param("groupBy"));
        }
        throw DomainException.badRequest("figures", "figures '" + figures + "' is not certificates or efficiency");
    }

    private static String queryString(Visit v) {
        StringBuilder q = new StringBuilder();
        for (String name : PARAMETERS) {
            String value = v.param(name);
            if (value != null) {
                q.append(q.isEmpty() ? '?' : '&').append(name).append('=')
                        .append(java.net.URLEncoder.encode(value, StandardCharsets.UTF_8));
            }
        }
        return q.toString();
    }

    private String statisticsForm(Visit v) {
        StringBuilder b = new StringBuilder();
        b.append("<form method=\"get\" action=\"").append(STATISTICS).append("\" id=\"stats-form\">\n");
        select(b, v, "figures", List.of("certificates", "efficiency"));
        input(b, v, "from", "date");
        input(b, v, "to", "date");
        select(b, v, "period", List.of("day", "week", "month"));
        select(b, v, "groupBy", List.of("none", "businessType", "region", "type", "cause"));
        b.append("<p><button type=\"submit\">").append(v.t("stats.show")).append("</button></p>\n</form>\n");
        return b.toString();
    }

    private static void input(StringBuilder b, Visit v, String name, String type) {
        b.append("<p><label for=\"").append(name).append("\">").append(v.t("stats." + name)).append("</label>\n")
                .append("<input id=\"").append(name).append("\" name=\"").append(name).append("\" type=\"").append(type)
                .append("\" value=\"").append(Html.escape(v.param(name))).append("\"></p>\n");
    }

    private static void select(StringBuilder b, Visit v, String name, List<String> values) {
        String current = v.param(name);
        b.append("<p><label for=\"").append(name).append("\">").append(v.t("stats." + name)).append("</label>\n")
                .append("<select id=\"").append(name).append("\" name=\"").append(name).append("\">\n");
        for (String value : values) {
            b.append("<option value=\"").append(value).append('"').append(value.equals(current) ? " selected" : "")
                    .append('>').append(Html.escape(value)).append("</option>\n");
        }
        b.append("</select></p>\n");
    }

    private static String tableHtml(Visit v, StatisticsTable t) {
        StringBuilder b = new StringBuilder("<div class=\"table\"><table id=\"stats-table\">\n<thead><tr>");
        b.append("<th scope=\"col\">").append(v.t("stats.start")).append("</th><th scope=\"col\">")
                .append(v.t("stats.end")).append("</th><th scope=\"col\">")
                .append(v.t("stats.group." + t.query().groupBy().parameter())).append("</th>");
        for (String column : t.columns()) {
            b.append("<th scope=\"col\">").append(v.t("stats.col." + column)).append("</th>");
        }
        b.append("</tr></thead>\n<tbody>\n");
        for (StatisticsTable.Row r : t.rows()) {
            b.append("<tr><td>").append(r.start()).append("</td><td>").append(r.end()).append("</td><td>")
                    .append(Html.escape(r.group())).append("</td>");
            for (int i = 0; i < t.columns().size(); i++) {
                Long value = r.values().get(i);
                b.append("<td data-column=\"").append(Html.escape(t.columns().get(i))).append("\">")
                        .append(value == null ? "" : value).append("</td>");
            }
            b.append("</tr>\n");
        }
        return b.append("</tbody></table></div>\n").toString();
    }

    /** Counts per period summed over the groups: the four movements of certificates, or the table's first column. */
    private static BarChart chart(Visit v, StatisticsTable t) {
        List<String> drawn = t.columns().containsAll(List.of("issued", "renewed", "revoked", "expired"))
                ? List.of("issued", "renewed", "revoked", "expired") : List.of(t.columns().get(0));
        Map<String, Map<String, Long>> byPeriod = new LinkedHashMap<>();
        for (StatisticsTable.Row r : t.rows()) {
            Map<String, Long> sums = byPeriod.computeIfAbsent(r.start() + ".." + r.end(), k -> new LinkedHashMap<>());
            for (String column : drawn) {
                Long value = r.value(t.columns(), column);
                if (value != null) {
                    sums.merge(column, value, Long::sum);
                }
            }
        }
        List<BarChart.Series> series = new ArrayList<>();
        for (String column : drawn) {
            List<Long> values = new ArrayList<>();
            byPeriod.values().forEach(sums -> values.add(sums.get(column)));
            series.add(new BarChart.Series(column, values));
        }
        return new BarChart(v.text("stats.chart", t.figures()),
                v.text("stats.chart.desc", t.query().from(), t.query().to(),
                        t.query().period().name().toLowerCase(java.util.Locale.ROOT)),
                new ArrayList<>(byPeriod.keySet()), series);
    }

    // ---- the operator's certificates ----

    /**
     * {@code /my/certificates}: the certificates the operator may see ({@link VisibleCertificates}, as
     * the API's {@code GET /certificates}); an application admin sees its business types only.
     */
    void myCertificates(Visit v) {
        Optional<Operator> operator = loggedIn(v);
        if (operator.isEmpty()) {
            return;
        }
        List<CertificateRecord> records = certificates.search(operator.get(),
                new CertificateQuery(null, null, null, null, MY_LIMIT));
        StringBuilder b = new StringBuilder(logoutForm(v, operator.get()));
        if (!operator.get().businessTypes().isEmpty()) {
            b.append("<p id=\"my-scope\">").append(v.t("my.scope",
                    String.join(", ", new java.util.TreeSet<>(operator.get().businessTypes())))).append("</p>\n");
        }
        if (records.isEmpty()) {
            b.append("<p id=\"my-none\">").append(v.t("my.none")).append("</p>\n");
            v.page(200, v.text("my.title"), b.toString());
            return;
        }
        if (records.size() >= MY_LIMIT) {
            b.append("<p class=\"muted\">").append(v.t("my.limit", MY_LIMIT)).append("</p>\n");
        }
        b.append("<div class=\"table\"><table id=\"my-table\">\n<thead><tr><th scope=\"col\">")
                .append(v.t("result.issuer")).append("</th><th scope=\"col\">").append(v.t("result.serial"))
                .append("</th><th scope=\"col\">").append(v.t("result.subject")).append("</th><th scope=\"col\">")
                .append(v.t("my.businessType")).append("</th><th scope=\"col\">").append(v.t("result.status"))
                .append("</th><th scope=\"col\">").append(v.t("result.notAfter")).append("</th><th scope=\"col\">")
                .append(v.t("result.downloads")).append("</th></tr></thead>\n<tbody>\n");
        for (CertificateRecord r : records) {
            String link = MY_CERTIFICATES + "/" + r.serialHex();
            String issuer = "?issuer=" + java.net.URLEncoder.encode(r.issuer(), StandardCharsets.UTF_8);
            b.append("<tr><td>").append(Html.escape(r.issuer())).append("</td><td>").append(r.serialHex())
                    .append("</td><td>").append(Html.escape(r.subjectDn())).append("</td><td>")
                    .append(Html.escape(r.businessType())).append("</td><td>")
                    .append(v.t("status." + r.status().name())).append("</td><td>")
                    .append(r.notAfter() == null ? "" : TIME.format(r.notAfter())).append("</td><td>");
            if (r.certificateDer() != null) {
                b.append("<a href=\"").append(Html.escape(link + ".der" + issuer)).append("\">DER</a> ")
                        .append("<a href=\"").append(Html.escape(link + ".pem" + issuer)).append("\">PEM</a> ")
                        .append("<a href=\"").append(Html.escape(link + ".p7b" + issuer)).append("\">")
                        .append(v.t("result.chain")).append("</a>");
            }
            b.append("</td></tr>\n");
        }
        b.append("</tbody></table></div>\n");
        v.page(200, v.text("my.title"), b.toString());
    }

    /**
     * A file of one certificate the operator may see; another business type's serial is not found,
     * with the message of a serial never issued (the API's, {@code GET /certificates/{serial}}).
     */
    void myCertificateFile(Visit v, String serialHex, String format) {
        Optional<Operator> operator = loggedIn(v);
        if (operator.isEmpty()) {
            return;
        }
        String issuer = v.param("issuer");
        List<CertificateRecord> found = certificates.search(operator.get(),
                        new CertificateQuery(serialHex.toLowerCase(java.util.Locale.ROOT), null, null, null, 10))
                .stream().filter(r -> issuer == null || r.issuer().equals(issuer)).toList();
        if (found.isEmpty() || found.get(0).certificateDer() == null) {
            throw DomainException.notFound("no certificate with serial " + serialHex
                    + (issuer == null ? "" : " from CA " + issuer));
        }
        if (found.size() > 1) {
            throw DomainException.conflict("serial " + serialHex + " was issued by several CAs; name one with ?issuer=");
        }
        CertificateFiles.File file = files.of(found.get(0), format);
        v.response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        v.response.getHeaders().put(HttpHeader.CONTENT_DISPOSITION,
                "attachment; filename=\"" + found.get(0).serialHex() + format + "\"");
        WebHandler.bytes(v.response, v.callback, 200, file.contentType(), file.content(), v.head());
    }

    private String logoutForm(Visit v, Operator operator) {
        return "<form method=\"post\" action=\"" + LOGOUT + "\" id=\"logout-form\" class=\"inline\">\n"
                + v.csrfField(FORM_LOGOUT) + "<p>" + v.t("login.as", operator.uid())
                + " <button type=\"submit\">" + v.t("login.logout") + "</button></p>\n</form>\n";
    }

    /**
     * The session's operator, checked again as the API checks each call; without one (or one that no
     * longer holds), the browser is sent to the login page and the result is empty.
     */
    private Optional<Operator> loggedIn(Visit v) {
        String id = v.cookie(OperatorSessions.COOKIE);
        Optional<OperatorSessions.Open> open = sessions.session(id);
        Optional<Operator> operator = open.flatMap(this::stillHolds);
        if (open.isPresent() && operator.isEmpty()) {
            sessions.close(id);
        }
        if (operator.isEmpty()) {
            redirect(v, LOGIN);
        }
        return operator;
    }

    /**
     * A two-factor session: its second-factor session still valid ({@link SecondFactorLogin#session}:
     * lifetime, certificate bound, unrevoked, unexpired, operator enabled). A password-only one: the
     * password alone still enough (no certificate bound since, for roles that need one).
     */
    private Optional<Operator> stillHolds(OperatorSessions.Open open) {
        if (open.factorToken() != null) {
            return secondFactor.session(open.factorToken());
        }
        if (secondFactor != null
                && secondFactor.passwordOnly(open.operator()) == SecondFactorLogin.PasswordOnly.REFUSED) {
            return Optional.empty();
        }
        return Optional.of(open.operator());
    }

    private void endFactorSession(String token) {
        if (token != null) {
            secondFactor.logout(token);
        }
    }

    void redirect(Visit v, String location) {
        v.response.setStatus(303);
        v.response.getHeaders().put(HttpHeader.LOCATION, location);
        v.response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        v.response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 0);
        v.response.write(true, ByteBuffer.allocate(0), v.callback);
    }
}
