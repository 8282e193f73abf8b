package org.egovpki.directory;

import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPInterface;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.egovpki.core.DomainException;
import org.egovpki.core.enroll.OperatorCertificateBindings;
import org.egovpki.schema.DirectoryLayout;

/**
 * The operator certificates bound to operator entries ({@code egovOperatorCertificateId} on the
 * auxiliary class {@code egovOperatorSecondFactor}, added at the first binding): the second login
 * factor. Written by the CA server only; operators cannot change their own entries.
 */
public final class LdapOperatorCertificateBindings implements OperatorCertificateBindings {

    static final String ATTRIBUTE = "egovOperatorCertificateId";
    static final String AUXILIARY = "egovOperatorSecondFactor";

    private final LDAPInterface ldap;
    private final DirectoryNames names;

    public LdapOperatorCertificateBindings(LDAPInterface ldap, DirectoryNames names) {
        this.ldap = Objects.requireNonNull(ldap, "ldap");
        this.names = Objects.requireNonNull(names, "names");
    }

    @Override
    public Optional<String> boundCertificate(String uid) {
        if (uid == null || !LdapOperatorDirectory.UID.matcher(uid).matches()) {
            return Optional.empty();
        }
        try {
            SearchResultEntry entry = ldap.getEntry(names.operator(uid).toString(), ATTRIBUTE);
            return entry == null ? Optional.empty() : Optional.ofNullable(entry.getAttributeValue(ATTRIBUTE));
        } catch (LDAPException e) {
            throw LdapErrors.toDomain("reading the certificate bound to operator " + uid, e);
        }
    }

    @Override
    public Optional<String> holderOf(String certificateId) {
        try {
            SearchResult result = ldap.search(names.container(DirectoryLayout.Container.OPERATORS).toString(),
                    SearchScope.ONE, Filter.createANDFilter(Filter.createEqualityFilter("objectClass", "egovOperator"),
                            Filter.createEqualityFilter(ATTRIBUTE, certificateId)), "uid");
            return result.getSearchEntries().stream().map(e -> e.getAttributeValue("uid")).filter(Objects::nonNull)
                    .findFirst();
        } catch (LDAPException e) {
            throw LdapErrors.toDomain("finding the operator of certificate " + certificateId, e);
        }
    }

    @Override
    public void bind(String uid, String certificateId) {
        String dn = names.operator(uid).toString();
        try {
            SearchResultEntry entry = ldap.getEntry(dn, "objectClass");
            if (entry == null) {
                throw DomainException.notFound("no operator with login '" + uid + "'");
            }
            List<Modification> changes = new ArrayList<>();
            if (!entry.hasObjectClass(AUXILIARY)) {
                changes.add(new Modification(ModificationType.ADD, "objectClass", AUXILIARY));
            }
            changes.add(new Modification(ModificationType.REPLACE, ATTRIBUTE, certificateId));
            ldap.modify(dn, changes);
        } catch (LDAPException e) {
            if (e.getResultCode() == ResultCode.NO_SUCH_OBJECT) {
                throw DomainException.notFound("no operator with login '" + uid + "'");
            }
            throw LdapErrors.toDomain("binding certificate " + certificateId + " to operator " + uid, e);
        }
    }
}
