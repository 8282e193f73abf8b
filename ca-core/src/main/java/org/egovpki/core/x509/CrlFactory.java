package org.egovpki.core.x509;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.cert.CRLException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Date;
import java.util.Objects;

import org.bouncycastle.asn1.ASN1GeneralizedTime;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.egovpki.core.crypto.BouncyCastle;
import org.egovpki.core.crypto.CaSigner;

/**
 * Builds and signs full CRLs in the GM/T 0015 / RFC 5280 profile.
 *
 * <p>Every CRL it returns is v2, names the issuer exactly as the issuer certificate's subject
 * (byte for byte, so name matching never fails on string types), carries a non-critical
 * CRLNumber and AuthorityKeyIdentifier (the issuer's SKI), gives each entry its reasonCode and
 * invalidityDate when known, is signed with the CA key's algorithm and verified under the
 * issuer certificate's key before it is returned. No critical extension is added: the critical
 * issuingDistributionPoint belongs to partitioned CRLs, which come later, as do delta CRLs.
 *
 * <p>Thread-safe: it holds only the clock.
 */
public final class CrlFactory {

    private final Clock clock;

    public CrlFactory(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Signs a CRL for {@code issuerCert} with {@code signer}.
     *
     * @throws IllegalArgumentException if the signer does not hold the issuer certificate's key or
     *     the issuer certificate may not sign CRLs
     */
    public X509CRL build(CrlRequest request, X509Certificate issuerCert, CaSigner signer) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(issuerCert, "issuerCert");
        Objects.requireNonNull(signer, "signer");
        requireCrlIssuer(issuerCert, signer);
        Instant thisUpdate = (request.thisUpdate() == null ? clock.instant() : request.thisUpdate())
                .truncatedTo(ChronoUnit.SECONDS);
        Instant nextUpdate = thisUpdate.plus(request.nextUpdateAfter());
        X500Name issuer = X500Name.getInstance(issuerCert.getSubjectX500Principal().getEncoded());

        X509v2CRLBuilder builder = new X509v2CRLBuilder(issuer, Date.from(thisUpdate));
        builder.setNextUpdate(Date.from(nextUpdate));
        try {
            for (RevokedEntry entry : request.entries()) {
                builder.addCRLEntry(entry.serial(), Date.from(entry.revocationDate().truncatedTo(ChronoUnit.SECONDS)),
                        entryExtensions(entry));
            }
            builder.addExtension(Extension.cRLNumber, false, new CRLNumber(request.crlNumber()));
            builder.addExtension(Extension.authorityKeyIdentifier, false,
                    new AuthorityKeyIdentifier(KeyIdentifiers.ofIssuer(issuerCert)));
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode CRL " + request.crlNumber() + " of "
                    + issuerCert.getSubjectX500Principal() + ": " + e.getMessage(), e);
        }
        X509CRLHolder holder = builder.build(signer.contentSigner());
        return verified(holder, issuerCert, request);
    }

    private static Extensions entryExtensions(RevokedEntry entry) throws IOException {
        ExtensionsGenerator extensions = new ExtensionsGenerator();
        Integer reason = entry.reasonCode();
        // RFC 5280 §5.3.1: unspecified (0) SHOULD be expressed by leaving reasonCode out.
        if (reason != null && reason != CRLReason.unspecified) {
            extensions.addExtension(Extension.reasonCode, false, CRLReason.lookup(reason));
        }
        if (entry.invalidityDate() != null) {
            extensions.addExtension(Extension.invalidityDate, false,
                    new ASN1GeneralizedTime(Date.from(entry.invalidityDate().truncatedTo(ChronoUnit.SECONDS))));
        }
        return extensions.isEmpty() ? null : extensions.generate();
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

    private static X509CRL verified(X509CRLHolder holder, X509Certificate issuerCert, CrlRequest request) {
        try {
            X509CRL crl = new JcaX509CRLConverter().setProvider(BouncyCastle.PROVIDER).getCRL(holder);
            crl.verify(issuerCert.getPublicKey(), BouncyCastle.PROVIDER);
            return crl;
        } catch (CRLException e) {
            throw new IllegalStateException("Bouncy Castle produced an unreadable CRL " + request.crlNumber() + ": "
                    + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("CRL " + request.crlNumber() + " of " + issuerCert.getSubjectX500Principal()
                    + " does not verify under the issuer's key; the signer is broken: " + e.getMessage(), e);
        }
    }
}
