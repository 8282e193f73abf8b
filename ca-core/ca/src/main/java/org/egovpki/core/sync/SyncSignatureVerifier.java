package org.egovpki.core.sync;

import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import javax.security.auth.x500.X500Principal;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.gm.GMObjectIdentifiers;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.egovpki.core.crypto.BouncyCastle;
import org.egovpki.core.crypto.KeyAlgorithm;

/**
 * Checks the signature of a sync message the way a receiver must (docs/sync.md, "Signature"):
 * a detached CMS SignedData (DER) with exactly one signer and no signed attributes, whose
 * signature is over exactly the body bytes; the signer certificate, carried in the CMS, issued by
 * the CA the caller trusts, valid at the time checked, with keyUsage digitalSignature and the
 * extendedKeyUsage {@link #SYNC_SIGNING_EKU}; SM3 with SM2 for an SM2 signer (Bouncy Castle's
 * {@code SM3withSM2} uses the GM/T 0009 default ID {@code 1234567812345678} when none is set,
 * which is the ID the signer uses), SHA-256 with RSA or ECDSA otherwise.
 *
 * <p>It never throws for a bad message: the {@link Result} says why it failed, in words a
 * receiver's operator can act on. Thread-safe; time comes from the injected clock.
 */
public final class SyncSignatureVerifier {

    /** id-egovpki-kp-syncSigning: the extendedKeyUsage of a sync-signing certificate. */
    public static final String SYNC_SIGNING_EKU = "2.25.181821722204100531762351466650690192293.9.1";

    private static final ASN1ObjectIdentifier SM3 = GMObjectIdentifiers.sm3;
    private static final ASN1ObjectIdentifier SHA256 = NISTObjectIdentifiers.id_sha256;
    private static final int DIGITAL_SIGNATURE = 0;

    private final Clock clock;

