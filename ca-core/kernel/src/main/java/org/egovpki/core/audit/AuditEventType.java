package org.egovpki.core.audit;

/**
 * The lifecycle and operator events the CA records (REQUIREMENTS §7). Grows with the features;
 * an event type is never renamed once written, because auditors search archived trails by it.
 */
public enum AuditEventType {
    SERVER_START,
    SERVER_STOP,
    /**
     * The running server re-read its configuration file (SIGHUP): details name the file, the
     * sections applied live and those that need a restart; a FAILURE is a file refused (the server
     * goes on with the configuration it had), with the reason.
     */
    CONFIG_RELOADED,
    CA_CREATED,
    CA_PUBLISHED,
    /**
     * A CA was rolled to a new key (RFC 4210 §4.4): details name the role, the key store alias,
     * the old and new certificates' serials and fingerprints and, for a root, the link
     * certificates' serials; a FAILURE is a changeover refused, with the reason.
     */
    CA_KEY_CHANGEOVER,
    /**
     * The CA key store password was split among key custodians ({@code caKeys.custody: shares}):
     * details name the key store id, the split number, the threshold and the custodians; never a share.
     */
    KEY_CUSTODY_SPLIT,
    /**
     * {@code egov-pki custody reshare} split the same CA key store password again (server stopped;
     * recorded in the CLI trail): the actor is the OS user who ran it; details name the key store id,
     * the earlier and the new split number, threshold and custodians, and the custodians whose shares
     * were presented; a FAILURE is a reshare refused after the shares opened the key store. Never a
     * share or a passphrase.
     */
    KEY_CUSTODY_RESHARED,
    /**
     * A key custodian presented a share to the locked CA (details: custodian, share index, k of M),
     * or a presentation was refused (FAILURE, with the reason); never the share itself.
     */
    KEY_SHARE_PRESENTED,
    /** The threshold of shares opened the CA key store: start-up goes on, the CA signs. */
    CA_UNLOCKED,
    CRL_ISSUED,
    OPERATOR_CREATED,
    REQUEST_SUBMITTED,
    REQUEST_APPROVED,
    REQUEST_REJECTED,
    REQUEST_CANCELLED,
    CERTIFICATE_ISSUED,
    CERTIFICATE_PUBLISHED,
    ISSUANCE_RECOVERED,
    ISSUANCE_VOIDED,
    CERTIFICATE_REVOKED,
    CERTIFICATE_UNPUBLISHED,
    CRL_ISSUE_FAILED,
    /** A renewal (same key) was asked for; the issuance follows as CERTIFICATE_ISSUED. */
    RENEWAL_REQUESTED,
    /** A rekey (new key, proven by the old one) was asked for. */
    REKEY_REQUESTED,
    /** A modification (changed data) was entered; it waits for review like an application. */
    MODIFICATION_REQUESTED,
    /** A replacement (lost or damaged medium) was asked for. */
    REPLACEMENT_REQUESTED,
    /** A CA certified a delegated OCSP responder key (ocsp.signer: delegated). */
    OCSP_RESPONDER_ISSUED,
    /** An issuing CA's own certificate was revoked (it then appears in its root's ARL). */
    CA_REVOKED,
    /**
     * A CA admin proposed an operation on a CA key that needs a second CA admin (revoking an issuing
     * CA, a key changeover; 002 §7.2.1.1): details name the operation, its terms and until when a
     * second CA admin may confirm it. The operation itself is audited when it is carried out
     * ({@link #CA_REVOKED}, {@link #CA_KEY_CHANGEOVER}, with the proposer); a FAILURE is a
     * confirmation refused (the proposer again, another admin's other terms); a SUCCESS with
     * {@code replaces} is the proposer's own proposal made again with other terms.
     */
    CA_OPERATION_PROPOSED,
    /**
     * A security admin proposed an operator change that needs a second one (creating an operator,
     * resetting its password, binding a certificate to another operator), or a confirmation was
     * refused or the proposal lapsed (FAILURE); the change's own event names both admins.
     */
    OPERATOR_CHANGE_PROPOSED,
    /** The KM generated an encryption key pair and escrowed its private key. */
    KM_KEY_ESCROWED,
    /** The KM answered (or refused) a signed request from a CA: apply, restore or revoke a key. */
    KM_REQUEST_HANDLED,
    /** An escrowed key's certificate was revoked; the key is kept for recovery. */
    KM_KEY_RETIRED,
    /** An escrowed key's retention ended and its wrapped private key was removed. */
    KM_KEY_DESTROYED,
    /** A subscriber or judicial key recovery was entered. */
    KM_RECOVERY_REQUESTED,
    /** A KM business admin or KM operator approved (or was refused approving) a key recovery. */
    KM_RECOVERY_APPROVED,
    /** A key recovery was rejected. */
    KM_RECOVERY_REJECTED,
    /** An escrowed key was delivered under a recovery (challenge code used, judicial file fetched), or refused. */
    KM_KEY_RECOVERED,
    /**
     * An operator read key recovery requests (one, or a list: the details carry the filter and the
     * count), or was refused for lack of a KM role or the auditor's (FAILURE).
     */
    KM_RECOVERY_READ,
    /**
     * An operator fetched a dual issuance's key delivery (the encryption private key enveloped to
     * the subscriber's signing key, with both certificates) to load the subscriber's token, or was
     * refused for lack of an RA role (FAILURE).
     */
    KM_KEY_DELIVERED,
    /**
     * The directory locked an account after too many failed binds (over the LDAP port or through
     * the REST API, which binds as the operator); the details say until when.
     */
    ACCOUNT_LOCKED_OUT,
    /**
     * Something written in the directory that the CA did not make and would not act on, undone: a
     * request state it did not write (put back), or a decision entry that is not a decision.
     */
    DIRECTORY_CHANGE_REFUSED,
    /**
     * A subscriber's unkeyed id (derived from its identity number without a secret) was replaced
     * by its keyed id, with every reference; the details name only the new id.
     */
    SUBSCRIBER_ID_MIGRATED,
    /**
     * A sealed checkpoint of the audit trail itself (every N events, at start and at stop): seals
     * the preceding event's sequence and hash with the audit seal key.
     */
    AUDIT_CHECKPOINT,
    /**
     * The start-up check (or a CLI command) found the audit trail broken, shortened or rewritten, or
     * its directory anchor missing or stale; the details say what and where. The trail continues
     * after this event, and the anchor is reset to it.
     */
    AUDIT_TRAIL_FINDING,
    /**
     * A CA certified a new sync-signing key (docs/sync.md, "The signature"): at first start, at
     * renewal, or replaced at once by an operator; recorded before the key is stored.
     */
    SYNC_SIGNER_ISSUED,
    /** A sync target (an e-government system receiving events) was added; never its secrets. */
    SYNC_TARGET_ADDED,
    /** A sync target's settings were replaced (and its secret, if one was given: only that it was). */
    SYNC_TARGET_CHANGED,
    /** A sync target was deleted with its queue, its delivery state and its secret. */
    SYNC_TARGET_DELETED,
    /** An administrator re-drove a sync target: its parked head is tried again at once. */
    SYNC_TARGET_REDRIVEN,
    /** An administrator skipped a sync target's head message: it counts as delivered without being so. */
    SYNC_TARGET_SKIPPED,
    /** An administrator moved a sync target's delivered sequence: delivery resumes at the given sequence. */
    SYNC_TARGET_REPLAYED,
    /**
     * An operator read the audit trail (GET /api/v1/audit): the details carry the filter used
     * (number-like values masked); a FAILURE is a reader without an auditor's or business admin's role.
     */
    AUDIT_TRAIL_READ,
    /**
     * An operator exported a signed archive bundle of the audit trail for a period; the details
     * carry the period (and, on success, the sequences and count); a FAILURE is a refusal.
     */
    AUDIT_TRAIL_EXPORTED,
    /** A security admin replaced an operator's roles (details: the roles before and after). */
    OPERATOR_ROLES_CHANGED,
    /** A security admin disabled an operator: no REST login, no LDAP bind. */
    OPERATOR_DISABLED,
    /** A security admin enabled a disabled operator again. */
    OPERATOR_ENABLED,
    /** A security admin gave an operator a generated one-time password (never the password itself). */
    OPERATOR_PASSWORD_RESET,
    /** An operator changed its own password (never the password itself). */
    OPERATOR_PASSWORD_CHANGED,
    /** An operator administration action was refused (details: what and why). */
    OPERATOR_CHANGE_REFUSED,
    /**
     * A security admin bound an operator certificate to an operator entry, its second login factor
     * (details: the operator, the certificate's id and the one it replaced); refusals are
     * OPERATOR_CHANGE_REFUSED.
     */
    OPERATOR_CERTIFICATE_BOUND,
    /**
     * An operator's two-factor login (password, then the bound certificate's key signing a
     * challenge): SUCCESS issues a session token (never the token itself); FAILURE with the reason.
     */
    OPERATOR_SECOND_FACTOR_LOGIN,
    /**
     * An operator whose roles require the second factor used the API with its password alone
     * because no certificate is bound to it yet (the enrolment grace, docs/security.md): recorded at
     * the first such call per operator and server run.
     */
    OPERATOR_SECOND_FACTOR_GRACE
}
