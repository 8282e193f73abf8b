package org.egovpki.core.sync;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Clock;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.egovpki.core.BusinessTypes;
import org.egovpki.core.DomainException;
import org.egovpki.core.ValueCharacters;
import org.egovpki.core.audit.AuditEvent;
import org.egovpki.core.audit.AuditEventType;
import org.egovpki.core.audit.AuditLog;
import org.egovpki.core.crypto.BouncyCastle;
import org.egovpki.core.operator.ApplicationScope;
import org.egovpki.core.operator.Operator;
import org.egovpki.core.operator.Role;

/**
 * The administration of sync targets (docs/sync.md, "Administering targets"): adding, replacing,
 * deleting and reading them, and moving a target's delivery cursor — re-drive a parked head, skip
 * it, replay from a sequence. Changes need {@link Role#CA_ADMIN}, as the other CA administration
 * does; reading needs CA_ADMIN or {@link Role#AUDITOR}. Every change and every refused change is
 * audited; a secret (a Basic password, a PKCS#12 and its password) goes to {@link SyncCredentials}
 * only, never into a target, an audit record, a message or a view.
 *
 * <p>Every input is checked here, each refusal a {@code BAD_REQUEST} naming the field as the REST
 * API spells it, before anything is stored. The one check the domain cannot make itself is the cron
 * grammar of a batch schedule, which is the scheduler's: it comes in as a {@link ScheduleSyntax}.
 *
 * <p>The cursor moves are compare-and-swaps on the target's state ({@link SyncStore#updateState}):
 * a skip that races a delivery of the same head fails with CONFLICT rather than skipping the next one.
 */
public final class SyncTargets {

    /** The largest PKCS#12 accepted for a TLS client certificate. */
    static final int MAX_PKCS12 = 64 * 1024;
    private static final int MAX_URL = 2048;
    private static final int MAX_TEXT = 256;
    private static final int MAX_BUSINESS_TYPES = 100;
    private static final int CAS_TRIES = 5;
    private static final String ID_RULE = "1-63 lower-case letters, digits and '-', starting with a letter or digit";

    /** The cron grammar of batch schedules, the scheduler's: the server gives Quartz's. */
    @FunctionalInterface
    public interface ScheduleSyntax {
        /** Why {@code cron} is not a valid expression, or empty if it is one. */
        Optional<String> problem(String cron);
    }

    /** The authentication types as the API names them. */
    public static final String AUTH_NONE = "none";
    public static final String AUTH_BASIC = "basic";
    public static final String AUTH_CLIENT_CERTIFICATE = "clientCertificate";

    /**
     * A target as an administrator gives it, unchecked; every field may be {@code null} (the id in a
     * replacement comes from the path). Defaults: binding JSON, businessTypes all, authentication
     * none, enabled, schedule realtime, personalData false.
     *
     * @param authentication {@value #AUTH_NONE}, {@value #AUTH_BASIC} or {@value #AUTH_CLIENT_CERTIFICATE}
     * @param username       the Basic user name; only with basic
     */
    public record Settings(String id, String url, String binding, List<String> businessTypes, String caIdentifier,
                           String authentication, String username, Boolean enabled, String schedule,
                           Boolean personalData) {
    }

    /**
     * Some settings of a target to change, the others kept ({@code null}: keep). The
     * authentication and its secret are not among them: they change with {@link #replace}.
     */
    public record SettingsChange(String url, String binding, List<String> businessTypes, String caIdentifier,
                                 Boolean enabled, String schedule, Boolean personalData) {

        /** Whether nothing would change. */
        public boolean isEmpty() {
            return url == null && binding == null && businessTypes == null && caIdentifier == null && enabled == null
                    && schedule == null && personalData == null;
        }
    }

    private final SyncStore store;
    private final SyncCredentials credentials;
    private final AuditLog audit;
    private final Clock clock;
    private final ScheduleSyntax cron;

    public SyncTargets(SyncStore store, SyncCredentials credentials, AuditLog audit, Clock clock,
                       ScheduleSyntax cron) {
        this.store = Objects.requireNonNull(store, "store");
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.cron = Objects.requireNonNull(cron, "cron");
    }

    // Reading

