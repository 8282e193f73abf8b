package org.egovpki.core.km;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.egovpki.core.km.KmFixtures.certificate;
import static org.egovpki.core.km.KmFixtures.seal;
import static org.egovpki.core.km.KmFixtures.sm2;

import java.security.KeyPair;
import java.util.Arrays;
import java.util.List;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1Set;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.BERTags;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.x509.Certificate;
import org.junit.jupiter.api.Test;

/** The GM/T 0092 CSRResponse: certificates plus the enveloped encryption key in one answer. */
class CsrResponseTest {

    private final KeyPair ca = sm2();
    private final KeyPair signing = sm2();
    private final KeyPair encryption = sm2();
    private final byte[] caCertificate = certificate("test CA", ca, ca);
    private final byte[] signCertificate = certificate("subscriber sign", signing, ca);
    private final byte[] encryptCertificate = certificate("subscriber encrypt", encryption, ca);
    private final Sm2EnvelopedKey envelope = seal(encryption, signing);

    @Test
    void roundTripsAndTheParsedEnvelopeOpensToTheCertifiedKey() {
        CsrResponse response = new CsrResponse(List.of(signCertificate, caCertificate), envelope,
                List.of(encryptCertificate, caCertificate));

        byte[] der = response.encoded();
        CsrResponse parsed = CsrResponse.parse(der);

        assertThat(parsed).isEqualTo(response);
        assertThat(parsed.encoded()).isEqualTo(der);
        assertThat(parsed.signCertificates()).hasSize(2);
        assertThat(parsed.signCertificates()).anySatisfy(c -> assertThat(c).isEqualTo(signCertificate));
        assertThat(parsed.encryptCertificates()).hasSize(2);
        assertThat(parsed.encryptionCertificate()).hasValueSatisfying(c -> assertThat(c).isEqualTo(encryptCertificate));
        KeyPair opened = EnvelopedKeys.open(parsed.envelope().orElseThrow(), signing.getPrivate());
        assertThat(opened.getPublic().getEncoded()).isEqualTo(encryption.getPublic().getEncoded());
        assertThat(Certificate.getInstance(parsed.encryptionCertificate().orElseThrow()).getSubjectPublicKeyInfo())
                .isEqualTo(parsed.encryptedPrivateKey().publicKeyInfo());
    }

    @Test
    void encodesEnvelopeExplicitAndEncryptCertificatesImplicitLikeGmsm() throws Exception {
        byte[] der = new CsrResponse(List.of(signCertificate), envelope, List.of(encryptCertificate)).encoded();
        ASN1Sequence sequence = ASN1Sequence.getInstance(der);
        ASN1TaggedObject zero = (ASN1TaggedObject) sequence.getObjectAt(1);
        ASN1TaggedObject one = (ASN1TaggedObject) sequence.getObjectAt(2);
        byte[] zeroDer = zero.getEncoded();
        byte[] oneDer = one.getEncoded();

        assertThat(sequence.size()).isEqualTo(3);
        assertThat(sequence.getObjectAt(0)).isInstanceOf(ASN1Set.class);
        // [0] constructed, then the whole SM2EnvelopedKey SEQUENCE: EXPLICIT.
        assertThat(zeroDer[0]).isEqualTo((byte) 0xa0);
        assertThat(Arrays.copyOfRange(zeroDer, zeroDer.length - envelope.encoded().length, zeroDer.length))
                .isEqualTo(envelope.encoded());
        // [1] constructed holding the certificate itself, no SET header: IMPLICIT.
        assertThat(oneDer[0]).isEqualTo((byte) 0xa1);
        assertThat(Arrays.copyOfRange(oneDer, oneDer.length - encryptCertificate.length, oneDer.length))
                .isEqualTo(encryptCertificate);
        assertThat(oneDer.length - encryptCertificate.length).isLessThanOrEqualTo(4);
        assertThat(der[der.length - oneDer.length]).isEqualTo((byte) 0xa1);
    }

    @Test
    void acceptsTheOtherTaggingOfEachOptionalField() throws Exception {
        CsrResponse expected = new CsrResponse(List.of(signCertificate), envelope, List.of(encryptCertificate,
                caCertificate));
        byte[] otherTagging = new DERSequence(new ASN1Encodable[] {
            new DERSet(Certificate.getInstance(signCertificate)),
            new DERTaggedObject(false, 0, envelope.toAsn1()),
            new DERTaggedObject(true, 1, new DERSet(new ASN1Encodable[] {
                Certificate.getInstance(encryptCertificate), Certificate.getInstance(caCertificate)}))}).getEncoded();

        assertThat(CsrResponse.parse(otherTagging)).isEqualTo(expected);
    }

    @Test
    void signOnlyResponsesHaveNoOptionalFields() {
        CsrResponse response = CsrResponse.signOnly(List.of(signCertificate));

        byte[] der = response.encoded();
        CsrResponse parsed = CsrResponse.parse(der);

        assertThat(ASN1Sequence.getInstance(der).size()).isEqualTo(1);
        assertThat(parsed).isEqualTo(response);
        assertThat(parsed.encryptedPrivateKey()).isNull();
        assertThat(parsed.envelope()).isEmpty();
        assertThat(parsed.encryptionCertificate()).isEmpty();
        assertThat(parsed.encryptCertificates()).isEmpty();
        assertThat(new CsrResponse(List.of(signCertificate), null, null)).isEqualTo(response);
    }

