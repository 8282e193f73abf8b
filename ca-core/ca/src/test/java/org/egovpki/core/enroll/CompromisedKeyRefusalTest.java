package org.egovpki.core.enroll;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import java.util.List;
import org.egovpki.core.DomainException;
import org.egovpki.core.audit.AuditEventType;
import org.egovpki.core.audit.AuditOutcome;
import org.egovpki.core.ca.CaRegistry;
import org.egovpki.core.ca.EnrollmentFixture;
import org.egovpki.core.certificate.CertificateRecord;
import org.egovpki.core.certificate.RevocationReason;
import org.egovpki.core.enroll.validation.RegistrationData;
import org.egovpki.core.revoke.Requester;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A key whose certificate was revoked for key compromise (RFC 5280 keyCompromise: CPS causes E and
 * F) is never certified again, whoever applies with it: a new application is refused at submission
 * (nothing stored), and one approved before the revocation is refused at issuance (REJECTED,
 * nothing issued). Any other cause leaves the key certifiable.
 */
class CompromisedKeyRefusalTest {

    private static final String CA = "sm2-issuing";

    private static CaRegistry cas;

    private EnrollmentFixture f;
    private EnrollmentService enrollment;

    @BeforeAll
    static void createCas() {
        cas = EnrollmentFixture.createCas();
    }

    @BeforeEach
    void setUp() {
        f = new EnrollmentFixture(cas);
        enrollment = f.service();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = RevocationReason.class, names = {"KEY_COMPROMISE", "EMPLOYEE_KEY_COMPROMISE"})
    void aNewApplicationOverAKeyRevokedForCompromiseIsRefusedAtSubmissionAndStoresNothing(RevocationReason cause) {
        KeyPair key = f.sm2();
        CertificateRecord revoked = issue(person("Zhang San", "11010519491231002X", key));
        f.revocations().revokeByOperator(EnrollmentFixture.RA_ADMIN, CA, revoked.serial(), cause,
                Requester.SUBSCRIBER, null);
        int requests = f.stores.requests.size();
        int records = f.stores.certificates.size();

        // Another person applies with the same key: the CA must not vouch for it again.
        DomainException refused = (DomainException) org.assertj.core.api.Assertions.catchThrowable(() ->
                enrollment.submit(EnrollmentFixture.CLERK, person("Li Si", "110105198001010016", key)));

        assertThat(refused).as("the application over a compromised key is refused").isNotNull();
        assertThat(refused.kind()).isEqualTo(DomainException.Kind.BAD_REQUEST);
        assertThat(refused.field()).isEqualTo("csr");
        assertThat(refused.getMessage()).contains("key compromise", revoked.serialHex(), "generate a new key pair");
        assertThat(f.stores.requests).as("no request stored").hasSize(requests);
        assertThat(f.stores.certificates).as("no record written").hasSize(records);
        assertThat(f.audit.ofType(AuditEventType.REQUEST_SUBMITTED)).last()
                .satisfies(e -> {
                    assertThat(e.outcome()).isEqualTo(AuditOutcome.FAILURE);
                    assertThat(e.details()).containsEntry("field", "csr");
                });
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = RevocationReason.class, names = {"KEY_COMPROMISE", "EMPLOYEE_KEY_COMPROMISE"})
    void anApplicationApprovedAfterItsKeyWasRevokedForCompromiseIsRejectedAtIssuance(RevocationReason cause) {
        KeyPair key = f.sm2();
        CertificateRecord first = issue(person("Zhang San", "11010519491231002X", key));
        // Entered while the key was still good, reviewed after it was reported compromised.
        EnrollmentRequest waiting = enrollment.submit(EnrollmentFixture.CLERK,
                person("Li Si", "110105198001010016", key));
        f.revocations().revokeByOperator(EnrollmentFixture.RA_ADMIN, CA, first.serial(), cause,
                Requester.SUBSCRIBER, null);
        int records = f.stores.certificates.size();

        assertThatThrownBy(() -> enrollment.approve(EnrollmentFixture.REVIEWER, waiting.id()))
                .isInstanceOf(DomainException.class)
                .hasMessageContaining("key compromise")
                .hasMessageContaining(first.serialHex())
                .satisfies(e -> assertThat(((DomainException) e).field()).isEqualTo("csr"));

        assertThat(enrollment.get(waiting.id()).state()).isEqualTo(RequestState.REJECTED);
        assertThat(f.stores.certificates).as("nothing issued").hasSize(records);
        assertThat(f.stores.holders).as("the DN was not claimed").doesNotContainValue(waiting.subscriberId());
        assertThat(f.audit.ofType(AuditEventType.CERTIFICATE_ISSUED)).last()
                .satisfies(e -> assertThat(e.outcome()).isEqualTo(AuditOutcome.FAILURE));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = RevocationReason.class, names = {"HOLDER_REQUEST", "JOB_CHANGE", "AGREEMENT_ENDED"})
    void aKeyRevokedForAnotherCauseMayBeCertifiedAgain(RevocationReason cause) {
        KeyPair key = f.sm2();
        CertificateRecord first = issue(person("Zhang San", "11010519491231002X", key));
        f.revocations().revokeByOperator(EnrollmentFixture.RA_ADMIN, CA, first.serial(), cause,
                Requester.SUBSCRIBER, null);

        CertificateRecord again = issue(person("Zhang San", "11010519491231002X", key));

        assertThat(again.serial()).isNotEqualTo(first.serial());
    }

