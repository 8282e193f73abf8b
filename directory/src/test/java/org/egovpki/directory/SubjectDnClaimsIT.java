package org.egovpki.directory;

import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.ldap.sdk.LDAPInterface;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.egovpki.core.enroll.validation.RegistrationData;
import org.egovpki.core.profile.CertificateType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The subject DN claims the issuance makes before signing (docs/directory.md "Two CA processes on one
 * directory"), against the real embedded directory: two subscribers that registered the same DN at
 * the same moment both show as holders, and a claim given back leaves the other alone and the
 * registration itself in place.
 */
class SubjectDnClaimsIT {

    private static final String DN = "CN=Zhou Yi,O=egov-pki test,C=CN";

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
    void twoClaimsOfOneDnAreBothSeenAndAClaimGivenBackLeavesTheOther() {
        subscribers.register("p-first", CertificateType.PERSONAL, DN, person("11010519491231002X"), "tax", "410000",
                false, "hash-1");
        subscribers.register("p-second", CertificateType.PERSONAL, DN, person("440524198001010013"), "tax", "410000",
                false, "hash-2");

        assertThat(subscribers.holdersOf(DN)).containsExactlyInAnyOrder("p-first", "p-second");

        subscribers.releaseSubjectDn("p-second", DN);
        subscribers.releaseSubjectDn("p-second", DN); // idempotent: a retried refusal gives back nothing twice

        assertThat(subscribers.holdersOf(DN)).containsExactly("p-first");
        assertThat(subscribers.holderOf(DN)).contains("p-first");
        assertThat(subscribers.registrationOf("p-second")).as("the registration itself stays").isPresent();
        subscribers.releaseSubjectDn("p-absent", DN);
        assertThat(subscribers.holdersOf("CN=nobody,C=CN")).isEmpty();
    }

    @Test
    void aNewSubscriberIsRegisteredWithTwoAddsAndNoRead() throws Exception {
        String dn = "CN=Wu Er,O=egov-pki test,C=CN";
        Map<String, Long> readsBefore = directory.readsByKind();
        Map<String, Long> writesBefore = directory.writesByKind();

        assertThat(subscribers.registerNew("p-new", CertificateType.PERSONAL, dn, person("11010519491231002X"), "tax",
                "410000", false, "hash-new")).isTrue();

        assertThat(total(readsBefore, directory.readsByKind())).as("searches and binds").isZero();
        assertThat(total(writesBefore, directory.writesByKind())).as("writes").isEqualTo(2);
        assertThat(subscribers.holdersOf(dn)).containsExactly("p-new");
        assertThat(subscribers.registrationOf("p-new")).get()
                .satisfies(r -> assertThat(r.registration().idNumber()).isEqualTo("11010519491231002X"));
        assertThat(directory.ca().getEntry(directory.names().subscriber("p-new").toString()).getObjectClassValues())
                .as("published, as register would make it").contains(LdapSubscriberStore.PUBLISHED);
    }

    @Test
    void registerNewChangesNothingForASubscriberThatExistsAfterAll() throws Exception {
        String dn = "CN=Zheng Shi,O=egov-pki test,C=CN";
        subscribers.register("p-there", CertificateType.PERSONAL, dn, person("11010519491231002X"), "tax", "410000",
                true, "hash-there");
        String entry = directory.ca().getEntry(directory.names().registration("p-there").toString(), "*").toLDIFString();
        Map<String, Long> writesBefore = directory.writesByKind();

        assertThat(subscribers.registerNew("p-there", CertificateType.PERSONAL, "CN=Other,C=CN",
                person("440524198001010013"), "other", "110000", false, "hash-other")).isFalse();

        // One write attempted, the public entry's add, which the directory refused (the entry exists).
        assertThat(total(writesBefore, directory.writesByKind())).as("writes attempted").isEqualTo(1);
        assertThat(directory.ca().getEntry(directory.names().registration("p-there").toString(), "*").toLDIFString())
                .isEqualTo(entry);
        assertThat(subscribers.holdersOf("CN=Other,C=CN")).isEmpty();
    }

    @Test
    void registerNewLeavesAPublicEntryWithoutRegistrationToRegister() throws Exception {
        // What a crash between register's two adds leaves: the public entry alone.
        com.unboundid.ldap.sdk.Entry bare = new com.unboundid.ldap.sdk.Entry(directory.names().subscriber("p-bare"));
        bare.addAttribute("objectClass", "top", "egovSubscriber", "pkiUser");
        bare.addAttribute("egovSubscriberId", "p-bare");
        directory.ca().add(bare);
        String dn = "CN=Wang Wu,O=egov-pki test,C=CN";

        assertThat(subscribers.registerNew("p-bare", CertificateType.PERSONAL, dn, person("11010519491231002X"), "tax",
                "410000", false, "hash-bare")).isFalse();
        subscribers.register("p-bare", CertificateType.PERSONAL, dn, person("11010519491231002X"), "tax", "410000",
                false, "hash-bare");

        assertThat(subscribers.holdersOf(dn)).containsExactly("p-bare");
    }

    @Test
    void aRegistrationAddedMeanwhileStillRecordsThisIssuancesSubjectDn() throws Exception {
        String first = "CN=Qian Qi,O=egov-pki test,C=CN";
        String second = "CN=Qian Qi,OU=Second,O=egov-pki test,C=CN";
        subscribers.register("p-race", CertificateType.PERSONAL, first, person("11010519491231002X"), "tax", "410000",
                false, "hash-race");
        // The other issuance's registration lands between this one's read (which found none) and its add.
        AtomicBoolean hideOnce = new AtomicBoolean(true);
        LDAPInterface ca = directory.ca();
        LDAPInterface late = (LDAPInterface) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {LDAPInterface.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getEntry") && String.valueOf(args[0]).startsWith("cn=registration")
                            && hideOnce.getAndSet(false)) {
                        return null;
                    }
                    try {
                        return method.invoke(ca, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });

        new LdapSubscriberStore(late, directory.names()).register("p-race", CertificateType.PERSONAL, second,
                person("11010519491231002X"), "tax", "410000", false, "hash-race");

        assertThat(hideOnce).isFalse();
        assertThat(subscribers.holdersOf(second)).as("the claim of the later add is kept").containsExactly("p-race");
        assertThat(subscribers.holdersOf(first)).containsExactly("p-race");
    }

    private static long total(Map<String, Long> before, Map<String, Long> after) {
        return after.entrySet().stream().mapToLong(e -> e.getValue() - before.getOrDefault(e.getKey(), 0L)).sum();
    }

    private static RegistrationData person(String idNumber) {
        return new RegistrationData("Zhou Yi", "RESIDENT_ID", idNumber, null, null, null, null, null, null, null, null,
                null, null, List.of(), List.of(), null);
    }
}