    /**
     * Every target with its status, by id; for an application admin only the targets that serve its
     * business types alone ({@link #visibleTo}).
     */
    public List<SyncTargetStatus> list(Operator operator) {
        ApplicationScope scope = requireStateReader(operator);
        return store.targets().stream().filter(t -> visibleTo(scope, t)).map(this::status).toList();
    }

    /** @throws DomainException NOT_FOUND for an unknown target, or one an application admin may not see */
    public SyncTargetStatus get(Operator operator, String id) {
        ApplicationScope scope = requireStateReader(operator);
        SyncTarget target = existing(id);
        if (!visibleTo(scope, target)) {
            throw DomainException.notFound("no sync target '" + id + "'");
        }
        return status(target);
    }

    /**
     * Whether a target's state is an application admin's to see: it receives certificate events of
     * named business types only, all of them in the admin's scope. A target of every business type
     * (none named) or of another application's is invisible, as if absent.
     */
    private static boolean visibleTo(ApplicationScope scope, SyncTarget target) {
        return !scope.restricted()
                || (!target.businessTypes().isEmpty() && target.businessTypes().stream().allMatch(scope::sees));
    }

    /**
     * The pull endpoint's read: up to {@code limit} messages of target {@code id} after sequence
     * {@code after}, in order, the very bytes and signatures that are pushed.
     *
     * @throws DomainException FORBIDDEN unless a CA admin or an auditor; NOT_FOUND for an unknown target
     */
    public List<SyncMessage> messages(Operator operator, String id, long after, int limit) {
        requireReader(operator, "read sync events");
        existing(id);
        return store.messages(id, after, limit);
    }

    // Settings

    /**
     * Adds a target with an empty queue. A secret is required for basic (the password) and
     * clientCertificate (the PKCS#12 and its password), and refused otherwise.
     *
     * @throws DomainException FORBIDDEN unless a CA admin; BAD_REQUEST naming the field; CONFLICT if the id is taken
     */
    public SyncTargetStatus add(Operator operator, Settings settings, SyncCredentials.Secret secret) {
        Map<String, String> facts = facts(settings.id());
        return audited(operator, AuditEventType.SYNC_TARGET_ADDED, facts, () -> {
            requireAdmin(operator, "add a sync target");
            SyncTarget target = validate(settings, settings.id());
            checkSecret(target.authentication().kind(), secret, true);
            facts.putAll(describe(target));
            facts.put("secret", secret == null ? "none" : "set");
            if (store.target(target.id()).isPresent()) {
                throw exists(target.id());
            }
            if (secret != null) {
                // Stored first: a target never exists without the secret its authentication needs.
                credentials.store(target.id(), secret);
            }
            if (!store.addTarget(target)) {
                throw exists(target.id());
            }
            return status(target);
        });
    }

    /**
     * Replaces a target's settings; its queue and delivery state stay. Without a secret the stored
     * one is kept if the authentication type is unchanged; a new type needs its own secret; none
     * deletes it.
     *
     * @throws DomainException FORBIDDEN unless a CA admin; NOT_FOUND; BAD_REQUEST naming the field
     */
    public SyncTargetStatus replace(Operator operator, String id, Settings settings, SyncCredentials.Secret secret) {
        return replace(operator, id, settings, secret, Map.of());
    }

    /**
     * Changes some settings of a target, keeping the others, its authentication and its secret
     * (an LDAP-browser command: {@code DirectorySyncCommands}).
     *
     * @param context how the change came, for the audit record (e.g. {@code channel: ldap})
     * @throws DomainException FORBIDDEN unless a CA admin; NOT_FOUND; BAD_REQUEST naming the field
     */
    public SyncTargetStatus change(Operator operator, String id, SettingsChange change, Map<String, String> context) {
        Objects.requireNonNull(change, "change");
        Optional<SyncTarget> current = id == null || !SyncTarget.ID.matcher(id).matches()
                ? Optional.empty() : store.target(id);
        // A missing target (or a caller who may not change one) is refused by replace, with its audit.
        Settings merged = current.map(t -> merge(t, change)).orElse(new Settings(id, null, null, null, null, null,
                null, null, null, null));
        return replace(operator, id, merged, null, context);
    }

