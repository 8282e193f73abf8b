package org.egovpki.server;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.egovpki.core.ca.IssuanceSteps;
import org.egovpki.core.ca.Issuer;
import org.egovpki.core.ca.KeyManagementLink;
import org.egovpki.core.ca.SyncSigners;
import org.egovpki.core.enroll.DirectoryDecisions;
import org.egovpki.core.event.LifecycleEvent;
import org.egovpki.core.event.LifecycleEvents;
import org.egovpki.core.km.centre.KeyEscrow;
import org.egovpki.core.ocsp.OcspResponder;
import org.egovpki.core.stats.Statistics;
import org.egovpki.core.sync.DirectorySyncCommands;
import org.egovpki.core.sync.SyncCapture;
import org.egovpki.core.sync.SyncDeliveryTrigger;
import org.egovpki.routes.BulkApplications;
import org.egovpki.routes.BulkEnrollment;
import org.egovpki.routes.BulkEnrollmentRoute;
import org.egovpki.routes.CrlAfterRevocationRoute;
import org.egovpki.routes.CrlJobs;
import org.egovpki.routes.CrlScheduleRoute;
import org.egovpki.routes.CrlTimings;
import org.egovpki.routes.DirectoryApprovalRoute;
import org.egovpki.routes.StatisticsRoute;
import org.egovpki.routes.IssuanceRecoveryRoute;
import org.egovpki.routes.DirectorySyncCommandsRoute;
import org.egovpki.routes.Flows;
import org.egovpki.routes.KmRetentionRoute;
import org.egovpki.routes.OcspPresignedRefreshRoute;
import org.egovpki.routes.OcspResponderJobs;
import org.egovpki.routes.OcspResponderRenewalRoute;
import org.egovpki.routes.RoutedIssuance;
import org.egovpki.routes.SyncSignerRenewalRoute;
import org.egovpki.routes.RoutedSyncDeliveryTrigger;
import org.egovpki.routes.SyncDelivery;
import org.egovpki.routes.SyncDeliveryRoute;
import org.egovpki.routes.SyncRetention;
import org.egovpki.routes.SyncRetentionRoute;
import org.egovpki.server.config.EgovPkiConfig;
import org.egovpki.server.metrics.RouteMetrics;
import org.egovpki.server.metrics.ServerMetrics;

/**
 * The flows (camel-routes, docs/architecture.md "Flows as routes"): one Camel context, started
 * right after the audit trail opens (step 7), because the domain services publish their lifecycle
 * events into it and start-up recovery already issues through its issuance route; the timer flows
 * (CRL schedule, directory approvals, KM key destruction, delegated OCSP responder and sync signer
 * renewal), the bulk enrollment and the lifecycle-events route with its consumers are added at step
 * 12. Endpoint
 * settings come from the configuration as properties.
 */
final class RoutesAssembly {

    /** How often the sync delivery looks at every target for work no trigger announced. */
    static final Duration SYNC_POLL = Duration.ofSeconds(1);
    /** Targets delivered at the same time (each target has one message in flight). */
    static final int SYNC_WORKERS = 4;
    /** How often delivered sync messages past sync.retentionDays are deleted. */
    static final Duration SYNC_PURGE = Duration.ofHours(1);

    private final EgovPkiConfig config;
    private final CamelContext camel;

    private RoutesAssembly(EgovPkiConfig config, CamelContext camel) {
        this.config = config;
        this.camel = camel;
    }

    /**
     * Starts the context (no routes yet); it stops after everything started later. Every route
     * added from here on is measured ({@link RouteMetrics}).
     */
    static RoutesAssembly start(EgovPkiConfig config, ServerMetrics metrics, Teardown teardown) {
        CamelContext camel;
        try {
            camel = Flows.start(properties(config));
            camel.addRoutePolicyFactory(new RouteMetrics(metrics.registry()));
        } catch (Exception e) {
            throw new StartupException("the Camel context cannot start: " + e.getMessage());
        }
        teardown.add(camel::stop);
        return new RoutesAssembly(config, camel);
    }

