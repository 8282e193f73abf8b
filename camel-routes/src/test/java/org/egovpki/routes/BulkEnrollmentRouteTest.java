package org.egovpki.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.spi.Registry;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.apache.camel.test.junit5.TestExecutionConfiguration;
import org.egovpki.core.DomainException;
import org.egovpki.core.enroll.EnrollmentRequest;
import org.egovpki.core.enroll.EnrollmentService;
import org.egovpki.core.enroll.EnrollmentService.BatchResult;
import org.egovpki.core.enroll.RequestState;
import org.egovpki.core.enroll.Submission;
import org.egovpki.core.operator.Operator;
import org.egovpki.core.operator.Role;
import org.egovpki.core.profile.CertificateType;
import org.junit.jupiter.api.Test;

class BulkEnrollmentRouteTest extends CamelTestSupport {

    private static final Operator CLERK = new Operator("clerk1", "uid=clerk1,ou=operators,o=egov-pki,c=CN", "Clerk",
            Set.of(Role.ENTRY_CLERK));

    /** The RA as the route sees it: refuses profile "refused", fails on profile "fault", else creates r-<profile>. */
    private final List<String> submitted = Collections.synchronizedList(new ArrayList<>());

    private EnrollmentRequest submit(Operator clerk, Submission application) {
        submitted.add(clerk.uid() + ":" + application.profile());
        return switch (application.profile()) {
            case "refused" -> throw DomainException.badRequest("subject.CN", "CN is not a registered host name");
            case "fault" -> throw new IllegalStateException("the directory went away");
            default -> new EnrollmentRequest("r-" + application.profile(), RequestState.SUBMITTED, new byte[0],
                    application.profile(), CertificateType.DEVICE, "s-1", "CN=gw", application.registration(), null,
                    null, false, null, null, clerk.dn(), null, Instant.EPOCH, null, null, null, List.of());
        };
    }

    @Override
    public void configureTest(TestExecutionConfiguration configuration) {
        super.configureTest(configuration);
        configuration.withUseAdviceWith(true);
    }

    @Override
    protected void bindToRegistry(Registry registry) {
        registry.bind(BulkEnrollmentRoute.BEAN, new BulkApplications(this::submit));
    }

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new BulkEnrollmentRoute();
    }

    private static Submission application(String profile) {
        return new Submission(null, profile, null, null, null, null, false, null, false);
    }

    private List<BatchResult> run(List<Submission> batch, BulkProgress progress) {
        return new BulkEnrollment(template).submit(CLERK, batch, progress);
    }

    @Test
    void eachApplicationIsSubmittedAsTheOperatorAndTheResultsComeBackInOrderWithRefusalsAsResults() throws Exception {
        context.start();
        NotifyBuilder done = new NotifyBuilder(context).fromRoute(BulkEnrollmentRoute.ROUTE_ID).whenCompleted(1)
                .create();
        List<String> progress = new ArrayList<>();

        List<BatchResult> results = run(List.of(application("a"), application("refused"), application("c")),
                (n, total, result) -> progress.add(n + "/" + total + (result.error() == null ? " ok" : " refused")));

        assertThat(done.matches(10, TimeUnit.SECONDS)).as("the batch went through the route once").isTrue();
        assertThat(submitted).containsExactly("clerk1:a", "clerk1:refused", "clerk1:c");
        assertThat(results).extracting(BatchResult::index).containsExactly(0, 1, 2);
        assertThat(results.get(0).request().id()).isEqualTo("r-a");
        assertThat(results.get(0).request().enteredBy()).isEqualTo(CLERK.dn());
        assertThat(results.get(1).request()).isNull();
        assertThat(results.get(1).error().kind()).isEqualTo(DomainException.Kind.BAD_REQUEST);
        assertThat(results.get(1).error().field()).isEqualTo("subject.CN");
        assertThat(results.get(2).request().id()).isEqualTo("r-c");
        assertThat(progress).containsExactly("1/3 ok", "2/3 refused", "3/3 ok");
    }

    @Test
    void everyApplicationPassesTheSubmitAndProgressSteps() throws Exception {
        AdviceWith.adviceWith(context, BulkEnrollmentRoute.ROUTE_ID,
                route -> route.weaveById("report-progress").after().to("mock:reported"));
        context.start();
        MockEndpoint reported = getMockEndpoint("mock:reported");
        reported.expectedMessageCount(2);
        reported.message(0).body().isInstanceOf(BatchResult.class);

        run(List.of(application("a"), application("b")), null);

        reported.assertIsSatisfied();
    }

    @Test
    void aBatchOfWrongSizeIsRefusedWholeAndNothingIsSubmitted() {
        context.start();
        List<Submission> tooMany = Collections.nCopies(EnrollmentService.MAX_BATCH + 1, application("a"));

        assertThatThrownBy(() -> run(List.of(), null)).isInstanceOfSatisfying(DomainException.class,
                e -> assertThat(e.getMessage()).contains("1 to " + EnrollmentService.MAX_BATCH).contains("has 0"));
        assertThatThrownBy(() -> run(tooMany, null)).isInstanceOfSatisfying(DomainException.class,
                e -> assertThat(e.field()).isEqualTo("requests"));
        assertThat(submitted).isEmpty();
    }

    @Test
    void aFaultStopsTheBatchAndReachesTheCallerAsItself() {
        context.start();

        assertThatThrownBy(() -> run(List.of(application("a"), application("fault"), application("c")), null))
                .isInstanceOf(IllegalStateException.class).hasMessage("the directory went away");
        assertThat(submitted).as("nothing after the fault is submitted").containsExactly("clerk1:a", "clerk1:fault");
    }
}
