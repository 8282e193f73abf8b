package org.egovpki.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.ResultCode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.egovpki.core.enroll.DecisionInbox;
import org.egovpki.core.enroll.RequestState;
import org.egovpki.core.operator.Role;
import org.egovpki.directory.embedded.ApacheDsAccessControl;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Decisions in the directory, on the real embedded ApacheDS with the access control egov-pki
 * installs: an operator can add a decision entry below a request and the directory itself names
 * the author (creatorsName), which no client can supply; operators can neither change nor remove a
 * decision entry, nor write anything on the request itself; a state the CA did not write is
 * reported with the last modifier and put back; and a directory that still carries the retired
 * subentry letting operators write a request's state loses it at start-up.
 */
class LdapDecisionInboxIT {

    /** How ApacheDS refuses: no access, or (for what one may not see) as if absent. */
    private static final Set<ResultCode> REFUSED = Set.of(ResultCode.INSUFFICIENT_ACCESS_RIGHTS,
            ResultCode.NO_SUCH_OBJECT);

    @TempDir
    static Path work;

    private static TestDirectory directory;
    private static DirectoryNames names;
    private static LDAPConnection ca;
    /** An operator who reads requests in an LDAP browser but is not a reviewer (an RA admin). */
    private static LDAPConnection clerk;
    private static LDAPConnection reviewer;
    private static LdapDecisionInbox inbox;
    private static int requests;

    @BeforeAll
    static void start() throws Exception {
        directory = TestDirectory.start(work);
        names = directory.names();
        ca = directory.ca();
        clerk = directory.operator("clerk01", Role.RA_ADMIN);
        reviewer = directory.operator("reviewer01", Role.REVIEWER);
        inbox = new LdapDecisionInbox(ca, names);
    }

    @AfterAll
    static void stop() {
        if (directory != null) {
            directory.close();
        }
    }

    @Test
    void anOperatorAddsADecisionEntryAndTheDirectoryNamesItsAuthor() throws Exception {
        String id = request("SUBMITTED");

        reviewer.add(decision(id, "reviewer01-1", "APPROVED", null));
        clerk.add(decision(id, "clerk01-1", "REJECTED", "not mine to decide"));

        List<DecisionInbox.Decision> found = decisionsFor(id);
        assertThat(found).hasSize(2);
        assertThat(found).allSatisfy(d -> assertThat(d.requestId()).isEqualTo(id));
        DecisionInbox.Decision approval = found.stream().filter(d -> d.decision().equals("APPROVED")).findFirst()
                .orElseThrow();
        assertThat(new DN(approval.authorDn())).isEqualTo(directory.operatorDn("reviewer01"));
        DecisionInbox.Decision rejection = found.stream().filter(d -> d.decision().equals("REJECTED")).findFirst()
                .orElseThrow();
        assertThat(new DN(rejection.authorDn())).isEqualTo(directory.operatorDn("clerk01"));
        assertThat(rejection.reason()).isEqualTo("not mine to decide");
        found.forEach(inbox::claim);
    }

    @Test
    void noClientCanSupplyTheAuthorOfADecisionEntry() throws Exception {
        String id = request("SUBMITTED");
        String reviewerDn = directory.operatorDn("reviewer01").toString();

        Entry forged = decision(id, "forged", "APPROVED", null);
        forged.addAttribute("creatorsName", reviewerDn);
        assertThat(refusal(() -> clerk.add(forged))).isNotNull();
        // Not only the operators' access rules: the CA's own account, granted everything, is refused too.
        Entry forgedByCa = decision(id, "forged-by-ca", "APPROVED", null);
        forgedByCa.addAttribute("creatorsName", reviewerDn);
        assertThat(refusal(() -> ca.add(forgedByCa))).isNotNull();
        assertThat(decisionsFor(id)).isEmpty();

        clerk.add(decision(id, "clerk01-2", "APPROVED", null));
        String entry = names.decision(id, "clerk01-2").toString();
        assertThat(refusal(() -> ca.modify(entry, new Modification(ModificationType.REPLACE, "creatorsName",
                reviewerDn)))).isNotNull();
        assertThat(refusal(() -> clerk.modify(entry, new Modification(ModificationType.REPLACE, "creatorsName",
                reviewerDn)))).isNotNull();
        assertThat(decisionsFor(id)).singleElement()
                .satisfies(d -> assertThat(new DN(d.authorDn())).isEqualTo(directory.operatorDn("clerk01")));
        decisionsFor(id).forEach(inbox::claim);
    }

