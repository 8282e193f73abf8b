package org.egovpki.directory.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPResult;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.RDN;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.egovpki.core.operator.Role;
import org.egovpki.directory.DirectoryNames;
import org.egovpki.directory.TestDirectory;
import org.egovpki.schema.DirectoryLayout;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An anonymous client cannot tell a private entry that exists from one that does not: every
 * operation it can try (base, one-level and subtree searches, searches below the entry, compare,
 * modify, delete, rename, add below it) answers the same result code, matched DN and diagnostic
 * for an existing private entry as for an absent sibling — compared pairwise, on the real
 * embedded directory with the access control egov-pki installs. Subordinate counts tell it
 * nothing either, and public data stays readable.
 */
class AnonymousDisclosureIT {

    @TempDir
    static Path work;

    private static TestDirectory directory;
    private static DirectoryNames names;
    private static LDAPConnection anonymous;

    @BeforeAll
    static void start() throws Exception {
        directory = TestDirectory.start(work);
        names = directory.names();
        anonymous = directory.anonymous();
        directory.operator("clerk01", Role.ENTRY_CLERK);
        LDAPConnection admin = directory.admin();
        admin.add(entry(names.request("r-0123456789abcdef0123"), "egovEnrollmentRequest",
                "egovRequestId", "r-0123456789abcdef0123", "egovRequestState", "SUBMITTED"));
        admin.add(entry(names.certificate("sm2-issuing-01"), "egovCertificateRecord", "egovCertificateId",
                "sm2-issuing-01", "egovSerialNumber", "01", "egovIssuerName", "sm2-issuing",
                "egovIssuanceState", "PUBLISHED"));
        admin.add(new Entry(names.subscriber("p-1").toString(), List.of(
                new Attribute("objectClass", "top", "egovSubscriber", "pkiUser", "egovPublishedSubscriber"),
                new Attribute("egovSubscriberId", "p-1"), new Attribute("cn", "Wang Wei"))));
        admin.add(entry(names.registration("p-1"), "egovSubscriberRegistration", "cn", "registration",
                "egovSubscriberType", "PERSONAL", "egovIdNumber", "11010519491231002X"));
        directory.km().add(entry(names.escrowedKey("k-1"), "egovEscrowedKey", "egovKeyId", "k-1",
                "egovKeyState", "ACTIVE"));
        admin.add(entry(child(names.container(DirectoryLayout.Container.SYNC), "cn", "henan-tax"), "egovSyncTarget",
                "cn", "henan-tax", "labeledURI", "https://tax.example.gov.cn/pki/sync"));
        admin.add(entry(child(names.container(DirectoryLayout.Container.AUDIT), "egovAuditSequence", "1"),
                "egovAuditEvent", "egovAuditSequence", "1", "egovAuditTime", "20250601083000Z",
                "egovAuditEventType", "SERVER_START", "egovAuditHash", "00"));
    }

    @AfterAll
    static void stop() {
        if (directory != null) {
            directory.close();
        }
    }