    private static Settings merge(SyncTarget t, SettingsChange c) {
        return new Settings(t.id(), c.url() != null ? c.url() : t.url().toString(),
                c.binding() != null ? c.binding() : t.binding().name(),
                c.businessTypes() != null ? c.businessTypes() : List.copyOf(t.businessTypes()),
                c.caIdentifier() != null ? c.caIdentifier() : t.caIdentifier(),
                switch (t.authentication().kind()) {
                    case NONE -> AUTH_NONE;
                    case BASIC -> AUTH_BASIC;
                    case CLIENT_CERTIFICATE -> AUTH_CLIENT_CERTIFICATE;
                },
                t.authentication().username(),
                c.enabled() != null ? c.enabled() : t.enabled(),
                c.schedule() != null ? c.schedule() : t.schedule(),
                c.personalData() != null ? c.personalData() : t.personalData());
    }

    private SyncTargetStatus replace(Operator operator, String id, Settings settings, SyncCredentials.Secret secret,
                                     Map<String, String> context) {
        Map<String, String> facts = facts(id, context);
        return audited(operator, AuditEventType.SYNC_TARGET_CHANGED, facts, () -> {
            requireAdmin(operator, "change a sync target");
            if (settings.id() != null && !settings.id().equals(id)) {
                throw DomainException.badRequest("id", "id '" + settings.id() + "' differs from the target in the "
                        + "path, '" + id + "'; a target cannot be renamed: add a new one and delete this one");
            }
            SyncTarget before = existing(id);
            SyncTarget target = validate(settings, id);
            SyncTarget.Authentication.Kind kind = target.authentication().kind();
            boolean keep = secret == null && kind == before.authentication().kind();
            checkSecret(kind, secret, !keep);
            facts.putAll(describe(target));
            facts.put("secret", kind == SyncTarget.Authentication.Kind.NONE ? "none" : keep ? "kept" : "replaced");
            if (secret != null) {
                credentials.store(id, secret);
            }
            if (!store.replaceTarget(target)) {
                credentials.delete(id);
                throw DomainException.notFound("no sync target '" + id + "' (deleted meanwhile)");
            }
            if (kind == SyncTarget.Authentication.Kind.NONE) {
                credentials.delete(id);
            }
            return status(target);
        });
    }

    /** Deletes a target with its queue, state and secret; messages still pending are dropped (the audit says how many). */
    public void delete(Operator operator, String id) {
        Map<String, String> facts = facts(id);
        audited(operator, AuditEventType.SYNC_TARGET_DELETED, facts, () -> {
            requireAdmin(operator, "delete a sync target");
            existing(id);
            TargetState state = store.state(id);
            facts.put("lastDelivered", Long.toString(state.lastDelivered()));
            facts.put("dropped", Long.toString(state.pending()));
            if (!store.deleteTarget(id)) {
                throw DomainException.notFound("no sync target '" + id + "' (deleted meanwhile)");
            }
            credentials.delete(id);
            return null;
        });
    }

    // The delivery cursor

    /**
     * Tries the head again at once: clears parked, the attempt count and the back-off. On a target
     * that is not parked it only cuts the back-off short.
     */
    public SyncTargetStatus redrive(Operator operator, String id) {
        return redrive(operator, id, Map.of());
    }

    /** As {@link #redrive(Operator, String)}, with how the request came for the audit record. */
    public SyncTargetStatus redrive(Operator operator, String id, Map<String, String> context) {
        Map<String, String> facts = facts(id, context);
        return audited(operator, AuditEventType.SYNC_TARGET_REDRIVEN, facts, () -> {
            requireAdmin(operator, "re-drive a sync target");
            SyncTarget target = existing(id);
            for (int i = 0; i < CAS_TRIES; i++) {
                TargetState now = store.state(id);
                TargetState next = new TargetState(now.lastEnqueued(), now.lastDelivered(), false, 0,
                        now.lastError(), now.lastAttemptAt(), now.lastSuccessAt(), null);
                if (store.updateState(id, now, next)) {
                    facts.put("wasParked", Boolean.toString(now.parked()));
                    facts.put("attempts", Integer.toString(now.attempts()));
                    facts.put("head", Long.toString(now.lastDelivered() + 1));
                    return status(target);
                }
            }
            throw busy(id);
        });
    }

    /**
     * Counts the head message (the parked one, or the next to deliver) as delivered without
     * delivering it; the receiver will see a gap at its sequence.
     *
     * @throws DomainException CONFLICT if nothing is pending, or the head changed meanwhile
     */
    public SyncTargetStatus skip(Operator operator, String id) {
        return skip(operator, id, Map.of());
    }

