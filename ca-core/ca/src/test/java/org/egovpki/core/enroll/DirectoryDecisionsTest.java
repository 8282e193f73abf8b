package org.egovpki.core.enroll;

import org.egovpki.core.operator.Operator;
import org.egovpki.core.operator.Role;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.egovpki.core.audit.AuditEvent;
import org.egovpki.core.audit.AuditEventType;
import org.egovpki.core.audit.AuditOutcome;
import org.egovpki.core.ca.CaRegistry;
import org.egovpki.core.ca.EnrollmentFixture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Decisions written in the directory are acted on as the operator who added the decision entry
 * (its creatorsName, which the directory sets), through the same rules as REST; a state the CA did
 * not write is put back and never credited to anyone. The directory side (who may add what,
 * creatorsName cannot be forged) is {@code LdapDecisionInboxIT}.
 */
class DirectoryDecisionsTest {

    private static final String ADMIN_DN = "uid=admin,ou=system";
    /** Enters requests and also reviews other clerks' requests. */
    private static final Operator CLERK_AND_REVIEWER = new Operator("clerk1", EnrollmentFixture.CLERK.dn(), "clerk1",
            EnumSet.of(Role.ENTRY_CLERK, Role.REVIEWER));
    private static final Operator REVIEWER_2 = new Operator("reviewer2", "uid=reviewer2,ou=operators,o=egov-pki,c=CN",
            "reviewer2", EnumSet.of(Role.REVIEWER));


    private static CaRegistry cas;

    private EnrollmentFixture f;
    private EnrollmentService service;
    private Inbox inbox;
    private DirectoryDecisions decisions;

    @BeforeAll
    static void createCas() {
        cas = EnrollmentFixture.createCas();
    }

    @BeforeEach
    void setUp() {
        f = new EnrollmentFixture(cas);
        service = f.service();
        inbox = new Inbox(f.stores);
        decisions = new DirectoryDecisions(inbox, new Operators(CLERK_AND_REVIEWER, EnrollmentFixture.CLERK_2,
                EnrollmentFixture.REVIEWER, REVIEWER_2), service, f.audit, f.clock);
    }

    private String submit() {
        return service.submit(EnrollmentFixture.CLERK,
                EnrollmentFixture.personal("Zhang San", "11010519491231002X", f.sm2(), false)).id();
    }

    @Test
    void aReviewersDecisionEntryIsActedOnWithTheReviewerAsApprover() {
        String id = submit();
        inbox.add(id, "approved", null, EnrollmentFixture.REVIEWER.dn());

        assertThat(decisions.processPending()).isEqualTo(1);

        EnrollmentRequest issued = f.stores.find(id).orElseThrow();
        assertThat(issued.state()).isEqualTo(RequestState.ISSUED);
        assertThat(issued.reviewedBy()).isEqualTo(EnrollmentFixture.REVIEWER.dn());
        assertThat(inbox.entries).as("the decision entry is removed once acted on").isEmpty();
        assertThat(inbox.notes.get(id)).contains("APPROVED by " + EnrollmentFixture.REVIEWER.dn()).contains("accepted");
        AuditEvent approved = f.audit.ofType(AuditEventType.REQUEST_APPROVED).get(0);
        assertThat(approved.outcome()).isEqualTo(AuditOutcome.SUCCESS);
        assertThat(approved.actor()).isEqualTo(EnrollmentFixture.REVIEWER.dn());
        assertThat(approved.details()).containsEntry("channel", "ldap").containsKey("decisionEntry");
        assertThat(decisions.processPending()).as("a decision is acted on once").isZero();
    }

    @Test
    void aReviewersRejectionEntryRejectsWithItsReason() {
        String id = submit();
        inbox.add(id, "REJECTED", "the ID copy is unreadable", EnrollmentFixture.REVIEWER.dn());

        decisions.processPending();

        EnrollmentRequest rejected = f.stores.find(id).orElseThrow();
        assertThat(rejected.state()).isEqualTo(RequestState.REJECTED);
        assertThat(rejected.rejectionReason()).isEqualTo("the ID copy is unreadable");
        assertThat(f.audit.ofType(AuditEventType.REQUEST_REJECTED)).singleElement()
                .satisfies(e -> assertThat(e.actor()).isEqualTo(EnrollmentFixture.REVIEWER.dn()));
    }

