package org.egovpki.directory;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPInterface;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.egovpki.core.DomainException;
import org.egovpki.core.enroll.validation.RegistrationData;
import org.egovpki.core.enroll.SubscriberIdentity;
import org.egovpki.core.enroll.SubscriberStore;
import org.egovpki.core.profile.CertificateType;
import org.egovpki.schema.DirectoryLayout;

/**
 * Subscribers under {@code ou=subscribers}: the public entry ({@code egovSubscriber} +
 * {@code pkiUser}: id, display name, published certificates) and its private child
 * {@code cn=registration} ({@code egovSubscriberRegistration}: registration data, the subject DNs
 * held, the challenge hash, the opt-out). Anonymous readers see only the first, and only while the
 * subscriber has not opted out of publication ({@value #PUBLISHED}).
 */
public final class LdapSubscriberStore implements SubscriberStore {

    /** The auxiliary class of subscriber entries anonymous readers may see (not opted out). */
    public static final String PUBLISHED = "egovPublishedSubscriber";

    private final LDAPInterface ldap;
    private final DirectoryNames names;
    private final X500Mirror mirror;

    public LdapSubscriberStore(LDAPInterface ldap, DirectoryNames names) {
        this(ldap, names, X500Mirror.off(ldap, names));
    }

    /**
     * With the X.500-named {@code mirror}: a certificate on a published entry is also at the entry
     * named by its subject, and leaves it when it leaves the subscriber entry or the subscriber
     * opts out. Each mirror write follows the subscriber entry's modify and is repeated by a retry
     * even when that modify is found done, so a crash between the two is finished by recovery.
     */
    public LdapSubscriberStore(LDAPInterface ldap, DirectoryNames names, X500Mirror mirror) {
        this.ldap = Objects.requireNonNull(ldap, "ldap");
        this.names = Objects.requireNonNull(names, "names");
        this.mirror = Objects.requireNonNull(mirror, "mirror");
    }

    @Override
    public Optional<String> holderOf(String canonicalSubjectDn) {
        return holdersOf(canonicalSubjectDn).stream().findFirst();
    }

    @Override
    public List<String> holdersOf(String canonicalSubjectDn) {
        try {
            List<String> holders = new ArrayList<>();
            for (SearchResultEntry entry : ldap.search(
                    names.container(DirectoryLayout.Container.SUBSCRIBERS).toString(), SearchScope.SUB,
                    Filter.createANDFilter(Filter.createEqualityFilter("objectClass", "egovSubscriberRegistration"),
                            Filter.createEqualityFilter("egovSubjectDn", canonicalSubjectDn)), "1.1")
                    .getSearchEntries()) {
                holders.add(entry.getParsedDN().getParent().getRDN().getAttributeValues()[0]);
            }
            return holders;
        } catch (LDAPException e) {
            throw LdapErrors.toDomain("looking up the holder of " + canonicalSubjectDn, e);
        }
    }

    @Override
    public void releaseSubjectDn(String subscriberId, String canonicalSubjectDn) {
        try {
            ldap.modify(names.registration(subscriberId).toString(),
                    new Modification(ModificationType.DELETE, "egovSubjectDn", canonicalSubjectDn));
        } catch (LDAPException e) {
            if (e.getResultCode() != ResultCode.NO_SUCH_ATTRIBUTE && e.getResultCode() != ResultCode.NO_SUCH_OBJECT) {
                throw LdapErrors.toDomain("releasing subject DN " + canonicalSubjectDn + " of subscriber "
                        + subscriberId, e);
            }
        }
    }

    @Override
    public Optional<Registered> registrationOf(String subscriberId) {
        try {
            SearchResultEntry entry = ldap.getEntry(names.registration(subscriberId).toString(), "*");
            return Optional.ofNullable(entry).map(LdapSubscriberStore::registered);
        } catch (LDAPException e) {
            throw LdapErrors.toDomain("reading subscriber " + subscriberId, e);
        }
    }

    private static Registered registered(Entry registration) {
        return new Registered(registration.getAttributeValue("egovSubscriberType"), LdapValues.registration(registration));
    }

