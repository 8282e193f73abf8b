package org.egovpki.core.sync;

import java.util.Optional;

/**
 * The targets' secrets, kept apart from their settings so nothing that lists or reads a target can
 * return them: written through the API, read only by the delivery.
 */
public interface SyncCredentials {

    /** An HTTP Basic password, or a PKCS#12 with the TLS client key and certificate and its password. */
    record Secret(char[] password, byte[] pkcs12) {
    }

    void store(String targetId, Secret secret);

    Optional<Secret> load(String targetId);

    void delete(String targetId);
}
