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
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.egovpki.core.DomainException;
import org.egovpki.core.ca.CaRecord;
import org.egovpki.core.ca.CaRepository;
import org.egovpki.core.ca.CaRole;
import org.egovpki.core.ca.CrlHead;
import org.egovpki.core.ca.CrlRecord;
import org.egovpki.core.certificate.CertificateStatus;
import org.egovpki.core.certificate.Revocation;
import org.egovpki.core.certificate.RevocationChannel;
import org.egovpki.core.certificate.RevocationReason;
import org.egovpki.core.x509.Fingerprints;
import org.egovpki.core.x509.CrlHeader;
import org.egovpki.core.x509.RevokedEntry;
import org.egovpki.core.sync.SyncMarkers;
import org.egovpki.core.crypto.KeyAlgorithm;

/**
 * CA entries under {@code ou=CAs}: {@code egovCertificationAuthority} (our facts) plus the RFC 4523
 * auxiliary {@code pkiCA} ({@code cACertificate;binary}, {@code certificateRevocationList;binary}).
 * Certificate attributes are always written with {@code ;binary} and read by base name.
 */
public final class LdapCaRepository implements CaRepository {

    static final String OC_CA = "egovCertificationAuthority";
    static final String AT_ALGORITHM = "egovKeyAlgorithm";
    static final String AT_ROLE = "egovCaRole";
    static final String AT_PARENT = "egovParentCa";
    static final String AT_SERIAL = "egovSerialNumber";
    static final String AT_SUBJECT = "egovSubjectDn";
    static final String AT_NOT_BEFORE = "egovNotBefore";
    static final String AT_NOT_AFTER = "egovNotAfter";
    static final String AT_FINGERPRINT = "egovSha256Fingerprint";
    static final String AT_CRL_NUMBER = "egovCrlNumber";
    static final String AT_CRL_THIS_UPDATE = "egovCrlThisUpdate";
    static final String AT_CRL_NEXT_UPDATE = "egovCrlNextUpdate";
    static final String AT_CA_CERTIFICATE = "cACertificate;binary";
    static final String AT_CRL = "certificateRevocationList;binary";
    static final String AT_DELTA = "deltaRevocationList;binary";
    static final String AT_DELTA_NUMBER = "egovDeltaCrlNumber";
    static final String OC_DELTA = "deltaCRL";
    static final String OC_PARTITION = "egovCrlPartition";
    /** A CA entry's facts: everything but the CRLs, which can be tens of megabytes. */
    private static final String[] FACTS = {"cn", "egovKeyAlgorithm", "egovCaRole", "egovParentCa", "egovSerialNumber",
        "egovSubjectDn", "egovNotBefore", "egovNotAfter", "egovSha256Fingerprint", "cACertificate;binary"};
    private static final String[] HEAD = {AT_CRL_NUMBER, AT_DELTA_NUMBER, AT_CRL_THIS_UPDATE, AT_CRL_NEXT_UPDATE};
    static final String AT_ARL = "authorityRevocationList;binary";
    static final String AT_STATUS = "egovCertificateStatus";
    static final String AT_REVOCATION_TIME = "egovRevocationTime";
    static final String AT_REVOCATION_REASON = "egovRevocationReason";
    static final String AT_REVOCATION_CAUSE = "egovRevocationCause";
    static final String AT_REVOKED_BY = "egovRevokedBy";

    /** A lost conditional CRL publication shows up as one of these, depending on the server. */
    private static final Set<ResultCode> RACE_LOST = Set.of(ResultCode.NO_SUCH_ATTRIBUTE,
            ResultCode.ATTRIBUTE_OR_VALUE_EXISTS, ResultCode.CONSTRAINT_VIOLATION, ResultCode.ASSERTION_FAILED);

    private final LDAPInterface ldap;
    private final SyncMarking marking;
    private final DirectoryNames names;
    private final X500Mirror mirror;

    public LdapCaRepository(LDAPInterface ldap, DirectoryNames names) {
        this(ldap, names, false);
    }

    public LdapCaRepository(LDAPInterface ldap, DirectoryNames names, boolean syncMarkers) {
        this(ldap, names, syncMarkers, X500Mirror.off(ldap, names));
    }