    public SyncSignatureVerifier(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * The outcome: {@code valid}, or the reason it is not. {@code signer} is the signer
     * certificate when the CMS named one that was found, else {@code null}.
     */
    public record Result(boolean valid, String reason, X509Certificate signer) {

        static Result ok(X509Certificate signer) {
            return new Result(true, null, signer);
        }

        static Result failed(String reason, X509Certificate signer) {
            return new Result(false, reason, signer);
        }
    }

    /**
     * Verifies {@code signature} over {@code body} at the clock's instant.
     *
     * @param caChain the CA the message claims to come from, then its issuers up to the root, as
     *                the receiver obtained them from the CA (the trust anchor is the last one)
     */
    public Result verify(byte[] body, byte[] signature, List<X509Certificate> caChain) {
        return verify(body, signature, caChain, clock.instant());
    }

    /** As {@link #verify(byte[], byte[], List)}, checking validity at {@code at}. */
    public Result verify(byte[] body, byte[] signature, List<X509Certificate> caChain, Instant at) {
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(caChain, "caChain");
        Objects.requireNonNull(at, "at");
        if (signature == null || signature.length == 0) {
            return Result.failed("the message has no signature", null);
        }
        if (caChain.isEmpty()) {
            return Result.failed("no CA certificate to verify the signer against", null);
        }
        String chainProblem = chainProblem(caChain, at);
        if (chainProblem != null) {
            return Result.failed(chainProblem, null);
        }
        CMSSignedData cms;
        try {
            CMSSignedData parsed = new CMSSignedData(signature);
            if (parsed.getSignedContent() != null) {
                return Result.failed("the CMS SignedData encapsulates its content; a sync signature is detached", null);
            }
            cms = new CMSSignedData(new CMSProcessableByteArray(body), signature);
        } catch (CMSException | RuntimeException e) {
            return Result.failed("the signature is not a DER CMS SignedData: " + e.getMessage(), null);
        }
        Collection<SignerInformation> signers = cms.getSignerInfos().getSigners();
        if (signers.size() != 1) {
            return Result.failed("the CMS has " + signers.size() + " signers; a sync signature has exactly one", null);
        }
        SignerInformation signer = signers.iterator().next();
        if (signer.getSignedAttributes() != null) {
            return Result.failed("the CMS signer has signed attributes; a sync signature is over the body bytes themselves",
                    null);
        }
        @SuppressWarnings("unchecked")
        Collection<X509CertificateHolder> matches = cms.getCertificates().getMatches(signer.getSID());
        if (matches.isEmpty()) {
            return Result.failed("the CMS does not carry the signer's certificate", null);
        }
        X509Certificate signerCertificate;
        try {
            signerCertificate = toX509(matches.iterator().next().getEncoded());
        } catch (java.io.IOException | CertificateException e) {
            return Result.failed("the signer certificate in the CMS cannot be read: " + e.getMessage(), null);
        }
        String certificateProblem = signerProblem(signerCertificate, caChain.get(0), at);
        if (certificateProblem != null) {
            return Result.failed(certificateProblem, signerCertificate);
        }
        String algorithmProblem = algorithmProblem(signer, signerCertificate);
        if (algorithmProblem != null) {
            return Result.failed(algorithmProblem, signerCertificate);
        }
        try {
            boolean ok = signer.verify(new JcaSimpleSignerInfoVerifierBuilder()
                    .setProvider(BouncyCastle.PROVIDER).build(signerCertificate));
            return ok ? Result.ok(signerCertificate)
                    : Result.failed("the signature does not match the body bytes (altered in transit, or signed "
                    + "with another key)", signerCertificate);
        } catch (CMSException | OperatorCreationException | RuntimeException e) {
            return Result.failed("the signature does not match the body bytes: " + e.getMessage(), signerCertificate);
        }
    }

    /**
     * The issuer named by the signer certificate a CMS carries, so a receiver can pick the CA
     * chain to verify against before it parses the body; empty if the CMS cannot be read or
     * names no certificate. Nothing is verified here.
     */
    public static Optional<X500Principal> signerIssuer(byte[] signature) {
        try {
            CMSSignedData cms = new CMSSignedData(signature);
            Collection<SignerInformation> signers = cms.getSignerInfos().getSigners();
            if (signers.size() != 1) {
                return Optional.empty();
            }
            @SuppressWarnings("unchecked")
            Collection<X509CertificateHolder> matches = cms.getCertificates().getMatches(signers.iterator().next().getSID());
            return matches.isEmpty() ? Optional.empty()
                    : Optional.of(new X500Principal(matches.iterator().next().getIssuer().getEncoded()));
        } catch (CMSException | java.io.IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static String signerProblem(X509Certificate signer, X509Certificate ca, Instant at) {
        String who = "the signer certificate " + signer.getSubjectX500Principal().getName();
        if (!signer.getIssuerX500Principal().equals(ca.getSubjectX500Principal())) {
            return who + " is issued by " + signer.getIssuerX500Principal().getName() + ", not by the CA "
                    + ca.getSubjectX500Principal().getName();
        }
        try {
            signer.verify(ca.getPublicKey(), BouncyCastle.PROVIDER);
        } catch (GeneralSecurityException e) {
            return who + " is not signed by the CA " + ca.getSubjectX500Principal().getName() + ": " + e.getMessage();
        }
        String validity = validityProblem(signer, at);
        if (validity != null) {
            return who + " " + validity;
        }
        boolean[] keyUsage = signer.getKeyUsage();
        if (keyUsage != null && !keyUsage[DIGITAL_SIGNATURE]) {
            return who + " does not allow digitalSignature";
        }
        try {
            List<String> eku = signer.getExtendedKeyUsage();
            if (eku == null || !eku.contains(SYNC_SIGNING_EKU)) {
                return who + " is not a sync-signing certificate (no extendedKeyUsage " + SYNC_SIGNING_EKU + ")";
            }
        } catch (CertificateParsingException e) {
            return who + " has an unreadable extendedKeyUsage: " + e.getMessage();
        }
        return null;
    }

    private static String algorithmProblem(SignerInformation signer, X509Certificate signerCertificate) {
        KeyAlgorithm algorithm;
        try {
            algorithm = KeyAlgorithm.of(signerCertificate.getPublicKey());
        } catch (IllegalArgumentException e) {
            return "the signer's key is not SM2, RSA or ECDSA: " + e.getMessage();
        }
        ASN1ObjectIdentifier expected = algorithm == KeyAlgorithm.SM2 ? SM3 : SHA256;
        ASN1ObjectIdentifier digest = signer.getDigestAlgorithmID().getAlgorithm();
        if (!expected.equals(digest)) {
            return "the CMS digest algorithm is " + digest + "; an " + algorithm + " sync signer uses "
                    + (algorithm == KeyAlgorithm.SM2 ? "SM3 (" : "SHA-256 (") + expected + ")";
        }
        return null;
    }

    private static String chainProblem(List<X509Certificate> chain, Instant at) {
        for (int i = 0; i < chain.size(); i++) {
            X509Certificate certificate = chain.get(i);
            String name = "CA certificate " + certificate.getSubjectX500Principal().getName();
            if (certificate.getBasicConstraints() < 0) {
                return name + " is not a CA certificate";
            }
            String validity = validityProblem(certificate, at);
            if (validity != null) {
                return name + " " + validity;
            }
            X509Certificate issuer = i + 1 < chain.size() ? chain.get(i + 1) : certificate;
            if (!certificate.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
                return name + " is not issued by " + issuer.getSubjectX500Principal().getName()
                        + (i + 1 < chain.size() ? "" : " (the chain does not end with a self-signed root)");
            }
            try {
                certificate.verify(issuer.getPublicKey(), BouncyCastle.PROVIDER);
            } catch (GeneralSecurityException e) {
                return name + " is not signed by " + issuer.getSubjectX500Principal().getName() + ": " + e.getMessage();
            }
        }
        return null;
    }

    private static String validityProblem(X509Certificate certificate, Instant at) {
        Date when = Date.from(at);
        if (when.before(certificate.getNotBefore())) {
            return "is not valid before " + certificate.getNotBefore().toInstant() + " (checked at " + at + ")";
        }
        if (when.after(certificate.getNotAfter())) {
            return "expired at " + certificate.getNotAfter().toInstant() + " (checked at " + at + ")";
        }
        return null;
    }

    private static X509Certificate toX509(byte[] der) throws CertificateException {
        return (X509Certificate) CertificateFactory.getInstance("X.509", BouncyCastle.PROVIDER)
                .generateCertificate(new ByteArrayInputStream(der));
    }
}
