package org.egovpki.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.ldap.sdk.LDAPURL;
import java.net.URI;
import org.egovpki.directory.DirectoryNames;
import org.junit.jupiter.api.Test;

/**
 * The CRL URLs of a key made by a key changeover, as its certificates name them: the HTTP path
 * the public download serves that key's CRL at ({@code RetiredKeyCrlPathTest}) and the LDAP URL
 * of the entry the directory publishes it on.
 */
class ConfiguredPublicationUrlsTest {

    private final DirectoryNames names = new DirectoryNames("o=egov-pki,c=CN");
    private final ConfiguredPublicationUrls urls = new ConfiguredPublicationUrls(URI.create("http://pki.example:8080"),
            URI.create("ldap://ldap.example"), names, true, 1);

    @Test
    void aLaterKeysCrlUrlsNameItsDownloadPathAndItsDirectoryEntry() throws Exception {
        assertThat(urls.keyCrlUrl("sm2-issuing", "0a1b2c")).isEqualTo("http://pki.example:8080/crl/sm2-issuing-key-0a1b2c.crl");
        LDAPURL ldap = new LDAPURL(urls.keyCrlLdapUrl("sm2-issuing", "0a1b2c"));
        assertThat(ldap.getBaseDN()).isEqualTo(names.retiredKeyCrl("sm2-issuing", "0a1b2c"));
        assertThat(ldap.getAttributes()).containsExactly("certificateRevocationList;binary");
        assertThat(ldap.getPort()).isEqualTo(389);
        assertThat(ldap.getBaseDN().getParent()).as("below the CA entry").isEqualTo(names.ca("sm2-issuing"));
        assertThat(new LDAPURL(urls.crlLdapUrl("sm2-issuing")).getBaseDN()).as("the main CRL stays on the CA entry")
                .isEqualTo(names.ca("sm2-issuing"));
    }
}
