package org.egovpki.core.x509;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DerTlvTest {

    @Test
    void readsShortAndLongLengths() {
        byte[] der = new byte[3 + 200];
        der[0] = 0x30;
        der[1] = (byte) 0x81;
        der[2] = (byte) 200;

        DerTlv tlv = DerTlv.at(der, 0, der.length, 0x30);

        assertThat(tlv).isEqualTo(new DerTlv(0x30, 0, 3, 203));
        assertThat(DerTlv.at(new byte[] {0x02, 0x01, 0x05}, 0, 3, -1)).isEqualTo(new DerTlv(0x02, 0, 2, 3));
    }

    @Test
    void refusesWhatIsNotThereOrRunsPastItsContainer() {
        assertThatThrownBy(() -> DerTlv.at(new byte[] {0x02, 0x01, 0x05}, 0, 3, 0x30))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("where 0x30 was expected");
        assertThatThrownBy(() -> DerTlv.at(new byte[] {0x30}, 0, 1, -1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("truncated at offset 1");
        assertThatThrownBy(() -> DerTlv.at(new byte[] {0x30, 0x05, 0x00}, 0, 3, -1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("runs past its container");
        assertThatThrownBy(() -> DerTlv.at(new byte[] {0x30, (byte) 0x80, 0x00}, 0, 3, -1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unsupported length");
    }
}