    /**
     * With sync capture on ({@code syncMarkers}): a CRL's publication writes, in the same modify, the
     * sync marker {@code crl:<number>} for the full CRL and for its delta ({@code crl:<shard>:<number>}
     * on a partition's entry). The CA certificate, the full and delta CRLs and the ARL are also
     * written to the {@code mirror}, after the CA entry (a crash in between is made good by the
     * next CRL, or at start by {@link #save}).
     */
    public LdapCaRepository(LDAPInterface ldap, DirectoryNames names, boolean syncMarkers, X500Mirror mirror) {
        this.marking = new SyncMarking(ldap, syncMarkers);
        this.ldap = Objects.requireNonNull(ldap, "ldap");
        this.names = Objects.requireNonNull(names, "names");
        this.mirror = Objects.requireNonNull(mirror, "mirror");
    }

    @Override
    public Optional<CaRecord> find(String caName) {
        return read(caName, FACTS).map(LdapCaRepository::toRecord);
    }

    @Override
    public List<CaRecord> findAll() {
        try {
            SearchResult result = ldap.search(names.cas().toString(), SearchScope.ONE,
                    Filter.createEqualityFilter("objectClass", OC_CA), FACTS);
            List<CaRecord> records = new ArrayList<>();
            for (SearchResultEntry entry : result.getSearchEntries()) {
                records.add(toRecord(entry));
            }
            records.sort(Comparator.comparing(CaRecord::name));
            return records;
        } catch (LDAPException e) {
            throw LdapErrors.toDomain("listing CA entries", e);
        }
    }

    @Override
    public void save(CaRecord ca) {
        DN dn = names.ca(ca.name());
        List<Attribute> facts = new ArrayList<>(List.of(
                new Attribute(AT_ALGORITHM, ca.algorithm().name()),
                new Attribute(AT_ROLE, ca.role().name()),
                new Attribute(AT_SERIAL, ca.serialHex()),
                new Attribute(AT_SUBJECT, ca.subjectDn()),
                new Attribute(AT_NOT_BEFORE, LdapValues.time(ca.notBefore())),
                new Attribute(AT_NOT_AFTER, LdapValues.time(ca.notAfter())),
                new Attribute(AT_FINGERPRINT, ca.sha256Fingerprint()),
                new Attribute(AT_CA_CERTIFICATE, ca.certificateDer())));
        if (ca.parent() != null) {
            facts.add(new Attribute(AT_PARENT, ca.parent()));
        }
        try {
            SearchResultEntry existing = ldap.getEntry(dn.toString(), "objectClass");
            if (existing == null) {
                Entry entry = new Entry(dn, facts);
                entry.addAttribute("objectClass", "top", OC_CA, "pkiCA", OC_DELTA);
                if (marking.on()) {
                    entry.addAttribute("objectClass", SyncMarking.OC_OWED);
                }
                entry.addAttribute("cn", ca.name());
                entry.addAttribute("description", ca.role() == CaRole.ROOT
                        ? "Root CA " + ca.subjectDn() : "Issuing CA " + ca.subjectDn() + " under " + ca.parent());
                ldap.add(entry);
            } else {
                List<Modification> mods = new ArrayList<>();
                for (Attribute a : facts) {
                    mods.add(new Modification(ModificationType.REPLACE, a.getName(), a.getRawValues()));
                }
                if (!existing.hasAttributeValue("objectClass", OC_DELTA)) {
                    // Entries from before delta CRLs existed get the class that may hold one.
                    mods.add(new Modification(ModificationType.ADD, "objectClass", OC_DELTA));
                }
                ldap.modify(dn.toString(), mods);
            }
        } catch (LDAPException e) {
            throw LdapErrors.toDomain("publishing CA entry " + dn, e);
        }
        mirror.bestEffort("publishing the certificate of CA " + ca.name(),
                () -> mirror.publishCaCertificate(ca.certificateDer()));
    }

    @Override
    public Optional<CrlRecord> currentCrl(String caName) {
        return read(caName, AT_CRL_NUMBER, AT_CRL_THIS_UPDATE, AT_CRL_NEXT_UPDATE, AT_CRL)
                .flatMap(entry -> crl(entry, AT_CRL_NUMBER, "certificateRevocationList"));
    }

