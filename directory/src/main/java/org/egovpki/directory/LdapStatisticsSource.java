package org.egovpki.directory;

import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPInterface;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;
import org.egovpki.core.stats.StatisticsSource;
import org.egovpki.schema.DirectoryLayout;

/**
 * The statistics' view of the certificate records and requests: range searches on indexed times
 * ({@code egovCreatedAt}, {@code egovRevocationTime}, {@code egovNotAfter}; {@code egovDecidedAt},
 * {@code egovIssuedAt}: {@code EmbeddedDirectorySettings.INDEXED_ATTRIBUTES}), paged, reading only
 * the attributes the figures need — never registration data.
 */
public final class LdapStatisticsSource implements StatisticsSource {

    private static final int PAGE = 500;
    private static final String[] CERTIFICATE_ATTRIBUTES = {"egovBusinessType", "egovRegion", "egovCertificateType",
            "egovIssuanceState", "egovCreatedAt", "egovNotAfter", "egovRevocationTime", "egovRevocationCause"};
    private static final String[] REQUEST_ATTRIBUTES = {"egovRequestKind", "egovConfirmedState", "egovBusinessType",
            "egovRegion", "egovCertificateType", "egovSubmittedAt", "egovDecidedAt", "egovIssuedAt", "egovResultSerial"};

    private final LDAPInterface ldap;
    private final DirectoryNames names;

    public LdapStatisticsSource(LDAPInterface ldap, DirectoryNames names) {
        this.ldap = Objects.requireNonNull(ldap, "ldap");
        this.names = Objects.requireNonNull(names, "names");
    }

    @Override
    public List<CertificateFact> certificates(Instant from, Instant to) {
        List<CertificateFact> found = new ArrayList<>();
        forEachCertificate(from, to, found::add);
        return found;
    }

    /** Page by page: the facts of one page at a time are in the heap, not a million of them. */
    @Override
    public void forEachCertificate(Instant from, Instant to, Consumer<CertificateFact> sink) {
        Filter filter = Filter.createANDFilter(Filter.createEqualityFilter("objectClass", "egovCertificateRecord"),
                Filter.createORFilter(range("egovCreatedAt", from, to), range("egovRevocationTime", from, to),
                        range("egovNotAfter", from, to)));
        each(DirectoryLayout.Container.CERTIFICATES, filter, CERTIFICATE_ATTRIBUTES, e -> {
            String state = e.getAttributeValue("egovIssuanceState");
            return new CertificateFact(e.getAttributeValue("egovBusinessType"), e.getAttributeValue("egovRegion"),
                    e.getAttributeValue("egovCertificateType"), "RECORDED".equals(state) || "PUBLISHED".equals(state),
                    LdapValues.time(e, "egovCreatedAt"), LdapValues.time(e, "egovNotAfter"),
                    LdapValues.time(e, "egovRevocationTime"), e.getAttributeValue("egovRevocationCause"));
        }, sink, "certificate records");
    }

    @Override
    public List<RequestFact> requests(Instant from, Instant to) {
        Filter filter = Filter.createANDFilter(Filter.createEqualityFilter("objectClass", "egovEnrollmentRequest"),
                Filter.createORFilter(range("egovDecidedAt", from, to), range("egovIssuedAt", from, to)));
        return search(DirectoryLayout.Container.REQUESTS, filter, REQUEST_ATTRIBUTES, this::request, "requests");
    }

    @Override
    public List<RequestFact> undecided(int limit) {
        Filter filter = Filter.createANDFilter(Filter.createEqualityFilter("objectClass", "egovEnrollmentRequest"),
                Filter.createEqualityFilter("egovConfirmedState", "SUBMITTED"));
        List<RequestFact> found = search(DirectoryLayout.Container.REQUESTS, filter, REQUEST_ATTRIBUTES, this::request,
                "undecided requests");
        return found.size() > limit ? found.subList(0, limit) : found;
    }

    private RequestFact request(SearchResultEntry e) {
        return new RequestFact(e.getAttributeValue("egovRequestKind"), e.getAttributeValue("egovConfirmedState"),
                e.getAttributeValue("egovBusinessType"), e.getAttributeValue("egovRegion"),
                e.getAttributeValue("egovCertificateType"), LdapValues.time(e, "egovSubmittedAt"),
                LdapValues.time(e, "egovDecidedAt"), LdapValues.time(e, "egovIssuedAt"),
                LdapValues.values(e, "egovResultSerial").size());
    }

    /** {@code from <= attribute < to}. */
    private static Filter range(String attribute, Instant from, Instant to) {
        return Filter.createANDFilter(Filter.createGreaterOrEqualFilter(attribute, LdapValues.time(from)),
                Filter.createNOTFilter(Filter.createGreaterOrEqualFilter(attribute, LdapValues.time(to))));
    }

    private <T> List<T> search(DirectoryLayout.Container container, Filter filter, String[] attributes,
                               Function<SearchResultEntry, T> mapper, String what) {
        List<T> found = new ArrayList<>();
        each(container, filter, attributes, mapper, found::add, what);
        return found;
    }

    private <T> void each(DirectoryLayout.Container container, Filter filter, String[] attributes,
                          Function<SearchResultEntry, T> mapper, Consumer<T> sink, String what) {
        String base = names.container(container).toString();
        try {
            PagedSearch.run(ldap, PAGE, () -> new SearchRequest(base, SearchScope.ONE, filter, attributes),
                    page -> page.getSearchEntries().forEach(entry -> sink.accept(mapper.apply(entry))));
        } catch (LDAPException e) {
            throw LdapErrors.toDomain("reading the " + what + " for the statistics", e);
        }
    }
}
