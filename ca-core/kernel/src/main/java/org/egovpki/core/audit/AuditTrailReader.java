package org.egovpki.core.audit;

import java.time.Instant;

/**
 * The reading side of the audit trail, for {@link AuditReview} (the only caller: it decides who may
 * read and audits every read first). Implemented by the trail's store.
 */
public interface AuditTrailReader {

    /**
     * Refuses a query this reader cannot answer (a cursor it did not issue for the same filter and
     * order) before anything is audited or read.
     *
     * @throws org.egovpki.core.DomainException BAD_REQUEST naming the parameter
     */
    void check(AuditQuery query);

    /**
     * One page of the events the query matches.
     *
     * @throws org.egovpki.core.DomainException BAD_REQUEST for a cursor this reader did not issue
     *                                          for the same filter and order
     */
    AuditPage read(AuditQuery query);

    /**
     * A signed, self-contained archive bundle of the trail from {@code from} (inclusive) to
     * {@code to} (exclusive): a contiguous segment of the chain, its manifest and a signature
     * over the manifest.
     *
     * @param exportedBy who asked, recorded in the manifest
     */
    byte[] export(Instant from, Instant to, String exportedBy);
}