    @Override
    public Optional<CrlRecord> currentDeltaCrl(String caName) {
        return read(caName, AT_DELTA_NUMBER, AT_CRL_THIS_UPDATE, AT_CRL_NEXT_UPDATE, AT_DELTA)
                .flatMap(entry -> crl(entry, AT_DELTA_NUMBER, "deltaRevocationList"));
    }

    @Override
    public boolean publishCrl(String caName, BigInteger previousNumber, CrlRecord crl, CrlRecord delta) {
        DN dn = names.ca(caName);
        List<Modification> mods = crlModifications(previousNumber, crl, delta);
        try {
            marking.modify(dn.toString(), mods, crlMarkers(null, crl, delta));
        } catch (LDAPException e) {
            if (RACE_LOST.contains(e.getResultCode())) {
                return false;
            }
            throw LdapErrors.toDomain("publishing CRL #" + crl.crlNumber() + " for CA " + caName, e);
        }
        // The CA entry holds the CRL now; the mirror is a copy that must not stop the rest of the run.
        if (mirror.on()) {
            mirror.bestEffort("publishing CRL #" + crl.crlNumber() + " of CA " + caName,
                    () -> mirror.publishCrl(crl.sharedDer(), delta == null ? null : delta.sharedDer()));
        }
        return true;
    }

    @Override
    public Optional<CrlRecord> currentPartitionCrl(String caName, int shard) {
        return partition(caName, shard, AT_CRL_NUMBER, AT_CRL_THIS_UPDATE, AT_CRL_NEXT_UPDATE, AT_CRL)
                .flatMap(e -> crl(e, AT_CRL_NUMBER, "certificateRevocationList"));
    }

    @Override
    public Optional<CrlRecord> currentPartitionDeltaCrl(String caName, int shard) {
        return partition(caName, shard, AT_DELTA_NUMBER, AT_CRL_THIS_UPDATE, AT_CRL_NEXT_UPDATE, AT_DELTA)
                .flatMap(e -> crl(e, AT_DELTA_NUMBER, "deltaRevocationList"));
    }

    @Override
    public boolean publishPartitionCrl(String caName, int shard, CrlRecord full, CrlRecord delta) {
        DN dn = names.crlPartition(caName, shard);
        for (int attempt = 0; attempt < 5; attempt++) {
            Optional<SearchResultEntry> existing = partition(caName, shard, AT_CRL_NUMBER);
            try {
                if (existing.isEmpty()) {
                    Entry entry = new Entry(dn);
                    entry.addAttribute("objectClass", "top", "cRLDistributionPoint", OC_PARTITION);
                    entry.addAttribute("cn", "shard-" + shard);
                    entry.addAttribute("egovCrlShard", Integer.toString(shard));
                    entry.addAttribute(AT_CRL_NUMBER, full.crlNumber().toString());
                    entry.addAttribute(AT_CRL, full.sharedDer());
                    entry.addAttribute(AT_CRL_THIS_UPDATE, LdapValues.time(full.thisUpdate()));
                    entry.addAttribute(AT_CRL_NEXT_UPDATE, LdapValues.time(full.nextUpdate()));
                    if (delta != null) {
                        entry.addAttribute(AT_DELTA, delta.sharedDer());
                        entry.addAttribute(AT_DELTA_NUMBER, delta.crlNumber().toString());
                    }
                    if (marking.on()) {
                        entry.addAttribute("objectClass", SyncMarking.OC_OWED);
                        entry.addAttribute(SyncMarking.AT_OWED, crlMarkers(shard, full, delta));
                    }
                    ldap.add(entry);
                    return true;
                }
                String current = existing.get().getAttributeValue(AT_CRL_NUMBER);
                if (current != null && new BigInteger(current).compareTo(full.crlNumber()) >= 0) {
                    return false;
                }
                List<Modification> mods = crlModifications(current == null ? null : new BigInteger(current), full,
                        delta);
                marking.modify(dn.toString(), mods, crlMarkers(shard, full, delta));
                return true;
            } catch (LDAPException e) {
                if (!RACE_LOST.contains(e.getResultCode()) && e.getResultCode() != ResultCode.ENTRY_ALREADY_EXISTS) {
                    throw LdapErrors.toDomain("publishing CRL #" + full.crlNumber() + " of partition " + shard
                            + " of CA " + caName, e);
                }
            }
        }
        throw DomainException.conflict("CRL partition " + shard + " of CA " + caName
                + " keeps changing under another writer; the next CRL run publishes it");
    }