    @Override
    public void register(String subscriberId, CertificateType type, String canonicalSubjectDn,
                         RegistrationData registration, String businessType, String region, boolean publishOptOut,
                         String challengeHash) {
        DN subscriber = names.subscriber(subscriberId);
        DN registrationDn = names.registration(subscriberId);
        try {
            SearchResultEntry existing = ldap.getEntry(registrationDn.toString(), "*");
            if (existing != null) {
                requireSameIdentity(subscriberId, existing, type, registration);
            }
            SearchResultEntry publicEntry = ldap.getEntry(subscriber.toString(), "objectClass",
                    "userCertificate;binary");
            if (publicEntry == null) {
                addIgnoringExisting(publicEntry(subscriber, subscriberId, publishOptOut));
            } else {
                setVisibility(subscriber, publicEntry, !publishOptOut);
            }
            List<Attribute> data = registrationData(type, registration, businessType, region, publishOptOut,
                    challengeHash);
            if (existing == null) {
                try {
                    ldap.add(registrationEntry(registrationDn, data, canonicalSubjectDn));
                    return;
                } catch (LDAPException e) {
                    if (e.getResultCode() != ResultCode.ENTRY_ALREADY_EXISTS) {
                        throw e;
                    }
                    // Registered meanwhile by another issuance of this subscriber (another thread or CA
                    // process): this one's subject DN must still be recorded on it, or its claim is lost.
                    existing = ldap.getEntry(registrationDn.toString(), "*");
                    if (existing == null) {
                        throw e;
                    }
                    requireSameIdentity(subscriberId, existing, type, registration);
                }
            }
            update(registrationDn, existing, data, canonicalSubjectDn);
        } catch (LDAPException e) {
            throw LdapErrors.toDomain("registering subscriber " + subscriberId, e);
        }
    }

    /**
     * Adds the public entry first, without reading anything: it cannot hold a registration entry
     * before it exists, so if the add succeeds the subscriber is new and its registration entry is
     * added next. If the public entry exists (registered meanwhile), nothing is changed and the
     * answer is {@code false}; if the registration entry appeared between the two adds (another
     * registration of the same new subscriber), this one is made through {@link #register}, which
     * records the subject DN on it.
     */
    @Override
    public boolean registerNew(String subscriberId, CertificateType type, String canonicalSubjectDn,
                               RegistrationData registration, String businessType, String region,
                               boolean publishOptOut, String challengeHash) {
        DN subscriber = names.subscriber(subscriberId);
        try {
            try {
                ldap.add(publicEntry(subscriber, subscriberId, publishOptOut));
            } catch (LDAPException e) {
                if (e.getResultCode() == ResultCode.ENTRY_ALREADY_EXISTS) {
                    return false;
                }
                throw e;
            }
            try {
                ldap.add(registrationEntry(names.registration(subscriberId), registrationData(type, registration,
                        businessType, region, publishOptOut, challengeHash), canonicalSubjectDn));
            } catch (LDAPException e) {
                if (e.getResultCode() != ResultCode.ENTRY_ALREADY_EXISTS) {
                    throw e;
                }
                register(subscriberId, type, canonicalSubjectDn, registration, businessType, region, publishOptOut,
                        challengeHash);
            }
            return true;
        } catch (LDAPException e) {
            throw LdapErrors.toDomain("registering subscriber " + subscriberId, e);
        }
    }

    private static Entry publicEntry(DN subscriber, String subscriberId, boolean publishOptOut) {
        Entry entry = new Entry(subscriber);
        entry.addAttribute("objectClass", "top", "egovSubscriber", "pkiUser");
        if (!publishOptOut) {
            entry.addAttribute("objectClass", PUBLISHED);
        }
        entry.addAttribute("egovSubscriberId", subscriberId);
        return entry;
    }

    private static List<Attribute> registrationData(CertificateType type, RegistrationData registration,
                                                    String businessType, String region, boolean publishOptOut,
                                                    String challengeHash) {
        List<Attribute> data = new ArrayList<>(LdapValues.registration(registration));
        data.add(new Attribute("egovSubscriberType", subscriberType(type)));
        LdapValues.put(data, "egovBusinessType", businessType);
        LdapValues.put(data, "egovRegion", region);
        data.add(new Attribute("egovPublishOptOut", LdapValues.bool(publishOptOut)));
        LdapValues.put(data, "egovChallengeHash", challengeHash);
        return data;
    }

