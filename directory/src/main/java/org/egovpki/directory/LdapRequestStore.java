package org.egovpki.directory;

import com.unboundid.ldap.sdk.Attribute;
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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.egovpki.core.DomainException;
import org.egovpki.core.enroll.EnrollmentRequest;
import org.egovpki.core.enroll.RequestKind;
import org.egovpki.core.enroll.RequestState;
import org.egovpki.core.enroll.RequestStore;
import org.egovpki.core.profile.CertificateType;
import org.egovpki.schema.DirectoryLayout;

/**
 * Enrollment requests under {@code ou=requests} ({@code egovEnrollmentRequest}). The CA writes
 * every state twice, to {@code egovRequestState} (what an LDAP browser shows) and to
 * {@code egovConfirmedState} (its own record); operators can write neither. The domain state is
 * the confirmed one, and a differing {@code egovRequestState} is a change the CA did not make,
 * which {@link LdapDecisionInbox} reports so that it is put back. State changes are
 * compare-and-swap on the confirmed state. Reviewers decide in a browser by adding a decision
 * entry below the request ({@link LdapDecisionInbox}).
 */
public final class LdapRequestStore implements RequestStore {

    private static final Set<ResultCode> RACE_LOST = Set.of(ResultCode.NO_SUCH_ATTRIBUTE,
            ResultCode.ATTRIBUTE_OR_VALUE_EXISTS, ResultCode.NO_SUCH_OBJECT, ResultCode.CONSTRAINT_VIOLATION);
    /** What the entry shows and what an operator may write. */
    private static final String STATE = "egovRequestState";
    /** What the CA last wrote: the state the CA acts on. Operators cannot write it. */
    private static final String CONFIRMED = "egovConfirmedState";

    private final LDAPInterface ldap;
    private final DirectoryNames names;

    public LdapRequestStore(LDAPInterface ldap, DirectoryNames names) {
        this.ldap = Objects.requireNonNull(ldap, "ldap");
        this.names = Objects.requireNonNull(names, "names");
    }

    @Override
    public void create(EnrollmentRequest r) {
        DN dn = names.request(r.id());
        List<Attribute> attributes = new ArrayList<>();
        attributes.add(new Attribute("objectClass", "top", "egovEnrollmentRequest"));
        attributes.add(new Attribute("egovRequestId", r.id()));
        attributes.add(new Attribute("egovRequestKind", r.kind().name()));
        LdapValues.put(attributes, "egovOriginalSerial", r.originalSerial());
        attributes.add(new Attribute(STATE, r.state().name()));
        attributes.add(new Attribute(CONFIRMED, r.state().name()));
        attributes.add(new Attribute("egovPkcs10", r.csrDer()));
        attributes.add(new Attribute("egovProfile", r.profile()));
        attributes.add(new Attribute("egovCertificateType", r.type().name()));
        attributes.add(new Attribute("egovSubscriberId", r.subscriberId()));
        attributes.add(new Attribute("egovSubscriberDn", names.subscriber(r.subscriberId()).toString()));
        attributes.add(new Attribute("egovSubjectDn", r.subjectDn()));
        attributes.addAll(LdapValues.registration(r.registration()));
        LdapValues.put(attributes, "egovBusinessType", r.businessType());
        LdapValues.put(attributes, "egovRegion", r.region());
        attributes.add(new Attribute("egovPublishOptOut", LdapValues.bool(r.publishOptOut())));
        LdapValues.put(attributes, "egovChallengeHash", r.challengeHash());
        attributes.add(new Attribute("egovAgreementAccepted", LdapValues.bool(r.agreementAcceptedAt() != null)));
        if (r.agreementAcceptedAt() != null) {
            attributes.add(new Attribute("egovAgreementAcceptedAt", LdapValues.time(r.agreementAcceptedAt())));
        }
        attributes.add(new Attribute("egovEnteredBy", r.enteredBy()));
        attributes.add(new Attribute("egovSubmittedAt", LdapValues.time(r.submittedAt())));
        LdapValues.put(attributes, "egovReviewedBy", r.reviewedBy());
        if (r.decidedAt() != null) {
            attributes.add(new Attribute("egovDecidedAt", LdapValues.time(r.decidedAt())));
        }
        try {
            ldap.add(new Entry(dn, attributes));
        } catch (LDAPException e) {
            throw LdapErrors.toDomain("storing request " + r.id(), e);
        }
    }

    @Override
    public Optional<EnrollmentRequest> find(String id) {
        try {
            SearchResultEntry entry = ldap.getEntry(names.request(id).toString(), "*");
            return Optional.ofNullable(entry).map(this::toRequest);
        } catch (LDAPException e) {
            throw LdapErrors.toDomain("reading request " + id, e);
        }
    }

    @Override
    public List<EnrollmentRequest> findByState(RequestState state, int limit) {
        Filter filter = Filter.createANDFilter(Filter.createEqualityFilter("objectClass", "egovEnrollmentRequest"),
                Filter.createEqualityFilter(CONFIRMED, state.name()));
        List<EnrollmentRequest> found = new ArrayList<>();
        for (SearchResultEntry entry : search(filter, limit, "*")) {
            found.add(toRequest(entry));
        }
        found.sort(Comparator.comparing(EnrollmentRequest::submittedAt));
        return found;
    }

