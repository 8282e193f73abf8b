package org.egovpki.core.event;

/**
 * Where a domain service publishes its {@link LifecycleEvent}s: the port between the domain and
 * whatever delivers them (in the server, the lifecycle-events route). A publisher calls it after
 * its change is stored and must not let a consumer's failure undo that change: an implementation
 * either handles consumer failures itself or the producer logs and carries on.
 */
@FunctionalInterface
public interface LifecycleEvents {

    /** Nobody listens: for tools and tests that do not care about events. */
    LifecycleEvents NONE = event -> { };

    void publish(LifecycleEvent event);
}
