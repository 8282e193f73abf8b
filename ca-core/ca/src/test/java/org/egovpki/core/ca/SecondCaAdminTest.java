package org.egovpki.core.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.EnumSet;
import org.egovpki.core.DomainException;
import org.egovpki.core.audit.AuditEventType;
import org.egovpki.core.audit.AuditOutcome;
import org.egovpki.core.operator.Operator;
import org.egovpki.core.operator.Role;
import org.junit.jupiter.api.Test;

/** Two different CA admins, the same operation and terms, within the window; everything else refused or lapsed. */
class SecondCaAdminTest {

    private final MovableClock clock = new MovableClock(EnrollmentFixture.NOW);
    private final RecordingAuditLog audit = new RecordingAuditLog();
    private final SecondCaAdmin second = new SecondCaAdmin(audit, clock);

    @Test
    void theFirstCallProposesAndASecondAdminWithTheSameTermsConfirms() {
        SecondCaAdmin.Answer proposed = second.ask(admin("ca1"), "x", "revoke CA x", "reason CA_COMPROMISE");
        assertThat(proposed.confirmed()).isFalse();
        assertThat(proposed.proposal().expiresAt()).isEqualTo(clock.instant().plus(SecondCaAdmin.WINDOW));
        assertThat(second.open()).hasSize(1);

        SecondCaAdmin.Answer confirmed = second.ask(admin("ca2"), "x", "revoke CA x", "reason CA_COMPROMISE");
        assertThat(confirmed.confirmed()).isTrue();
        assertThat(confirmed.proposal().proposerUid()).isEqualTo("ca1");
        assertThat(second.open()).as("a confirmed proposal is used up").isEmpty();
        assertThat(audit.ofType(AuditEventType.CA_OPERATION_PROPOSED)).singleElement()
                .satisfies(e -> assertThat(e.details()).containsEntry("terms", "reason CA_COMPROMISE")
                        .containsEntry("proposedBy", admin("ca1").dn()));
    }

    /**
     * A confirmation whose operation fails (the directory down, say) does not use the proposal up: the
     * confirmer's retry confirms it, rather than becoming a new proposal that needs a third person.
     */
    @Test
    void aConfirmedOperationThatFailsLeavesTheProposalOpenForTheRetry() {
        second.ask(admin("ca1"), "x", "revoke CA x", "reason CA_COMPROMISE");

        assertThatThrownBy(() -> second.decide(admin("ca2"), "x", "revoke CA x", "reason CA_COMPROMISE", p -> {
            throw DomainException.unavailable("the directory is down", null);
        })).hasMessageContaining("the directory is down");

        assertThat(second.open()).singleElement().satisfies(p -> assertThat(p.proposerUid()).isEqualTo("ca1"));
        assertThat(audit.ofType(AuditEventType.CA_OPERATION_PROPOSED)).last()
                .satisfies(e -> {
                    assertThat(e.outcome()).isEqualTo(AuditOutcome.FAILURE);
                    assertThat(e.details().get("error")).contains("confirmed by ca2 but not carried out")
                            .contains("open again");
                });
        SecondCaAdmin.Outcome<String> retried = second.decide(admin("ca2"), "x", "revoke CA x", "reason CA_COMPROMISE",
                p -> "revoked on " + p.proposerUid() + "'s proposal");
        assertThat(retried.done()).isTrue();
        assertThat(retried.result()).isEqualTo("revoked on ca1's proposal");
        assertThat(second.open()).isEmpty();
    }

    /** A proposer disabled or no longer a CA admin when the second comes leaves one person's word: it lapses. */
    @Test
    void aProposerNoLongerACaAdminDoesNotCountAndTheSecondCallBecomesTheProposal() {
        java.util.Set<String> caAdmins = new java.util.HashSet<>(java.util.Set.of("ca1", "ca2", "ca3"));
        SecondCaAdmin checked = new SecondCaAdmin(caAdmins::contains, audit, clock);
        checked.ask(admin("ca1"), "x", "revoke CA x", "reason CA_COMPROMISE");
        caAdmins.remove("ca1");

        SecondCaAdmin.Answer answer = checked.ask(admin("ca2"), "x", "revoke CA x", "reason CA_COMPROMISE");

        assertThat(answer.confirmed()).isFalse();
        assertThat(answer.proposal().proposerUid()).isEqualTo("ca2");
        assertThat(audit.ofType(AuditEventType.CA_OPERATION_PROPOSED)).filteredOn(e -> e.outcome() == AuditOutcome.FAILURE)
                .singleElement().satisfies(e -> assertThat(e.details().get("error")).contains("lapsed"));
        assertThat(checked.ask(admin("ca3"), "x", "revoke CA x", "reason CA_COMPROMISE").confirmed()).isTrue();
    }