    @Override
    public boolean transition(RequestState expected, EnrollmentRequest updated) {
        List<Modification> mods = new ArrayList<>();
        mods.add(new Modification(ModificationType.DELETE, CONFIRMED, expected.name()));
        mods.add(new Modification(ModificationType.ADD, CONFIRMED, updated.state().name()));
        mods.add(new Modification(ModificationType.REPLACE, STATE, updated.state().name()));
        replace(mods, "egovReviewedBy", updated.reviewedBy());
        replace(mods, "egovDecidedAt", updated.decidedAt() == null ? null : LdapValues.time(updated.decidedAt()));
        replace(mods, "egovIssuedAt", updated.issuedAt() == null ? null : LdapValues.time(updated.issuedAt()));
        replace(mods, "egovRejectionReason", updated.rejectionReason());
        mods.add(updated.resultSerials().isEmpty()
                ? new Modification(ModificationType.REPLACE, "egovResultSerial")
                : new Modification(ModificationType.REPLACE, "egovResultSerial",
                        updated.resultSerials().toArray(String[]::new)));
        mods.add(new Modification(ModificationType.REPLACE, "egovDecisionNote"));
        return modifyIfUnchanged(updated.id(), mods);
    }

    private static void replace(List<Modification> mods, String attribute, String value) {
        mods.add(value == null ? new Modification(ModificationType.REPLACE, attribute)
                : new Modification(ModificationType.REPLACE, attribute, value));
    }

    private boolean modifyIfUnchanged(String id, List<Modification> mods) {
        try {
            ldap.modify(names.request(id).toString(), mods);
            return true;
        } catch (LDAPException e) {
            if (RACE_LOST.contains(e.getResultCode())) {
                return false;
            }
            throw LdapErrors.toDomain("updating request " + id, e);
        }
    }

    private List<SearchResultEntry> search(Filter filter, int limit, String... attributes) {
        try {
            SearchRequest request = new SearchRequest(names.container(DirectoryLayout.Container.REQUESTS).toString(),
                    SearchScope.ONE, filter, attributes);
            request.setSizeLimit(limit);
            return ldap.search(request).getSearchEntries();
        } catch (LDAPSearchException e) {
            if (e.getResultCode() == ResultCode.SIZE_LIMIT_EXCEEDED) {
                return e.getSearchEntries();
            }
            throw LdapErrors.toDomain("searching requests", e);
        } catch (LDAPException e) {
            throw LdapErrors.toDomain("searching requests", e);
        }
    }

    /** The state the CA confirmed (entries written before egovConfirmedState existed: the shown state). */
    private static RequestState state(Entry e) {
        return parse(e, e.hasAttribute(CONFIRMED) ? CONFIRMED : STATE);
    }

    /** Parses a state value; a browser may write it in any case ("approved"), which the directory accepts. */
    private static RequestState parse(Entry e, String attribute) {
        String value = e.getAttributeValue(attribute);
        try {
            return RequestState.valueOf(value.strip().toUpperCase(java.util.Locale.ROOT));
        } catch (RuntimeException unknown) {
            throw new DomainException(DomainException.Kind.INTERNAL, "request entry " + e.getDN() + " has " + attribute
                    + " '" + value + "', which is none of " + java.util.List.of(RequestState.values()));
        }
    }

    private EnrollmentRequest toRequest(Entry e) {
        byte[] csr = e.getAttributeValueBytes("egovPkcs10");
        if (csr == null) {
            throw new DomainException(DomainException.Kind.INTERNAL, "request entry " + e.getDN() + " has no egovPkcs10");
        }
        return new EnrollmentRequest(e.getAttributeValue("egovRequestId"),
                state(e), csr, e.getAttributeValue("egovProfile"),
                CertificateType.valueOf(e.getAttributeValue("egovCertificateType")),
                e.getAttributeValue("egovSubscriberId"), e.getAttributeValue("egovSubjectDn"),
                LdapValues.registration(e), e.getAttributeValue("egovBusinessType"), e.getAttributeValue("egovRegion"),
                LdapValues.bool(e, "egovPublishOptOut"), e.getAttributeValue("egovChallengeHash"),
                LdapValues.time(e, "egovAgreementAcceptedAt"), e.getAttributeValue("egovEnteredBy"),
                e.getAttributeValue("egovReviewedBy"), LdapValues.time(e, "egovSubmittedAt"),
                LdapValues.time(e, "egovDecidedAt"), LdapValues.time(e, "egovIssuedAt"),
                e.getAttributeValue("egovRejectionReason"), LdapValues.values(e, "egovResultSerial"), kind(e),
                e.getAttributeValue("egovOriginalSerial"));
    }

    /** The request kind; NEW for an entry without one. */
    private static RequestKind kind(Entry e) {
        String value = e.getAttributeValue("egovRequestKind");
        try {
            return value == null ? RequestKind.NEW : RequestKind.valueOf(value.strip().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException unknown) {
            throw new DomainException(DomainException.Kind.INTERNAL, "request entry " + e.getDN()
                    + " has egovRequestKind '" + value + "', which is none of " + List.of(RequestKind.values()));
        }
    }
}