    /** Each private entry that exists, with an absent sibling of the same shape. */
    static Stream<Arguments> privateEntries() {
        return Stream.of(
                Arguments.of("operator", names(n -> n.operator("clerk01")), names(n -> n.operator("clerk99"))),
                Arguments.of("request", names(n -> n.request("r-0123456789abcdef0123")),
                        names(n -> n.request("r-ffffffffffffffffffff"))),
                Arguments.of("registration", names(n -> n.registration("p-1")),
                        names(n -> child(n.subscriber("p-1"), "cn", "registration-absent"))),
                Arguments.of("certificate record", names(n -> n.certificate("sm2-issuing-01")),
                        names(n -> n.certificate("sm2-issuing-02"))),
                Arguments.of("CA service account", names(DirectoryNames::caServiceAccount),
                        names(n -> child(n.services(), "uid", "egov-pki-absent"))),
                Arguments.of("KM service account", names(DirectoryNames::kmServiceAccount),
                        names(n -> child(n.services(), "uid", "egov-pki-kx"))),
                Arguments.of("escrowed key", names(n -> n.escrowedKey("k-1")), names(n -> n.escrowedKey("k-2"))),
                Arguments.of("sync target",
                        names(n -> child(n.container(DirectoryLayout.Container.SYNC), "cn", "henan-tax")),
                        names(n -> child(n.container(DirectoryLayout.Container.SYNC), "cn", "henan-bank"))),
                Arguments.of("audit event",
                        names(n -> child(n.container(DirectoryLayout.Container.AUDIT), "egovAuditSequence", "1")),
                        names(n -> child(n.container(DirectoryLayout.Container.AUDIT), "egovAuditSequence", "2"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("privateEntries")
    void searchesAnswerAnExistingPrivateEntryExactlyAsAnAbsentOne(String what, String existing, String absent)
            throws Exception {
        for (SearchScope scope : List.of(SearchScope.BASE, SearchScope.ONE, SearchScope.SUB)) {
            for (String filter : List.of("(objectClass=*)", "(uid=*)", "(cn=registration)")) {
                assertSame(what + " " + scope.getName() + " search " + filter, existing, absent,
                        dn -> search(dn, scope, filter));
            }
        }
        // Below the entry: the matched DN must not name the private entry.
        assertSame(what + " search below", existing, absent, dn -> search(child(dn, "cn", "x"), SearchScope.BASE,
                "(objectClass=*)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("privateEntries")
    void comparesAndWritesAnswerAnExistingPrivateEntryExactlyAsAnAbsentOne(String what, String existing,
                                                                          String absent) throws Exception {
        assertSame(what + " compare objectClass", existing, absent,
                dn -> outcome(() -> anonymous.compare(dn, "objectClass", "top")));
        assertSame(what + " compare cn", existing, absent, dn -> outcome(() -> anonymous.compare(dn, "cn", "x")));
        assertSame(what + " modify", existing, absent, dn -> outcome(() -> anonymous.modify(dn,
                new Modification(ModificationType.REPLACE, "description", "probe"))));
        assertSame(what + " delete", existing, absent, dn -> outcome(() -> anonymous.delete(dn)));
        assertSame(what + " rename", existing, absent, dn -> outcome(() -> anonymous.modifyDN(dn, "cn=probe", true)));
        assertSame(what + " add below", existing, absent, dn -> outcome(() -> anonymous.add(
                entry(new DN(child(dn, "cn", "probe")), "egovSubscriberRegistration", "cn", "probe",
                        "egovSubscriberType", "PERSONAL"))));
        assertSame(what + " bind", existing, absent, dn -> outcome(() -> {
            try (LDAPConnection connection = directory.anonymous()) {
                return connection.bind(dn, "wrong-password-1");
            }
        }));
    }

    @Test
    void filtersOnPrivateAttributesFindNothingPrivate() throws Exception {
        for (String filter : List.of("(egovIdNumber=11010519491231002X)", "(egovIdNumber=*)",
                "(egovSubscriberType=PERSONAL)", "(egovRequestState=SUBMITTED)", "(userPassword=*)",
                "(egovRole=*)", "(egovKeyState=ACTIVE)", "(modifiersName=*)", "(creatorsName=*)",
                "(createTimestamp>=19700101000000Z)", "(entryUUID=*)",
                "(&(objectClass=egovSubscriber)(creatorsName=" + EmbeddedDirectory.adminDn() + "))")) {
            SearchResult result = anonymous.search(new SearchRequest(names.base().toString(), SearchScope.SUB,
                    Filter.create(filter), "1.1"));
            // The base entry, the container names and the CAs are public with all their attributes.
            assertThat(result.getSearchEntries()).as(filter).extracting(SearchResultEntry::getParsedDN)
                    .allMatch(dn -> dn.getRDNs().length <= names.base().getRDNs().length + 1
                            || dn.isDescendantOf(names.cas(), false));
        }
    }

    /** A subscriber entry modified since its creation has a hidden modifiersName; one never modified has none. */
    @Test
    void negatedFiltersOnHiddenAttributesDoNotRevealTheirPresence() throws Exception {
        LDAPConnection admin = directory.admin();
        admin.add(new Entry(names.subscriber("p-2").toString(), List.of(
                new Attribute("objectClass", "top", "egovSubscriber", "pkiUser", "egovPublishedSubscriber"),
                new Attribute("egovSubscriberId", "p-2"), new Attribute("cn", "Li Na"))));
        admin.modify(names.subscriber("p-2").toString(), new Modification(ModificationType.REPLACE, "cn", "Li Na 2"));
        assertThat(admin.getEntry(names.subscriber("p-2").toString(), "modifiersName").hasAttribute("modifiersName"))
                .isTrue();
        assertThat(admin.getEntry(names.subscriber("p-1").toString(), "modifiersName").hasAttribute("modifiersName"))
                .isFalse();

        for (String id : List.of("p-1", "p-2")) {
            for (String filter : List.of("(&(egovSubscriberId=" + id + ")(!(modifiersName=*)))",
                    "(&(egovSubscriberId=" + id + ")(modifiersName=*))",
                    "(|(egovSubscriberId=nobody)(&(egovSubscriberId=" + id + ")(!(modifyTimestamp>=19700101000000Z))))")) {
                assertThat(anonymous.search(names.base().toString(), SearchScope.SUB, filter).getEntryCount())
                        .as(filter).isZero();
            }
            // Filters on what the entry shows still work.
            assertThat(anonymous.search(names.base().toString(), SearchScope.SUB,
                    "(&(egovSubscriberId=" + id + ")(objectClass=pkiUser)(cn=*))").getEntryCount()).isEqualTo(1);
        }
    }

    @Test
    void subordinateCountsAreNotGivenToAnonymousReaders() throws Exception {
        for (DN dn : List.of(names.base(), names.container(DirectoryLayout.Container.OPERATORS),
                names.container(DirectoryLayout.Container.REQUESTS),
                names.container(DirectoryLayout.Container.CERTIFICATES),
                names.container(DirectoryLayout.Container.SUBSCRIBERS), names.services(), names.km(),
                names.subscriber("p-1"))) {
            SearchResultEntry entry = anonymous.getEntry(dn.toString(), "nbChildren", "nbSubordinates",
                    "numSubordinates", "hasSubordinates", "+");
            assertThat(entry).as(dn.toString()).isNotNull();
            for (String counter : List.of("nbChildren", "nbSubordinates", "numSubordinates", "hasSubordinates")) {
                assertThat(entry.hasAttribute(counter)).as(counter + " of " + dn).isFalse();
            }
        }
    }

    /** Without this, the answers above could come from a directory that shows nothing to anyone. */
    @Test
    void publicDataStaysReadableAndTheCaStillSeesItsEntries() throws Exception {
        SearchResultEntry subscriber = anonymous.getEntry(names.subscriber("p-1").toString());
        assertThat(subscriber.getAttributeValue("cn")).isEqualTo("Wang Wei");
        assertThat(anonymous.getEntry(names.cas().toString())).isNotNull();
        assertThat(anonymous.search(names.base().toString(), SearchScope.ONE, "(objectClass=*)").getEntryCount())
                .isEqualTo(DirectoryLayout.Container.values().length);
        assertThat(anonymous.search(names.container(DirectoryLayout.Container.SUBSCRIBERS).toString(),
                SearchScope.SUB, "(egovSubscriberId=p-1)").getSearchEntries())
                .extracting(SearchResultEntry::getParsedDN).containsExactly(names.subscriber("p-1"));
        assertThat(anonymous.compare(names.subscriber("p-1").toString(), "cn", "Wang Wei").compareMatched())
                .isTrue();

        LDAPConnection ca = directory.ca();
        assertThat(ca.getEntry(names.request("r-0123456789abcdef0123").toString())).isNotNull();
        assertThat(ca.getEntry(names.registration("p-1").toString()).getAttributeValue("egovIdNumber"))
                .isEqualTo("11010519491231002X");
        assertThat(ca.search(names.base().toString(), SearchScope.SUB, "(egovIdNumber=11010519491231002X)")
                .getEntryCount()).isEqualTo(1);
    }

    /** What a client observes of one operation: result code, matched DN, diagnostic and entries. */
    record Outcome(ResultCode code, String matchedDn, String diagnostic, List<String> entries) {
    }

    @FunctionalInterface
    interface Operation {
        LDAPResult run() throws LDAPException;
    }

    @FunctionalInterface
    interface Probe {
        Outcome on(String dn) throws Exception;
    }

    private static void assertSame(String what, String existing, String absent, Probe probe) throws Exception {
        Outcome forExisting = normalise(probe.on(existing), existing);
        Outcome forAbsent = normalise(probe.on(absent), absent);
        assertThat(forExisting).as(what + ": " + existing + " vs absent " + absent).isEqualTo(forAbsent);
    }

    /**
     * The diagnostic echoes the request (its DN, its message id, the request object's identity
     * hash): those differ by construction and tell the client nothing it did not send.
     */
    private static Outcome normalise(Outcome outcome, String dn) throws LDAPException {
        String diagnostic = outcome.diagnostic() == null ? null : outcome.diagnostic()
                .replaceAll("@[0-9a-f]+", "@hash")
                .replaceAll("(?i)message ?id ?: ?\\d+", "messageId")
                .replace(dn, "<dn>").replace(new DN(dn).toNormalizedString(), "<dn>");
        return new Outcome(outcome.code(), outcome.matchedDn(), diagnostic, outcome.entries().stream()
                .map(e -> e.replace(dn, "<dn>")).toList());
    }

    private static Outcome search(String base, SearchScope scope, String filter) {
        try {
            SearchResult result = anonymous.search(new SearchRequest(base, scope, Filter.create(filter), "*", "+"));
            return new Outcome(result.getResultCode(), result.getMatchedDN(), result.getDiagnosticMessage(),
                    result.getSearchEntries().stream().map(SearchResultEntry::getDN).toList());
        } catch (LDAPException e) {
            return new Outcome(e.getResultCode(), e.getMatchedDN(), e.getDiagnosticMessage(), List.of());
        }
    }

    private static Outcome outcome(Operation operation) {
        try {
            LDAPResult result = operation.run();
            return new Outcome(result.getResultCode(), result.getMatchedDN(), result.getDiagnosticMessage(),
                    List.of());
        } catch (LDAPException e) {
            return new Outcome(e.getResultCode(), e.getMatchedDN(), e.getDiagnosticMessage(), List.of());
        }
    }

    private static String names(Function<DirectoryNames, DN> dn) {
        return dn.apply(new DirectoryNames(TestDirectory.BASE)).toString();
    }

    private static String child(String parent, String attribute, String value) {
        try {
            return child(new DN(parent), attribute, value).toString();
        } catch (LDAPException e) {
            throw new IllegalArgumentException(parent, e);
        }
    }

    private static DN child(DN parent, String attribute, String value) {
        return new DN(new RDN(attribute, value), parent);
    }

    private static Entry entry(DN dn, String objectClass, String... attributeValuePairs) {
        Entry entry = new Entry(dn);
        entry.addAttribute("objectClass", "top", objectClass);
        for (int i = 0; i < attributeValuePairs.length; i += 2) {
            entry.addAttribute(attributeValuePairs[i], attributeValuePairs[i + 1]);
        }
        return entry;
    }
}
