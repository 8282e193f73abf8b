package org.egovpki.core.crypto;

import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.regex.Pattern;

/** The rules every {@link CaKeyStore} applies to an entry before storing it. */
final class KeyEntryRules {

    /**
     * 128 characters: room for a CA name (up to 63) and the suffix of its delegated OCSP responder
     * keys. Lower-case, because PKCS#12 aliases are compared ignoring case (and token labels are
     * kept the same way, so a store can move from one to the other).
     */
    static final String ALIAS_RULE = "[a-z0-9][a-z0-9._-]{0,127}";
    private static final Pattern ALIAS = Pattern.compile(ALIAS_RULE);

    private KeyEntryRules() {
    }

    static void requireValidAlias(String alias) {
        if (alias == null || !ALIAS.matcher(alias).matches()) {
            throw new IllegalArgumentException("CA keystore alias \"" + alias + "\" is not allowed; use "
                    + ALIAS_RULE + " (lower-case, because PKCS#12 aliases are compared ignoring case)");
        }
    }

    static X509Certificate[] requireValidChain(String alias, X509Certificate[] chain) {
        if (chain == null || chain.length == 0) {
            throw new IllegalArgumentException("CA key \"" + alias
                    + "\" needs a certificate chain with at least its own certificate");
        }
        X509Certificate[] copy = chain.clone();
        for (int i = 0; i < copy.length; i++) {
            if (copy[i] == null) {
                throw new IllegalArgumentException("certificate " + i + " of the chain for \"" + alias + "\" is null");
            }
        }
        for (int i = 0; i + 1 < copy.length; i++) {
            try {
                copy[i].verify(copy[i + 1].getPublicKey(), BouncyCastle.PROVIDER);
            } catch (GeneralSecurityException e) {
                throw new IllegalArgumentException("certificate " + i + " (" + copy[i].getSubjectX500Principal()
                        + ") of the chain for \"" + alias + "\" is not signed by certificate " + (i + 1) + " ("
                        + copy[i + 1].getSubjectX500Principal() + "); pass the chain CA certificate first, root last",
                        e);
            }
        }
        return copy;
    }
}
