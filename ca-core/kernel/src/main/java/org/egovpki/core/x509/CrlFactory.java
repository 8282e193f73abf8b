package org.egovpki.core.x509;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Object;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.operator.ContentSigner;
import org.egovpki.core.crypto.BouncyCastle;
import org.egovpki.core.crypto.CaSigner;

/**
 * Builds and signs CRLs — full, delta and partitioned — in the GM/T 0015 / RFC 5280 profile,
 * streaming: entries are DER-encoded one by one as a {@link RevokedEntrySource} delivers them,
 * and never held as objects. A CRL of a million entries costs about twice its DER size in heap
 * while it is built (the entries' chunks and the final array), and once its DER size after.
 *
 * <p>Every CRL it returns is v2; names the issuer exactly as the issuer certificate's subject
 * (byte for byte, so name matching never fails on string types); uses UTCTime for dates through
 * 2049 and GeneralizedTime from 2050 (RFC 5280 §5.1.2.4-6); carries the non-critical CRLNumber and
 * AuthorityKeyIdentifier (the issuer's SKI), and as requested the critical DeltaCRLIndicator, the
 * critical issuingDistributionPoint and the non-critical FreshestCRL (see {@link CrlRequest});
 * omits revokedCertificates when there are none; gives each entry its reasonCode (not for
 * unspecified) and invalidityDate when known; and is signed with the CA key's algorithm.
 *
 * <p>How: the TBSCertList is assembled from a small prefix (version, signature algorithm,
 * issuer, dates), the entries' DER ({@link RevokedEntryEncoder}) and the extensions, with every
 * length computed from the parts, so nothing is re-encoded. The TBS bytes are streamed into the
 * signer, and the CertificateList is then written into one array of exactly its size.
 *
 * <p>Checks before anything is returned: the source's serials are distinct — always, because a
 * paged directory search can return an entry twice when the directory changes under it, even
 * though (issuer, serial) is the directory key; the check costs 8 bytes per entry, see
 * {@link RevokedEntryEncoder}. And the signature verifies over the final TBS bytes under the issuer
 * certificate's key, with {@link java.security.Signature} from Bouncy Castle (for SM2, SM3withSM2
 * with the GM/T 0009 default user ID {@code 1234567812345678}, as {@link CaSigner} signs). The
 * result is not parsed back into an {@code X509CRL}: that would cost several times the CRL in
 * objects; the tests do it.
 *
 * <p>Thread-safe: it holds only the clock.
 */
public final class CrlFactory {

    /** {@code version INTEGER v2(1)}. */
    private static final byte[] VERSION_2 = {Der.INTEGER, 0x01, 0x01};

    private final Clock clock;

