package org.egovpki.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.egovpki.core.DomainException;
import org.egovpki.core.enroll.SecondFactorLogin;

/**
 * {@code /login}: the operators' two-factor login (docs/operations.md, "Two-factor login"). The
 * challenge needs the password (HTTP Basic); the login itself is an open route whose body carries the
 * proof — the nonce, bound to the operator who asked for it, signed with the bound certificate's key.
 * What is checked is {@link SecondFactorLogin}'s; the token is in the answer of the login and nowhere else.
 */
final class LoginResource {

    private static final Set<String> LOGIN = Set.of("nonce", "signature", "algorithm", "certificate");

    private final SecondFactorLogin login;

    /** @param login the two-factor login, {@code null} for a server built without it (tests) */
    LoginResource(SecondFactorLogin login) {
        this.login = login;
    }

    /** {@code POST /login/challenge}: a nonce for the logged-in operator to sign. */
    void challenge(ApiCall call) {
        JsonCodec.rejectUnknown(call.body(), Set.of(), "");
        SecondFactorLogin.Challenge challenge = login().challenge(call.operator());
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("uid", challenge.uid());
        answer.put("nonce", challenge.nonce());
        answer.put("expiresAt", challenge.expiresAt().toString());
        answer.put("sign", "egov-pki operator login\\n" + challenge.uid() + "\\n" + challenge.nonce());
        answer.put("algorithms", SecondFactorLogin.ALGORITHMS);
        call.json(200, answer);
    }

    /** {@code POST /login}: the signed nonce and the certificate; answers the session token. */
    void login(ApiCall call) {
        JsonNode body = call.body();
        JsonCodec.rejectUnknown(body, LOGIN, "");
        String nonce = JsonCodec.text(body, "nonce");
        String signature = JsonCodec.text(body, "signature");
        String certificate = JsonCodec.text(body, "certificate");
        if (signature == null) {
            throw DomainException.badRequest("signature", "signature is required: base64 of the signature of the "
                    + "challenge");
        }
        if (certificate == null) {
            throw DomainException.badRequest("certificate", "certificate is required: the operator certificate, PEM "
                    + "or base64 DER");
        }
        byte[] signatureBytes;
        try {
            signatureBytes = Base64.getMimeDecoder().decode(signature);
        } catch (IllegalArgumentException e) {
            throw DomainException.badRequest("signature", "signature is not base64");
        }
        SecondFactorLogin.Session session = login().login(nonce, JsonCodec.text(body, "algorithm"), signatureBytes,
                certificateDer(certificate));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("uid", session.operator().uid());
        answer.put("token", session.token());
        answer.put("tokenType", "Bearer");
        answer.put("expiresAt", session.expiresAt().toString());
        answer.put("certificate", session.certificateId());
        call.json(200, answer);
    }

    /** A certificate given as PEM or as base64 DER, as DER; refused naming the field {@code certificate}. */
    static byte[] certificateDer(String value) {
        String base64 = value;
        int begin = value.indexOf("-----BEGIN CERTIFICATE-----");
        if (begin >= 0) {
            int end = value.indexOf("-----END CERTIFICATE-----", begin);
            if (end < 0) {
                throw DomainException.badRequest("certificate", "certificate: the PEM has no END CERTIFICATE line");
            }
            base64 = value.substring(begin + "-----BEGIN CERTIFICATE-----".length(), end);
        }
        try {
            return Base64.getMimeDecoder().decode(base64.trim());
        } catch (IllegalArgumentException e) {
            throw DomainException.badRequest("certificate", "certificate must be PEM or base64-encoded DER");
        }
    }

    private SecondFactorLogin login() {
        if (login == null) {
            throw DomainException.unavailable("two-factor login is not available on this server", null);
        }
        return login;
    }
}
