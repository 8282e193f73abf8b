package org.egovpki.core.certificate;

/** How a revocation reached the CA (REQUIREMENTS §5, 001 §6.2.7.3). */
public enum RevocationChannel {
    /** An RA or CA operator, over REST or the CLI, on behalf of a requester. */
    OPERATOR,
    /** The subscriber's self-service with the challenge phrase set at application. */
    CHALLENGE_PHRASE,
    /** A revocation request signed with the certificate's own private key. */
    SIGNED_REQUEST,
    /** The CA itself, because a modification or replacement certificate was issued. */
    SUPERSEDED
}
