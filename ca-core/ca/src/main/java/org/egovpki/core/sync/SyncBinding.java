package org.egovpki.core.sync;

/** How a target receives its messages: the same signed event bytes either way (docs/sync.md). */
public enum SyncBinding {
    /** CloudEvents structured JSON in the body of an HTTP(S) POST; the signature in a header. */
    JSON,
    /** SOAP 1.1 document/literal ({@code /sync/egov-sync.wsdl}) carrying the event bytes and the signature. */
    SOAP
}
