package org.egovpki.server.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.egovpki.core.DomainException;
import org.egovpki.core.audit.AuditEntry;
import org.egovpki.core.audit.AuditEvent;
import org.egovpki.core.audit.AuditEventType;
import org.egovpki.core.audit.AuditExportSigner;
import org.egovpki.core.audit.AuditPage;
import org.egovpki.core.audit.AuditQuery;
import org.egovpki.core.audit.AuditQuery.Order;
import org.egovpki.core.audit.AuditReview;
import org.egovpki.core.ca.MovableClock;
import org.egovpki.core.operator.Operator;
import org.egovpki.core.operator.Role;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Reading the trail as {@link FileAuditLog} writes it: exact filters, pages that neither skip nor
 * repeat across rotated files, cursors that stay valid while lines are appended and files rotate,
 * refused cursors, and a read that adds exactly its own event.
 */
class FileAuditTrailReaderTest {

    private static final String TRAIL = FileAuditLog.SERVER_TRAIL;
    /** About ten events a file. */
    private static final AuditRotation SMALL_FILES = new AuditRotation(3_000, false, ZoneId.of("UTC"));
    private static final Instant START = Instant.parse("2026-12-01T08:00:00Z");
    private static final String CLERK_DN = "uid=clerk1,ou=operators,o=egov-pki,c=CN";
    private static final Operator AUDITOR = new Operator("audit1", "uid=audit1,ou=operators,o=egov-pki,c=CN",
            "Auditor", Set.of(Role.AUDITOR));
    private static final AuditExportSigner NO_SIGNER = new AuditExportSigner() {
        @Override
        public byte[] sign(byte[] manifest) {
            throw new AssertionError("not exported here");
        }

        @Override
        public String ca() {
            return "none";
        }
    };

    @TempDir
    Path dir;

    private final AuditSeal seal = AuditSeal.of("test-seal-key-0123456789abcdef".toCharArray());
    private final MovableClock clock = new MovableClock(START);
    private Path file;
    private FileAuditLog log;
    private FileAuditTrailReader reader;
    private int written;

    @BeforeEach
    void open() {
        file = dir.resolve("audit").resolve("audit.jsonl");
        log = new FileAuditLog(file, TRAIL, seal, clock, SMALL_FILES);
        reader = new FileAuditTrailReader(file, TRAIL, NO_SIGNER, clock);
    }

    @AfterEach
    void close() {
        log.close();
    }

    /** Events a minute apart: CRLs by the system, every third a clerk's submission of req-N. */
    private void write(int events) {
        for (int i = 0; i < events; i++) {
            clock.advance(Duration.ofMinutes(1));
            written++;
            AuditEvent event = written % 3 == 0
                    ? AuditEvent.success(clock.instant(), AuditEventType.REQUEST_SUBMITTED, CLERK_DN,
                            List.of("req-" + written), Map.of("profile", "personal"))
                    : AuditEvent.success(clock.instant(), AuditEventType.CRL_ISSUED, AuditEvent.SYSTEM,
                            List.of("sm2-issuing"), Map.of("crlNumber", Integer.toString(written)));
            log.record(event);
        }
    }

    private static AuditQuery query(int limit, Order order) {
        return new AuditQuery(null, null, null, null, null, limit, null, order);
    }

    private static AuditQuery next(AuditQuery q, String cursor) {
        return new AuditQuery(q.from(), q.to(), q.type(), q.actor(), q.subject(), q.limit(), cursor, q.order());
    }