    @Test
    void operatorsCanNeitherChangeNorRemoveADecisionEntry() throws Exception {
        String id = request("SUBMITTED");
        String other = request("SUBMITTED");
        reviewer.add(decision(id, "reviewer01-2", "REJECTED", "the ID copy is unreadable"));
        String entry = names.decision(id, "reviewer01-2").toString();

        for (LDAPConnection operator : List.of(clerk, reviewer)) {
            assertRefused(() -> operator.modify(entry, new Modification(ModificationType.REPLACE, "egovDecision",
                    "APPROVED")));
            assertRefused(() -> operator.modify(entry, new Modification(ModificationType.DELETE,
                    "egovRejectionReason")));
            assertRefused(() -> operator.delete(entry));
            assertRefused(() -> operator.modifyDN(entry, "egovDecisionId=renamed", true));
            assertRefused(() -> operator.modifyDN(entry, "egovDecisionId=reviewer01-2", true,
                    names.request(other).toString()));
        }

        // Nor add to one: a reason added to someone else's rejection would change what they decided.
        reviewer.add(decision(other, "reviewer01-3", "REJECTED", null));
        String bare = names.decision(other, "reviewer01-3").toString();
        for (LDAPConnection operator : List.of(clerk, reviewer)) {
            assertRefused(() -> operator.modify(bare, new Modification(ModificationType.ADD, "egovRejectionReason",
                    "planted reason")));
            assertRefused(() -> operator.modify(bare, new Modification(ModificationType.ADD, "description", "x")));
        }

        assertThat(decisionsFor(id)).singleElement().satisfies(d -> {
            assertThat(d.decision()).isEqualTo("REJECTED");
            assertThat(d.reason()).isEqualTo("the ID copy is unreadable");
        });
        assertThat(decisionsFor(other)).singleElement().satisfies(d -> assertThat(d.reason()).isNull());
        decisionsFor(id).forEach(inbox::claim);
        decisionsFor(other).forEach(inbox::claim);
    }

    @Test
    void operatorsWriteNothingOnTheRequestItself() throws Exception {
        String id = request("SUBMITTED");
        String dn = names.request(id).toString();

        Map<String, String> writes = Map.of("egovRequestState", "APPROVED", "egovConfirmedState", "APPROVED",
                "egovRejectionReason", "the ID copy is unreadable", "egovDecisionNote", "approved",
                "egovReviewedBy", directory.operatorDn("reviewer01").toString());
        for (LDAPConnection operator : List.of(clerk, reviewer)) {
            writes.forEach((attribute, value) -> assertRefused(() -> operator.modify(dn,
                    new Modification(ModificationType.REPLACE, attribute, value))));
        }

        Entry stored = ca.getEntry(dn, "*");
        assertThat(stored.getAttributeValue("egovRequestState")).isEqualTo("SUBMITTED");
        assertThat(stored.hasAttribute("egovRejectionReason")).isFalse();
    }

