package org.egovpki.core.km.centre;

import java.time.Instant;
import java.util.Objects;
import org.egovpki.core.operator.Role;

/**
 * One approval of a key recovery: which KM role it was given in, by whom, when. Stored as
 * {@code egovApprovals: ROLE:DN:time} (and the DN in {@code egovApprovedBy}).
 */
public record Approval(Role role, String operatorDn, Instant at) {

    public Approval {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(operatorDn, "operatorDn");
        Objects.requireNonNull(at, "at");
        if (role != Role.KM_BUSINESS_ADMIN && role != Role.KM_OPERATOR) {
            throw new IllegalArgumentException("a key recovery is approved as KM_BUSINESS_ADMIN or KM_OPERATOR, not " + role);
        }
    }
}
