package org.egovpki.core.ocsp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.egovpki.core.ocsp.OcspFixtures.NOW;
import static org.egovpki.core.ocsp.OcspFixtures.SHA1;
import static org.egovpki.core.ocsp.OcspFixtures.SHA256;
import static org.egovpki.core.ocsp.OcspFixtures.certId;
import static org.egovpki.core.ocsp.OcspFixtures.request;
import static org.egovpki.core.ocsp.OcspFixtures.serial;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import org.egovpki.core.ca.MovableClock;
import org.egovpki.core.crypto.KeyAlgorithm;
import org.egovpki.core.ocsp.OcspFixtures.InMemoryStatuses;
import org.egovpki.core.ocsp.OcspFixtures.TestCa;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The persisted pre-signed answers: what the responder keeps comes back byte for byte, and a
 * file that is not whole and intact is refused with a message saying why, returning nothing.
 */
class PresignedSnapshotTest {

    private static final Duration NEXT_UPDATE = Duration.ofHours(1);

    private final MovableClock clock = new MovableClock(NOW);
    private TestCa ca;
    private OcspResponder responder;
    private BigInteger good;
    private BigInteger revoked;

    @BeforeEach
    void setUp() {
        ca = OcspFixtures.ca(KeyAlgorithm.EC);
        good = serial();
        revoked = serial();
        InMemoryStatuses statuses = new InMemoryStatuses().put(ca.name(), good, RevocationStatus.good())
                .put(ca.name(), revoked, RevocationStatus.revoked(NOW.minusSeconds(60), 1));
        responder = new OcspResponder(List.of(ca.served()), statuses, clock, new OcspResponder.Settings(NEXT_UPDATE,
                Duration.ofSeconds(60), OcspResponder.Settings.DEFAULT_CACHE_ENTRIES, true, 100));
    }

