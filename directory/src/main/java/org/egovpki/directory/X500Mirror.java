package org.egovpki.directory;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPInterface;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.RDN;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchResultEntry;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.egovpki.core.x509.CrlHeader;
import org.egovpki.core.x509.Pem;
import org.egovpki.schema.DirectoryLayout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The X.500-named mirror (issue 16): CA certificates, CRLs and published subscriber certificates
 * also at the entry named by the certificate's subject (the CRL's issuer), because X.500 clients —
 * the JDK's {@code CertStore.getInstance("LDAP")}, CryptoAPI — read the entry a name names and
 * know nothing of {@code ou=CAs} or {@code egovSubscriberId=...}.
 *
 * <p>This class owns the mapping from a certificate name to a mirror DN and every write to the
 * mirror. Mirror entries are real entries of the structural class {@value #CLASS} (which allows
 * every naming attribute a mirrored RDN may use) plus {@code pkiCA}/{@code deltaCRL} or
 * {@code pkiUser}; they hold nothing but the RDN values (which are in the certificate anyway) and
 * public certificates and CRLs. Parents of a name are created as {@value #CLASS} entries holding
 * only their RDN values. Every write is idempotent (a value already there, or already gone, is
 * success), so the issuance and revocation steps that call it can be repeated after a crash. An
 * entry left without certificates and CRLs is deleted with its emptied parents; only entries of
 * class {@value #CLASS} are ever changed or deleted. Callers run writes through {@link #bestEffort}:
 * a failure is logged and mended by the next start's {@link #fill}, never thrown.
 *
 * <p>A name is mirrored when it lies under one of the configured naming contexts, uses only the
 * attribute types of {@link #LDAP_NAMES} and does not fall on the base entry or into one of
 * egov-pki's own containers; other names are skipped and logged once.
 */
public final class X500Mirror {

    private static final Logger LOG = LoggerFactory.getLogger(X500Mirror.class);

    /** The structural class of every mirror entry. */
    public static final String CLASS = "egovX500Name";
    /** The auxiliary class of {@code ou=certificates} that records the filled naming contexts. */
    static final String FILLED_CLASS = "egovX500Mirror";
    static final String FILLED = "egovX500FilledContext";

    /** The certificate name attribute types a mirrored name may use, with their LDAP names. */
    static final Map<ASN1ObjectIdentifier, String> LDAP_NAMES = Map.of(
            BCStyle.C, "c", BCStyle.ST, "st", BCStyle.L, "l", BCStyle.O, "o", BCStyle.OU, "ou", BCStyle.CN, "cn",
            BCStyle.STREET, "street", BCStyle.DC, "dc", BCStyle.UID, "uid", BCStyle.SERIALNUMBER, "serialNumber");

    /** The attributes the mirror publishes (certificates and CRLs), by base name. */
    public static final List<String> CERTIFICATE_ATTRIBUTES = List.of("cACertificate", "certificateRevocationList",
            "authorityRevocationList", "deltaRevocationList", "userCertificate", "crossCertificatePair");

    private final LDAPInterface ldap;
    private final DirectoryNames names;
    private final List<DN> contexts;
    private final Set<String> skipped = ConcurrentHashMap.newKeySet();

    /**
     * @param contexts the naming contexts ({@code directory.x500Names.namingContexts}); empty: the
     *                 mirror is off and every method does nothing
     */
    public X500Mirror(LDAPInterface ldap, DirectoryNames names, List<String> contexts) {
        this.ldap = Objects.requireNonNull(ldap, "ldap");
        this.names = Objects.requireNonNull(names, "names");
        List<DN> parsed = new ArrayList<>();
        for (String context : contexts) {
            try {
                parsed.add(new DN(context));
            } catch (LDAPException e) {
                throw new IllegalArgumentException("'" + context + "' is not a valid LDAP DN: " + e.getMessage(), e);
            }
        }
        this.contexts = List.copyOf(parsed);
    }

    /** A mirror that is off. */
    public static X500Mirror off(LDAPInterface ldap, DirectoryNames names) {
        return new X500Mirror(ldap, names, List.of());
    }

    public boolean on() {
        return !contexts.isEmpty();
    }

    /**
     * The mirror DN of {@code name}, or empty when it is not mirrored (outside every naming
     * context, an attribute type the mirror does not name, or on egov-pki's own tree).
     */
    public Optional<DN> dnOf(X500Principal name) {
        X500Name x500 = X500Name.getInstance(name.getEncoded());
        org.bouncycastle.asn1.x500.RDN[] rdns = x500.getRDNs();
        DN built = DN.NULL_DN;
        // DER order is most general first; the LDAP DN is built from the root down.
        for (org.bouncycastle.asn1.x500.RDN rdn : rdns) {
            AttributeTypeAndValue[] values = rdn.getTypesAndValues();
            String[] types = new String[values.length];
            String[] texts = new String[values.length];
            for (int i = 0; i < values.length; i++) {
                types[i] = LDAP_NAMES.get(values[i].getType());
                if (types[i] == null || !(values[i].getValue() instanceof ASN1String text)) {
                    return skip(name, "its attribute type " + values[i].getType().getId()
                            + " has no place in the mirror (allowed: C, ST, L, O, OU, CN, STREET, DC, UID, SERIALNUMBER)");
                }
                texts[i] = text.getString();
            }
            built = new DN(values.length == 1 ? new RDN(types[0], texts[0]) : new RDN(types, texts), built);
        }
        DN dn = built;
        if (dn.isNullDN() || contexts.stream().noneMatch(c -> isAtOrBelow(dn, c))) {
            return skip(name, "it is outside the naming contexts " + contexts);
        }
        if (isAtOrBelow(dn, names.base())) {
            if (dn.equals(names.base())) {
                return skip(name, "it names the base entry of the egov-pki tree");
            }
            for (DirectoryLayout.Container container : DirectoryLayout.Container.values()) {
                if (isAtOrBelow(dn, names.container(container))) {
                    return skip(name, "it falls into egov-pki's own container " + names.container(container));
                }
            }
        }
        return Optional.of(dn);
    }

    private static boolean isAtOrBelow(DN dn, DN ancestor) {
        try {
            return dn.isDescendantOf(ancestor, true);
        } catch (RuntimeException e) {
            return false;
        }
    }

    private Optional<DN> skip(X500Principal name, String why) {
        if (on() && skipped.add(name.getName())) {
            // The form, not the values: a subscriber's subject is a person's name and e-mail address.
            LOG.info("Not mirrored at an X.500-named entry: a name of the form {}, because {}", form(name), why);
        }
        return Optional.empty();
    }

    /** {@code E=…,CN=…,O=…,C=…}: the attribute types of {@code name} in its order, without the values. */
    private static String form(X500Principal name) {
        List<String> rdns = new ArrayList<>();
        for (org.bouncycastle.asn1.x500.RDN rdn : X500Name.getInstance(name.getEncoded()).getRDNs()) {
            List<String> types = new ArrayList<>();
            for (AttributeTypeAndValue value : rdn.getTypesAndValues()) {
                String type = BCStyle.INSTANCE.oidToDisplayName(value.getType());
                types.add((type == null ? value.getType().getId() : type) + "=…");
            }
            rdns.add(0, String.join("+", types));
        }
        return String.join(",", rdns);
    }

    /** Puts the CA certificate at the entry named by its subject (the one certificate of that name). */
    public void publishCaCertificate(byte[] certificateDer) {
        if (!on()) {
            return;
        }
        X509Certificate certificate = Pem.parseCertificate(certificateDer);
        dnOf(certificate.getSubjectX500Principal()).ifPresent(dn -> write(dn, "publishing a CA certificate",
                List.of("pkiCA", "deltaCRL"), new Modification(ModificationType.REPLACE, "cACertificate;binary",
                        certificateDer)));
    }

    /**
     * After a CA key changeover: puts every certificate of the CA still in service (the current
     * one first) and the key changeover's link certificates ({@code crossCertificatePair}) at the
     * entry named by their subject, so an X.500 client finds the old and the new chain there, as
     * on the CA entry. The certificates of one CA share one subject; the entry's values are
     * replaced (idempotent).
     */
    public void publishCaKeyHistory(List<byte[]> caCertificates, List<byte[]> crossCertificatePairs) {
        if (!on() || caCertificates.isEmpty()) {
            return;
        }
        X509Certificate current = Pem.parseCertificate(caCertificates.get(0));
        dnOf(current.getSubjectX500Principal()).ifPresent(dn -> write(dn, "publishing a CA's key history",
                List.of("pkiCA", "deltaCRL"),
                new Modification(ModificationType.REPLACE, "cACertificate;binary", caCertificates.toArray(byte[][]::new)),
                new Modification(ModificationType.REPLACE, "crossCertificatePair;binary",
                        crossCertificatePairs.toArray(byte[][]::new))));
    }

    /** Puts the full CRL and its delta (or none: an older delta is taken away) at the issuer's entry. */
    public void publishCrl(byte[] crlDer, byte[] deltaDer) {
        if (!on()) {
            return;
        }
        // The header only: a million-entry CRL is never decoded entry by entry here.
        dnOf(CrlHeader.of(crlDer).issuer()).ifPresent(dn -> write(dn, "publishing a CRL", List.of("pkiCA", "deltaCRL"),
                new Modification(ModificationType.REPLACE, "certificateRevocationList;binary", crlDer),
                deltaDer == null ? new Modification(ModificationType.REPLACE, "deltaRevocationList;binary")
                        : new Modification(ModificationType.REPLACE, "deltaRevocationList;binary", deltaDer)));
    }

    /** Puts the authority revocation list at the issuer's entry. */
    public void publishArl(byte[] arlDer) {
        if (!on()) {
            return;
        }
        dnOf(CrlHeader.of(arlDer).issuer()).ifPresent(dn -> write(dn, "publishing an ARL", List.of("pkiCA", "deltaCRL"),
                new Modification(ModificationType.REPLACE, "authorityRevocationList;binary", arlDer)));
    }

    /**
     * Adds a published subscriber certificate to the entry named by its subject. Several
     * certificates of one name (dual certificates, or several subscribers of one DN) are values
     * of the one entry.
     */
    public void addUserCertificate(byte[] certificateDer) {
        if (!on()) {
            return;
        }
        X509Certificate certificate = Pem.parseCertificate(certificateDer);
        dnOf(certificate.getSubjectX500Principal()).ifPresent(dn -> write(dn, "mirroring a certificate",
                List.of("pkiUser"), ResultCode.ATTRIBUTE_OR_VALUE_EXISTS,
                new Modification(ModificationType.ADD, "userCertificate;binary", certificateDer)));
    }

    /**
     * Takes a certificate off the entry named by its subject (revoked, superseded, unpublished).
     * The entry is read first and the value deleted only when it holds it: an opted-out
     * subscriber's certificates are taken off again at each of its later issuances, and a
     * modify-delete of an absent value, though answered {@code noSuchAttribute}, makes the
     * embedded ApacheDS log an ERROR. A value taken off between the read and the modify still
     * gets {@code noSuchAttribute}, which is success.
     */
    public void removeUserCertificate(byte[] certificateDer) {
        if (!on()) {
            return;
        }
        X509Certificate certificate = Pem.parseCertificate(certificateDer);
        dnOf(certificate.getSubjectX500Principal()).ifPresent(dn -> {
            try {
                SearchResultEntry entry = ldap.getEntry(dn.toString(), "userCertificate;binary");
                if (entry != null && CertificateStoreKeys.certificates(entry).stream()
                        .anyMatch(c -> Arrays.equals(c, certificateDer))) {
                    ldap.modify(dn.toString(), new Modification(ModificationType.DELETE, "userCertificate;binary",
                            certificateDer));
                }
            } catch (LDAPException e) {
                if (e.getResultCode() != ResultCode.NO_SUCH_ATTRIBUTE && e.getResultCode() != ResultCode.NO_SUCH_OBJECT) {
                    throw LdapErrors.toDomain("removing a certificate from the mirror entry " + dn, e);
                }
            }
            try {
                prune(dn);
            } catch (LDAPException e) {
                throw LdapErrors.toDomain("deleting the emptied mirror entry " + dn, e);
            }
        });
    }

    /**
     * Deletes {@code dn} when it is a mirror entry holding no certificate or CRL and having no
     * children, then its parents the same way, stopping at the first entry that stays, at a naming
     * context or at the base entry: a name whose last certificate left the mirror is no longer
     * listed to anonymous readers. Entries that are not of class {@value #CLASS} are never deleted.
     * Idempotent: an entry already gone, or one that got a child meanwhile, is success.
     */
    private void prune(DN dn) throws LDAPException {
        DN current = dn;
        while (current != null && !current.isNullDN() && !isBoundary(current)
                && isInAContext(current)) {
            List<String> attributes = new ArrayList<>(List.of("objectClass"));
            CERTIFICATE_ATTRIBUTES.forEach(a -> attributes.add(a + ";binary"));
            SearchResultEntry entry = ldap.getEntry(current.toString(), attributes.toArray(String[]::new));
            if (entry != null) {
                // Values come back as e.g. userCertificate;binary: compare base names.
                if (!entry.hasObjectClass(CLASS) || entry.getAttributes().stream().anyMatch(a -> CERTIFICATE_ATTRIBUTES
                        .stream().anyMatch(c -> c.equalsIgnoreCase(a.getBaseName())))) {
                    return;
                }
                try {
                    ldap.delete(current.toString());
                } catch (LDAPException e) {
                    if (e.getResultCode() == ResultCode.NOT_ALLOWED_ON_NONLEAF) {
                        return; // it has children: it stays, and so do its parents
                    }
                    if (e.getResultCode() != ResultCode.NO_SUCH_OBJECT) {
                        throw e;
                    }
                }
            }
            current = current.getParent();
        }
    }

    private boolean isInAContext(DN dn) {
        return contexts.stream().anyMatch(c -> isAtOrBelow(dn, c));
    }

    /** A naming context, the base entry or above it: never deleted by the mirror. */
    private boolean isBoundary(DN dn) {
        return contexts.stream().anyMatch(c -> c.equals(dn)) || isAtOrBelow(names.base(), dn);
    }

    /**
     * The start-up fill for a directory written before the mirror (or while it was off): mirrors
     * every CA's certificate and CRLs and every certificate on a published subscriber entry, in
     * every naming context not yet marked filled, then marks them. Values already there are left
     * alone, so a fill killed half-way is finished by the next start. A context turned off (marked
     * but no longer configured) has every mirror entry below it deleted and is then unmarked, so
     * nothing of it stays public and turning it on again fills it anew.
     *
     * @param caEntries the CA entries' certificate and CRLs (read by the CA repository)
     * @return how many certificates and CRLs were written
     */
    public int fill(List<CaPublication> caEntries) {
        try {
            DN holder = names.container(DirectoryLayout.Container.CERTIFICATES);
            SearchResultEntry marker = ldap.getEntry(holder.toString(), "objectClass", FILLED);
            if (marker == null) {
                return 0;
            }
            List<String> filled = marker.hasAttribute(FILLED) ? Arrays.asList(marker.getAttributeValues(FILLED))
                    : List.of();
            List<String> stale = filled.stream().filter(f -> contexts.stream().noneMatch(c -> same(c, f))).toList();
            List<DN> todo = contexts.stream().filter(c -> filled.stream().noneMatch(f -> same(c, f))).toList();
            if (!stale.isEmpty()) {
                for (String context : stale) {
                    int deleted = deleteMirrorEntries(new DN(context));
                    LOG.info("X.500-named mirror turned off for {}: {} mirror entries deleted", context, deleted);
                }
                ldap.modify(holder.toString(), new Modification(ModificationType.DELETE, FILLED,
                        stale.toArray(String[]::new)));
            }
            if (todo.isEmpty()) {
                return 0;
            }
            int written = 0;
            for (CaPublication ca : caEntries) {
                publishCaCertificate(ca.certificateDer());
                written++;
                if (ca.keyHistory().size() > 1 || !ca.crossCertificatePairs().isEmpty()) {
                    publishCaKeyHistory(ca.keyHistory(), ca.crossCertificatePairs());
                }
                if (ca.crlDer() != null) {
                    publishCrl(ca.crlDer(), ca.deltaDer());
                    written++;
                }
                if (ca.arlDer() != null) {
                    publishArl(ca.arlDer());
                    written++;
                }
            }
            Set<String> published = new java.util.HashSet<>();
            written += fillSubscribers(published);
            for (DN context : todo) {
                removeUnpublished(context, published);
            }
            List<Modification> mods = new ArrayList<>();
            if (!marker.hasObjectClass(FILLED_CLASS)) {
                mods.add(new Modification(ModificationType.ADD, "objectClass", FILLED_CLASS));
            }
            mods.add(new Modification(ModificationType.ADD, FILLED, todo.stream().map(DN::toString)
                    .toArray(String[]::new)));
            ldap.modify(holder.toString(), mods);
            LOG.info("X.500-named mirror filled for {}: {} certificates and CRLs", todo, written);
            return written;
        } catch (LDAPException e) {
            throw LdapErrors.toDomain("filling the X.500-named mirror", e);
        }
    }

    /**
     * Deletes every entry of class {@value #CLASS} below {@code context} (the context itself and
     * the base entry excepted), leaves first: the mirror of a context no longer mirrored is gone,
     * not left public and stale. An entry with a child that is not the mirror's stays.
     */
    private int deleteMirrorEntries(DN context) throws LDAPException {
        List<String> dns = new ArrayList<>();
        try {
            PagedSearch.run(ldap, 500, () -> new com.unboundid.ldap.sdk.SearchRequest(context.toString(),
                            com.unboundid.ldap.sdk.SearchScope.SUB,
                            com.unboundid.ldap.sdk.Filter.createEqualityFilter("objectClass", CLASS), "1.1"),
                    page -> page.getSearchEntries().forEach(entry -> dns.add(entry.getDN())));
        } catch (LDAPException e) {
            if (e.getResultCode() == ResultCode.NO_SUCH_OBJECT) {
                return 0; // the context is gone (a partition removed): nothing of it is public
            }
            throw e;
        }
        List<DN> found = new ArrayList<>();
        for (String dn : dns) {
            found.add(new DN(dn));
        }
        found.sort(java.util.Comparator.comparingInt((DN d) -> d.getRDNs().length).reversed());
        int deleted = 0;
        for (DN dn : found) {
            if (dn.equals(context) || isAtOrBelow(names.base(), dn)) {
                continue;
            }
            try {
                ldap.delete(dn.toString());
                deleted++;
            } catch (LDAPException e) {
                if (e.getResultCode() != ResultCode.NO_SUCH_OBJECT && e.getResultCode() != ResultCode.NOT_ALLOWED_ON_NONLEAF) {
                    throw e;
                }
            }
        }
        return deleted;
    }

    /**
     * Takes off the mirror entries under {@code context} every certificate that is no longer on a
     * published subscriber entry (revoked or opted out while the mirror was off).
     */
    private void removeUnpublished(DN context, Set<String> published) throws LDAPException {
        com.unboundid.ldap.sdk.SearchRequest request = new com.unboundid.ldap.sdk.SearchRequest(context.toString(),
                com.unboundid.ldap.sdk.SearchScope.SUB, com.unboundid.ldap.sdk.Filter.createANDFilter(
                        com.unboundid.ldap.sdk.Filter.createEqualityFilter("objectClass", CLASS),
                        com.unboundid.ldap.sdk.Filter.createPresenceFilter("userCertificate")),
                "userCertificate;binary");
        List<SearchResultEntry> entries;
        try {
            entries = ldap.search(request).getSearchEntries();
        } catch (LDAPException e) {
            if (e.getResultCode() == ResultCode.NO_SUCH_OBJECT) {
                return; // the context lies under the base and nothing was mirrored there yet
            }
            throw e;
        }
        for (SearchResultEntry entry : entries) {
            for (byte[] der : CertificateStoreKeys.certificates(entry)) {
                if (!published.contains(fingerprint(der))) {
                    try {
                        ldap.modify(entry.getDN(), new Modification(ModificationType.DELETE, "userCertificate;binary",
                                der));
                    } catch (LDAPException e) {
                        if (e.getResultCode() != ResultCode.NO_SUCH_ATTRIBUTE) {
                            throw e;
                        }
                    }
                }
            }
            prune(entry.getParsedDN());
        }
    }

    private static String fingerprint(byte[] der) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(der));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    private int fillSubscribers(Set<String> published) throws LDAPException {
        int written = 0;
        com.unboundid.ldap.sdk.SearchRequest request = new com.unboundid.ldap.sdk.SearchRequest(
                names.container(DirectoryLayout.Container.SUBSCRIBERS).toString(), com.unboundid.ldap.sdk.SearchScope.ONE,
                com.unboundid.ldap.sdk.Filter.createANDFilter(
                        com.unboundid.ldap.sdk.Filter.createEqualityFilter("objectClass", LdapSubscriberStore.PUBLISHED),
                        com.unboundid.ldap.sdk.Filter.createPresenceFilter("userCertificate")),
                "userCertificate;binary");
        // One entry at a time through a callback would need a listener; the page of published
        // subscribers is read whole, as the RFC 4387 key migration does.
        for (SearchResultEntry entry : ldap.search(request).getSearchEntries()) {
            for (byte[] der : CertificateStoreKeys.certificates(entry)) {
                published.add(fingerprint(der));
                try {
                    addUserCertificate(der);
                    written++;
                } catch (IllegalArgumentException e) {
                    LOG.warn("A userCertificate value of {} is not a DER certificate; not mirrored", entry.getDN());
                }
            }
        }
        return written;
    }

    private static boolean same(DN context, String filled) {
        try {
            return context.equals(new DN(filled));
        } catch (LDAPException e) {
            return false;
        }
    }

    /** One CA entry's public material, for {@link #fill}. */
    public record CaPublication(byte[] certificateDer, byte[] crlDer, byte[] deltaDer, byte[] arlDer,
            List<byte[]> keyHistory, List<byte[]> crossCertificatePairs) {

        /**
         * @param keyHistory            every certificate of the CA still in service, the current one
         *                              first (after a key changeover; otherwise just the current one)
         * @param crossCertificatePairs the key changeover's link certificates, as on the CA entry
         */
        public CaPublication {
            keyHistory = List.copyOf(keyHistory);
            crossCertificatePairs = List.copyOf(crossCertificatePairs);
        }

        /** A CA that never changed its key. */
        public CaPublication(byte[] certificateDer, byte[] crlDer, byte[] deltaDer, byte[] arlDer) {
            this(certificateDer, crlDer, deltaDer, arlDer, List.of(certificateDer), List.of());
        }
    }

    private void write(DN dn, String what, List<String> auxiliary, Modification... mods) {
        write(dn, what, auxiliary, (ResultCode) null, mods);
    }

    /**
     * Ensures the entry, then modifies it with what it does not hold yet; {@code alreadyDone} is a
     * result code that means the modification was made before. A parent or the entry deleted
     * meanwhile by a concurrent {@link #prune} is made again (a few times).
     *
     * <p>The entry is read with the attributes the modifications ADD, and values it already holds
     * are not sent: re-adding a certificate is the normal case, not a crash's (every later
     * issuance of a published subscriber mirrors all of its certificates again, see
     * {@code LdapSubscriberStore.register}, and so does a fill after a failed mirror write), and
     * a modify-add of a present value, though answered {@code alreadyDone}, makes the embedded
     * ApacheDS log an ERROR with a hex dump of the certificate. The read is the one
     * {@link #ensure} needs anyway; a value added between it and the modify still gets
     * {@code alreadyDone} (a race of two writers, as on OpenLDAP, where a duplicate ADD is
     * {@code attributeOrValueExists} too).
     */
    private void write(DN dn, String what, List<String> auxiliary, ResultCode alreadyDone, Modification... mods) {
        for (int attempt = 1; ; attempt++) {
            try {
                SearchResultEntry existing = ldap.getEntry(dn.toString(), attributesToRead(mods));
                if (ensure(dn, existing, auxiliary, mods) == Ensured.EXISTED) {
                    List<Modification> needed = notYetMade(existing, mods);
                    if (!needed.isEmpty()) {
                        ldap.modify(dn.toString(), needed);
                    }
                }
                return;
            } catch (LDAPException e) {
                if (e.getResultCode() == alreadyDone) {
                    return;
                }
                if (e.getResultCode() != ResultCode.NO_SUCH_OBJECT || attempt >= 3) {
                    throw LdapErrors.toDomain(what + " at " + dn, e);
                }
            }
        }
    }

    /** What {@link #ensure} found or did. */
    private enum Ensured {
        /** The name is not the mirror's: nothing written. */
        SKIPPED,
        /** The entry was added, holding the values of the modifications given. */
        CREATED,
        /** The entry was there (with the auxiliary classes now): the modifications are still to be made. */
        EXISTED
    }

    /** {@code objectClass} (for {@link #ensure}) and the attributes {@code mods} add values to. */
    private static String[] attributesToRead(Modification... mods) {
        List<String> attributes = new ArrayList<>(List.of("objectClass"));
        for (Modification mod : mods) {
            if (mod.getModificationType() == ModificationType.ADD) {
                attributes.add(mod.getAttributeName());
            }
        }
        return attributes.toArray(String[]::new);
    }

    /**
     * {@code mods} without the ADD values {@code existing} holds byte for byte (the mirror adds
     * only certificates, whose values the directory keeps as given), and without an ADD left with
     * no value; other modifications are kept as they are. {@code existing} {@code null} (not read,
     * or gone): all of them.
     */
    private static List<Modification> notYetMade(Entry existing, Modification... mods) {
        List<Modification> needed = new ArrayList<>();
        for (Modification mod : mods) {
            if (existing == null || mod.getModificationType() != ModificationType.ADD) {
                needed.add(mod);
                continue;
            }
            String baseName = Attribute.getBaseName(mod.getAttributeName());
            List<byte[]> held = new ArrayList<>();
            for (Attribute attribute : existing.getAttributes()) {
                if (attribute.getBaseName().equalsIgnoreCase(baseName)) {
                    held.addAll(List.of(attribute.getValueByteArrays()));
                }
            }
            List<byte[]> missing = new ArrayList<>();
            for (byte[] value : mod.getValueByteArrays()) {
                if (held.stream().noneMatch(h -> Arrays.equals(h, value))) {
                    missing.add(value);
                }
            }
            if (missing.size() == mod.getValueByteArrays().length) {
                needed.add(mod);
            } else if (!missing.isEmpty()) {
                needed.add(new Modification(ModificationType.ADD, mod.getAttributeName(),
                        missing.toArray(byte[][]::new)));
            }
        }
        return needed;
    }

    /**
     * Makes sure the entry exists as a mirror entry with {@code auxiliary} classes, and its parents
     * up to the naming context (or the base entry) with only their RDN values. Only an entry of
     * class {@value #CLASS} is changed, and only below one, a naming context, the base entry (or
     * the root): a name that falls on or under some other entry ({@code ou=policies}, an access
     * control subentry, ...) is skipped and logged once. An entry that must be added is added with
     * the values of {@code initial} (their ADD and REPLACE values), so a new name costs the
     * directory one write, not an add and then a modify.
     *
     * @param existing the entry as the caller read it, with its {@code objectClass}, or
     *                 {@code null} when it was not there
     */
    private Ensured ensure(DN dn, SearchResultEntry existing, List<String> auxiliary, Modification... initial)
            throws LDAPException {
        if (existing == null) {
            DN parent = dn.getParent();
            if (parent != null && !parent.isNullDN()) {
                SearchResultEntry above = ldap.getEntry(parent.toString(), "objectClass");
                if (above == null) {
                    if (ensure(parent, null, List.of()) == Ensured.SKIPPED) {
                        return Ensured.SKIPPED;
                    }
                } else if (!above.hasObjectClass(CLASS) && !isBoundary(parent)) {
                    return notMine(dn, parent);
                }
            }
            Entry entry = new Entry(dn);
            entry.addAttribute("objectClass", "top", CLASS);
            for (String aux : auxiliary) {
                entry.addAttribute("objectClass", aux);
            }
            RDN rdn = dn.getRDN();
            for (int i = 0; i < rdn.getAttributeNames().length; i++) {
                entry.addAttribute(rdn.getAttributeNames()[i], rdn.getAttributeValues()[i]);
            }
            for (Modification mod : initial) {
                if (mod.getModificationType() != ModificationType.DELETE && mod.hasValue()) {
                    entry.addAttribute(mod.getAttributeName(), mod.getValueByteArrays());
                }
            }
            try {
                ldap.add(entry);
                return Ensured.CREATED;
            } catch (LDAPException e) {
                if (e.getResultCode() != ResultCode.ENTRY_ALREADY_EXISTS) {
                    throw e;
                }
                existing = ldap.getEntry(dn.toString(), "objectClass");
                if (existing == null) {
                    throw e;
                }
            }
        }
        if (!existing.hasObjectClass(CLASS)) {
            return notMine(dn, dn);
        }
        List<Modification> mods = new ArrayList<>();
        for (String aux : auxiliary) {
            if (!existing.hasObjectClass(aux)) {
                mods.add(new Modification(ModificationType.ADD, "objectClass", aux));
            }
        }
        if (!mods.isEmpty()) {
            try {
                ldap.modify(dn.toString(), mods);
            } catch (LDAPException e) {
                if (e.getResultCode() != ResultCode.ATTRIBUTE_OR_VALUE_EXISTS) {
                    throw e;
                }
            }
        }
        return Ensured.EXISTED;
    }

    private Ensured notMine(DN dn, DN foreign) {
        if (skipped.add(dn.toNormalizedString())) {
            LOG.info("Not mirrored at the X.500-named entry {}, because {} exists and is not a mirror entry ({})",
                    dn, foreign, CLASS);
        }
        return Ensured.SKIPPED;
    }

    /**
     * What a caller does when a mirror write failed: the mirror is a convenience copy and must
     * never block what called it (revocation, CRL publication), so the failure is logged at ERROR
     * with what was not mirrored, and the naming contexts are unmarked as filled so that the next
     * start's fill redoes the mirror (adds what is missing, removes what is no longer published).
     * Only the marks still there are removed (a failing mirror fails at every write until the
     * next start, and a modify-delete of an absent value would add an ApacheDS ERROR to each of
     * this class's own). Never throws.
     *
     * @param what what was not mirrored, for the log
     */
    public void failed(String what, RuntimeException cause) {
        boolean unmarked = false;
        try {
            DN holder = names.container(DirectoryLayout.Container.CERTIFICATES);
            SearchResultEntry marker = ldap.getEntry(holder.toString(), FILLED);
            String[] filled = marker == null ? null : marker.getAttributeValues(FILLED);
            for (String mark : filled == null ? new String[0] : filled) {
                if (contexts.stream().noneMatch(c -> same(c, mark))) {
                    continue;
                }
                try {
                    ldap.modify(holder.toString(), new Modification(ModificationType.DELETE, FILLED, mark));
                } catch (LDAPException e) {
                    if (e.getResultCode() != ResultCode.NO_SUCH_ATTRIBUTE) {
                        throw e;
                    }
                }
            }
            unmarked = true;
        } catch (LDAPException | RuntimeException e) {
            cause.addSuppressed(e);
        }
        LOG.error("The X.500-named mirror is not up to date: {} failed ({}). {}", what, cause.getMessage(),
                unmarked ? "The naming contexts " + contexts + " are unmarked as filled: the next start of the "
                        + "server redoes the mirror" : "Unmarking the naming contexts as filled failed too: remove "
                        + FILLED + " from " + names.container(DirectoryLayout.Container.CERTIFICATES)
                        + " and restart to redo the mirror", cause);
    }

    /** Runs a mirror write; a failure is {@link #failed} (logged, mirror unmarked), never thrown. */
    public void bestEffort(String what, Runnable write) {
        try {
            write.run();
        } catch (RuntimeException e) {
            failed(what, e);
        }
    }

}
