package org.egovpki.server.http;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.egovpki.core.operator.Operator;
import org.egovpki.core.enroll.OperatorDirectory;
import org.egovpki.core.enroll.OperatorLockedOut;
import org.egovpki.core.enroll.OperatorLogin;

/**
 * The operator login of the API: HTTP Basic, checked by binding to the directory as the operator
 * ({@link OperatorDirectory#authenticate}), once per call before any resource runs. A wrong login
 * and a wrong password get the same answer, so a guesser learns nothing about which logins exist.
 */
final class BasicAuthentication {

    /** The call has no valid operator login: answered 401 with a {@code WWW-Authenticate} challenge. */
    static final class Unauthorized extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Unauthorized(String message) {
            super(message, null, false, false);
        }
    }

    private final OperatorDirectory operators;

    BasicAuthentication(OperatorDirectory operators) {
        this.operators = operators;
    }

    /**
     * @param header the {@code Authorization} header, {@code null} when absent
     * @throws Unauthorized when there is no valid login, or the account is locked
     */
    Operator authenticate(String header) {
        return login(header).operator();
    }

    /**
     * {@link #authenticate}, with the account and the bound certificate the directory read at the
     * login ({@link OperatorDirectory#login}), for the checks that follow it.
     *
     * @throws Unauthorized when there is no valid login, or the account is locked
     */
    OperatorLogin login(String header) {
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            throw new Unauthorized("this API needs an operator login (HTTP Basic: the operator's uid and password)");
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new Unauthorized("the Authorization header is not valid Basic credentials");
        }
        int colon = decoded.indexOf(':');
        if (colon < 1) {
            throw new Unauthorized("the Authorization header is not valid Basic credentials");
        }
        try {
            return operators.login(decoded.substring(0, colon), decoded.substring(colon + 1).toCharArray())
                    .orElseThrow(() -> new Unauthorized("wrong operator login or password"));
        } catch (OperatorLockedOut e) {
            // Said only to someone who gave the right password, so it reveals no login to a guesser.
            throw new Unauthorized("operator account '" + e.uid() + "' is locked after too many failed logins "
                    + "(over the REST API or LDAP); it unlocks at " + e.until() + " (a wrong password before then "
                    + "locks it again), or the directory administrator can unlock it earlier");
        }
    }
}