    @Test
    void theResponderAnswersComeBackByteForByte() throws Exception {
        byte[] goodAnswer = responder.respond(request(certId(SHA256, ca.certificate(), good)));
        byte[] sha1Answer = responder.respond(request(certId(SHA1, ca.certificate(), good)));
        byte[] revokedAnswer = responder.respond(request(certId(SHA256, ca.certificate(), revoked)));
        List<PresignedAnswer> answers = responder.presignedAnswers();
        assertThat(answers).hasSize(3);

        List<PresignedAnswer> read = roundTrip(answers, 100);

        assertThat(read).containsExactlyInAnyOrderElementsOf(answers);
        assertThat(read).extracting(a -> Arrays.hashCode(a.response())).containsExactlyInAnyOrder(
                Arrays.hashCode(goodAnswer), Arrays.hashCode(sha1Answer), Arrays.hashCode(revokedAnswer));
        PresignedAnswer first = read.stream().filter(a -> a.serial().equals(revoked)).findFirst().orElseThrow();
        assertThat(first.caName()).isEqualTo(ca.name());
        assertThat(first.stated()).isEqualTo(PresignedAnswer.Stated.REVOKED);
        assertThat(first.thisUpdate()).isEqualTo(NOW.truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
        assertThat(first.nextUpdate()).isEqualTo(first.thisUpdate().plus(NEXT_UPDATE));
    }

    @Test
    void anEmptySetIsAValidSnapshot() throws Exception {
        assertThat(roundTrip(List.of(), 10)).isEmpty();
    }

    @Test
    void atMostMaxEntriesAreWrittenAndKept() throws Exception {
        responder.respond(request(certId(SHA256, ca.certificate(), good)));
        responder.respond(request(certId(SHA1, ca.certificate(), good)));
        responder.respond(request(certId(SHA256, ca.certificate(), revoked)));
        List<PresignedAnswer> answers = responder.presignedAnswers();
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        assertThat(PresignedSnapshot.write(out, answers, 2)).isEqualTo(2);
        assertThat(PresignedSnapshot.read(new ByteArrayInputStream(out.toByteArray()), 100)).hasSize(2);
        assertThat(roundTrip(answers, 100).size()).isEqualTo(3);
        assertThat(PresignedSnapshot.read(new ByteArrayInputStream(write(answers, 100)), 1))
                .as("a lower maximum on reading keeps the first ones").hasSize(1);
        assertThatThrownBy(() -> PresignedSnapshot.write(out, answers, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("use 1 to");
    }

    /** Every strict prefix of a snapshot is refused: a crash mid-write never yields a partial set. */
    @Test
    void everyTruncationIsRefused() throws Exception {
        responder.respond(request(certId(SHA256, ca.certificate(), good)));
        byte[] whole = write(responder.presignedAnswers(), 100);

        for (int length = 0; length < whole.length; length++) {
            byte[] cut = Arrays.copyOf(whole, length);
            assertThatThrownBy(() -> PresignedSnapshot.read(new ByteArrayInputStream(cut), 100))
                    .as("cut at %d of %d", length, whole.length).isInstanceOf(PresignedSnapshot.Unreadable.class);
        }
        assertThatThrownBy(() -> PresignedSnapshot.read(new ByteArrayInputStream(Arrays.copyOf(whole, whole.length - 10)),
                100)).hasMessageContaining("truncated");
    }

    @ParameterizedTest
    @ValueSource(ints = {20, 60, 200, -5})
    void aFlippedByteIsRefusedAsDamaged(int position) throws Exception {
        responder.respond(request(certId(SHA256, ca.certificate(), good)));
        byte[] bytes = write(responder.presignedAnswers(), 100);
        int at = position < 0 ? bytes.length + position : position;
        bytes[at] ^= 0x01;

        assertThatThrownBy(() -> PresignedSnapshot.read(new ByteArrayInputStream(bytes), 100))
                .isInstanceOf(PresignedSnapshot.Unreadable.class)
                .hasMessageMatching(".*(damaged|truncated|bytes \\(allowed|answers do not hold).*");
    }

    @Test
    void otherFilesAndVersionsAreRefusedByName() throws Exception {
        byte[] bytes = write(List.of(), 10);
        byte[] otherVersion = bytes.clone();
        otherVersion[11] = 2;

        assertThatThrownBy(() -> PresignedSnapshot.read(new ByteArrayInputStream("hello, world".getBytes()), 10))
                .isInstanceOf(PresignedSnapshot.Unreadable.class).hasMessageContaining("does not start with EGOVOCSP");
        assertThatThrownBy(() -> PresignedSnapshot.read(new ByteArrayInputStream(otherVersion), 10))
                .isInstanceOf(PresignedSnapshot.Unreadable.class).hasMessageContaining("format version 2 is not supported");
        byte[] trailing = Arrays.copyOf(bytes, bytes.length + 1);
        assertThatThrownBy(() -> PresignedSnapshot.read(new ByteArrayInputStream(trailing), 10))
                .isInstanceOf(PresignedSnapshot.Unreadable.class).hasMessageContaining("bytes after its digest");
    }

    /** Intact bytes that lie (a response stored under another CertID) are refused too. */
    @Test
    void anAnswerStoredUnderAnotherCertIdIsRefused() throws Exception {
        byte[] goodAnswer = responder.respond(request(certId(SHA256, ca.certificate(), good)));
        PresignedAnswer stored = responder.presignedAnswers().get(0);
        PresignedAnswer lying = new PresignedAnswer(ca.name(), good,
                certId(SHA1, ca.certificate(), good).toASN1Primitive().getEncoded(), goodAnswer, stored.thisUpdate(),
                stored.nextUpdate());
        PresignedAnswer wrongTimes = new PresignedAnswer(ca.name(), good, stored.certId(), goodAnswer,
                stored.thisUpdate(), stored.nextUpdate().plusSeconds(3600));

        assertThatThrownBy(() -> PresignedSnapshot.read(new ByteArrayInputStream(write(List.of(lying), 10)), 10))
                .isInstanceOf(PresignedSnapshot.Unreadable.class)
                .hasMessageContaining("answers another CertID than the one it is stored under");
        assertThatThrownBy(() -> PresignedSnapshot.read(new ByteArrayInputStream(write(List.of(wrongTimes), 10)), 10))
                .isInstanceOf(PresignedSnapshot.Unreadable.class).hasMessageContaining("differ from the stored");
    }

    @Test
    void theSetOnlyListsAnswersBeforeTheirNextUpdateAndCountsChanges() {
        long before = responder.presignedChanges();
        responder.respond(request(certId(SHA256, ca.certificate(), good)));
        long afterStore = responder.presignedChanges();
        responder.respond(request(certId(SHA256, ca.certificate(), good)));

        assertThat(afterStore).isGreaterThan(before);
        assertThat(responder.presignedChanges()).as("a hit changes nothing").isEqualTo(afterStore);
        clock.advance(NEXT_UPDATE);
        assertThat(responder.presignedAnswers()).isEmpty();
    }

    private static byte[] write(List<PresignedAnswer> answers, int max) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PresignedSnapshot.write(out, answers, max);
        return out.toByteArray();
    }

    private static List<PresignedAnswer> roundTrip(List<PresignedAnswer> answers, int max) throws Exception {
        return PresignedSnapshot.read(new ByteArrayInputStream(write(answers, max)), max);
    }
}
