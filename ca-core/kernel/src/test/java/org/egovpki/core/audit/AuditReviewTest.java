package org.egovpki.core.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.egovpki.core.DomainException;
import org.egovpki.core.operator.Operator;
import org.egovpki.core.operator.Role;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Who may read the audit trail, and that every read and refusal is audited before anything is
 * read; the query's own checks.
 */
class AuditReviewTest {

    private static final Instant NOW = Instant.parse("2026-12-01T08:00:00Z");

    private final List<AuditEvent> recorded = new ArrayList<>();
    private final List<String> calls = new ArrayList<>();
    private final AuditLog audit = event -> {
        recorded.add(event);
        calls.add("audit " + event.type() + " " + event.outcome());
        return recorded.size();
    };
    private final AuditTrailReader trail = new AuditTrailReader() {
        @Override
        public void check(AuditQuery query) {
            if ("bad".equals(query.cursor())) {
                throw DomainException.badRequest("cursor", "not a cursor");
            }
        }

        @Override
        public AuditPage read(AuditQuery query) {
            calls.add("read");
            return new AuditPage(List.of(), null);
        }

        @Override
        public byte[] export(Instant from, Instant to, String exportedBy) {
            calls.add("export " + exportedBy);
            return new byte[] {1};
        }
    };
    private final AuditReview review = new AuditReview(trail, audit, Clock.fixed(NOW, ZoneOffset.UTC));

    private static Operator operator(Role role) {
        return new Operator("op1", "uid=op1,ou=operators,o=egov-pki,c=CN", "Op", Set.of(role));
    }

    @ParameterizedTest
    @EnumSource(value = Role.class, names = {"AUDITOR", "CA_ADMIN", "RA_ADMIN", "KM_BUSINESS_ADMIN"})
    void theAuditorAndTheBusinessAdminsReadAndTheReadIsAuditedFirst(Role role) {
        review.read(new AuditQuery(null, null, AuditEventType.REQUEST_APPROVED, null, "req-1", 10, null, null),
                operator(role));

        assertThat(calls).containsExactly("audit AUDIT_TRAIL_READ SUCCESS", "read");
        AuditEvent event = recorded.get(0);
        assertThat(event.actor()).isEqualTo("uid=op1,ou=operators,o=egov-pki,c=CN");
        assertThat(event.time()).isEqualTo(NOW);
        assertThat(event.details()).containsEntry("type", "REQUEST_APPROVED").containsEntry("subject", "req-1")
                .containsEntry("limit", "10").containsEntry("order", "NEWEST_FIRST").containsEntry("page", "first");
    }

    @ParameterizedTest
    @EnumSource(value = Role.class, names = {"AUDITOR", "CA_ADMIN", "RA_ADMIN", "KM_BUSINESS_ADMIN"},
            mode = EnumSource.Mode.EXCLUDE)
    void everyOtherRoleIsRefusedTheRefusalIsAuditedAndNothingIsRead(Role role) {
        assertThatThrownBy(() -> review.read(AuditQuery.all(), operator(role)))
                .isInstanceOfSatisfying(DomainException.class, e -> {
                    assertThat(e.kind()).isEqualTo(DomainException.Kind.FORBIDDEN);
                    assertThat(e.getMessage()).isEqualTo("operator op1 may not read the audit trail: only an auditor "
                            + "or a business admin (CA_ADMIN, RA_ADMIN, KM_BUSINESS_ADMIN) may");
                });
        assertThatThrownBy(() -> review.export(NOW.minusSeconds(60), NOW, operator(role)))
                .isInstanceOfSatisfying(DomainException.class,
                        e -> assertThat(e.kind()).isEqualTo(DomainException.Kind.FORBIDDEN));

        assertThat(calls).containsExactly("audit AUDIT_TRAIL_READ FAILURE", "audit AUDIT_TRAIL_EXPORTED FAILURE");
        assertThat(recorded.get(0).details()).containsEntry("reason", "role");
    }

    @Test
    void aQueryTheReaderRefusesIsNeitherAuditedNorRead() {
        assertThatThrownBy(() -> review.read(new AuditQuery(null, null, null, null, null, 10, "bad", null),
                operator(Role.AUDITOR))).isInstanceOfSatisfying(DomainException.class,
                        e -> assertThat(e.field()).isEqualTo("cursor"));
        assertThat(calls).isEmpty();
    }

