package org.egovpki.core.ca;

import java.time.Clock;
import java.time.Duration;
import org.egovpki.core.ocsp.CertificateStatusSource;
import org.egovpki.core.ocsp.OcspResponder;
import org.egovpki.core.ocsp.ServedCa;

/**
 * Builds the OCSP responder for the CAs in service. It lives here because only this package can
 * hand a CA's signer to the responder; nothing outside gets the signer itself.
 */
public final class OcspResponders {

    private OcspResponders() {
    }

    public static OcspResponder forCas(CaRegistry cas, CertificateStatusSource statuses, Clock clock,
                                       Duration nextUpdateAfter) {
        return new OcspResponder(cas.all().stream()
                .map(ca -> new ServedCa(ca.name(), ca.certificate(), ca.signer())).toList(),
                statuses, clock, nextUpdateAfter);
    }
}
