package org.egovpki.directory.openldap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchScope;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import org.egovpki.directory.DirectoryNames;
import org.egovpki.directory.LockoutPolicy;
import org.egovpki.schema.DirectoryLayout;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The LDIF of {@code egov-pki directory prepare-openldap}, applied with {@code ldapmodify} over ldapi to
 * a slapd as Debian installs it, gives a directory the service accounts can use: tree, schema, rules,
 * the lockout policy and {@code {SSHA256}} passwords.
 */
class OpenLdapPreparationIT {

    private static final String BASE = DirectoryLayout.DEFAULT_BASE_DN;
    private static final DirectoryNames NAMES = new DirectoryNames(BASE);
    private static final char[] CA_PASSWORD = "ca-service-password-0123456789".toCharArray();
    private static final char[] KM_PASSWORD = "km-service-password-0123456789".toCharArray();

    @TempDir
    static Path work;
    private static Slapd slapd;

    @BeforeAll
    static void prepare() throws Exception {
        slapd = Slapd.startFresh(work);
        OpenLdapPreparation preparation = new OpenLdapPreparation(NAMES, 2,
                Slapd.databaseDirectory(work).toString(), OpenLdapPreparation.DEFAULT_MAX_SIZE, Slapd.peercredDn(),
                new LockoutPolicy(3, java.time.Duration.ofMinutes(15), java.time.Duration.ofMinutes(15)));
        Path ldif = work.resolve("prepare.ldif");
        Files.writeString(ldif, preparation.ldif(CA_PASSWORD, KM_PASSWORD, new SecureRandom()), StandardCharsets.UTF_8);
        slapd.ldapmodify(work, ldif);
    }

    @AfterAll
    static void stop() {
        if (slapd != null) {
            slapd.close();
        }
    }

    private static LDAPConnection ca() throws LDAPException {
        return slapd.bind(NAMES.caServiceAccount().toString(), new String(CA_PASSWORD));
    }

    @Test
    void theCaAccountBindsWithItsSsha256PasswordAndSeesTheTree() throws LDAPException {
        try (LDAPConnection ca = ca()) {
            for (DirectoryLayout.Container container : DirectoryLayout.Container.values()) {
                assertThat(ca.getEntry(container.rdn() + "," + BASE)).as(container.rdn()).isNotNull();
            }
            assertThat(ca.getEntry(NAMES.kmServiceAccount().toString()))
                    .as("other service accounts are hidden from the CA").isNull();
        }
    }

    /**
     * A full CRL is one value of one modify: one of a million entries is some 45 MiB, past slapd's
     * default 16 MiB limit on a bound client's request, which the prepared slapd raises.
     */
    @Test
    void theCaAccountMayWriteAValueLargerThanSlapdsDefaultRequestLimit() throws LDAPException {
        char[] large = new char[24 << 20];
        java.util.Arrays.fill(large, 'x');
        String dn = "cn=large," + NAMES.container(DirectoryLayout.Container.CAS);
        try (LDAPConnection ca = ca()) {
            ca.add(new com.unboundid.ldap.sdk.Entry(dn, new com.unboundid.ldap.sdk.Attribute("objectClass", "top",
                    "egovCertificationAuthority"), new com.unboundid.ldap.sdk.Attribute("cn", "large"),
                    new com.unboundid.ldap.sdk.Attribute("description", new String(large))));
            com.unboundid.ldap.sdk.LDAPConnectionOptions options = new com.unboundid.ldap.sdk.LDAPConnectionOptions();
            options.setMaxMessageSize(64 << 20); // the client's own default stops at 20 MiB (the server sets 256)
            try (LDAPConnection reader = new LDAPConnection(options, "127.0.0.1", slapd.port(),
                    NAMES.caServiceAccount().toString(), new String(CA_PASSWORD))) {
                assertThat(reader.getEntry(dn, "description").getAttributeValue("description")).hasSize(large.length);
            }
            ca.delete(dn);
        }
    }

    @Test
    void theServiceAccountsAreNeverLockedButOperatorsAre() throws LDAPException {
        for (int i = 0; i < 5; i++) {
            LDAPException wrong = catchThrowableOfType(LDAPException.class,
                    () -> slapd.bind(NAMES.caServiceAccount().toString(), "wrong"));
            assertThat(wrong.getResultCode()).isEqualTo(ResultCode.INVALID_CREDENTIALS);
        }
        try (LDAPConnection ca = ca()) {
            assertThat(ca.getConnectedPort()).isEqualTo(slapd.port());
            Entry operator = new Entry("uid=locked01,ou=operators," + BASE);
            operator.addAttribute("objectClass", "top", "egovOperator");
            operator.addAttribute("uid", "locked01");
            operator.addAttribute("cn", "Locked");
            operator.addAttribute("egovRole", "RA_OPERATOR");
            operator.addAttribute("userPassword", "operator-password-1");
            ca.add(operator);
        }
        for (int i = 0; i < 3; i++) {
            catchThrowableOfType(LDAPException.class, () -> slapd.bind("uid=locked01,ou=operators," + BASE, "no"));
        }
        LDAPException locked = catchThrowableOfType(LDAPException.class,
                () -> slapd.bind("uid=locked01,ou=operators," + BASE, "operator-password-1"));
        assertThat(locked.getResultCode()).as("right password, locked account").isEqualTo(ResultCode.INVALID_CREDENTIALS);
    }

    @Test
    void onlyTheKmAccountReachesBelowOuKm() throws LDAPException {
        try (LDAPConnection km = slapd.bind(NAMES.kmServiceAccount().toString(), new String(KM_PASSWORD));
             LDAPConnection ca = ca()) {
            Entry key = new Entry("egovKeyId=k-prep,ou=km," + BASE);
            key.addAttribute("objectClass", "top", "egovEscrowedKey");
            key.addAttribute("egovKeyId", "k-prep");
            key.addAttribute("egovKeyState", "ESCROWED");
            km.add(key);
            assertThat(km.getEntry(key.getDN())).isNotNull();
            assertThat(ca.search("ou=km," + BASE, SearchScope.SUB, "(objectClass=*)").getEntryCount())
                    .as("the CA sees ou=km's name only").isEqualTo(1);
        }
    }

    @Test
    void anonymousReadersSeeNoServiceAccountNorPolicy() throws LDAPException {
        try (LDAPConnection anonymous = slapd.anonymous()) {
            assertThat(anonymous.getEntry(NAMES.caServiceAccount().toString())).isNull();
            LDAPException hidden = catchThrowableOfType(LDAPException.class,
                    () -> anonymous.search("cn=lockout,ou=policies," + BASE, SearchScope.BASE, "(objectClass=*)"));
            assertThat(hidden.getResultCode()).isEqualTo(ResultCode.NO_SUCH_OBJECT);
        }
    }
}
