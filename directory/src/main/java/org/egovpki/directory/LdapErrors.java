package org.egovpki.directory;

import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.ResultCode;
import java.util.Set;
import org.egovpki.core.DomainException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.egovpki.core.privacy.PersonalData;

/**
 * Maps LDAP result codes onto the domain's error kinds, once, at the directory boundary.
 *
 * <p>The directory's diagnostic message never goes into the domain exception: ApacheDS puts the
 * whole request into it (an add's entry dump with registration data and the challenge hash, a
 * Java stack trace), and domain messages reach clients and the audit trail. The exception says
 * what was being done and the result code; the log gets the diagnostic's first line, shortened,
 * with long digit runs (ID and phone numbers) masked.
 */
public final class LdapErrors {

    private static final Logger LOG = LoggerFactory.getLogger(LdapErrors.class);
    /** Result codes that mean "the directory cannot be reached or will not serve now": retry later. */
    private static final Set<ResultCode> UNAVAILABLE = Set.of(ResultCode.SERVER_DOWN, ResultCode.CONNECT_ERROR,
            ResultCode.TIMEOUT, ResultCode.UNAVAILABLE, ResultCode.BUSY, ResultCode.LOCAL_ERROR);
    private static final int MAX_LOGGED_DIAGNOSTIC = 160;

    private LdapErrors() {
    }

    public static DomainException toDomain(String action, LDAPException e) {
        ResultCode rc = e.getResultCode();
        DomainException.Kind kind;
        String message;
        if (!UNAVAILABLE.contains(rc)) {
            kind = switch (rc.intValue()) {
                case ResultCode.NO_SUCH_OBJECT_INT_VALUE -> DomainException.Kind.NOT_FOUND;
                case ResultCode.ENTRY_ALREADY_EXISTS_INT_VALUE -> DomainException.Kind.CONFLICT;
                case ResultCode.INSUFFICIENT_ACCESS_RIGHTS_INT_VALUE,
                     ResultCode.INVALID_CREDENTIALS_INT_VALUE,
                     ResultCode.INAPPROPRIATE_AUTHENTICATION_INT_VALUE -> DomainException.Kind.FORBIDDEN;
                default -> DomainException.Kind.INTERNAL;
            };
            message = action + " failed: " + rc.getName();
        } else {
            kind = DomainException.Kind.UNAVAILABLE;
            message = action + " failed: the directory is unavailable (" + rc.getName() + "); retry when it is back";
        }
        DomainException domain = new DomainException(kind, message, null, null);
        if (domain.isServerFault()) {
            LOG.warn("{} (incident {}); directory diagnostic: {}", message, domain.incident(),
                    loggable(e.getDiagnosticMessage()));
        }
        return domain;
    }

    /** The first line of a diagnostic, at most 160 characters, long digit runs masked; never the entry dump. */
    static String loggable(String diagnostic) {
        if (diagnostic == null || diagnostic.isBlank()) {
            return "(none)";
        }
        String first = diagnostic.strip().lines().findFirst().orElse("");
        if (first.length() > MAX_LOGGED_DIAGNOSTIC) {
            first = first.substring(0, MAX_LOGGED_DIAGNOSTIC) + "...";
        }
        return PersonalData.maskNumbersIn(first);
    }
}
