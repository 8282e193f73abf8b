package org.egovpki.directory.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.Control;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPConnectionOptions;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.ldap.sdk.SimpleBindRequest;
import com.unboundid.ldap.sdk.AddRequest;
import com.unboundid.ldap.sdk.controls.ProxiedAuthorizationV2RequestControl;
import com.unboundid.ldap.sdk.controls.ServerSideSortRequestControl;
import com.unboundid.ldap.sdk.controls.SortKey;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.egovpki.directory.LdapRefusals;
import org.egovpki.core.operator.Role;
import org.egovpki.directory.DirectoryNames;
import org.egovpki.directory.TestDirectory;
import org.egovpki.schema.DirectoryLayout;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a hostile client tries on the embedded directory's LDAP port beyond the plain reads and
 * writes the other access control ITs cover: binds without a password, another identity through
 * the proxied authorization control, the relax control on the operational attributes of a decision
 * entry, a disabled operator's DN spelt another way, decision entries carrying foreign object
 * classes or attributes, writes to the schema, and sorting by an attribute the reader may not see.
 */
class HostileLdapProbeIT {

    private static final Set<ResultCode> REFUSED = Set.of(ResultCode.INSUFFICIENT_ACCESS_RIGHTS,
            ResultCode.NO_SUCH_OBJECT, ResultCode.INVALID_CREDENTIALS, ResultCode.UNWILLING_TO_PERFORM,
            ResultCode.OBJECT_CLASS_VIOLATION);
    private static final String RELAX = "1.3.6.1.4.1.4203.666.5.12";

    @TempDir
    static Path work;

    private static TestDirectory directory;
    private static DirectoryNames names;
    private static LDAPConnection reviewer;
    private static LDAPConnection admin;

    @BeforeAll
    static void start() throws Exception {
        directory = TestDirectory.start(work);
        names = directory.names();
        admin = directory.admin();
        reviewer = directory.operator("reviewer01", Role.REVIEWER);
        directory.operator("clerk01", Role.ENTRY_CLERK).close();
        admin.add(new Entry(names.request("r-1").toString(), List.of(
                new Attribute("objectClass", "top", "egovEnrollmentRequest"), new Attribute("egovRequestId", "r-1"),
                new Attribute("egovRequestState", "SUBMITTED"), new Attribute("egovIdNumber", "11010519491231002X"))));
        for (String[] s : List.of(new String[] {"p-1", "Wang Wei", "zzz"}, new String[] {"p-2", "Li Na", "aaa"},
                new String[] {"p-3", "Zhao Lei", "mmm"})) {
            admin.add(new Entry(names.subscriber(s[0]).toString(), List.of(
                    new Attribute("objectClass", "top", "egovSubscriber", "pkiUser", "egovPublishedSubscriber"),
                    new Attribute("egovSubscriberId", s[0]), new Attribute("cn", s[1]),
                    new Attribute("description", s[2]))));
        }
    }

    @AfterAll
    static void stop() {
        if (directory != null) {
            directory.close();
        }
    }

    @Test
    void aBindWithoutAPasswordIsNeverAnAccountsBind() {
        for (String dn : List.of(names.caServiceAccount().toString(), names.kmServiceAccount().toString(),
                names.operator("reviewer01").toString())) {
            LDAPConnectionOptions options = new LDAPConnectionOptions();
            options.setBindWithDNRequiresPassword(false);
            LDAPException refused = catchThrowableOfType(LDAPException.class, () -> {
                try (LDAPConnection connection = new LDAPConnection(options, "127.0.0.1", directory.port())) {
                    connection.bind(new SimpleBindRequest(dn, ""));
                }
            });
            assertThat(refused).as("an unauthenticated bind as " + dn).isNotNull();
            assertThat(REFUSED).contains(refused.getResultCode());
        }
    }

    @Test
    void theProxiedAuthorizationControlLendsNobodyAnotherIdentity() throws Exception {
        String operatorDn = names.operator("reviewer01").toString();
        try (LDAPConnection anonymous = directory.anonymous()) {
            SearchRequest requests = new SearchRequest(names.container(DirectoryLayout.Container.REQUESTS).toString(),
                    SearchScope.ONE, "(objectClass=*)", "egovIdNumber");
            requests.addControl(new ProxiedAuthorizationV2RequestControl("dn:" + operatorDn));
            assertThat(searchEntries(anonymous, requests)).isZero();
            SearchRequest operators = new SearchRequest(names.container(DirectoryLayout.Container.OPERATORS).toString(),
                    SearchScope.ONE, "(objectClass=*)");
            operators.addControl(new ProxiedAuthorizationV2RequestControl("dn:" + names.caServiceAccount()));
            assertThat(searchEntries(anonymous, operators)).isZero();
        }
    }

