package org.egovpki.routes;

import java.util.List;
import java.util.Objects;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.egovpki.core.DomainException;
import org.egovpki.core.ca.IssuanceFlow;
import org.egovpki.core.ca.IssuanceJob;
import org.egovpki.core.certificate.CertificateRecord;
import org.egovpki.core.enroll.EnrollmentRequest;
import org.egovpki.core.enroll.Issuance;

/**
 * The RA's {@link Issuance} port, and the CA's {@link IssuanceFlow}, as the issuance route: sends
 * the job to {@value IssuanceRoute#ENDPOINT} and returns when the route has completed it, in the
 * caller's thread. An exception a step threw is rethrown unchanged, so callers see what they saw
 * when the issuer was called directly.
 */
public final class RoutedIssuance implements Issuance, IssuanceFlow {

    private final ProducerTemplate producer;

    public RoutedIssuance(CamelContext camel) {
        this.producer = Objects.requireNonNull(camel, "camel").createProducerTemplate();
    }

    @Override
    public List<CertificateRecord> issue(EnrollmentRequest approved, String actor) {
        return run(IssuanceJob.start(approved, actor)).issued();
    }

    @Override
    public IssuanceJob run(IssuanceJob job) {
        Exchange done = producer.send(IssuanceRoute.ENDPOINT, exchange -> exchange.getIn().setBody(job));
        Exception failure = done.getException();
        if (failure instanceof RuntimeException e) {
            throw e;
        }
        if (failure != null) {
            throw DomainException.internal("the issuance route failed: " + failure.getMessage(), failure);
        }
        IssuanceJob finished = done.getMessage().getBody(IssuanceJob.class);
        if (finished == null) {
            throw DomainException.internal("the issuance route returned no job for request " + job.request().id(),
                    null);
        }
        return finished;
    }
}
