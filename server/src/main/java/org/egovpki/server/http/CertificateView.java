package org.egovpki.server.http;

import java.util.LinkedHashMap;
import java.util.Map;
import org.egovpki.core.certificate.CertificateRecord;
import org.egovpki.core.certificate.Revocation;

/** The JSON shapes of a certificate record and of its revocation, with links to the certificate's files. */
final class CertificateView {

    private CertificateView() {
    }

    static Map<String, Object> of(CertificateRecord r) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("issuer", r.issuer());
        v.put("serial", r.serialHex());
        v.put("subjectDn", r.subjectDn());
        v.put("subscriberId", r.subscriberId());
        v.put("profile", r.profile());
        v.put("type", r.type().name());
        v.put("keyUsage", r.kind().name());
        v.put("status", r.status().name());
        v.put("notBefore", str(r.notBefore()));
        v.put("notAfter", str(r.notAfter()));
        v.put("sha256", r.sha256());
        v.put("requestId", r.requestId());
        if (r.revocation() != null) {
            v.put("revocation", revocation(r.revocation()));
        }
        String base = ApiHandler.PREFIX + "/certificates/" + r.serialHex();
        v.put("der", base + ".der?issuer=" + r.issuer());
        v.put("pem", base + ".pem?issuer=" + r.issuer());
        v.put("pkcs7", base + ".p7b?issuer=" + r.issuer());
        return v;
    }

    /** What a subscriber channel answers: the certificate's identity, status and revocation only. */
    static Map<String, Object> revoked(CertificateRecord revoked) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("issuer", revoked.issuer());
        v.put("serial", revoked.serialHex());
        v.put("status", revoked.status().name());
        v.put("revocation", revocation(revoked.revocation()));
        return v;
    }

    /** The revocation facts added to a certificate's JSON view. */
    static Map<String, Object> revocation(Revocation r) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("revokedAt", r.time().toString());
        v.put("cause", r.reason().name());
        v.put("reason", r.reason().rfc5280Name());
        v.put("reasonCode", r.reason().rfc5280Code());
        v.put("invalidityDate", r.invalidityDate() == null ? null : r.invalidityDate().toString());
        v.put("revokedBy", r.revokedBy());
        v.put("channel", r.channel().name());
        return v;
    }

    private static String str(Object o) {
        return o == null ? null : o.toString();
    }
}
