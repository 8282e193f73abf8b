package org.egovpki.core.sync;

import java.security.cert.X509Certificate;
import java.util.List;

/**
 * Signs sync messages with the CA's sync-signing certificate: detached CMS SignedData (DER), no
 * signed attributes, so the SignerInfo's signature is over the body bytes themselves — SM3withSM2
 * with the GM/T 0009 default ID {@code 1234567812345678} for SM2 chains, SHA256withRSA / SHA256withECDSA
 * otherwise (docs/sync.md, "Signature").
 */
public interface SyncSigner {

    /** The CMS for {@code body}, signed by the current sync-signing certificate of {@code ca}. */
    byte[] sign(String ca, byte[] body);

    /** The current sync-signing certificate of {@code ca}, then its CA chain up to the root. */
    List<X509Certificate> chain(String ca);
}
