package org.egovpki.core.km.centre;

import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.egovpki.core.DomainException;
import org.egovpki.core.audit.AuditEvent;
import org.egovpki.core.audit.AuditEventType;
import org.egovpki.core.audit.AuditLog;
import org.egovpki.core.km.EntityName;
import org.egovpki.core.km.KmRequest;
import org.egovpki.core.km.KmResponse;
import org.egovpki.core.km.KmTransport;
import org.egovpki.core.km.SignedMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The KM's door: takes a signed CARequest, checks it was signed by a CA this KM serves (by the
 * certificate its EntName points at) within the last few minutes, carries out each item, and
 * answers a KMRespond signed with the KM's own key — errors included, so the CA can tell a
 * refusal from a forgery. Every request is audited with its outcome.
 */
public final class KmEndpoint implements KmTransport {

    private static final Logger LOG = LoggerFactory.getLogger(KmEndpoint.class);
    /** How old (or how far in the future) a CA request may be. */
    static final Duration MAX_AGE = Duration.ofMinutes(5);

    private final Map<String, X509Certificate> cas;
    private final KeyEscrow escrow;
    private final KeyRecoveries recoveries;
    private final KmKeyStore keys;
    private final AuditLog audit;
    private final Clock clock;

    /** @param cas the CAs this KM serves, by egov-pki CA name, with the certificate each signs requests with */
    public KmEndpoint(Map<String, X509Certificate> cas, KeyEscrow escrow, KeyRecoveries recoveries, KmKeyStore keys,
                      AuditLog audit, Clock clock) {
        this.cas = Map.copyOf(cas);
        this.escrow = Objects.requireNonNull(escrow, "escrow");
        this.recoveries = Objects.requireNonNull(recoveries, "recoveries");
        this.keys = Objects.requireNonNull(keys, "keys");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public byte[] exchange(byte[] message) {
        SignedMessage signed;
        KmRequest request;
        try {
            signed = SignedMessage.parse(message);
            request = KmRequest.fromAsn1(signed.body());
        } catch (IllegalArgumentException e) {
            return refuse(BigInteger.ZERO, "unknown", KmResponse.Error.ERR_BAD_REQUEST, "malformed CARequest: "
                    + e.getMessage());
        }
        String caName = caNamed(request.caName());
        if (caName == null) {
            return refuse(request.taskNo(), request.caName().toString(), KmResponse.Error.ERR_REFUSED,
                    "this KM serves no CA with certificate " + request.caName());
        }
        if (!signed.verify(cas.get(caName))) {
            return refuse(request.taskNo(), caName, KmResponse.Error.ERR_REFUSED, "the request's signature does not "
                    + "verify with the certificate of CA " + caName);
        }
        Instant now = clock.instant();
        if (request.requestTime().isBefore(now.minus(MAX_AGE)) || request.requestTime().isAfter(now.plus(MAX_AGE))) {
            return refuse(request.taskNo(), caName, KmResponse.Error.ERR_REFUSED, "the request is dated "
                    + request.requestTime() + ", more than " + MAX_AGE.toMinutes() + " minutes from the KM's clock");
        }
        List<KmResponse.Item> answers = new ArrayList<>();
        for (KmRequest.Item item : request.items()) {
            answers.add(carryOut(caName, request.taskNo(), item));
        }
        return answer(request.taskNo(), answers);
    }

    private KmResponse.Item carryOut(String caName, BigInteger taskNo, KmRequest.Item item) {
        String what = item.getClass().getSimpleName();
        try {
            KmResponse.Item answer;
            if (item instanceof KmRequest.ApplyKey apply) {
                answer = escrow.apply(caName, taskNo, apply);
            } else if (item instanceof KmRequest.RestoreKey restore) {
                answer = recoveries.redeem(caName, restore);
            } else {
                answer = escrow.retire(caName, item.userCertNo());
            }
            audit.record(AuditEvent.success(clock.instant(), AuditEventType.KM_REQUEST_HANDLED, "ca:" + caName,
                    List.of(taskNo.toString(16)), details(what, item, null)));
            return answer;
        } catch (DomainException e) {
            audit.record(AuditEvent.failure(clock.instant(), AuditEventType.KM_REQUEST_HANDLED, "ca:" + caName,
                    List.of(taskNo.toString(16)), details(what, item, e.publicMessage())));
            return new KmResponse.Error(code(e.kind()), e.publicMessage());
        } catch (RuntimeException e) {
            LOG.error("KM request {} from CA {} failed", what, caName, e);
            audit.record(AuditEvent.failure(clock.instant(), AuditEventType.KM_REQUEST_HANDLED, "ca:" + caName,
                    List.of(taskNo.toString(16)), details(what, item, DomainException.describe(e))));
            return new KmResponse.Error(KmResponse.Error.ERR_UNAVAILABLE, "the KM could not carry out " + what + "; see "
                    + "its log");
        }
    }

    private static Map<String, String> details(String what, KmRequest.Item item, String error) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("request", what);
        details.put("serial", item.userCertNo().toString(16));
        if (item instanceof KmRequest.RestoreKey restore) {
            details.put("recovery", restore.recoveryId());
        }
        if (error != null) {
            details.put("error", error);
        }
        return details;
    }

    private String caNamed(EntityName name) {
        for (Map.Entry<String, X509Certificate> ca : cas.entrySet()) {
            if (name.names(ca.getValue())) {
                return ca.getKey();
            }
        }
        return null;
    }

    private byte[] refuse(BigInteger taskNo, String caName, int code, String why) {
        audit.record(AuditEvent.failure(clock.instant(), AuditEventType.KM_REQUEST_HANDLED, "ca:" + caName,
                List.of(taskNo.toString(16)), Map.of("error", why)));
        return answer(taskNo, List.of(new KmResponse.Error(code, why)));
    }

    private byte[] answer(BigInteger taskNo, List<KmResponse.Item> items) {
        KmResponse response = new KmResponse(EntityName.of(keys.certificate()), items, clock.instant(), taskNo);
        return SignedMessage.sign(response.toAsn1(), keys.signer());
    }

    private static int code(DomainException.Kind kind) {
        return switch (kind) {
            case BAD_REQUEST -> KmResponse.Error.ERR_BAD_REQUEST;
            case NOT_FOUND -> KmResponse.Error.ERR_NOT_FOUND;
            case FORBIDDEN -> KmResponse.Error.ERR_REFUSED;
            case CONFLICT -> KmResponse.Error.ERR_CONFLICT;
            case RATE_LIMITED -> KmResponse.Error.ERR_RATE_LIMITED;
            default -> KmResponse.Error.ERR_UNAVAILABLE;
        };
    }
}
