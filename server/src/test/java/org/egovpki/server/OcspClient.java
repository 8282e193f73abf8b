package org.egovpki.server;

import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.cert.X509Certificate;

import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.egovpki.core.crypto.BouncyCastle;

/** A relying party's OCSP requests to a server under test, as the ITs make them. */
final class OcspClient {

    private OcspClient() {
    }

    /** A nonce-free one-certificate request (RFC 5019), with the CertID hashed by {@code hash}. */
    static byte[] request(X509Certificate issuer, BigInteger serial, AlgorithmIdentifier hash) throws Exception {
        CertificateID id = new CertificateID(new JcaDigestCalculatorProviderBuilder().setProvider(BouncyCastle.PROVIDER)
                .build().get(hash), new JcaX509CertificateHolder(issuer), serial);
        return new OCSPReqBuilder().addRequest(id).build().getEncoded();
    }

    /** As browsers, the JDK and OpenSSL ask: SHA-1 CertID with NULL parameters. */
    static byte[] request(X509Certificate issuer, BigInteger serial) throws Exception {
        return request(issuer, serial, CertificateID.HASH_SHA1);
    }

    /** POSTs {@code request} to {@code <base>/ocsp}. */
    static HttpResponse<byte[]> post(String baseUrl, byte[] request) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(baseUrl + "/ocsp"))
                .header("Content-Type", "application/ocsp-request")
                .POST(HttpRequest.BodyPublishers.ofByteArray(request)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** The status of the one certificate a successful answer names ({@code null}: good, as Bouncy Castle says). */
    static CertificateStatus status(HttpResponse<byte[]> response) throws Exception {
        if (response.statusCode() != 200) {
            throw new AssertionError("/ocsp answered HTTP " + response.statusCode());
        }
        OCSPResp ocsp = new OCSPResp(response.body());
        if (ocsp.getStatus() != 0) {
            throw new AssertionError("OCSP responseStatus " + ocsp.getStatus());
        }
        return ((BasicOCSPResp) ocsp.getResponseObject()).getResponses()[0].getCertStatus();
    }
}
