package org.egovpki.core.x509;

import java.io.IOException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.List;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSAbsentContent;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedDataGenerator;

/** A "certs-only" PKCS#7 (CMS SignedData with no signers), the usual way to hand out a chain. */
public final class Pkcs7 {

    private Pkcs7() {
    }

    /** @param chain leaf first, then its issuers */
    public static byte[] certificatesOnly(List<X509Certificate> chain) {
        try {
            CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
            generator.addCertificates(new JcaCertStore(chain));
            return generator.generate(new CMSAbsentContent()).getEncoded("DER");
        } catch (CertificateEncodingException | CMSException | IOException e) {
            throw new IllegalStateException("cannot encode a PKCS#7 certificate chain: " + e.getMessage(), e);
        }
    }
}
