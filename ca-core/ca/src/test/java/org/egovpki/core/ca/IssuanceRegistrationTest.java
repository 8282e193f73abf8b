package org.egovpki.core.ca;

import static org.assertj.core.api.Assertions.assertThat;

import org.egovpki.core.enroll.EnrollmentRequest;
import org.egovpki.core.enroll.EnrollmentService;
import org.egovpki.core.enroll.RequestState;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The subscriber is registered once per issuance: by the check when it claims the subject DN for
 * a new holder, else at publication (a holder's data may have changed since its last certificate).
 */
class IssuanceRegistrationTest {

    private static CaRegistry cas;

    @BeforeAll
    static void createCas() {
        cas = EnrollmentFixture.createCas();
    }

    @Test
    void aNewHolderIsRegisteredByTheCheckAndNotAgainWhenItsCertificateIsPublished() {
        EnrollmentFixture f = new EnrollmentFixture(cas);
        EnrollmentService service = f.service();

        EnrollmentRequest issued = issue(f, service, "11010519491231002X");

        assertThat(f.stores.registerCalls).isEqualTo(1);
        assertThat(f.stores.registrations).containsKey(issued.subscriberId());
        assertThat(f.stores.holders).containsValue(issued.subscriberId());
        assertThat(f.stores.published.get(issued.subscriberId())).hasSize(1);
    }

    @Test
    void aHolderAlreadyRegisteredIsRegisteredAgainAtPublication() {
        EnrollmentFixture f = new EnrollmentFixture(cas);
        EnrollmentService service = f.service();
        EnrollmentRequest first = issue(f, service, "11010519491231002X");
        f.stores.registerCalls = 0;

        EnrollmentRequest second = issue(f, service, "11010519491231002X");

        assertThat(second.subscriberId()).isEqualTo(first.subscriberId());
        assertThat(f.stores.registerCalls).as("the check claims nothing: the DN is the subscriber's already")
                .isEqualTo(1);
        assertThat(f.stores.published.get(second.subscriberId())).hasSize(2);
    }

    private static EnrollmentRequest issue(EnrollmentFixture f, EnrollmentService service, String idNumber) {
        EnrollmentRequest submitted = service.submit(EnrollmentFixture.CLERK,
                EnrollmentFixture.personal("Zhang San", idNumber, f.sm2(), false));
        service.approve(EnrollmentFixture.REVIEWER, submitted.id());
        EnrollmentRequest after = f.stores.find(submitted.id()).orElseThrow();
        assertThat(after.state()).isEqualTo(RequestState.ISSUED);
        return after;
    }
}
