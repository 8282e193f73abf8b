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
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchResultListener;
import com.unboundid.ldap.sdk.SearchResultReference;
import com.unboundid.ldap.sdk.SearchScope;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.egovpki.core.certificate.CertificateQuery;
import org.egovpki.core.certificate.CertificateRecord;
import org.egovpki.core.certificate.CertificateStatus;
import org.egovpki.core.certificate.CertificateStore;
import org.egovpki.core.sync.SyncMarkers;
import org.egovpki.core.certificate.IssuanceState;
import org.egovpki.core.certificate.Revocation;
import org.egovpki.core.certificate.RevocationChannel;
import org.egovpki.core.certificate.RevocationReason;
import org.egovpki.core.certificate.RevokedSelection;
import org.egovpki.core.x509.RevokedEntry;
import org.egovpki.core.profile.CertificateType;
import org.egovpki.core.profile.KeyUsageKind;
import org.egovpki.schema.DirectoryLayout;

/**
 * Certificate records under {@code ou=certificates} ({@code egovCertificateRecord}), one entry per
 * (issuer, serial): {@code egovCertificateId=<issuer>-<serial hex>}. The add of the intent is
 * the serial reservation — the directory refuses a second entry with the same name.
 */
public final class LdapCertificateStore implements CertificateStore {

    /**
     * Revoked entries read per page when a CRL is built. The entries stream to the CRL's encoder
     * whatever the page size (the listener keeps none), so the size only sets how often the
     * directory starts the search again: slapd spent 7.3-7.6 s of CPU reading a million records in
     * pages of 10,000 and 8.5-9.5 s in pages of 1,000 (docs/benchmarks.md, the `crl` section).
     */
    static final int REVOKED_PAGE_SIZE = 10_000;

    private final LDAPInterface ldap;
    private final DirectoryNames names;
    private final int pageSize;
    private final SyncMarking marking;

    public LdapCertificateStore(LDAPInterface ldap, DirectoryNames names) {
        this(ldap, names, REVOKED_PAGE_SIZE);
    }

    /** With {@code pageSize} revoked entries per page of a CRL's search (tests use small pages). */
    LdapCertificateStore(LDAPInterface ldap, DirectoryNames names, int pageSize) {
        this(ldap, names, pageSize, false);
    }

    /**
     * With sync capture on ({@code syncMarkers}): the publication of a record (state PUBLISHED) and
     * its revocation write, in the same modify, the sync marker {@code cert.issued} or
     * {@code cert.revoked} (docs/directory.md, "Sync outbox and owed-event markers").
     */
    public LdapCertificateStore(LDAPInterface ldap, DirectoryNames names, boolean syncMarkers) {
        this(ldap, names, REVOKED_PAGE_SIZE, syncMarkers);
    }

    private LdapCertificateStore(LDAPInterface ldap, DirectoryNames names, int pageSize, boolean syncMarkers) {
        this.marking = new SyncMarking(ldap, syncMarkers);
        this.ldap = Objects.requireNonNull(ldap, "ldap");
        this.names = Objects.requireNonNull(names, "names");
        if (pageSize < 1) {
            throw new IllegalArgumentException("page size must be positive, was " + pageSize);
        }
        this.pageSize = pageSize;
    }

