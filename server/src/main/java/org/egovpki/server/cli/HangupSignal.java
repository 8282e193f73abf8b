package org.egovpki.server.cli;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * SIGHUP as "reload the configuration", the Unix convention for daemons, instead of the JVM's
 * default (run the shutdown hooks and stop: a CA gone on a reload). The JDK has no public signal
 * API, so this uses {@code sun.misc.Signal} from the {@code jdk.unsupported} module, which exists
 * for exactly this; where it is unavailable (a JVM started with {@code -Xrs}, or no SIGHUP on the
 * platform) the server runs without it and says so.
 */
final class HangupSignal {

    private static final Logger LOG = LoggerFactory.getLogger(HangupSignal.class);

    private HangupSignal() {
    }

    /** From now on SIGHUP runs {@code action} (on the JVM's signal thread); its failures are logged. */
    static void install(Runnable action) {
        try {
            Signal.handle(new Signal("HUP"), signal -> {
                try {
                    action.run();
                } catch (RuntimeException e) {
                    LOG.error("SIGHUP: the configuration reload failed: {}", e.toString());
                }
            });
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            LOG.warn("SIGHUP cannot reload the configuration in this JVM ({}); restart the server to change it",
                    e.getMessage());
        }
    }
}
