package org.egovpki.routes;

import org.egovpki.core.enroll.EnrollmentService.BatchResult;

/**
 * Told after each application of a bulk enrollment has been submitted or refused, in order; the
 * caller of {@link BulkEnrollment} decides what to show (a progress bar, a log line, nothing).
 * Called on the thread that runs the batch: keep it quick.
 */
@FunctionalInterface
public interface BulkProgress {

    /** Reports nothing. */
    BulkProgress NONE = (done, total, result) -> { };

    /**
     * @param done   applications handled so far, this one included (1 to {@code total})
     * @param total  applications in the batch
     * @param result this application's request, or why it was refused
     */
    void handled(int done, int total, BatchResult result);
}
