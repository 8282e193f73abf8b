package org.egovpki.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.egovpki.core.DomainException;
import java.security.cert.X509Certificate;
import org.egovpki.core.ca.CaKeyChangeover;
import org.egovpki.core.ca.CaRegistry;
import org.egovpki.core.ca.KeyChangeover;
import org.egovpki.core.x509.Pem;
import org.egovpki.core.x509.SerialNumbers;
import org.egovpki.core.ca.CaRevocations;
import org.egovpki.core.ca.SecondCaAdmin;
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
    private final CaKeyChangeover keyChangeover;

    CaResource(CaRevocations caRevocations, CrlPublisher crls, CaRegistry cas, CaKeyChangeover keyChangeover) {
        this.keyChangeover = keyChangeover;
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
        CaRevocations.Outcome outcome;
        try {
            outcome = caRevocations.revoke(call.operator(), ca, reason == null ? null
                    : RevocationReason.parse(reason));
        } catch (IllegalArgumentException e) {
            throw DomainException.badRequest("reason", e.getMessage());
        }
        if (!outcome.done()) {
            call.json(202, proposed(ca, outcome.proposal(), "the same call with the same reason"));
            return;
        }
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("ca", ca);
        v.put("revocation", CertificateView.revocation(outcome.revocation()));
        v.put("proposedBy", outcome.proposal().proposerDn());
        call.json(200, v);
    }

    /** A 202's body: the operation waits for a second CA admin, who confirms it with {@code how}. */
    private static Map<String, Object> proposed(String ca, SecondCaAdmin.Proposal proposal, String how) {
        return ProposalView.of(Map.of("ca", ca), proposal, "CA admin", how);
    }

    /**
     * {@code POST /cas/{ca}/changeover}: rolls the CA to a new key (no body); 201 with the new
     * certificate and, for a root, the link certificates. The new key signs from the next start on.
     */
    void changeover(ApiCall call) {
        CaKeyChangeover.Outcome outcome = keyChangeover.roll(call.operator(), call.param("ca"));
        if (!outcome.done()) {
            call.json(202, proposed(call.param("ca"), outcome.proposal(), "the same call"));
            return;
        }
        KeyChangeover changeover = outcome.changeover();
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("ca", changeover.caName());
        v.put("role", changeover.role().name());
        v.put("keyStoreAlias", changeover.alias());
        v.put("effective", "at the next start of the server");
        v.put("proposedBy", outcome.proposal().proposerDn());
        v.put("oldCertificate", certificate(changeover.oldCertificate()));
        v.put("newCertificate", certificate(changeover.newCertificate()));
        if (changeover.newWithOld() != null) {
            v.put("newWithOld", certificate(changeover.newWithOld()));
            v.put("oldWithNew", certificate(changeover.oldWithNew()));
        }
        call.json(201, v);
    }

    private static Map<String, Object> certificate(X509Certificate certificate) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("serial", SerialNumbers.toHex(certificate.getSerialNumber()));
        v.put("subject", certificate.getSubjectX500Principal().getName());
        v.put("issuer", certificate.getIssuerX500Principal().getName());
        v.put("notBefore", certificate.getNotBefore().toInstant().toString());
        v.put("notAfter", certificate.getNotAfter().toInstant().toString());
        v.put("pem", Pem.certificate(certificate));
        return v;
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