    @Test
    void operatorsAddOnlyDecisionEntriesOnlyDirectlyBelowARequestAndOnlyWithDecisionAttributes() throws Exception {
        String id = request("SUBMITTED");

        // A request of their own, with the CA's confirmed state in it.
        assertRefused(() -> reviewer.add(new Entry(names.request("r-planted").toString(), List.of(
                new Attribute("objectClass", "top", "egovEnrollmentRequest"),
                new Attribute("egovRequestId", "r-planted"), new Attribute("egovRequestState", "APPROVED"),
                new Attribute("egovConfirmedState", "APPROVED")))));
        // A decision entry straight under ou=requests, or below another decision entry.
        assertRefused(() -> reviewer.add(new Entry("egovDecisionId=loose,ou=requests," + TestDirectory.BASE, List.of(
                new Attribute("objectClass", "top", "egovRequestDecision"), new Attribute("egovDecisionId", "loose"),
                new Attribute("egovDecision", "APPROVED")))));
        reviewer.add(decision(id, "parent", "APPROVED", null));
        assertRefused(() -> reviewer.add(new Entry("egovDecisionId=nested," + names.decision(id, "parent"), List.of(
                new Attribute("objectClass", "top", "egovRequestDecision"), new Attribute("egovDecisionId", "nested"),
                new Attribute("egovDecision", "APPROVED")))));
        // Another kind of entry below a request.
        assertRefused(() -> reviewer.add(new Entry("ou=notes," + names.request(id), List.of(
                new Attribute("objectClass", "top", "organizationalUnit"), new Attribute("ou", "notes")))));
        // A decision entry carrying more than a decision.
        Entry extra = decision(id, "extra", "APPROVED", null);
        extra.addAttribute("objectClass", "extensibleObject");
        extra.addAttribute("egovConfirmedState", "APPROVED");
        assertRefused(() -> reviewer.add(extra));

        assertThat(ca.getEntry(names.request("r-planted").toString())).isNull();
        assertThat(decisionsFor(id)).extracting(d -> new DN(d.entry()))
                .containsExactly(names.decision(id, "parent"));
        decisionsFor(id).forEach(inbox::claim);
    }

    @Test
    void theCaClaimsEachDecisionEntryOnce() throws Exception {
        String id = request("SUBMITTED");
        reviewer.add(decision(id, "reviewer01-3", "APPROVED", null));
        DecisionInbox.Decision found = decisionsFor(id).get(0);

        assertThat(inbox.claim(found)).isTrue();
        assertThat(inbox.claim(found)).isFalse();
        assertThat(decisionsFor(id)).isEmpty();
    }

    @Test
    void aStateTheCaDidNotWriteIsReportedWithTheLastModifierAndPutBack() throws Exception {
        String submitted = request("SUBMITTED");
        String issued = request("ISSUED");
        LDAPConnection admin = directory.admin();
        admin.modify(names.request(submitted).toString(),
                new Modification(ModificationType.REPLACE, "egovRequestState", "APPROVED"),
                new Modification(ModificationType.REPLACE, "egovRejectionReason", "planted"));
        admin.modify(names.request(issued).toString(),
                new Modification(ModificationType.REPLACE, "egovRequestState", "SUBMITTED"));

        List<DecisionInbox.UnconfirmedState> found = inbox.unconfirmedStates(100);

        assertThat(found).extracting(DecisionInbox.UnconfirmedState::requestId).contains(submitted, issued);
        DecisionInbox.UnconfirmedState approved = found.stream().filter(c -> c.requestId().equals(submitted))
                .findFirst().orElseThrow();
        assertThat(approved.shown()).isEqualTo("APPROVED");
        assertThat(approved.confirmed()).isEqualTo(RequestState.SUBMITTED);
        assertThat(new DN(approved.modifierDn())).isEqualTo(new DN("uid=admin,ou=system"));
        for (DecisionInbox.UnconfirmedState change : found) {
            assertThat(inbox.restore(change)).isTrue();
        }
        assertThat(inbox.unconfirmedStates(100)).isEmpty();
        Entry restored = ca.getEntry(names.request(submitted).toString(), "*");
        assertThat(restored.getAttributeValue("egovRequestState")).isEqualTo("SUBMITTED");
        assertThat(restored.hasAttribute("egovRejectionReason")).isFalse();
        assertThat(ca.getEntry(names.request(issued).toString()).getAttributeValue("egovRequestState"))
                .isEqualTo("ISSUED");
    }

