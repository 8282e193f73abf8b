package org.egovpki.routes;

import java.time.Duration;
import org.apache.camel.builder.RouteBuilder;

/**
 * The scheduled full CRL (REQUIREMENTS §5: daily at 00:00, nextUpdate = thisUpdate + 24 h).
 * The cron expression and time zone are properties ({@code egovpki.crl.cron},
 * {@code egovpki.crl.timeZone}) set from {@code ca.crl.schedule} and {@code ca.crl.timeZone}.
 * A failed run is logged by the shared error handler and retried at the next firing; the start-up
 * check re-issues any CRL that is about to expire, so a missed midnight never leaves a stale CRL.
 */
public final class CrlScheduleRoute extends FlowRouteBuilder {

    public static final String ROUTE_ID = "crl-scheduled-full";
    static final String JOBS_BEAN = "crlJobs";

    @Override
    public void configure() {
        retryThenLog(2, Duration.ofSeconds(30));

        from("quartz://egovpki/crl-full?cron={{egovpki.crl.cron}}&trigger.timeZone={{egovpki.crl.timeZone}}")
                .routeId(ROUTE_ID)
                .log("Scheduled full CRL run")
                .bean(JOBS_BEAN, "issueAllFullCrls").id("issue-full-crls")
                .log("Scheduled full CRLs issued for ${body} CA(s)");
    }

    /** Quartz cron has spaces; in an endpoint URI they are written as '+'. */
    public static String cronForUri(String cron) {
        return cron.trim().replaceAll("\\s+", "+");
    }
}
