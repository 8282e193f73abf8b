package org.egovpki.server.http;

import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.egovpki.core.DomainException;
import org.egovpki.core.ca.CaPublications;
import org.egovpki.core.ca.CaRecord;
import org.egovpki.core.x509.Pem;

/**
 * The public material a locked server still serves (docs/operations.md, "Unlocking after a
 * restart"): what needs no CA key, read from the directory. {@code /ca/<name>.crt|.pem} is the
 * published CA entry's certificate and {@code /crl/<name>.crl} (full, delta, partition, ARL) the
 * published CRL, with the same caching headers as once unlocked; the CA names come from the
 * configuration, since the CA objects are built from the key store only when it opens.
 */
public final class LockedDownloads {

    private final Set<String> caNames;
    private final CaPublications publications;

    public LockedDownloads(List<String> caNames, CaPublications publications) {
        this.caNames = Set.copyOf(caNames);
        this.publications = java.util.Objects.requireNonNull(publications, "publications");
    }

    /**
     * Answers a GET or HEAD of a CA certificate or CRL; {@code false} (nothing answered) for any
     * other request.
     */
    boolean handle(String path, Request request, Response response, Callback callback, HttpResponses responses) {
        boolean head = HttpMethod.HEAD.is(request.getMethod());
        if (!head && !HttpMethod.GET.is(request.getMethod())) {
            return false;
        }
        Matcher caCert = PublicHandler.CA_CERT.matcher(path);
        Matcher crl = PublicHandler.CRL.matcher(path);
        if (caCert.matches()) {
            String name = caCert.group(1);
            if (!caNames.contains(name)) {
                throw PublicHandler.unknownCa(name);
            }
            CaRecord ca = publications.find(name).orElseThrow(() -> new DomainException(
                    DomainException.Kind.UNAVAILABLE, "CA '" + name + "' is not published yet"));
            if (caCert.group(2).equals("crt")) {
                responses.bytes(response, callback, 200, "application/pkix-cert", ca.certificateDer(), head);
            } else {
                responses.bytes(response, callback, 200, "application/x-pem-file",
                        HttpResponses.utf8(Pem.certificate(Pem.parseCertificate(ca.certificateDer()))), head);
            }
            return true;
        }
        if (crl.matches()) {
            String name = crl.group(1);
            PublicHandler.sendCrl(responses, name, PublicHandler.currentCrl(name, caNames::contains, publications),
                    request, response, callback, head);
            return true;
        }
        return false;
    }
}
