package org.egovpki.directory;

import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPInterface;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.egovpki.core.certificate.CertificateRecord;
import org.egovpki.core.certificate.RevocationReason;
import org.egovpki.core.ocsp.CertificateStatusSource;
import org.egovpki.core.ocsp.RecentRevocations;
import org.egovpki.core.ocsp.RevocationStatus;
import org.egovpki.core.ocsp.UnexpiredCertificates;
import org.egovpki.schema.DirectoryLayout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Certificate status for OCSP, read from the certificate records: one base-object read by the
 * record's DN ({@code egovCertificateId=<ca>-<serial>}). A serial with no record, or only an
 * intent or a voided reservation, was never issued, so the answer is "unknown" — never "good".
 * Also the unexpired certificates whose answers are signed ahead: one paged search of the records
 * by issuance state (indexed in both directories) and notAfter (indexed for ranges in the embedded
 * directory; slapd tests it on the candidates), reading only what a status needs.
 */
public final class LdapCertificateStatusSource implements CertificateStatusSource, UnexpiredCertificates,
        RecentRevocations {

    private static final Logger LOG = LoggerFactory.getLogger(LdapCertificateStatusSource.class);

    /** Records per page of the walk: a page's statuses are read, and then signed, together. */
    static final int PAGE = 500;
    private static final String[] UNEXPIRED_ATTRIBUTES = {"egovIssuerName", "egovSerialNumber", "egovNotAfter",
        "egovCertificateStatus", "egovRevocationTime", "egovRevocationReason"};

    private static final String[] ATTRIBUTES = {"egovIssuanceState", "egovCertificateStatus", "egovRevocationTime",
        "egovRevocationReason"};

    private final LDAPInterface ldap;
    private final DirectoryNames names;
    private final int pageSize;

    public LdapCertificateStatusSource(LDAPInterface ldap, DirectoryNames names) {
        this(ldap, names, PAGE);
    }

    /** @param pageSize records per page of {@link #forEachPage} (tests use small pages) */
    LdapCertificateStatusSource(LDAPInterface ldap, DirectoryNames names, int pageSize) {
        this.ldap = Objects.requireNonNull(ldap, "ldap");
        this.names = Objects.requireNonNull(names, "names");
        if (pageSize < 1) {
            throw new IllegalArgumentException("page size " + pageSize + " must be at least 1");
        }
        this.pageSize = pageSize;
    }

    @Override
    public Optional<RevocationStatus> status(String issuerName, BigInteger serial) {
        if (serial.signum() <= 0) {
            return Optional.empty(); // no CA issues it, and a record id cannot name it
        }
        SearchResultEntry entry;
        try {
            entry = ldap.getEntry(names.certificate(CertificateRecord.id(issuerName, serial)).toString(), ATTRIBUTES);
        } catch (LDAPException e) {
            throw LdapErrors.toDomain("reading the status of serial " + serial.toString(16), e);
        }
        if (entry == null) {
            return Optional.empty();
        }
        String state = entry.getAttributeValue("egovIssuanceState");
        if (!"RECORDED".equalsIgnoreCase(state) && !"PUBLISHED".equalsIgnoreCase(state)) {
            return Optional.empty();
        }
        return Optional.of(statusOf(entry));
    }

    @Override
    public void forEachPage(Instant at, Consumer<List<Unexpired>> page) {
        Filter filter = Filter.createANDFilter(Filter.createEqualityFilter("objectClass", "egovCertificateRecord"),
                Filter.createORFilter(Filter.createEqualityFilter("egovIssuanceState", "RECORDED"),
                        Filter.createEqualityFilter("egovIssuanceState", "PUBLISHED")),
                Filter.createGreaterOrEqualFilter("egovNotAfter", LdapValues.time(at)));
        String base = names.container(DirectoryLayout.Container.CERTIFICATES).toString();
        try {
            PagedSearch.run(ldap, pageSize, () -> new SearchRequest(base, SearchScope.ONE, filter, UNEXPIRED_ATTRIBUTES),
                    result -> {
                        List<Unexpired> certificates = new ArrayList<>(result.getEntryCount());
                        for (SearchResultEntry entry : result.getSearchEntries()) {
                            try {
                                certificates.add(new Unexpired(entry.getAttributeValue("egovIssuerName"),
                                        new BigInteger(entry.getAttributeValue("egovSerialNumber"), 16),
                                        statusOf(entry), LdapValues.time(entry, "egovNotAfter")));
                            } catch (RuntimeException e) {
                                // Its first request reads it the usual way, and answers tryLater or unknown if unreadable.
                                LOG.warn("certificate record {} is unreadable and is not signed ahead: {}", entry.getDN(),
                                        e.toString());
                            }
                        }
                        if (!certificates.isEmpty()) {
                            page.accept(certificates);
                        }
                    });
        } catch (LDAPException e) {
            throw LdapErrors.toDomain("reading the unexpired certificates to sign their OCSP answers ahead", e);
        }
    }

    /**
     * The records revoked at or after {@code since}: by status (indexed) and revocation time (indexed
     * for ranges in the embedded directory), paged, three attributes each.
     */
    @Override
    public List<Revoked> since(Instant since) {
        Filter filter = Filter.createANDFilter(Filter.createEqualityFilter("objectClass", "egovCertificateRecord"),
                Filter.createEqualityFilter("egovCertificateStatus", "REVOKED"),
                Filter.createGreaterOrEqualFilter("egovRevocationTime", LdapValues.time(since)));
        String base = names.container(DirectoryLayout.Container.CERTIFICATES).toString();
        List<Revoked> revoked = new ArrayList<>();
        try {
            PagedSearch.run(ldap, pageSize, () -> new SearchRequest(base, SearchScope.ONE, filter, "egovIssuerName",
                    "egovSerialNumber", "egovRevocationTime"), result -> {
                        for (SearchResultEntry entry : result.getSearchEntries()) {
                            try {
                                revoked.add(new Revoked(entry.getAttributeValue("egovIssuerName"),
                                        new BigInteger(entry.getAttributeValue("egovSerialNumber"), 16),
                                        LdapValues.time(entry, "egovRevocationTime")));
                            } catch (RuntimeException e) {
                                LOG.warn("revoked certificate record {} is unreadable: {}", entry.getDN(), e.toString());
                            }
                        }
                    });
        } catch (LDAPException e) {
            throw LdapErrors.toDomain("reading the revocations recorded since " + since, e);
        }
        return revoked;
    }

    private static RevocationStatus statusOf(SearchResultEntry entry) {
        if ("REVOKED".equalsIgnoreCase(entry.getAttributeValue("egovCertificateStatus"))) {
            return RevocationStatus.revoked(LdapValues.time(entry, "egovRevocationTime"),
                    RevocationReason.rfc5280Code(entry.getAttributeValue("egovRevocationReason")));
        }
        return RevocationStatus.good();
    }
}