    /** As {@link #skip(Operator, String)}, with how the request came for the audit record. */
    public SyncTargetStatus skip(Operator operator, String id, Map<String, String> context) {
        Map<String, String> facts = facts(id, context);
        return audited(operator, AuditEventType.SYNC_TARGET_SKIPPED, facts, () -> {
            requireAdmin(operator, "skip a sync target's message");
            SyncTarget target = existing(id);
            TargetState now = store.state(id);
            if (now.pending() <= 0) {
                throw DomainException.conflict("sync target '" + id + "' has nothing pending to skip (delivered up to "
                        + now.lastDelivered() + ")");
            }
            long head = now.lastDelivered() + 1;
            facts.put("sequence", Long.toString(head));
            facts.put("wasParked", Boolean.toString(now.parked()));
            store.message(id, head).ifPresent(m -> facts.put("eventId", m.eventId()));
            TargetState next = new TargetState(now.lastEnqueued(), head, false, 0, null, now.lastAttemptAt(),
                    now.lastSuccessAt(), null);
            if (!store.updateState(id, now, next)) {
                throw DomainException.conflict("sync target '" + id + "': message " + head + " was delivered, "
                        + "skipped or replayed meanwhile; read the target again and decide anew");
            }
            return status(target);
        });
    }

    /**
     * Delivers again from sequence {@code from}: the delivered sequence becomes {@code from - 1}
     * (lower it to replay, or raise it to skip several). {@code from} is 1 … lastEnqueued + 1, and
     * the message {@code from} must still be held (delivered messages are purged after
     * {@code sync.retentionDays}).
     */
    public SyncTargetStatus replay(Operator operator, String id, long from) {
        return replay(operator, id, from, Map.of());
    }

    /** As {@link #replay(Operator, String, long)}, with how the request came for the audit record. */
    public SyncTargetStatus replay(Operator operator, String id, long from, Map<String, String> context) {
        Map<String, String> facts = facts(id, context);
        facts.put("from", Long.toString(from));
        return audited(operator, AuditEventType.SYNC_TARGET_REPLAYED, facts, () -> {
            requireAdmin(operator, "replay a sync target");
            SyncTarget target = existing(id);
            for (int i = 0; i < CAS_TRIES; i++) {
                TargetState now = store.state(id);
                if (from < 1 || from > now.lastEnqueued() + 1) {
                    throw DomainException.badRequest("from", "from must be between 1 and " + (now.lastEnqueued() + 1)
                            + " (the last enqueued sequence + 1), was " + from);
                }
                if (from <= now.lastEnqueued() && store.message(id, from).isEmpty()) {
                    String oldest = store.messages(id, 0, 1).stream().findFirst()
                            .map(m -> "; the oldest held is " + m.sequence()).orElse("");
                    throw DomainException.conflict("sync target '" + id + "' no longer holds message " + from
                            + " (delivered messages are purged after sync.retentionDays" + oldest + ")");
                }
                TargetState next = new TargetState(now.lastEnqueued(), from - 1, false, 0, null, now.lastAttemptAt(),
                        now.lastSuccessAt(), null);
                if (store.updateState(id, now, next)) {
                    facts.put("previousLastDelivered", Long.toString(now.lastDelivered()));
                    return status(target);
                }
            }
            throw busy(id);
        });
    }

    // Checks

    private SyncTarget validate(Settings s, String id) {
        if (id == null || id.isBlank()) {
            throw DomainException.badRequest("id", "id is required: " + ID_RULE);
        }
        if (!SyncTarget.ID.matcher(id).matches()) {
            throw DomainException.badRequest("id", "id '" + shorten(id) + "' is not a target name: " + ID_RULE);
        }
        URI url = url(s.url());
        SyncBinding binding = binding(s.binding());
        Set<String> businessTypes = businessTypes(s.businessTypes());
        String caIdentifier = text(s.caIdentifier(), "caIdentifier", "the identifier the target knows this CA by");
        SyncTarget.Authentication authentication = authentication(s.authentication(), s.username());
        if (authentication.kind() == SyncTarget.Authentication.Kind.CLIENT_CERTIFICATE
                && !"https".equals(url.getScheme())) {
            throw DomainException.badRequest("url", "a TLS client certificate needs an https url, not "
                    + url.getScheme());
        }
        String schedule = schedule(s.schedule());
        return new SyncTarget(id, url, binding, businessTypes, caIdentifier, authentication,
                s.enabled() == null || s.enabled(), schedule, s.personalData() != null && s.personalData());
    }