    @Override
    public boolean writeIntent(CertificateRecord r, byte[] envelopedKey) {
        List<Attribute> a = new ArrayList<>();
        List<String> classes = new ArrayList<>(List.of("top", "egovCertificateRecord"));
        if (envelopedKey != null) {
            classes.add("egovKeyDelivery");
            a.add(new Attribute("egovEnvelopedKey", envelopedKey));
        }
        if (marking.on()) {
            classes.add(SyncMarking.OC_OWED); // so the publication's and revocation's markers need no class change
        }
        a.add(new Attribute("objectClass", classes));
        a.add(new Attribute("egovCertificateId", r.id()));
        a.add(new Attribute("egovSerialNumber", r.serialHex()));
        a.add(new Attribute("egovIssuerName", r.issuer()));
        a.add(new Attribute("egovRequestDn", names.request(r.requestId()).toString()));
        a.add(new Attribute("egovSubscriberDn", names.subscriber(r.subscriberId()).toString()));
        a.add(new Attribute("egovSubjectDn", r.subjectDn()));
        a.add(new Attribute("egovProfile", r.profile()));
        a.add(new Attribute("egovCertificateType", r.type().name()));
        a.add(new Attribute("egovKeyUsageKind", r.kind().name()));
        LdapValues.put(a, "egovBusinessType", r.businessType());
        LdapValues.put(a, "egovRegion", r.region());
        a.add(new Attribute("egovCertificateStatus", r.status().name()));
        a.add(new Attribute("egovIssuanceState", r.issuanceState().name()));
        a.add(new Attribute("egovTbsCertificate", r.tbsDer()));
        a.add(new Attribute("egovNotBefore", LdapValues.time(r.notBefore())));
        a.add(new Attribute("egovNotAfter", LdapValues.time(r.notAfter())));
        a.add(new Attribute("egovCreatedAt", LdapValues.time(r.createdAt())));
        a.add(new Attribute("egovCrlShard", Integer.toString(r.crlShard())));
        try {
            ldap.add(new Entry(names.certificate(r.id()), a));
            return true;
        } catch (LDAPException e) {
            if (e.getResultCode() == ResultCode.ENTRY_ALREADY_EXISTS) {
                return false;
            }
            throw LdapErrors.toDomain("reserving serial " + r.serialHex() + " of CA " + r.issuer(), e);
        }
    }

    @Override
    public void update(CertificateRecord r) {
        List<Modification> mods = new ArrayList<>();
        mods.add(new Modification(ModificationType.REPLACE, "egovIssuanceState", r.issuanceState().name()));
        mods.add(new Modification(ModificationType.REPLACE, "egovCertificateStatus", r.status().name()));
        if (r.certificateDer() != null) {
            mods.add(new Modification(ModificationType.REPLACE, "userCertificate;binary", r.certificateDer()));
            mods.add(new Modification(ModificationType.REPLACE, "egovSha256Fingerprint", r.sha256()));
        }
        try {
            if (r.issuanceState() == IssuanceState.PUBLISHED) {
                marking.modify(names.certificate(r.id()).toString(), mods, SyncMarkers.ISSUED);
            } else {
                ldap.modify(names.certificate(r.id()).toString(), mods);
            }
        } catch (LDAPException e) {
            throw LdapErrors.toDomain("updating certificate record " + r.id(), e);
        }
    }

    @Override
    public List<CertificateRecord> findByIssuanceState(IssuanceState state) {
        return search(Filter.createEqualityFilter("egovIssuanceState", state.name()), 10_000);
    }

    @Override
    public List<CertificateRecord> findByRequest(String requestId) {
        return search(Filter.createEqualityFilter("egovRequestDn", names.request(requestId).toString()), 100);
    }

    @Override
    public Optional<CertificateRecord> find(String issuer, BigInteger serial) {
        try {
            SearchResultEntry entry = ldap.getEntry(names.certificate(CertificateRecord.id(issuer, serial)).toString(),
                    "*");
            return Optional.ofNullable(entry).map(this::toRecord);
        } catch (LDAPException e) {
            throw LdapErrors.toDomain("reading certificate " + serial.toString(16), e);
        }
    }

    @Override
    public Optional<byte[]> envelopedKey(String issuer, BigInteger serial) {
        try {
            SearchResultEntry entry = ldap.getEntry(names.certificate(CertificateRecord.id(issuer, serial)).toString(),
                    "egovEnvelopedKey");
            return Optional.ofNullable(entry).map(e -> e.getAttributeValueBytes("egovEnvelopedKey"));
        } catch (LDAPException e) {
            throw LdapErrors.toDomain("reading the enveloped key of certificate " + serial.toString(16), e);
        }
    }

