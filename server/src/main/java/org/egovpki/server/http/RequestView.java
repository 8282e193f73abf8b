package org.egovpki.server.http;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.egovpki.core.enroll.EnrollmentRequest;
import org.egovpki.core.enroll.validation.RegistrationData;

/**
 * The JSON shape of an enrollment request, for operators only, never public. The registration is
 * given as the domain lets the viewer see it ({@code EnrollmentService.registrationAsSeenBy}): this
 * class lists fields, it does not decide who sees what. Absent registration values are left out.
 */
final class RequestView {

    private RequestView() {
    }

    static Map<String, Object> of(EnrollmentRequest r, RegistrationData g) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", r.id());
        v.put("state", r.state().name());
        v.put("profile", r.profile());
        v.put("type", r.type().name());
        v.put("subscriberId", r.subscriberId());
        v.put("subjectDn", r.subjectDn());
        v.put("businessType", r.businessType());
        v.put("region", r.region());
        v.put("publishOptOut", r.publishOptOut());
        v.put("enteredBy", r.enteredBy());
        v.put("reviewedBy", r.reviewedBy());
        v.put("submittedAt", str(r.submittedAt()));
        v.put("decidedAt", str(r.decidedAt()));
        v.put("issuedAt", str(r.issuedAt()));
        v.put("rejectionReason", r.rejectionReason());
        v.put("serials", r.resultSerials());
        v.put("kind", r.kind().name());
        v.put("originalSerial", r.originalSerial());
        Map<String, Object> registration = new LinkedHashMap<>();
        registration.put("realName", g.realName());
        registration.put("idType", g.idType());
        registration.put("idNumber", g.idNumber());
        registration.put("phone", g.phone());
        registration.put("email", g.email());
        registration.put("organization", g.organization());
        registration.put("legalName", g.legalName());
        registration.put("uscc", g.uscc());
        registration.put("organizationCode", g.organizationCode());
        registration.put("agentName", g.agentName());
        registration.put("agentPhone", g.agentPhone());
        registration.put("agentEmail", g.agentEmail());
        registration.put("agentIdNumber", g.agentIdNumber());
        registration.put("hostNames", g.hostNames());
        registration.put("ipAddresses", g.ipAddresses());
        registration.put("owner", g.owner());
        registration.values().removeIf(value -> value == null || (value instanceof List<?> l && l.isEmpty()));
        v.put("registration", registration);
        return v;
    }

    private static String str(Object o) {
        return o == null ? null : o.toString();
    }
}
