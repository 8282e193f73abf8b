package org.egovpki.core.km;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.cert.X509Certificate;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.ContentVerifier;
import org.bouncycastle.operator.ContentVerifierProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.egovpki.core.crypto.BouncyCastle;

/**
 * A signed CA↔KM message, GM/T 0014's {@code CARequest} / {@code KMRespond} wrapper:
 * <pre>
 * CARequest / KMRespond ::= SEQUENCE {
 *   ksRequest / ksRespond  KSRequest / KSRespond,
 *   signatureAlgorithm     AlgorithmIdentifier,
 *   signatureValue         OCTET STRING }     -- over the DER of the first element
 * </pre>
 * The receiver parses first (to learn who claims to have signed), then {@link #verify}s against
 * the certificate it trusts for that name: an unverified body is never acted on.
 */
public record SignedMessage(ASN1Primitive body, byte[] bodyDer, AlgorithmIdentifier algorithm, byte[] signature) {

    /** Largest message accepted, far above a request of a few keys; refuses garbage early. */
    public static final int MAX_SIZE = 64 * 1024;

    public static byte[] sign(ASN1Encodable body, ContentSigner signer) {
        try {
            byte[] der = body.toASN1Primitive().getEncoded("DER");
            try (OutputStream out = signer.getOutputStream()) {
                out.write(der);
            }
            return new DERSequence(new ASN1Encodable[] {body, signer.getAlgorithmIdentifier(),
                    new DEROctetString(signer.getSignature())}).getEncoded("DER");
        } catch (IOException e) {
            throw new UncheckedIOException("a KM message cannot be encoded", e);
        }
    }

    /** Parses the wrapper; IllegalArgumentException (with what was wrong) for anything else. */
    public static SignedMessage parse(byte[] message) {
        if (message == null || message.length == 0 || message.length > MAX_SIZE) {
            throw new IllegalArgumentException("a KM message must be 1 to " + MAX_SIZE + " bytes of DER");
        }
        try {
            ASN1Sequence seq = ASN1Sequence.getInstance(ASN1Primitive.fromByteArray(message));
            if (seq.size() != 3) {
                throw new IllegalArgumentException("a signed KM message has 3 elements, not " + seq.size());
            }
            ASN1Primitive body = seq.getObjectAt(0).toASN1Primitive();
            return new SignedMessage(body, body.getEncoded("DER"), AlgorithmIdentifier.getInstance(seq.getObjectAt(1)),
                    ASN1OctetString.getInstance(seq.getObjectAt(2)).getOctets());
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not a signed KM message: " + e.getMessage(), e);
        }
    }

    /** Whether the signature verifies under {@code signer}'s public key (SM2 with the default user ID). */
    public boolean verify(X509Certificate signer) {
        try {
            ContentVerifierProvider provider = new JcaContentVerifierProviderBuilder()
                    .setProvider(BouncyCastle.PROVIDER).build(signer.getPublicKey());
            ContentVerifier verifier = provider.get(algorithm);
            try (OutputStream out = verifier.getOutputStream()) {
                out.write(bodyDer);
            }
            return verifier.verify(signature);
        } catch (OperatorCreationException | IOException | RuntimeException e) {
            return false;
        }
    }
}
