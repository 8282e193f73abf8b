package org.egovpki.routes;

import java.util.List;
import java.util.Objects;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.egovpki.core.DomainException;
import org.egovpki.core.enroll.EnrollmentService.BatchResult;
import org.egovpki.core.enroll.Submission;
import org.egovpki.core.operator.Operator;

/**
 * The way into {@link BulkEnrollmentRoute} for the HTTP edge (and anything else holding a batch):
 * runs the batch on the caller's thread and returns one result per application, in order. A
 * refusal of the whole batch (its size) is thrown as the {@link DomainException} it is; so is a
 * fault that stopped the batch midway, as a single submission would throw it.
 */
public final class BulkEnrollment {

    private final ProducerTemplate producer;

    public BulkEnrollment(ProducerTemplate producer) {
        this.producer = Objects.requireNonNull(producer, "producer");
    }

    public List<BatchResult> submit(Operator clerk, List<Submission> applications, BulkProgress progress) {
        Objects.requireNonNull(clerk, "clerk");
        Exchange done = producer.send(BulkEnrollmentRoute.ENDPOINT, exchange -> {
            exchange.getMessage().setBody(List.copyOf(applications));
            exchange.setProperty(BulkEnrollmentRoute.OPERATOR, clerk);
            exchange.setProperty(BulkEnrollmentRoute.PROGRESS, progress == null ? BulkProgress.NONE : progress);
        });
        Throwable fault = done.getException();
        // The splitter wraps a fault of one application in a CamelExchangeException: throw what the RA threw.
        while ((fault instanceof org.apache.camel.CamelExchangeException
                || fault instanceof org.apache.camel.RuntimeCamelException) && fault.getCause() != null) {
            fault = fault.getCause();
        }
        if (fault instanceof RuntimeException e) {
            throw e;
        }
        if (fault instanceof Error e) {
            throw e;
        }
        if (fault != null) {
            throw new IllegalStateException("bulk enrollment failed: " + fault.getMessage(), fault);
        }
        @SuppressWarnings("unchecked")
        List<BatchResult> results = done.getMessage().getBody(List.class);
        return List.copyOf(results);
    }
}
