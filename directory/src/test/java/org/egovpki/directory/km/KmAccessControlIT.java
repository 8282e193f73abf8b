package org.egovpki.directory.km;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPSearchException;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.egovpki.core.operator.Role;
import org.egovpki.directory.DirectoryNames;
import org.egovpki.directory.TestDirectory;
import org.egovpki.schema.DirectoryLayout;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code ou=km} belongs to the KM's service account alone, on the real embedded directory with
 * the access control egov-pki installs: the CA server's account, an operator and anonymous users
 * can neither read nor write an escrowed key or a recovery request, and the KM's account reads
 * nothing private outside {@code ou=km}.
 */
class KmAccessControlIT {

    /** The ways a refused operation may show: ApacheDS hides what one may not see as absent. */
    private static final Set<ResultCode> REFUSED = Set.of(ResultCode.INSUFFICIENT_ACCESS_RIGHTS,
            ResultCode.NO_SUCH_OBJECT);

    enum Outsider { CA_SERVICE_ACCOUNT, OPERATOR, ANONYMOUS }

    @TempDir
    static Path work;

    private static TestDirectory directory;
    private static DirectoryNames names;
    private static LDAPConnection km;
    private static final Map<Outsider, LDAPConnection> outsiders = new EnumMap<>(Outsider.class);
    private static String keyDn;
    private static String recoveryDn;
    private static String requestDn;
    private static String certificateDn;

    @BeforeAll
    static void start() throws Exception {
        directory = TestDirectory.start(work);
        names = directory.names();
        km = directory.km();
        outsiders.put(Outsider.CA_SERVICE_ACCOUNT, directory.ca());
        outsiders.put(Outsider.OPERATOR, directory.operator("reviewer01", Role.REVIEWER));
        outsiders.put(Outsider.ANONYMOUS, directory.anonymous());

        keyDn = names.escrowedKey("k-1").toString();
        km.add(escrowedKey(keyDn, "k-1"));
        recoveryDn = names.keyRecovery("kr-1").toString();
        km.add(new Entry(recoveryDn, List.of(
                new Attribute("objectClass", "top", "egovKeyRecoveryRequest", "egovKeyRecoveryDetails"),
                new Attribute("egovRequestId", "kr-1"), new Attribute("egovRecoveryKind", "JUDICIAL"),
                new Attribute("egovRequestState", "SUBMITTED"), new Attribute("egovKeyId", "k-1"))));

        // What the CA keeps elsewhere, to show the KM account cannot read it.
        LDAPConnection admin = directory.admin();
        requestDn = names.request("r-1").toString();
        admin.add(new Entry(requestDn, List.of(new Attribute("objectClass", "top", "egovEnrollmentRequest"),
                new Attribute("egovRequestId", "r-1"), new Attribute("egovRequestState", "SUBMITTED"))));
        certificateDn = names.certificate("sm2-issuing-1").toString();
        admin.add(new Entry(certificateDn, List.of(new Attribute("objectClass", "top", "egovCertificateRecord"),
                new Attribute("egovCertificateId", "sm2-issuing-1"), new Attribute("egovSerialNumber", "1"),
                new Attribute("egovIssuerName", "sm2-issuing"), new Attribute("egovIssuanceState", "PUBLISHED"))));
    }

    @AfterAll
    static void stop() {
        if (directory != null) {
            directory.close();
        }
    }

    @ParameterizedTest
    @EnumSource(Outsider.class)
    void anOutsiderReadsNothingBelowOuKm(Outsider who) throws Exception {
        LDAPConnection connection = outsiders.get(who);

        assertThat(read(connection, keyDn)).isNull();
        assertThat(read(connection, recoveryDn)).isNull();
        assertThat(search(connection, names.km().toString(), SearchScope.ONE, "(objectClass=*)")).isEmpty();
        // A subtree search shows the container's name, as for every container, and nothing below it.
        assertThat(search(connection, names.km().toString(), SearchScope.SUB, "(objectClass=*)"))
                .extracting(SearchResultEntry::getParsedDN).containsOnly(names.km());
        assertThat(search(connection, names.base().toString(), SearchScope.SUB,
                "(|(objectClass=egovEscrowedKey)(objectClass=egovKeyRecoveryRequest)(egovKeyId=*))")).isEmpty();
        LDAPException compare = catchThrowableOfType(LDAPException.class,
                () -> connection.compare(keyDn, "egovKeyState", "ACTIVE"));
        assertThat(compare).isNotNull();
        assertThat(compare.getResultCode()).isIn(REFUSED);
    }

    @ParameterizedTest
    @EnumSource(Outsider.class)
    void anOutsiderWritesNothingBelowOuKm(Outsider who) throws Exception {
        LDAPConnection connection = outsiders.get(who);
        String newKey = names.escrowedKey("k-planted-" + who).toString();

        assertRefused(() -> connection.add(escrowedKey(newKey, "k-planted-" + who)));
        assertRefused(() -> connection.modify(keyDn,
                new Modification(ModificationType.REPLACE, "egovKeyState", "DESTROYED")));
        assertRefused(() -> connection.modify(recoveryDn,
                new Modification(ModificationType.REPLACE, "egovRequestState", "APPROVED")));
        assertRefused(() -> connection.delete(keyDn));
        assertRefused(() -> connection.modify(names.km().toString(),
                new Modification(ModificationType.REPLACE, "description", "mine now")));

        assertThat(km.getEntry(newKey)).isNull();
        assertThat(km.getEntry(keyDn).getAttributeValue("egovKeyState")).isEqualTo("ACTIVE");
        assertThat(km.getEntry(recoveryDn).getAttributeValue("egovRequestState")).isEqualTo("SUBMITTED");
    }

