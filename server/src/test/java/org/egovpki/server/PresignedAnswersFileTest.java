package org.egovpki.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.egovpki.core.ca.MovableClock;
import org.egovpki.core.crypto.BouncyCastle;
import org.egovpki.core.crypto.CaSigner;
import org.egovpki.core.crypto.KeyAlgorithm;
import org.egovpki.core.ocsp.OcspResponder;
import org.egovpki.core.ocsp.RevocationStatus;
import org.egovpki.core.ocsp.ServedCa;
import org.egovpki.core.x509.CaCertificateFactory;
import org.egovpki.core.x509.CaCertificateRequest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pre-signed OCSP answers on disk: replaced whole and owner-only, written only when the set
 * changed (the sweep at most once a minute, the stop always), and a damaged file ignored.
 */
class PresignedAnswersFileTest {

    private static final SecureRandom RANDOM = new SecureRandom();

    @TempDir
    Path dir;

    private final MovableClock clock = new MovableClock(Instant.parse("2026-12-01T10:00:00Z"));
    private X509Certificate caCertificate;
    private KeyPair keys;
    private OcspResponder responder;
    private Path file;

    @BeforeEach
    void setUp() {
        keys = KeyAlgorithm.EC.generate(RANDOM);
        caCertificate = new CaCertificateFactory(clock, RANDOM).selfSignedRoot(CaCertificateRequest.root(
                "CN=Presigned File Test CA,O=egov-pki,C=CN", Period.ofYears(10), "ldap://localhost/cn=test"), keys);
        responder = new OcspResponder(List.of(new ServedCa("sm2-issuing", caCertificate, CaSigner.of(keys, RANDOM))),
                (issuer, serial) -> Optional.of(RevocationStatus.good()), clock, new OcspResponder.Settings(
                Duration.ofHours(1), Duration.ofSeconds(60), 100, true, 100));
        file = dir.resolve("data").resolve("ocsp").resolve("presigned.bin");
    }

    /** A set signed ahead for every certificate is large: written less often, at most every ten minutes. */
    @Test
    void aLargerSetIsWrittenLessOftenUpToTenMinutesApart() {
        assertThat(PresignedAnswersFile.interval(0)).isEqualTo(Duration.ofMinutes(1));
        assertThat(PresignedAnswersFile.interval(10_000)).isEqualTo(Duration.ofMinutes(1));
        assertThat(PresignedAnswersFile.interval(10_001)).isEqualTo(Duration.ofMinutes(2));
        assertThat(PresignedAnswersFile.interval(45_000)).isEqualTo(Duration.ofMinutes(5));
        assertThat(PresignedAnswersFile.interval(1_000_000)).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void theSweepWritesTheChangedSetOwnerOnlyAndAtMostOnceAMinute() throws Exception {
        PresignedAnswersFile persisted = new PresignedAnswersFile(file, responder, 100, clock);
        assertThat(persisted.save()).as("nothing changed since the start").isFalse();
        assertThat(file).doesNotExist();

        ask(BigInteger.valueOf(1001));
        assertThat(persisted.save()).isTrue();
        assertThat(PresignedAnswersFile.load(file, 100)).containsExactlyElementsOf(responder.presignedAnswers());
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.getPosixFilePermissions(file.getParent())).isEqualTo(PosixFilePermissions.fromString("rwx------"));
        assertThat(Files.list(file.getParent()).toList()).as("no temporary file left").containsExactly(file);

        ask(BigInteger.valueOf(1002));
        assertThat(persisted.save()).as("within a minute of the last write").isFalse();
        clock.advance(PresignedAnswersFile.MIN_INTERVAL);
        assertThat(persisted.save()).isTrue();
        assertThat(PresignedAnswersFile.load(file, 100)).hasSize(2);
        assertThat(persisted.save()).as("unchanged since").isFalse();
    }

    @Test
    void theStopWritesWhateverTheIntervalAndOnlyOnce() throws Exception {
        PresignedAnswersFile persisted = new PresignedAnswersFile(file, responder, 100, clock);
        ask(BigInteger.valueOf(2001));
        assertThat(persisted.save()).isTrue();
        ask(BigInteger.valueOf(2002));

        persisted.close();

        assertThat(PresignedAnswersFile.load(file, 100)).hasSize(2);
        ask(BigInteger.valueOf(2003));
        clock.advance(Duration.ofMinutes(5));
        persisted.close();
        assertThat(persisted.save()).as("closed").isFalse();
        assertThat(PresignedAnswersFile.load(file, 100)).hasSize(2);
    }

