package org.egovpki.server;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What start-up has opened, closed in reverse order: each assembly adds what it starts, so
 * shutdown runs the start-up list backwards whichever step start-up got to.
 */
final class Teardown {

    private static final Logger LOG = LoggerFactory.getLogger(Teardown.class);

    private final List<AutoCloseable> opened = new ArrayList<>();

    synchronized void add(AutoCloseable resource) {
        opened.add(resource);
    }

    /** Closes everything, last opened first; a failure is logged and the rest still close. */
    synchronized void run() {
        for (int i = opened.size() - 1; i >= 0; i--) {
            try {
                opened.get(i).close();
            } catch (Exception e) {
                LOG.warn("Error while stopping: {}", e.toString());
            }
        }
        opened.clear();
    }
}
