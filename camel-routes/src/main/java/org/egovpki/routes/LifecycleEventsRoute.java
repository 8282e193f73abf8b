package org.egovpki.routes;

import org.apache.camel.ExchangePattern;
import org.apache.camel.builder.RouteBuilder;
import org.egovpki.core.event.CaRevoked;
import org.egovpki.core.event.CertificateRevoked;

/**
 * Lifecycle events: every {@code LifecycleEvent} the domain publishes (certificate issued, renewed,
 * re-issued, revoked, superseded; CRL published; CA revoked; key retired) arrives here through
 * {@link RoutedLifecycleEvents} and goes to each consumer in turn:
 * <pre>
 *   event ─▶ OCSP cache invalidation (revocations)      synchronous, before the revoking call returns
 *         ─▶ KM key retirement (encryption revocations)  synchronous; a KM failure is logged, never thrown
 *         ─▶ CRL after revocation (revocations, CA revocations: the CA name) ─▶ seda, aggregated per CA
 *         ─▶ [web-service sync subscribes here]
 * </pre>
 * {@code direct:} runs it in the publisher's thread. Each consumer takes the events it cares about
 * and ignores the rest; a new consumer is one bean with an {@code on(LifecycleEvent)} method, bound
 * under its name, and one {@code .bean(...)} line below — no change to the launcher's services.
 */
public final class LifecycleEventsRoute extends FlowRouteBuilder {

    /** Where the route listens. */
    public static final String ENDPOINT = "direct:egovpki-lifecycle-events";
    /**
     * Where publishers send. An event published before the route is installed (during start-up
     * recovery and the first CRLs) is dropped, exactly as before this route, when the listeners were
     * added after recovery: the CRL start-up check ({@link CrlJobs#catchUp()}) covers those CRLs and
     * the OCSP cache does not exist yet.
     */
    public static final String PUBLISH = ENDPOINT + "?block=false&failIfNoConsumers=false";
    public static final String ROUTE_ID = "lifecycle-events";
    public static final String OCSP_BEAN = "ocspInvalidation";
    public static final String KM_BEAN = "kmRetirement";

    @Override
    public void configure() {
        callerHandlesFailures();

        from(ENDPOINT)
                .routeId(ROUTE_ID)
                .bean(OCSP_BEAN, "on").id("ocsp-invalidation")
                .bean(KM_BEAN, "on").id("km-retirement")
                .filter(body().isInstanceOf(CertificateRevoked.class)).id("revoked-certificate-crl")
                    .setBody(simple("${body.issuer()}"))
                    .to(ExchangePattern.InOnly, CrlAfterRevocationRoute.ENDPOINT).id("queue-crl-after-revocation")
                .end()
                .filter(body().isInstanceOf(CaRevoked.class)).id("revoked-ca-crl")
                    .setBody(simple("${body.parent()}"))
                    .to(ExchangePattern.InOnly, CrlAfterRevocationRoute.ENDPOINT).id("queue-parent-crl")
                .end();
                // Web-service sync (issue 12) subscribes here, after the synchronous consumers:
                //   .bean(SyncEvents.BEAN, "on").id("web-service-sync")
    }
}
