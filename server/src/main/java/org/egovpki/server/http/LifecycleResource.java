package org.egovpki.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Set;
import java.util.regex.Pattern;
import org.egovpki.core.DomainException;
import org.egovpki.core.certificate.CertificateRecord;
import org.egovpki.core.enroll.EnrollmentRequest;
import org.egovpki.core.enroll.LifecycleService;
import org.egovpki.core.enroll.Operator;

/**
 * The lifecycle part of {@code /api/v1}: {@code POST /certificates/{serial}/renew|rekey|modify|replace}
 * ({@code ?issuer=} when two CAs used the serial). The certificate is the CA's record that
 * {@link ApiHandler} found for the serial; the body carries only the new request. Every call
 * answers with the new request (201): ISSUED for renew, rekey and replace, SUBMITTED for modify
 * (it waits for a reviewer like an application).
 */
final class LifecycleApi {

    /** Matches the route; group 1 is the serial, group 2 the operation. */
    static final Pattern ROUTE = Pattern.compile("/certificates/([0-9a-fA-F]{1,40})/(renew|rekey|modify|replace)");

    private static final Set<String> RENEW_FIELDS = Set.of("csr");
    private static final Set<String> REKEY_FIELDS = Set.of("csr", "proof");
    private static final Set<String> REPLACE_FIELDS = Set.of("csr", "reason");

    private final LifecycleService lifecycle;

    LifecycleApi(LifecycleService lifecycle) {
        this.lifecycle = lifecycle;
    }

    /**
     * Runs {@code operation} on {@code certificate}.
     *
     * @param body {@code renew}: {@code {csr}}; {@code rekey}: {@code {csr, proof}}; {@code replace}:
     *             {@code {csr, reason?}}; {@code modify}: an application as for {@code POST /requests}
     *             (profile and subscriberId default to the certificate's)
     */
    EnrollmentRequest handle(Operator operator, String operation, CertificateRecord certificate, JsonNode body) {
        if (!body.isObject()) {
            throw DomainException.badRequest(null, "the body must be a JSON object");
        }
        String issuer = certificate.issuer();
        return switch (operation) {
            case "renew" -> {
                ApiHandler.rejectUnknown(body, RENEW_FIELDS, "");
                yield lifecycle.renew(operator, issuer, certificate.serial(), csr(body));
            }
            case "rekey" -> {
                ApiHandler.rejectUnknown(body, REKEY_FIELDS, "");
                yield lifecycle.rekey(operator, issuer, certificate.serial(), csr(body), proof(body));
            }
            case "replace" -> {
                ApiHandler.rejectUnknown(body, REPLACE_FIELDS, "");
                yield lifecycle.replace(operator, issuer, certificate.serial(), csr(body), ApiHandler.text(body, "reason"));
            }
            case "modify" -> lifecycle.modify(operator, issuer, certificate.serial(), ApiHandler.submission(body));
            default -> throw new IllegalArgumentException("not a lifecycle operation: " + operation);
        };
    }

    private static byte[] csr(JsonNode body) {
        String csr = ApiHandler.text(body, "csr");
        if (csr == null) {
            throw DomainException.badRequest("csr", "csr (a PKCS#10 request, PEM or base64 DER) is required");
        }
        return ApiHandler.csr(csr);
    }

    /** PEM text as is; otherwise base64 of DER. */
    private static byte[] proof(JsonNode body) {
        String proof = ApiHandler.text(body, "proof");
        if (proof == null) {
            throw DomainException.badRequest("proof", "proof is required: a CMS SignedData (base64 DER or PEM) over "
                    + "the new request's DER, signed with the key of the certificate being rekeyed");
        }
        if (proof.contains("-----BEGIN")) {
            return proof.getBytes(StandardCharsets.US_ASCII);
        }
        try {
            return Base64.getMimeDecoder().decode(proof);
        } catch (IllegalArgumentException e) {
            throw DomainException.badRequest("proof", "proof must be PEM or base64-encoded DER");
        }
    }
}
