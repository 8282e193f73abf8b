package org.egovpki.directory;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
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

    private static RegistrationData person(String idNumber) {
        return new RegistrationData("Zhou Yi", "RESIDENT_ID", idNumber, null, null, null, null, null, null, null, null,
                null, null, List.of(), List.of(), null);
    }
}
