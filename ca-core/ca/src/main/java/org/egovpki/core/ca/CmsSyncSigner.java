package org.egovpki.core.ca;

import java.io.IOException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.SignerInfoGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.DigestCalculatorProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.egovpki.core.crypto.BouncyCastle;
import org.egovpki.core.sync.SyncSigner;

/**
 * Signs sync messages (docs/sync.md, "The signature"): a detached CMS SignedData (RFC 5652), DER,
 * with one SignerInfo and <em>no signed attributes</em>, so its signature is over the body bytes
 * themselves — SM3withSM2 with the GM/T 0009 default user ID {@code 1234567812345678} for SM2
 * CAs (digest SM3), SHA256withECDSA or SHA256withRSA otherwise (digest SHA-256). The signer is
 * identified by issuer and serial number and its certificate is the only one in the CMS; the
 * receiver finds the CA chain by the CA identifier.
 *
 * <p>The key is the current sync-signing key of the CA the event is about, from
 * {@link SyncSigners}. Thread-safe: every call builds its own content signer and generator.
 */
public final class CmsSyncSigner implements SyncSigner {

    private final SyncSigners signers;
    private final DigestCalculatorProvider digests;

    public CmsSyncSigner(SyncSigners signers) {
        this.signers = Objects.requireNonNull(signers, "signers");
        try {
            this.digests = new JcaDigestCalculatorProviderBuilder().setProvider(BouncyCastle.PROVIDER).build();
        } catch (OperatorCreationException e) {
            throw new IllegalStateException("Bouncy Castle offers no digest calculators: " + e.getMessage(), e);
        }
    }

    /**
     * @throws IllegalArgumentException if there is no CA named {@code ca}
     */
    @Override
    public byte[] sign(String ca, byte[] body) {
        Objects.requireNonNull(body, "body");
        SyncSigningKey key = signers.current(ca);
        try {
            SignerInfoGenerator signerInfo = new JcaSignerInfoGeneratorBuilder(digests)
                    .setDirectSignature(true)
                    .build(key.signer().contentSigner(), key.holder());
            CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
            generator.addSignerInfoGenerator(signerInfo);
            generator.addCertificate(key.holder());
            return generator.generate(new CMSProcessableByteArray(body), false).getEncoded(ASN1Encoding.DER);
        } catch (OperatorCreationException | CMSException | IOException e) {
            throw new IllegalStateException("cannot sign a sync message of CA '" + ca + "' with its sync-signing key ("
                    + key.signer() + "): " + e.getMessage(), e);
        }
    }

    /**
     * @throws IllegalArgumentException if there is no CA named {@code ca}
     */
    @Override
    public List<X509Certificate> chain(String ca) {
        return signers.chain(ca);
    }
}
