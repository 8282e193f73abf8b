package org.egovpki.routes;

import org.apache.camel.ExchangePattern;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.builder.RouteBuilder;
import org.egovpki.core.event.CaRevoked;
import org.egovpki.core.event.CertificateRevoked;

/**
 * Lifecycle events: every {@code LifecycleEvent} the domain publishes (certificate issued, renewed,
 * re-issued, revoked, superseded; CRL published; CA revoked; key retired) arrives here through
 * {@link RoutedLifecycleEvents} and goes to each consumer in turn:
 * <pre>
 *   event ─▶ OCSP answers (revocations; issuance: signed ahead) synchronous, before the call returns; never throws
 *         ─▶ KM key retirement (encryption revocations)  synchronous; a KM failure is logged, never thrown
 *         ─▶ web-service sync (when on)                  wakes the capture worker; never blocks or throws
 *         ─▶ metrics (when on)                           counts the event; never blocks or throws
 *         ─▶ CRL after revocation (revocations, CA revocations: the CA name) ─▶ seda, aggregated per CA
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
    public static final String OCSP_BEAN = "ocspStatusChanges";
    public static final String KM_BEAN = "kmRetirement";
    /** The web-service sync's capture worker ({@code org.egovpki.core.sync.SyncCapture}). */
    public static final String SYNC_BEAN = "syncCapture";
    /** The server's metrics: a {@code Consumer<LifecycleEvent>} that counts events (docs/operations.md). */
    public static final String METRICS_BEAN = "lifecycleMetrics";

    private final boolean sync;
    private final boolean metrics;

    /** Without the web-service sync. */
    public LifecycleEventsRoute() {
        this(false);
    }

    /** @param sync whether the web-service sync's capture (bean {@value #SYNC_BEAN}) is told of every event */
    public LifecycleEventsRoute(boolean sync) {
        this(sync, false);
    }

    /**
     * @param sync    whether the web-service sync's capture (bean {@value #SYNC_BEAN}) is told of every event
     * @param metrics whether the metrics consumer (bean {@value #METRICS_BEAN}) counts every event
     */
    public LifecycleEventsRoute(boolean sync, boolean metrics) {
        this.sync = sync;
        this.metrics = metrics;
    }

    @Override
    public void configure() {
        callerHandlesFailures();

        RouteDefinition route = from(ENDPOINT)
                .routeId(ROUTE_ID)
                .bean(OCSP_BEAN, "on").id("ocsp-status-changes")
                .bean(KM_BEAN, "on").id("km-retirement");
        if (sync) {
            // Before the CRL filters, which replace the body. The change already wrote its owed-event
            // marker; this only wakes the capture worker early, and returns at once.
            route.bean(SYNC_BEAN, "on").id("web-service-sync");
        }
        if (metrics) {
            // Before the CRL filters too: they replace the body with a CA name.
            route.bean(METRICS_BEAN, "accept").id("metrics");
        }
        route.filter(body().isInstanceOf(CertificateRevoked.class)).id("revoked-certificate-crl")
                    .setBody(simple("${body.issuer()}"))
                    .to(ExchangePattern.InOnly, CrlAfterRevocationRoute.ENDPOINT).id("queue-crl-after-revocation")
                .end()
                .filter(body().isInstanceOf(CaRevoked.class)).id("revoked-ca-crl")
                    .setBody(simple("${body.parent()}"))
                    .to(ExchangePattern.InOnly, CrlAfterRevocationRoute.ENDPOINT).id("queue-parent-crl")
                .end();
    }
}