    @Override
    public Optional<CrlRecord> currentArl(String caName) {
        return read(caName, AT_ARL).map(entry -> LdapValues.binary(entry, "authorityRevocationList")).map(der -> {
            return record(der);
        });
    }

    @Override
    public boolean publishArl(String caName, BigInteger crlNumber, CrlRecord arl) {
        Optional<CrlRecord> current = currentArl(caName);
        if (current.isPresent() && current.get().crlNumber().compareTo(arl.crlNumber()) >= 0) {
            return false;
        }
        // The ARL is written only while the full CRL it numbers on from is still the CA's: removing and
        // adding back that number in the same modify fails when another CA process has published a newer
        // CRL (and so an ARL numbered above this one) since the look-up above, so an ARL never goes back.
        String number = crlNumber.toString();
        try {
            ldap.modify(names.ca(caName).toString(),
                    new Modification(ModificationType.DELETE, AT_CRL_NUMBER, number),
                    new Modification(ModificationType.ADD, AT_CRL_NUMBER, number),
                    new Modification(ModificationType.REPLACE, AT_ARL, arl.sharedDer()));
        } catch (LDAPException e) {
            if (RACE_LOST.contains(e.getResultCode())) {
                return false;
            }
            throw LdapErrors.toDomain("publishing the ARL #" + arl.crlNumber() + " of CA " + caName, e);
        }
        mirror.bestEffort("publishing ARL #" + arl.crlNumber() + " of CA " + caName,
                () -> mirror.publishArl(arl.sharedDer()));
        return true;
    }

    @Override
    public Optional<Revocation> caRevocation(String caName) {
        return read(caName, AT_STATUS, AT_REVOCATION_TIME, AT_REVOCATION_CAUSE, AT_REVOKED_BY)
                .filter(e -> CertificateStatus.REVOKED.name().equals(e.getAttributeValue(AT_STATUS)))
                .map(e -> new Revocation(LdapValues.time(e, AT_REVOCATION_TIME),
                        RevocationReason.parse(e.getAttributeValue(AT_REVOCATION_CAUSE)), null,
                        String.valueOf(e.getAttributeValue(AT_REVOKED_BY)), RevocationChannel.OPERATOR));
    }

    @Override
    public List<RevokedEntry> revokedSubordinates(String caName) {
        Filter filter = Filter.createANDFilter(Filter.createEqualityFilter("objectClass", OC_CA),
                Filter.createEqualityFilter(AT_PARENT, caName),
                Filter.createEqualityFilter(AT_STATUS, CertificateStatus.REVOKED.name()));
        try {
            List<RevokedEntry> entries = new ArrayList<>();
            for (SearchResultEntry e : ldap.search(names.cas().toString(), SearchScope.ONE, filter, AT_SERIAL,
                    AT_REVOCATION_TIME, AT_REVOCATION_REASON).getSearchEntries()) {
                entries.add(new RevokedEntry(new BigInteger(e.getAttributeValue(AT_SERIAL), 16),
                        LdapValues.time(e, AT_REVOCATION_TIME),
                        RevocationReason.rfc5280Code(e.getAttributeValue(AT_REVOCATION_REASON)), null));
            }
            return entries;
        } catch (LDAPException e) {
            throw LdapErrors.toDomain("reading the revoked CAs under " + caName, e);
        }
    }

