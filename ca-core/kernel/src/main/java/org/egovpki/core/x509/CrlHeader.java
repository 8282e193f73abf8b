package org.egovpki.core.x509;

import java.io.IOException;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.Time;

/**
 * What a CRL says about itself — issuer, thisUpdate, nextUpdate, CRL number, delta base, how many
 * entries — read from its DER without decoding its revoked entries. Parsing a million-entry CRL with the JDK or Bouncy Castle
 * builds an object per entry (hundreds of MiB); the directory only needs these four fields to
 * file, mirror and number a CRL, so it walks the TBSCertList's tag-length headers and counts the
 * revoked entries by their headers alone (RFC 5280 §5.1). The signature is not checked here: callers read CRLs the
 * CA itself signed and stored.
 *
 * @param issuer     the issuer name
 * @param thisUpdate the thisUpdate time
 * @param nextUpdate the nextUpdate time, {@code null} when absent
 * @param crlNumber  the cRLNumber extension, {@code null} when absent
 * @param baseCrlNumber the deltaCRLIndicator's base CRL number: {@code null} for a full CRL
 * @param entries    how many revoked certificates it lists
 */
public record CrlHeader(X500Principal issuer, Instant thisUpdate, Instant nextUpdate, BigInteger crlNumber,
                        BigInteger baseCrlNumber, int entries) {

    public CrlHeader {
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(thisUpdate, "thisUpdate");
    }

    /**
     * Reads the header of a DER CertificateList.
     *
     * @throws IllegalArgumentException if {@code der} is not one
     */
    public static CrlHeader of(byte[] der) {
        Objects.requireNonNull(der, "der");
        try {
            DerTlv certificateList = DerTlv.at(der, 0, der.length, Der.SEQUENCE);
            DerTlv tbs = DerTlv.at(der, certificateList.contentStart(), certificateList.end(), Der.SEQUENCE);
            int at = tbs.contentStart();
            DerTlv next = DerTlv.at(der, at, tbs.end(), -1);
            if (next.tag() == Der.INTEGER) { // version v2
                next = DerTlv.at(der, next.end(), tbs.end(), -1);
            }
            DerTlv signature = next; // AlgorithmIdentifier
            if (signature.tag() != Der.SEQUENCE) {
                throw new IllegalArgumentException("no signature algorithm in the TBSCertList");
            }
            DerTlv issuer = DerTlv.at(der, signature.end(), tbs.end(), Der.SEQUENCE);
            DerTlv thisUpdate = DerTlv.at(der, issuer.end(), tbs.end(), -1);
            Instant nextUpdate = null;
            Extensions extensions = null;
            int entries = 0;
            at = thisUpdate.end();
            while (at < tbs.end()) {
                DerTlv field = DerTlv.at(der, at, tbs.end(), -1);
                if ((field.tag() == Der.UTC_TIME || field.tag() == Der.GENERALIZED_TIME) && nextUpdate == null
                        && entries == 0 && extensions == null) {
                    nextUpdate = time(der, field);
                } else if (field.tag() == Der.SEQUENCE && extensions == null) {
                    // The revoked certificates: counted by their headers, never decoded.
                    for (int entry = field.contentStart(); entry < field.end(); entries++) {
                        entry = DerTlv.at(der, entry, field.end(), Der.SEQUENCE).end();
                    }
                } else if (field.tag() == Der.CONTEXT_0_CONSTRUCTED) {
                    extensions = extensions(Arrays.copyOfRange(der, field.start(), field.end()));
                }
                at = field.end();
            }
            return new CrlHeader(new X500Principal(Arrays.copyOfRange(der, issuer.start(), issuer.end())),
                    time(der, thisUpdate), nextUpdate, integer(extensions, Extension.cRLNumber),
                    integer(extensions, Extension.deltaCRLIndicator), entries);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not a DER CRL: " + e.getMessage(), e);
        }
    }

    private static Instant time(byte[] der, DerTlv field) throws IOException {
        if (field.tag() != Der.UTC_TIME && field.tag() != Der.GENERALIZED_TIME) {
            throw new IllegalArgumentException("a time was expected, found tag 0x" + Integer.toHexString(field.tag()));
        }
        return Time.getInstance(ASN1Primitive.fromByteArray(Arrays.copyOfRange(der, field.start(), field.end())))
                .getDate().toInstant();
    }

    private static Extensions extensions(byte[] explicitExtensions) throws IOException {
        return Extensions.getInstance(ASN1TaggedObject.getInstance(ASN1Primitive.fromByteArray(explicitExtensions)),
                true);
    }

    private static BigInteger integer(Extensions extensions, org.bouncycastle.asn1.ASN1ObjectIdentifier oid) {
        Extension extension = extensions == null ? null : extensions.getExtension(oid);
        return extension == null ? null : ASN1Integer.getInstance(extension.getParsedValue()).getValue();
    }
}
