package org.egovpki.core.revoke;

/**
 * On whose behalf a revocation is asked (001 §6.2.7.2, REQUIREMENTS §5). An operator records who
 * asked; the self-service channels determine it from the certificate type.
 */
public enum Requester {
    /** The holder of a personal certificate. */
    SUBSCRIBER,
    /** The authorised representative of the organisation holding an organisation or device certificate. */
    AUTHORISED_REPRESENTATIVE,
    /** The CA or RA itself, having established a cause. */
    CA_RA,
    /** The e-government body that approved the application. */
    APPROVING_BODY,
    /** A relying party whose system the certificate serves. */
    RELYING_PARTY,
    /** A judicial authority. */
    JUDICIAL_AUTHORITY
}
