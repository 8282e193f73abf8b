package org.egovpki.core.certificate;

import java.util.Optional;

/**
 * The read-only view of the keys known to be compromised ({@link CompromisedKey}), for the RA's
 * submission and the CA's issuance check. A look-up is one read of one entry by its name, so it
 * costs issuance nothing measurable.
 */
@FunctionalInterface
public interface CompromisedKeys {

    /** The compromised key with this {@link CompromisedKey#keyId id}, or empty. */
    Optional<CompromisedKey> byKeyId(String keyId);
}
