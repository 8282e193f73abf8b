package org.egovpki.routes;

import java.util.Objects;
import org.egovpki.core.ca.OcspSigners;
import org.egovpki.core.ocsp.OcspResponder;

/** The bean the OCSP responder renewal route calls: renews the delegated responders that are due. */
public final class OcspResponderJobs {

    private final OcspSigners signers;
    private final OcspResponder responder;

    public OcspResponderJobs(OcspSigners signers, OcspResponder responder) {
        this.signers = Objects.requireNonNull(signers, "signers");
        this.responder = Objects.requireNonNull(responder, "responder");
    }

    /** @return how many delegated responders were renewed (usually none) */
    public int renewDue() {
        return signers.renewDue(responder);
    }
}
