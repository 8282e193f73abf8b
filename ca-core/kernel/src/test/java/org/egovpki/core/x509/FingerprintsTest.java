package org.egovpki.core.x509;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class FingerprintsTest {

    @Test
    void sha256OfAbcIsTheFipsVectorInLowerCase() {
        assertThat(Fingerprints.sha256Hex("abc".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
