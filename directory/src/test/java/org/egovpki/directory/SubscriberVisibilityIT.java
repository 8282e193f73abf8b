package org.egovpki.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPSearchException;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import java.nio.file.Path;
import java.util.List;
import org.egovpki.core.DomainException;
import org.egovpki.core.enroll.validation.RegistrationData;
import org.egovpki.core.profile.CertificateType;
import org.egovpki.schema.DirectoryLayout;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What anonymous readers see of subscribers on the real embedded directory: subscribers who opted
 * out of publication are indistinguishable from subscribers that do not exist.
 */
class SubscriberVisibilityIT {

    @TempDir
    static Path work;

    private static TestDirectory directory;
    private static LdapSubscriberStore store;
    private static String subscribers;

    @BeforeAll
    static void start() throws LDAPException {
        directory = TestDirectory.start(work);
        store = new LdapSubscriberStore(directory.ca(), directory.names());
        subscribers = directory.names().container(DirectoryLayout.Container.SUBSCRIBERS).toString();
    }

    @AfterAll
    static void stop() {
        directory.close();
    }

    static RegistrationData person(String name, String idNumber) {
        return new RegistrationData(name, RegistrationData.RESIDENT_ID, idNumber, "13812345678", null, null, null,
                null, null, null, null, null, null, List.of(), List.of(), null);
    }

    private static void register(String id, String name, String idNumber, boolean optOut) {
        store.register(id, CertificateType.PERSONAL, "CN=" + name + ",C=CN", person(name, idNumber), null, null, optOut,
                "hash");
    }

    /** What a base search tells: the result code and the number of entries returned. */
    private static String baseSearch(LDAPConnection connection, String dn) {
        try {
            SearchResult result = connection.search(dn, SearchScope.BASE, Filter.createPresenceFilter("objectClass"));
            return result.getResultCode().getName() + "/" + result.getEntryCount();
        } catch (LDAPSearchException e) {
            return e.getResultCode().getName() + "/" + e.getEntryCount();
        }
    }

    private static List<String> idsSeen(LDAPConnection connection, SearchScope scope, Filter filter)
            throws LDAPException {
        SearchResult result = connection.search(subscribers, scope, filter, "egovSubscriberId");
        return result.getSearchEntries().stream().map(e -> e.getAttributeValue("egovSubscriberId")).toList();
    }

    @Test
    void anOptedOutSubscriberLooksAbsentToAnonymousReaders() throws LDAPException {
        register("vis-public", "Zhang San", "11010519491231002X", false);
        register("vis-hidden", "Li Si", "440524198001010013", true);
        LDAPConnection anonymous = directory.anonymous();

        assertThat(baseSearch(anonymous, directory.names().subscriber("vis-public").toString()))
                .isEqualTo("success/1");
        assertThat(idsSeen(anonymous, SearchScope.ONE, Filter.createPresenceFilter("objectClass")))
                .contains("vis-public").doesNotContain("vis-hidden");
        assertThat(idsSeen(anonymous, SearchScope.SUB, Filter.createEqualityFilter("egovSubscriberId", "vis-hidden")))
                .isEmpty();
        assertThat(idsSeen(anonymous, SearchScope.SUB, Filter.createSubstringFilter("egovSubscriberId", "vis-", null,
                null))).contains("vis-public").doesNotContain("vis-hidden");
        // The CA still finds both.
        assertThat(store.registrationOf("vis-hidden")).isPresent();
        assertThat(baseSearch(directory.ca(), directory.names().subscriber("vis-hidden").toString()))
                .isEqualTo("success/1");
        // A base search on the hidden entry answers exactly as one on an absent entry (DisclosureGuard).
        assertThat(baseSearch(anonymous, directory.names().subscriber("vis-hidden").toString()))
                .isEqualTo(baseSearch(anonymous, directory.names().subscriber("vis-absent").toString()))
                .startsWith("no such object");
    }

    @Test
    void optingOutLaterHidesTheEntryAndOptingInShowsItAgain() throws LDAPException {
        register("vis-toggle", "Wang Wu", "32010219880515201X", false);
        LDAPConnection anonymous = directory.anonymous();
        String dn = directory.names().subscriber("vis-toggle").toString();
        Filter toggle = Filter.createEqualityFilter("egovSubscriberId", "vis-toggle");
        assertThat(idsSeen(anonymous, SearchScope.ONE, toggle)).containsExactly("vis-toggle");

        register("vis-toggle", "Wang Wu", "32010219880515201X", true);
        assertThat(idsSeen(anonymous, SearchScope.ONE, toggle)).isEmpty();

        register("vis-toggle", "Wang Wu", "32010219880515201X", false);
        assertThat(idsSeen(anonymous, SearchScope.ONE, toggle)).containsExactly("vis-toggle");
        SearchResultEntry seen = anonymous.getEntry(dn);
        assertThat(seen.getAttributes().stream().map(a -> a.getName()).toList()).allMatch(a -> List.of("objectclass", "egovsubscriberid", "cn",
                "usercertificate", "usercertificate;binary").contains(a.toLowerCase()));
    }

    @Test
    void aRegistrationOfAnotherKindIsNeverReplaced() {
        register("vis-person", "Zhao Liu", "510104199001011230", false);
        RegistrationData device = new RegistrationData(null, null, null, null, null, null, null, null, null, null,
                null, null, null, List.of("www.example.gov.cn"), List.of(), "IT department");

        assertThatThrownBy(() -> store.register("vis-person", CertificateType.DEVICE, "CN=www.example.gov.cn,C=CN",
                device, null, null, false, "other-hash"))
                .isInstanceOfSatisfying(DomainException.class, e -> {
                    assertThat(e.kind()).isEqualTo(DomainException.Kind.CONFLICT);
                    assertThat(e.field()).isEqualTo("subscriberId");
                });
        assertThat(store.registrationOf("vis-person").orElseThrow().kind()).isEqualTo("PERSONAL");
        assertThat(store.registrationOf("vis-person").orElseThrow().registration().idNumber())
                .isEqualTo("510104199001011230");
    }
}