    /** Every sequence the files hold, oldest first. */
    private List<Long> allSequences() throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<Long> sequences = new ArrayList<>();
        for (Path f : AuditFiles.all(file)) {
            for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                sequences.add(json.readTree(line).path("seq").asLong());
            }
        }
        return sequences;
    }

    /** Follows the cursors to the end. */
    private List<Long> readAll(AuditQuery first) {
        List<Long> sequences = new ArrayList<>();
        AuditQuery q = first;
        for (int pages = 0; pages < 1000; pages++) {
            AuditPage page = reader.read(q);
            assertThat(page.entries().size()).isLessThanOrEqualTo(q.limit());
            page.entries().forEach(e -> sequences.add(e.sequence()));
            if (page.next() == null) {
                return sequences;
            }
            q = next(q, page.next());
        }
        throw new AssertionError("no last page");
    }

    @Test
    void anEntryIsAnsweredWithItsSequenceAndItsFieldsAsWritten() {
        write(3);

        AuditEntry newest = reader.read(query(1, Order.NEWEST_FIRST)).entries().get(0);

        assertThat(newest.sequence()).isEqualTo(3);
        assertThat(newest.time()).isEqualTo(START.plus(Duration.ofMinutes(3)));
        assertThat(newest.type()).isEqualTo("REQUEST_SUBMITTED");
        assertThat(newest.actor()).isEqualTo(CLERK_DN);
        assertThat(newest.subjects()).containsExactly("req-3");
        assertThat(newest.details()).containsExactly(Map.entry("profile", "personal"));
        assertThat(newest.outcome()).isEqualTo("SUCCESS");
    }

    @Test
    void filtersMatchTheirFieldsExactly() {
        write(30);

        List<AuditEntry> byType = reader.read(new AuditQuery(null, null, AuditEventType.REQUEST_SUBMITTED, null, null,
                100, null, Order.OLDEST_FIRST)).entries();
        assertThat(byType).hasSize(10).allSatisfy(e -> assertThat(e.type()).isEqualTo("REQUEST_SUBMITTED"));
        assertThat(byType.get(0).subjects()).containsExactly("req-3");

        List<AuditEntry> byActor = reader.read(new AuditQuery(null, null, null, CLERK_DN, null, 100, null, null))
                .entries();
        assertThat(byActor).hasSize(10).allSatisfy(e -> assertThat(e.actor()).isEqualTo(CLERK_DN));
        assertThat(reader.read(new AuditQuery(null, null, null, CLERK_DN.toUpperCase(), null, 100, null, null))
                .entries()).isEmpty();

        assertThat(reader.read(new AuditQuery(null, null, null, null, "req-12", 100, null, null)).entries())
                .singleElement().satisfies(e -> assertThat(e.subjects()).containsExactly("req-12"));
        assertThat(reader.read(new AuditQuery(null, null, null, null, "req-1", 100, null, null)).entries()).isEmpty();

        // from inclusive, to exclusive: events 5..9 (a minute apart from START + 1 min)
        List<AuditEntry> byTime = reader.read(new AuditQuery(START.plus(Duration.ofMinutes(5)),
                START.plus(Duration.ofMinutes(10)), null, null, null, 100, null, Order.OLDEST_FIRST)).entries();
        assertThat(byTime).extracting(AuditEntry::time).allSatisfy(t -> assertThat(t)
                .isBetween(START.plus(Duration.ofMinutes(5)), START.plus(Duration.ofMinutes(9))));
        assertThat(byTime).extracting(e -> e.details().get("crlNumber")).contains("5", "7", "8");
        assertThat(byTime).noneMatch(e -> "10".equals(e.details().get("crlNumber")));
    }

    @ParameterizedTest
    @EnumSource(Order.class)
    void pagesCoverEveryFileOfARotatedTrailWithoutGapsOrRepeats(Order order) throws IOException {
        write(45);
        assertThat(AuditFiles.closed(file)).hasSizeGreaterThan(2);
        List<Long> expected = allSequences();
        if (order == Order.NEWEST_FIRST) {
            Collections.reverse(expected);
        }

        assertThat(readAll(query(7, order))).isEqualTo(expected);
        assertThat(readAll(query(1000, order))).isEqualTo(expected);
    }

    @Test
    void aNewestFirstCursorGoesOnBelowItsPageWhileLinesAreAppendedAndTheFileRotates() throws IOException {
        write(25);
        AuditQuery first = query(5, Order.NEWEST_FIRST);
        AuditPage page1 = reader.read(first);
        long lastShown = page1.entries().get(4).sequence();
        int closedBefore = AuditFiles.closed(file).size();

        write(30);
        assertThat(AuditFiles.closed(file).size()).isGreaterThan(closedBefore);
        AuditPage page2 = reader.read(next(first, page1.next()));

        assertThat(page2.entries()).extracting(AuditEntry::sequence)
                .containsExactly(lastShown - 1, lastShown - 2, lastShown - 3, lastShown - 4, lastShown - 5);
    }

    @Test
    void anOldestFirstCursorGoesOnAboveItsPageAndReachesLinesAppendedMeanwhile() throws IOException {
        write(12);
        AuditQuery first = query(10, Order.OLDEST_FIRST);
        AuditPage page1 = reader.read(first);
        assertThat(page1.entries()).extracting(AuditEntry::sequence).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L,
                9L, 10L);

        write(30);
        List<Long> rest = readAll(next(first, page1.next()));

        List<Long> all = allSequences();
        assertThat(rest).isEqualTo(all.subList(10, all.size()));
    }

    @Test
    void aCursorThatIsNotOneOrBelongsToAnotherReadIsRefused() {
        write(12);
        AuditQuery first = query(5, Order.NEWEST_FIRST);
        String cursor = reader.read(first).next();

        assertThatThrownBy(() -> reader.read(next(first, "not-a-cursor")))
                .isInstanceOfSatisfying(DomainException.class, e -> {
                    assertThat(e.field()).isEqualTo("cursor");
                    assertThat(e.getMessage()).startsWith("cursor is not a next token of this API");
                });
        assertThatThrownBy(() -> reader.read(new AuditQuery(null, null, null, null, null, 5, cursor,
                Order.OLDEST_FIRST)))
                .isInstanceOfSatisfying(DomainException.class, e -> assertThat(e.getMessage())
                        .startsWith("cursor belongs to a read in the other order"));
        assertThatThrownBy(() -> reader.read(new AuditQuery(null, null, AuditEventType.CRL_ISSUED, null, null, 5, cursor,
                Order.NEWEST_FIRST)))
                .isInstanceOfSatisfying(DomainException.class, e -> assertThat(e.getMessage())
                        .startsWith("cursor belongs to a read with other filters"));
    }

    @Test
    void aLineStillBeingWrittenIsNotAnEntryYet() throws IOException {
        write(3);
        log.close();
        Files.writeString(file, "{\"seq\":4,\"time\":\"2026-12-01T09:00:00Z\"", StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.APPEND);

        assertThat(reader.read(query(10, Order.NEWEST_FIRST)).entries()).extracting(AuditEntry::sequence)
                .containsExactly(3L, 2L, 1L);
        log = new FileAuditLog(file, TRAIL, seal, clock, SMALL_FILES);
    }

    @Test
    void readingTheTrailAddsExactlyTheReadsEventWhichTheReadItselfSees() throws IOException {
        write(12);
        AuditReview review = new AuditReview(reader, log, clock);
        long before = log.lastSequence();
        List<Long> sequencesBefore = allSequences();

        AuditPage page = review.read(new AuditQuery(null, null, null, null, "req-3", 10, null, null), AUDITOR);

        assertThat(log.lastSequence()).isEqualTo(before + 1);
        List<Long> after = allSequences();
        assertThat(after.subList(0, after.size() - 1)).isEqualTo(sequencesBefore);
        AuditEntry read = reader.read(query(1, Order.NEWEST_FIRST)).entries().get(0);
        assertThat(read.sequence()).isEqualTo(before + 1);
        assertThat(read.type()).isEqualTo("AUDIT_TRAIL_READ");
        assertThat(read.actor()).isEqualTo(AUDITOR.dn());
        assertThat(read.outcome()).isEqualTo("SUCCESS");
        assertThat(read.details()).containsEntry("subject", "req-3").containsEntry("limit", "10");
        assertThat(page.entries()).singleElement().satisfies(e -> assertThat(e.subjects()).containsExactly("req-3"));
    }
}
