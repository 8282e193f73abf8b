package org.egovpki.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.ldif.LDIFReader;
import java.io.BufferedReader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DirectoryLayoutTest {

    private static final List<String> CONTAINER_OUS = List.of("CAs", "subscribers", "certificates", "requests",
            "operators", "km", "sync", "statistics", "compromisedKeys", "audit", "services");

    @Test
    void defaultBaseDnIsTheEgovPkiOrganisationInChina() {
        DirectoryLayout layout = DirectoryLayout.defaultLayout();
        assertThat(layout.baseDn()).isEqualTo("o=egov-pki,c=CN");
        assertThat(layout.baseOrganization()).isEqualTo("egov-pki");
        assertThat(layout.dn(DirectoryLayout.Container.CAS)).isEqualTo("ou=CAs,o=egov-pki,c=CN");
        assertThat(layout.caServiceAccountDn()).isEqualTo("uid=egov-pki-ca,ou=services,o=egov-pki,c=CN");
        assertThat(layout.kmServiceAccountDn()).isEqualTo("uid=egov-pki-km,ou=services,o=egov-pki,c=CN");
    }

    @Test
    void containersAreTheNineAgreedOnes() {
        assertThat(Arrays.stream(DirectoryLayout.Container.values()).map(DirectoryLayout.Container::ou))
                .containsExactlyElementsOf(CONTAINER_OUS);
        assertThat(DirectoryLayout.Container.SERVICES.rdn()).isEqualTo("ou=services");
    }

    @Test
    void rendersTheTreeForAnotherBaseDn() throws Exception {
        List<Entry> entries = read(DirectoryLayout.renderDit("o=test,c=CN"));

        assertThat(entries).hasSize(12);
        Entry base = entries.get(0);
        assertThat(base.getParsedDN()).isEqualTo(new DN("o=test,c=CN"));
        assertThat(base.getObjectClassValues()).containsExactlyInAnyOrder("top", "organization");
        assertThat(base.getAttributeValue("o")).isEqualTo("test");
        List<Entry> containers = entries.subList(1, 12);
        assertThat(containers).extracting(e -> e.getParsedDN().getRDN().getAttributeValues()[0])
                .containsExactlyElementsOf(CONTAINER_OUS);
        assertThat(containers).allSatisfy(c -> {
            assertThat(c.getParsedDN().getParent()).isEqualTo(new DN("o=test,c=CN"));
            assertThat(c.getObjectClassValues()).containsExactlyInAnyOrder("top", "organizationalUnit");
            assertThat(c.getAttributeValue("ou")).isEqualTo(c.getParsedDN().getRDN().getAttributeValues()[0]);
            assertThat(c.getAttributeValue("description")).hasSizeGreaterThan(20);
        });
        assertThat(DirectoryLayout.renderDit("o=test,c=CN")).doesNotContain("${").doesNotContain("egov-pki,c=CN");
    }

    @Test
    void renderedTreeLoadsIntoADirectoryWithTheStandardSchema() throws Exception {
        InMemoryDirectoryServerConfig config = new InMemoryDirectoryServerConfig("o=test,c=CN");
        config.setSchema(UnboundIdSchemas.standardPlusEgov(EgovSchema.load()));
        InMemoryDirectoryServer server = new InMemoryDirectoryServer(config);
        for (Entry entry : read(DirectoryLayout.renderDit("o=test,c=CN"))) {
            server.add(entry);
        }
        assertThat(server.search("o=test,c=CN", SearchScope.ONE, "(objectClass=organizationalUnit)").getEntryCount())
                .isEqualTo(11);
    }

    @Test
    void escapedAndNonAsciiBaseDnsRenderAsValidLdif() throws Exception {
        Entry escaped = read(DirectoryLayout.renderDit("o=Gov\\, Inc.,c=CN")).get(0);
        assertThat(escaped.getAttributeValue("o")).isEqualTo("Gov, Inc.");
        assertThat(escaped.getParsedDN()).isEqualTo(new DN("o=Gov\\, Inc.,c=CN"));

        String rendered = DirectoryLayout.renderDit("o=电子政务,c=CN");
        assertThat(rendered).startsWith("dn:: ");
        List<Entry> entries = read(rendered);
        assertThat(entries.get(0).getAttributeValue("o")).isEqualTo("电子政务");
        assertThat(entries.get(1).getDN()).isEqualTo("ou=CAs,o=电子政务,c=CN");

        assertThat(new DirectoryLayout("O=hex\\41\\ ,c=CN").baseOrganization()).isEqualTo("hexA ");
        assertThat(new DirectoryLayout("  o=trimmed , c=CN ").baseDn()).isEqualTo("o=trimmed , c=CN");
        assertThat(new DirectoryLayout("organizationName=long,c=CN").baseOrganization()).isEqualTo("long");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "o=a\nc=CN", "o=a\r,c=CN", "dc=example,dc=org", "ou=x,o=a",
        "o=a+l=b,c=CN", "o=#0403616263,c=CN", "o=,c=CN", "o=a\\"})
    void rejectsBaseDnsItCannotUse(String baseDn) {
        assertThatIllegalArgumentException().isThrownBy(() -> new DirectoryLayout(baseDn))
                .withMessageContaining("ldap.baseDn");
    }

    @Test
    void rejectsNullBaseDn() {
        assertThatNullPointerException().isThrownBy(() -> new DirectoryLayout(null));
    }

    static List<Entry> read(String ldif) throws Exception {
        List<Entry> entries = new ArrayList<>();
        try (LDIFReader reader = new LDIFReader(new BufferedReader(new StringReader(ldif)))) {
            for (Entry e = reader.readEntry(); e != null; e = reader.readEntry()) {
                entries.add(e);
            }
        }
        return entries;
    }
}
