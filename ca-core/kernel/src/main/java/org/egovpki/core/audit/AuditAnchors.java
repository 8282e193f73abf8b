package org.egovpki.core.audit;

import java.util.Optional;

/**
 * Where the latest {@link AuditAnchor} of each audit trail is kept, away from the trail's file
 * (the directory, under {@code ou=audit}, writable only by the CA service account).
 */
public interface AuditAnchors {

    /** The latest anchor of {@code trail}, or empty if none was ever written. */
    Optional<AuditAnchor> latest(String trail);

    /**
     * Moves the anchor of {@code next.trail()} from the one sealing sequence {@code from} (0: no
     * anchor yet) to {@code next}, as one compare-and-swap. If the stored anchor is not at
     * {@code from} nothing changes and {@code false} is returned: someone else moved it, which the
     * caller reports rather than overwrites.
     *
     * @return whether the stored anchor is now {@code next}
     */
    boolean advance(long from, AuditAnchor next);

    /**
     * Replaces the anchor unconditionally. Only for the moment after a finding about the trail
     * has been recorded in it (with the replaced anchor's values), so the new chain has an anchor.
     */
    void replace(AuditAnchor anchor);
}
