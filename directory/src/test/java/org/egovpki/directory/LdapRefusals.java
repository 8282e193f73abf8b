package org.egovpki.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.ResultCode;
import java.util.Set;

/** The access-control tests' one assertion: an LDAP call the directory refuses, with one of the codes given. */
public final class LdapRefusals {

    /** An LDAP call that may throw. */
    @FunctionalInterface
    public interface LdapCall {
        void run() throws LDAPException;
    }

    private LdapRefusals() {
    }

    public static void assertRefused(Set<ResultCode> refusals, LdapCall call) {
        LDAPException refused = catchThrowableOfType(LDAPException.class, call::run);
        assertThat(refused).as("refused").isNotNull();
        assertThat(refusals).contains(refused.getResultCode());
    }
}
