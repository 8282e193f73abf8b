package org.egovpki.routes;

import java.util.ArrayList;
import org.apache.camel.builder.AggregationStrategies;
import org.apache.camel.builder.RouteBuilder;

/**
 * Bulk enrollment: a batch of applications, sent by one operator, is split into single
 * submissions handled one after the other by the {@value #BEAN} bean ({@link BulkApplications});
 * their results are gathered in the batch's order and become the route's answer, and the batch's
 * {@link BulkProgress} hears of each one as it is done. Sequential on purpose: the answer keeps the
 * batch's order, and the directory serialises writes anyway (docs/benchmarks.md).
 *
 * <pre>
 * direct:bulk-enrollment (body: List&lt;Submission&gt;; properties: operator, progress)
 *   -> check-batch-size
 *   -> split, in order, stop on a fault
 *        -> submit-application   (EnrollmentService.submit as the operator; a refusal is a result)
 *        -> report-progress
 *      gathered into List&lt;BatchResult&gt;
 * </pre>
 *
 * <p>Callers go through {@link BulkEnrollment}, which also turns a fault back into its exception.
 */
public final class BulkEnrollmentRoute extends FlowRouteBuilder {

    public static final String ROUTE_ID = "bulk-enrollment";
    public static final String ENDPOINT = "direct:bulk-enrollment";
    public static final String BEAN = "bulkApplications";
    /** Exchange property: the authenticated {@code Operator} the applications are submitted as. */
    public static final String OPERATOR = "egovpki.operator";
    /** Exchange property: the batch's {@link BulkProgress}. */
    public static final String PROGRESS = "egovpki.bulkProgress";

    @Override
    public void configure() {
        // A refusal is an item's result (caught in the bean); a fault goes back to the caller at once, unretried.
        callerHandlesFailures();

        from(ENDPOINT)
                .routeId(ROUTE_ID)
                .bean(BEAN, "check").id("check-batch-size")
                .split(body(), AggregationStrategies.flexible().accumulateInCollection(ArrayList.class))
                        .stopOnException()
                    .bean(BEAN, "submit").id("submit-application")
                    .bean(BEAN, "progress").id("report-progress")
                .end().id("split-applications");
    }
}
