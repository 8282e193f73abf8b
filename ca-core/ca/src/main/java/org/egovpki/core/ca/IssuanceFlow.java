package org.egovpki.core.ca;

/**
 * Runs an {@link IssuanceJob} through the {@link IssuanceSteps}, every step in order, and returns
 * the finished job; an exception from a step reaches the caller as the step threw it. In the
 * server this is the issuance route (camel-routes); without Camel it is
 * {@link IssuanceSteps#runInOrder}.
 */
@FunctionalInterface
public interface IssuanceFlow {

    IssuanceJob run(IssuanceJob job);
}
