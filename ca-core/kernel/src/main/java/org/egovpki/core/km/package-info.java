/**
 * The public formats that carry a KM-generated SM2 encryption key pair between the KM, the CA
 * and the subscriber: the GM/T 0009 {@link org.egovpki.core.km.Sm2Cipher} and
 * {@link org.egovpki.core.km.Sm2EnvelopedKey}, the GM/T 0092 {@link org.egovpki.core.km.CsrResponse}
 * that delivers it with the certificates, and the GM/T 0016 (SKF)
 * {@link org.egovpki.core.km.SkfEnvelopedKeyBlob} a USB key imports.
 *
 * <p>Everything here is data that may cross a network: nothing holds an escrowed private key in
 * the clear except inside {@link org.egovpki.core.km.EnvelopedKeys#open}, the subscriber's (or
 * recovery officer's) side. Sealing ({@link org.egovpki.core.km.Sm2EnvelopedKey#seal}) takes the
 * scalar from the KM and returns only ciphertext.
 *
 * <p>All values are immutable records or stateless utilities; every parser is strict and throws
 * {@link java.lang.IllegalArgumentException} with a message naming the structure and field.
 */
package org.egovpki.core.km;