    @Override
    public boolean revokeCa(String caName, Revocation revocation) {
        try {
            // Adding the single value REVOKED fails if it is already there: the compare-and-swap.
            ldap.modify(names.ca(caName).toString(),
                    new Modification(ModificationType.ADD, AT_STATUS, CertificateStatus.REVOKED.name()),
                    new Modification(ModificationType.REPLACE, AT_REVOCATION_TIME, LdapValues.time(revocation.time())),
                    new Modification(ModificationType.REPLACE, AT_REVOCATION_REASON, revocation.reason().rfc5280Name()),
                    new Modification(ModificationType.REPLACE, AT_REVOCATION_CAUSE, revocation.reason().name()),
                    new Modification(ModificationType.REPLACE, AT_REVOKED_BY, revocation.revokedBy()));
            return true;
        } catch (LDAPException e) {
            if (e.getResultCode() == ResultCode.ATTRIBUTE_OR_VALUE_EXISTS
                    || e.getResultCode() == ResultCode.CONSTRAINT_VIOLATION) {
                return false;
            }
            throw LdapErrors.toDomain("revoking the certificate of CA " + caName, e);
        }
    }

    /** RFC 4523 §2.3, written with {@code ;binary} like every certificate attribute. */
    static final String AT_CROSS_PAIR = "crossCertificatePair;binary";

    @Override
    public boolean publishRetiredKeyCrl(String caName, String keyIdHex, CrlRecord crl) {
        DN dn = names.retiredKeyCrl(caName, keyIdHex);
        String number = crl.crlNumber().toString();
        try {
            SearchResultEntry entry = ldap.getEntry(dn.toString(), AT_CRL_NUMBER, AT_CRL, "objectClass");
            if (entry == null) {
                Entry created = new Entry(dn);
                created.addAttribute("objectClass", "top", "cRLDistributionPoint", OC_PARTITION);
                created.addAttribute("cn", "key-" + keyIdHex);
                created.addAttribute(AT_CRL_NUMBER, number);
                created.addAttribute(AT_CRL, crl.sharedDer());
                ldap.add(created);
                return true;
            }
            // The entry's number is a compare-and-swap, as for partitions: of two CA processes that
            // read the same CRL, only one replaces it, so one number never names two different CRLs.
            String current = entry.getAttributeValue(AT_CRL_NUMBER);
            List<Modification> mods = new ArrayList<>();
            if (current != null) {
                if (new BigInteger(current).compareTo(crl.crlNumber()) >= 0) {
                    return false;
                }
                mods.add(new Modification(ModificationType.DELETE, AT_CRL_NUMBER, current));
            } else {
                byte[] der = LdapValues.binary(entry, "certificateRevocationList");
                if (der != null && crlNumber(der).compareTo(crl.crlNumber()) >= 0) {
                    return false;
                }
                // Written before the entry carried its number: the number's class comes with the first.
                if (!entry.hasObjectClass(OC_PARTITION)) {
                    mods.add(new Modification(ModificationType.ADD, "objectClass", OC_PARTITION));
                }
            }
            mods.add(new Modification(ModificationType.ADD, AT_CRL_NUMBER, number));
            mods.add(new Modification(ModificationType.REPLACE, AT_CRL, crl.sharedDer()));
            ldap.modify(dn.toString(), mods);
            return true;
        } catch (LDAPException e) {
            if (RACE_LOST.contains(e.getResultCode()) || e.getResultCode() == ResultCode.ENTRY_ALREADY_EXISTS) {
                return false; // another writer published first; the next CRL run goes on from there
            }
            throw LdapErrors.toDomain("publishing CRL #" + crl.crlNumber() + " of the retired key " + keyIdHex
                    + " of CA " + caName, e);
        }
    }

    @Override
    public Optional<CrlRecord> retiredKeyCrl(String caName, String keyIdHex) {
        try {
            SearchResultEntry entry = ldap.getEntry(names.retiredKeyCrl(caName, keyIdHex).toString(), AT_CRL);
            byte[] der = entry == null ? null : LdapValues.binary(entry, "certificateRevocationList");
            if (der == null) {
                return Optional.empty();
            }
            return Optional.of(record(der));
        } catch (LDAPException e) {
            throw LdapErrors.toDomain("reading the CRL of the retired key " + keyIdHex + " of CA " + caName, e);
        }
    }