    @Override
    public boolean revoke(CertificateRecord r, Revocation revocation) {
        List<Modification> mods = new ArrayList<>();
        // Deleting the value VALID fails unless it is there: the compare-and-swap.
        mods.add(new Modification(ModificationType.DELETE, "egovCertificateStatus", CertificateStatus.VALID.name()));
        mods.add(new Modification(ModificationType.ADD, "egovCertificateStatus", CertificateStatus.REVOKED.name()));
        mods.add(new Modification(ModificationType.REPLACE, "egovRevocationTime", LdapValues.time(revocation.time())));
        mods.add(new Modification(ModificationType.REPLACE, "egovRevocationReason",
                revocation.reason().rfc5280Name()));
        mods.add(new Modification(ModificationType.REPLACE, "egovRevocationCause", revocation.reason().name()));
        mods.add(new Modification(ModificationType.REPLACE, "egovRevocationChannel", revocation.channel().name()));
        mods.add(new Modification(ModificationType.REPLACE, "egovRevokedBy", revocation.revokedBy()));
        if (revocation.invalidityDate() != null) {
            mods.add(new Modification(ModificationType.REPLACE, "egovInvalidityDate",
                    LdapValues.time(revocation.invalidityDate())));
        }
        try {
            marking.modify(names.certificate(r.id()).toString(), mods, SyncMarkers.REVOKED);
            return true;
        } catch (LDAPException e) {
            if (e.getResultCode() == ResultCode.NO_SUCH_ATTRIBUTE) {
                return false;
            }
            throw LdapErrors.toDomain("revoking certificate " + r.id(), e);
        }
    }

    @Override
    public void forEachRevoked(RevokedSelection selection, Consumer<RevokedEntry> sink) {
        List<Filter> filters = new ArrayList<>();
        filters.add(Filter.createEqualityFilter("objectClass", "egovCertificateRecord"));
        filters.add(Filter.createEqualityFilter("egovIssuerName", selection.issuer()));
        filters.add(Filter.createEqualityFilter("egovCertificateStatus", CertificateStatus.REVOKED.name()));
        filters.add(Filter.createGreaterOrEqualFilter("egovNotAfter", LdapValues.time(selection.validAt())));
        if (selection.revokedSince() != null) {
            filters.add(Filter.createGreaterOrEqualFilter("egovRevocationTime",
                    LdapValues.time(selection.revokedSince())));
        }
        if (selection.shard() != null) {
            filters.add(Filter.createEqualityFilter("egovCrlShard", Integer.toString(selection.shard())));
        }
        SearchResultListener listener = new SearchResultListener() {
            @Override
            public void searchEntryReturned(SearchResultEntry e) {
                sink.accept(new RevokedEntry(new BigInteger(e.getAttributeValue("egovSerialNumber"), 16),
                        LdapValues.time(e, "egovRevocationTime"),
                        RevocationReason.rfc5280Code(e.getAttributeValue("egovRevocationReason")),
                        LdapValues.time(e, "egovInvalidityDate")));
            }

            @Override
            public void searchReferenceReturned(SearchResultReference reference) {
            }
        };
        String base = names.container(DirectoryLayout.Container.CERTIFICATES).toString();
        try {
            PagedSearch.run(ldap, pageSize, () -> new SearchRequest(listener, base, SearchScope.ONE,
                    Filter.createANDFilter(filters), "egovSerialNumber", "egovRevocationTime",
                    "egovRevocationReason", "egovInvalidityDate"), page -> { });
        } catch (LDAPException e) {
            throw LdapErrors.toDomain("reading the revoked certificates of CA " + selection.issuer(), e);
        }
    }

    /**
     * What a record of a certificate someone holds is read with: every attribute {@link #toRecord}
     * reads except the TBSCertificate, which only an INTENT needs (it is signed from it) and which
     * is a third of a record's bytes. Lookups (the public page, the REST API, the RFC 4387 store's
     * serial look-ups) ask for this much and no more.
     */
    private static final String[] HELD_ATTRIBUTES = {"egovIssuerName", "egovSerialNumber", "egovRequestDn",
            "egovSubscriberDn", "egovSubjectDn", "egovProfile", "egovCertificateType", "egovKeyUsageKind",
            "egovBusinessType", "egovRegion", "egovCertificateStatus", "egovIssuanceState", "userCertificate",
            "egovNotBefore", "egovNotAfter", "egovSha256Fingerprint", "egovCreatedAt", "egovCrlShard",
            "egovRevocationTime", "egovRevocationCause", "egovInvalidityDate", "egovRevokedBy",
            "egovRevocationChannel"};