    private static URI url(String value) {
        if (value == null || value.isBlank()) {
            throw DomainException.badRequest("url", "url is required: the http:// or https:// address messages "
                    + "are POSTed to");
        }
        if (value.length() > MAX_URL) {
            throw DomainException.badRequest("url", "url is longer than " + MAX_URL + " characters");
        }
        URI url;
        try {
            url = new URI(value.strip());
        } catch (URISyntaxException e) {
            throw DomainException.badRequest("url", "url is not a valid URI: " + e.getReason());
        }
        String scheme = url.getScheme() == null ? null : url.getScheme().toLowerCase(Locale.ROOT);
        if (!url.isAbsolute() || !("http".equals(scheme) || "https".equals(scheme))) {
            throw DomainException.badRequest("url", "url must be an absolute http:// or https:// URL");
        }
        if (url.getHost() == null || url.getHost().isEmpty()) {
            throw DomainException.badRequest("url", "url has no host (or one that is not a valid host name)");
        }
        if (url.getRawUserInfo() != null) {
            throw DomainException.badRequest("url", "url must not carry a user or password; put them in "
                    + "authentication (the password is then stored apart and never shown)");
        }
        if (url.getRawFragment() != null) {
            throw DomainException.badRequest("url", "url must not have a fragment (#...)");
        }
        return url;
    }

    private static SyncBinding binding(String value) {
        if (value == null) {
            return SyncBinding.JSON;
        }
        try {
            return SyncBinding.valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw DomainException.badRequest("binding", "binding must be JSON or SOAP, not '" + shorten(value) + "'");
        }
    }

    private static Set<String> businessTypes(List<String> values) {
        if (values == null) {
            return Set.of();
        }
        if (values.size() > MAX_BUSINESS_TYPES) {
            throw DomainException.badRequest("businessTypes", "businessTypes lists at most " + MAX_BUSINESS_TYPES
                    + " types (an empty list: all)");
        }
        Set<String> types = new LinkedHashSet<>();
        for (String value : values) {
            if (value == null || value.isBlank()) {
                throw DomainException.badRequest("businessTypes", "businessTypes must not contain a blank type "
                        + "(an empty list means all)");
            }
            types.add(BusinessTypes.require("businessTypes", value));
        }
        return Collections.unmodifiableSet(types);
    }

    private static String text(String value, String field, String what) {
        if (value == null || value.isBlank()) {
            throw DomainException.badRequest(field, field + " is required: " + what);
        }
        String text = value.strip();
        if (text.length() > MAX_TEXT || hasControl(text)) {
            throw DomainException.badRequest(field, field + " must be 1-" + MAX_TEXT + " printable characters");
        }
        return text;
    }

    private static SyncTarget.Authentication authentication(String type, String username) {
        String kind = type == null ? AUTH_NONE : type.strip();
        switch (kind) {
            case AUTH_NONE -> {
                if (username != null) {
                    throw DomainException.badRequest("authentication.username", "a username goes with "
                            + "authentication type basic only");
                }
                return SyncTarget.Authentication.NONE;
            }
            case AUTH_BASIC -> {
                String user = text(username, "authentication.username", "the HTTP Basic user name");
                if (user.indexOf(':') >= 0) {
                    throw DomainException.badRequest("authentication.username", "an HTTP Basic user name cannot "
                            + "contain ':' (RFC 7617)");
                }
                return new SyncTarget.Authentication(SyncTarget.Authentication.Kind.BASIC, user);
            }
            case AUTH_CLIENT_CERTIFICATE -> {
                if (username != null) {
                    throw DomainException.badRequest("authentication.username", "a username goes with "
                            + "authentication type basic only");
                }
                return new SyncTarget.Authentication(SyncTarget.Authentication.Kind.CLIENT_CERTIFICATE, null);
            }
            default -> throw DomainException.badRequest("authentication.type", "authentication.type must be "
                    + AUTH_NONE + ", " + AUTH_BASIC + " or " + AUTH_CLIENT_CERTIFICATE + ", not '" + shorten(kind) + "'");
        }
    }

