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

    /** Each CA signs its own responses; no cache. */
    public static OcspResponder forCas(CaRegistry cas, CertificateStatusSource statuses, Clock clock,
                                       Duration nextUpdateAfter) {
        return forCas(cas, statuses, clock, OcspResponder.Settings.uncached(nextUpdateAfter));
    }

    /** Each CA signs its own responses with its CA key (configuration {@code ocsp.signer: ca}). */
    public static OcspResponder forCas(CaRegistry cas, CertificateStatusSource statuses, Clock clock,
                                       OcspResponder.Settings settings) {
        return new OcspResponder(cas.all().stream()
                .map(ca -> new ServedCa(ca.name(), ca.certificate(), ca.signer())).toList(),
                statuses, clock, settings);
    }

    /**
     * Each CA's responses are signed by its delegated responder (configuration {@code ocsp.signer:
     * delegated}), issued or renewed now as {@link OcspSigners#servedCas()} says. Keep calling
     * {@link OcspSigners#renewDue(OcspResponder)} with the result while it serves.
     */
    public static OcspResponder delegated(OcspSigners signers, CertificateStatusSource statuses, Clock clock,
                                          OcspResponder.Settings settings) {
        return new OcspResponder(signers.servedCas(), statuses, clock, settings);
    }
}
