package org.egovpki.core.stats;

/**
 * What a day's figures count. The counts are events of that day; samples are durations in
 * seconds of the requests decided or issued that day.
 */
public enum Metric {
    /** Certificates issued (recorded) that day, of every request kind. */
    ISSUED(false),
    /** Of those, certificates issued for renewal requests. */
    RENEWED(false),
    /** Certificates revoked that day, by cause. */
    REVOKED(false),
    /** Certificates whose validity ended that day while not revoked. */
    EXPIRED(false),
    /** Requests decided (approved or rejected) that day. */
    DECIDED(false),
    /** Of those, decided more than 48 hours after submission (the review rule). */
    SLA_BREACHED(false),
    /** Seconds from submission to decision, per request decided that day. */
    DECISION_SECONDS(true),
    /** Seconds from submission to issuance, per request issued that day. */
    ISSUANCE_SECONDS(true);

    private final boolean sample;

    Metric(boolean sample) {
        this.sample = sample;
    }

    /** Whether the metric keeps samples rather than a count. */
    public boolean sample() {
        return sample;
    }
}
