package org.egovpki.core.profile;

import java.util.Objects;

/**
 * The profiles of a running CA, replaced as a whole when the configuration is reloaded (SIGHUP).
 * A replacement applies to operations that start after it: an operation that already took
 * {@link #current()} finishes with the catalogue it took. Whoever calls {@link #replace} has
 * checked the new catalogue against the CAs in service; this class only makes the swap atomic.
 */
public final class LiveProfiles implements Profiles {

    private volatile ProfileCatalog current;

    public LiveProfiles(ProfileCatalog initial) {
        this.current = Objects.requireNonNull(initial, "initial");
    }

    @Override
    public ProfileCatalog current() {
        return current;
    }

    /** From now on, new operations use {@code catalog}. */
    public void replace(ProfileCatalog catalog) {
        current = Objects.requireNonNull(catalog, "catalog");
    }
}
