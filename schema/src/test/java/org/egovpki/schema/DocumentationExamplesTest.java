package org.egovpki.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.schema.EntryValidator;
import com.unboundid.ldap.sdk.schema.Schema;
import com.unboundid.ldif.LDIFReader;
import java.io.BufferedReader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The LDIF examples in {@code docs/directory.md} are real: each parses, conforms to the standard
 * schema plus ours, and loads under the default DIT. Skipped when the module is built outside the
 * repository (no docs directory beside it).
 */
class DocumentationExamplesTest {

    private static final Path DOC = Path.of("..", "docs", "directory.md");
    private static final String PWD_POLICY_SUBENTRY = "( 1.3.6.1.4.1.42.2.27.8.1.23 NAME 'pwdPolicySubentry' "
            + "EQUALITY distinguishedNameMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.12 SINGLE-VALUE "
            + "USAGE directoryOperation )";
    private static final Pattern LDIF_BLOCK = Pattern.compile("```ldif\\n(.*?)```", Pattern.DOTALL);

    @Test
    void everyLdifExampleConformsToTheSchemaAndLoadsUnderTheDefaultTree() throws Exception {
        assumeTrue(Files.isRegularFile(DOC), "docs/directory.md not found beside the module");
        List<Entry> examples = examples(Files.readString(DOC, StandardCharsets.UTF_8));

        assertThat(examples).flatExtracting(e -> List.of(e.getObjectClassValues())).contains(
                "egovCertificationAuthority", "pkiCA", "egovCertificateRecord", "egovSubscriber", "pkiUser",
                "egovSubscriberRegistration",
                "egovEnrollmentRequest", "egovOperator", "egovServiceAccount", "egovSyncTarget", "egovSyncCursor",
                "egovEscrowedKey", "egovKeyRecoveryRequest", "egovKeyRecoveryDetails", "egovAuditEvent",
                "egovRequestDecision", "egovCompromisedKey");

        // pwdPolicySubentry (on the service accounts) comes from the password policy draft that
        // ApacheDS and OpenLDAP's ppolicy both implement; UnboundID's standard schema lacks it.
        Schema schema = Schema.mergeSchemas(UnboundIdSchemas.standardPlusEgov(EgovSchema.load()),
                new Schema(new Entry("cn=schema", new Attribute("objectClass", "top", "ldapSubentry", "subschema"),
                        new Attribute("attributeTypes", PWD_POLICY_SUBENTRY))));
        EntryValidator validator = new EntryValidator(schema);
        for (Entry example : examples) {
            List<String> problems = new ArrayList<>();
            assertThat(validator.entryIsValid(example, problems)).as("%s: %s", example.getDN(), problems).isTrue();
        }

        InMemoryDirectoryServerConfig config = new InMemoryDirectoryServerConfig(DirectoryLayout.DEFAULT_BASE_DN);
        config.setSchema(schema);
        InMemoryDirectoryServer server = new InMemoryDirectoryServer(config);
        for (Entry entry : DirectoryLayoutTest.read(DirectoryLayout.defaultLayout().renderDitLdif())) {
            server.add(entry);
        }
        for (Entry example : examples) {
            server.add(example);
        }
        assertThat(server.countEntries()).isEqualTo(12 + examples.size());
    }

    private static List<Entry> examples(String markdown) throws Exception {
        List<Entry> entries = new ArrayList<>();
        Matcher blocks = LDIF_BLOCK.matcher(markdown);
        while (blocks.find()) {
            try (LDIFReader reader = new LDIFReader(new BufferedReader(new StringReader(blocks.group(1))))) {
                for (Entry e = reader.readEntry(); e != null; e = reader.readEntry()) {
                    entries.add(e);
                }
            }
        }
        assertThat(entries).as("LDIF examples in docs/directory.md").hasSizeGreaterThanOrEqualTo(9);
        return entries;
    }
}
