package org.egovpki.routes;

import java.time.Duration;
import org.apache.camel.builder.RouteBuilder;

/**
 * Approvals and rejections made in an LDAP browser: every {@code egovpki.approvals.pollMillis}
 * the {@code directoryDecisions} bean (ca-core's DirectoryDecisions) finds the decision entries
 * reviewers added below requests and runs each through the same checks as the REST API, as the
 * operator the directory recorded as the entry's author; it also puts back request states the CA
 * did not write.
 *
 * <p>Polling, not persistent search: two indexed searches, for the few pending decision entries and
 * the requests whose shown state the CA did not write, cost well under a millisecond on the embedded directory, so a one-second poll is noise, bounds
 * the latency a reviewer sees to one period, survives directory restarts with no reconnect logic,
 * and behaves the same on ApacheDS and OpenLDAP (whose persistent search support differs; the
 * measured poll cost is in docs/benchmarks.md).
 */
public final class DirectoryApprovalRoute extends FlowRouteBuilder {

    public static final String ROUTE_ID = "directory-approvals";
    public static final String DECISIONS_BEAN = "directoryDecisions";

    @Override
    public void configure() {
        // Each poll is a firing of its own: not redelivered, the next poll tries again.
        retryThenLog(0, Duration.ZERO);

        from("timer:directory-approvals?period={{egovpki.approvals.pollMillis}}&delay=1000")
                .routeId(ROUTE_ID)
                .bean(DECISIONS_BEAN, "processPending").id("process-directory-decisions")
                .filter(body().isGreaterThan(0))
                    .log("Handled ${body} decision(s) written in the directory");
    }
}
