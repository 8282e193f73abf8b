package org.egovpki.directory;

import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPInterface;
import com.unboundid.ldap.sdk.LDAPSearchException;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.RDN;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.egovpki.core.DomainException;
import org.egovpki.core.enroll.DecisionInbox;
import org.egovpki.core.enroll.RequestState;
import org.egovpki.schema.DirectoryLayout;

/**
 * The decisions operators add in an LDAP browser ({@code egovRequestDecision} entries directly
 * below a request) and the requests whose shown state the CA did not write.
 *
 * <p>The author of a decision is the entry's {@code creatorsName}, which the directory sets itself
 * when the entry is added and refuses from any client but its administrator; operators may add
 * decision entries but neither modify nor delete them (see {@code ApacheDsAccessControl} and the
 * OpenLDAP rules in docs/directory.md). The CA reads the author and the decision value from the
 * same entry, written in one add, so nothing needs to be inferred from whoever modified the
 * request last.
 */
public final class LdapDecisionInbox implements DecisionInbox {

    private static final String STATE = "egovRequestState";
    private static final String CONFIRMED = "egovConfirmedState";
    private static final Set<ResultCode> RACE_LOST = Set.of(ResultCode.NO_SUCH_ATTRIBUTE,
            ResultCode.ATTRIBUTE_OR_VALUE_EXISTS, ResultCode.NO_SUCH_OBJECT, ResultCode.CONSTRAINT_VIOLATION);

    private final LDAPInterface ldap;
    private final DirectoryNames names;

    public LdapDecisionInbox(LDAPInterface ldap, DirectoryNames names) {
        this.ldap = Objects.requireNonNull(ldap, "ldap");
        this.names = Objects.requireNonNull(names, "names");
    }

    @Override
    public List<Decision> decisions(int limit) {
        List<Decision> found = new ArrayList<>();
        for (SearchResultEntry entry : search(SearchScope.SUB, Filter.createEqualityFilter("objectClass",
                "egovRequestDecision"), limit, "egovDecision", "egovRejectionReason", "creatorsName",
                "createTimestamp")) {
            String author = entry.getAttributeValue("creatorsName");
            Instant added = LdapValues.time(entry, "createTimestamp");
            found.add(new Decision(entry.getDN(), requestIdAbove(entry), entry.getAttributeValue("egovDecision"),
                    entry.getAttributeValue("egovRejectionReason"), author == null ? "" : author,
                    added == null ? Instant.EPOCH : added));
        }
        found.sort(Comparator.comparing(Decision::addedAt).thenComparing(Decision::entry));
        return found;
    }

    /** The id of the request the decision entry is a direct child of; {@code null} if it is anywhere else. */
    private String requestIdAbove(SearchResultEntry entry) {
        try {
            DN parent = entry.getParsedDN().getParent();
            if (parent == null || parent.getRDN() == null) {
                return null;
            }
            RDN rdn = parent.getRDN();
            if (rdn.getAttributeNames().length != 1 || !rdn.hasAttribute("egovRequestId")) {
                return null;
            }
            String id = rdn.getAttributeValues()[0];
            return names.request(id).equals(parent) ? id : null;
        } catch (LDAPException e) {
            return null;
        }
    }

    @Override
    public boolean claim(Decision decision) {
        try {
            ldap.delete(decision.entry());
            return true;
        } catch (LDAPException e) {
            if (e.getResultCode() == ResultCode.NO_SUCH_OBJECT) {
                return false;
            }
            // The entry's name is its author's choice: only its start goes into the error (and the log).
            String name = decision.entry().length() > 300 ? decision.entry().substring(0, 300) + "..."
                    : decision.entry();
            throw LdapErrors.toDomain("removing the decision entry " + name, e);
        }
    }

    @Override
    public List<UnconfirmedState> unconfirmedStates(int limit) {
        // The requests the CA holds as SUBMITTED or APPROVED (few: the work in progress) showing
        // another state, and the requests showing SUBMITTED or APPROVED that the CA holds as
        // something else. Each branch's candidates come from an equality index on an open state.
        List<Filter> differ = new ArrayList<>();
        for (RequestState open : List.of(RequestState.SUBMITTED, RequestState.APPROVED)) {
            differ.add(Filter.createANDFilter(Filter.createEqualityFilter(CONFIRMED, open.name()),
                    Filter.createNOTFilter(Filter.createEqualityFilter(STATE, open.name()))));
            differ.add(shownButNotConfirmed(open));
        }
        return unconfirmed(Filter.createORFilter(differ), limit);
    }

