package org.egovpki.core.certificate;

/**
 * The writer of the compromised keys: held by revocation only (a certificate's, and an issuing CA's).
 */
public interface CompromisedKeyStore extends CompromisedKeys {

    /**
     * Records a compromised key. Idempotent: a key already recorded keeps its first entry (the
     * earliest revocation that named it), so a repeat after a failure or crash is harmless.
     */
    void add(CompromisedKey key);
}
