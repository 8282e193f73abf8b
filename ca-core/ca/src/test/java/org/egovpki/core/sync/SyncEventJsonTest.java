package org.egovpki.core.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** What an outbox entry stores reads back as the event captured, every field, nulls included. */
class SyncEventJsonTest {

    private static final Instant T = Instant.parse("2026-12-02T04:31:00.123Z");

    @Test
    void aRevokedCertificateEventRoundTrips() {
        SyncEvent event = new SyncEvent("sub-ca/1A2B3C/revoked", SyncEventType.CERT_REVOKED, "sub-ca", T,
                new SyncEvent.Certificate("1A2B3C", "p-1", "PERSONAL", "SIGNING", "personal-sign",
                        "CN=张三,O=测试局,C=CN", "tax", "410000", "REVOKED", T.minusSeconds(3600), T.plusSeconds(86_400),
                        "ab".repeat(32), new byte[] {0x30, 1, 2}, "keyCompromise", T, "0F"), null);

        SyncEvent back = SyncEventJson.read(SyncEventJson.write(event));

        assertThat(back).usingRecursiveComparison().isEqualTo(event);
        assertThat(new String(SyncEventJson.write(event), StandardCharsets.UTF_8)).contains("\"subscriberId\":\"p-1\"")
                .doesNotContain("idNumber");
    }

    @Test
    void aDeltaPartitionCrlEventRoundTripsAndAFullOneKeepsItsNulls() {
        SyncEvent delta = new SyncEvent("sub-ca/crl/18", SyncEventType.CRL_PUBLISHED, "sub-ca", T, null,
                new SyncEvent.Crl(BigInteger.valueOf(18), "DELTA", 3, BigInteger.valueOf(17), T, T.plusSeconds(3600),
                        new byte[] {0x30, 0}));
        SyncEvent full = new SyncEvent("sub-ca/crl/17", SyncEventType.CRL_PUBLISHED, "sub-ca", T, null,
                new SyncEvent.Crl(BigInteger.valueOf(17), "FULL", null, null, T, T.plusSeconds(3600),
                        new byte[] {0x30, 0}));

        assertThat(new String(SyncEventJson.write(full), StandardCharsets.US_ASCII))
                .as("the CRL as standard base64, as before it was streamed")
                .contains("\"der\":\"" + java.util.Base64.getEncoder().encodeToString(new byte[] {0x30, 0}) + "\"");
        byte[] large = new byte[70_000];
        new java.util.Random(7).nextBytes(large);
        SyncEvent big = new SyncEvent("sub-ca/crl/19", SyncEventType.CRL_PUBLISHED, "sub-ca", T, null,
                new SyncEvent.Crl(BigInteger.valueOf(19), "FULL", null, null, T, T.plusSeconds(3600), large));
        assertThat(new String(SyncEventJson.write(big), StandardCharsets.US_ASCII))
                .contains("\"der\":\"" + java.util.Base64.getEncoder().encodeToString(large) + "\"");
        assertThat(SyncEventJson.read(SyncEventJson.write(big)).crl().der()).isEqualTo(large);
        // Over Jackson's 20 MB default for one string: a CRL of 400,000 entries (~20 MB DER, 26 MB of
        // base64) must read back, or its event blocks the outbox.
        byte[] huge = new byte[20_500_000];
        huge[0] = 0x30;
        huge[huge.length - 1] = 7;
        SyncEvent hugeEvent = new SyncEvent("sub-ca/crl/21", SyncEventType.CRL_PUBLISHED, "sub-ca", T, null,
                new SyncEvent.Crl(BigInteger.valueOf(21), "FULL", null, null, T, T.plusSeconds(3600), huge));
        assertThat(SyncEventJson.read(SyncEventJson.write(hugeEvent)).crl().der()).isEqualTo(huge);
        assertThat(SyncEventJson.read(SyncEventJson.write(delta))).usingRecursiveComparison().isEqualTo(delta);
        assertThat(SyncEventJson.read(SyncEventJson.write(full))).usingRecursiveComparison().isEqualTo(full);
    }
}
