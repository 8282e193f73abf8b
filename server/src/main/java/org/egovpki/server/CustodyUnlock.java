package org.egovpki.server;

import java.nio.file.Files;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.egovpki.core.DomainException;
import org.egovpki.core.audit.AuditEvent;
import org.egovpki.core.audit.AuditEventType;
import org.egovpki.core.audit.AuditLog;
import org.egovpki.core.crypto.Pkcs12CaKeyStore;
import org.egovpki.core.operator.Operator;
import org.egovpki.core.operator.Role;
import org.egovpki.server.custody.CustodyRecord;
import org.egovpki.server.custody.Share;
import org.egovpki.server.custody.ShareCollector;
import org.egovpki.server.http.LockedHandler;

/**
 * The locked start ({@code caKeys.custody: shares}): takes the custodians' shares as operators
 * with the key custodian role present them, audits each presentation (custodian, index, k of M;
 * never the share), and hands the password out once the joined shares opened the key store.
 */
final class CustodyUnlock implements LockedHandler.Unlock {

    private final CustodyRecord record;
    private final ShareCollector collector;
    private final AuditLog audit;
    private final Clock clock;
    private final java.util.function.Predicate<Operator> passwordChangePending;
    private final java.util.concurrent.CountDownLatch opened = new java.util.concurrent.CountDownLatch(1);
    private volatile char[] password;

    /**
     * @param passwordChangePending whether an operator must change its one-time or expired password before it
     *                              may act ({@code OperatorAdministration.passwordChangeRequired}): such an
     *                              operator presents no share, as it calls nothing else on the API
     */
    CustodyUnlock(DataDirectory data, CustodyRecord record, AuditLog audit, Clock clock,
                  java.util.function.Predicate<Operator> passwordChangePending) {
        this.passwordChangePending = passwordChangePending;
        this.record = record;
        this.audit = audit;
        this.clock = clock;
        this.collector = new ShareCollector(record, candidate -> {
            if (!Files.exists(data.keyStore())) {
                throw new DomainException(DomainException.Kind.INTERNAL, "there is no CA key store " + data.keyStore());
            }
            try {
                Pkcs12CaKeyStore.openOrCreate(data.keyStore(), candidate);
            } catch (IllegalStateException e) {
                return false;
            }
            password = candidate.clone();
            return true;
        });
    }

    @Override
    public ShareCollector.Progress progress() {
        return collector.progress();
    }

    @Override
    public ShareCollector.Progress present(Operator operator, Share share) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("custodian", share.custodian());
        details.put("index", Integer.toString(share.index()));
        try {
            if (!operator.has(Role.KEY_CUSTODIAN)) {
                throw new DomainException(DomainException.Kind.FORBIDDEN, "only an operator with the KEY_CUSTODIAN "
                        + "role presents a key share");
            }
            if (passwordChangePending.test(operator)) {
                throw org.egovpki.core.enroll.OperatorAdministration.passwordChangeRequiredRefusal(operator.uid());
            }
            ShareCollector.Progress progress = collector.present(operator.uid(), share);
            details.put("presented", progress.presented().size() + " of " + progress.threshold());
            audit.record(AuditEvent.success(clock.instant(), AuditEventType.KEY_SHARE_PRESENTED, operator.dn(),
                    List.of(), details));
            if (progress.unlocked()) {
                audit.record(AuditEvent.success(clock.instant(), AuditEventType.CA_UNLOCKED, operator.dn(), List.of(),
                        Map.of("keyStore", record.keyStore(), "split", Integer.toString(record.epoch()))));
                opened.countDown();
            }
            return progress;
        } catch (DomainException e) {
            details.put("presented", collector.progress().presented().size() + " of " + record.threshold());
            details.put("reason", e.getMessage());
            audit.record(AuditEvent.failure(clock.instant(), AuditEventType.KEY_SHARE_PRESENTED, operator.dn(),
                    List.of(), details));
            throw e;
        }
    }

    /** Waits up to {@code millis} for the unlock; the password once unlocked, else {@code null}. */
    char[] awaitPassword(long millis) throws InterruptedException {
        return opened.await(millis, TimeUnit.MILLISECONDS) ? password : null;
    }
}
