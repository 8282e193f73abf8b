package org.egovpki.routes;

import java.time.Duration;
import java.time.ZoneId;
import java.util.Objects;
import org.apache.camel.CamelContext;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.processor.aggregate.AggregateProcessor;

/**
 * Changes the CRL flows' timings in a running context (a configuration reload): the scheduled
 * full CRL's cron and zone ({@link CrlScheduleRoute}) and the after-revocation window
 * ({@link CrlAfterRevocationRoute}). A Camel route's endpoint options are fixed when it is built,
 * so each change stops and removes the route and adds it again, built with the new values; the
 * route keeps its id. Names of revoking CAs waiting in the after-revocation window are not lost:
 * the open window is closed first (their CRLs are issued at once), names still in the seda
 * queue wait there for the new route, and a name that reached the window as it was being closed
 * stays in its {@link CrlWindowRepository}, which outlives the route, for the new route's window.
 */
public final class CrlTimings {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(CrlTimings.class);
    /** How long a replacement waits for the closed window's CRL job (it signs CRLs: seconds at most). */
    private static final Duration COMPLETION_WAIT = Duration.ofSeconds(60);

    private final CamelContext camel;

    public CrlTimings(CamelContext camel) {
        this.camel = Objects.requireNonNull(camel, "camel");
    }

    /** The scheduled full CRL from now on fires on {@code cron} (Quartz) read in {@code zone}. */
    public synchronized void reschedule(String cron, ZoneId zone) throws Exception {
        Objects.requireNonNull(cron, "cron");
        Objects.requireNonNull(zone, "zone");
        // The route's URI reads these properties when it is built.
        camel.getPropertiesComponent().addInitialProperty("egovpki.crl.cron", CrlScheduleRoute.cronForUri(cron));
        camel.getPropertiesComponent().addInitialProperty("egovpki.crl.timeZone", zone.getId());
        replace(CrlScheduleRoute.ROUTE_ID, new CrlScheduleRoute());
    }

    /** A revocation's CRL from now on follows it within {@code window}. */
    public synchronized void afterRevocationWindow(Duration window) throws Exception {
        Objects.requireNonNull(window, "window");
        AggregateProcessor open = camel.getProcessor(CrlAfterRevocationRoute.WINDOW_ID, AggregateProcessor.class);
        if (open != null) {
            // Take no more names off the queue (they wait there for the new route), let the ones taken
            // join the window, then close the window now, as its interval would later: the new route's
            // aggregation starts empty and no revocation waits for a CRL longer than it was promised.
            camel.getRouteController().suspendRoute(CrlAfterRevocationRoute.ROUTE_ID);
            open.forceCompletionOfAllGroups();
            // The closed window's CRL job runs on the aggregator's own thread: stopping the route before
            // it has run would drop it (seen on a loaded machine), so wait for it, within a bound.
            awaitCompletions(open);
        }
        replace(CrlAfterRevocationRoute.ROUTE_ID, new CrlAfterRevocationRoute(window));
    }

    private static void awaitCompletions(AggregateProcessor open) throws InterruptedException {
        long deadline = System.nanoTime() + COMPLETION_WAIT.toNanos();
        while (open.getInProgressCompleteExchanges() > 0) {
            if (System.nanoTime() > deadline) {
                LOG.warn("The closed CRL window's job did not finish within {}; the route is replaced anyway and the "
                        + "next scheduled CRL (or the start-up catch-up) covers what it would have issued",
                        COMPLETION_WAIT);
                return;
            }
            Thread.sleep(10);
        }
    }

    private void replace(String routeId, RoutesBuilder replacement) throws Exception {
        if (camel.getRoute(routeId) != null) {
            camel.getRouteController().stopRoute(routeId);
            if (!camel.removeRoute(routeId)) {
                throw new IllegalStateException("route " + routeId + " could not be removed to change its timing");
            }
        }
        camel.addRoutes(replacement);
    }
}
