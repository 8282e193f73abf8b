/**
 * X.509 building blocks of the CA: serial numbers, distinguished names, CA certificates and
 * CRLs per the GM/T 0015 profile, and PEM/DER conversion.
 *
 * <p>Everything here parses and signs with {@link org.egovpki.core.crypto.BouncyCastle#PROVIDER}:
 * the JDK's certificate factory returns objects whose {@code verify()} cannot check SM2.
 */
package org.egovpki.core.x509;
