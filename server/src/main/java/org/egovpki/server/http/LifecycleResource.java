package org.egovpki.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;
import org.egovpki.core.DomainException;
import org.egovpki.core.certificate.CertificateRecord;
import org.egovpki.core.enroll.EnrollmentRequest;
import org.egovpki.core.enroll.LifecycleService;

/**
 * {@code POST /certificates/{serial}/renew|rekey|modify|replace} ({@code ?issuer=} when two CAs
 * used the serial). The certificate is the CA's record for the serial; the body carries only the
 * new request. Every call answers with the new request (201): ISSUED for renew and rekey,
 * SUBMITTED for modify and replace (they wait for a reviewer like an application; a profile with
 * autoApproveForRa entered by an RA admin is ISSUED at once). The certificate is looked up
 * before the body is read.
 */
final class LifecycleResource {

    private static final Set<String> RENEW_FIELDS = Set.of("csr");
    private static final Set<String> REKEY_FIELDS = Set.of("csr", "proof");
    private static final Set<String> REPLACE_FIELDS = Set.of("csr", "reason");

    private final LifecycleService lifecycle;
    private final CertificateFinder finder;
    private final RequestResource requests;

    LifecycleResource(LifecycleService lifecycle, CertificateFinder finder, RequestResource requests) {
        this.lifecycle = lifecycle;
        this.finder = finder;
        this.requests = requests;
    }

    /** {@code renew}: {@code {csr}}. */
    void renew(ApiCall call) {
        CertificateRecord certificate = finder.find(call, call.param("serial"));
        JsonNode body = call.body();
        JsonCodec.rejectUnknown(body, RENEW_FIELDS, "");
        created(call, lifecycle.renew(call.operator(), certificate.issuer(), certificate.serial(), csr(body)));
    }

    /** {@code rekey}: {@code {csr, proof}}. */
    void rekey(ApiCall call) {
        CertificateRecord certificate = finder.find(call, call.param("serial"));
        JsonNode body = call.body();
        JsonCodec.rejectUnknown(body, REKEY_FIELDS, "");
        created(call, lifecycle.rekey(call.operator(), certificate.issuer(), certificate.serial(), csr(body),
                proof(body)));
    }

    /** {@code replace}: {@code {csr, reason?}}. */
    void replace(ApiCall call) {
        CertificateRecord certificate = finder.find(call, call.param("serial"));
        JsonNode body = call.body();
        JsonCodec.rejectUnknown(body, REPLACE_FIELDS, "");
        created(call, lifecycle.replace(call.operator(), certificate.issuer(), certificate.serial(), csr(body),
                JsonCodec.text(body, "reason")));
    }

    /** {@code modify}: an application as for {@code POST /requests} (profile and subscriberId default to the certificate's). */
    void modify(ApiCall call) {
        CertificateRecord certificate = finder.find(call, call.param("serial"));
        JsonNode body = call.body();
        created(call, lifecycle.modify(call.operator(), certificate.issuer(), certificate.serial(),
                Submissions.parse(body)));
    }

    private void created(ApiCall call, EnrollmentRequest created) {
        call.created(RequestResource.location(created), requests.view(created, call.operator()));
    }

    private static byte[] csr(JsonNode body) {
        String csr = JsonCodec.text(body, "csr");
        if (csr == null) {
            throw DomainException.badRequest("csr", "csr (a PKCS#10 request, PEM or base64 DER) is required");
        }
        return JsonCodec.pemOrBase64(csr, "csr");
    }

    private static byte[] proof(JsonNode body) {
        String proof = JsonCodec.text(body, "proof");
        if (proof == null) {
            throw DomainException.badRequest("proof", "proof is required: a CMS SignedData (base64 DER or PEM) over "
                    + "the new request's DER, signed with the key of the certificate being rekeyed");
        }
        return JsonCodec.pemOrBase64(proof, "proof");
    }
}