    @Test
    void anOperatorWithoutRolesIsRefused() {
        Operator none = new Operator("nobody", "uid=nobody,ou=operators,o=egov-pki,c=CN", "No one", Set.of());

        assertThatThrownBy(() -> review.read(AuditQuery.all(), none)).isInstanceOf(DomainException.class);
        assertThat(calls).containsExactly("audit AUDIT_TRAIL_READ FAILURE");
    }

    @Test
    void anExportIsAuditedWithItsPeriodBeforeTheBundleIsMade() {
        Instant from = Instant.parse("2026-11-01T00:00:00Z");

        byte[] bundle = review.export(from, NOW, operator(Role.AUDITOR));

        assertThat(bundle).containsExactly(1);
        assertThat(calls).containsExactly("audit AUDIT_TRAIL_EXPORTED SUCCESS",
                "export uid=op1,ou=operators,o=egov-pki,c=CN");
        assertThat(recorded.get(0).details()).containsEntry("from", from.toString()).containsEntry("to", NOW.toString());
    }

    @Test
    void anExportNeedsAPeriodWithItsEndAfterItsStartAndNothingIsAuditedOrExportedOtherwise() {
        assertThatThrownBy(() -> review.export(null, NOW, operator(Role.AUDITOR)))
                .isInstanceOfSatisfying(DomainException.class, e -> assertThat(e.field()).isEqualTo("from"));
        assertThatThrownBy(() -> review.export(NOW, NOW, operator(Role.AUDITOR)))
                .isInstanceOfSatisfying(DomainException.class, e -> {
                    assertThat(e.field()).isEqualTo("to");
                    assertThat(e.getMessage()).contains("must be after from");
                });
        assertThat(calls).isEmpty();
    }

    @Test
    void aFilterValueThatLooksLikeAnIdNumberIsMaskedInTheReadsEvent() {
        review.read(new AuditQuery(null, null, null, null, "11010519491231002X", 10, null, null),
                operator(Role.AUDITOR));

        assertThat(recorded.get(0).details().get("subject")).isEqualTo("110***********002X");
        assertThat(recorded.get(0).details().toString()).doesNotContain("11010519491231002X");
    }

    @Test
    void aQueryRefusesALimitOutsideOneToAThousandAnEmptyRangeAndBlankFilters() {
        assertThatThrownBy(() -> new AuditQuery(null, null, null, null, null, 0, null, null))
                .isInstanceOfSatisfying(DomainException.class, e -> {
                    assertThat(e.field()).isEqualTo("limit");
                    assertThat(e.getMessage()).isEqualTo("limit must be a whole number from 1 to 1000");
                });
        assertThatThrownBy(() -> new AuditQuery(null, null, null, null, null, 1001, null, null))
                .isInstanceOfSatisfying(DomainException.class, e -> assertThat(e.field()).isEqualTo("limit"));
        assertThatThrownBy(() -> new AuditQuery(NOW, NOW.minusSeconds(1), null, null, null, 10, null, null))
                .isInstanceOfSatisfying(DomainException.class, e -> assertThat(e.field()).isEqualTo("to"));
        assertThatThrownBy(() -> new AuditQuery(null, null, null, " ", null, 10, null, null))
                .isInstanceOfSatisfying(DomainException.class, e -> assertThat(e.field()).isEqualTo("actor"));
        assertThatThrownBy(() -> new AuditQuery(null, null, null, null, "", 10, null, null))
                .isInstanceOfSatisfying(DomainException.class, e -> assertThat(e.field()).isEqualTo("subject"));
    }

    @Test
    void aQueryMatchesTimeFromInclusiveToExclusiveAndEveryOtherFilterExactly() {
        AuditQuery q = new AuditQuery(NOW, NOW.plusSeconds(60), AuditEventType.CRL_ISSUED, "system", "sm2-issuing",
                10, null, null);

        assertThat(q.matches(NOW, "CRL_ISSUED", "system", List.of("x", "sm2-issuing"))).isTrue();
        assertThat(q.matches(NOW.minusMillis(1), "CRL_ISSUED", "system", List.of("sm2-issuing"))).isFalse();
        assertThat(q.matches(NOW.plusSeconds(60), "CRL_ISSUED", "system", List.of("sm2-issuing"))).isFalse();
        assertThat(q.matches(NOW, "CRL_ISSUE_FAILED", "system", List.of("sm2-issuing"))).isFalse();
        assertThat(q.matches(NOW, "CRL_ISSUED", "System", List.of("sm2-issuing"))).isFalse();
        assertThat(q.matches(NOW, "CRL_ISSUED", "system", List.of("sm2"))).isFalse();
    }
}