    @Override
    public void publishKeyHistory(String caName, List<byte[]> caCertificates, List<byte[]> crossCertificatePairs) {
        if (caCertificates.isEmpty()) {
            throw new IllegalArgumentException("CA " + caName + " needs at least its current certificate");
        }
        try {
            ldap.modify(names.ca(caName).toString(),
                    new Modification(ModificationType.REPLACE, AT_CA_CERTIFICATE, caCertificates.toArray(byte[][]::new)),
                    new Modification(ModificationType.REPLACE, AT_CROSS_PAIR,
                            crossCertificatePairs.toArray(byte[][]::new)));
        } catch (LDAPException e) {
            throw LdapErrors.toDomain("publishing the key changeover certificates of CA " + caName, e);
        }
        mirror.bestEffort("publishing the key changeover certificates of CA " + caName,
                () -> mirror.publishCaKeyHistory(caCertificates, crossCertificatePairs));
    }

    @Override
    public List<byte[]> caCertificates(String caName) {
        return read(caName, AT_CA_CERTIFICATE).map(entry -> binaries(entry, "cACertificate")).orElse(List.of());
    }

    @Override
    public List<byte[]> crossCertificatePairs(String caName) {
        return read(caName, AT_CROSS_PAIR).map(entry -> binaries(entry, "crossCertificatePair")).orElse(List.of());
    }

    private static List<byte[]> binaries(Entry entry, String baseName) {
        List<byte[]> values = new ArrayList<>();
        for (Attribute attribute : entry.getAttributes()) {
            if (attribute.getBaseName().equalsIgnoreCase(baseName)) {
                values.addAll(List.of(attribute.getValueByteArrays()));
            }
        }
        return values;
    }

    /** The number of a CRL the CA stored, read from its header (a key's CRL may hold a million entries). */
    private static BigInteger crlNumber(byte[] der) {
        BigInteger number = CrlHeader.of(der).crlNumber();
        if (number == null) {
            throw DomainException.internal("a CRL in the directory has no CRL number", null);
        }
        return number;
    }

    /** A stored CRL with the number and dates of its header. */
    private static CrlRecord record(byte[] der) {
        CrlHeader header = CrlHeader.of(der);
        if (header.crlNumber() == null || header.nextUpdate() == null) {
            throw DomainException.internal("a CRL in the directory has no CRL number or nextUpdate", null);
        }
        return new CrlRecord(header.crlNumber(), header.thisUpdate(), header.nextUpdate(), der);
    }

    @Override
    public Optional<CrlHead> crlHead(String caName) {
        // The ARL is small (revoked CA certificates only) and carries its own number.
        return read(caName, AT_CRL_NUMBER, AT_DELTA_NUMBER, AT_CRL_THIS_UPDATE, AT_CRL_NEXT_UPDATE, AT_ARL).flatMap(entry -> head(entry,
                Optional.ofNullable(LdapValues.binary(entry, "authorityRevocationList"))
                        .map(LdapCaRepository::crlNumber).orElse(null)));
    }

    @Override
    public Optional<CrlHead> partitionCrlHead(String caName, int shard) {
        return partition(caName, shard, HEAD).flatMap(entry -> head(entry, null));
    }

    private static Optional<CrlHead> head(Entry entry, BigInteger arlNumber) {
        String number = entry.getAttributeValue(AT_CRL_NUMBER);
        if (number == null) {
            return Optional.empty();
        }
        String delta = entry.getAttributeValue(AT_DELTA_NUMBER);
        return Optional.of(new CrlHead(new BigInteger(number), LdapValues.time(entry, AT_CRL_THIS_UPDATE),
                LdapValues.time(entry, AT_CRL_NEXT_UPDATE), delta == null ? null : new BigInteger(delta), arlNumber));
    }

    private Optional<SearchResultEntry> partition(String caName, int shard, String... attributes) {
        try {
            return Optional.ofNullable(ldap.getEntry(names.crlPartition(caName, shard).toString(), attributes));
        } catch (LDAPException e) {
            throw LdapErrors.toDomain("reading CRL partition " + shard + " of CA " + caName, e);
        }
    }

    /** The CRL in {@code crlAttribute} with its number in {@code numberAttribute} and the entry's dates. */
    private static Optional<CrlRecord> crl(Entry entry, String numberAttribute, String crlAttribute) {
        byte[] der = LdapValues.binary(entry, crlAttribute);
        String number = entry.getAttributeValue(numberAttribute);
        if (der == null || number == null) {
            return Optional.empty();
        }
        // A delta shares its full CRL's dates: both are signed in one step.
        return Optional.of(new CrlRecord(new BigInteger(number), LdapValues.time(entry, AT_CRL_THIS_UPDATE),
                LdapValues.time(entry, AT_CRL_NEXT_UPDATE), der));
    }

