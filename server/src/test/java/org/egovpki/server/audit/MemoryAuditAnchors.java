package org.egovpki.server.audit;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.egovpki.core.audit.AuditAnchor;
import org.egovpki.core.audit.AuditAnchors;

/** Anchors kept in memory, with the compare-and-swap of the directory store. */
final class MemoryAuditAnchors implements AuditAnchors {

    private final Map<String, AuditAnchor> anchors = new HashMap<>();
    volatile boolean failing;

    @Override
    public synchronized Optional<AuditAnchor> latest(String trail) {
        return Optional.ofNullable(anchors.get(trail));
    }

    @Override
    public synchronized boolean advance(long from, AuditAnchor next) {
        if (failing) {
            throw new IllegalStateException("directory unavailable (test)");
        }
        AuditAnchor stored = anchors.get(next.trail());
        long current = stored == null ? 0 : stored.sequence();
        if (current != from || next.sequence() <= from) {
            return false;
        }
        anchors.put(next.trail(), next);
        return true;
    }

    @Override
    public synchronized void replace(AuditAnchor anchor) {
        anchors.put(anchor.trail(), anchor);
    }

    synchronized void set(AuditAnchor anchor) {
        anchors.put(anchor.trail(), anchor);
    }

    synchronized void remove(String trail) {
        anchors.remove(trail);
    }
}
