package org.egovpki.routes;

import java.time.Duration;

/**
 * Keeps the OCSP responder's answers in step ({@code OcspResponder.refreshPresigned}): every
 * {@code egovpki.ocsp.presignedRefreshMillis} the {@code ocspResponder} bean
 * <ul>
 * <li>with two CA processes on one directory, follows the revocations the other one recorded
 *     (pre-signing on or off: the response cache follows them too);</li>
 * <li>with {@code ocsp.presigned}: signs ahead the unexpired certificates that have no answer when
 *     that walk is due ({@code ocsp.presignAhead}), re-signs the answers with less than half of
 *     their validity left that clients asked for since they were signed or that are kept ahead,
 *     and drops the others.</li>
 * </ul>
 * A run that finds nothing due signs nothing. A failed run is logged and retried at the next
 * period; an answer the sweep did not reach in time is signed again on its next request.
 *
 * <p>Persisted (the server's case), each run then hands the set to the
 * {@code ocspPresignedSnapshot} bean's {@code save()}, which writes it to disk when it changed, for
 * a server started locked (docs/revocation.md, "Pre-signed answers").
 */
public final class OcspPresignedRefreshRoute extends FlowRouteBuilder {

    public static final String ROUTE_ID = "ocsp-presigned-refresh";
    public static final String RESPONDER_BEAN = "ocspResponder";
    /** The bean with {@code save()} that persists the pre-signed answers. */
    public static final String SNAPSHOT_BEAN = "ocspPresignedSnapshot";

    private final boolean persisted;

    /** Without persistence: the answers live in memory only. */
    public OcspPresignedRefreshRoute() {
        this(false);
    }

    /** @param persisted whether each run also calls {@value #SNAPSHOT_BEAN}{@code .save()} */
    public OcspPresignedRefreshRoute(boolean persisted) {
        this.persisted = persisted;
    }

    @Override
    public void configure() {
        // Each run is a firing of its own: not redelivered, the next run tries again.
        retryThenLog(0, Duration.ZERO);

        var route = from("timer:ocsp-presigned-refresh?period={{egovpki.ocsp.presignedRefreshMillis}}"
                + "&delay={{egovpki.ocsp.presignedRefreshMillis}}")
                .routeId(ROUTE_ID)
                .bean(RESPONDER_BEAN, "refreshPresigned").id("refresh-presigned-ocsp-answers")
                .filter(body().isGreaterThan(0))
                    .log(org.apache.camel.LoggingLevel.DEBUG, "Re-signed ${body} pre-signed OCSP answer(s)")
                .end();
        if (persisted) {
            route.bean(SNAPSHOT_BEAN, "save").id("save-presigned-ocsp-answers");
        }
    }
}
