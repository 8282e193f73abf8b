/**
 * Key material of the CA: key algorithms, the one Bouncy Castle provider instance, the signer
 * that owns a CA private key, and the PKCS#12 file the keys live in.
 *
 * <p>Every JCA call here names {@link org.egovpki.core.crypto.BouncyCastle#PROVIDER}
 * explicitly, so nothing depends on {@code Security.addProvider} having run, and SM2 works the
 * same in every JVM the code lands in.
 */
package org.egovpki.core.crypto;
