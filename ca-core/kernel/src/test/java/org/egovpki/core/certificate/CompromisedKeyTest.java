package org.egovpki.core.certificate;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyPairGenerator;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.junit.jupiter.api.Test;

/** One key, one id: the encodings a request may carry of one public key all name the same compromised key. */
class CompromisedKeyTest {

    @Test
    void anRsaKeyHasOneIdWhateverItsParametersAndLengthEncodings() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        java.security.interfaces.RSAPublicKey key = (java.security.interfaces.RSAPublicKey) generator.generateKeyPair()
                .getPublic();
        SubjectPublicKeyInfo der = SubjectPublicKeyInfo.getInstance(key.getEncoded());
        byte[] rsa = der.getPublicKeyData().getBytes();
        SubjectPublicKeyInfo noParameters = new SubjectPublicKeyInfo(
                new AlgorithmIdentifier(PKCSObjectIdentifiers.rsaEncryption), rsa);
        SubjectPublicKeyInfo nullParameters = new SubjectPublicKeyInfo(
                new AlgorithmIdentifier(PKCSObjectIdentifiers.rsaEncryption, DERNull.INSTANCE), rsa);
        // The same RSAPublicKey with its outer SEQUENCE's length in a needless long form (BER, not DER).
        SubjectPublicKeyInfo ber = new SubjectPublicKeyInfo(der.getAlgorithm(), longFormLength(rsa));

        String id = CompromisedKey.keyId(der);
        assertThat(CompromisedKey.keyId(noParameters)).isEqualTo(id);
        assertThat(CompromisedKey.keyId(nullParameters)).isEqualTo(id);
        assertThat(CompromisedKey.keyId(ber)).isEqualTo(id).matches("[0-9a-f]{64}");

        java.security.interfaces.RSAPublicKey other = (java.security.interfaces.RSAPublicKey) generator.generateKeyPair()
                .getPublic();
        assertThat(CompromisedKey.keyId(SubjectPublicKeyInfo.getInstance(other.getEncoded()))).isNotEqualTo(id);
    }

    /** The DER of a SEQUENCE whose length (two octets, 0x82 LL LL) is written as four (0x84 00 00 LL LL). */
    private static byte[] longFormLength(byte[] der) {
        assertThat(der[1] & 0xff).as("a 2048-bit RSAPublicKey's length takes two octets").isEqualTo(0x82);
        byte[] ber = new byte[der.length + 2];
        ber[0] = der[0];
        ber[1] = (byte) 0x84;
        ber[2] = 0;
        ber[3] = 0;
        System.arraycopy(der, 2, ber, 4, der.length - 2);
        return ber;
    }
}
