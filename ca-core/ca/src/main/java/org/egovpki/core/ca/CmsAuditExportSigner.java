package org.egovpki.core.ca;

import java.io.IOException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Objects;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.DigestCalculatorProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.egovpki.core.audit.AuditExportSigner;
import org.egovpki.core.crypto.BouncyCastle;

/**
 * Signs audit export manifests with an issuing CA's own key (through its {@code CaSigner}, which
 * never hands the key out): a detached CMS SignedData (RFC 5652, DER) with signed attributes
 * (content type, digest, signing time), SM3withSM2 (GM/T 0009 default user ID) for an SM2 CA,
 * SHA256withECDSA or SHA256withRSA otherwise, carrying the CA certificate and its chain to the
 * root, so the bundle is verifiable offline with the root alone.
 *
 * <p>Why the CA key and not the audit seal key: the seal is a MAC, and whoever can check it can
 * forge it; an archive kept for ten years must be checkable by people who must not be able to
 * make one. Why not a key of its own: a CA key already has the custody, the published chain and
 * the revocation an archive verifier needs; one signature per export adds no routine load.
 */
public final class CmsAuditExportSigner implements AuditExportSigner {

    private final CertificateAuthority ca;
    private final DigestCalculatorProvider digests;

    public CmsAuditExportSigner(CertificateAuthority ca) {
        this.ca = Objects.requireNonNull(ca, "ca");
        try {
            this.digests = new JcaDigestCalculatorProviderBuilder().setProvider(BouncyCastle.PROVIDER).build();
        } catch (OperatorCreationException e) {
            throw new IllegalStateException("Bouncy Castle offers no digest calculators: " + e.getMessage(), e);
        }
    }

    /** The issuing CA of {@code registry} that signs: the named one, else the first issuing CA. */
    public static CmsAuditExportSigner of(CaRegistry registry, String name) {
        CertificateAuthority found = name != null ? registry.find(name).orElseThrow(() ->
                new IllegalArgumentException("no CA named '" + name + "' to sign audit exports"))
                : registry.all().stream().filter(c -> c.role() == CaRole.ISSUING).findFirst()
                        .orElseThrow(() -> new IllegalArgumentException("no issuing CA to sign audit exports"));
        return new CmsAuditExportSigner(found);
    }

    @Override
    public byte[] sign(byte[] manifest) {
        Objects.requireNonNull(manifest, "manifest");
        try {
            CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
            generator.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(digests)
                    .build(ca.signer().contentSigner(), ca.certificate()));
            for (X509Certificate certificate : ca.chain()) {
                generator.addCertificate(new JcaX509CertificateHolder(certificate));
            }
            return generator.generate(new CMSProcessableByteArray(manifest), false).getEncoded(ASN1Encoding.DER);
        } catch (OperatorCreationException | CMSException | CertificateEncodingException | IOException e) {
            throw new IllegalStateException("cannot sign an audit export manifest with CA '" + ca.name() + "': "
                    + e.getMessage(), e);
        }
    }

    @Override
    public String ca() {
        return ca.name();
    }
}
