package org.egovpki.core.km;

/**
 * Carries one signed CA request to the KM and its signed answer back. In one egov-pki process the
 * KM's endpoint is called directly; a KM running as its own service would sit behind an HTTP
 * implementation of this interface, with the same bytes.
 */
@FunctionalInterface
public interface KmTransport {

    /** @return the DER KMRespond for the DER CARequest {@code request} */
    byte[] exchange(byte[] request);
}
