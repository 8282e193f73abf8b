package org.egovpki.core.ca;

import java.math.BigInteger;
import java.time.Instant;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * The numbers and dates of the CRLs published for one scope (a CA, or one of its partitions),
 * without their bytes: what numbering the next CRL, deciding whether one is due and health checks
 * need, read without fetching a CRL that may be tens of megabytes.
 *
 * @param crlNumber   the full CRL's number
 * @param thisUpdate  the full CRL's thisUpdate (its delta shares it)
 * @param nextUpdate  the full CRL's nextUpdate
 * @param deltaNumber the delta CRL's number, or {@code null}
 * @param arlNumber   the ARL's number (root CAs), or {@code null}
 */
public record CrlHead(BigInteger crlNumber, Instant thisUpdate, Instant nextUpdate, BigInteger deltaNumber,
                      BigInteger arlNumber) {

    public CrlHead {
        Objects.requireNonNull(crlNumber, "crlNumber");
        Objects.requireNonNull(thisUpdate, "thisUpdate");
        Objects.requireNonNull(nextUpdate, "nextUpdate");
    }

    /** The highest number used in this scope. */
    public BigInteger lastNumber() {
        return Stream.of(crlNumber, deltaNumber, arlNumber).filter(Objects::nonNull).max(BigInteger::compareTo)
                .orElseThrow();
    }
}
