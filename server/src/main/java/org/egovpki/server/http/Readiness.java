package org.egovpki.server.http;

import java.util.List;
import java.util.Objects;

/**
 * What, besides the directory and the CAs (which {@link PublicHandler} checks itself), must be up
 * before the server takes traffic: {@code GET /health/ready} answers 200 only when every component
 * here is ready, else 503 naming those that are not.
 */
@FunctionalInterface
public interface Readiness {

    /** Nothing beyond the directory and the CAs (a handler tested on its own). */
    Readiness NOTHING_ELSE = List::of;

    /** The components this server checks, in a fixed order, each as it is now. */
    List<Component> components();

    /**
     * One component's state.
     *
     * @param name    what an operator reads in the answer ({@code startup}, {@code routes})
     * @param problem what is not ready, in words for an operator; {@code null} when it is ready
     */
    record Component(String name, String problem) {

        public Component {
            Objects.requireNonNull(name, "name");
        }

        public static Component ready(String name) {
            return new Component(name, null);
        }

        public boolean isReady() {
            return problem == null;
        }
    }
}
