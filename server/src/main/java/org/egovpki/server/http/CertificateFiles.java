package org.egovpki.server.http;

import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.egovpki.core.ca.CaRegistry;
import org.egovpki.core.ca.CertificateAuthority;
import org.egovpki.core.certificate.CertificateRecord;
import org.egovpki.core.x509.Pem;
import org.egovpki.core.x509.Pkcs7;

/**
 * A certificate as a file: DER, PEM, or a PKCS#7 certs-only bundle of the certificate followed by
 * its CA's chain (as far as the registry knows the CA).
 */
public final class CertificateFiles {

    /** A file's content type and bytes. */
    public record File(String contentType, byte[] content) {
    }

    private final CaRegistry cas;

    public CertificateFiles(CaRegistry cas) {
        this.cas = cas;
    }

    /** @param format {@code .der}, {@code .pem} or {@code .p7b} */
    public File of(CertificateRecord record, String format) {
        X509Certificate certificate = Pem.parseCertificate(record.certificateDer());
        return switch (format) {
            case ".der" -> new File("application/pkix-cert", record.certificateDer());
            case ".pem" -> new File("application/x-pem-file",
                    Pem.certificate(certificate).getBytes(StandardCharsets.US_ASCII));
            case ".p7b" -> new File("application/pkcs7-mime", Pkcs7.certificatesOnly(chain(record, certificate)));
            default -> throw new IllegalArgumentException("not a certificate file format: " + format);
        };
    }

    private List<X509Certificate> chain(CertificateRecord record, X509Certificate certificate) {
        List<X509Certificate> chain = new ArrayList<>();
        chain.add(certificate);
        cas.find(record.issuer()).map(CertificateAuthority::chain).ifPresent(chain::addAll);
        return chain;
    }
}
