package org.egovpki.core.certificate;

import java.util.List;
import org.egovpki.core.x509.StoreKeys;

/**
 * The read-only view the public RFC 4387 certificate store answers from: end-entity certificates
 * exactly as the directory publishes them to anonymous readers — on the entries of subscribers who
 * did not opt out of publication, and only while published (revocation takes a certificate off).
 * Never a certificate record, never registration data.
 */
public interface PublishedCertificates {

    /**
     * The published certificates whose key of kind {@code key} is {@code value}, looked up by an
     * index, at most {@code limit} of them.
     *
     * @param value normalised as {@link StoreKeys} stores it: the padded base64 hash, or lower-case text
     */
    Found find(StoreKeys.Key key, String value, int limit);

    /**
     * @param certificates the DER certificates found, in directory order
     * @param truncated    whether more matched than the limit let through
     */
    record Found(List<byte[]> certificates, boolean truncated) {
        public Found {
            certificates = certificates.stream().map(byte[]::clone).toList();
        }
    }
}
