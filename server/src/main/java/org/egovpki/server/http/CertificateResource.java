package org.egovpki.server.http;

import java.util.Map;
import org.egovpki.core.certificate.CertificateQuery;
import org.egovpki.core.certificate.CertificateRecord;
import org.egovpki.core.certificate.CertificateStatus;
import org.egovpki.core.certificate.VisibleCertificates;

/** {@code /certificates}: search the records, and one record as JSON or the certificate as a file. */
final class CertificateResource {

    private final VisibleCertificates certificates;
    private final CertificateFiles files;

    /** @param certificates the records as the calling operator may see them (an application admin: its business types) */
    CertificateResource(VisibleCertificates certificates, CertificateFiles files) {
        this.certificates = certificates;
        this.files = files;
    }

    /** {@code GET /certificates?serial=&subject=&subscriber=&status=&limit=}. */
    void search(ApiCall call) {
        CertificateQuery q = new CertificateQuery(JsonCodec.serialHex(call.query("serial")), call.query("subject"),
                call.query("subscriber"), QueryParams.enumParam(call, "status", CertificateStatus.class, null),
                QueryParams.intParam(call, "limit", 100, 1, 1000));
        call.json(200, Map.of("certificates", certificates.search(call.operator(), q).stream()
                .map(CertificateView::of).toList()));
    }

    /** {@code GET /certificates/{serial}[.der|.pem|.p7b]?issuer=}. */
    void get(ApiCall call) {
        String serial = call.param("serial");
        int dot = serial.indexOf('.');
        CertificateRecord record = CertificateFinder.find(call, dot < 0 ? serial : serial.substring(0, dot),
                q -> certificates.search(call.operator(), q));
        if (dot < 0) {
            call.json(200, CertificateView.of(record));
        } else {
            CertificateFiles.File file = files.of(record, serial.substring(dot));
            call.bytes(200, file.contentType(), file.content());
        }
    }
}
