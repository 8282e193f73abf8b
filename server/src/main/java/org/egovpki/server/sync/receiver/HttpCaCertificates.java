package org.egovpki.server.sync.receiver;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.Extension;
import org.egovpki.core.crypto.BouncyCastle;

/**
 * The CA's public certificates and CRLs over its public HTTP endpoints ({@code GET /ca},
 * {@code GET /ca/{name}.crt}, {@code GET /crl/{name}.crl}): fetched once at start (the CA list and
 * certificates) and on demand (a CRL), then cached. The trust anchors are the roots the CA's own
 * server lists, so the receiver trusts whatever {@code --ca-url} names: use https, or compare the
 * root fingerprints out of band (docs/sync.md).
 */
final class HttpCaCertificates implements CaCertificates {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final URI base;
    private final HttpClient http;
    private final Map<String, List<X509Certificate>> chains;
    private final Map<String, X509CRL> crls = new ConcurrentHashMap<>();

    private HttpCaCertificates(URI base, HttpClient http, Map<String, List<X509Certificate>> chains) {
        this.base = base;
        this.http = http;
        this.chains = chains;
    }

    /**
     * Reads the CA list and every CA certificate from {@code caUrl}.
     *
     * @throws CaUnavailableException if the CA does not answer or answers something unreadable
     */
    static HttpCaCertificates fetch(URI caUrl) {
        URI base = URI.create(caUrl.toString().replaceAll("/+$", "") + "/");
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NORMAL).build();
        Map<String, X509Certificate> byName = new LinkedHashMap<>();
        try {
            JsonNode list = MAPPER.readTree(get(http, base.resolve("ca")));
            for (JsonNode ca : list.isArray() ? list : list.path("cas")) {
                String name = ca.path("name").asText();
                byName.put(name, certificate(get(http, base.resolve("ca/" + encode(name) + ".crt"))));
            }
        } catch (IOException | GeneralSecurityException e) {
            throw new CaUnavailableException("cannot read the CA certificates from " + base + ": " + e.getMessage(), e);
        }
        if (byName.isEmpty()) {
            throw new CaUnavailableException(base + "ca lists no CA", null);
        }
        Map<String, List<X509Certificate>> chains = new LinkedHashMap<>();
        byName.forEach((name, certificate) -> chains.put(name, chainOf(certificate, byName.values())));
        return new HttpCaCertificates(base, http, chains);
    }

    private static List<X509Certificate> chainOf(X509Certificate ca, Iterable<X509Certificate> all) {
        List<X509Certificate> chain = new ArrayList<>();
        X509Certificate current = ca;
        while (current != null && chain.size() < 10 && !chain.contains(current)) {
            chain.add(current);
            if (current.getIssuerX500Principal().equals(current.getSubjectX500Principal())) {
                break;
            }
            X509Certificate next = null;
            for (X509Certificate candidate : all) {
                if (candidate.getSubjectX500Principal().equals(current.getIssuerX500Principal())) {
                    next = candidate;
                }
            }
            current = next;
        }
        return List.copyOf(chain);
    }

    @Override
    public Set<String> names() {
        return chains.keySet();
    }

    @Override
    public List<X509Certificate> chain(String ca) {
        return chains.getOrDefault(ca, List.of());
    }

    @Override
    public X509CRL crl(String ca) {
        X509CRL cached = crls.get(ca);
        if (cached != null) {
            return cached;
        }
        X509Certificate issuer = certificate(ca).orElseThrow(() -> new CaUnavailableException("unknown CA " + ca, null));
        try {
            X509CRL crl = (X509CRL) CertificateFactory.getInstance("X.509", BouncyCastle.PROVIDER)
                    .generateCRL(new ByteArrayInputStream(get(http, base.resolve("crl/" + encode(ca) + ".crl"))));
            crl.verify(issuer.getPublicKey(), BouncyCastle.PROVIDER);
            offer(ca, crl);
            return crls.get(ca);
        } catch (IOException | GeneralSecurityException e) {
            throw new CaUnavailableException("cannot read the current CRL of " + ca + " from " + base + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    public void offer(String ca, X509CRL crl) {
        crls.merge(ca, crl, (old, offered) -> number(offered).compareTo(number(old)) > 0 ? offered : old);
    }

    static BigInteger number(X509CRL crl) {
        byte[] value = crl.getExtensionValue(Extension.cRLNumber.getId());
        if (value == null) {
            return BigInteger.ZERO;
        }
        return ASN1Integer.getInstance(ASN1OctetString.getInstance(value).getOctets()).getValue();
    }

    private static X509Certificate certificate(byte[] der) throws GeneralSecurityException {
        return (X509Certificate) CertificateFactory.getInstance("X.509", BouncyCastle.PROVIDER)
                .generateCertificate(new ByteArrayInputStream(der));
    }

    private static String encode(String name) {
        return URLEncoder.encode(name, StandardCharsets.UTF_8);
    }

    private static byte[] get(HttpClient http, URI uri) throws IOException {
        try {
            HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET()
                    .build(), HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                throw new IOException("GET " + uri + " answered HTTP " + response.statusCode());
            }
            return response.body();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while fetching " + uri, e);
        }
    }
}
