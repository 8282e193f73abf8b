package org.egovpki.server.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.egovpki.core.km.centre.Approval;
import org.egovpki.core.km.centre.RecoveryRequest;

/** The JSON shape of a key recovery request, for KM operators; never the key or the one-time code. */
final class RecoveryView {

    private RecoveryView() {
    }

    static Map<String, Object> of(RecoveryRequest r) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", r.id());
        v.put("kind", r.kind().name());
        v.put("state", r.state().name());
        v.put("issuer", r.caName());
        v.put("serial", r.serialHex());
        v.put("keyId", r.keyId());
        v.put("subscriber", r.subscriberDn());
        v.put("reason", r.reason());
        v.put("legalDocumentRef", r.legalDocumentRef());
        v.put("enteredBy", r.enteredBy());
        v.put("submittedAt", r.submittedAt().toString());
        List<Map<String, Object>> approvals = new ArrayList<>();
        for (Approval a : r.approvals()) {
            approvals.add(Map.of("role", a.role().name(), "by", a.operatorDn(), "at", a.at().toString()));
        }
        v.put("approvals", approvals);
        v.put("challengeExpires", r.challengeExpires() == null ? null : r.challengeExpires().toString());
        v.put("completedAt", r.completedAt() == null ? null : r.completedAt().toString());
        v.put("decidedAt", r.decidedAt() == null ? null : r.decidedAt().toString());
        v.put("rejectionReason", r.rejectionReason());
        return v;
    }
}
