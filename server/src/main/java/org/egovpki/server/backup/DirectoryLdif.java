package org.egovpki.server.backup;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPInterface;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.ldif.LDIFException;
import com.unboundid.ldif.LDIFReader;
import com.unboundid.ldif.LDIFWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The egov-pki directory tree as LDIF, for backup and restore, over any {@link LDAPInterface}
 * bound as the directory administrator (which bypasses access control and may supply the
 * operational attributes kept below).
 *
 * <p>What is kept: every entry under the base DN, parents before children (sorted by depth, then
 * by normalized DN, so two exports of the same tree are byte-identical), with all user attributes
 * (including {@code userPassword} hashes) and the operational attributes restore needs:
 * {@code creatorsName} (the author of decision and sync command entries, who the CA acts as),
 * {@code createTimestamp}, {@code modifiersName}, {@code modifyTimestamp}, {@code entryUUID} and
 * {@code pwdPolicySubentry} (the service accounts' no-lockout policy). Values of the RFC 4523
 * certificate types are named {@code <type>;binary} and written base64 like every non-printable
 * value. What is not: access control subentries and the base entry's {@code administrativeRole}
 * (restore applies the access control as the server does at every start), password-policy state ({@code pwdFailureTime},
 * {@code pwdAccountLockedTime}, ...: a restore starts with no account locked), {@code entryCSN},
 * subordinate counts and other values the directory computes, and the X.500-named mirror's
 * {@code egovX500FilledContext} ({@link #NOT_KEPT}): a mirror context outside the base DN is not in
 * the export, so a restored directory must not claim it filled; the first start after a restore
 * fills the mirror anew. {@link #load} drops it too, for archives written before.
 */
public final class DirectoryLdif {

    /** The operational attributes an export keeps; everything else operational is recomputed. */
    public static final List<String> KEPT_OPERATIONAL = List.of("creatorsName", "createTimestamp", "modifiersName",
            "modifyTimestamp", "entryUUID", "pwdPolicySubentry");

    /** User attributes an export leaves out and a restore drops (lower case). */
    static final Set<String> NOT_KEPT = Set.of("egovx500filledcontext");

    /** RFC 4523 §2 types, always written {@code ;binary}. */
    private static final Set<String> BINARY_TYPES = Set.of("usercertificate", "cacertificate",
            "certificaterevocationlist", "authorityrevocationlist", "deltarevocationlist", "crosscertificatepair",
            "supportedalgorithms");

    private DirectoryLdif() {
    }

    /**
     * Writes the tree under {@code baseDn} to {@code out} and returns the number of entries.
     */
    public static int export(LDAPInterface ldap, String baseDn, OutputStream out) throws LDAPException, IOException {
        List<String> attributes = new ArrayList<>(List.of("*"));
        attributes.addAll(KEPT_OPERATIONAL);
        SearchRequest request = new SearchRequest(baseDn, SearchScope.SUB, Filter.createPresenceFilter("objectClass"),
                attributes.toArray(String[]::new));
        request.setSizeLimit(0);
        request.setTimeLimitSeconds(0);
        SearchResult result = ldap.search(request);
        List<Entry> entries = new ArrayList<>();
        for (SearchResultEntry found : result.getSearchEntries()) {
            entries.add(binaryNamed(found));
        }
        entries.sort(PARENTS_FIRST);
        LDIFWriter writer = new LDIFWriter(out);
        for (Entry entry : entries) {
            writer.writeEntry(entry);
        }
        writer.flush();
        return entries.size();
    }

    /**
     * Adds every entry of the LDIF to a fresh directory whose base entry exists (the embedded
     * directory creates it): the base entry's attributes are replaced, every other entry is added
     * as it was, with its kept operational attributes. Returns the number of entries.
     *
     * @throws LDAPException naming the entry that the directory refused
     */
    public static int load(LDAPInterface ldap, String baseDn, InputStream in) throws LDAPException, IOException {
        DN base = new DN(baseDn);
        int count = 0;
        try (LDIFReader reader = new LDIFReader(in)) {
            Entry entry;
            while ((entry = reader.readEntry()) != null) {
                for (Attribute attribute : List.copyOf(entry.getAttributes())) {
                    if (NOT_KEPT.contains(attribute.getBaseName().toLowerCase(Locale.ROOT))) {
                        entry.removeAttribute(attribute.getName());
                    }
                }
                try {
                    if (entry.getParsedDN().equals(base) && ldap.getEntry(baseDn, "1.1") != null) {
                        replaceUserAttributes(ldap, entry);
                    } else {
                        ldap.add(entry);
                    }
                } catch (LDAPException e) {
                    throw new LDAPException(e.getResultCode(), "the directory refused entry " + entry.getDN() + ": "
                            + e.getMessage(), e);
                }
                count++;
            }
        } catch (LDIFException e) {
            throw new IOException("directory.ldif does not parse at line " + e.getLineNumber() + ": "
                    + e.getMessage(), e);
        }
        return count;
    }

    private static void replaceUserAttributes(LDAPInterface ldap, Entry entry) throws LDAPException {
        List<Modification> modifications = new ArrayList<>();
        for (Attribute attribute : entry.getAttributes()) {
            if (!isKeptOperational(attribute.getBaseName())) {
                modifications.add(new Modification(ModificationType.REPLACE, attribute.getName(),
                        attribute.getValueByteArrays()));
            }
        }
        if (!modifications.isEmpty()) {
            ldap.modify(entry.getDN(), modifications);
        }
    }

    static boolean isKeptOperational(String baseName) {
        return KEPT_OPERATIONAL.stream().anyMatch(a -> a.equalsIgnoreCase(baseName));
    }

    /** A copy of the entry with certificate-type attributes named {@code ;binary}, once. */
    private static Entry binaryNamed(Entry found) {
        Entry copy = new Entry(found.getDN());
        List<Attribute> sorted = new ArrayList<>(found.getAttributes());
        sorted.sort(ATTRIBUTE_ORDER);
        for (Attribute attribute : sorted) {
            if (NOT_KEPT.contains(attribute.getBaseName().toLowerCase(Locale.ROOT))) {
                continue;
            }
            String name = attribute.getName();
            if (BINARY_TYPES.contains(attribute.getBaseName().toLowerCase(Locale.ROOT)) && !attribute.hasOption("binary")) {
                name = name + ";binary";
            }
            copy.addAttribute(new Attribute(name, attribute.getValueByteArrays()));
        }
        return copy;
    }

    /** objectClass first, then by name: two exports of one tree are byte-identical. */
    private static final Comparator<Attribute> ATTRIBUTE_ORDER = Comparator
            .comparing((Attribute a) -> !a.getBaseName().equalsIgnoreCase("objectClass"))
            .thenComparing(a -> a.getName().toLowerCase(Locale.ROOT));

    private static final Comparator<Entry> PARENTS_FIRST = Comparator
            .comparingInt((Entry e) -> parsed(e).getRDNs().length)
            .thenComparing(e -> parsed(e).toNormalizedString());

    private static DN parsed(Entry entry) {
        try {
            return entry.getParsedDN();
        } catch (LDAPException e) {
            throw new IllegalStateException("the directory returned an unparsable DN " + entry.getDN(), e);
        }
    }
}
