package org.egovpki.routes;

import java.time.Duration;
import java.util.Objects;
import org.apache.camel.AggregationStrategy;
import org.apache.camel.builder.RouteBuilder;

/**
 * The CRL that follows a revocation: each revocation sends its CA's name to
 * {@value #ENDPOINT}; the names are gathered per CA and, every {@code window}, each CA that had a
 * revocation gets one new CRL. So a revoked certificate is on a published CRL at most
 * {@code window} (plus the signing time) after its revocation, and a burst of revocations costs one
 * CRL per CA, not one per revocation (REQUIREMENTS §5: within 24 h; our default 60 s).
 *
 * <p>The queue is in memory. If the process dies before the window closes, the start-up check
 * ({@link CrlJobs#catchUp()}) issues the CRL of every CA with a revocation newer than its
 * published CRL, so no revocation waits for the next scheduled CRL.
 */
public final class CrlAfterRevocationRoute extends FlowRouteBuilder {

    public static final String ENDPOINT = "seda:egovpki-revocations?size=100000&blockWhenFull=true";
    public static final String ROUTE_ID = "crl-after-revocation";
    /** The aggregation step: {@link CrlTimings} closes its open window before replacing the route. */
    static final String WINDOW_ID = "crl-after-revocation-window";

    private final Duration window;

    public CrlAfterRevocationRoute(Duration window) {
        this.window = Objects.requireNonNull(window, "window");
    }

    @Override
    public void configure() {
        retryThenLog(3, Duration.ofSeconds(5));

        AggregationStrategy sameCa = (oldExchange, newExchange) -> oldExchange == null ? newExchange : oldExchange;
        from(ENDPOINT)
                .routeId(ROUTE_ID)
                .aggregate(body(), sameCa).aggregationRepository(CrlWindowRepository.of(getContext()))
                .completionInterval(window.toMillis()).id(WINDOW_ID)
                .bean(CrlScheduleRoute.JOBS_BEAN, "issueAfterRevocation(${body})").id("issue-crl-after-revocation");
    }
}
