package org.egovpki.core.enroll;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.egovpki.core.DomainException;
import org.egovpki.core.audit.AuditEvent;
import org.egovpki.core.audit.AuditEventType;
import org.egovpki.core.audit.AuditLog;
import org.egovpki.core.certificate.CertificateRecord;
import org.egovpki.core.crypto.BouncyCastle;
import org.egovpki.core.operator.Operator;
import org.egovpki.core.operator.SecondFactorPolicy;
import org.egovpki.core.x509.Pem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operators' two-factor login (001 §6.6.1.2; docs/security.md, "Two-factor login"): the
 * password, then the key of the operator certificate bound to the operator signing a challenge —
 * how Chinese USB-key logins work.
 *
 * <ol>
 *   <li>{@link #challenge}: after a password login, a random 256-bit nonce, bound to the operator, single
 *       use, valid for {@code challengeLifetime};</li>
 *   <li>{@link #login}: the signature of {@link #challengeMessage} with the bound certificate's key
 *       (SM3withSM2 with the GM/T 0009 default ID {@code 1234567812345678}, or SHA256withECDSA /
 *       SHA256withRSA for such keys) and the certificate; checked against the bound certificate, its
 *       record's revocation status and its validity at the clock; answered with a session token;</li>
 *   <li>{@link #session}: the operator a token stands for, until the token expires or the certificate
 *       is revoked or no longer bound (checked on every use) or the operator is disabled.</li>
 * </ol>
 * Tokens are random 256-bit values kept only as their SHA-256 hash, in memory: a restart ends every
 * session. {@link #passwordOnly} says what a password alone is worth for an operator under the
 * {@link SecondFactorPolicy}.
 */
public final class SecondFactorLogin {

    private static final Logger LOG = LoggerFactory.getLogger(SecondFactorLogin.class);

    /** The signature algorithms {@link #login} accepts; SM3withSM2 verifies with the default ID. */
    public static final List<String> ALGORITHMS = List.of("SM3withSM2", "SHA256withECDSA", "SHA256withRSA");
    /** How many open challenges one operator may have at once. */
    static final int MAX_OPEN_CHALLENGES = 5;

    /** What a password alone lets an operator do. */
    public enum PasswordOnly {
        /** The operator's roles need no second factor. */
        ALLOWED,
        /** The roles need it, but no certificate is bound yet: the enrolment grace (audited). */
        GRACE,
        /** The roles need it and a certificate is bound: log in with it. */
        REFUSED
    }

    /** An issued challenge: sign {@link #challengeMessage}(uid, nonce) before {@code expiresAt}. */
    public record Challenge(String uid, String nonce, Instant expiresAt) {
    }

    /** A session: present {@code token} as {@code Authorization: Bearer} until {@code expiresAt}. */
    public record Session(Operator operator, String token, Instant expiresAt, String certificateId) {
        @Override
        public String toString() {
            return "Session[" + operator.uid() + ", until " + expiresAt + ", " + certificateId + "]";
        }
    }

    private record Open(String uid, String dn, Instant expiresAt) {
    }

    private record Held(String uid, String dn, String certificateId, Instant expiresAt) {
    }

    private final SecondFactorPolicy policy;
    private final OperatorCertificates certificates;
    private final OperatorDirectory operators;
    private final AuditLog audit;
    private final Clock clock;
    private final SecureRandom random;
    private final Duration challengeLifetime;
    private final Duration sessionLifetime;
    private final Map<String, Open> challenges = new ConcurrentHashMap<>();
    private final Map<String, Held> sessions = new ConcurrentHashMap<>();
    private final Set<String> graceRecorded = ConcurrentHashMap.newKeySet();

    public SecondFactorLogin(SecondFactorPolicy policy, OperatorCertificates certificates, OperatorDirectory operators,
                             AuditLog audit, Clock clock, SecureRandom random, Duration challengeLifetime,
                             Duration sessionLifetime) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.certificates = Objects.requireNonNull(certificates, "certificates");
        this.operators = Objects.requireNonNull(operators, "operators");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
        this.challengeLifetime = positive(challengeLifetime, "challengeLifetime");
        this.sessionLifetime = positive(sessionLifetime, "sessionLifetime");
    }

    public SecondFactorPolicy policy() {
        return policy;
    }

    /**
     * What the password alone is worth for this (password-authenticated) operator. The first
     * {@link PasswordOnly#GRACE} per operator and server run is audited.
     */
    public PasswordOnly passwordOnly(Operator operator) {
        return policy.requiredFor(operator) ? passwordOnly(operator, certificates.boundId(operator.uid()))
                : PasswordOnly.ALLOWED;
    }

    /**
     * {@link #passwordOnly(Operator)} with the binding already read (at the login, {@link OperatorLogin}):
     * a certificate bound — whatever its record says now — ends the grace.
     *
     * @param boundCertificate the id of the certificate bound to the operator, empty if none is
     */
    public PasswordOnly passwordOnly(Operator operator, Optional<String> boundCertificate) {
        if (!policy.requiredFor(operator)) {
            return PasswordOnly.ALLOWED;
        }
        if (boundCertificate.isPresent()) {
            return PasswordOnly.REFUSED;
        }
        if (graceRecorded.add(operator.dn().toLowerCase(java.util.Locale.ROOT))) {
            audit.record(AuditEvent.success(clock.instant(), AuditEventType.OPERATOR_SECOND_FACTOR_GRACE, operator.dn(),
                    List.of(operator.dn()), Map.of("operator", operator.uid(), "reason", "no operator certificate "
                            + "bound yet; a security admin binds one with egov-pki operator bind-certificate")));
            LOG.warn("Operator '{}' logs in with its password alone (enrolment grace of the second factor): no "
                    + "operator certificate is bound to it yet; a security admin binds one with egov-pki operator "
                    + "bind-certificate", operator.uid());
        }
        return PasswordOnly.GRACE;
    }

    /** The refusal of a password-only call by an operator who must use its certificate too. */
    public static DomainException secondFactorRequired(String uid) {
        return new DomainException(DomainException.Kind.FORBIDDEN, "second factor required: operator '" + uid
                + "' has a role that needs the password and the operator certificate; get a challenge with "
                + "POST /api/v1/login/challenge, sign it and POST /api/v1/login for a session token "
                + "(egov-pki login does both), then call with Authorization: Bearer <token>");
    }

    /** The bytes the operator's key signs: a fixed label, the login and the nonce, one per line (UTF-8). */
    public static byte[] challengeMessage(String uid, String nonce) {
        return ("egov-pki operator login\n" + uid + "\n" + nonce).getBytes(StandardCharsets.UTF_8);
    }

    /** Step 1, after a password login: a fresh nonce for this operator, which must have a certificate bound. */
    public Challenge challenge(Operator operator) {
        Objects.requireNonNull(operator, "operator");
        if (certificates.bound(operator.uid()).isEmpty()) {
            throw DomainException.conflict("no operator certificate is bound to operator '" + operator.uid()
                    + "': a security admin binds one first (egov-pki operator bind-certificate)");
        }
        Instant now = clock.instant();
        challenges.values().removeIf(o -> !now.isBefore(o.expiresAt()));
        long open = challenges.values().stream().filter(o -> o.uid().equalsIgnoreCase(operator.uid())).count();
        if (open >= MAX_OPEN_CHALLENGES) {
            throw DomainException.conflict("operator '" + operator.uid() + "' has " + open + " open login challenges; "
                    + "use one, or wait until they expire (" + challengeLifetime.toSeconds() + " s)");
        }
        String nonce = randomToken();
        Instant expires = now.plus(challengeLifetime);
        challenges.put(nonce, new Open(operator.uid(), operator.dn(), expires));
        return new Challenge(operator.uid(), nonce, expires);
    }

    /**
     * Step 2: the signed challenge. The nonce is spent whatever the outcome.
     *
     * @param algorithm one of {@link #ALGORITHMS}; {@code null}: SM3withSM2
     * @throws DomainException FORBIDDEN with the reason when the login fails (audited), BAD_REQUEST for malformed input
     */
    public Session login(String nonce, String algorithm, byte[] signature, byte[] certificateDer) {
        if (nonce == null || nonce.isBlank()) {
            throw DomainException.badRequest("nonce", "nonce is required: the one POST /api/v1/login/challenge gave");
        }
        String alg = algorithm == null ? ALGORITHMS.get(0) : algorithm;
        if (!ALGORITHMS.contains(alg)) {
            throw DomainException.badRequest("algorithm", "algorithm '" + algorithm + "' is not accepted; one of "
                    + ALGORITHMS);
        }
        if (signature == null || signature.length == 0) {
            throw DomainException.badRequest("signature", "signature is required: the challenge signed with the "
                    + "operator certificate's key");
        }
        Open open = challenges.remove(nonce);
        Instant now = clock.instant();
        if (open == null) {
            throw failed(null, "unknown or already used login challenge", null);
        }
        if (!now.isBefore(open.expiresAt())) {
            throw failed(open.dn(), "the login challenge expired at " + open.expiresAt() + "; get a new one", open.uid());
        }
        OperatorCertificates.Bound bound = certificates.bound(open.uid()).orElseThrow(() -> failed(open.dn(),
                "no operator certificate is bound to operator '" + open.uid() + "'", open.uid()));
        CertificateRecord record = bound.record();
        if (certificateDer == null || !Arrays.equals(certificateDer, record.certificateDer())) {
            throw failed(open.dn(), "the certificate presented is not the one bound to operator '" + open.uid()
                    + "' (" + record.id() + ")", open.uid());
        }
        try {
            certificates.usable(record, now);
        } catch (DomainException e) {
            throw failed(open.dn(), e.getMessage(), open.uid());
        }
        if (!verifies(alg, record.certificateDer(), challengeMessage(open.uid(), nonce), signature)) {
            throw failed(open.dn(), "the signature does not verify with certificate " + record.id() + " (" + alg
                    + (alg.equals("SM3withSM2") ? ", default ID 1234567812345678" : "") + ")", open.uid());
        }
        Operator operator = operators.findByDn(open.dn()).orElseThrow(() -> failed(open.dn(),
                "operator '" + open.uid() + "' is disabled", open.uid()));
        return openSession(operator, record, now, Map.of("algorithm", alg));
    }

    /**
     * A password login on a channel that keeps a session of its own (the operators' pages): what the
     * password just checked, with the TLS client certificate of the call, is worth for this operator.
     * Empty when the password alone is enough ({@link #passwordOnly}: the roles need no second factor,
     * or the enrolment grace). When the roles need it and a certificate is bound, {@code clientCertificate}
     * must be that certificate, unrevoked and valid now: the answer is then a session as {@link #login}'s
     * (audited, {@link #session} re-checks it on every use and it ends after the same lifetime).
     *
     * @param clientCertificate the DER of the call's TLS client certificate, {@code null} without one
     * @param channel           where the login happens, for the audit trail (e.g. {@code pages})
     * @throws DomainException FORBIDDEN, audited as a failed {@link AuditEventType#OPERATOR_SECOND_FACTOR_LOGIN},
     *                         when the second factor is required and was not presented
     */
    public Optional<Session> passwordLogin(Operator operator, byte[] clientCertificate, String channel) {
        Objects.requireNonNull(operator, "operator");
        if (passwordOnly(operator) != PasswordOnly.REFUSED) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        String uid = operator.uid();
        Optional<OperatorCertificates.Bound> bound = certificates.bound(uid);
        if (clientCertificate == null || bound.isEmpty()) {
            throw failed(operator.dn(), "password alone on the " + channel + ": operator '" + uid + "' has a role "
                    + "that needs the operator certificate too; log in over HTTPS presenting it as TLS client "
                    + "certificate", uid);
        }
        CertificateRecord record = bound.get().record();
        if (!Arrays.equals(clientCertificate, record.certificateDer())) {
            throw failed(operator.dn(), "the TLS client certificate presented on the " + channel + " is not the one "
                    + "bound to operator '" + uid + "' (" + record.id() + ")", uid);
        }
        try {
            certificates.usable(record, now);
        } catch (DomainException e) {
            throw failed(operator.dn(), e.getMessage(), uid);
        }
        return Optional.of(openSession(operator, record, now, Map.of("via", "TLS client certificate",
                "channel", channel)));
    }

    private Session openSession(Operator operator, CertificateRecord record, Instant now, Map<String, String> how) {
        sessions.values().removeIf(h -> !now.isBefore(h.expiresAt()));
        String token = randomToken();
        Instant expires = now.plus(sessionLifetime);
        sessions.put(hash(token), new Held(operator.uid(), operator.dn(), record.id(), expires));
        Map<String, String> details = new LinkedHashMap<>();
        details.put("operator", operator.uid());
        details.put("certificate", record.id());
        details.putAll(new java.util.TreeMap<>(how));
        details.put("until", expires.toString());
        audit.record(AuditEvent.success(now, AuditEventType.OPERATOR_SECOND_FACTOR_LOGIN, operator.dn(),
                List.of(operator.dn()), details));
        return new Session(operator, token, expires, record.id());
    }

    /** Ends a session (a logout); an unknown token is ignored. */
    public void logout(String token) {
        if (token != null && !token.isBlank()) {
            sessions.remove(hash(token.trim()));
        }
    }

    /**
     * The operator a session token stands for now; empty if the token is unknown or expired, or the
     * certificate it was opened with is revoked, expired or no longer bound, or the operator is disabled
     * (the session ends then).
     */
    public Optional<Operator> session(String token) {
        if (token == null || token.isBlank()) {
            return Optional.empty();
        }
        String key = hash(token.trim());
        Held held = sessions.get(key);
        if (held == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        Optional<OperatorCertificates.Bound> bound = certificates.bound(held.uid());
        boolean valid = now.isBefore(held.expiresAt()) && bound.isPresent()
                && bound.get().record().id().equals(held.certificateId());
        if (valid) {
            try {
                certificates.usable(bound.get().record(), now);
            } catch (DomainException e) {
                valid = false;
            }
        }
        Optional<Operator> operator = valid ? operators.findByDn(held.dn()) : Optional.empty();
        if (operator.isEmpty()) {
            sessions.remove(key);
        }
        return operator;
    }

    /**
     * Whether {@code certificateDer} (a TLS client certificate) is the certificate bound to this
     * operator, unrevoked and valid now: with the password, two factors.
     */
    public boolean presentsBoundCertificate(Operator operator, byte[] certificateDer) {
        if (certificateDer == null) {
            return false;
        }
        Optional<OperatorCertificates.Bound> bound = certificates.bound(operator.uid());
        if (bound.isEmpty() || !Arrays.equals(bound.get().record().certificateDer(), certificateDer)) {
            return false;
        }
        try {
            certificates.usable(bound.get().record(), clock.instant());
            return true;
        } catch (DomainException e) {
            return false;
        }
    }

    private static boolean verifies(String algorithm, byte[] certificateDer, byte[] message, byte[] signature) {
        try {
            X509Certificate certificate = Pem.parseCertificate(certificateDer);
            Signature verifier = Signature.getInstance(algorithm, BouncyCastle.PROVIDER);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(message);
            return verifier.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            // A key of another algorithm, or a malformed signature: it does not verify.
            return false;
        }
    }

    private DomainException failed(String dn, String reason, String uid) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("operator", uid == null ? "unknown" : uid);
        details.put("reason", reason);
        audit.record(AuditEvent.failure(clock.instant(), AuditEventType.OPERATOR_SECOND_FACTOR_LOGIN,
                dn == null ? AuditEvent.SYSTEM : dn, dn == null ? List.of() : List.of(dn), details));
        return new DomainException(DomainException.Kind.FORBIDDEN, "login refused: " + reason);
    }

    private String randomToken() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from the JDK", e);
        }
    }

    private static Duration positive(Duration d, String name) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + d);
        }
        return d;
    }
}
