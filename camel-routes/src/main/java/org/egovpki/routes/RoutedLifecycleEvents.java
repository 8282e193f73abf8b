package org.egovpki.routes;

import java.util.Objects;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.egovpki.core.event.LifecycleEvent;
import org.egovpki.core.event.LifecycleEvents;

/**
 * The domain's {@link LifecycleEvents} port as the lifecycle-events route: each event is sent to
 * {@value LifecycleEventsRoute#ENDPOINT} and its synchronous consumers have run when
 * {@link #publish} returns.
 */
public final class RoutedLifecycleEvents implements LifecycleEvents {

    private final ProducerTemplate producer;

    public RoutedLifecycleEvents(CamelContext camel) {
        this.producer = Objects.requireNonNull(camel, "camel").createProducerTemplate();
    }

    @Override
    public void publish(LifecycleEvent event) {
        producer.sendBody(LifecycleEventsRoute.PUBLISH, Objects.requireNonNull(event, "event"));
    }
}
