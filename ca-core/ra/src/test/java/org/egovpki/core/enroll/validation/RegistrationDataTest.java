package org.egovpki.core.enroll.validation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RegistrationDataTest {

    @Test
    void itsStringFormCarriesNoPersonalData() {
        // A record's generated toString lists every field: any log line, exception message or Camel
        // exchange dump that printed the registration (or a Submission holding it) would carry it all.
        RegistrationData person = Registrations.person().with(r -> {
            r.realName = "Zhang San";
            r.email = "zhang.san@example.cn";
        }).build();
        RegistrationData organization = Registrations.organization().build();

        assertThat(person.toString()).doesNotContain("11010519491231002X").doesNotContain("8888")
                .doesNotContain("Zhang San").doesNotContain("zhang.san");
        assertThat(organization.toString()).doesNotContain(organization.agentIdNumber())
                .doesNotContain("12345678").doesNotContain(organization.agentName())
                .doesNotContain(organization.agentEmail());
    }
}
