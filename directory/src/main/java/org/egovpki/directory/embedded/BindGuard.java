package org.egovpki.directory.embedded;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.directory.api.ldap.model.entry.Attribute;
import org.apache.directory.api.ldap.model.entry.Entry;
import org.apache.directory.api.ldap.model.exception.LdapAuthenticationException;
import org.apache.directory.api.ldap.model.exception.LdapException;
import org.apache.directory.api.ldap.model.exception.LdapNoSuchObjectException;
import org.apache.directory.api.ldap.model.name.Dn;
import org.apache.directory.api.util.DateUtils;
import org.apache.directory.server.core.api.authn.ppolicy.PasswordPolicyException;
import org.apache.directory.server.core.api.interceptor.BaseInterceptor;
import org.apache.directory.server.i18n.I18n;
import org.apache.directory.server.core.api.interceptor.context.BindOperationContext;
import org.egovpki.core.audit.AuditEvent;
import org.egovpki.core.audit.AuditEventType;
import org.egovpki.core.audit.AuditLog;
import org.egovpki.directory.LockoutPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wraps ApacheDS's authentication interceptor, so it sees every simple bind — from an LDAP browser
 * and from the REST API, which binds as the operator — and does two things after a failed one:
 * <ul>
 *   <li>audits the moment the password policy locks an account: the bind that brought the recorded
 *       failures to {@code pwdMaxFailure} is the one that locked it;</li>
 *   <li>keeps a bind as a DN that does not exist indistinguishable from a wrong password. With the
 *       password policy on, ApacheDS re-reads the bind entry after a failure and, for an absent one,
 *       answers "Attempt to lookup non-existant entry" instead of its usual "ERR_229 Cannot
 *       authenticate user": an existence oracle for anyone who can bind. Both now read the same.</li>
 * </ul>
 * Before the bind, it refuses an operator a security admin disabled ({@code egovOperatorState:
 * DISABLED}) with that same wrong-password answer, so a disabled operator can use neither the REST
 * API nor an LDAP browser, and nobody learns from the answer that the account exists.
 *
 * <p>The lockout is audited on a thread of its own, after the bind has returned: this interceptor
 * runs inside ApacheDS's bind, and the audit trail advances its anchor in this same directory
 * (docs/architecture.md, "Audit is not logging"), so recording from here would wait on the
 * directory from within one of its operations. The event is queued at once and written in order;
 * stopping the directory waits for the queue to drain.
 */
final class BindGuard extends BaseInterceptor {

    static final String NAME = "egovPkiBindGuard";
    private static final Logger LOG = LoggerFactory.getLogger(BindGuard.class);

    private final String suffixName;
    private final LockoutPolicy policy;
    private final AuditLog audit;
    private final Clock clock;
    private final ExecutorService auditing = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "egov-pki-lockout-audit");
        thread.setDaemon(true);
        return thread;
    });
    private Dn suffix;
    private Dn operators;

    BindGuard(String suffixName, LockoutPolicy policy, AuditLog audit, Clock clock) {
        super(NAME);
        this.suffixName = Objects.requireNonNull(suffixName, "suffixName");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public void init(org.apache.directory.server.core.api.DirectoryService directoryService) throws LdapException {
        super.init(directoryService);
        suffix = new Dn(directoryService.getSchemaManager(), suffixName);
        operators = new Dn(directoryService.getSchemaManager(), "ou=operators," + suffixName);
    }

    @Override
    public void bind(BindOperationContext context) throws LdapException {
        Dn target = context.getDn();
        if (target != null && target.isDescendantOf(operators) && disabled(target)) {
            throw new LdapAuthenticationException(I18n.err(I18n.ERR_229, target.getName()));
        }
        try {
            next(context);
        } catch (LdapNoSuchObjectException e) {
            // The same text ApacheDS gives a wrong password (its ERR_229).
            Dn dn = context.getDn();
            throw new LdapAuthenticationException(I18n.err(I18n.ERR_229, dn == null ? "" : dn.getName()));
        } catch (PasswordPolicyException e) {
            // The right password on a locked account: no new failure, nothing to audit.
            throw e;
        } catch (LdapException e) {
            auditIfLockedNow(context.getDn());
            throw e;
        }
    }

    private boolean disabled(Dn dn) throws LdapException {
        try {
            Entry entry = directoryService.getAdminSession().lookup(dn, "egovOperatorState");
            Attribute state = entry == null ? null : entry.get("egovOperatorState");
            return state != null && "DISABLED".equalsIgnoreCase(state.getString());
        } catch (LdapNoSuchObjectException e) {
            return false;
        }
    }

    private void record(AuditEvent event) {
        try {
            audit.record(event);
        } catch (RuntimeException e) {
            LOG.error("Could not audit the lockout of {}: {}", event.subjects(), e.toString());
        }
    }

    /** Waits (a few seconds at most) for queued lockout events to reach the audit trail. */
    @Override
    public void destroy() {
        auditing.shutdown();
        try {
            if (!auditing.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.error("Lockout audit events were still queued when the directory stopped");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        super.destroy();
    }

    private void auditIfLockedNow(Dn dn) {
        if (dn == null || !dn.isDescendantOf(suffix)) {
            return;
        }
        try {
            Entry entry = directoryService.getAdminSession().lookup(dn, "pwdAccountLockedTime", "pwdFailureTime");
            Attribute locked = entry == null ? null : entry.get("pwdAccountLockedTime");
            Attribute failures = entry == null ? null : entry.get("pwdFailureTime");
            if (locked == null || failures == null || failures.size() != policy.maxFailures()) {
                return;
            }
            Instant lockedAt = DateUtils.getDate(locked.getString()).toInstant();
            AuditEvent event = AuditEvent.success(clock.instant(), AuditEventType.ACCOUNT_LOCKED_OUT,
                    AuditEvent.SYSTEM, List.of(dn.getName()), Map.of("failedBinds", Integer.toString(failures.size()),
                            "lockedUntil", lockedAt.plus(policy.duration()).toString()));
            auditing.execute(() -> record(event));
            LOG.warn("Locked {} after {} failed binds", dn.getName(), failures.size());
        } catch (LdapNoSuchObjectException e) {
            // No such account: nothing to lock.
        } catch (LdapException | RuntimeException e) {
            // The failed bind and the lock stand whatever happens here.
            LOG.warn("Could not check the lockout state of {} after a failed bind: {}", dn.getName(), e.toString());
        }
    }
}
