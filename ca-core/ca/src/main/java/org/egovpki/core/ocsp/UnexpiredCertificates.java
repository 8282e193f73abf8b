package org.egovpki.core.ocsp;

import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The certificates whose OCSP answers are signed ahead of any request ({@code ocsp.presignAhead}):
 * every certificate the CAs issued that has not expired, with its status, read page by page
 * (STYLE.md habit 2: the one thing {@link OcspResponder#refreshPresigned} needs to walk them).
 *
 * <p>Contract: {@link #forEachPage} hands over every issued (recorded or published) certificate
 * whose notAfter is not before {@code at}, revoked ones with their revocation, in pages; it reads a
 * page only after the consumer of the previous one returned (so a consumer may take a ticket for
 * the next page's statuses before it returns). It never hands over an intent or a voided
 * reservation. A store that is down throws {@link org.egovpki.core.DomainException} of kind
 * {@code UNAVAILABLE}. Implementations must be thread-safe.
 */
@FunctionalInterface
public interface UnexpiredCertificates {

    /**
     * @param at   certificates whose notAfter is before this are left out
     * @param page receives each page, in turn, never empty
     */
    void forEachPage(Instant at, Consumer<List<Unexpired>> page);

    /**
     * One certificate not yet expired.
     *
     * @param issuerName the {@link ServedCa#name()} of the CA that issued it
     * @param serial     its serial number
     * @param status     good, or revoked with time and reason
     * @param notAfter   the end of its validity: its answer is signed ahead until then
     */
    record Unexpired(String issuerName, BigInteger serial, RevocationStatus status, Instant notAfter) {

        public Unexpired {
            Objects.requireNonNull(issuerName, "issuerName");
            Objects.requireNonNull(serial, "serial");
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(notAfter, "notAfter");
        }
    }
}
