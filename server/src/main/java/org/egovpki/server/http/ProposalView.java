package org.egovpki.server.http;

import java.util.LinkedHashMap;
import java.util.Map;
import org.egovpki.core.dualcontrol.DualControl;

/**
 * The body of a {@code 202}: an operation under dual control was proposed and waits for a second
 * operator, who confirms it with the same call ({@code PROPOSED} in openapi.yaml).
 */
final class ProposalView {

    private ProposalView() {
    }

    /**
     * @param who the second operator's kind, for the text ({@code CA admin}, {@code security admin})
     * @param how what the second operator does, e.g. {@code the same call with the same reason}
     */
    static Map<String, Object> of(Map<String, Object> naming, DualControl.Proposal proposal, String who, String how) {
        Map<String, Object> v = new LinkedHashMap<>(naming);
        v.put("state", "PROPOSED");
        v.put("operation", proposal.operation());
        v.put("proposedBy", proposal.proposerDn());
        v.put("proposedAt", proposal.proposedAt().toString());
        v.put("expiresAt", proposal.expiresAt().toString());
        v.put("confirm", "a second " + who + ", another person, makes " + how + " before " + proposal.expiresAt()
                + "; until then nothing is done");
        return v;
    }
}
