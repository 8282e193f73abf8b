package org.egovpki.server.http;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.egovpki.core.enroll.OperatorAccount;
import org.egovpki.core.enroll.OperatorDirectory;
import org.egovpki.core.enroll.OperatorLogin;
import org.egovpki.core.operator.Operator;
import org.egovpki.core.operator.Role;

/**
 * The operators of an HTTP-edge test: each logs in with the password {@value #PASSWORD}; any other
 * login or password is wrong. The edge only authenticates, so the directory's other operations fail.
 */
class KnownOperators implements OperatorDirectory {

    static final String PASSWORD = "secret";

    private final Map<String, Operator> operators;

    KnownOperators(Map<String, Operator> operators) {
        this.operators = Map.copyOf(operators);
    }

    @Override
    public Optional<Operator> authenticate(String uid, char[] password) {
        return PASSWORD.equals(String.valueOf(password)) ? Optional.ofNullable(operators.get(uid)) : Optional.empty();
    }

    @Override
    public Optional<OperatorLogin> login(String uid, char[] password) {
        return loginOf(authenticate(uid, password));
    }

    /** A test double's login: its password is current and need not change, and no certificate is bound. */
    static Optional<OperatorLogin> loginOf(Optional<Operator> operator) {
        return operator.map(o -> new OperatorLogin(new OperatorAccount(o, true, Instant.now(), false),
                Optional.empty()));
    }

    @Override
    public Optional<Operator> findByDn(String dn) {
        throw new UnsupportedOperationException("not used by the HTTP edge");
    }

    @Override
    public Optional<Operator> findByUid(String uid) {
        throw new UnsupportedOperationException("not used by the HTTP edge");
    }

    @Override
    public Operator create(String uid, String name, Set<Role> roles, char[] password) {
        throw new UnsupportedOperationException("not used by the HTTP edge");
    }
}
