package org.egovpki.core.stats;

import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/**
 * The records the daily figures are computed from, read by indexed range searches on their times,
 * never by reading everything (implemented over the directory by {@code LdapStatisticsSource}).
 * Each method returns small projections, not whole records.
 */
public interface StatisticsSource {

    /** What a day's figures need of a certificate record. */
    record CertificateFact(String businessType, String region, String type, boolean issued, Instant createdAt,
                           Instant notAfter, Instant revokedAt, String revocationCause) {
    }

    /** What a day's figures need of a request. */
    record RequestFact(String kind, String state, String businessType, String region, String type,
                       Instant submittedAt, Instant decidedAt, Instant issuedAt, int certificates) {
    }

    /** Certificate records created, revoked or ending their validity in {@code [from, to)}. */
    List<CertificateFact> certificates(Instant from, Instant to);

    /**
     * The same facts as {@link #certificates}, handed to {@code sink} one by one. The statistics
     * count them through this, so a source over a large directory (the first fill reads every
     * record: a million facts held in a list are ~250 MB of heap) streams them instead.
     */
    default void forEachCertificate(Instant from, Instant to, Consumer<CertificateFact> sink) {
        certificates(from, to).forEach(sink);
    }

    /** Requests decided or issued in {@code [from, to)}. */
    List<RequestFact> requests(Instant from, Instant to);

    /** Requests still waiting for a decision, at most {@code limit}. */
    List<RequestFact> undecided(int limit);
}