    @Test
    void encryptCertificatesMayComeWithoutAnEnvelope() {
        CsrResponse response = new CsrResponse(List.of(signCertificate), null, List.of(encryptCertificate));

        assertThat(CsrResponse.parse(response.encoded())).isEqualTo(response);
        assertThat(ASN1Sequence.getInstance(response.encoded()).getObjectAt(1))
                .isInstanceOfSatisfying(ASN1TaggedObject.class, t -> {
                    assertThat(t.getTagClass()).isEqualTo(BERTags.CONTEXT_SPECIFIC);
                    assertThat(t.getTagNo()).isEqualTo(1);
                });
    }

    @Test
    void certificatesAreKeptInDerSetOrderWhateverOrderTheyCameIn() {
        CsrResponse oneWay = new CsrResponse(List.of(signCertificate, caCertificate), null, List.of());
        CsrResponse otherWay = new CsrResponse(List.of(caCertificate, signCertificate), null, List.of());

        assertThat(oneWay).isEqualTo(otherWay).hasSameHashCodeAs(otherWay);
        assertThat(oneWay.encoded()).isEqualTo(otherWay.encoded());
        assertThat(oneWay.signCertificates().get(0)).isEqualTo(otherWay.signCertificates().get(0));
    }

    @Test
    void anEnvelopeWithoutItsCertificateIsRefused() {
        assertThatThrownBy(() -> new CsrResponse(List.of(signCertificate), envelope, List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("none of the 0 encryptCertificates certifies its public key");
        assertThatThrownBy(() -> new CsrResponse(List.of(signCertificate), envelope, List.of(signCertificate,
                caCertificate)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("none of the 2 encryptCertificates");
    }

    @Test
    void refusesMissingOrMalformedCertificates() {
        byte[] notDer = notDer(signCertificate);

        assertThatThrownBy(() -> CsrResponse.signOnly(List.of()))
                .hasMessageContaining("at least one signCertificate");
        assertThatThrownBy(() -> CsrResponse.signOnly(List.of(new byte[] {0x30, 0x00})))
                .hasMessageContaining("signCertificate 0 is not an X.509 Certificate");
        assertThatThrownBy(() -> CsrResponse.signOnly(List.of(signCertificate, new byte[] {1, 2})))
                .hasMessageContaining("signCertificate 1");
        assertThatThrownBy(() -> CsrResponse.signOnly(List.of(notDer)))
                .hasMessageContaining("signCertificate 0 is not DER-encoded");
    }

    @Test
    void parseRefusesGarbageWithClearMessages() throws Exception {
        byte[] der = new CsrResponse(List.of(signCertificate), envelope, List.of(encryptCertificate)).encoded();
        ASN1Sequence sequence = ASN1Sequence.getInstance(der);
        ASN1Encodable signSet = sequence.getObjectAt(0);

        assertRefused(Arrays.copyOf(der, der.length + 1), "1 trailing bytes");
        assertRefused(Arrays.copyOf(der, der.length - 1), "CSRResponse is not valid DER");
        assertRefused(new byte[0], "CSRResponse is empty");
        assertRefused(new DEROctetString(der).getEncoded(), "CSRResponse must be a SEQUENCE; got OctetString");
        assertRefused(new DERSequence().getEncoded(), "1 to 3 fields; got 0");
        assertRefused(encode(sequence.getObjectAt(1)), "signCertificate must be a SET OF Certificate");
        assertRefused(encode(signSet, sequence.getObjectAt(2), sequence.getObjectAt(1)), "out of order");
        assertRefused(encode(signSet, sequence.getObjectAt(1), sequence.getObjectAt(1)), "repeated or out of order");
        assertRefused(encode(signSet, new DERTaggedObject(true, 2, new ASN1Integer(1))), "unknown field [2]");
        assertRefused(encode(signSet, new ASN1Integer(1)), "must be context-tagged [0] or [1]; got Integer");
        assertRefused(encode(signSet, new DERTaggedObject(false, 0, new DEROctetString(new byte[4]))),
                "encryptedPrivateKey [0] must be a constructed encoding");
        assertRefused(encode(new DERSet(new ASN1Integer(7))), "signCertificate element 0 must be a Certificate SEQUENCE");
        assertRefused(encode(new DERSet()), "at least one signCertificate");
        assertRefused(encode(signSet, new DERTaggedObject(true, 0, new DERSequence(new ASN1Integer(1)))),
                "SM2EnvelopedKey must have 4 fields; got 1");
    }

    private static byte[] encode(ASN1Encodable... fields) throws Exception {
        return new DERSequence(fields).getEncoded();
    }

    /** The certificate with its outer length in the non-minimal long form: valid BER, not DER. */
    private static byte[] notDer(byte[] certificate) {
        int lengthOctets = certificate[1] & 0x7f;
        byte[] ber = new byte[certificate.length + 1];
        ber[0] = certificate[0];
        ber[1] = (byte) (0x80 | (lengthOctets + 1));
        ber[2] = 0;
        System.arraycopy(certificate, 2, ber, 3, certificate.length - 2);
        return ber;
    }

    private static void assertRefused(byte[] der, String message) {
        assertThatThrownBy(() -> CsrResponse.parse(der))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }
}