    public CrlFactory(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Signs a CRL for {@code issuerCert} with {@code signer}, reading {@code entries} once.
     *
     * @throws IllegalArgumentException if the signer does not hold the issuer certificate's key, the
     *     issuer certificate may not sign CRLs, a serial is delivered twice, or an entry cannot be in
     *     this CRL (removeFromCRL in a full CRL)
     * @throws IllegalStateException if the signature does not verify (a broken signer) or the CRL
     *     would not fit one array (2 GiB)
     */
    public EncodedCrl build(CrlRequest request, RevokedEntrySource entries, X509Certificate issuerCert,
                            CaSigner signer) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(entries, "entries");
        Objects.requireNonNull(issuerCert, "issuerCert");
        Objects.requireNonNull(signer, "signer");
        requireCrlIssuer(issuerCert, signer);
        Instant thisUpdate = (request.thisUpdate() == null ? clock.instant() : request.thisUpdate())
                .truncatedTo(ChronoUnit.SECONDS);
        Instant nextUpdate = thisUpdate.plus(request.nextUpdateAfter()).truncatedTo(ChronoUnit.SECONDS);
        ContentSigner contentSigner = signer.contentSigner();
        byte[] algorithm = encode(contentSigner.getAlgorithmIdentifier(), request);

        RevokedEntryEncoder revoked = new RevokedEntryEncoder(request.crlNumber(), request.isDelta());
        try {
            entries.forEach(revoked);
        } finally {
            revoked.close();
        }
        revoked.requireDistinctSerials();

        byte[] prefix = tbsPrefix(algorithm, issuerCert, thisUpdate, nextUpdate);
        byte[] extensions = crlExtensions(request, issuerCert);
        byte[] revokedHeader = revoked.count() == 0 ? new byte[0] : Der.header(Der.SEQUENCE, revoked.size());
        long tbsContent = prefix.length + revokedHeader.length + revoked.size() + extensions.length;
        byte[] tbsHeader = Der.header(Der.SEQUENCE, tbsContent);
        long tbsLength = tbsHeader.length + tbsContent;

        byte[] signature = sign(contentSigner, request, tbsHeader, prefix, revokedHeader, revoked, extensions);
        byte[] signatureHeader = Der.header(Der.BIT_STRING, signature.length + 1L);
        long certificateListContent = tbsLength + algorithm.length + signatureHeader.length + 1 + signature.length;
        byte[] outerHeader = Der.header(Der.SEQUENCE, certificateListContent);
        long total = outerHeader.length + certificateListContent;
        if (total > ChunkedBytes.MAX_SIZE) {
            throw new IllegalStateException("CRL " + request.crlNumber() + " would be " + total
                    + " bytes, more than one DER array can hold; partition it (issuing distribution points)");
        }

        byte[] der = new byte[(int) total];
        int p = put(outerHeader, der, 0);
        int tbsOffset = p;
        p = put(tbsHeader, der, p);
        p = put(prefix, der, p);
        p = put(revokedHeader, der, p);
        p = revoked.copyTo(der, p);
        int entryCount = revoked.count();
        revoked = null; // the chunks may go before the signature check: peak heap is twice the CRL, not three times
        p = put(extensions, der, p);
        p = put(algorithm, der, p);
        p = put(signatureHeader, der, p);
        der[p++] = 0; // no unused bits
        p = put(signature, der, p);
        if (p != der.length) {
            throw new IllegalStateException("CRL encoder miscounted: wrote " + p + " of " + der.length + " bytes");
        }
        requireVerifies(der, tbsOffset, (int) tbsLength, signature, issuerCert, signer, request);
        // Handed over, not copied: the CRL exists once from here to the directory (see EncodedCrl).
        return EncodedCrl.adopt(request.crlNumber(), request.baseCrlNumber(), thisUpdate, nextUpdate, entryCount, der);
    }

    /** version, signature, issuer, thisUpdate, nextUpdate: everything in the TBS before the entries. */
    private static byte[] tbsPrefix(byte[] algorithm, X509Certificate issuerCert, Instant thisUpdate,
                                    Instant nextUpdate) {
        byte[] issuer = issuerCert.getSubjectX500Principal().getEncoded();
        byte[] times = new byte[2 * (2 + Der.GENERALIZED_TIME_LENGTH)];
        int timesLength = Der.time(nextUpdate, times, Der.time(thisUpdate, times, 0));
        ByteArrayOutputStream prefix = new ByteArrayOutputStream();
        prefix.writeBytes(VERSION_2);
        prefix.writeBytes(algorithm);
        prefix.writeBytes(issuer);
        prefix.write(times, 0, timesLength);
        return prefix.toByteArray();
    }

