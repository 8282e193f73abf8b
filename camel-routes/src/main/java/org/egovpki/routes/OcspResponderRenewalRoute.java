package org.egovpki.routes;

import java.time.Duration;
import org.apache.camel.builder.RouteBuilder;

/**
 * Renews delegated OCSP responder certificates while the server runs ({@code ocsp.signer:
 * delegated}): every {@code egovpki.ocsp.renewalCheckMillis} the {@code ocspResponderJobs} bean
 * renews those with less than a third of their validity left. Start-up does the same check, but a
 * server that runs longer than the validity would otherwise sign with an expired certificate.
 * A check that finds nothing due touches neither the key store nor a CA key. A failed run is
 * logged and retried at the next period; the current responder keeps signing until it expires.
 */
public final class OcspResponderRenewalRoute extends FlowRouteBuilder {

    public static final String ROUTE_ID = "ocsp-responder-renewal";
    public static final String JOBS_BEAN = "ocspResponderJobs";

    @Override
    public void configure() {
        // Each check is a firing of its own: not redelivered, the next check tries again.
        retryThenLog(0, Duration.ZERO);

        from("timer:ocsp-responder-renewal?period={{egovpki.ocsp.renewalCheckMillis}}"
                + "&delay={{egovpki.ocsp.renewalCheckMillis}}")
                .routeId(ROUTE_ID)
                .bean(JOBS_BEAN, "renewDue").id("renew-due-ocsp-responders")
                .filter(body().isGreaterThan(0))
                    .log("Renewed ${body} delegated OCSP responder certificate(s)");
    }
}
