package org.egovpki.directory;

import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPInterface;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.ResultCode;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a change together with the sync events it owes ({@code egovSyncOwed} values) in one
 * modify, when sync capture is on; otherwise the change alone. An entry written before sync capture
 * lacks the auxiliary class that allows the marker: the directory refuses the modify as an object
 * class violation, changing nothing, and it is repeated with the class added.
 */
final class SyncMarking {

    static final String AT_OWED = LdapSyncOutbox.AT_OWED;
    static final String OC_OWED = LdapSyncOutbox.OC_OWED;

    private final LDAPInterface ldap;
    private final boolean on;

    SyncMarking(LDAPInterface ldap, boolean on) {
        this.ldap = ldap;
        this.on = on;
    }

    boolean on() {
        return on;
    }

    /** {@code mods} on {@code dn}, with {@code markers} added in the same modify when capture is on. */
    void modify(String dn, List<Modification> mods, String... markers) throws LDAPException {
        if (!on || markers.length == 0) {
            ldap.modify(dn, mods);
            return;
        }
        List<Modification> marked = new ArrayList<>(mods);
        marked.add(new Modification(ModificationType.ADD, AT_OWED, markers));
        try {
            ldap.modify(dn, marked);
        } catch (LDAPException e) {
            if (e.getResultCode() != ResultCode.OBJECT_CLASS_VIOLATION) {
                throw e;
            }
            marked.add(new Modification(ModificationType.ADD, "objectClass", OC_OWED));
            ldap.modify(dn, marked);
        }
    }
}