    /**
     * What keeps the flows from running: empty when the context and every route in it are started,
     * else the context's state or each route that is not started with its state (for {@code /health/ready}).
     */
    List<String> notStarted() {
        if (!camel.isStarted()) {
            return List.of("the Camel context is " + camel.getStatus());
        }
        List<String> down = new ArrayList<>();
        for (Route route : camel.getRoutes()) {
            ServiceStatus status = camel.getRouteController().getRouteStatus(route.getRouteId());
            if (status == null || !status.isStarted()) {
                down.add("route " + route.getRouteId() + " is " + status);
            }
        }
        return down;
    }

    /** The domain's events port: publishes to the lifecycle-events route (dropped until step 12 installs it). */
    LifecycleEvents events() {
        return Flows.events(camel);
    }

    /** Adds the issuance route over {@code steps}: the RA's {@code Issuance} and the issuer's flow. */
    RoutedIssuance issuance(IssuanceSteps steps) {
        try {
            return Flows.issuance(camel, steps);
        } catch (Exception e) {
            throw new StartupException("the issuance route cannot start: " + e.getMessage());
        }
    }

    /**
     * Step 12: the timer flows, the bulk enrollment and the lifecycle-events route.
     *
     * @param ocspJobs the delegated responder renewal, or {@code null} when the CAs sign OCSP themselves
     * @param sync     the web-service sync's capture, or {@code null} when the sync is off
     * @param metrics  counts the lifecycle events
     * @return the way into the bulk enrollment route
     */
    BulkEnrollment startFlows(CrlJobs jobs, DirectoryDecisions decisions, OcspResponderJobs ocspJobs,
                              KeyEscrow escrow, BulkApplications bulkApplications, OcspResponder ocsp,
                              KeyManagementLink km, SyncCapture sync, Consumer<LifecycleEvent> metrics) {
        try {
            camel.getRegistry().bind("crlJobs", jobs);
            camel.getRegistry().bind(DirectoryApprovalRoute.DECISIONS_BEAN, decisions);
            camel.getRegistry().bind(KmRetentionRoute.ESCROW_BEAN, escrow);
            camel.addRoutes(new KmRetentionRoute());
            camel.addRoutes(new CrlScheduleRoute());
            camel.addRoutes(new DirectoryApprovalRoute());
            camel.getRegistry().bind(BulkEnrollmentRoute.BEAN, bulkApplications);
            camel.addRoutes(new BulkEnrollmentRoute());
            camel.addRoutes(new CrlAfterRevocationRoute(config.ca().crl().afterRevocation()));
            if (ocspJobs != null) {
                camel.getRegistry().bind(OcspResponderRenewalRoute.JOBS_BEAN, ocspJobs);
                camel.addRoutes(new OcspResponderRenewalRoute());
            }
            camel.getRegistry().bind(OcspPresignedRefreshRoute.RESPONDER_BEAN, ocsp);
            camel.addRoutes(new OcspPresignedRefreshRoute(
                    camel.getRegistry().lookupByName(OcspPresignedRefreshRoute.SNAPSHOT_BEAN) != null));
            Flows.lifecycleEvents(camel, ocsp, km, sync, metrics);
            return new BulkEnrollment(camel.createProducerTemplate());
        } catch (Exception e) {
            throw new StartupException("the Camel routes (CRL schedule, directory approvals, OCSP responder renewal, "
                    + "OCSP pre-signed refresh, "
                    + "KM key destruction, bulk enrollment, lifecycle events) cannot start: " + e.getMessage());
        }
    }

    /**
     * Has the pre-signed OCSP refresh (started by {@link #startFlows}) write the answers to
     * {@code file} after each run, when they changed (docs/revocation.md, "Pre-signed answers").
     */
    void persistPresignedOcsp(PresignedAnswersFile file) {
        camel.getRegistry().bind(OcspPresignedRefreshRoute.SNAPSHOT_BEAN, file);
    }

    /**
     * The commands CA admins add below sync targets in an LDAP browser (docs/sync.md), polled like
     * the directory approvals; whether or not the sync is enabled, as the REST administration is.
     */
    void startSyncCommands(DirectorySyncCommands commands) {
        try {
            camel.getRegistry().bind(DirectorySyncCommandsRoute.COMMANDS_BEAN, commands);
            camel.addRoutes(new DirectorySyncCommandsRoute());
        } catch (Exception e) {
            throw new StartupException("the directory sync commands route cannot start: " + e.getMessage());
        }
    }

