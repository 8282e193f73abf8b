package org.egovpki.core.ca;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.egovpki.core.DomainException;
import org.egovpki.core.audit.AuditEvent;
import org.egovpki.core.audit.AuditEventType;
import org.egovpki.core.audit.AuditLog;
import org.egovpki.core.certificate.CertificateRecord;
import org.egovpki.core.certificate.CertificateRecords;
import org.egovpki.core.certificate.IssuanceState;
import org.egovpki.core.km.CsrResponse;
import org.egovpki.core.km.Sm2EnvelopedKey;
import org.egovpki.core.km.SkfEnvelopedKeyBlob;
import org.egovpki.core.operator.Operator;
import org.egovpki.core.profile.KeyUsageKind;

/**
 * What a subscriber's token receives after a dual issuance, in the three forms token middleware
 * takes: the GM/T 0009 {@code SM2EnvelopedKey}, the GM/T 0092 {@code CSRResponse} (both
 * certificates and the envelope in one structure), and the GM/T 0016 (SKF)
 * {@code ENVELOPEDKEYBLOB} for {@code SKF_ImportECCKeyPair}. All carry the encryption private key
 * only enveloped to the subscriber's signing key.
 *
 * <p>Only an operator who may enter requests (entry clerk, RA admin, CA admin) fetches a
 * delivery: the RA hands the certificates over and loads the subscriber's token. The envelope
 * opens only with the subscriber's signing key, but it is still the subscriber's private key, so
 * an auditor, a reviewer, a key custodian or a KM role gets nothing. Every delivery and every
 * refusal is audited ({@code KM_KEY_DELIVERED}).
 */
public final class KeyDeliveries {

    private final CertificateRecords store;
    private final AuditLog audit;
    private final Clock clock;

    public KeyDeliveries(CertificateRecords store, AuditLog audit, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * @param signCertificate    DER signing certificate
     * @param encryptCertificate DER encryption certificate
     * @param envelopedKey       DER SM2EnvelopedKey
     * @param csrResponse        DER CSRResponse
     * @param skfBlob            ENVELOPEDKEYBLOB bytes
     */
    public record Delivery(CertificateRecord signing, CertificateRecord encryption, byte[] signCertificate,
                           byte[] encryptCertificate, byte[] envelopedKey, byte[] csrResponse, byte[] skfBlob) {
    }

    /**
     * The delivery of the dual pair issued for {@code requestId}, to {@code operator}. The role is
     * checked before the lookup, so a refusal says nothing about the request.
     */
    public Delivery forRequest(String requestId, Operator operator) {
        if (!operator.mayEnterRequests()) {
            String why = operator.uid() + " may not fetch key deliveries: the RA loads the subscriber's token, which "
                    + "needs the ENTRY_CLERK, RA_ADMIN or CA_ADMIN role";
            audit.record(AuditEvent.failure(clock.instant(), AuditEventType.KM_KEY_DELIVERED, operator.dn(),
                    List.of(requestId), Map.of("error", why)));
            throw new DomainException(DomainException.Kind.FORBIDDEN, why);
        }
        Delivery delivery = forRequest(requestId);
        Map<String, String> details = new LinkedHashMap<>();
        details.put("issuer", delivery.encryption().issuer());
        details.put("signSerial", delivery.signing().serialHex());
        details.put("encryptSerial", delivery.encryption().serialHex());
        audit.record(AuditEvent.success(clock.instant(), AuditEventType.KM_KEY_DELIVERED, operator.dn(),
                List.of(requestId, delivery.encryption().id()), details));
        return delivery;
    }

    private Delivery forRequest(String requestId) {
        List<CertificateRecord> records = store.findByRequest(requestId).stream()
                .filter(r -> r.issuanceState() == IssuanceState.RECORDED || r.issuanceState() == IssuanceState.PUBLISHED)
                .toList();
        if (records.isEmpty()) {
            throw DomainException.notFound("request " + requestId + " has no issued certificates");
        }
        CertificateRecord signing = records.stream().filter(r -> r.kind() == KeyUsageKind.SIGNING).findFirst()
                .orElseThrow(() -> DomainException.notFound("request " + requestId + " has no signing certificate"));
        CertificateRecord encryption = records.stream().filter(r -> r.kind() == KeyUsageKind.ENCRYPTION).findFirst()
                .orElseThrow(() -> DomainException.notFound("request " + requestId + " issued no encryption certificate: "
                        + "its profile '" + signing.profile() + "' is not a dual profile, so there is no key to deliver"));
        byte[] envelope = store.envelopedKey(encryption.issuer(), encryption.serial()).orElseThrow(() ->
                DomainException.internal("encryption certificate " + encryption.serialHex() + " has no enveloped key "
                        + "stored with it", null));
        Sm2EnvelopedKey envelopedKey = Sm2EnvelopedKey.parse(envelope);
        byte[] csrResponse = new CsrResponse(List.of(signing.certificateDer()), envelopedKey,
                List.of(encryption.certificateDer())).encoded();
        return new Delivery(signing, encryption, signing.certificateDer(), encryption.certificateDer(), envelope,
                csrResponse, SkfEnvelopedKeyBlob.encode(envelopedKey));
    }
}