    private static Entry registrationEntry(DN registrationDn, List<Attribute> data, String canonicalSubjectDn) {
        Entry entry = new Entry(registrationDn, data);
        entry.addAttribute("objectClass", "top", "egovSubscriberRegistration");
        entry.addAttribute("cn", "registration");
        entry.addAttribute("egovSubjectDn", canonicalSubjectDn);
        return entry;
    }

    /**
     * Replaces the registration data of an existing subscriber with {@code data} and records the
     * subject DN on it; when nothing would change, the entry is not rewritten (issuance registers
     * again after signing, and a holder's data is usually unchanged: one directory write less).
     */
    private void update(DN registrationDn, Entry existing, List<Attribute> data, String canonicalSubjectDn)
            throws LDAPException {
        List<Modification> mods = new ArrayList<>();
        for (String attribute : LdapValues.REGISTRATION_ATTRIBUTES) {
            mods.add(new Modification(ModificationType.REPLACE, attribute));
        }
        for (Attribute attribute : data) {
            mods.removeIf(m -> m.getAttributeName().equalsIgnoreCase(attribute.getName()));
            mods.add(new Modification(ModificationType.REPLACE, attribute.getName(), attribute.getValues()));
        }
        if (!existing.hasAttributeValue("egovSubjectDn", canonicalSubjectDn)) {
            mods.add(new Modification(ModificationType.ADD, "egovSubjectDn", canonicalSubjectDn));
        }
        if (changes(existing, mods)) {
            ldap.modify(registrationDn.toString(), mods);
        }
    }

    /** Refuses (CONFLICT, nothing changed) registration data of another kind or identity than the entry's. */
    private static void requireSameIdentity(String subscriberId, Entry existing, CertificateType type,
                                            RegistrationData registration) {
        Optional<String> conflict = SubscriberIdentity.conflict(subscriberId,
                existing.getAttributeValue("egovSubscriberType"), LdapValues.registration(existing), type,
                registration);
        if (conflict.isPresent()) {
            throw new DomainException(DomainException.Kind.CONFLICT, conflict.get(), "subscriberId");
        }
    }

    /** Whether applying {@code mods} (REPLACEs and ADDs) would change {@code entry}. */
    private static boolean changes(Entry entry, List<Modification> mods) {
        for (Modification mod : mods) {
            if (mod.getModificationType() != ModificationType.REPLACE) {
                return true;
            }
            Attribute current = entry.getAttribute(mod.getAttributeName());
            if (!values(current == null ? new byte[0][] : current.getValueByteArrays())
                    .equals(values(mod.getValueByteArrays()))) {
                return true;
            }
        }
        return false;
    }

    private static Set<String> values(byte[][] values) {
        Set<String> set = new HashSet<>();
        for (byte[] value : values) {
            set.add(HexFormat.of().formatHex(value));
        }
        return set;
    }

    /**
     * Adds the certificate to the public entry and, in the same modify, rewrites the entry's RFC
     * 4387 search keys ({@link CertificateStoreKeys}) from every certificate it will then carry.
     */
    @Override
    public void publishCertificate(String subscriberId, String displayName, byte[] certificateDer) {
        String dn = names.subscriber(subscriberId).toString();
        try {
            SearchResultEntry entry = ldap.getEntry(dn, "objectClass", "userCertificate;binary");
            List<byte[]> certificates = entry == null ? new ArrayList<>() : CertificateStoreKeys.certificates(entry);
            if (certificates.stream().anyMatch(c -> java.util.Arrays.equals(c, certificateDer))) {
                // A recovery publishing again: the first attempt's modify was atomic and complete;
                // the mirror write after it may not have been.
                mirrorIfPublished(entry, certificateDer);
                return;
            }
            certificates.add(certificateDer);
            List<Modification> mods = new ArrayList<>();
            mods.add(new Modification(ModificationType.REPLACE, "cn", displayName));
            mods.add(new Modification(ModificationType.ADD, "userCertificate;binary", certificateDer));
            mods.addAll(CertificateStoreKeys.modifications(entry, certificates));
            ldap.modify(dn, mods);
            mirrorIfPublished(entry, certificateDer);
        } catch (LDAPException e) {
            // Already there: a recovery publishing again. The modify is atomic, so nothing changed.
            if (e.getResultCode() != ResultCode.ATTRIBUTE_OR_VALUE_EXISTS) {
                throw LdapErrors.toDomain("publishing a certificate to subscriber " + subscriberId, e);
            }
        }
    }

