package org.egovpki.core.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import org.egovpki.core.certificate.CertificateRecord;
import org.egovpki.core.certificate.IssuanceState;
import org.egovpki.core.crypto.BouncyCastle;
import org.egovpki.core.enroll.EnrollmentRequest;
import org.egovpki.core.enroll.EnrollmentService;
import org.egovpki.core.enroll.RequestState;
import org.egovpki.core.x509.EndEntityCertificates;
import org.egovpki.core.x509.Pem;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A process that dies between any two durable steps of issuance: the next start's recovery
 * finishes the issuance, the certificate is the one whose TBS was written before signing, its
 * serial is used once, and nothing is left that the directory does not know.
 */
class IssuanceRecoveryTest {


    private static CaRegistry cas;

    @BeforeAll
    static void createCas() {
        cas = EnrollmentFixture.createCas();
    }

    /** What a killed process looks like to the code after the step: nothing more happens. */
    private static final class Crash extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }

    /**
     * A request approved by an earlier version that would rename a registered person, found
     * APPROVED at start-up: recovery's issuance refuses it like any other (REJECTED, nothing
     * registered or signed) and reports it as refused — finished, not among the requests it could
     * not finish, which would stop the start.
     */
    @Test
    void recoveryRejectsAnApprovedRequestThatWouldRenameARegisteredSubscriber() {
        EnrollmentFixture f = new EnrollmentFixture(cas);
        EnrollmentService service = f.service();
        EnrollmentRequest zhang = service.submit(EnrollmentFixture.CLERK,
                EnrollmentFixture.personal("Zhang San", "11010519491231002X", f.sm2(), false));
        EnrollmentRequest other = service.submit(EnrollmentFixture.CLERK,
                EnrollmentFixture.personal("Qian Shi", "11010519491231002X", f.sm2(), false));
        service.approve(EnrollmentFixture.REVIEWER, zhang.id());
        var before = f.stores.registrations.get(zhang.subscriberId());
        f.stores.transition(RequestState.SUBMITTED, other.approved(EnrollmentFixture.REVIEWER.dn(),
                EnrollmentFixture.NOW));

        Issuer.Recovery recovery = f.issuer(IssuanceObserver.NONE).recoverAll();

        assertThat(recovery.failed()).as("nothing left unfinished").isEmpty();
        assertThat(recovery.refused()).containsExactly(other.id());
        assertThat(f.stores.find(other.id()).orElseThrow().state()).isEqualTo(RequestState.REJECTED);
        assertThat(f.stores.findByRequest(other.id())).isEmpty();
        assertThat(f.stores.registrations.get(zhang.subscriberId())).isEqualTo(before);
        assertThat(f.issuer(IssuanceObserver.NONE).recoverAll().refused()).as("the next start").isEmpty();
    }

    @ParameterizedTest(name = "crash after {0}")
    // SUPERSEDED is reached only by kinds that supersede an original (LifecycleServiceTest crashes there).
    @EnumSource(value = IssuanceStep.class, names = "SUPERSEDED", mode = EnumSource.Mode.EXCLUDE)
    void aCrashAfterEachStepIsFinishedByRecoveryWithTheSameSerial(IssuanceStep crashAfter) throws Exception {
        EnrollmentFixture f = new EnrollmentFixture(cas);
        EnrollmentService crashing = f.service(f.issuer((step, record) -> {
            if (step == crashAfter) {
                throw new Crash();
            }
        }));
        EnrollmentRequest submitted = crashing.submit(EnrollmentFixture.CLERK,
                EnrollmentFixture.personal("Zhang San", "11010519491231002X", f.sm2(), false));

        assertThatThrownBy(() -> crashing.approve(EnrollmentFixture.REVIEWER, submitted.id())).isInstanceOf(Crash.class);
        List<CertificateRecord> before = f.stores.findByRequest(submitted.id());
        assertThat(before).hasSize(1);
        byte[] intendedTbs = before.get(0).tbsDer();

        int recovered = f.issuer(IssuanceObserver.NONE).recover();

        EnrollmentRequest after = f.stores.find(submitted.id()).orElseThrow();
        assertThat(after.state()).isEqualTo(RequestState.ISSUED);
        assertThat(recovered).isEqualTo(crashAfter == IssuanceStep.COMPLETED ? 0 : 1);
        List<CertificateRecord> records = f.stores.findByRequest(submitted.id());
        assertThat(records).as("one serial, never a second one").hasSize(1);
        CertificateRecord record = records.get(0);
        assertThat(record.issuanceState()).isEqualTo(IssuanceState.PUBLISHED);
        assertThat(after.resultSerials()).containsExactly(record.serialHex());
        X509Certificate certificate = Pem.parseCertificate(record.certificateDer());
        assertThat(certificate.getTBSCertificate()).as("the certificate is exactly the intent that was written")
                .isEqualTo(intendedTbs);
        assertThat(f.stores.published.get(after.subscriberId())).hasSize(1)
                .allSatisfy(der -> assertThat(der).isEqualTo(record.certificateDer()));
        verifies(certificate);

        assertThat(f.issuer(IssuanceObserver.NONE).recover()).as("recovery is idempotent").isZero();
        assertThat(f.stores.findByRequest(submitted.id())).hasSize(1);
    }

    /**
     * A subscriber that opted out of publication: nothing is written between signing and the
     * record, so a crash there loses only a signature that never left the process.
     */
    @ParameterizedTest(name = "opted out, crash after {0}")
    @EnumSource(value = IssuanceStep.class, names = {"SUPERSEDED", "ENTRY_PUBLISHED"}, mode = EnumSource.Mode.EXCLUDE)
    void anOptedOutSubscribersIssuanceIsFinishedByRecoveryAndNeverPublished(IssuanceStep crashAfter) throws Exception {
        EnrollmentFixture f = new EnrollmentFixture(cas);
        EnrollmentService crashing = f.service(f.issuer((step, record) -> {
            if (step == crashAfter) {
                throw new Crash();
            }
        }));
        EnrollmentRequest submitted = crashing.submit(EnrollmentFixture.CLERK,
                EnrollmentFixture.personal("Sun Qi", "11010519491231002X", f.sm2(), true));
        assertThatThrownBy(() -> crashing.approve(EnrollmentFixture.REVIEWER, submitted.id())).isInstanceOf(Crash.class);
        byte[] intendedTbs = f.stores.findByRequest(submitted.id()).get(0).tbsDer();

        f.issuer(IssuanceObserver.NONE).recover();

        EnrollmentRequest after = f.stores.find(submitted.id()).orElseThrow();
        assertThat(after.state()).isEqualTo(RequestState.ISSUED);
        CertificateRecord record = f.stores.findByRequest(submitted.id()).get(0);
        assertThat(f.stores.findByRequest(submitted.id())).hasSize(1);
        assertThat(record.issuanceState()).isEqualTo(IssuanceState.PUBLISHED);
        X509Certificate certificate = Pem.parseCertificate(record.certificateDer());
        assertThat(certificate.getTBSCertificate()).isEqualTo(intendedTbs);
        verifies(certificate);
        assertThat(f.stores.published.getOrDefault(after.subscriberId(), List.of())).as("opted out").isEmpty();
    }

    /**
     * Older versions recorded the certificate (RECORDED) before publishing it: a directory a crash
     * left that way is still finished — published once, then PUBLISHED — with the recorded bytes.
     */
    @Test
    void aRecordedRecordOfAnOlderVersionIsPublishedByRecovery() {
        EnrollmentFixture f = new EnrollmentFixture(cas);
        EnrollmentService crashing = f.service(f.issuer((step, record) -> {
            if (step == IssuanceStep.PUBLISHED) {
                throw new Crash();
            }
        }));
        EnrollmentRequest submitted = crashing.submit(EnrollmentFixture.CLERK,
                EnrollmentFixture.personal("Zhou Ba", "11010519491231002X", f.sm2(), false));
        assertThatThrownBy(() -> crashing.approve(EnrollmentFixture.REVIEWER, submitted.id())).isInstanceOf(Crash.class);
        CertificateRecord done = f.stores.findByRequest(submitted.id()).get(0);
        // What the older order left: the record holds the certificate, the entry does not yet.
        f.stores.update(done.inState(IssuanceState.RECORDED));
        f.stores.published.remove(submitted.subscriberId());

        assertThat(f.issuer(IssuanceObserver.NONE).recover()).isEqualTo(1);

        assertThat(f.stores.find(submitted.id()).orElseThrow().state()).isEqualTo(RequestState.ISSUED);
        CertificateRecord record = f.stores.findByRequest(submitted.id()).get(0);
        assertThat(record.issuanceState()).isEqualTo(IssuanceState.PUBLISHED);
        assertThat(record.certificateDer()).isEqualTo(done.certificateDer());
        assertThat(f.stores.published.get(submitted.subscriberId())).singleElement()
                .satisfies(der -> assertThat(der).isEqualTo(done.certificateDer()));
    }

    /**
     * Recovery takes up only a certificate on the entry that is exactly the intent and signed by
     * the record's CA: one with the same TBS signed by another key is not this serial's certificate.
     */
    @Test
    void recoveryDoesNotTakeUpACertificateTheRecordsCaDidNotSign() throws Exception {
        EnrollmentFixture f = new EnrollmentFixture(cas);
        EnrollmentService crashing = f.service(f.issuer((step, record) -> {
            if (step == IssuanceStep.INTENT_WRITTEN) {
                throw new Crash();
            }
        }));
        EnrollmentRequest submitted = crashing.submit(EnrollmentFixture.CLERK,
                EnrollmentFixture.personal("Wu Jiu", "11010519491231002X", f.sm2(), false));
        assertThatThrownBy(() -> crashing.approve(EnrollmentFixture.REVIEWER, submitted.id())).isInstanceOf(Crash.class);
        CertificateRecord intent = f.stores.findByRequest(submitted.id()).get(0);
        byte[] forged = new EndEntityCertificates(f.clock).sign(
                EndEntityCertificates.parseTbs(intent.tbsDer()),
                cas.find("sm2-root").orElseThrow().signer()).getEncoded();
        f.stores.publishCertificate(submitted.subscriberId(), "Wu Jiu", forged);

        f.issuer(IssuanceObserver.NONE).recover();

        CertificateRecord record = f.stores.findByRequest(submitted.id()).get(0);
        assertThat(record.issuanceState()).isEqualTo(IssuanceState.PUBLISHED);
        assertThat(record.certificateDer()).isNotEqualTo(forged);
        verifies(Pem.parseCertificate(record.certificateDer()));
    }

    @Test
    void anApprovalThatCrashedBeforeAnyIntentIsIssuedAtRecovery() {
        EnrollmentFixture f = new EnrollmentFixture(cas);
        EnrollmentRequest submitted = f.service().submit(EnrollmentFixture.CLERK,
                EnrollmentFixture.personal("Li Si", "440524198001010013", f.sm2(), false));
        f.stores.transition(RequestState.SUBMITTED,
                submitted.approved(EnrollmentFixture.REVIEWER.dn(), EnrollmentFixture.NOW));

        assertThat(f.issuer(IssuanceObserver.NONE).recover()).isEqualTo(1);

        assertThat(f.stores.find(submitted.id()).orElseThrow().state()).isEqualTo(RequestState.ISSUED);
        assertThat(f.stores.findByRequest(submitted.id())).singleElement()
                .extracting(CertificateRecord::issuanceState).isEqualTo(IssuanceState.PUBLISHED);
    }

    /**
     * Two CA processes on one directory: a request approved within the recovery grace may be the other
     * process's issuance, still running, so recovery leaves it alone; once the grace has passed it is
     * a stopped process's leftover, and recovery issues it.
     */
    @Test
    void recoveryLeavesARequestApprovedWithinTheGraceToTheProcessThatMayBeIssuingIt() {
        EnrollmentFixture f = new EnrollmentFixture(cas);
        EnrollmentRequest submitted = f.service().submit(EnrollmentFixture.CLERK,
                EnrollmentFixture.personal("Zhao Liu", "440524198001010013", f.sm2(), false));
        f.stores.transition(RequestState.SUBMITTED, submitted.approved(EnrollmentFixture.REVIEWER.dn(), f.clock.instant()));
        IssuanceSteps steps = f.steps(IssuanceObserver.NONE);
        Issuer withGrace = new Issuer(steps, steps::runInOrder, f.stores, f.audit, f.clock, Duration.ofMinutes(2));

        f.clock.advance(Duration.ofSeconds(119));
        Issuer.Recovery early = withGrace.recoverAll();

        assertThat(early.completed()).isZero();
        assertThat(early.leftToOthers()).containsExactly(submitted.id());
        assertThat(f.stores.find(submitted.id()).orElseThrow().state()).isEqualTo(RequestState.APPROVED);
        assertThat(f.stores.findByRequest(submitted.id())).as("nothing reserved or signed").isEmpty();

        f.clock.advance(Duration.ofSeconds(2));
        Issuer.Recovery late = withGrace.recoverAll();

        assertThat(late.completed()).isEqualTo(1);
        assertThat(late.leftToOthers()).isEmpty();
        assertThat(f.stores.find(submitted.id()).orElseThrow().state()).isEqualTo(RequestState.ISSUED);
        assertThatThrownBy(() -> new Issuer(steps, steps::runInOrder, f.stores, f.audit, f.clock, Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must not be negative");
    }

    private static void verifies(X509Certificate certificate) {
        try {
            certificate.verify(cas.find("sm2-issuing").orElseThrow().certificate().getPublicKey(),
                    BouncyCastle.PROVIDER);
        } catch (Exception e) {
            throw new AssertionError("the recovered certificate does not verify under the issuing CA", e);
        }
    }

    @Test
    void recoveryNeverIssuesAnApprovalTheCaDidNotMake() {
        EnrollmentFixture f = new EnrollmentFixture(cas);
        EnrollmentRequest submitted = f.service().submit(EnrollmentFixture.CLERK,
                EnrollmentFixture.personal("Wang Wu", "110105198503120020", f.sm2(), false));
        // What a browser write looks like: APPROVED with no decision time and no reviewer recorded by the CA.
        f.stores.transition(RequestState.SUBMITTED, new EnrollmentRequest(submitted.id(), RequestState.APPROVED,
                submitted.csrDer(), submitted.profile(), submitted.type(), submitted.subscriberId(),
                submitted.subjectDn(), submitted.registration(), null, null, false, null, null,
                submitted.enteredBy(), null, submitted.submittedAt(), null, null, null, List.of()));

        assertThat(f.issuer(IssuanceObserver.NONE).recover()).isZero();
        assertThat(f.stores.certificates).isEmpty();
    }
}