    @Test
    void theClerksOwnDecisionEntryIsRefusedWithANoteAndAuditedWithTheClerkAsAuthor() {
        String id = submit();
        inbox.add(id, "APPROVED", null, CLERK_AND_REVIEWER.dn());

        decisions.processPending();

        assertThat(f.stores.find(id).orElseThrow().state()).isEqualTo(RequestState.SUBMITTED);
        assertThat(f.stores.certificates).isEmpty();
        assertThat(inbox.notes.get(id)).contains("refused").contains("entry clerk cannot approve their own request");
        assertThat(inbox.entries).isEmpty();
        assertThat(f.audit.ofType(AuditEventType.REQUEST_APPROVED)).singleElement().satisfies(e -> {
            assertThat(e.outcome()).isEqualTo(AuditOutcome.FAILURE);
            assertThat(e.actor()).isEqualTo(CLERK_AND_REVIEWER.dn());
            assertThat(e.details()).containsEntry("channel", "ldap");
        });
    }

    @Test
    void aNonReviewersAndANonOperatorsDecisionEntriesAreRefused() {
        String id = submit();
        inbox.add(id, "APPROVED", null, EnrollmentFixture.CLERK_2.dn());
        inbox.add(id, "APPROVED", null, ADMIN_DN);

        assertThat(decisions.processPending()).isEqualTo(2);

        assertThat(f.stores.find(id).orElseThrow().state()).isEqualTo(RequestState.SUBMITTED);
        assertThat(inbox.allNotes.get(id)).anySatisfy(n -> assertThat(n).contains("not a reviewer"))
                .anySatisfy(n -> assertThat(n).contains(ADMIN_DN + " is not an active egov-pki operator"));
        assertThat(f.audit.ofType(AuditEventType.REQUEST_APPROVED))
                .extracting(AuditEvent::actor, AuditEvent::outcome)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(EnrollmentFixture.CLERK_2.dn(), AuditOutcome.FAILURE),
                        org.assertj.core.groups.Tuple.tuple(ADMIN_DN, AuditOutcome.FAILURE));
    }

    @Test
    void ofTwoRacingDecisionEntriesOnlyTheFirstWinsAndTheOtherIsNoted() {
        String id = submit();
        inbox.add(id, "APPROVED", null, EnrollmentFixture.REVIEWER.dn());
        inbox.add(id, "REJECTED", "changed my mind", REVIEWER_2.dn());

        decisions.processPending();

        EnrollmentRequest request = f.stores.find(id).orElseThrow();
        assertThat(request.state()).isEqualTo(RequestState.ISSUED);
        assertThat(request.reviewedBy()).isEqualTo(EnrollmentFixture.REVIEWER.dn());
        assertThat(inbox.notes.get(id)).contains("REJECTED by " + REVIEWER_2.dn() + " was refused")
                .contains("is ISSUED");
        assertThat(f.audit.ofType(AuditEventType.REQUEST_REJECTED)).singleElement().satisfies(e -> {
            assertThat(e.outcome()).isEqualTo(AuditOutcome.FAILURE);
            assertThat(e.actor()).isEqualTo(REVIEWER_2.dn());
        });
    }

    @Test
    void aDecisionEntryOnAnAlreadyDecidedRequestIsRefused() {
        String id = submit();
        service.reject(EnrollmentFixture.REVIEWER, id, "ID copy unreadable");
        inbox.add(id, "APPROVED", null, REVIEWER_2.dn());

        decisions.processPending();

        assertThat(f.stores.find(id).orElseThrow().state()).isEqualTo(RequestState.REJECTED);
        assertThat(f.stores.certificates).isEmpty();
        assertThat(inbox.notes.get(id)).contains("was refused").contains("is REJECTED");
    }

    @Test
    void aDecisionEntryThatIsNotADecisionIsRefusedAndAudited() {
        String id = submit();
        inbox.add(id, "maybe later", null, EnrollmentFixture.REVIEWER.dn());
        inbox.add(id, "REJECTED", null, EnrollmentFixture.REVIEWER.dn());

        decisions.processPending();

        assertThat(f.stores.find(id).orElseThrow().state()).isEqualTo(RequestState.SUBMITTED);
        assertThat(inbox.allNotes.get(id)).anySatisfy(n -> assertThat(n).contains("egovDecision must be APPROVED or "
                + "REJECTED")).anySatisfy(n -> assertThat(n).contains("a rejection needs a reason"));
        assertThat(f.audit.ofType(AuditEventType.DIRECTORY_CHANGE_REFUSED)).singleElement()
                .satisfies(e -> assertThat(e.actor()).isEqualTo(EnrollmentFixture.REVIEWER.dn()));
        assertThat(inbox.entries).isEmpty();
    }

    /**
     * The issue's reproduction at the domain level: the request shows APPROVED (the clerk wrote it)
     * and the reviewer modified the entry last. Nobody is credited; the state is put back.
     */
    @Test
    void aStateTheCaDidNotWriteIsPutBackAndAuditedAndNeverCreditedToTheLastModifier() {
        String id = submit();
        inbox.shown.put(id, new DecisionInbox.UnconfirmedState(id, "APPROVED", RequestState.SUBMITTED,
                EnrollmentFixture.REVIEWER.dn()));

        assertThat(decisions.processPending()).isEqualTo(1);

        EnrollmentRequest request = f.stores.find(id).orElseThrow();
        assertThat(request.state()).isEqualTo(RequestState.SUBMITTED);
        assertThat(request.reviewedBy()).isNull();
        assertThat(f.stores.certificates).isEmpty();
        assertThat(inbox.shown).isEmpty();
        assertThat(inbox.notes.get(id)).contains("put back to SUBMITTED").contains("add a decision entry");
        assertThat(f.audit.ofType(AuditEventType.REQUEST_APPROVED)).isEmpty();
        assertThat(f.audit.ofType(AuditEventType.DIRECTORY_CHANGE_REFUSED)).singleElement().satisfies(e -> {
            assertThat(e.actor()).isEqualTo(AuditEvent.SYSTEM);
            assertThat(e.details()).containsEntry("shown", "APPROVED").containsEntry("restored", "SUBMITTED")
                    .containsEntry("lastModifier", EnrollmentFixture.REVIEWER.dn());
        });
    }

    /**
     * Requests shown REJECTED are every rejected request kept: they are looked at by a sweep at the
     * first poll and then every ten minutes, not at every poll, while open states are every poll.
     */
    @Test
    void requestsShownRejectedAreCheckedAtTheFirstPollAndThenEveryTenMinutesNotAtEveryPoll() {
        String issued = submit();
        service.approve(EnrollmentFixture.REVIEWER, issued);
        decisions.processPending();
        assertThat(inbox.rejectionSweeps).as("the first poll sweeps").isEqualTo(1);
        inbox.shownRejected.put(issued, new DecisionInbox.UnconfirmedState(issued, "REJECTED", RequestState.ISSUED,
                ADMIN_DN));

        decisions.processPending();
        f.clock.advance(DirectoryDecisions.REJECTION_SWEEP.minusSeconds(1));
        decisions.processPending();
        assertThat(inbox.rejectionSweeps).isEqualTo(1);
        assertThat(inbox.shownRejected).as("not yet put back").containsKey(issued);

        f.clock.advance(java.time.Duration.ofSeconds(1));
        assertThat(decisions.processPending()).isEqualTo(1);
        assertThat(inbox.rejectionSweeps).isEqualTo(2);
        assertThat(inbox.shownRejected).isEmpty();
        assertThat(inbox.notes.get(issued)).contains("'REJECTED'").contains("put back to ISSUED");
        assertThat(f.audit.ofType(AuditEventType.DIRECTORY_CHANGE_REFUSED)).singleElement()
                .satisfies(e -> assertThat(e.details()).containsEntry("restored", "ISSUED"));
    }

    @Test
    void aSweepThatPutsBackAFullBatchGoesOnAtTheNextPollOneThatPutsBackNothingWaits() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            String id = submit();
            service.reject(EnrollmentFixture.REVIEWER, id, "unreadable copy");
            ids.add(id);
            inbox.shownRejected.put(id, new DecisionInbox.UnconfirmedState(id, "REJECTED", RequestState.SUBMITTED,
                    ADMIN_DN));
        }
        // The CA holds them REJECTED: restore() finds its state is not the one the change names, puts nothing back.
        decisions.processPending();
        decisions.processPending();
        assertThat(inbox.rejectionSweeps).as("a full batch, nothing put back: the next sweep in ten minutes")
                .isEqualTo(1);

        inbox.shownRejected.clear();
        for (int i = 0; i < 150; i++) {
            String id = "r-x" + i;
            inbox.shownRejected.put(id, new DecisionInbox.UnconfirmedState(id, "REJECTED", RequestState.ISSUED,
                    ADMIN_DN));
        }
        inbox.restoreAny = true;
        f.clock.advance(DirectoryDecisions.REJECTION_SWEEP);
        decisions.processPending(); // 100 put back
        decisions.processPending(); // the other 50
        decisions.processPending(); // none left: no sweep
        assertThat(inbox.rejectionSweeps).isEqualTo(3);
        assertThat(inbox.shownRejected).isEmpty();
    }

    @Test
    void aDecisionEntrysLongNameIsCutInTheAuditTrail() {
        String id = submit();
        String name = "x".repeat(100_000);
        inbox.entries.add(new DecisionInbox.Decision("egovDecisionId=" + name + ",egovRequestId=" + id, id, "maybe",
                null, EnrollmentFixture.REVIEWER.dn(), Instant.EPOCH));

        decisions.processPending();

        assertThat(f.audit.ofType(AuditEventType.DIRECTORY_CHANGE_REFUSED)).singleElement()
                .satisfies(e -> assertThat(e.details().get("decisionEntry"))
                        .hasSize(DirectoryDecisions.MAX_ENTRY_NAME + 3).endsWith("..."));
    }

    /** An inbox over the in-memory stores: the test plays the directory, which names each entry's author. */
    private static final class Inbox implements DecisionInbox {

        final List<Decision> entries = new ArrayList<>();
        final Map<String, UnconfirmedState> shown = new LinkedHashMap<>();
        final Map<String, UnconfirmedState> shownRejected = new LinkedHashMap<>();
        int rejectionSweeps;
        /** Puts back any change found, whatever the in-memory stores hold (requests the test did not store). */
        boolean restoreAny;
        final Map<String, String> notes = new LinkedHashMap<>();
        final Map<String, List<String>> allNotes = new LinkedHashMap<>();
        private final InMemoryStores stores;
        private int added;

        Inbox(InMemoryStores stores) {
            this.stores = stores;
        }

        void add(String requestId, String decision, String reason, String author) {
            added++;
            entries.add(new Decision("egovDecisionId=d" + added + ",egovRequestId=" + requestId, requestId, decision,
                    reason, author, Instant.EPOCH.plusSeconds(added)));
        }

        @Override
        public List<Decision> decisions(int limit) {
            return List.copyOf(entries);
        }

        @Override
        public boolean claim(Decision decision) {
            return entries.remove(decision);
        }

        @Override
        public List<UnconfirmedState> unconfirmedStates(int limit) {
            return List.copyOf(shown.values());
        }

        @Override
        public List<UnconfirmedState> unconfirmedRejections(int limit) {
            rejectionSweeps++;
            return shownRejected.values().stream().limit(limit).toList();
        }

        @Override
        public boolean restore(UnconfirmedState change) {
            if (restoreAny) {
                return shownRejected.remove(change.requestId()) != null;
            }
            return stores.find(change.requestId()).map(r -> r.state() == change.confirmed()).orElse(false)
                    && (shown.remove(change.requestId()) != null || shownRejected.remove(change.requestId()) != null);
        }

        @Override
        public void note(String requestId, String note) {
            notes.put(requestId, note);
            allNotes.computeIfAbsent(requestId, k -> new ArrayList<>()).add(note);
        }
    }

    private static final class Operators implements OperatorDirectory {

        private final Map<String, Operator> byDn = new LinkedHashMap<>();

        Operators(Operator... operators) {
            for (Operator operator : operators) {
                byDn.put(operator.dn(), operator);
            }
        }

        @Override
        public Optional<OperatorLogin> login(String uid, char[] password) {
            return Optional.empty();
        }

        @Override
        public Optional<Operator> authenticate(String uid, char[] password) {
            return Optional.empty();
        }

        @Override
        public Optional<Operator> findByDn(String dn) {
            return Optional.ofNullable(byDn.get(dn));
        }

        @Override
        public Optional<Operator> findByUid(String uid) {
            return byDn.values().stream().filter(o -> o.uid().equals(uid)).findFirst();
        }

        @Override
        public Operator create(String uid, String name, Set<Role> roles, char[] password) {
            throw new UnsupportedOperationException("not needed here");
        }
    }
}
