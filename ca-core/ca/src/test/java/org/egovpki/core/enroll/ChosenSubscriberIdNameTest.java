package org.egovpki.core.enroll;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.security.KeyPair;
import java.util.List;
import org.egovpki.core.DomainException;
import org.egovpki.core.ca.CaRegistry;
import org.egovpki.core.ca.EnrollmentFixture;
import org.egovpki.core.enroll.validation.RegistrationData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Probe: "one name per identity" was checked against the registration of the request's subscriber
 * id only. A clerk who chose a fresh {@code subscriberId} applied under a registered ID number with
 * another name and got a second subscriber — and a certificate — for that ID number under the other
 * name. The subscriber the documents name (the keyed id) must be asked too.
 */
class ChosenSubscriberIdNameTest {

    private static CaRegistry cas;

    @BeforeAll
    static void createCas() {
        cas = EnrollmentFixture.createCas();
    }

    @Test
    void aChosenSubscriberIdDoesNotLetARegisteredIdNumberCarryAnotherName() {
        EnrollmentFixture f = new EnrollmentFixture(cas);
        EnrollmentService enrollment = f.service();
        EnrollmentRequest zhang = enrollment.submit(EnrollmentFixture.CLERK,
                person(null, "Zhang San", f.sm2()));
        enrollment.approve(EnrollmentFixture.REVIEWER, zhang.id());
        int requests = f.stores.requests.size();

        Throwable refused = catchThrowable(() -> enrollment.submit(EnrollmentFixture.CLERK,
                person("chosen-1", "Li Si", f.sm2())));

        assertThat(refused).isInstanceOf(DomainException.class);
        assertThat(((DomainException) refused).kind()).isEqualTo(DomainException.Kind.CONFLICT);
        assertThat(((DomainException) refused).field()).isEqualTo("registration.realName");
        assertThat(refused.getMessage()).doesNotContain("Zhang");
        assertThat(f.stores.requests).as("nothing stored").hasSize(requests);

        // The registered name under a chosen id stays allowed.
        EnrollmentRequest same = enrollment.submit(EnrollmentFixture.CLERK, person("chosen-2", "ZHANG SAN", f.sm2()));
        assertThat(same.state()).isEqualTo(RequestState.SUBMITTED);
    }

    private static Submission person(String subscriberId, String name, KeyPair key) {
        RegistrationData registration = new RegistrationData(name, RegistrationData.RESIDENT_ID, "11010519491231002X",
                null, null, null, null, null, null, null, null, null, null, List.of(), List.of(), null);
        return new Submission(EnrollmentFixture.csr(key, "CN=" + name + ",O=Test Bureau,C=CN"),
                "personal", subscriberId, registration, "tax", "410000", false, "a challenge phrase".toCharArray(), true);
    }
}
