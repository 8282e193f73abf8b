package org.egovpki.core.profile;

/**
 * Where a service gets the certificate profiles in force. A service takes {@link #current()} once
 * per operation and works with that catalogue to the end of it, so a reload that replaces the
 * profiles between two look-ups can never give one operation half of each. A fixed
 * {@link ProfileCatalog} is its own source; {@link LiveProfiles} is one that a configuration reload
 * replaces.
 */
public interface Profiles {

    /** The catalogue in force now; never {@code null}. */
    ProfileCatalog current();
}
