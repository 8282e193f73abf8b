package org.egovpki.directory.km;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPInterface;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.SearchResultEntry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.egovpki.core.DomainException;
import org.egovpki.core.operator.Role;
import org.egovpki.core.km.centre.Approval;
import org.egovpki.core.km.centre.RecoveryKind;
import org.egovpki.core.km.centre.RecoveryRequest;
import org.egovpki.core.km.centre.RecoveryState;
import org.egovpki.core.km.centre.RecoveryStore;
import org.egovpki.directory.DirectoryNames;
import org.egovpki.directory.LdapValues;

/**
 * Key recovery requests under {@code ou=km}, {@code egovRequestId=<id>}: structural class
 * {@code egovKeyRecoveryRequest} plus the auxiliary {@code egovKeyRecoveryDetails} (CA, key id,
 * officer certificate, rejection reason, delivery time). Only the KM's service account can read
 * or write them, so {@code ldap} must be bound as that account.
 *
 * <p>Each approval is one value of {@code egovApprovals}, {@code ROLE:DN:time} with the time in
 * generalized time; the DNs are also in {@code egovApprovedBy}, for searching in a browser. A
 * directory keeps no order among the values of an attribute, so the approvals are read back in
 * the order of their times. Every state change is one compare-and-swap modify on
 * {@code egovRequestState} that also rewrites the approvals, the challenge and the decision, so
 * two approvers acting at once cannot both be the first, and a lost race writes nothing.
 */
public final class LdapRecoveryStore implements RecoveryStore {

    /**
     * Most requests {@link #list} orders by time when more match than were asked for. Recovery
     * requests are counted in thousands over the life of a KM, not millions; only two attributes
     * of each are read for the ordering.
     */
    static final int LIST_SCAN_LIMIT = 10_000;

    private static final String CLASS = "egovKeyRecoveryRequest";
    private static final String DETAILS = "egovKeyRecoveryDetails";
    private static final String STATE = "egovRequestState";
    private static final String APPROVALS = "egovApprovals";
    private static final String APPROVED_BY = "egovApprovedBy";
    private static final String OFFICER_CERTIFICATE = "userCertificate;binary";
    private static final Comparator<RecoveryRequest> OLDEST_FIRST = Comparator.comparing(RecoveryRequest::submittedAt)
            .thenComparing(RecoveryRequest::id);

    private final KmSubtree km;
    private final DirectoryNames names;

    public LdapRecoveryStore(LDAPInterface ldap, DirectoryNames names) {
        this.names = Objects.requireNonNull(names, "names");
        this.km = new KmSubtree(ldap, names);
    }

    @Override
    public void create(RecoveryRequest r) {
        List<Attribute> a = new ArrayList<>();
        a.add(new Attribute("objectClass", "top", CLASS, DETAILS));
        a.add(new Attribute("egovRequestId", r.id()));
        a.add(new Attribute("egovRecoveryKind", r.kind().name()));
        a.add(new Attribute(STATE, r.state().name()));
        a.add(new Attribute("egovIssuerName", r.caName()));
        a.add(new Attribute("egovSerialNumber", r.serialHex()));
        a.add(new Attribute("egovKeyId", r.keyId()));
        LdapValues.put(a, "egovSubscriberDn", r.subscriberDn());
        LdapValues.put(a, "egovRequestReason", r.reason());
        LdapValues.put(a, "egovLegalDocumentRef", r.legalDocumentRef());
        if (r.officerCertificate() != null) {
            a.add(new Attribute(OFFICER_CERTIFICATE, r.officerCertificate()));
        }
        a.add(new Attribute("egovEnteredBy", r.enteredBy()));
        a.add(new Attribute("egovSubmittedAt", LdapValues.time(r.submittedAt())));
        LdapValues.put(a, APPROVALS, approvals(r.approvals()));
        LdapValues.put(a, APPROVED_BY, approvers(r.approvals()));
        LdapValues.put(a, "egovChallengeHash", r.challengeHash());
        putTime(a, "egovChallengeExpires", r.challengeExpires());
        putTime(a, "egovRecoveredAt", r.completedAt());
        putTime(a, "egovDecidedAt", r.decidedAt());
        LdapValues.put(a, "egovRejectionReason", r.rejectionReason());
        if (!km.add(new Entry(names.keyRecovery(r.id()), a), "key recovery request " + r.id())) {
            throw DomainException.conflict("key recovery request " + r.id() + " exists already; a new request needs "
                    + "a new id");
        }
    }

    @Override
    public Optional<RecoveryRequest> find(String id) {
        return Optional.ofNullable(km.read(names.keyRecovery(id), "key recovery request " + id))
                .map(LdapRecoveryStore::toRequest);
    }

