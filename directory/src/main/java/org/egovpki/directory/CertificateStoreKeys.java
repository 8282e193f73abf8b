package org.egovpki.directory;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPInterface;
import com.unboundid.ldap.sdk.LDAPSearchException;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.egovpki.core.ValueCharacters;
import org.egovpki.core.certificate.PublishedCertificates;
import org.egovpki.core.x509.Pem;
import org.egovpki.core.x509.StoreKeys;
import org.egovpki.schema.DirectoryLayout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RFC 4387 search keys on subscriber entries ({@value #CLASS}): one attribute per kind of key,
 * each holding the keys of every certificate the entry publishes, rewritten in the same modify as
 * the {@code userCertificate} values they describe, so the HTTP certificate store finds a
 * certificate through an index and never by scanning. Also the store's read side
 * ({@link PublishedCertificates}): only entries of class {@link LdapSubscriberStore#PUBLISHED},
 * i.e. what anonymous LDAP readers see; and the start-up migration for entries written before.
 */
public final class CertificateStoreKeys implements PublishedCertificates {

    private static final Logger LOG = LoggerFactory.getLogger(CertificateStoreKeys.class);

    /** The auxiliary class that lets a subscriber entry carry the keys. */
    public static final String CLASS = "egovCertificateStoreKeys";
    /** The indexed attributes, one per {@link StoreKeys.Key}. */
    public static final List<String> ATTRIBUTES = List.of("egovCertSubjectHash", "egovCertIssuerHash",
            "egovCertKeyIdHash", "egovCertEmail", "egovCertName");
    private static final int MIGRATION_BATCH = 500;

    private final LDAPInterface ldap;
    private final DirectoryNames names;

    public CertificateStoreKeys(LDAPInterface ldap, DirectoryNames names) {
        this.ldap = Objects.requireNonNull(ldap, "ldap");
        this.names = Objects.requireNonNull(names, "names");
    }

    static String attribute(StoreKeys.Key key) {
        return switch (key) {
            case SUBJECT_HASH -> "egovCertSubjectHash";
            case ISSUER_HASH -> "egovCertIssuerHash";
            case KEY_ID_HASH -> "egovCertKeyIdHash";
            case EMAIL -> "egovCertEmail";
            case NAME -> "egovCertName";
        };
    }

    @Override
    public Found find(StoreKeys.Key key, String value, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
        // A value the directory's string matching prohibits is an ApacheDS error, not "no match".
        ValueCharacters.require(key.attribute(), key.attribute(), value);
        Filter filter = Filter.createANDFilter(Filter.createEqualityFilter("objectClass", LdapSubscriberStore.PUBLISHED),
                Filter.createEqualityFilter(attribute(key), value));
        SearchRequest request = new SearchRequest(subscribers(), SearchScope.ONE, filter, "userCertificate;binary");
        request.setSizeLimit(limit + 1);
        List<SearchResultEntry> entries;
        boolean truncated = false;
        try {
            entries = ldap.search(request).getSearchEntries();
        } catch (LDAPSearchException e) {
            if (e.getResultCode() != ResultCode.SIZE_LIMIT_EXCEEDED) {
                throw LdapErrors.toDomain("looking up published certificates by " + key.attribute(), e);
            }
            entries = e.getSearchEntries();
            truncated = true;
        }
        List<byte[]> found = new ArrayList<>();
        for (SearchResultEntry entry : entries) {
            for (byte[] der : certificates(entry)) {
                X509Certificate certificate = parse(entry, der);
                // An entry matches when any of its certificates does; answer only those.
                if (certificate != null && StoreKeys.of(certificate).matches(key, value)) {
                    if (found.size() == limit) {
                        return new Found(found, true);
                    }
                    found.add(der);
                }
            }
        }
        return new Found(found, truncated || entries.size() > limit);
    }

    /**
     * Gives every subscriber entry written before this version its search keys (start-up, before
     * the HTTP port opens). Idempotent: an entry that has {@value #CLASS} is done; one killed
     * half-way is picked up by the next start.
     *
     * @return how many entries got their keys
     */
    public int migrate() {
        Filter filter = Filter.createANDFilter(Filter.createEqualityFilter("objectClass", "egovSubscriber"),
                Filter.createNOTFilter(Filter.createEqualityFilter("objectClass", CLASS)));
        int migrated = 0;
        while (true) {
            SearchRequest request = new SearchRequest(subscribers(), SearchScope.ONE, filter, "objectClass",
                    "userCertificate;binary");
            request.setSizeLimit(MIGRATION_BATCH);
            List<SearchResultEntry> entries;
            try {
                entries = ldap.search(request).getSearchEntries();
            } catch (LDAPSearchException e) {
                if (e.getResultCode() != ResultCode.SIZE_LIMIT_EXCEEDED) {
                    throw LdapErrors.toDomain("finding subscriber entries without certificate store keys", e);
                }
                entries = e.getSearchEntries();
            }
            if (entries.isEmpty()) {
                break;
            }
            for (SearchResultEntry entry : entries) {
                try {
                    ldap.modify(entry.getDN(), modifications(entry, certificates(entry)));
                    migrated++;
                } catch (LDAPException e) {
                    if (!doneByAnotherWriter(entry.getDN(), e)) {
                        throw LdapErrors.toDomain("writing the certificate store keys of " + entry.getDN(), e);
                    }
                }
            }
        }
        if (migrated > 0) {
            LOG.info("Certificate store keys written to {} subscriber entries published before this version", migrated);
        }
        return migrated;
    }

    /**
     * Whether a failed migration write lost to another writer: another CA process on the same directory
     * published to the entry between the search and the modify (that modify writes the class and the
     * keys together), or the entry is gone. Anything else is a real failure.
     */
    private boolean doneByAnotherWriter(String dn, LDAPException failure) {
        if (failure.getResultCode() == ResultCode.NO_SUCH_OBJECT) {
            return true;
        }
        if (failure.getResultCode() != ResultCode.ATTRIBUTE_OR_VALUE_EXISTS) {
            return false;
        }
        try {
            SearchResultEntry now = ldap.getEntry(dn, "objectClass");
            return now == null || now.hasObjectClass(CLASS);
        } catch (LDAPException e) {
            return false;
        }
    }

    /** The DER values of {@code userCertificate} on {@code entry}, read by base name (with or without {@code ;binary}). */
    static List<byte[]> certificates(Entry entry) {
        List<byte[]> certificates = new ArrayList<>();
        for (Attribute attribute : entry.getAttributes()) {
            if (attribute.getBaseName().equalsIgnoreCase("userCertificate")) {
                certificates.addAll(List.of(attribute.getValueByteArrays()));
            }
        }
        return certificates;
    }

    /**
     * The modifications that make the keys of {@code entry} those of {@code certificates}: the
     * auxiliary class if it lacks it, and a REPLACE of every key attribute (no values removes it).
     *
     * @param entry the entry as read (its object classes), or {@code null} if it was not found
     */
    static List<Modification> modifications(Entry entry, List<byte[]> certificates) {
        List<X509Certificate> parsed = new ArrayList<>();
        for (byte[] der : certificates) {
            X509Certificate certificate = parse(entry, der);
            if (certificate != null) {
                parsed.add(certificate);
            }
        }
        StoreKeys.Union keys = StoreKeys.union(parsed);
        List<Modification> mods = new ArrayList<>();
        if (entry != null && !entry.hasObjectClass(CLASS)) {
            mods.add(new Modification(ModificationType.ADD, "objectClass", CLASS));
        }
        mods.add(replace(StoreKeys.Key.SUBJECT_HASH, keys.subjectHashes()));
        mods.add(replace(StoreKeys.Key.ISSUER_HASH, keys.issuerHashes()));
        mods.add(replace(StoreKeys.Key.KEY_ID_HASH, keys.keyIdHashes()));
        mods.add(replace(StoreKeys.Key.EMAIL, keys.emails()));
        mods.add(replace(StoreKeys.Key.NAME, keys.names()));
        return mods;
    }

    private static Modification replace(StoreKeys.Key key, List<String> values) {
        return new Modification(ModificationType.REPLACE, attribute(key), values.toArray(String[]::new));
    }

    /** A value that is not a certificate (written by hand) has no keys and is never answered. */
    private static X509Certificate parse(Entry entry, byte[] der) {
        try {
            return Pem.parseCertificate(der);
        } catch (IllegalArgumentException e) {
            LOG.warn("A userCertificate value of {} is not a DER certificate; it is left out of the certificate "
                    + "store: {}", entry == null ? "a subscriber entry" : entry.getDN(), e.getMessage());
            return null;
        }
    }

    private String subscribers() {
        return names.container(DirectoryLayout.Container.SUBSCRIBERS).toString();
    }
}
