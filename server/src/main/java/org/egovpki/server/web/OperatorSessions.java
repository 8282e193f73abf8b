package org.egovpki.server.web;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.egovpki.core.operator.Operator;

/**
 * The operators' logins on the pages (docs/information-services.md, "Operator login"): an opaque
 * random id (32 bytes, base64url) in the {@value #COOKIE} cookie names a session held only in
 * memory, so a restart logs everybody out. A session not used for {@link #IDLE} ends; each use
 * moves its deadline. The id says nothing about the operator; the operator's password is checked
 * once, at login, by the directory. A session opened with two factors carries the token of its
 * {@code SecondFactorLogin} session, which the pages ask about on every request.
 */
final class OperatorSessions {

    static final String COOKIE = "egov_session";
    static final Duration IDLE = Duration.ofMinutes(15);
    /** Sessions kept at most; a login beyond it first drops the expired ones, then is refused. */
    static final int MAX_SESSIONS = 10_000;
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{43}");

    /**
     * A live session: its operator and, for a login with the second factor, the token of the
     * {@code SecondFactorLogin} session it stands on ({@code null} for a login with the password alone).
     */
    record Open(Operator operator, String factorToken) {
        @Override
        public String toString() {
            return "Open[" + operator.uid() + (factorToken == null ? "" : ", two factors") + "]";
        }
    }

    private record Session(Open open, Instant lastUse) {
    }

    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Clock clock;
    private final SecureRandom random;
    private final Duration idle;

    OperatorSessions(Clock clock, SecureRandom random, Duration idle) {
        if (idle.isNegative() || idle.isZero()) {
            throw new IllegalArgumentException("the idle timeout must be positive, not " + idle);
        }
        this.clock = clock;
        this.random = random;
        this.idle = idle;
    }

    /**
     * A new session for {@code operator}.
     *
     * @return its id, for the cookie
     * @throws IllegalStateException when {@value #MAX_SESSIONS} sessions are live
     */
    String open(Operator operator) {
        return open(operator, null);
    }

    /** As {@link #open(Operator)}, standing on a second-factor session's token ({@code null}: none). */
    String open(Operator operator, String factorToken) {
        if (sessions.size() >= MAX_SESSIONS) {
            Instant now = clock.instant();
            sessions.values().removeIf(s -> expired(s, now));
            if (sessions.size() >= MAX_SESSIONS) {
                throw new IllegalStateException("too many operator sessions are open; try again later");
            }
        }
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        sessions.put(id, new Session(new Open(operator, factorToken), clock.instant()));
        return id;
    }

    /** The operator of a live session, its idle deadline moved; empty for an unknown, malformed or idle one. */
    Optional<Operator> find(String id) {
        return session(id).map(Open::operator);
    }

    /** A live session, its idle deadline moved; empty for an unknown, malformed or idle one. */
    Optional<Open> session(String id) {
        if (id == null || !ID.matcher(id).matches()) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        Session session = sessions.get(id);
        if (session == null) {
            return Optional.empty();
        }
        if (expired(session, now)) {
            sessions.remove(id, session);
            return Optional.empty();
        }
        sessions.replace(id, session, new Session(session.open(), now));
        return Optional.of(session.open());
    }

    /** Ends a session (logout); an unknown id is ignored. @return the session ended, if there was one */
    Optional<Open> close(String id) {
        if (id == null) {
            return Optional.empty();
        }
        Session removed = sessions.remove(id);
        return removed == null ? Optional.empty() : Optional.of(removed.open());
    }

    int size() {
        return sessions.size();
    }

    private boolean expired(Session session, Instant now) {
        return !now.isBefore(session.lastUse().plus(idle));
    }
}
