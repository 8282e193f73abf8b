package org.egovpki.core.x509;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Set;

import org.bouncycastle.asn1.ASN1Integer;
import org.junit.jupiter.api.Test;

class SerialNumbersTest {

    @Test
    void randomSerialsArePositiveAndFitSixteenOctets() throws Exception {
        SecureRandom random = new SecureRandom();
        Set<BigInteger> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            BigInteger serial = SerialNumbers.random(random);
            assertThat(serial.signum()).isPositive();
            assertThat(serial.bitLength()).isLessThanOrEqualTo(127);
            // DER INTEGER: tag, length, at most 16 content octets.
            assertThat(new ASN1Integer(serial).getEncoded().length - 2).isLessThanOrEqualTo(16);
            seen.add(serial);
        }
        assertThat(seen).hasSize(1000);
    }

    @Test
    void topBitIsClearedNotTheRest() {
        SecureRandom allOnes = new SecureRandom() {
            @Override
            public void nextBytes(byte[] bytes) {
                java.util.Arrays.fill(bytes, (byte) 0xff);
            }
        };

        assertThat(SerialNumbers.random(allOnes)).isEqualTo(BigInteger.TWO.pow(127).subtract(BigInteger.ONE));
    }

    @Test
    void hexIsLowerCaseWithoutLeadingZeros() {
        assertThat(SerialNumbers.toHex(new BigInteger("00ABCDEF0102", 16))).isEqualTo("abcdef0102");
        assertThat(SerialNumbers.toHex(BigInteger.valueOf(15))).isEqualTo("f");
        assertThatThrownBy(() -> SerialNumbers.toHex(BigInteger.valueOf(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("negative");
    }
}
