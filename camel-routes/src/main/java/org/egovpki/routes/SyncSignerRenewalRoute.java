package org.egovpki.routes;

import java.time.Duration;

/**
 * Renews the CAs' sync-signing certificates while the server runs (docs/sync.md, "The
 * signature"): every {@code egovpki.sync.signerRenewalCheckMillis} the {@code syncSignerJobs}
 * bean ({@code org.egovpki.core.ca.SyncSigners}) certifies a new key for those with less than a
 * third of their validity left. Start-up does the same check; a server that runs longer than the
 * validity would otherwise stop signing sync messages when a certificate expires (the signer
 * then renews inline, on the message's thread). A check that finds nothing due touches neither
 * the key store nor a CA key. A failed run is logged and retried at the next period.
 */
public final class SyncSignerRenewalRoute extends FlowRouteBuilder {

    public static final String ROUTE_ID = "sync-signer-renewal";
    public static final String JOBS_BEAN = "syncSignerJobs";

    @Override
    public void configure() {
        // Each check is a firing of its own: not redelivered, the next check tries again.
        retryThenLog(0, Duration.ZERO);

        from("timer:sync-signer-renewal?period={{egovpki.sync.signerRenewalCheckMillis}}"
                + "&delay={{egovpki.sync.signerRenewalCheckMillis}}")
                .routeId(ROUTE_ID)
                .bean(JOBS_BEAN, "renewDue").id("renew-due-sync-signers")
                .filter(body().isGreaterThan(0))
                    .log("Renewed ${body} sync-signing certificate(s)");
    }
}