    @Override
    public List<CertificateRecord> search(CertificateQuery q) {
        List<Filter> filters = new ArrayList<>();
        if (q.serialHex() != null) {
            filters.add(Filter.createEqualityFilter("egovSerialNumber", q.serialHex()));
        }
        if (q.subjectDn() != null) {
            filters.add(Filter.createEqualityFilter("egovSubjectDn", q.subjectDn()));
        }
        if (q.subscriberId() != null) {
            filters.add(Filter.createEqualityFilter("egovSubscriberDn", names.subscriber(q.subscriberId()).toString()));
        }
        if (q.status() != null) {
            filters.add(Filter.createEqualityFilter("egovCertificateStatus", q.status().name()));
        }
        if (!q.businessTypes().isEmpty()) {
            filters.add(Filter.createORFilter(q.businessTypes().stream()
                    .map(t -> Filter.createEqualityFilter("egovBusinessType", t)).toList()));
        }
        // Intents and voided reservations are not certificates anyone holds.
        filters.add(Filter.createORFilter(Filter.createEqualityFilter("egovIssuanceState", "RECORDED"),
                Filter.createEqualityFilter("egovIssuanceState", "PUBLISHED")));
        return search(Filter.createANDFilter(filters), q.limit(), HELD_ATTRIBUTES);
    }

    private List<CertificateRecord> search(Filter filter, int limit) {
        return search(filter, limit, "*");
    }

    private List<CertificateRecord> search(Filter filter, int limit, String... attributes) {
        Filter scoped = Filter.createANDFilter(Filter.createEqualityFilter("objectClass", "egovCertificateRecord"),
                filter);
        List<SearchResultEntry> entries;
        try {
            SearchRequest request = new SearchRequest(
                    names.container(DirectoryLayout.Container.CERTIFICATES).toString(), SearchScope.ONE, scoped,
                    attributes);
            request.setSizeLimit(limit);
            entries = ldap.search(request).getSearchEntries();
        } catch (LDAPSearchException e) {
            if (e.getResultCode() != ResultCode.SIZE_LIMIT_EXCEEDED) {
                throw LdapErrors.toDomain("searching certificates", e);
            }
            entries = e.getSearchEntries();
        } catch (LDAPException e) {
            throw LdapErrors.toDomain("searching certificates", e);
        }
        List<CertificateRecord> records = new ArrayList<>();
        for (SearchResultEntry entry : entries) {
            records.add(toRecord(entry));
        }
        return records;
    }

    private CertificateRecord toRecord(Entry e) {
        return new CertificateRecord(e.getAttributeValue("egovIssuerName"),
                new BigInteger(e.getAttributeValue("egovSerialNumber"), 16),
                DirectoryNames.rdnValue(e.getAttributeValue("egovRequestDn")),
                DirectoryNames.rdnValue(e.getAttributeValue("egovSubscriberDn")),
                e.getAttributeValue("egovSubjectDn"), e.getAttributeValue("egovProfile"),
                CertificateType.valueOf(e.getAttributeValue("egovCertificateType")),
                KeyUsageKind.valueOf(e.getAttributeValue("egovKeyUsageKind")),
                e.getAttributeValue("egovBusinessType"), e.getAttributeValue("egovRegion"),
                CertificateStatus.valueOf(e.getAttributeValue("egovCertificateStatus")),
                IssuanceState.valueOf(e.getAttributeValue("egovIssuanceState")),
                e.getAttributeValueBytes("egovTbsCertificate"), LdapValues.binary(e, "userCertificate"),
                LdapValues.time(e, "egovNotBefore"), LdapValues.time(e, "egovNotAfter"),
                e.getAttributeValue("egovSha256Fingerprint"), LdapValues.time(e, "egovCreatedAt"),
                e.hasAttribute("egovCrlShard") ? e.getAttributeValueAsInteger("egovCrlShard") : 0, revocation(e));
    }

    private static Revocation revocation(Entry e) {
        if (!CertificateStatus.REVOKED.name().equals(e.getAttributeValue("egovCertificateStatus"))) {
            return null;
        }
        String cause = e.getAttributeValue("egovRevocationCause");
        String channel = e.getAttributeValue("egovRevocationChannel");
        return new Revocation(LdapValues.time(e, "egovRevocationTime"),
                cause == null ? RevocationReason.HOLDER_REQUEST : RevocationReason.parse(cause),
                LdapValues.time(e, "egovInvalidityDate"), String.valueOf(e.getAttributeValue("egovRevokedBy")),
                channel == null ? RevocationChannel.OPERATOR : RevocationChannel.valueOf(channel));
    }
}
