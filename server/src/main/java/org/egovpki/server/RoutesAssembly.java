package org.egovpki.server;

import java.util.Properties;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.egovpki.core.ca.CaRevocations;
import org.egovpki.core.enroll.DirectoryDecisions;
import org.egovpki.core.km.centre.KeyEscrow;
import org.egovpki.core.revoke.RevocationService;
import org.egovpki.routes.BulkApplications;
import org.egovpki.routes.BulkEnrollment;
import org.egovpki.routes.BulkEnrollmentRoute;
import org.egovpki.routes.CrlAfterRevocationRoute;
import org.egovpki.routes.CrlJobs;
import org.egovpki.routes.CrlScheduleRoute;
import org.egovpki.routes.DirectoryApprovalRoute;
import org.egovpki.routes.KmRetentionRoute;
import org.egovpki.routes.OcspResponderJobs;
import org.egovpki.routes.OcspResponderRenewalRoute;
import org.egovpki.server.config.EgovPkiConfig;

/**
 * Start-up step 12: one Camel context with the CRL schedule, the CRL after a revocation, the
 * directory approvals, the KM key destruction and (with delegated responders) the OCSP responder
 * renewal, and the bulk enrollment behind {@code POST /api/v1/requests/batch}; endpoint settings
 * come from the configuration as properties.
 */
final class RoutesAssembly {

    private RoutesAssembly() {
    }

    /**
     * @param ocspJobs the delegated responder renewal, or {@code null} when the CAs sign OCSP themselves
     * @return the way into the bulk enrollment route
     */
    static BulkEnrollment start(EgovPkiConfig config, CrlJobs jobs, DirectoryDecisions decisions,
                                OcspResponderJobs ocspJobs, KeyEscrow escrow, RevocationService revocations,
                                CaRevocations caRevocations, BulkApplications bulkApplications, Teardown teardown) {
        try {
            CamelContext camel = new DefaultCamelContext();
            Properties properties = new Properties();
            properties.setProperty("egovpki.crl.cron", CrlScheduleRoute.cronForUri(config.ca().crl().schedule()));
            properties.setProperty("egovpki.crl.timeZone", config.ca().crl().timeZone().getId());
            properties.setProperty("egovpki.approvals.pollMillis",
                    Long.toString(config.enrollment().approvalPollInterval().toMillis()));
            properties.setProperty("egovpki.ocsp.renewalCheckMillis",
                    Long.toString(CaAssembly.OCSP_RENEWAL_CHECK.toMillis()));
            camel.getPropertiesComponent().setInitialProperties(properties);
            camel.getRegistry().bind("crlJobs", jobs);
            camel.getRegistry().bind(DirectoryApprovalRoute.DECISIONS_BEAN, decisions);
            properties.setProperty("egovpki.km.cron", CrlScheduleRoute.cronForUri(config.km().destructionSchedule()));
            properties.setProperty("egovpki.km.timeZone", config.km().timeZone().getId());
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
            camel.start();
            teardown.add(camel::stop);
            ProducerTemplate producer = camel.createProducerTemplate();
            revocations.addListener(revoked -> producer.sendBody(CrlAfterRevocationRoute.ENDPOINT, revoked.issuer()));
            caRevocations.addListener(parent -> producer.sendBody(CrlAfterRevocationRoute.ENDPOINT, parent));
            return new BulkEnrollment(producer);
        } catch (Exception e) {
            throw new StartupException("the Camel routes (CRL schedule, directory approvals, OCSP responder renewal, "
                    + "KM key destruction, bulk enrollment) "
                    + "cannot start: "
                    + e.getMessage());
        }
    }
}
