package org.egovpki.core.enroll;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.egovpki.core.operator.Operator;
import org.egovpki.core.operator.Role;

/**
 * The operators who may act now, for the channels that name their operator by DN — decision entries and
 * sync commands added in an LDAP browser: {@link #findByDn} leaves out an operator whose one-time or expired
 * password must be changed first ({@link OperatorAdministration#passwordChangeRequired}), as the REST API
 * refuses it every call but the change, and an operator whose roles need the second factor once a
 * certificate is bound to it ({@link SecondFactorLogin.PasswordOnly#REFUSED}): an LDAP bind is a
 * password alone, which the REST API and the pages refuse such an operator too. Disabled operators
 * are already left out by the directory.
 */
public final class ActiveOperators implements OperatorDirectory {

    private final OperatorDirectory operators;
    private final OperatorAdministration administration;
    private final Predicate<Operator> passwordAloneRefused;

    /**
     * @param passwordAloneRefused whether an operator's password alone is refused (in the server:
     *                             {@code SecondFactorLogin.passwordOnly(operator) == REFUSED})
     */
    public ActiveOperators(OperatorDirectory operators, OperatorAdministration administration,
                           Predicate<Operator> passwordAloneRefused) {
        this.operators = Objects.requireNonNull(operators, "operators");
        this.administration = Objects.requireNonNull(administration, "administration");
        this.passwordAloneRefused = Objects.requireNonNull(passwordAloneRefused, "passwordAloneRefused");
    }

    @Override
    public Optional<Operator> findByDn(String dn) {
        return operators.findByDn(dn).filter(operator -> !administration.passwordChangeRequired(operator)
                && !passwordAloneRefused.test(operator));
    }

    @Override
    public Optional<Operator> authenticate(String uid, char[] password) {
        return operators.authenticate(uid, password);
    }

    @Override
    public Optional<OperatorLogin> login(String uid, char[] password) {
        return operators.login(uid, password);
    }

    @Override
    public Optional<Operator> findByUid(String uid) {
        return operators.findByUid(uid);
    }

    @Override
    public Operator create(String uid, String name, Set<Role> roles, char[] password) {
        return operators.create(uid, name, roles, password);
    }
}