    /** {@code [0] EXPLICIT Extensions}, encoded by Bouncy Castle. */
    private static byte[] crlExtensions(CrlRequest request, X509Certificate issuerCert) {
        ExtensionsGenerator extensions = new ExtensionsGenerator();
        try {
            extensions.addExtension(Extension.cRLNumber, false, new CRLNumber(request.crlNumber()));
            extensions.addExtension(Extension.authorityKeyIdentifier, false,
                    new AuthorityKeyIdentifier(KeyIdentifiers.ofIssuer(issuerCert)));
            if (request.isDelta()) {
                extensions.addExtension(Extension.deltaCRLIndicator, true, new CRLNumber(request.baseCrlNumber()));
            }
            if (request.partition() != null) {
                extensions.addExtension(Extension.issuingDistributionPoint, true,
                        request.partition().toExtensionValue());
            }
            if (!request.freshestCrlUrls().isEmpty()) {
                extensions.addExtension(Extension.freshestCRL, false, freshestCrl(request.freshestCrlUrls()));
            }
            byte[] encoded = extensions.generate().getEncoded(ASN1Encoding.DER);
            ByteArrayOutputStream explicit = new ByteArrayOutputStream();
            explicit.writeBytes(Der.header(Der.CONTEXT_0_CONSTRUCTED, encoded.length));
            explicit.writeBytes(encoded);
            return explicit.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode the extensions of CRL " + request.crlNumber() + ": "
                    + e.getMessage(), e);
        }
    }

    /** One distribution point whose fullName lists every URI, as in the certificates' cRLDistributionPoints. */
    private static CRLDistPoint freshestCrl(List<String> urls) {
        GeneralName[] names = urls.stream()
                .map(url -> new GeneralName(GeneralName.uniformResourceIdentifier, url))
                .toArray(GeneralName[]::new);
        DistributionPointName name = new DistributionPointName(DistributionPointName.FULL_NAME, new GeneralNames(names));
        return new CRLDistPoint(new DistributionPoint[] {new DistributionPoint(name, null, null)});
    }

    private static byte[] sign(ContentSigner contentSigner, CrlRequest request, byte[] tbsHeader, byte[] prefix,
                               byte[] revokedHeader, RevokedEntryEncoder revoked, byte[] extensions) {
        try {
            OutputStream tbs = contentSigner.getOutputStream();
            tbs.write(tbsHeader);
            tbs.write(prefix);
            tbs.write(revokedHeader);
            revoked.writeTo(tbs);
            tbs.write(extensions);
            tbs.close();
            return contentSigner.getSignature();
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("signing CRL " + request.crlNumber() + " failed: " + e.getMessage(), e);
        }
    }

    private static void requireVerifies(byte[] der, int tbsOffset, int tbsLength, byte[] signature,
                                        X509Certificate issuerCert, CaSigner signer, CrlRequest request) {
        String algorithm = signer.algorithm().signatureAlgorithm();
        try {
            Signature verifier = Signature.getInstance(algorithm, BouncyCastle.PROVIDER);
            verifier.initVerify(issuerCert.getPublicKey());
            verifier.update(der, tbsOffset, tbsLength);
            if (verifier.verify(signature)) {
                return;
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot verify CRL " + request.crlNumber() + " of "
                    + issuerCert.getSubjectX500Principal() + " with " + algorithm + ": " + e.getMessage(), e);
        }
        throw new IllegalStateException("CRL " + request.crlNumber() + " of " + issuerCert.getSubjectX500Principal()
                + " does not verify under the issuer's key (" + algorithm + "); the signer is broken");
    }

    private static void requireCrlIssuer(X509Certificate issuerCert, CaSigner signer) {
        if (!Arrays.equals(issuerCert.getPublicKey().getEncoded(), signer.publicKey().getEncoded())) {
            throw new IllegalArgumentException("the CRL signer (" + signer + ") does not hold the key of issuer certificate "
                    + issuerCert.getSubjectX500Principal() + "; pass the signer of that CA");
        }
        boolean[] keyUsage = issuerCert.getKeyUsage();
        if (keyUsage != null && !keyUsage[6]) {
            throw new IllegalArgumentException("issuer " + issuerCert.getSubjectX500Principal()
                    + " has no cRLSign key usage and cannot sign CRLs");
        }
    }

    private static byte[] encode(ASN1Object object, CrlRequest request) {
        try {
            return object.getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode the signature algorithm of CRL " + request.crlNumber()
                    + ": " + e.getMessage(), e);
        }
    }

    private static int put(byte[] source, byte[] destination, int position) {
        System.arraycopy(source, 0, destination, position, source.length);
        return position + source.length;
    }
}
