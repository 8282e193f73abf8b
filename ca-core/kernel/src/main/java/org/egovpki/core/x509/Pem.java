package org.egovpki.core.x509;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.CRLException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

import org.egovpki.core.crypto.BouncyCastle;

/**
 * PEM output and strict DER input for certificates and CRLs.
 *
 * <p>Parsing always goes through Bouncy Castle's certificate factory, because the JDK's returns
 * objects whose {@code verify()} cannot check SM3withSM2 signatures. Input must be exactly one
 * DER object: trailing bytes, PEM text or a non-DER (BER) encoding are refused, since the
 * directory stores and serves these bytes as they are.
 */
public final class Pem {

    private static final byte[] LINE_BREAK = {'\n'};

    private Pem() {
    }

    /** {@code -----BEGIN CERTIFICATE-----}, base64 in 64-column lines, a final newline. */
    public static String certificate(X509Certificate certificate) {
        Objects.requireNonNull(certificate, "certificate");
        try {
            return armour("CERTIFICATE", certificate.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("cannot encode certificate " + certificate.getSubjectX500Principal()
                    + ": " + e.getMessage(), e);
        }
    }

    /** {@code -----BEGIN X509 CRL-----}, base64 in 64-column lines, a final newline. */
    public static String crl(X509CRL crl) {
        Objects.requireNonNull(crl, "crl");
        try {
            return armour("X509 CRL", crl.getEncoded());
        } catch (CRLException e) {
            throw new IllegalStateException("cannot encode the CRL of " + crl.getIssuerX500Principal() + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * Parses one DER certificate with Bouncy Castle.
     *
     * @throws IllegalArgumentException if {@code der} is not exactly one DER-encoded certificate
     */
    public static X509Certificate parseCertificate(byte[] der) {
        Objects.requireNonNull(der, "der");
        X509Certificate certificate;
        byte[] reencoded;
        try {
            certificate = (X509Certificate) factory().generateCertificate(new ByteArrayInputStream(der));
            reencoded = certificate == null ? null : certificate.getEncoded();
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new IllegalArgumentException("not a DER-encoded X.509 certificate: " + e.getMessage(), e);
        }
        requireExactDer("certificate", der, reencoded);
        return certificate;
    }

    /**
     * Parses one DER CRL with Bouncy Castle.
     *
     * @throws IllegalArgumentException if {@code der} is not exactly one DER-encoded CRL
     */
    public static X509CRL parseCrl(byte[] der) {
        Objects.requireNonNull(der, "der");
        X509CRL crl;
        byte[] reencoded;
        try {
            crl = (X509CRL) factory().generateCRL(new ByteArrayInputStream(der));
            reencoded = crl == null ? null : crl.getEncoded();
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new IllegalArgumentException("not a DER-encoded X.509 CRL: " + e.getMessage(), e);
        }
        requireExactDer("CRL", der, reencoded);
        return crl;
    }

    private static CertificateFactory factory() throws GeneralSecurityException {
        return CertificateFactory.getInstance("X.509", BouncyCastle.PROVIDER);
    }

    private static void requireExactDer(String what, byte[] input, byte[] reencoded) {
        if (reencoded == null) {
            throw new IllegalArgumentException("no X.509 " + what + " in the " + input.length + " bytes given");
        }
        if (!Arrays.equals(input, reencoded)) {
            throw new IllegalArgumentException("the " + input.length + " bytes given are not exactly one DER-encoded "
                    + what + " (PEM text, trailing data or a non-DER encoding); pass the raw DER bytes");
        }
    }

    private static String armour(String label, byte[] der) {
        String body = new String(Base64.getMimeEncoder(64, LINE_BREAK).encode(der), StandardCharsets.US_ASCII);
        return "-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n";
    }
}
