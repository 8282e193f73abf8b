package org.egovpki.directory.km;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.SearchResultEntry;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.egovpki.core.DomainException;
import org.egovpki.core.operator.Role;
import org.egovpki.core.km.centre.Approval;
import org.egovpki.core.km.centre.RecoveryKind;
import org.egovpki.core.km.centre.RecoveryRequest;
import org.egovpki.core.km.centre.RecoveryState;
import org.egovpki.directory.TestDirectory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The key recovery store against the real embedded directory, bound as the KM's own account. */
class LdapRecoveryStoreIT {

    private static final Instant NOW = Instant.parse("2026-11-21T08:00:00Z");
    private static final String CLERK = "uid=km-clerk,ou=operators,o=egov-pki,c=CN";
    private static final String BUSINESS_ADMIN = "uid=km-admin,ou=operators,o=egov-pki,c=CN";
    private static final String OPERATOR = "uid=km-operator,ou=operators,o=egov-pki,c=CN";

    @TempDir
    static Path work;

    private static TestDirectory directory;
    private static LDAPConnection km;
    private static LdapRecoveryStore store;

    @BeforeAll
    static void start() throws Exception {
        directory = TestDirectory.start(work);
        km = directory.km();
        store = new LdapRecoveryStore(directory.kmPool(4), directory.names());
    }

    @AfterAll
    static void stop() {
        if (directory != null) {
            directory.close();
        }
    }

    @Test
    void everyFieldComesBackAsWritten() {
        RecoveryRequest judicial = new RecoveryRequest("kr-full", RecoveryKind.JUDICIAL, "sm2-issuing",
                new BigInteger("5a71b201d2e5b678", 16), "k-000456",
                "egovSubscriberId=p-1,ou=subscribers,o=egov-pki,c=CN", "court order in case 2026-17",
                "(2026) Yu 0105 Xing Chu 17", officerCertificate(), CLERK, NOW.minusMillis(90_001),
                List.of(new Approval(Role.KM_BUSINESS_ADMIN, BUSINESS_ADMIN, NOW.minusMillis(60_002)),
                        new Approval(Role.KM_OPERATOR, OPERATOR, NOW.minusMillis(30_003))),
                RecoveryState.REJECTED, "{PBKDF2-SHA256}310000$c2FsdA$aGFzaA", NOW.plus(Duration.ofHours(24)),
                NOW.minusMillis(10_004), NOW.minusMillis(20_005), "the document was withdrawn");
        RecoveryRequest sparse = new RecoveryRequest("kr-sparse", RecoveryKind.SUBSCRIBER, "sm2-issuing",
                BigInteger.TEN, "k-000457", null, null, null, null, CLERK, NOW, List.of(), RecoveryState.SUBMITTED,
                null, null, null, null, null);

        store.create(judicial);
        store.create(sparse);

        assertThat(store.find("kr-full")).get().usingRecursiveComparison().isEqualTo(judicial);
        assertThat(store.find("kr-sparse")).get().usingRecursiveComparison().isEqualTo(sparse);
        assertThat(store.find("kr-none")).isEmpty();
    }

    @Test
    void theEntryCarriesTheDetailsClassTheOfficerCertificateAndTheApproversForABrowser() throws Exception {
        store.create(submitted("kr-entry", NOW).approved(approval(Role.KM_OPERATOR, OPERATOR, NOW),
                RecoveryState.APPROVING, null, null, null));

        SearchResultEntry entry = km.getEntry(directory.names().keyRecovery("kr-entry").toString(), "*");
        assertThat(entry.getObjectClassValues()).contains("egovKeyRecoveryRequest", "egovKeyRecoveryDetails");
        assertThat(entry.getAttributeValue("egovSerialNumber")).isEqualTo("5a71b201d2e5b678");
        assertThat(entry.getAttributeValues("egovApprovedBy")).containsExactly(OPERATOR);
        assertThat(entry.getAttributeValues("egovApprovals")).containsExactly(
                "KM_OPERATOR:" + OPERATOR + ":20261121080000.000Z");
    }

    @Test
    void creatingARequestWhoseIdExistsIsAConflictAndTheFirstStays() {
        RecoveryRequest first = submitted("kr-dup", NOW);
        store.create(first);

        assertThatThrownBy(() -> store.create(submitted("kr-dup", NOW.plusSeconds(1))))
                .isInstanceOfSatisfying(DomainException.class,
                        e -> assertThat(e.kind()).isEqualTo(DomainException.Kind.CONFLICT));
        assertThat(store.find("kr-dup")).get().usingRecursiveComparison().isEqualTo(first);
    }

