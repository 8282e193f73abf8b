package org.egovpki.server.http;

import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Request;

/**
 * The client certificate a call presented in its TLS handshake on the HTTPS listener (which asks for
 * one, {@code HttpAssembly}), as DER; {@code null} for a plain-HTTP call or one without a certificate.
 * The handshake proved the client holds the certificate's key; whether it is an operator's bound
 * certificate is {@code SecondFactorLogin.presentsBoundCertificate}'s decision, byte for byte.
 */
public final class TlsClientCertificates {

    private TlsClientCertificates() {
    }

    public static byte[] of(Request request) {
        if (!request.isSecure()
                || !(request.getAttribute(EndPoint.SslSessionData.ATTRIBUTE) instanceof EndPoint.SslSessionData ssl)) {
            return null;
        }
        X509Certificate[] chain = ssl.peerCertificates();
        if (chain == null || chain.length == 0) {
            return null;
        }
        try {
            return chain[0].getEncoded();
        } catch (CertificateEncodingException e) {
            return null;
        }
    }
}