    /**
     * Recovery every {@code enrollment.recoveryGraceSeconds} when that is not zero: a second CA process
     * on the same directory finishes what a stopped one left (docs/directory.md "Two CA processes on one directory").
     */
    void startIssuanceRecovery(Issuer issuer, Duration grace) {
        if (grace.isZero()) {
            return;
        }
        try {
            camel.getRegistry().bind(IssuanceRecoveryRoute.BEAN, issuer);
            camel.addRoutes(new IssuanceRecoveryRoute());
        } catch (Exception e) {
            throw new StartupException("the issuance recovery route cannot start: " + e.getMessage());
        }
    }

    /** The statistics' aggregate: closes each finished day and recomputes today (docs/statistics.md). */
    void startStatistics(Statistics statistics) {
        try {
            camel.getRegistry().bind(StatisticsRoute.BEAN, statistics);
            camel.addRoutes(new StatisticsRoute());
        } catch (Exception e) {
            throw new StartupException("the statistics route cannot start: " + e.getMessage());
        }
    }

    /** The sync signers' renewal timer (docs/sync.md), when the sync is enabled. */
    void startSyncSignerRenewal(SyncSigners signers) {
        try {
            camel.getRegistry().bind(SyncSignerRenewalRoute.JOBS_BEAN, signers);
            camel.addRoutes(new SyncSignerRenewalRoute());
        } catch (Exception e) {
            throw new StartupException("the sync signer renewal route cannot start: " + e.getMessage());
        }
    }

    /**
     * Adds the sync delivery and retention routes; the trigger wakes the delivery for a realtime
     * target. The delivery is built in this context: its SOAP binding sends through a Camel endpoint.
     */
    SyncDeliveryTrigger syncDelivery(Function<CamelContext, SyncDelivery> deliveryInContext, SyncRetention retention) {
        try {
            SyncDelivery delivery = deliveryInContext.apply(camel);
            camel.getRegistry().bind(SyncDeliveryRoute.BEAN, delivery);
            camel.addRoutes(new SyncDeliveryRoute());
            camel.getRegistry().bind(SyncRetentionRoute.BEAN, retention);
            camel.addRoutes(new SyncRetentionRoute());
            return new RoutedSyncDeliveryTrigger(camel, delivery);
        } catch (Exception e) {
            throw new StartupException("the sync delivery route cannot start: " + e.getMessage());
        }
    }

    /** Changes the CRL flows' timings in the running context (a configuration reload). */
    CrlTimings crlTimings() {
        return new CrlTimings(camel);
    }

    /** The properties the routes' URIs read, all from the configuration. */
    private static Properties properties(EgovPkiConfig config) {
        Properties properties = new Properties();
        properties.setProperty("egovpki.crl.cron", CrlScheduleRoute.cronForUri(config.ca().crl().schedule()));
        properties.setProperty("egovpki.crl.timeZone", config.ca().crl().timeZone().getId());
        // Used only when the grace is not zero (startIssuanceRecovery).
        properties.setProperty("egovpki.recovery.periodMillis",
                Long.toString(Math.max(1000, config.enrollment().recoveryGrace().toMillis())));
        properties.setProperty("egovpki.approvals.pollMillis",
                Long.toString(config.enrollment().approvalPollInterval().toMillis()));
        properties.setProperty("egovpki.ocsp.renewalCheckMillis", Long.toString(CaAssembly.OCSP_RENEWAL_CHECK.toMillis()));
        properties.setProperty("egovpki.ocsp.presignedRefreshMillis",
                Long.toString(CaAssembly.OCSP_PRESIGNED_REFRESH.toMillis()));
        properties.setProperty("egovpki.sync.signerRenewalCheckMillis",
                Long.toString(SyncAssembly.SIGNER_RENEWAL_CHECK.toMillis()));
        properties.setProperty("egovpki.km.cron", CrlScheduleRoute.cronForUri(config.km().destructionSchedule()));
        properties.setProperty("egovpki.km.timeZone", config.km().timeZone().getId());
        properties.setProperty("egovpki.sync.pollMillis", Long.toString(SYNC_POLL.toMillis()));
        properties.setProperty("egovpki.statistics.refreshMillis", Long.toString(config.statistics().refresh().toMillis()));
        properties.setProperty("egovpki.sync.workers", Integer.toString(SYNC_WORKERS));
        properties.setProperty("egovpki.sync.purgeMillis", Long.toString(SYNC_PURGE.toMillis()));
        return properties;
    }
}
