package org.egovpki.core.ca;

import java.io.IOException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.asn1.x509.CertificatePair;

/**
 * How a CA's key changeovers are published on its directory entry (RFC 4523): each CA certificate
 * still in service as a {@code cACertificate} value, and each root changeover's link certificates
 * as one {@code crossCertificatePair}. Seen from the CA as it is now (its new key), NewWithOld is
 * issued <em>to</em> it, so it is the pair's {@code forward} element, and OldWithNew is issued
 * <em>by</em> it, the {@code reverse} element (X.509 §11.2.3).
 */
public final class CaKeyHistory {

    private CaKeyHistory() {
    }

    static List<byte[]> der(List<X509Certificate> certificates) {
        List<byte[]> der = new ArrayList<>(certificates.size());
        for (X509Certificate certificate : certificates) {
            der.add(encoded(certificate));
        }
        return der;
    }

    /** The DER CertificatePair {forward NewWithOld, reverse OldWithNew}. */
    static byte[] pair(X509Certificate newWithOld, X509Certificate oldWithNew) {
        try {
            return new CertificatePair(Certificate.getInstance(encoded(newWithOld)),
                    Certificate.getInstance(encoded(oldWithNew))).getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode a crossCertificatePair", e);
        }
    }

    /**
     * The link certificates in published {@code crossCertificatePair} values, forward then reverse
     * of each (for a root's changeover: NewWithOld, OldWithNew).
     *
     * @throws org.egovpki.core.DomainException INTERNAL if a value is not a CertificatePair
     */
    public static List<X509Certificate> linkCertificates(List<byte[]> pairs) {
        List<X509Certificate> links = new ArrayList<>();
        for (byte[] der : pairs) {
            try {
                CertificatePair pair = CertificatePair.getInstance(org.bouncycastle.asn1.ASN1Primitive.fromByteArray(der));
                for (Certificate certificate : new Certificate[] {pair.getForward(), pair.getReverse()}) {
                    if (certificate != null) {
                        links.add(org.egovpki.core.x509.Pem.parseCertificate(certificate.getEncoded(ASN1Encoding.DER)));
                    }
                }
            } catch (IOException | RuntimeException e) {
                throw org.egovpki.core.DomainException.internal("a published crossCertificatePair cannot be read", e);
            }
        }
        return links;
    }

    /**
     * Whether a published pair links {@code newer} and {@code older}: its forward certificate
     * certifies the newer key and is signed by the older, its reverse the other way round.
     */
    static boolean linked(List<byte[]> pairs, X509Certificate newer, X509Certificate older) {
        for (byte[] der : pairs) {
            List<X509Certificate> links = linkCertificates(List.of(der));
            if (links.size() == 2 && certifies(links.get(0), newer, older) && certifies(links.get(1), older, newer)) {
                return true;
            }
        }
        return false;
    }

    private static boolean certifies(X509Certificate link, X509Certificate subject, X509Certificate issuer) {
        if (!link.getPublicKey().equals(subject.getPublicKey())) {
            return false;
        }
        try {
            link.verify(issuer.getPublicKey(), org.egovpki.core.crypto.BouncyCastle.PROVIDER);
            return true;
        } catch (java.security.GeneralSecurityException e) {
            return false;
        }
    }

    private static byte[] encoded(X509Certificate certificate) {
        try {
            return certificate.getEncoded();
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("CA certificate " + certificate.getSubjectX500Principal()
                    + " cannot be encoded", e);
        }
    }
}
