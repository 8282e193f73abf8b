package org.egovpki.core.enroll;

import java.util.Objects;
import java.util.Optional;
import org.egovpki.core.operator.Operator;

/**
 * A password login as the directory answered it ({@link OperatorDirectory#login}): the operator's
 * account and the certificate bound to it, read together right after the bind, so the checks every
 * API call makes next — a password change pending ({@link OperatorAdministration#passwordChangeRequired(OperatorAccount)}),
 * the second factor ({@link SecondFactorLogin#passwordOnly(Operator, Optional)}) — need no read of their own.
 *
 * @param account          the operator's account as read at the login
 * @param boundCertificate the id of the operator certificate bound to it ({@link OperatorCertificateBindings}),
 *                         empty if none is
 */
public record OperatorLogin(OperatorAccount account, Optional<String> boundCertificate) {

    public OperatorLogin {
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(boundCertificate, "boundCertificate");
    }

    public Operator operator() {
        return account.operator();
    }
}
