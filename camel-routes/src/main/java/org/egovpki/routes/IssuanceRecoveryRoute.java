package org.egovpki.routes;

import java.time.Duration;

/**
 * Recovery while running, for two CA processes on one directory (docs/directory.md "Two CA
 * processes on one directory"): every {@code egovpki.recovery.periodMillis} (the configured
 * {@code enrollment.recoveryGraceSeconds}) the {@code issuanceRecovery} bean (ca-core's
 * {@code Issuer}) finishes the issuances left half-done longer than the grace ago — by the other
 * process, stopped meanwhile — as start-up recovery does. Installed only when the grace is not zero:
 * with one process, start-up recovery is the whole story. A failed firing is logged; the next tries again.
 */
public final class IssuanceRecoveryRoute extends FlowRouteBuilder {

    public static final String ROUTE_ID = "issuance-recovery";
    public static final String BEAN = "issuanceRecovery";

    @Override
    public void configure() {
        retryThenLog(0, Duration.ZERO);

        from("timer:issuance-recovery?period={{egovpki.recovery.periodMillis}}&delay={{egovpki.recovery.periodMillis}}")
                .routeId(ROUTE_ID)
                .bean(BEAN, "recoverAll").id("recover-issuances");
    }
}