    /** Without this, the refusals above could be a connection that works for nothing. */
    @Test
    void theOutsidersDoHaveTheirOwnAccessElsewhere() throws Exception {
        assertThat(read(outsiders.get(Outsider.CA_SERVICE_ACCOUNT), requestDn)).isNotNull();
        outsiders.get(Outsider.CA_SERVICE_ACCOUNT).modify(certificateDn,
                new Modification(ModificationType.REPLACE, "egovCertificateStatus", "VALID"));
        assertThat(read(outsiders.get(Outsider.OPERATOR), requestDn)).isNotNull();
        assertThat(read(outsiders.get(Outsider.ANONYMOUS), names.cas().toString())).isNotNull();
    }

    @Test
    void theKmAccountReadsAndWritesOuKm() throws Exception {
        SearchResultEntry key = km.getEntry(keyDn, "*");
        assertThat(key.getAttributeValueBytes("egovWrappedPrivateKey")).containsExactly(1, 2, 3);
        assertThat(search(km, names.km().toString(), SearchScope.ONE, "(objectClass=*)"))
                .extracting(SearchResultEntry::getDN).containsExactlyInAnyOrder(keyDn, recoveryDn);

        String scratch = names.escrowedKey("k-scratch").toString();
        km.add(escrowedKey(scratch, "k-scratch"));
        km.modify(scratch, new Modification(ModificationType.DELETE, "egovWrappedPrivateKey"),
                new Modification(ModificationType.REPLACE, "egovKeyState", "DESTROYED"));
        assertThat(km.getEntry(scratch).hasAttribute("egovWrappedPrivateKey")).isFalse();
        km.delete(scratch);
        assertThat(km.getEntry(scratch)).isNull();
    }

    @Test
    void theKmAccountReadsNothingPrivateOutsideOuKm() throws Exception {
        assertThat(read(km, requestDn)).isNull();
        assertThat(read(km, certificateDn)).isNull();
        assertThat(read(km, directory.operatorDn("reviewer01").toString())).isNull();
        assertThat(read(km, names.caServiceAccount().toString())).isNull();
        assertThat(read(km, names.kmServiceAccount().toString())).isNull();
        assertThat(search(km, names.services().toString(), SearchScope.ONE, "(objectClass=*)")).isEmpty();
        assertThat(search(km, names.container(DirectoryLayout.Container.REQUESTS).toString(), SearchScope.ONE,
                "(objectClass=*)")).isEmpty();

        assertRefused(() -> km.modify(requestDn,
                new Modification(ModificationType.REPLACE, "egovRequestState", "APPROVED")));
        assertRefused(() -> km.add(new Entry(names.request("r-km").toString(), List.of(
                new Attribute("objectClass", "top", "egovEnrollmentRequest"), new Attribute("egovRequestId", "r-km"),
                new Attribute("egovRequestState", "APPROVED")))));

        // What anyone may read, the KM's account may too: the tree's names and the CAs.
        assertThat(read(km, names.base().toString())).isNotNull();
        assertThat(read(km, names.cas().toString())).isNotNull();
    }

    private static Entry escrowedKey(String dn, String id) {
        return new Entry(dn, List.of(new Attribute("objectClass", "top", "egovEscrowedKey"),
                new Attribute("egovKeyId", id), new Attribute("egovKeyState", "ACTIVE"),
                new Attribute("egovWrappedPrivateKey", new byte[] {1, 2, 3})));
    }

    /** The entry, or {@code null} when the directory hides it or refuses to show it. */
    private static SearchResultEntry read(LDAPConnection connection, String dn) throws LDAPException {
        try {
            return connection.getEntry(dn, "*");
        } catch (LDAPException e) {
            if (REFUSED.contains(e.getResultCode())) {
                return null;
            }
            throw e;
        }
    }

    /** The entries found; none when the directory refuses the search itself. */
    private static List<SearchResultEntry> search(LDAPConnection connection, String base, SearchScope scope,
                                                  String filter) throws LDAPException {
        try {
            return connection.search(base, scope, filter, "*").getSearchEntries();
        } catch (LDAPSearchException e) {
            if (REFUSED.contains(e.getResultCode())) {
                assertThat(e.getSearchEntries()).isEmpty();
                return List.of();
            }
            throw e;
        }
    }

    @FunctionalInterface
    private interface LdapCall {
        void run() throws LDAPException;
    }

    private static void assertRefused(LdapCall call) {
        LDAPException refused = catchThrowableOfType(LDAPException.class, call::run);
        assertThat(refused).as("the directory refused the operation").isNotNull();
        assertThat(refused.getResultCode()).isIn(REFUSED);
    }
}