    @Override
    public List<byte[]> publishedCertificates(String subscriberId) {
        try {
            SearchResultEntry entry = ldap.getEntry(names.subscriber(subscriberId).toString(), "userCertificate;binary");
            return entry == null ? List.of() : CertificateStoreKeys.certificates(entry);
        } catch (LDAPException e) {
            throw LdapErrors.toDomain("reading the certificates of subscriber " + subscriberId, e);
        }
    }

    /** Only what anonymous readers see on the subscriber entry goes to the mirror. */
    private void mirrorIfPublished(Entry entry, byte[] certificateDer) {
        if (entry != null && entry.hasObjectClass(PUBLISHED)) {
            mirror.bestEffort("mirroring a published certificate of " + entry.getDN(),
                    () -> mirror.addUserCertificate(certificateDer));
        }
    }

    /** Off the mirror; a mirror failure is logged and mended at the next start, never thrown. */
    private void unmirror(String subscriberId, byte[] certificateDer) {
        mirror.bestEffort("removing a certificate of subscriber " + subscriberId + " from its X.500-named entry",
                () -> mirror.removeUserCertificate(certificateDer));
    }

    /**
     * Takes the certificate off the public entry and, in the same modify, its search keys; then off
     * the X.500-named mirror, also when the entry was found done (a retry after a crash in between).
     * The entry goes first so that a concurrent {@link #register} cannot copy the certificate back
     * into the mirror from an entry that still has it.
     */
    @Override
    public void unpublishCertificate(String subscriberId, byte[] certificateDer) {
        String dn = names.subscriber(subscriberId).toString();
        try {
            SearchResultEntry entry = ldap.getEntry(dn, "objectClass", "userCertificate;binary");
            List<byte[]> certificates = entry == null ? new ArrayList<>() : CertificateStoreKeys.certificates(entry);
            // Absent: opted out of publication, or removed by an earlier attempt.
            if (certificates.removeIf(c -> java.util.Arrays.equals(c, certificateDer))) {
                List<Modification> mods = new ArrayList<>();
                mods.add(new Modification(ModificationType.DELETE, "userCertificate;binary", certificateDer));
                mods.addAll(CertificateStoreKeys.modifications(entry, certificates));
                ldap.modify(dn, mods);
            }
        } catch (LDAPException e) {
            // Not there (removed concurrently): nothing to do.
            if (e.getResultCode() != ResultCode.NO_SUCH_ATTRIBUTE && e.getResultCode() != ResultCode.NO_SUCH_OBJECT) {
                throw LdapErrors.toDomain("removing a certificate from subscriber " + subscriberId, e);
            }
        }
        unmirror(subscriberId, certificateDer);
    }

    @Override
    public String entryDn(String subscriberId) {
        return names.subscriber(subscriberId).toString();
    }

    /**
     * Shows or hides the public entry to anonymous readers: the access control lets them see only
     * subscriber entries of class {@value #PUBLISHED}, so an opted-out subscriber looks absent.
     */
    private void setVisibility(DN subscriber, Entry publicEntry, boolean visible) throws LDAPException {
        boolean isVisible = publicEntry.hasObjectClass(PUBLISHED);
        List<byte[]> certificates = CertificateStoreKeys.certificates(publicEntry);
        if (!visible) {
            // Off the mirror before the entry hides: a crash in between leaves less public, never more.
            certificates.forEach(c -> unmirror(subscriber.getRDN().getAttributeValues()[0], c));
        }
        if (visible != isVisible) {
            ldap.modify(subscriber.toString(), new Modification(visible ? ModificationType.ADD
                    : ModificationType.DELETE, "objectClass", PUBLISHED));
        }
        if (visible) {
            certificates.forEach(c -> mirror.bestEffort("mirroring a published certificate of " + subscriber,
                    () -> mirror.addUserCertificate(c)));
        }
    }

    private void addIgnoringExisting(Entry entry) throws LDAPException {
        try {
            ldap.add(entry);
        } catch (LDAPException e) {
            if (e.getResultCode() != ResultCode.ENTRY_ALREADY_EXISTS) {
                throw e;
            }
        }
    }

    private static String subscriberType(CertificateType type) {
        return SubscriberIdentity.kind(type);
    }
}