    @Test
    void theProposerAgainEvenSpeltOtherwiseAndOtherTermsAreRefusedAndLeaveTheProposalOpen() {
        second.ask(admin("ca1"), "x", "revoke CA x", "reason CA_COMPROMISE");

        assertThatThrownBy(() -> second.ask(admin("CA1"), "x", "revoke CA x", "reason CA_COMPROMISE"))
                .isInstanceOf(DomainException.class).hasMessageContaining("proposed by you")
                .extracting(e -> ((DomainException) e).kind()).isEqualTo(DomainException.Kind.CONFLICT);
        assertThatThrownBy(() -> second.ask(admin("ca2"), "x", "revoke CA x", "reason SUPERSEDED"))
                .isInstanceOf(DomainException.class).hasMessageContaining("reason CA_COMPROMISE, not reason SUPERSEDED");
        assertThat(second.open()).singleElement().satisfies(p -> assertThat(p.proposerUid()).isEqualTo("ca1"));
        assertThat(audit.ofType(AuditEventType.CA_OPERATION_PROPOSED))
                .filteredOn(e -> e.outcome() == AuditOutcome.FAILURE).hasSize(2);
        assertThat(second.ask(admin("ca2"), "x", "revoke CA x", "reason CA_COMPROMISE").confirmed()).isTrue();
    }

    /**
     * A proposer who got the terms wrong (SUPERSEDED, then the key turns out compromised) corrects its own
     * proposal at once: otherwise the CA could be revoked for the right reason only after the hour, or for
     * the wrong one now. Another admin's other terms still change nothing.
     */
    @Test
    void theProposerReplacesItsOwnProposalWithOtherTermsAndOnlyTheNewTermsConfirm() {
        second.ask(admin("ca1"), "x", "revoke CA x", "reason SUPERSEDED");
        clock.advance(Duration.ofMinutes(10));

        SecondCaAdmin.Answer corrected = second.ask(admin("ca1"), "x", "revoke CA x", "reason CA_COMPROMISE");
        assertThat(corrected.confirmed()).isFalse();
        assertThat(corrected.proposal().terms()).isEqualTo("reason CA_COMPROMISE");
        assertThat(corrected.proposal().expiresAt()).isEqualTo(clock.instant().plus(SecondCaAdmin.WINDOW));
        assertThat(second.open()).singleElement().satisfies(p -> assertThat(p.terms()).isEqualTo("reason CA_COMPROMISE"));
        assertThat(audit.ofType(AuditEventType.CA_OPERATION_PROPOSED)).hasSize(2).last()
                .satisfies(e -> assertThat(e.details()).containsEntry("replaces", "reason SUPERSEDED"));

        assertThatThrownBy(() -> second.ask(admin("ca2"), "x", "revoke CA x", "reason SUPERSEDED"))
                .isInstanceOf(DomainException.class).hasMessageContaining("reason CA_COMPROMISE, not reason SUPERSEDED");
        assertThat(second.ask(admin("ca2"), "x", "revoke CA x", "reason CA_COMPROMISE").confirmed()).isTrue();
    }

    @Test
    void aProposalLapsesAfterTheWindowAndTheNextCallProposesAfresh() {
        second.ask(admin("ca1"), "x", "key changeover of CA x", "");
        clock.advance(SecondCaAdmin.WINDOW);

        SecondCaAdmin.Answer again = second.ask(admin("ca2"), "x", "key changeover of CA x", "");
        assertThat(again.confirmed()).as("lapsed: ca2 only proposes").isFalse();
        assertThat(again.proposal().proposerUid()).isEqualTo("ca2");
        clock.advance(Duration.ofMinutes(59));
        assertThat(second.ask(admin("ca1"), "x", "key changeover of CA x", "").confirmed()).isTrue();
    }

    @Test
    void operationsOnDifferentCasAreKeptApart() {
        second.ask(admin("ca1"), "x", "revoke CA x", "reason CA_COMPROMISE");
        assertThat(second.ask(admin("ca2"), "y", "revoke CA y", "reason CA_COMPROMISE").confirmed()).isFalse();
        assertThat(second.open()).hasSize(2);
    }

    private static Operator admin(String uid) {
        return new Operator(uid, "uid=" + uid + ",ou=operators,o=egov-pki,c=CN", uid, EnumSet.of(Role.CA_ADMIN));
    }
}
