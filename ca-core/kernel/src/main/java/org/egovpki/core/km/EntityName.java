package org.egovpki.core.km;

import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Objects;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.gm.GMObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.crypto.digests.SM3Digest;

/**
 * Names one side of a CA↔KM exchange the GM/T 0014 way, {@code EntName ::= SEQUENCE {
 * hashAlgorithm AlgorithmIdentifier, entName GeneralName, entPubKeyHash OCTET STRING,
 * serialNumber INTEGER }}: the subject of its certificate, the SM3 hash of that certificate's
 * public key bit string, and the certificate's serial. The receiver finds the certificate to
 * verify the message with by the key hash, so a CA that changed keys is told apart.
 */
public record EntityName(X500Name name, byte[] publicKeyHash, BigInteger certificateSerial) {

    private static final AlgorithmIdentifier SM3 = new AlgorithmIdentifier(GMObjectIdentifiers.sm3);

    public EntityName {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(certificateSerial, "certificateSerial");
        publicKeyHash = Objects.requireNonNull(publicKeyHash, "publicKeyHash").clone();
    }

    public static EntityName of(X509Certificate certificate) {
        try {
            X500Name subject = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
            return new EntityName(subject, keyHash(certificate), certificate.getSerialNumber());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("certificate " + certificate.getSubjectX500Principal()
                    + " cannot name a KM peer: " + e.getMessage(), e);
        }
    }

    /** SM3 of the certificate's subjectPublicKey bit string (the key itself, as in an SKI). */
    static byte[] keyHash(X509Certificate certificate) {
        SubjectPublicKeyInfo info = SubjectPublicKeyInfo.getInstance(certificate.getPublicKey().getEncoded());
        byte[] key = info.getPublicKeyData().getBytes();
        SM3Digest digest = new SM3Digest();
        digest.update(key, 0, key.length);
        byte[] out = new byte[digest.getDigestSize()];
        digest.doFinal(out, 0);
        return out;
    }

    /** Whether {@code certificate} is the one this name points at. */
    public boolean names(X509Certificate certificate) {
        return Arrays.equals(publicKeyHash, keyHash(certificate)) && certificateSerial.equals(certificate.getSerialNumber());
    }

    @Override
    public byte[] publicKeyHash() {
        return publicKeyHash.clone();
    }

    ASN1Primitive toAsn1() {
        ASN1EncodableVector v = new ASN1EncodableVector();
        v.add(SM3);
        v.add(new GeneralName(name));
        v.add(new DEROctetString(publicKeyHash));
        v.add(new ASN1Integer(certificateSerial));
        return new DERSequence(v);
    }

    static EntityName fromAsn1(ASN1Primitive primitive) {
        ASN1Sequence seq = ASN1Sequence.getInstance(primitive);
        if (seq.size() != 4) {
            throw new IllegalArgumentException("EntName has " + seq.size() + " elements, not 4");
        }
        AlgorithmIdentifier hash = AlgorithmIdentifier.getInstance(seq.getObjectAt(0));
        if (!SM3.getAlgorithm().equals(hash.getAlgorithm())) {
            throw new IllegalArgumentException("EntName key hash algorithm " + hash.getAlgorithm() + " is not SM3");
        }
        GeneralName general = GeneralName.getInstance(seq.getObjectAt(1));
        if (general.getTagNo() != GeneralName.directoryName) {
            throw new IllegalArgumentException("EntName entName is not a directory name");
        }
        return new EntityName(X500Name.getInstance(general.getName()),
                ASN1OctetString.getInstance(seq.getObjectAt(2)).getOctets(),
                ASN1Integer.getInstance(seq.getObjectAt(3)).getValue());
    }

    @Override
    public String toString() {
        return name + " (certificate " + certificateSerial.toString(16) + ")";
    }
}
