package org.egovpki.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.egovpki.core.DomainException;
import org.egovpki.core.ca.CaRegistry;
import org.egovpki.core.ca.EnrollmentFixture;
import org.egovpki.core.ca.IssuanceObserver;
import org.egovpki.core.ca.IssuanceSteps;
import org.egovpki.core.ca.Issuer;
import org.egovpki.core.certificate.CertificateRecord;
import org.egovpki.core.certificate.IssuanceState;
import org.egovpki.core.enroll.EnrollmentRequest;
import org.egovpki.core.enroll.EnrollmentService;
import org.egovpki.core.enroll.RequestState;
import org.egovpki.core.event.CertificateIssued;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The issuance route over the real issuance steps and in-memory stores: every step runs in order,
 * the caller gets the final state in the same call, an exception a step throws reaches the caller
 * unchanged, and recovery re-enters the same route where a failure left the directory.
 */
class IssuanceRouteTest {

    private static final List<String> STEPS = List.of("check", "intent", "sign", "record", "publish", "supersede",
            "complete");

    private static CaRegistry cas;

    private EnrollmentFixture f;
    private IssuanceSteps steps;
    private CamelContext camel;
    private RoutedIssuance issuance;
    private final List<String> ran = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void createCas() {
        cas = EnrollmentFixture.createCas();
    }

    @BeforeEach
    void startRoute() throws Exception {
        f = new EnrollmentFixture(cas);
        steps = f.steps(IssuanceObserver.NONE);
        camel = new DefaultCamelContext();
        issuance = Flows.issuance(camel, steps);
        // Each step, once it has run, notes its id: the route's order is what the test sees.
        AdviceWith.adviceWith(camel, IssuanceRoute.ROUTE_ID, route -> {
            for (String step : STEPS) {
                route.weaveById(step).after().process(exchange -> ran.add(step));
            }
        });
        camel.start();
    }

    @AfterEach
    void stop() {
        camel.stop();
    }

    @Test
    void anApprovedRequestGoesThroughEveryStepInOrderAndTheCallerSeesItIssued() {
        NotifyBuilder done = new NotifyBuilder(camel).fromRoute(IssuanceRoute.ROUTE_ID).whenCompleted(1).create();
        EnrollmentService enrollment = f.service(issuance);
        EnrollmentRequest submitted = enrollment.submit(EnrollmentFixture.CLERK,
                EnrollmentFixture.personal("Zhang San", "11010519491231002X", f.sm2(), false));

        EnrollmentRequest approved = enrollment.approve(EnrollmentFixture.REVIEWER, submitted.id());

        assertThat(done.matches(5, TimeUnit.SECONDS)).isTrue();
        assertThat(approved.state()).as("the final state, in the same call").isEqualTo(RequestState.ISSUED);
        assertThat(ran).containsExactlyElementsOf(STEPS);
        CertificateRecord record = f.stores.findByRequest(submitted.id()).get(0);
        assertThat(record.issuanceState()).isEqualTo(IssuanceState.PUBLISHED);
        assertThat(approved.resultSerials()).containsExactly(record.serialHex());
        assertThat(f.published).filteredOn(CertificateIssued.class::isInstance)
                .extracting(e -> ((CertificateIssued) e).certificate().serialHex())
                .containsExactly(record.serialHex());
    }

    @Test
    void aFailedStepReachesTheCallerUnchangedAndRecoveryFinishesThroughTheSameRoute() throws Exception {
        DomainException refused = new DomainException(DomainException.Kind.UNAVAILABLE, "the signer is away");
        AdviceWith.adviceWith(camel, IssuanceRoute.ROUTE_ID,
                route -> route.weaveById("sign").replace().throwException(refused));
        EnrollmentService enrollment = f.service(issuance);
        EnrollmentRequest submitted = enrollment.submit(EnrollmentFixture.CLERK,
                EnrollmentFixture.personal("Li Si", "440524198001010013", f.sm2(), false));

        assertThatThrownBy(() -> enrollment.approve(EnrollmentFixture.REVIEWER, submitted.id())).isSameAs(refused);

        assertThat(ran).containsExactly("check", "intent");
        assertThat(f.stores.find(submitted.id()).orElseThrow().state()).isEqualTo(RequestState.APPROVED);
        CertificateRecord intent = f.stores.findByRequest(submitted.id()).get(0);
        assertThat(intent.issuanceState()).isEqualTo(IssuanceState.INTENT);

        // The next start: the route as configured, recovery entering it at the signing of the stored intent.
        camel.stop();
        camel = new DefaultCamelContext();
        RoutedIssuance fresh = Flows.issuance(camel, steps);
        camel.start();
        NotifyBuilder recovered = new NotifyBuilder(camel).fromRoute(IssuanceRoute.ROUTE_ID).whenCompleted(1).create();

        assertThat(new Issuer(steps, fresh, f.stores, f.audit, f.clock).recover()).isEqualTo(1);

        assertThat(recovered.matches(5, TimeUnit.SECONDS)).isTrue();
        assertThat(f.stores.find(submitted.id()).orElseThrow().state()).isEqualTo(RequestState.ISSUED);
        assertThat(f.stores.findByRequest(submitted.id())).singleElement().satisfies(record -> {
            assertThat(record.serial()).as("the serial of the intent, never a second one").isEqualTo(intent.serial());
            assertThat(record.issuanceState()).isEqualTo(IssuanceState.PUBLISHED);
        });
    }
}