    @Test
    void neitherTheRelaxControlNorAForeignObjectClassLetsAnOperatorWriteMoreThanADecision() throws Exception {
        String request = names.request("r-1").toString();
        for (String[] extra : List.of(new String[] {"creatorsName", names.operator("clerk01").toString()},
                new String[] {"createTimestamp", "20000101000000Z"},
                new String[] {"entryUUID", "11111111-2222-3333-4444-555555555555"},
                new String[] {"egovRequestState", "APPROVED"}, new String[] {"userPassword", "Decision-pw-2026"})) {
            Entry decision = new Entry("egovDecisionId=x-" + extra[0] + "," + request, List.of(
                    new Attribute("objectClass", "top", "egovRequestDecision", "extensibleObject"),
                    new Attribute("egovDecisionId", "x-" + extra[0]), new Attribute("egovDecision", "APPROVED"),
                    new Attribute(extra[0], extra[1])));
            AddRequest add = new AddRequest(decision);
            add.addControl(new Control(RELAX, false));
            assertRefused(() -> reviewer.add(add));
            assertThat(admin.getEntry(decision.getDN())).as(extra[0]).isNull();
        }
    }

    @Test
    void aDisabledOperatorIsRefusedHoweverItsDnIsSpelt() throws Exception {
        String dn = names.operator("clerk01").toString();
        admin.modify(dn, new Modification(ModificationType.REPLACE, "egovOperatorState", "DISABLED"));
        try {
            for (String spelling : List.of(dn, dn.toUpperCase(java.util.Locale.ROOT),
                    "0.9.2342.19200300.100.1.1=clerk01,ou=operators," + names.base(),
                    "userid=clerk01,ou=operators," + names.base(),
                    "uid=#1607636c65726b3031,ou=operators," + names.base(),
                    "uid = clerk01 , 2.5.4.11=operators," + names.base())) {
                LDAPException refused = catchThrowableOfType(LDAPException.class, () -> new LDAPConnection(
                        "127.0.0.1", directory.port(), spelling, TestDirectory.operatorPassword("clerk01")).close());
                assertThat(refused).as(spelling).isNotNull();
                assertThat(refused.getResultCode()).as(spelling).isEqualTo(ResultCode.INVALID_CREDENTIALS);
            }
        } finally {
            admin.modify(dn, new Modification(ModificationType.REPLACE, "egovOperatorState", "ACTIVE"));
        }
    }

    @Test
    void nobodyButTheAdministratorChangesTheSchema() throws Exception {
        Modification attributeType = new Modification(ModificationType.ADD, "attributeTypes",
                "( 1.3.6.1.4.1.99999.1.1 NAME 'hostileProbe' SYNTAX 1.3.6.1.4.1.1466.115.121.1.15 )");
        try (LDAPConnection anonymous = directory.anonymous(); LDAPConnection ca = directory.ca()) {
            for (LDAPConnection client : List.of(anonymous, reviewer, ca)) {
                assertRefused(() -> client.modify("cn=schema", attributeType));
                assertRefused(() -> client.modify("cn=core,ou=schema", new Modification(ModificationType.REPLACE,
                        "m-disabled", "TRUE")));
            }
        }
    }

    @Test
    void sortingByAnAttributeTheReaderCannotSeeTellsItNothing() throws Exception {
        String subscribers = names.container(DirectoryLayout.Container.SUBSCRIBERS).toString();
        try (LDAPConnection anonymous = directory.anonymous()) {
            List<String> ascending = sorted(anonymous, subscribers, new SortKey("description"));
            List<String> descending = sorted(anonymous, subscribers, new SortKey("description", true));
            // By description the order would be Li Na (aaa), Zhao Lei (mmm), Wang Wei (zzz).
            assertThat(ascending).hasSize(3).isNotEqualTo(List.of("Li Na", "Zhao Lei", "Wang Wei"));
            assertThat(descending).isNotEqualTo(List.of("Wang Wei", "Zhao Lei", "Li Na"));
        }
    }

    private static List<String> sorted(LDAPConnection connection, String base, SortKey key) throws LDAPException {
        SearchRequest search = new SearchRequest(base, SearchScope.ONE, "(objectClass=egovSubscriber)", "cn");
        search.addControl(new ServerSideSortRequestControl(key));
        return connection.search(search).getSearchEntries().stream().map(e -> e.getAttributeValue("cn")).toList();
    }

    private static int searchEntries(LDAPConnection connection, SearchRequest search) {
        try {
            return connection.search(search).getEntryCount();
        } catch (LDAPException e) {
            assertThat(e.getResultCode()).isIn(ResultCode.NO_SUCH_OBJECT, ResultCode.UNAVAILABLE_CRITICAL_EXTENSION,
                    ResultCode.INSUFFICIENT_ACCESS_RIGHTS);
            return 0;
        }
    }

    private static void assertRefused(LdapRefusals.LdapCall call) {
        LdapRefusals.assertRefused(REFUSED, call);
    }
}
