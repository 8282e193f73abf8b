package org.egovpki.routes;

import java.util.Objects;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.egovpki.core.ca.IssuanceSteps;
import org.egovpki.core.ca.KeyManagementLink;
import org.egovpki.core.event.LifecycleEvent;
import org.egovpki.core.event.LifecycleEvents;
import org.egovpki.core.ocsp.OcspResponder;
import org.egovpki.core.sync.SyncCapture;

/**
 * Installs the flows that the domain calls into — issuance and lifecycle events — so the launcher
 * wires them in three calls: {@link #start} the context early (start-up recovery already goes
 * through the issuance route), {@link #issuance} once the steps exist, {@link #lifecycleEvents}
 * once the consumers exist. The timer flows (CRL schedule, approvals, OCSP renewal, KM
 * destruction) are added to the same context by the launcher.
 */
public final class Flows {

    private Flows() {
    }

    /** A started context with the routes' properties; the events port publishes into it from now on. */
    public static CamelContext start(Properties properties) throws Exception {
        CamelContext camel = new DefaultCamelContext();
        camel.getPropertiesComponent().setInitialProperties(Objects.requireNonNull(properties, "properties"));
        camel.start();
        return camel;
    }

    /** The domain's events port: publishes to the lifecycle-events route (dropped until it is installed). */
    public static LifecycleEvents events(CamelContext camel) {
        return new RoutedLifecycleEvents(camel);
    }

    /** Adds the issuance route over {@code steps}; the result is the RA's {@code Issuance} and the issuer's flow. */
    public static RoutedIssuance issuance(CamelContext camel, IssuanceSteps steps) throws Exception {
        camel.getRegistry().bind(IssuanceRoute.STEPS_BEAN, Objects.requireNonNull(steps, "steps"));
        camel.addRoutes(new IssuanceRoute());
        return new RoutedIssuance(camel);
    }

    /**
     * Adds the lifecycle-events route and its consumers. The CRL-after-revocation route it feeds
     * must be in the context ({@link CrlAfterRevocationRoute}, with the {@code crlJobs} bean).
     */
    public static void lifecycleEvents(CamelContext camel, OcspResponder ocsp, KeyManagementLink km) throws Exception {
        camel.getRegistry().bind(LifecycleEventsRoute.OCSP_BEAN, new OcspStatusChanges(ocsp));
        camel.getRegistry().bind(LifecycleEventsRoute.KM_BEAN, new KmRetirement(km));
        camel.addRoutes(new LifecycleEventsRoute());
    }

    /** As {@link #lifecycleEvents(CamelContext, OcspResponder, KeyManagementLink)}, also waking the web-service sync. */
    public static void lifecycleEvents(CamelContext camel, OcspResponder ocsp, KeyManagementLink km, SyncCapture sync)
            throws Exception {
        lifecycleEvents(camel, ocsp, km, Objects.requireNonNull(sync, "sync"), null);
    }

    /**
     * As {@link #lifecycleEvents(CamelContext, OcspResponder, KeyManagementLink)}, also waking the
     * web-service sync and telling the metrics, each when not {@code null}.
     */
    public static void lifecycleEvents(CamelContext camel, OcspResponder ocsp, KeyManagementLink km, SyncCapture sync,
                                       Consumer<LifecycleEvent> metrics) throws Exception {
        camel.getRegistry().bind(LifecycleEventsRoute.OCSP_BEAN, new OcspStatusChanges(ocsp));
        camel.getRegistry().bind(LifecycleEventsRoute.KM_BEAN, new KmRetirement(km));
        if (sync != null) {
            camel.getRegistry().bind(LifecycleEventsRoute.SYNC_BEAN, sync);
        }
        if (metrics != null) {
            camel.getRegistry().bind(LifecycleEventsRoute.METRICS_BEAN, metrics);
        }
        camel.addRoutes(new LifecycleEventsRoute(sync != null, metrics != null));
    }
}
