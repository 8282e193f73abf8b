package org.egovpki.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import java.nio.file.Path;
import java.util.List;
import org.egovpki.core.enroll.validation.RegistrationData;
import org.egovpki.core.profile.CertificateType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Names with characters outside the Basic Multilingual Plane (CJK Extension B, GB 18030's
 * supplementary characters) are stored, matched and published by the real embedded directory,
 * and distinct rare characters never match each other.
 */
class SupplementaryCharactersIT {

    /** 王 + U+20000 (CJK Extension B). */
    private static final String NAME = "王\uD840\uDC00";
    /** 王 + U+20001: must not match {@link #NAME}. */
    private static final String OTHER_NAME = "王\uD840\uDC01";
    private static final String BASE = TestDirectory.BASE;

    @TempDir
    static Path work;

    private static TestDirectory directory;
    private static LdapSubscriberStore subscribers;

    @BeforeAll
    static void start() throws Exception {
        directory = TestDirectory.start(work);
        subscribers = new LdapSubscriberStore(directory.ca(), directory.names());
    }

    @AfterAll
    static void stop() {
        if (directory != null) {
            directory.close();
        }
    }

    @Test
    void aPersonalNameWithAnExtensionBCharacterIsRegisteredPublishedAndFoundByEqualitySearch() throws Exception {
        String subject = "CN=" + NAME + ",O=egov-pki test,C=CN";
        subscribers.register("p-rare1", CertificateType.PERSONAL, subject, registration(NAME, null), "tax", "410000",
                false, "hash-1");
        subscribers.publishCertificate("p-rare1", NAME, new byte[] {0x30, 0x03, 0x02, 0x01, 0x01});

        assertThat(subscribers.holderOf(subject)).contains("p-rare1");
        assertThat(subscribers.holderOf("CN=" + OTHER_NAME + ",O=egov-pki test,C=CN")).isEmpty();
        assertThat(subscribers.registrationOf("p-rare1").orElseThrow().registration().realName()).isEqualTo(NAME);

        LDAPConnection anonymous = directory.anonymous();
        List<SearchResultEntry> found = anonymous.search("ou=subscribers," + BASE, SearchScope.ONE,
                subscriberWith(Filter.createEqualityFilter("cn", NAME)), "cn").getSearchEntries();
        assertThat(found).singleElement().satisfies(e -> assertThat(e.getAttributeValue("cn")).isEqualTo(NAME));
        assertThat(anonymous.search("ou=subscribers," + BASE, SearchScope.ONE,
                subscriberWith(Filter.createEqualityFilter("cn", OTHER_NAME)), "1.1").getEntryCount()).isZero();
        assertThat(anonymous.search("ou=subscribers," + BASE, SearchScope.ONE,
                subscriberWith(Filter.createSubstringFilter("cn", null, new String[] {"\uD840\uDC00"}, null)), "1.1").getEntryCount())
                .isEqualTo(1);
    }

    @Test
    void aDeviceOwnerWithARareCharacterMatchesCaseInsensitivelyOnItsAsciiPart() throws Exception {
        subscribers.register("d-rare2", CertificateType.DEVICE, "CN=device-rare-2,C=CN",
                registration(null, "Owner \uD840\uDC00"), null, null, false, "hash-2");
        LDAPConnection admin = directory.admin();
        assertThat(admin.search("ou=subscribers," + BASE, SearchScope.SUB,
                Filter.createEqualityFilter("egovOwner", "OWNER  \uD840\uDC00"), "egovOwner").getSearchEntries())
                .singleElement().satisfies(e -> assertThat(e.getAttributeValue("egovOwner"))
                        .isEqualTo("Owner \uD840\uDC00"));
    }

    @Test
    void anEntryNamedWithARareCharacterCanBeAddedAndRead() throws Exception {
        LDAPConnection admin = directory.admin();
        String dn = "cn=" + NAME + ",ou=subscribers," + BASE;
        Entry entry = new Entry(dn);
        entry.addAttribute("objectClass", "top", "applicationProcess");
        entry.addAttribute("cn", NAME);
        admin.add(entry);
        assertThat(admin.getEntry(dn).getAttributeValue("cn")).isEqualTo(NAME);
        assertThat(admin.getEntry("cn=" + OTHER_NAME + ",ou=subscribers," + BASE)).isNull();
    }

    @Test
    void prohibitedCharactersAreRefusedAsASyntaxErrorNotAServerError() {
        LDAPConnection admin;
        try {
            admin = directory.admin();
        } catch (LDAPException e) {
            throw new AssertionError(e);
        }
        // A private use character of plane 15, which RFC 4518 prohibits.
        Entry entry = new Entry("cn=private-use,ou=subscribers," + BASE);
        entry.addAttribute("objectClass", "top", "applicationProcess");
        entry.addAttribute("cn", "private-use", "x\uDB80\uDC00");
        assertThatThrownBy(() -> admin.add(entry)).isInstanceOfSatisfying(LDAPException.class,
                e -> assertThat(e.getResultCode()).isNotEqualTo(ResultCode.SUCCESS));
    }

    private static Filter subscriberWith(Filter filter) {
        return Filter.createANDFilter(Filter.createEqualityFilter("objectClass", "egovSubscriber"), filter);
    }

    private static RegistrationData registration(String realName, String owner) {
        return new RegistrationData(realName, realName == null ? null : "RESIDENT_ID",
                realName == null ? null : "11010519491231002X", null, null, null, null, null, null, null, null, null,
                null, List.of(), List.of(), owner);
    }
}
