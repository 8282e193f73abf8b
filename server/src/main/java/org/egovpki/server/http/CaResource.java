package org.egovpki.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.egovpki.core.DomainException;
import org.egovpki.core.ca.CaRegistry;
import org.egovpki.core.ca.CaRevocations;
import org.egovpki.core.ca.CrlPublisher;
import org.egovpki.core.ca.CrlRecord;
import org.egovpki.core.certificate.Revocation;
import org.egovpki.core.certificate.RevocationReason;

/**
 * {@code /cas} and {@code /crls}: revoking an issuing CA and an emergency CRL on demand. Who may
 * do either is decided by the domain ({@link CaRevocations}, {@link CrlPublisher#issueOnDemand}).
 */
final class CaResource {

    private final CaRevocations caRevocations;
    private final CrlPublisher crls;
    private final CaRegistry cas;

    CaResource(CaRevocations caRevocations, CrlPublisher crls, CaRegistry cas) {
        this.caRevocations = caRevocations;
        this.crls = crls;
        this.cas = cas;
    }

    /** {@code POST /cas/{ca}/revoke}: {@code {"reason": "..."}}. */
    void revoke(ApiCall call) {
        String ca = call.param("ca");
        JsonNode body = call.body();
        JsonCodec.rejectUnknown(body, Set.of("reason"), "");
        String reason = JsonCodec.text(body, "reason");
        Revocation revocation;
        try {
            revocation = caRevocations.revoke(call.operator(), ca, reason == null ? null
                    : RevocationReason.parse(reason));
        } catch (IllegalArgumentException e) {
            throw DomainException.badRequest("reason", e.getMessage());
        }
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("ca", ca);
        v.put("revocation", CertificateView.revocation(revocation));
        call.json(200, v);
    }

    /** {@code POST /crls/{ca}}: 201 with the new CRL's number, times and where it is published. */
    void issueCrl(ApiCall call) {
        String ca = call.param("ca");
        CrlRecord crl = crls.issueOnDemand(call.operator(), cas, ca);
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("ca", ca);
        v.put("crlNumber", crl.crlNumber().toString());
        v.put("thisUpdate", crl.thisUpdate().toString());
        v.put("nextUpdate", crl.nextUpdate().toString());
        v.put("url", "/crl/" + ca + ".crl");
        call.json(201, v);
    }
}