    /** The secret fits the authentication; {@code required}: it must be given (new target, or a new type). */
    private static void checkSecret(SyncTarget.Authentication.Kind kind, SyncCredentials.Secret secret,
                                    boolean required) {
        char[] password = secret == null ? null : secret.password();
        byte[] pkcs12 = secret == null ? null : secret.pkcs12();
        boolean hasPassword = password != null && password.length > 0;
        switch (kind) {
            case NONE -> {
                if (hasPassword || pkcs12 != null) {
                    throw DomainException.badRequest(hasPassword ? "authentication.password" : "authentication.pkcs12",
                            "authentication type none takes no password or PKCS#12");
                }
            }
            case BASIC -> {
                if (pkcs12 != null) {
                    throw DomainException.badRequest("authentication.pkcs12", "a PKCS#12 goes with authentication "
                            + "type " + AUTH_CLIENT_CERTIFICATE + " only");
                }
                if (!hasPassword && required) {
                    throw DomainException.badRequest("authentication.password", "authentication type basic needs "
                            + "a password");
                }
            }
            case CLIENT_CERTIFICATE -> {
                if (pkcs12 == null) {
                    if (required || hasPassword) {
                        throw DomainException.badRequest("authentication.pkcs12", "authentication type "
                                + AUTH_CLIENT_CERTIFICATE + " needs a PKCS#12 (base64) with the client key and "
                                + "certificate, and its password");
                    }
                    return;
                }
                if (!hasPassword) {
                    throw DomainException.badRequest("authentication.pkcs12Password", "the PKCS#12 needs its password");
                }
                checkPkcs12(pkcs12, password);
            }
            default -> throw new IllegalStateException("authentication kind " + kind);
        }
    }

    /** The PKCS#12 opens with its password and holds a private key with its certificate. */
    private static void checkPkcs12(byte[] pkcs12, char[] password) {
        if (pkcs12.length == 0 || pkcs12.length > MAX_PKCS12) {
            throw DomainException.badRequest("authentication.pkcs12", "the PKCS#12 must be 1-" + MAX_PKCS12 + " bytes");
        }
        KeyStore keyStore;
        try {
            keyStore = KeyStore.getInstance("PKCS12", BouncyCastle.PROVIDER);
            keyStore.load(new ByteArrayInputStream(pkcs12), password);
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw DomainException.badRequest("authentication.pkcs12", "the PKCS#12 does not open with "
                    + "authentication.pkcs12Password: a wrong password, or not a PKCS#12 file");
        }
        try {
            for (String alias : Collections.list(keyStore.aliases())) {
                if (keyStore.isKeyEntry(alias) && keyStore.getKey(alias, password) != null) {
                    Certificate[] chain = keyStore.getCertificateChain(alias);
                    if (chain != null && chain.length > 0) {
                        return;
                    }
                }
            }
        } catch (GeneralSecurityException | RuntimeException e) {
            throw DomainException.badRequest("authentication.pkcs12", "the PKCS#12's private key does not open "
                    + "with authentication.pkcs12Password");
        }
        throw DomainException.badRequest("authentication.pkcs12", "the PKCS#12 holds no private key with its "
                + "certificate; export the client key together with its certificate");
    }

    private String schedule(String value) {
        if (value == null || value.isBlank() || SyncTarget.REALTIME.equals(value.strip())) {
            return SyncTarget.REALTIME;
        }
        String expression = value.strip().replaceAll("\\s+", " ");
        if (expression.length() > MAX_TEXT) {
            throw DomainException.badRequest("schedule", "schedule is longer than " + MAX_TEXT + " characters");
        }
        Optional<String> problem = cron.problem(expression);
        if (problem.isPresent()) {
            throw DomainException.badRequest("schedule", "schedule must be 'realtime' or a Quartz cron expression "
                    + "(seconds minutes hours day-of-month month day-of-week, e.g. '0 0 2 * * ?'): "
                    + problem.get());
        }
        return expression;
    }

    // Helpers

    private SyncTarget existing(String id) {
        if (id == null || !SyncTarget.ID.matcher(id).matches()) {
            throw DomainException.notFound("no sync target '" + shorten(String.valueOf(id)) + "'");
        }
        return store.target(id).orElseThrow(() -> DomainException.notFound("no sync target '" + id + "'"));
    }

