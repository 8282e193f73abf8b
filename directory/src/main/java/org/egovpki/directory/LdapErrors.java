package org.egovpki.directory;

import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.ResultCode;
import java.util.Set;
import org.egovpki.core.DomainException;
import org.egovpki.core.privacy.PersonalData;

/** Maps LDAP result codes onto the domain's error kinds, once, at the directory boundary. */
public final class LdapErrors {

    /** Result codes that mean "the directory cannot be reached or will not serve now": retry later. */
    private static final Set<ResultCode> UNAVAILABLE = Set.of(ResultCode.SERVER_DOWN, ResultCode.CONNECT_ERROR,
            ResultCode.TIMEOUT, ResultCode.UNAVAILABLE, ResultCode.BUSY, ResultCode.LOCAL_ERROR);

    private LdapErrors() {
    }

    public static DomainException toDomain(String action, LDAPException e) {
        ResultCode rc = e.getResultCode();
        // A server's diagnostic may quote the entry it refused, registration data included.
        String message = action + " failed: " + rc.getName()
                + (e.getDiagnosticMessage() == null ? "" : " (" + PersonalData.maskNumbersIn(e.getDiagnosticMessage())
                + ")");
        DomainException.Kind kind;
        if (!UNAVAILABLE.contains(rc)) {
            kind = switch (rc.intValue()) {
                case ResultCode.NO_SUCH_OBJECT_INT_VALUE -> DomainException.Kind.NOT_FOUND;
                case ResultCode.ENTRY_ALREADY_EXISTS_INT_VALUE -> DomainException.Kind.CONFLICT;
                case ResultCode.INSUFFICIENT_ACCESS_RIGHTS_INT_VALUE,
                     ResultCode.INVALID_CREDENTIALS_INT_VALUE,
                     ResultCode.INAPPROPRIATE_AUTHENTICATION_INT_VALUE -> DomainException.Kind.FORBIDDEN;
                default -> DomainException.Kind.INTERNAL;
            };
        } else {
            kind = DomainException.Kind.UNAVAILABLE;
            message = action + " failed: the directory is unavailable (" + rc.getName() + "); retry when it is back";
        }
        return new DomainException(kind, message, null, e);
    }
}
