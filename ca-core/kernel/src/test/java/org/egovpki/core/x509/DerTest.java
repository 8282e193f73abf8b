package org.egovpki.core.x509;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;

import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1GeneralizedTime;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.TBSCertList;
import org.bouncycastle.asn1.x509.Time;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The hand-written DER pieces against Bouncy Castle's encodings of the same values. */
class DerTest {

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 127, 128, 255, 256, 65_535, 65_536, 16_777_215, 16_777_216})
    void lengthsAreMinimalDefiniteForm(int length) throws Exception {
        byte[] bouncyCastle = new DEROctetString(new byte[length]).getEncoded(ASN1Encoding.DER);
        byte[] header = Der.header(Der.OCTET_STRING, length);

        assertThat(header).isEqualTo(Arrays.copyOf(bouncyCastle, bouncyCastle.length - length));
        assertThat(Der.tlvLength(length)).isEqualTo(bouncyCastle.length);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1949-12-31T23:59:59Z", "1950-01-01T00:00:00Z", "2025-06-01T08:00:00Z",
        "2049-12-31T23:59:59Z", "2050-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "1600-02-29T12:00:00Z"})
    void timesFollowRfc5280LikeBouncyCastle(String text) throws Exception {
        Instant time = Instant.parse(text);
        byte[] bouncyCastle = new Time(Date.from(time)).getEncoded(ASN1Encoding.DER);
        byte[] ours = new byte[17];

        int length = Der.time(time.plusMillis(999), ours, 0);

        assertThat(Arrays.copyOf(ours, length)).isEqualTo(bouncyCastle);
        assertThat(length).isEqualTo(2 + Der.timeContentLength(time));
    }

    @Test
    void yearsWithoutFourDigitsAreRefused() {
        assertThatThrownBy(() -> Der.time(Instant.parse("+10000-01-01T00:00:00Z"), new byte[17], 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("four-digit year");
    }

    @ParameterizedTest
    @ValueSource(strings = {"2025-05-29T00:00:00Z", "2050-02-03T04:05:06Z", "1949-12-31T23:59:59Z"})
    void entryExtensionsAreWhatBouncyCastleEncodes(String invalidity) throws Exception {
        Instant invalidityDate = Instant.parse(invalidity);
        RevokedEntry entry = new RevokedEntry(new BigInteger("00ff00", 16), invalidityDate.plusSeconds(3600),
                CRLReason.keyCompromise, invalidityDate);
        RevokedEntryEncoder encoder = new RevokedEntryEncoder(BigInteger.ONE, false);

        encoder.accept(entry);

        byte[] ours = new byte[(int) encoder.size()];
        encoder.copyTo(ours, 0);
        Extensions extensions = new Extensions(new Extension[] {
            Extension.create(Extension.reasonCode, false, CRLReason.lookup(CRLReason.keyCompromise)),
            Extension.create(Extension.invalidityDate, false, new ASN1GeneralizedTime(Date.from(invalidityDate)))});
        ByteArrayOutputStream bouncyCastle = new ByteArrayOutputStream();
        bouncyCastle.writeBytes(new org.bouncycastle.asn1.DERSequence(new org.bouncycastle.asn1.ASN1Encodable[] {
            new org.bouncycastle.asn1.ASN1Integer(entry.serial()), new Time(Date.from(entry.revocationDate())),
            extensions}).getEncoded(ASN1Encoding.DER));
        assertThat(ours).isEqualTo(bouncyCastle.toByteArray());
        assertThat(TBSCertList.CRLEntry.getInstance(ours).getUserCertificate().getValue()).isEqualTo(0xff00);
    }
}
