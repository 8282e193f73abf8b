package org.egovpki.directory.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchScope;
import java.nio.file.Path;
import org.egovpki.core.operator.Role;
import org.egovpki.directory.DirectoryNames;
import org.egovpki.directory.TestDirectory;
import org.egovpki.schema.DirectoryLayout;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The disclosure guard's visibility probe (a nested base search per operation) is skipped only
 * where its answer is known: for the CA and KM service accounts inside the part of the tree the
 * access control lets them see whole. Anywhere else, and for operators and anonymous clients, it
 * still runs, and the answers stay what they were (counted on the real embedded directory with
 * egov-pki's access control; what the answers are is {@link AnonymousDisclosureIT}'s subject).
 */
class DisclosureProbeIT {

    @TempDir
    static Path work;

    private static TestDirectory directory;
    private static DirectoryNames names;
    private static String record;
    private static String escrowedKey;

    @BeforeAll
    static void start() throws Exception {
        directory = TestDirectory.start(work);
        names = directory.names();
        LDAPConnection admin = directory.admin();
        admin.add(entry(names.request("r-0123456789abcdef0123"), "egovEnrollmentRequest",
                "egovRequestId", "r-0123456789abcdef0123", "egovRequestState", "SUBMITTED"));
        record = names.certificate("sm2-issuing-01").toString();
        admin.add(entry(names.certificate("sm2-issuing-01"), "egovCertificateRecord", "egovCertificateId",
                "sm2-issuing-01", "egovSerialNumber", "01", "egovIssuerName", "sm2-issuing",
                "egovIssuanceState", "RECORDED"));
        escrowedKey = names.escrowedKey("k-1").toString();
        directory.km().add(entry(names.escrowedKey("k-1"), "egovEscrowedKey", "egovKeyId", "k-1",
                "egovKeyState", "ACTIVE"));
    }

    @AfterAll
    static void stop() {
        if (directory != null) {
            directory.close();
        }
    }

    @FunctionalInterface
    interface Operation {
        void run() throws LDAPException;
    }

    /** The probes the guard ran for {@code operation}. */
    private static long probes(Operation operation) throws LDAPException {
        long before = directory.disclosureProbes();
        operation.run();
        return directory.disclosureProbes() - before;
    }

    private static ResultCode resultOf(Operation operation) {
        try {
            operation.run();
            return ResultCode.SUCCESS;
        } catch (LDAPException e) {
            return e.getResultCode();
        }
    }

    @Test
    void theCaServiceAccountIsNotProbedWhereItSeesEverything() throws LDAPException {
        LDAPConnection ca = directory.ca();
        DN request = names.request("r-fedcba9876543210fedc");

        assertThat(probes(() -> assertThat(ca.getEntry(record, "egovIssuanceState").getAttributeValue(
                "egovIssuanceState")).isEqualTo("RECORDED"))).isZero();
        assertThat(probes(() -> ca.modify(record, new Modification(ModificationType.REPLACE, "egovIssuanceState",
                "PUBLISHED")))).isZero();
        assertThat(probes(() -> assertThat(ca.compare(record, "egovIssuanceState", "PUBLISHED").compareMatched())
                .isTrue())).isZero();
        assertThat(probes(() -> ca.add(entry(request, "egovEnrollmentRequest", "egovRequestId",
                "r-fedcba9876543210fedc", "egovRequestState", "SUBMITTED")))).isZero();
        assertThat(probes(() -> ca.search(names.container(DirectoryLayout.Container.REQUESTS).toString(),
                SearchScope.ONE, "(egovRequestState=SUBMITTED)", "1.1"))).isZero();
        assertThat(probes(() -> ca.delete(request.toString()))).isZero();
        // An absent entry still answers as absent, now from the operation itself.
        assertThat(probes(() -> assertThat(resultOf(() -> ca.modify(request.toString(), new Modification(
                ModificationType.REPLACE, "egovRequestState", "APPROVED")))).isEqualTo(ResultCode.NO_SUCH_OBJECT)))
                .isZero();
    }

    @Test
    void theCaServiceAccountIsStillProbedWhereItMayNotLook() throws LDAPException {
        LDAPConnection ca = directory.ca();

        assertThat(probes(() -> assertThat(resultOf(() -> ca.search(escrowedKey, SearchScope.BASE, "(objectClass=*)")))
                .isEqualTo(ResultCode.NO_SUCH_OBJECT))).isPositive();
        assertThat(probes(() -> assertThat(resultOf(() -> ca.modify(escrowedKey, new Modification(
                ModificationType.REPLACE, "egovKeyState", "DESTROYED")))).isEqualTo(ResultCode.NO_SUCH_OBJECT)))
                .isPositive();
        assertThat(probes(() -> assertThat(resultOf(() -> ca.compare(names.kmServiceAccount().toString(),
                "objectClass", "top"))).isEqualTo(ResultCode.NO_SUCH_OBJECT))).isPositive();
    }

    @Test
    void theKmServiceAccountIsNotProbedInItsOwnSubtreeOnly() throws LDAPException {
        LDAPConnection km = directory.km();

        assertThat(probes(() -> km.modify(escrowedKey, new Modification(ModificationType.REPLACE, "egovKeyState",
                "ACTIVE")))).isZero();
        assertThat(probes(() -> km.search(names.km().toString(), SearchScope.SUB, "(egovKeyState=ACTIVE)", "1.1")))
                .isZero();
        assertThat(probes(() -> assertThat(resultOf(() -> km.search(record, SearchScope.BASE, "(objectClass=*)")))
                .isEqualTo(ResultCode.NO_SUCH_OBJECT))).isPositive();
        assertThat(probes(() -> km.search(names.cas().toString(), SearchScope.BASE, "(objectClass=*)")))
                .isPositive();
    }

    @Test
    void operatorsAndAnonymousClientsAreStillProbed() throws LDAPException {
        LDAPConnection operator = directory.operator("reviewer01", Role.REVIEWER);
        LDAPConnection anonymous = directory.anonymous();
        String request = names.request("r-0123456789abcdef0123").toString();

        assertThat(probes(() -> assertThat(operator.getEntry(request, "egovRequestState")).isNotNull())).isPositive();
        assertThat(probes(() -> assertThat(resultOf(() -> operator.modify(record, new Modification(
                ModificationType.REPLACE, "egovIssuanceState", "PUBLISHED")))).isEqualTo(ResultCode.NO_SUCH_OBJECT)))
                .isPositive();
        assertThat(probes(() -> assertThat(anonymous.getEntry(names.cas().toString())).isNotNull())).isPositive();
        assertThat(probes(() -> assertThat(resultOf(() -> anonymous.search(record, SearchScope.BASE,
                "(objectClass=*)"))).isEqualTo(ResultCode.NO_SUCH_OBJECT))).isPositive();
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