    @Override
    public List<RecoveryRequest> list(RecoveryState state, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive, was " + limit);
        }
        int wanted = Math.min(limit, LIST_SCAN_LIMIT);
        Filter filter = state == null ? Filter.createEqualityFilter("objectClass", CLASS)
                : Filter.createANDFilter(Filter.createEqualityFilter("objectClass", CLASS),
                        Filter.createEqualityFilter(STATE, state.name()));
        String what = "key recovery requests" + (state == null ? "" : " in state " + state);
        // The usual case, few matches: one search reads them all.
        List<SearchResultEntry> found = km.search(filter, wanted + 1, what);
        List<RecoveryRequest> requests = new ArrayList<>();
        if (found.size() <= wanted) {
            found.forEach(e -> requests.add(toRequest(e)));
            requests.sort(OLDEST_FIRST);
            return requests;
        }
        // More match than asked for, and the directory returns them in no particular order: order
        // them by their submission times, then read the oldest in full.
        List<SearchResultEntry> times = new ArrayList<>(km.search(filter, LIST_SCAN_LIMIT, what, "egovRequestId",
                "egovSubmittedAt"));
        times.sort(Comparator.comparing((SearchResultEntry e) -> KmSubtree.requiredTime(e, "egovSubmittedAt"))
                .thenComparing(e -> KmSubtree.required(e, "egovRequestId")));
        for (SearchResultEntry entry : times.subList(0, Math.min(wanted, times.size()))) {
            find(KmSubtree.required(entry, "egovRequestId")).ifPresent(requests::add);
        }
        return requests;
    }

    @Override
    public boolean transition(RecoveryState expected, RecoveryRequest updated) {
        // What a step may change: approvals, the challenge, delivery and the decision. Who asked,
        // for which key and why are fixed when the request is entered.
        List<String> approvals = approvals(updated.approvals());
        List<String> approvers = approvers(updated.approvals());
        List<Modification> changes = List.of(
                new Modification(ModificationType.REPLACE, APPROVALS, approvals.toArray(String[]::new)),
                new Modification(ModificationType.REPLACE, APPROVED_BY, approvers.toArray(String[]::new)),
                KmSubtree.replace("egovChallengeHash", updated.challengeHash()),
                KmSubtree.replace("egovChallengeExpires", time(updated.challengeExpires())),
                KmSubtree.replace("egovRecoveredAt", time(updated.completedAt())),
                KmSubtree.replace("egovDecidedAt", time(updated.decidedAt())),
                KmSubtree.replace("egovRejectionReason", updated.rejectionReason()));
        return km.compareAndSwap(names.keyRecovery(updated.id()), STATE, expected.name(), updated.state().name(),
                changes, "key recovery request " + updated.id());
    }

    /** {@code ROLE:DN:time}, one value per approval. */
    static List<String> approvals(List<Approval> approvals) {
        return approvals.stream().map(a -> a.role().name() + ":" + a.operatorDn() + ":" + LdapValues.time(a.at()))
                .toList();
    }

    /**
     * The approvers' DNs, each once: the directory compares DNs by their normalised form and
     * refuses a value twice, so two spellings of one DN must not both be written.
     */
    private static List<String> approvers(List<Approval> approvals) {
        Map<String, String> byNormalised = new LinkedHashMap<>();
        for (Approval approval : approvals) {
            byNormalised.putIfAbsent(normalised(approval.operatorDn()), approval.operatorDn());
        }
        return List.copyOf(byNormalised.values());
    }

    private static String normalised(String dn) {
        try {
            return new DN(dn).toNormalizedString();
        } catch (LDAPException notADn) {
            // The directory will refuse it with its own message.
            return dn.toLowerCase(Locale.ROOT);
        }
    }

    /** Parses {@code ROLE:DN:time}; the DN may itself hold colons, the role and the time cannot. */
    static Approval approval(Entry e, String value) {
        int first = value.indexOf(':');
        int last = value.lastIndexOf(':');
        if (first < 0 || last <= first) {
            throw new DomainException(DomainException.Kind.INTERNAL, e.getDN() + " has " + APPROVALS + " '" + value
                    + "', which is not ROLE:DN:time");
        }
        try {
            Role role = Role.valueOf(value.substring(0, first).strip().toUpperCase(Locale.ROOT));
            String time = value.substring(last + 1).strip();
            Instant at = LdapValues.time(time);
            if (at == null) {
                throw new IllegalArgumentException("'" + time + "' is not a generalized time");
            }
            return new Approval(role, value.substring(first + 1, last), at);
        } catch (IllegalArgumentException bad) {
            throw new DomainException(DomainException.Kind.INTERNAL, e.getDN() + " has " + APPROVALS + " '" + value
                    + "', which is not ROLE:DN:time with a KM role and a generalized time: " + bad.getMessage(), null,
                    bad);
        }
    }

    private static RecoveryRequest toRequest(Entry e) {
        List<Approval> approvals = new ArrayList<>();
        for (String value : LdapValues.values(e, APPROVALS)) {
            approvals.add(approval(e, value));
        }
        approvals.sort(Comparator.comparing(Approval::at));
        try {
            return new RecoveryRequest(KmSubtree.required(e, "egovRequestId"),
                    KmSubtree.parse(RecoveryKind.class, e, "egovRecoveryKind"), KmSubtree.required(e, "egovIssuerName"),
                    KmSubtree.serial(e), KmSubtree.required(e, "egovKeyId"), e.getAttributeValue("egovSubscriberDn"),
                    e.getAttributeValue("egovRequestReason"), e.getAttributeValue("egovLegalDocumentRef"),
                    LdapValues.binary(e, "userCertificate"), KmSubtree.required(e, "egovEnteredBy"),
                    KmSubtree.requiredTime(e, "egovSubmittedAt"), approvals,
                    KmSubtree.parse(RecoveryState.class, e, STATE), e.getAttributeValue("egovChallengeHash"),
                    LdapValues.time(e, "egovChallengeExpires"), LdapValues.time(e, "egovRecoveredAt"),
                    LdapValues.time(e, "egovDecidedAt"), e.getAttributeValue("egovRejectionReason"));
        } catch (IllegalArgumentException inconsistent) {
            throw KmSubtree.broken(e, inconsistent);
        }
    }

    private static void putTime(List<Attribute> attributes, String name, Instant value) {
        if (value != null) {
            attributes.add(new Attribute(name, LdapValues.time(value)));
        }
    }

    private static String time(Instant value) {
        return value == null ? null : LdapValues.time(value);
    }
}
