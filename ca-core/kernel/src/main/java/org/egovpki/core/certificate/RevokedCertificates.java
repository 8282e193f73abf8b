package org.egovpki.core.certificate;

import java.util.function.Consumer;
import org.egovpki.core.x509.RevokedEntry;

/** What a CRL builder reads: the revoked certificates, streamed (STYLE.md: one small interface per consumer). */
@FunctionalInterface
public interface RevokedCertificates {

    /**
     * Streams the revoked certificates a CRL must list, one entry at a time (paged from the
     * directory: never the whole list in memory). Order is unspecified.
     */
    void forEachRevoked(RevokedSelection selection, Consumer<RevokedEntry> sink);
}
