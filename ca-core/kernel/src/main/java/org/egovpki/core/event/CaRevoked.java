package org.egovpki.core.event;

import java.util.Objects;

/**
 * An issuing CA's own certificate was revoked: it issues nothing more, and its parent's CRL and
 * ARL must list it.
 *
 * @param ca the revoked CA
 * @param parent the CA that issued its certificate, whose CRL and ARL are due
 */
public record CaRevoked(String ca, String parent) implements LifecycleEvent {

    public CaRevoked {
        Objects.requireNonNull(ca, "ca");
        Objects.requireNonNull(parent, "parent");
    }
}