    /**
     * The modifications that publish {@code full} and {@code delta} on an entry whose CRL number is
     * {@code previousNumber}: delete-the-old-value plus add-the-new-value is an atomic
     * compare-and-swap in any LDAP server, so if another writer moved the number on, nothing changes.
     */
    private static String[] crlMarkers(Integer shard, CrlRecord full, CrlRecord delta) {
        return delta == null ? new String[] {SyncMarkers.crl(shard, full.crlNumber())}
                : new String[] {SyncMarkers.crl(shard, full.crlNumber()), SyncMarkers.crl(shard, delta.crlNumber())};
    }

    /*
     * The CRL values are the records' own arrays (sharedDer): the SDK wraps them without a copy and
     * reads them once into its encoding buffer, so a CRL of a million entries (~49 MB) is not
     * duplicated on our side on its way to the directory (docs/directory.md, "Large CRLs").
     */
    private static List<Modification> crlModifications(BigInteger previousNumber, CrlRecord full, CrlRecord delta) {
        List<Modification> mods = new ArrayList<>();
        if (previousNumber != null) {
            mods.add(new Modification(ModificationType.DELETE, AT_CRL_NUMBER, previousNumber.toString()));
        }
        mods.add(new Modification(ModificationType.ADD, AT_CRL_NUMBER, full.crlNumber().toString()));
        mods.add(new Modification(ModificationType.REPLACE, AT_CRL, full.sharedDer()));
        mods.add(new Modification(ModificationType.REPLACE, AT_CRL_THIS_UPDATE, LdapValues.time(full.thisUpdate())));
        mods.add(new Modification(ModificationType.REPLACE, AT_CRL_NEXT_UPDATE, LdapValues.time(full.nextUpdate())));
        if (delta != null) {
            mods.add(new Modification(ModificationType.REPLACE, AT_DELTA, delta.sharedDer()));
            mods.add(new Modification(ModificationType.REPLACE, AT_DELTA_NUMBER, delta.crlNumber().toString()));
        } else {
            // An older delta's base is no longer the current CRL's predecessor: take it away.
            mods.add(new Modification(ModificationType.REPLACE, AT_DELTA));
            mods.add(new Modification(ModificationType.REPLACE, AT_DELTA_NUMBER));
        }
        return mods;
    }

    private Optional<SearchResultEntry> read(String caName, String... attributes) {
        try {
            return Optional.ofNullable(ldap.getEntry(names.ca(caName).toString(), attributes));
        } catch (LDAPException e) {
            throw LdapErrors.toDomain("reading CA entry " + caName, e);
        }
    }

    private static CaRecord toRecord(Entry entry) {
        // After a key changeover the entry carries several certificates; the record is the current
        // one, whose fingerprint the entry names.
        String fingerprint = entry.getAttributeValue(AT_FINGERPRINT);
        byte[] der = binaries(entry, "cACertificate").stream()
                .filter(value -> Fingerprints.sha256Hex(value).equalsIgnoreCase(String.valueOf(fingerprint)))
                .findFirst().orElse(LdapValues.binary(entry, "cACertificate"));
        if (der == null) {
            throw new DomainException(DomainException.Kind.INTERNAL, "CA entry " + entry.getDN()
                    + " has no cACertificate;binary value: republish it by restarting the server");
        }
        return new CaRecord(entry.getAttributeValue("cn"),
                CaRole.valueOf(entry.getAttributeValue(AT_ROLE)),
                KeyAlgorithm.parse(entry.getAttributeValue(AT_ALGORITHM)),
                entry.getAttributeValue(AT_PARENT),
                entry.getAttributeValue(AT_SUBJECT),
                entry.getAttributeValue(AT_SERIAL),
                LdapValues.time(entry, AT_NOT_BEFORE),
                LdapValues.time(entry, AT_NOT_AFTER),
                entry.getAttributeValue(AT_FINGERPRINT),
                der);
    }
}
