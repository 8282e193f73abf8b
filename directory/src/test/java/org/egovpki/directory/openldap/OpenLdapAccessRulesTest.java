package org.egovpki.directory.openldap;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.egovpki.directory.DirectoryNames;
import org.junit.jupiter.api.Test;

/** docs/directory.md shows administrators exactly the rules prepare-openldap installs. */
class OpenLdapAccessRulesTest {

    @Test
    void theDocumentedBlockIsTheRenderingForTheDefaultBaseDn() throws IOException {
        String docs = Files.readString(Path.of("..", "docs", "directory.md"), StandardCharsets.UTF_8);
        OpenLdapAccessRules rules = new OpenLdapAccessRules(new DirectoryNames("o=egov-pki,c=CN"));

        assertThat(Slapd.documentedRules(docs)).containsExactlyElementsOf(rules.values());
        assertThat(docs).contains("```\n" + rules.ldif() + "```");
    }

    @Test
    void anotherBaseDnNamesItsOwnAccountsAndContainers() {
        String ldif = new OpenLdapAccessRules(new DirectoryNames("o=Henan e-Government CA,c=CN")).ldif();

        assertThat(ldif).contains("dn.exact=\"uid=egov-pki-ca,ou=services,o=Henan e-Government CA,c=CN\" write")
                .contains("dn.subtree=\"ou=km,o=Henan e-Government CA,c=CN\"")
                .doesNotContain("o=egov-pki,c=CN");
    }
}
