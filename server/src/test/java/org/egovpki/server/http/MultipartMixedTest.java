package org.egovpki.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class MultipartMixedTest {

    @Test
    void eachPartCarriesItsOwnTypeAndExactBytesBetweenBoundaries() {
        byte[] cert = {0x30, (byte) 0x82, 0x01, '\r', '\n', '-', '-', 0x00};
        byte[] crl = {0x30, 0x03, 0x02, 0x01, 0x05};

        MultipartMixed body = MultipartMixed.of(List.of(new MultipartMixed.Part("application/pkix-cert", cert),
                new MultipartMixed.Part("application/pkix-crl", crl)));

        assertThat(body.contentType()).isEqualTo("multipart/mixed; boundary=" + body.boundary());
        String dash = "--" + body.boundary();
        byte[] expected = concat(ascii(dash + "\r\nContent-Type: application/pkix-cert\r\n\r\n"), cert,
                ascii("\r\n" + dash + "\r\nContent-Type: application/pkix-crl\r\n\r\n"), crl,
                ascii("\r\n" + dash + "--\r\n"));
        assertThat(body.bytes()).isEqualTo(expected);
        assertThat(MultipartMixed.of(List.of(new MultipartMixed.Part("application/pkix-crl", crl))).boundary())
                .as("the boundary depends on the content").isNotEqualTo(body.boundary());
    }

    @Test
    void anEmptyAnswerIsNoMultipartBody() {
        assertThatThrownBy(() -> MultipartMixed.of(List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] concat(byte[]... parts) {
        byte[] out = new byte[0];
        for (byte[] part : parts) {
            int at = out.length;
            out = Arrays.copyOf(out, at + part.length);
            System.arraycopy(part, 0, out, at, part.length);
        }
        return out;
    }
}
