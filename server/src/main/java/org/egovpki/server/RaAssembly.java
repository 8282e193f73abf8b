package org.egovpki.server;

import org.egovpki.core.enroll.Issuance;
import org.egovpki.core.profile.Profiles;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.egovpki.core.audit.AuditEvent;
import org.egovpki.core.audit.AuditEventType;
import org.egovpki.core.enroll.DirectoryDecisions;
import org.egovpki.core.enroll.EnrollmentService;
import org.egovpki.core.enroll.LifecycleService;
import org.egovpki.core.operator.Operator;
import org.egovpki.core.operator.Role;
import org.egovpki.core.enroll.SubscriberIds;
import org.egovpki.core.enroll.validation.CertificationRequests;
import org.egovpki.core.enroll.validation.KeyPolicy;
import org.egovpki.directory.CertificateStoreKeys;
import org.egovpki.directory.LdapCertificateStore;
import org.egovpki.directory.LdapDecisionInbox;
import org.egovpki.core.enroll.ActiveOperators;
import org.egovpki.core.enroll.OperatorAdministration;
import org.egovpki.core.enroll.OperatorCertificates;
import org.egovpki.core.enroll.SecondFactorLogin;
import org.egovpki.directory.LdapOperatorCertificateBindings;
import org.egovpki.directory.LdapOperatorDirectory;
import org.egovpki.directory.LdapRequestStore;
import org.egovpki.directory.LdapSubscriberStore;
import org.egovpki.directory.SubscriberIdMigration;
import org.egovpki.core.enroll.validation.CertifiableKeys;
import org.egovpki.server.audit.FileAuditLog;
import org.egovpki.server.config.EgovPkiConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RA: requests, subscribers, operators and their validation (start-up step 9), then the
 * enrollment and lifecycle services and the first CA admin (step 11), and the decisions made in
 * an LDAP browser. Built in the start-up order: the methods after {@link #create} are called
 * once each, in the order they are declared.
 */
final class RaAssembly {

    private static final Logger LOG = LoggerFactory.getLogger(RaAssembly.class);

    static final String FIRST_ADMIN = "admin";

    private final EgovPkiConfig config;
    private final DirectoryAssembly directory;
    private final FileAuditLog audit;
    private final Clock clock;
    private final SecureRandom random;
    private final SubscriberIds subscriberIds;
    private final LdapRequestStore requests;
    private final LdapSubscriberStore subscribers;
    private final LdapOperatorDirectory operators;
    private final CertificationRequests csrs;
    private final OperatorAdministration administration;
    private EnrollmentService enrollment;
    private LifecycleService lifecycle;
    private OperatorCertificates operatorCertificates;
    private SecondFactorLogin secondFactor;

    private RaAssembly(EgovPkiConfig config, DirectoryAssembly directory, FileAuditLog audit, Clock clock,
                       SecureRandom random, SubscriberIds subscriberIds) {
        this.config = config;
        this.directory = directory;
        this.audit = audit;
        this.clock = clock;
        this.random = random;
        this.subscriberIds = subscriberIds;
        this.requests = new LdapRequestStore(directory.pool(), directory.names());
        this.subscribers = new LdapSubscriberStore(directory.pool(), directory.names(), directory.mirror());
        this.operators = new LdapOperatorDirectory(directory.pool(), directory.names(),
                LdapOperatorDirectory.loginPool(directory.loginPool()), random, config.ldap().lockout());
        this.csrs = new CertificationRequests(new KeyPolicy(config.enrollment().allowLegacyRsa()));
        this.administration = new OperatorAdministration(operators, config.operators().passwordPolicy(),
                () -> OperatorPasswords.generate(random), audit, clock);
    }

    /** Step 9: the RA's stores on the CA service account's pool, and the CSR checks from {@code enrollment.*}. */
    static RaAssembly create(EgovPkiConfig config, DirectoryAssembly directory, Secrets secrets, FileAuditLog audit,
                             Clock clock, SecureRandom random) {
        return new RaAssembly(config, directory, audit, clock, random, secrets.subscriberIds());
    }

    /** Before recovery and before anything can submit: requests and records must name keyed ids. */
    void migrateSubscriberIds() {
        new SubscriberIdMigration(directory.pool(), directory.names(), subscriberIds, audit, clock,
                SubscriberIdMigration.Steps.NONE).run();
        // After the renames: subscriber entries published before the RFC 4387 store get its search keys.
        publishedCertificates().migrate();
    }

    /** The public RFC 4387 store's view of the certificates on subscriber entries (and their search keys). */
    CertificateStoreKeys publishedCertificates() {
        return new CertificateStoreKeys(directory.pool(), directory.names());
    }

    /**
     * Step 11: enrollment and lifecycle, once recovery has finished what a previous run left.
     *
     * @param profiles the CA's live profiles ({@link CaAssembly#profiles()}), which a reload replaces
     * @param keys     the keys never certified ({@link CaAssembly#certifiableKeys()}), refused at submission
     */
    void startEnrollment(Issuance issuance, LdapCertificateStore certificates, Profiles profiles,
                         CertifiableKeys keys) {
        EgovPkiConfig.Enrollment settings = config.enrollment();
        enrollment = new EnrollmentService(profiles, requests, subscribers, issuance, csrs, keys, audit, clock,
                settings.zone(), random, subscriberIds);
        lifecycle = new LifecycleService(profiles, certificates, requests, enrollment, issuance, csrs,
                config.lifecycle().renewalWindow(), audit, clock);
        EgovPkiConfig.SecondFactor factor = config.operators().secondFactor();
        operatorCertificates = new OperatorCertificates(operators,
                new LdapOperatorCertificateBindings(directory.pool(), directory.names()), certificates, factor.profiles(),
                audit, clock);
        secondFactor = new SecondFactorLogin(factor.policy(), operatorCertificates, operators, audit, clock, random,
                factor.challengeLifetime(), factor.sessionLifetime());
        warnOfBindingsOutsideTheOperatorProfiles(factor);
    }

    /**
     * An operator bound to a certificate of another profile than {@code operators.secondFactor.profiles}
     * (by an earlier version, or the profiles changed) can no longer log in: named at every start, so the
     * security admins bind it an operator-profile certificate (docs/operations.md, "Upgrading").
     */
    private void warnOfBindingsOutsideTheOperatorProfiles(EgovPkiConfig.SecondFactor factor) {
        try {
            for (OperatorCertificates.Bound bound : operatorCertificates.outsideProfiles()) {
                LOG.warn("Operator {} is bound to certificate {} of profile '{}', which is not an operator profile "
                        + "(operators.secondFactor.profiles: {}): it cannot log in with it, nor with its password alone; "
                        + "a security admin binds it an operator-profile certificate, or add the profile if it is one "
                        + "(docs/operations.md, \"Upgrading\")", bound.uid(), bound.record().id(),
                        bound.record().profile(), factor.profiles().stream().sorted().toList());
            }
        } catch (RuntimeException e) {
            LOG.warn("Could not check the operators' bound certificates against the operator profiles: {}",
                    e.getMessage());
        }
    }

    /** Binding operator certificates to operators (security admins), the second login factor. */
    OperatorCertificates operatorCertificates() {
        return operatorCertificates;
    }

    /** The operators' two-factor login: challenges, session tokens, what a password alone is worth. */
    SecondFactorLogin secondFactor() {
        return secondFactor;
    }

    /**
     * The first CA admin, created once: with the configured password, or a generated one printed
     * here once and stored nowhere in clear, which it must change at its first login.
     */
    void firstAdmin() {
        if (operators.findByUid(FIRST_ADMIN).isPresent()) {
            return;
        }
        String configured = config.enrollment().initialAdminPassword();
        char[] password = configured != null ? configured.toCharArray() : OperatorPasswords.generate(new SecureRandom());
        Operator admin = operators.create(FIRST_ADMIN, "CA administrator", EnumSet.of(Role.CA_ADMIN, Role.RA_ADMIN),
                password, configured == null, clock.instant()).operator();
        audit.record(AuditEvent.success(clock.instant(), AuditEventType.OPERATOR_CREATED, AuditEvent.SYSTEM,
                List.of(admin.dn()), Map.of("roles", admin.roles().toString())));
        if (configured == null) {
            System.out.println("egov-pki: created the first CA admin operator '" + FIRST_ADMIN + "' with the one-time "
                    + "password " + new String(password) + " -- it is shown only now; store it safely.");
        }
    }

    /**
     * Makes the group of operators who read requests in an LDAP browser match their roles (a role
     * change cut short, a directory from before the group); logged, since it decides who reads
     * registration data there.
     */
    void reconcileRequestReaders() {
        int readers = operators.reconcileRequestReaders();
        LOG.info("{} operator(s) read requests in an LDAP browser (reviewers and RA admins: {})", readers,
                directory.names().requestReaders());
    }

    /** Acts on decision entries added in an LDAP browser (the directory approvals route calls it). */
    DirectoryDecisions decisions() {
        return new DirectoryDecisions(new LdapDecisionInbox(directory.pool(), directory.names()), activeOperators(),
                enrollment, audit, clock);
    }

    /**
     * The operators who may act through an LDAP browser now: not disabled, no password change pending,
     * no second factor required (a bind is a password alone). Needs {@link #startEnrollment} first.
     */
    ActiveOperators activeOperators() {
        return new ActiveOperators(operators, administration,
                operator -> secondFactor.passwordOnly(operator) == SecondFactorLogin.PasswordOnly.REFUSED);
    }

    LdapRequestStore requests() {
        return requests;
    }

    LdapSubscriberStore subscribers() {
        return subscribers;
    }

    LdapOperatorDirectory operators() {
        return operators;
    }

    /** Whether the operator with this login is enabled and holds {@code role} now (one read of its entry). */
    boolean enabledWith(String uid, Role role) {
        return operators.enabledAnd(uid, operator -> operator.has(role));
    }

    /** Operator management for security admins, and every operator's own password change. */
    OperatorAdministration administration() {
        return administration;
    }

    CertificationRequests certificationRequests() {
        return csrs;
    }

    EnrollmentService enrollment() {
        return enrollment;
    }

    LifecycleService lifecycle() {
        return lifecycle;
    }
}
