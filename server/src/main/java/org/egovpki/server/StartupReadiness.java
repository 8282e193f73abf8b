package org.egovpki.server;

import java.util.List;
import org.egovpki.server.http.Readiness;

/**
 * The server's own part of {@code /health/ready}: start-up finished — recovery of half-done
 * issuances included, every flow and listener started, the start audited — and not stopping;
 * and the Camel routes all started. HTTP listens before start-up ends (step 13 of 15), so a
 * probe in between is told to wait rather than sent requests the server is not ready for.
 */
final class StartupReadiness implements Readiness {

    private final RoutesAssembly routes;
    private volatile boolean started;
    private volatile boolean stopping;

    StartupReadiness(RoutesAssembly routes) {
        this.routes = routes;
    }

    /** Start-up, recovery included, finished. */
    void started() {
        started = true;
    }

    /** The server is stopping: not ready any more, so traffic drains before the listeners close. */
    void stopping() {
        stopping = true;
    }

    @Override
    public List<Component> components() {
        String startup = stopping ? "the server is stopping"
                : started ? null : "start-up has not finished (recovery of half-done issuances, the flows, the listeners)";
        List<String> down = routes.notStarted();
        return List.of(new Component("startup", startup),
                new Component("routes", down.isEmpty() ? null : String.join("; ", down)));
    }
}