    @Override
    public List<UnconfirmedState> unconfirmedRejections(int limit) {
        // The candidates are every rejected request kept (docs/directory.md, "Ranges on slapd"):
        // asked only at the decisions' sweep, not at every poll.
        return unconfirmed(shownButNotConfirmed(RequestState.REJECTED), limit);
    }

    /** Requests showing {@code shown} whose confirmed state is another (entries without one are older, left alone). */
    private static Filter shownButNotConfirmed(RequestState shown) {
        return Filter.createANDFilter(Filter.createEqualityFilter(STATE, shown.name()),
                Filter.createPresenceFilter(CONFIRMED),
                Filter.createNOTFilter(Filter.createEqualityFilter(CONFIRMED, shown.name())));
    }

    private List<UnconfirmedState> unconfirmed(Filter differ, int limit) {
        Filter filter = Filter.createANDFilter(Filter.createEqualityFilter("objectClass", "egovEnrollmentRequest"),
                differ);
        List<UnconfirmedState> found = new ArrayList<>();
        for (SearchResultEntry entry : search(SearchScope.ONE, filter, limit, "egovRequestId", STATE, CONFIRMED,
                "modifiersName")) {
            String confirmed = entry.getAttributeValue(CONFIRMED);
            String modifier = entry.getAttributeValue("modifiersName");
            found.add(new UnconfirmedState(entry.getAttributeValue("egovRequestId"), entry.getAttributeValue(STATE),
                    parse(entry.getDN(), confirmed), modifier == null ? "" : modifier));
        }
        return found;
    }

    @Override
    public boolean restore(UnconfirmedState change) {
        List<Modification> mods = new ArrayList<>();
        mods.add(new Modification(ModificationType.DELETE, STATE, change.shown()));
        mods.add(new Modification(ModificationType.ADD, STATE, change.confirmed().name()));
        if (change.confirmed() == RequestState.SUBMITTED) {
            // Only a rejection carries a reason; one on an undecided request came from the same outside edit.
            mods.add(new Modification(ModificationType.REPLACE, "egovRejectionReason"));
        }
        try {
            ldap.modify(names.request(change.requestId()).toString(), mods);
            return true;
        } catch (LDAPException e) {
            if (RACE_LOST.contains(e.getResultCode())) {
                return false;
            }
            throw LdapErrors.toDomain("restoring the state of request " + change.requestId(), e);
        }
    }

    @Override
    public void note(String requestId, String note) {
        String text = note.length() > 1000 ? note.substring(0, 1000) : note;
        try {
            ldap.modify(names.request(requestId).toString(),
                    new Modification(ModificationType.REPLACE, "egovDecisionNote", text));
        } catch (LDAPException e) {
            throw LdapErrors.toDomain("noting on request " + requestId, e);
        }
    }

    private List<SearchResultEntry> search(SearchScope scope, Filter filter, int limit, String... attributes) {
        try {
            SearchRequest request = new SearchRequest(names.container(DirectoryLayout.Container.REQUESTS).toString(),
                    scope, filter, attributes);
            request.setSizeLimit(limit);
            return ldap.search(request).getSearchEntries();
        } catch (LDAPSearchException e) {
            if (e.getResultCode() == ResultCode.SIZE_LIMIT_EXCEEDED) {
                return e.getSearchEntries();
            }
            throw LdapErrors.toDomain("searching requests for directory decisions", e);
        } catch (LDAPException e) {
            throw LdapErrors.toDomain("searching requests for directory decisions", e);
        }
    }

    private static RequestState parse(String dn, String confirmed) {
        try {
            return RequestState.valueOf(confirmed.strip().toUpperCase(Locale.ROOT));
        } catch (RuntimeException unknown) {
            throw new DomainException(DomainException.Kind.INTERNAL, "request entry " + dn + " has " + CONFIRMED
                    + " '" + confirmed + "', which is none of " + List.of(RequestState.values()));
        }
    }
}
