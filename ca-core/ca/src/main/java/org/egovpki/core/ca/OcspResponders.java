package org.egovpki.core.ca;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
        return new OcspResponder(servedCas(cas), statuses, clock, settings);
    }

    /**
     * Each CA by its current key and, after a key changeover, by each retired key still in
     * service: a CertID whose issuerKeyHash is a retired key's is answered and signed by that key,
     * so what the old key issued is answered under the key its relying parties know.
     */
    static List<ServedCa> servedCas(CaRegistry cas) {
        List<ServedCa> served = new ArrayList<>();
        for (CertificateAuthority ca : cas.all()) {
            served.add(new ServedCa(ca.name(), ca.certificate(), ca.signer()));
            for (RetiredCaKey retired : ca.retiredKeys()) {
                served.add(new ServedCa(ca.name(), retired.certificate(), retired.signer()));
            }
        }
        return served;
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