    @Test
    void approvalsComeBackInTheOrderTheyWereGivenWhateverOrderTheDirectoryHoldsThemIn() throws Exception {
        // Names and roles sort in the reverse order of the times, and one DN has a colon in it.
        String colon = "uid=a:b,ou=operators,o=egov-pki,c=CN";
        RecoveryRequest request = submitted("kr-order", NOW)
                .approved(approval(Role.KM_OPERATOR, OPERATOR, NOW.plusMillis(1)), RecoveryState.APPROVING, null,
                        null, null)
                .approved(approval(Role.KM_BUSINESS_ADMIN, colon, NOW.plusMillis(2)), RecoveryState.APPROVED, null,
                        null, NOW.plusMillis(2));
        store.create(request);
        assertThat(store.find("kr-order").orElseThrow().approvals()).containsExactlyElementsOf(request.approvals());

        // A directory keeps no order among values: hold them the other way round.
        List<String> values = LdapRecoveryStore.approvals(request.approvals());
        km.modify(directory.names().keyRecovery("kr-order").toString(), new Modification(ModificationType.REPLACE,
                "egovApprovals", values.get(1), values.get(0)));
        assertThat(km.getEntry(directory.names().keyRecovery("kr-order").toString(), "egovApprovals")
                .getAttributeValues("egovApprovals")).containsExactly(values.get(1), values.get(0));

        assertThat(store.find("kr-order").orElseThrow().approvals()).containsExactlyElementsOf(request.approvals());
    }

    @Test
    void theTwoApprovalsAndTheDeliveryAreEachACompareAndSwap() {
        RecoveryRequest submitted = submitted("kr-steps", NOW);
        store.create(submitted);
        RecoveryRequest first = submitted.approved(approval(Role.KM_BUSINESS_ADMIN, BUSINESS_ADMIN, NOW.plusSeconds(1)),
                RecoveryState.APPROVING, null, null, null);
        RecoveryRequest second = first.approved(approval(Role.KM_OPERATOR, OPERATOR, NOW.plusSeconds(2)),
                RecoveryState.APPROVED, "{PBKDF2-SHA256}310000$c2FsdA$aGFzaA", NOW.plus(Duration.ofHours(1)),
                NOW.plusSeconds(2));
        RecoveryRequest recovered = second.recovered(NOW.plusSeconds(3));

        assertThat(store.transition(RecoveryState.SUBMITTED, first)).isTrue();
        assertThat(store.transition(RecoveryState.SUBMITTED, first)).isFalse();
        assertThat(store.transition(RecoveryState.APPROVING, second)).isTrue();
        // A rejection that still believes the request half-approved loses, and writes nothing.
        assertThat(store.transition(RecoveryState.APPROVING, first.rejected(NOW.plusSeconds(3), "too late"))).isFalse();
        assertThat(store.find("kr-steps")).get().usingRecursiveComparison().isEqualTo(second);
        assertThat(store.transition(RecoveryState.APPROVED, recovered)).isTrue();

        assertThat(store.find("kr-steps")).get().usingRecursiveComparison().isEqualTo(recovered);
        assertThat(store.transition(RecoveryState.APPROVED, recovered)).isFalse();
    }

    @Test
    void aStepThatKeepsTheStateIsStillACompareAndSwap() {
        RecoveryRequest approved = submitted("kr-same", NOW).approved(approval(Role.KM_OPERATOR, OPERATOR, NOW),
                RecoveryState.APPROVED, "{PBKDF2-SHA256}1$a$b", NOW.plusSeconds(60), NOW);
        store.create(approved);
        // A new challenge code for the same approval, e.g. after the first one expired.
        RecoveryRequest renewed = new RecoveryRequest(approved.id(), approved.kind(), approved.caName(),
                approved.serial(), approved.keyId(), approved.subscriberDn(), approved.reason(),
                approved.legalDocumentRef(), approved.officerCertificate(), approved.enteredBy(),
                approved.submittedAt(), approved.approvals(), RecoveryState.APPROVED, "{PBKDF2-SHA256}1$c$d",
                NOW.plusSeconds(120), null, approved.decidedAt(), null);

        assertThat(store.transition(RecoveryState.APPROVED, renewed)).isTrue();
        assertThat(store.find("kr-same")).get().usingRecursiveComparison().isEqualTo(renewed);

        store.transition(RecoveryState.APPROVED, renewed.recovered(NOW.plusSeconds(100)));
        assertThat(store.transition(RecoveryState.APPROVED, renewed)).isFalse();
    }