    /**
     * Probe: an issuance that crashed after its intent was written, over a key reported compromised
     * before the next start (or before another CA process's recovery took it up). Recovery skipped
     * the check and signed the intent: the compromised key was certified again. Recovery must
     * refuse it as the check would: the intent voided, the request REJECTED, nothing signed.
     */
    @ParameterizedTest(name = "crash after {0}")
    @EnumSource(value = org.egovpki.core.ca.IssuanceStep.class, names = {"INTENT_WRITTEN", "SIGNED"})
    void recoveryNeverSignsAnIntentWhoseKeyWasRevokedForCompromiseMeanwhile(org.egovpki.core.ca.IssuanceStep crashAfter) {
        KeyPair key = f.sm2();
        CertificateRecord first = issue(person("Zhang San", "11010519491231002X", key));
        EnrollmentService crashing = f.service(f.issuer((step, record) -> {
            if (step == crashAfter) {
                throw new IllegalStateException("crash");
            }
        }));
        EnrollmentRequest waiting = crashing.submit(EnrollmentFixture.CLERK, person("Li Si", "110105198001010016", key));
        assertThatThrownBy(() -> crashing.approve(EnrollmentFixture.REVIEWER, waiting.id()))
                .hasMessageContaining("crash");
        assertThat(f.stores.findByRequest(waiting.id())).hasSize(1);
        f.revocations().revokeByOperator(EnrollmentFixture.RA_ADMIN, CA, first.serial(),
                RevocationReason.KEY_COMPROMISE, Requester.SUBSCRIBER, null);

        org.egovpki.core.ca.Issuer.Recovery recovery = f.issuer(org.egovpki.core.ca.IssuanceObserver.NONE).recoverAll();

        assertThat(recovery.failed()).as("finished: nothing to retry").isEmpty();
        assertThat(recovery.refused()).containsExactly(waiting.id());
        assertThat(enrollment.get(waiting.id()).state()).isEqualTo(RequestState.REJECTED);
        assertThat(f.stores.findByRequest(waiting.id())).as("the intent voided, never signed")
                .allSatisfy(r -> {
                    assertThat(r.certificateDer()).isNull();
                    assertThat(r.issuanceState()).isEqualTo(org.egovpki.core.certificate.IssuanceState.VOID);
                });
        assertThat(f.stores.published.getOrDefault(waiting.subscriberId(), List.of())).isEmpty();
        assertThat(f.issuer(org.egovpki.core.ca.IssuanceObserver.NONE).recoverAll().failed()).as("the next start")
                .isEmpty();
    }

    private CertificateRecord issue(Submission submission) {
        EnrollmentRequest submitted = enrollment.submit(EnrollmentFixture.CLERK, submission);
        EnrollmentRequest issued = enrollment.approve(EnrollmentFixture.REVIEWER, submitted.id());
        List<String> serials = issued.resultSerials();
        assertThat(serials).hasSize(1);
        return f.stores.certificates.values().stream().filter(r -> r.serialHex().equals(serials.get(0)))
                .findFirst().orElseThrow();
    }

    private static Submission person(String name, String idNumber, KeyPair key) {
        RegistrationData registration = new RegistrationData(name, RegistrationData.RESIDENT_ID, idNumber, null,
                null, null, null, null, null, null, null, null, null, List.of(), List.of(), null);
        return new Submission(EnrollmentFixture.csr(key, "CN=" + name + ",O=Test Bureau,C=CN"), "personal", null,
                registration, "tax", "410000", false, "a challenge phrase".toCharArray(), true);
    }
}
