package org.egovpki.routes;

import org.apache.camel.builder.RouteBuilder;
import org.egovpki.core.ca.IssuanceSteps;

/**
 * Issuance: every approved request becomes certificates here — a REST approval, an RA
 * auto-approval, a decision written in an LDAP browser, a renewal, rekey, modification or
 * replacement (all through {@link RoutedIssuance}, the RA's {@code Issuance} port), and start-up
 * recovery. The body is an {@code IssuanceJob}; each step is a method of the
 * {@value #STEPS_BEAN} bean (ca-core's {@link IssuanceSteps}) that returns the next job:
 * <pre>
 *   check ─▶ loop while another certificate: intent ─▶ sign ─▶ record ─▶ publish ─▶ supersede ─▶ complete
 * </pre>
 * {@code record} writes the subscriber entry, then the record (certificate and PUBLISHED in one
 * modify); {@code publish} writes only for a RECORDED record an older version left.
 * {@code direct:} runs it in the caller's thread, so a REST caller gets the final state in the same
 * call. There is no error handler and no redelivery: a step's exception goes back to the caller as
 * it was thrown (the same {@code DomainException} kinds and messages as without Camel), and what is
 * durable is in the directory, from which recovery re-enters the same steps after a crash.
 */
public final class IssuanceRoute extends FlowRouteBuilder {

    public static final String ENDPOINT = "direct:egovpki-issuance";
    public static final String ROUTE_ID = "issuance";
    public static final String STEPS_BEAN = "issuanceSteps";

    @Override
    public void configure() {
        callerHandlesFailures();

        from(ENDPOINT)
                .routeId(ROUTE_ID)
                .bean(STEPS_BEAN, "check").id("check")
                .loopDoWhile(simple("${body.hasNext()}")).id("each-certificate")
                    .bean(STEPS_BEAN, "intent").id("intent")
                    .bean(STEPS_BEAN, "sign").id("sign")
                    .bean(STEPS_BEAN, "record").id("record")
                    .bean(STEPS_BEAN, "publish").id("publish")
                .end()
                .bean(STEPS_BEAN, "supersede").id("supersede")
                .bean(STEPS_BEAN, "complete").id("complete");
    }
}
