package org.egovpki.directory.km;

import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPInterface;
import com.unboundid.ldap.sdk.LDAPSearchException;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.egovpki.core.DomainException;
import org.egovpki.directory.DirectoryNames;
import org.egovpki.directory.LdapErrors;
import org.egovpki.directory.LdapValues;

/**
 * What both KM stores do to {@code ou=km}: add an entry, read one, search one level down, and
 * change one as a compare-and-swap. Every call goes through the {@link LDAPInterface} the store
 * was given, which must be bound as the KM's service account: nobody else can see this subtree.
 */
final class KmSubtree {

    private final LDAPInterface ldap;
    private final DirectoryNames names;

    KmSubtree(LDAPInterface ldap, DirectoryNames names) {
        this.ldap = Objects.requireNonNull(ldap, "ldap");
        this.names = Objects.requireNonNull(names, "names");
    }

    /** Adds {@code entry}; {@code false} if an entry with its DN exists already. */
    boolean add(Entry entry, String what) {
        try {
            ldap.add(entry);
            return true;
        } catch (LDAPException e) {
            if (e.getResultCode() == ResultCode.ENTRY_ALREADY_EXISTS) {
                return false;
            }
            throw LdapErrors.toDomain("storing " + what, e);
        }
    }

    /** The entry with every user attribute, or {@code null} if there is none. */
    Entry read(DN dn, String what) {
        try {
            return ldap.getEntry(dn.toString(), "*");
        } catch (LDAPException e) {
            throw LdapErrors.toDomain("reading " + what, e);
        }
    }

    /** The direct children of {@code ou=km} matching {@code filter}, at most {@code limit}. */
    List<SearchResultEntry> search(Filter filter, int limit, String what, String... attributes) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive, was " + limit);
        }
        try {
            SearchRequest request = new SearchRequest(names.km().toString(), SearchScope.ONE, filter,
                    attributes.length == 0 ? new String[] {"*"} : attributes);
            request.setSizeLimit(limit);
            return ldap.search(request).getSearchEntries();
        } catch (LDAPSearchException e) {
            if (e.getResultCode() == ResultCode.SIZE_LIMIT_EXCEEDED) {
                return e.getSearchEntries();
            }
            throw LdapErrors.toDomain("searching " + what, e);
        } catch (LDAPException e) {
            throw LdapErrors.toDomain("searching " + what, e);
        }
    }

    /**
     * Applies {@code changes} to {@code dn} only if {@code stateAttribute} still holds
     * {@code expected}: the modify deletes that value and adds {@code next}, and LDAP applies the
     * modifications of one request all or none, so a state that moved on fails the delete (no such
     * attribute value) and nothing at all is written. Two writers starting from the same state
     * cannot both succeed.
     *
     * @return {@code false} if the state had moved on
     * @throws DomainException NOT_FOUND if there is no such entry
     */
    boolean compareAndSwap(DN dn, String stateAttribute, String expected, String next, List<Modification> changes,
                           String what) {
        List<Modification> mods = new ArrayList<>(changes.size() + 2);
        mods.add(new Modification(ModificationType.DELETE, stateAttribute, expected));
        mods.add(new Modification(ModificationType.ADD, stateAttribute, next));
        mods.addAll(changes);
        try {
            ldap.modify(dn.toString(), mods);
            return true;
        } catch (LDAPException e) {
            if (e.getResultCode() == ResultCode.NO_SUCH_ATTRIBUTE) {
                return false;
            }
            throw LdapErrors.toDomain("updating " + what, e);
        }
    }

    /** REPLACE with the value, or remove the attribute when there is none. */
    static Modification replace(String attribute, String value) {
        return value == null || value.isBlank() ? new Modification(ModificationType.REPLACE, attribute)
                : new Modification(ModificationType.REPLACE, attribute, value);
    }

    /** REPLACE with the bytes, or remove the attribute when there are none. */
    static Modification replace(String attribute, byte[] value) {
        return value == null ? new Modification(ModificationType.REPLACE, attribute)
                : new Modification(ModificationType.REPLACE, attribute, value);
    }

    /** Parses an enumeration value; someone editing in a browser may have written it in lower case. */
    static <E extends Enum<E>> E parse(Class<E> type, Entry e, String attribute) {
        String value = required(e, attribute);
        try {
            return Enum.valueOf(type, value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException unknown) {
            throw new DomainException(DomainException.Kind.INTERNAL, e.getDN() + " has " + attribute + " '" + value
                    + "', which is none of " + List.of(type.getEnumConstants()));
        }
    }

    /** A value the entry must have. */
    static String required(Entry e, String attribute) {
        return present(e, attribute, e.getAttributeValue(attribute));
    }

    /** A time the entry must have. */
    static Instant requiredTime(Entry e, String attribute) {
        return present(e, attribute, LdapValues.time(e, attribute));
    }

    /** A binary value the entry must have, whether the server named it with ;binary or not. */
    static byte[] requiredBinary(Entry e, String attribute) {
        return present(e, attribute, LdapValues.binary(e, attribute));
    }

    /** The certificate serial number, lower-case hex as every egov-pki entry writes it. */
    static BigInteger serial(Entry e) {
        String serial = required(e, "egovSerialNumber");
        try {
            return new BigInteger(serial, 16);
        } catch (NumberFormatException notHex) {
            throw new DomainException(DomainException.Kind.INTERNAL, e.getDN() + " has egovSerialNumber '" + serial
                    + "', which is not hexadecimal");
        }
    }

    /** An entry whose values contradict each other (edited by hand): the domain type refused it. */
    static DomainException broken(Entry e, IllegalArgumentException why) {
        return new DomainException(DomainException.Kind.INTERNAL, e.getDN() + " is inconsistent: " + why.getMessage(),
                null, why);
    }

    private static <T> T present(Entry e, String attribute, T value) {
        if (value == null) {
            throw new DomainException(DomainException.Kind.INTERNAL, e.getDN() + " has no " + attribute);
        }
        return value;
    }
}