    @Test
    void ofTwoConcurrentFirstApprovalsExactlyOneCounts() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            for (int i = 0; i < 20; i++) {
                RecoveryRequest submitted = submitted("kr-race-" + i, NOW);
                store.create(submitted);
                RecoveryRequest byAdmin = submitted.approved(approval(Role.KM_BUSINESS_ADMIN, BUSINESS_ADMIN, NOW),
                        RecoveryState.APPROVING, null, null, null);
                RecoveryRequest byOperator = submitted.approved(approval(Role.KM_OPERATOR, OPERATOR, NOW),
                        RecoveryState.APPROVING, null, null, null);
                CyclicBarrier start = new CyclicBarrier(2);
                Future<Boolean> admin = threads.submit(at(start,
                        () -> store.transition(RecoveryState.SUBMITTED, byAdmin)));
                Future<Boolean> operator = threads.submit(at(start,
                        () -> store.transition(RecoveryState.SUBMITTED, byOperator)));

                boolean adminWon = admin.get(30, TimeUnit.SECONDS);
                boolean operatorWon = operator.get(30, TimeUnit.SECONDS);
                assertThat(adminWon ^ operatorWon).as("exactly one first approval, round %d", i).isTrue();
                assertThat(store.find(submitted.id()).orElseThrow().approvals())
                        .containsExactlyElementsOf((adminWon ? byAdmin : byOperator).approvals());
            }
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void listGivesTheOldestFirstAndTheOldestWhenLimited() {
        // Written newest first, so the directory's own order is not the answer.
        List<String> ids = List.of("kr-list-5", "kr-list-4", "kr-list-3", "kr-list-2", "kr-list-1");
        for (String id : ids) {
            int year = 2000 + Integer.parseInt(id.substring(id.length() - 1));
            store.create(submitted(id, Instant.parse(year + "-01-01T00:00:00Z")));
        }
        for (String id : List.of("kr-list-2", "kr-list-4")) {
            RecoveryRequest request = store.find(id).orElseThrow();
            assertThat(store.transition(RecoveryState.SUBMITTED, request.rejected(NOW, "no document"))).isTrue();
        }

        // Every other request in this directory was submitted later (NOW), so these are the oldest.
        assertThat(store.list(RecoveryState.SUBMITTED, 2)).extracting(RecoveryRequest::id)
                .containsExactly("kr-list-1", "kr-list-3");
        assertThat(store.list(null, 3)).extracting(RecoveryRequest::id)
                .containsExactly("kr-list-1", "kr-list-2", "kr-list-3");
        assertThat(store.list(RecoveryState.SUBMITTED, 1_000)).extracting(RecoveryRequest::id)
                .startsWith("kr-list-1", "kr-list-3", "kr-list-5")
                .allSatisfy(id -> assertThat(store.find(id).orElseThrow().state()).isEqualTo(RecoveryState.SUBMITTED));
        assertThat(store.list(RecoveryState.REJECTED, 1_000)).extracting(RecoveryRequest::id)
                .startsWith("kr-list-2", "kr-list-4");
    }

    @Test
    void aTransitionOfARequestThatDoesNotExistIsNotFound() {
        RecoveryRequest missing = submitted("kr-missing", NOW);
        assertThatThrownBy(() -> store.transition(RecoveryState.SUBMITTED, missing.rejected(NOW, "no")))
                .isInstanceOfSatisfying(DomainException.class,
                        e -> assertThat(e.kind()).isEqualTo(DomainException.Kind.NOT_FOUND));
    }

    private static <T> Callable<T> at(CyclicBarrier start, Callable<T> task) {
        return () -> {
            start.await(30, TimeUnit.SECONDS);
            return task.call();
        };
    }

    private static Approval approval(Role role, String dn, Instant at) {
        return new Approval(role, dn, at);
    }

    private static RecoveryRequest submitted(String id, Instant at) {
        return new RecoveryRequest(id, RecoveryKind.SUBSCRIBER, "sm2-issuing", new BigInteger("5a71b201d2e5b678", 16),
                "k-000456", "egovSubscriberId=p-1,ou=subscribers,o=egov-pki,c=CN", "token lost", null, null, CLERK, at,
                List.of(), RecoveryState.SUBMITTED, null, null, null, null, null);
    }

    /** Stands in for a DER certificate: the store keeps bytes, whatever they are. */
    private static byte[] officerCertificate() {
        byte[] der = new byte[300];
        for (int i = 0; i < der.length; i++) {
            der[i] = (byte) (i * 13 + 0x80);
        }
        der[0] = 0x30;
        return der;
    }
}
