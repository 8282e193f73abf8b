package org.egovpki.server.http;

import java.util.List;
import org.egovpki.core.DomainException;
import org.egovpki.core.certificate.CertificateLookup;
import org.egovpki.core.certificate.CertificateQuery;
import org.egovpki.core.certificate.CertificateRecord;

/**
 * The certificate a path names by serial, for every {@code /certificates/{serial}...} route: the
 * {@code issuer} query parameter picks one when several CAs used the serial.
 */
final class CertificateFinder {

    private final CertificateLookup certificates;

    CertificateFinder(CertificateLookup certificates) {
        this.certificates = certificates;
    }

    /** The one certificate with the {@code serial} path parameter (from {@code ?issuer=}, when given). */
    CertificateRecord find(ApiCall call, String serialHex) {
        return find(call, serialHex, certificates);
    }

    /**
     * The same, among the records {@code certificates} finds: for {@code GET /certificates/{serial}},
     * the records the caller may see, so one out of an application admin's scope is not found, with the
     * very message of a serial never issued.
     */
    static CertificateRecord find(ApiCall call, String serialHex, CertificateLookup certificates) {
        String issuer = call.query("issuer");
        List<CertificateRecord> found = certificates.search(new CertificateQuery(JsonCodec.serialHex(serialHex), null,
                null, null, 10)).stream().filter(r -> issuer == null || r.issuer().equals(issuer)).toList();
        if (found.isEmpty()) {
            throw DomainException.notFound("no certificate with serial " + serialHex
                    + (issuer == null ? "" : " from CA " + issuer));
        }
        if (found.size() > 1) {
            throw DomainException.conflict("serial " + serialHex + " was issued by several CAs "
                    + found.stream().map(CertificateRecord::issuer).toList() + "; add ?issuer=<name>");
        }
        return found.get(0);
    }
}