    @Test
    void anIssuedRequestShownRejectedIsFoundByTheRejectionSweepNotByEveryPoll() throws Exception {
        String issued = request("ISSUED");
        String rejected = request("REJECTED");
        directory.admin().modify(names.request(issued).toString(),
                new Modification(ModificationType.REPLACE, "egovRequestState", "REJECTED"));

        assertThat(inbox.unconfirmedStates(100)).extracting(DecisionInbox.UnconfirmedState::requestId)
                .doesNotContain(issued, rejected);
        List<DecisionInbox.UnconfirmedState> found = inbox.unconfirmedRejections(100).stream()
                .filter(c -> c.requestId().equals(issued) || c.requestId().equals(rejected)).toList();
        assertThat(found).extracting(DecisionInbox.UnconfirmedState::requestId).containsExactly(issued);
        assertThat(found.get(0).confirmed()).isEqualTo(RequestState.ISSUED);
        assertThat(inbox.restore(found.get(0))).isTrue();
        assertThat(inbox.unconfirmedRejections(100)).extracting(DecisionInbox.UnconfirmedState::requestId)
                .doesNotContain(issued);
        assertThat(ca.getEntry(names.request(issued).toString()).getAttributeValue("egovRequestState"))
                .isEqualTo("ISSUED");
    }

    /**
     * Only reviewers and RA admins — who see registration data whole through the API — read requests
     * in an LDAP browser; every other role finds none, as if ou=requests were empty, and adds no
     * decision. The group follows role changes and a start-up reconciliation repairs it.
     */
    @Test
    void onlyReviewersAndRaAdminsReadRequestsAndAddDecisionsInTheDirectory() throws Exception {
        String id = request("SUBMITTED");
        String dn = names.request(id).toString();
        LdapOperatorDirectory operators = directory.operators();
        int n = 0;
        for (Role role : List.of(Role.ENTRY_CLERK, Role.CA_ADMIN, Role.AUDITOR, Role.KM_OPERATOR,
                Role.KM_BUSINESS_ADMIN, Role.KEY_CUSTODIAN, Role.SECURITY_ADMIN, Role.SYSTEM_ADMIN)) {
            String uid = "noreader" + (++n);
            LDAPConnection outsider = directory.operator(uid, role);
            assertThat(outsider.getEntry(dn)).as(role + " reads a request").isNull();
            assertThat(outsider.search(names.container(org.egovpki.schema.DirectoryLayout.Container.REQUESTS)
                    .toString(), com.unboundid.ldap.sdk.SearchScope.ONE, "(objectClass=*)").getEntryCount())
                    .as(role + " finds requests").isZero();
            assertRefused(() -> outsider.add(decision(id, uid + "-1", "APPROVED", null)));
        }
        assertThat(decisionsFor(id)).isEmpty();
        assertThat(reviewer.getEntry(dn)).isNotNull();
        assertThat(clerk.getEntry(dn)).isNotNull();

        // Made a reviewer: reads and decides; a reviewer no more: reads nothing again.
        LDAPConnection promoted = directory.operator("promoted01", Role.KM_OPERATOR);
        assertThat(promoted.getEntry(dn)).isNull();
        operators.replaceRoles("promoted01", Set.of(Role.REVIEWER));
        assertThat(promoted.getEntry(dn)).isNotNull();
        operators.replaceRoles("promoted01", Set.of(Role.AUDITOR));
        assertThat(promoted.getEntry(dn)).isNull();

        // A membership lost (a role change cut short, a directory from before the group) comes back at start-up.
        directory.admin().modify(names.requestReaders().toString(), new Modification(ModificationType.DELETE,
                "uniqueMember", directory.operatorDn("reviewer01").toString()));
        assertThat(reviewer.getEntry(dn)).isNull();
        assertThat(operators.reconcileRequestReaders()).isEqualTo(2);
        assertThat(reviewer.getEntry(dn)).isNotNull();
        assertThat(promoted.getEntry(dn)).isNull();
    }

