package org.egovpki.routes;

import java.util.List;
import java.util.Objects;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.egovpki.core.DomainException;
import org.egovpki.core.enroll.EnrollmentRequest;
import org.egovpki.core.enroll.EnrollmentService;
import org.egovpki.core.enroll.EnrollmentService.BatchResult;
import org.egovpki.core.enroll.Submission;
import org.egovpki.core.operator.Operator;

/**
 * The steps of {@link BulkEnrollmentRoute}: check the batch's size, submit one application as the
 * operator who sent the batch, report progress. Each application goes through the RA's single
 * submission ({@link EnrollmentService#submit}), so a batch passes the same validation, the same
 * role checks and the same two-person rule as one application sent alone; an application the RA
 * refuses becomes that item's result and does not stop the others (seed 001 §6.2.1.2).
 */
public final class BulkApplications {

    /** The RA's single submission: {@code EnrollmentService::submit} in the server. */
    @FunctionalInterface
    public interface Submitter {
        EnrollmentRequest submit(Operator clerk, Submission application);
    }

    private final Submitter ra;

    public BulkApplications(Submitter ra) {
        this.ra = Objects.requireNonNull(ra, "ra");
    }

    /** Refuses an empty batch or one of more than {@link EnrollmentService#MAX_BATCH} applications. */
    public void check(@Body List<Submission> batch) {
        if (batch == null || batch.isEmpty() || batch.size() > EnrollmentService.MAX_BATCH) {
            throw DomainException.badRequest("requests", "a batch holds 1 to " + EnrollmentService.MAX_BATCH
                    + " applications, this one has " + (batch == null ? 0 : batch.size()));
        }
    }

    /**
     * Submits application {@code index} of the batch. A refusal ({@link DomainException}) is the
     * item's result; anything else is a fault that stops the batch, as it stops a single submission.
     */
    public BatchResult submit(@ExchangeProperty(BulkEnrollmentRoute.OPERATOR) Operator clerk,
                              @ExchangeProperty(Exchange.SPLIT_INDEX) int index, @Body Submission application) {
        try {
            return new BatchResult(index, ra.submit(clerk, application), null);
        } catch (DomainException e) {
            return new BatchResult(index, null, e);
        }
    }

    /** Tells the batch's {@link BulkProgress} that one more application has been handled. */
    public void progress(@ExchangeProperty(BulkEnrollmentRoute.PROGRESS) BulkProgress progress,
                         @ExchangeProperty(Exchange.SPLIT_SIZE) int total, @Body BatchResult result) {
        if (progress != null) {
            progress.handled(result.index() + 1, total, result);
        }
    }
}