    /** A start with no change keeps the previous stop's answers for the next locked start. */
    @Test
    void aStartWhoseSetNeverChangedLeavesThePreviousFile() throws Exception {
        ask(BigInteger.valueOf(3001));
        PresignedAnswersFile.write(file, responder.presignedAnswers(), 100);
        byte[] before = Files.readAllBytes(file);
        OcspResponder restarted = new OcspResponder(List.of(new ServedCa("sm2-issuing", caCertificate,
                CaSigner.of(keys, RANDOM))), (issuer, serial) -> Optional.empty(), clock,
                new OcspResponder.Settings(Duration.ofHours(1), Duration.ofSeconds(60), 100, true, 100));
        PresignedAnswersFile persisted = new PresignedAnswersFile(file, restarted, 100, clock);
        clock.advance(Duration.ofMinutes(2));

        assertThat(persisted.save()).isFalse();
        persisted.close();

        assertThat(Files.readAllBytes(file)).isEqualTo(before);
    }

    @Test
    void atMostMaxEntriesAreWritten() throws Exception {
        PresignedAnswersFile persisted = new PresignedAnswersFile(file, responder, 3, clock);
        for (int i = 0; i < 5; i++) {
            ask(BigInteger.valueOf(4000 + i));
        }

        persisted.close();

        assertThat(PresignedAnswersFile.load(file, 100)).hasSize(3);
    }

    @Test
    void aReplacedFileIsWholeAndTheOldOneIsGone() throws Exception {
        ask(BigInteger.valueOf(5001));
        PresignedAnswersFile.write(file, responder.presignedAnswers(), 100);
        ask(BigInteger.valueOf(5002));
        ask(BigInteger.valueOf(5003));
        Files.writeString(file.resolveSibling("presigned.bin.tmp"), "left by a crash mid-write");

        assertThat(PresignedAnswersFile.write(file, responder.presignedAnswers(), 100)).isEqualTo(3);

        assertThat(PresignedAnswersFile.load(file, 100)).hasSize(3);
        assertThat(file.resolveSibling("presigned.bin.tmp")).doesNotExist();
    }

    @Test
    void aDamagedOrMissingFileIsIgnoredAndNeverThrows() throws Exception {
        assertThat(PresignedAnswersFile.load(file, 100)).isEmpty();
        ask(BigInteger.valueOf(6001));
        PresignedAnswersFile.write(file, responder.presignedAnswers(), 100);
        byte[] whole = Files.readAllBytes(file);

        Files.write(file, Arrays.copyOf(whole, whole.length / 2));
        assertThat(PresignedAnswersFile.load(file, 100)).isEmpty();
        Files.write(file, "not a snapshot".getBytes());
        assertThat(PresignedAnswersFile.load(file, 100)).isEmpty();
        Files.delete(file);
        Files.createDirectory(file);
        assertThat(PresignedAnswersFile.load(file, 100)).as("a directory in its place").isEmpty();
    }

    @Test
    void aWriteThatFailsDoesNotThrowAndIsTriedAgainAfterTheInterval() throws Exception {
        Path blocked = dir.resolve("blocked");
        Files.writeString(blocked, "a file where the ocsp directory should be");
        PresignedAnswersFile persisted = new PresignedAnswersFile(blocked.resolve("ocsp").resolve("presigned.bin"),
                responder, 100, clock);
        ask(BigInteger.valueOf(7001));

        assertThat(persisted.save()).isFalse();
        Files.delete(blocked);
        assertThat(persisted.save()).as("the sweep waits the interval after a failure too").isFalse();
        clock.advance(PresignedAnswersFile.MIN_INTERVAL);
        assertThat(persisted.save()).as("then tries again, and the set is still unwritten").isTrue();
        assertThat(PresignedAnswersFile.load(blocked.resolve("ocsp").resolve("presigned.bin"), 100)).hasSize(1);
    }

    private void ask(BigInteger serial) throws Exception {
        CertificateID id = new CertificateID(new JcaDigestCalculatorProviderBuilder().setProvider(BouncyCastle.PROVIDER)
                .build().get(CertificateID.HASH_SHA1), new org.bouncycastle.cert.jcajce.JcaX509CertificateHolder(
                caCertificate), serial);
        byte[] answer = responder.respond(new OCSPReqBuilder().addRequest(id).build().getEncoded());
        assertThat(new org.bouncycastle.cert.ocsp.OCSPResp(answer).getStatus()).isZero();
    }
}