    private SyncTargetStatus status(SyncTarget target) {
        TargetState state = store.state(target.id());
        var head = state.pending() > 0 ? store.message(target.id(), state.lastDelivered() + 1) : Optional.<SyncMessage>empty();
        return new SyncTargetStatus(target, secretSet(target), state, head.map(SyncMessage::enqueuedAt).orElse(null));
    }

    private boolean secretSet(SyncTarget target) {
        if (target.authentication().kind() == SyncTarget.Authentication.Kind.NONE) {
            return false;
        }
        Optional<SyncCredentials.Secret> secret = credentials.load(target.id());
        secret.ifPresent(s -> {
            if (s.password() != null) {
                Arrays.fill(s.password(), '\0');
            }
        });
        return secret.isPresent();
    }

    /** CA admins and auditors read every target's settings and state; application admins their own ones'. */
    private static ApplicationScope requireStateReader(Operator operator) {
        ApplicationScope scope = ApplicationScope.of(operator);
        if (!scope.restricted()) {
            requireReader(operator, "read sync targets");
        }
        return scope;
    }

    private static void requireReader(Operator operator, String what) {
        if (!operator.has(Role.CA_ADMIN) && !operator.has(Role.AUDITOR)) {
            throw new DomainException(DomainException.Kind.FORBIDDEN, "operator '" + operator.uid() + "' may not "
                    + what + "; that needs the CA_ADMIN or AUDITOR role");
        }
    }

    private static void requireAdmin(Operator operator, String what) {
        if (!operator.has(Role.CA_ADMIN)) {
            throw new DomainException(DomainException.Kind.FORBIDDEN, "operator '" + operator.uid() + "' may not "
                    + what + "; that needs the CA_ADMIN role");
        }
    }

    private static DomainException exists(String id) {
        return DomainException.conflict("a sync target '" + id + "' exists already; change it with PUT "
                + "/api/v1/sync/targets/" + id);
    }

    private static DomainException busy(String id) {
        return DomainException.conflict("sync target '" + id + "' kept changing under this request (delivery is "
                + "running); retry");
    }

    /** Runs a change; audits its success with the facts it gathered, or its refusal with the public reason. */
    private <T> T audited(Operator operator, AuditEventType type, Map<String, String> facts, Change<T> change) {
        T result;
        try {
            result = change.run();
        } catch (DomainException | IllegalArgumentException e) {
            Map<String, String> details = new LinkedHashMap<>(facts);
            details.put("error", DomainException.describe(e));
            audit.record(AuditEvent.failure(clock.instant(), type, operator.dn(), List.of(subject(facts)), details));
            throw e;
        }
        audit.record(AuditEvent.success(clock.instant(), type, operator.dn(), List.of(subject(facts)), facts));
        return result;
    }

    @FunctionalInterface
    private interface Change<T> {
        T run();
    }

    private static Map<String, String> facts(String id) {
        return facts(id, Map.of());
    }

    private static Map<String, String> facts(String id, Map<String, String> context) {
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("target", id == null ? "(none)" : shorten(id));
        facts.putAll(context);
        return facts;
    }

    private static String subject(Map<String, String> facts) {
        return "sync-target:" + facts.get("target");
    }

    /** The settings for an audit record: the url without its query (it may carry a token), never a secret. */
    private static Map<String, String> describe(SyncTarget target) {
        Map<String, String> d = new LinkedHashMap<>();
        URI url = target.url();
        d.put("url", url.getScheme() + "://" + url.getRawAuthority() + (url.getRawPath() == null ? "" : url.getRawPath())
                + (url.getRawQuery() == null ? "" : "?…"));
        d.put("binding", target.binding().name());
        d.put("businessTypes", target.businessTypes().isEmpty() ? "(all)" : String.join(",", target.businessTypes()));
        d.put("caIdentifier", target.caIdentifier());
        d.put("authentication", target.authentication().kind().name());
        d.put("enabled", Boolean.toString(target.enabled()));
        d.put("schedule", target.schedule());
        d.put("personalData", Boolean.toString(target.personalData()));
        return d;
    }

    /** The one character rule of {@link ValueCharacters}: no control or format character, nothing unstorable. */
    private static boolean hasControl(String s) {
        return ValueCharacters.problem("", s) != null;
    }

    /** At most 64 characters of a refused value, for a message. */
    private static String shorten(String s) {
        return s.length() > 64 ? s.substring(0, 64) + "..." : s;
    }
}
