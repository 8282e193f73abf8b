package org.egovpki.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.NamedNode;
import org.apache.camel.Route;
import org.apache.camel.spi.RoutePolicy;
import org.apache.camel.spi.RoutePolicyFactory;
import org.apache.camel.support.RoutePolicySupport;

/**
 * Exchanges per Camel route (docs/architecture.md, "Flows as routes"): how many each route
 * completed, how many failed, and how long they took. A route policy on every route, installed on
 * the context before any route is added; camel-micrometer does the same, but its meter names and
 * its Micrometer version are not ours to choose.
 */
public final class RouteMetrics implements RoutePolicyFactory {

    static final String EXCHANGES = "egovpki_route_exchanges";
    static final String FAILED = "egovpki_route_exchanges_failed";
    static final String DURATION = "egovpki_route_exchange_duration";

    private final MeterRegistry registry;

    public RouteMetrics(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    @Override
    public RoutePolicy createRoutePolicy(CamelContext camelContext, String routeId, NamedNode route) {
        return new Policy(routeId);
    }

    private final class Policy extends RoutePolicySupport {

        private final String startKey;
        private final Counter completedCounter;
        private final Counter failedCounter;
        private final Timer durationTimer;

        Policy(String routeId) {
            this.startKey = "egovpki.metrics.start." + routeId;
            this.completedCounter = Counter.builder(RouteMetrics.EXCHANGES).description("Exchanges a route completed, failed ones included")
                    .tag("route", routeId).register(registry);
            this.failedCounter = Counter.builder(RouteMetrics.FAILED).description("Exchanges a route completed with an exception")
                    .tag("route", routeId).register(registry);
            this.durationTimer = Timer.builder(RouteMetrics.DURATION).description("Time an exchange spent in a route")
                    .tag("route", routeId).register(registry);
        }

        @Override
        public void onExchangeBegin(Route route, Exchange exchange) {
            exchange.setProperty(startKey, registry.config().clock().monotonicTime());
        }

        @Override
        public void onExchangeDone(Route route, Exchange exchange) {
            completedCounter.increment();
            if (exchange.isFailed()) {
                failedCounter.increment();
            }
            Long start = exchange.getProperty(startKey, Long.class);
            if (start != null) {
                durationTimer.record(registry.config().clock().monotonicTime() - start, TimeUnit.NANOSECONDS);
                exchange.removeProperty(startKey);
            }
        }
    }
}
