package org.egovpki.core.audit;

/**
 * Signs an audit export's manifest with a CA key, so an auditor can check an archived bundle
 * offline years later with nothing but the bundle and the root certificate.
 */
public interface AuditExportSigner {

    /**
     * A detached CMS SignedData (DER) over {@code manifest}, carrying the signer certificate and
     * its chain up to the root.
     */
    byte[] sign(byte[] manifest);

    /** The name of the CA whose key signs (recorded in the manifest). */
    String ca();
}