    /** Start-up on a directory written by an earlier version, which let operators write a request's state. */
    @Test
    void theRetiredSubentryIsRemovedFromAnExistingDirectoryAtStartUp() throws Exception {
        String id = request("SUBMITTED");
        String dn = names.request(id).toString();
        LDAPConnection admin = directory.admin();
        String retired = "cn=egovPkiOperatorsDecideRequests," + TestDirectory.BASE;
        admin.add(new Entry(retired, List.of(new Attribute("objectClass", "top", "subentry", "accessControlSubentry"),
                new Attribute("cn", "egovPkiOperatorsDecideRequests"),
                new Attribute("subtreeSpecification", "{ base \"ou=requests\", minimum 1 }"),
                new Attribute("prescriptiveACI", "{ identificationTag \"operatorsReadRequestsAndWriteDecisions\", "
                        + "precedence 20, authenticationLevel simple, itemOrUserFirst userFirst: { userClasses { "
                        + "subtree { { base \"ou=operators," + TestDirectory.BASE + "\" } } }, userPermissions { "
                        + "{ protectedItems { entry, allUserAttributeTypesAndValues }, grantsAndDenials { grantRead, "
                        + "grantReturnDN, grantBrowse, grantCompare, grantFilterMatch, grantModify } }, "
                        + "{ protectedItems { attributeType { egovRequestState, egovRejectionReason }, "
                        + "allAttributeValues { egovRequestState, egovRejectionReason } }, grantsAndDenials { "
                        + "grantAdd, grantRemove } } } } }"))));
        // What the old rule allowed: the defect's first step.
        clerk.modify(dn, new Modification(ModificationType.REPLACE, "egovRequestState", "APPROVED"));
        ca.modify(dn, new Modification(ModificationType.REPLACE, "egovRequestState", "SUBMITTED"));

        new ApacheDsAccessControl(admin, names).apply();

        assertThat(admin.getEntry(retired)).isNull();
        assertRefused(() -> clerk.modify(dn, new Modification(ModificationType.REPLACE, "egovRequestState",
                "APPROVED")));
        assertThat(ca.getEntry(dn).getAttributeValue("egovRequestState")).isEqualTo("SUBMITTED");
        // The new rules are in place: reading and adding a decision still work.
        reviewer.add(decision(id, "after-upgrade", "APPROVED", null));
        assertThat(decisionsFor(id)).hasSize(1);
        decisionsFor(id).forEach(inbox::claim);
    }

    // --- helpers ---

    /** A request entry as the CA writes it, in {@code state} (shown and confirmed). */
    private static String request(String state) throws LDAPException {
        String id = "r-test-" + (++requests);
        ca.add(new Entry(names.request(id).toString(), List.of(
                new Attribute("objectClass", "top", "egovEnrollmentRequest"), new Attribute("egovRequestId", id),
                new Attribute("egovRequestState", state), new Attribute("egovConfirmedState", state),
                new Attribute("egovEnteredBy", directory.operatorDn("clerk01").toString()))));
        return id;
    }

    private static Entry decision(String requestId, String name, String decision, String reason) {
        List<Attribute> attributes = new ArrayList<>(List.of(
                new Attribute("objectClass", "top", "egovRequestDecision"), new Attribute("egovDecisionId", name),
                new Attribute("egovDecision", decision)));
        if (reason != null) {
            attributes.add(new Attribute("egovRejectionReason", reason));
        }
        return new Entry(names.decision(requestId, name).toString(), attributes);
    }

    private static List<DecisionInbox.Decision> decisionsFor(String requestId) {
        return inbox.decisions(1000).stream().filter(d -> requestId.equals(d.requestId())).toList();
    }

    @FunctionalInterface
    private interface LdapCall {
        void run() throws LDAPException;
    }

    /** The directory's refusal of {@code call}, or {@code null} if it succeeded. */
    private static LDAPException refusal(LdapCall call) {
        return catchThrowableOfType(LDAPException.class, call::run);
    }

    private static void assertRefused(LdapCall call) {
        LDAPException refused = refusal(call);
        assertThat(refused).as("the directory refused the operation").isNotNull();
        assertThat(refused.getResultCode()).isIn(REFUSED);
    }
}
