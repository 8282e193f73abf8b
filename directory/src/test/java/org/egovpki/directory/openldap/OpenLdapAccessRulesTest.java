package org.egovpki.directory.openldap;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
    void certificateRecordsAreDecidedRightAfterThePasswordRuleWithTheCatchAllsGrant() {
        List<String> rules = new OpenLdapAccessRules(new DirectoryNames("o=egov-pki,c=CN")).values();
        String ca = "by dn.exact=\"uid=egov-pki-ca,ou=services,o=egov-pki,c=CN\" write";

        // First among the DN rules: slapd walks the rules for every attribute of every record a CRL
        // or the OCSP walk reads, so records must not fall through the others to the catch-all.
        assertThat(rules.get(1)).isEqualTo("{1}to dn.children=\"ou=certificates,o=egov-pki,c=CN\"\n" + ca
                + "\nby * none");
        // The grant the records had before the rule, from the catch-all: the CA's alone.
        assertThat(rules.get(rules.size() - 1)).isEqualTo("{" + (rules.size() - 1) + "}to *\n" + ca + "\nby * none");
    }

    @Test
    void addsAreCheckedAttributeByAttributeAndOperatorsAddOnlyToEntriesTheyCreate() {
        OpenLdapAccessRules rules = new OpenLdapAccessRules(new DirectoryNames("o=egov-pki,c=CN"));

        // Without add-content checking slapd checks only the entry, and a decision could carry a userPassword.
        assertThat(rules.ldif()).startsWith("olcAddContentAcl: TRUE\n");
        // add on a parent's children lets an operator create an entry below it; add on an entry's own
        // attributes is also modify-add on existing entries, so it goes to the entry's creator alone.
        assertThat(rules.values()).filteredOn(rule -> rule.contains(" add\n") && !rule.contains("attrs=children"))
                .hasSize(2).allSatisfy(rule -> assertThat(rule).containsPattern("\nby dnattr=creatorsName [^\n]* add\n"));
    }

    @Test
    void anotherBaseDnNamesItsOwnAccountsAndContainers() {
        String ldif = new OpenLdapAccessRules(new DirectoryNames("o=Henan e-Government CA,c=CN")).ldif();

        assertThat(ldif).contains("dn.exact=\"uid=egov-pki-ca,ou=services,o=Henan e-Government CA,c=CN\" write")
                .contains("dn.subtree=\"ou=km,o=Henan e-Government CA,c=CN\"")
                .doesNotContain("o=egov-pki,c=CN");
    }
}
