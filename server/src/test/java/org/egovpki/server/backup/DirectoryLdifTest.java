package org.egovpki.server.backup;

import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.SearchResultEntry;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The backup's LDIF and the X.500-named mirror's "filled" marker: the mirror's naming contexts
 * outside the base DN are not in the export, so a restored directory must not claim they are
 * filled; the first start after a restore fills them again. A schema-less UnboundID in-memory
 * directory stands in for the egov-pki tree (the marker is an ordinary attribute to the export).
 */
class DirectoryLdifTest {

    private static final String BASE = "o=egov-pki,c=CN";
    private static final String CERTIFICATES = "ou=certificates," + BASE;

    private InMemoryDirectoryServer server;

    @BeforeEach
    void start() throws Exception {
        InMemoryDirectoryServerConfig config = new InMemoryDirectoryServerConfig("c=CN");
        config.setSchema(null);
        server = new InMemoryDirectoryServer(config);
        server.startListening();
        server.add(new Entry("c=CN", List.of(new Attribute("objectClass", "top", "country"), new Attribute("c", "CN"))));
        server.add(new Entry(BASE, List.of(new Attribute("objectClass", "top", "organization"),
                new Attribute("o", "egov-pki"))));
    }

    @AfterEach
    void stop() {
        server.shutDown(true);
    }

    @Test
    void theExportLeavesOutTheMirrorsFilledMarkerAndKeepsTheRest() throws Exception {
        server.add(new Entry(CERTIFICATES, List.of(
                new Attribute("objectClass", "top", "organizationalUnit", "egovX500Mirror"),
                new Attribute("ou", "certificates"), new Attribute("egovX500FilledContext", "c=CN"))));
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        assertThat(DirectoryLdif.export(server, BASE, out)).isEqualTo(2);

        String ldif = out.toString(StandardCharsets.UTF_8);
        assertThat(ldif).doesNotContainIgnoringCase("egovX500FilledContext").contains("dn: " + CERTIFICATES)
                .contains("ou: certificates");
    }

    @Test
    void loadingAnOlderExportWithTheMarkerDropsIt() throws Exception {
        String ldif = "dn: " + CERTIFICATES + "\nobjectClass: top\nobjectClass: organizationalUnit\n"
                + "objectClass: egovX500Mirror\nou: certificates\negovX500FilledContext: c=CN\n";

        assertThat(DirectoryLdif.load(server, BASE, new ByteArrayInputStream(ldif.getBytes(StandardCharsets.UTF_8))))
                .isEqualTo(1);

        SearchResultEntry restored = server.getEntry(CERTIFICATES, "*");
        assertThat(restored).isNotNull();
        assertThat(restored.hasAttribute("egovX500FilledContext")).isFalse();
        assertThat(restored.getAttributeValue("ou")).isEqualTo("certificates");
    }
}
