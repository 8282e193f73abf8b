package org.egovpki.directory;

import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.ResultCode;
import org.egovpki.core.DomainException;
import org.junit.jupiter.api.Test;

/** The directory's diagnostic (ApacheDS puts the whole request in it) never reaches a domain message. */
class LdapErrorsTest {

    private static final String DIAGNOSTIC = "OTHER: failed for MessageType : ADD_REQUEST\nMessage ID : 2\n"
            + "    Add Request :\nEntry\n    dn: cn=registration,egovSubscriberId=p-1,ou=subscribers\n"
            + "    egovIdNumber: 11010519491231002X\n    egovChallengeHash: {SSHA256}c2VjcmV0\n"
            + ": ERR_13247_INVALID_VALUE_CANT_NORMALIZE\njava.lang.IllegalArgumentException: ERR_13247\n"
            + "\tat org.apache.directory.api.ldap.model.entry.Value.<init>(Value.java:274)";

    @Test
    void anEntryDumpNeverGoesIntoTheDomainMessage() {
        DomainException e = LdapErrors.toDomain("registering subscriber p-1",
                new LDAPException(ResultCode.OTHER, DIAGNOSTIC));

        assertThat(e.kind()).isEqualTo(DomainException.Kind.INTERNAL);
        assertThat(e.getMessage()).isEqualTo("registering subscriber p-1 failed: other");
        assertThat(e.getCause()).isNull();
    }

    @Test
    void theLoggedDiagnosticIsTheFirstLineWithNumbersMasked() {
        assertThat(LdapErrors.loggable(DIAGNOSTIC)).isEqualTo("OTHER: failed for MessageType : ADD_REQUEST");
        assertThat(LdapErrors.loggable("Invalid value 11010519491231002X for egovIdNumber"))
                .isEqualTo("Invalid value 110***********002X for egovIdNumber");
    }

    @Test
    void forbiddenAndConflictKeepTheirKindsWithoutTheDiagnostic() {
        DomainException forbidden = LdapErrors.toDomain("modifying request r-1",
                new LDAPException(ResultCode.INSUFFICIENT_ACCESS_RIGHTS, "INSUFFICIENT_ACCESS_RIGHTS: " + DIAGNOSTIC));

        assertThat(forbidden.kind()).isEqualTo(DomainException.Kind.FORBIDDEN);
        assertThat(forbidden.getMessage()).doesNotContain("egovChallengeHash", "dn:");
    }
}
