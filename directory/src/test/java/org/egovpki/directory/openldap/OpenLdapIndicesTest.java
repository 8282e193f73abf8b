package org.egovpki.directory.openldap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.egovpki.directory.embedded.EmbeddedDirectorySettings;
import org.junit.jupiter.api.Test;

class OpenLdapIndicesTest {

    @Test
    void everyIndexedAttributeHasAnEqualityIndexAndTheOwedMarkerAPresenceIndex() {
        List<String> lines = OpenLdapPreparation.indexLines().lines().toList();

        assertThat(lines).hasSize(EmbeddedDirectorySettings.INDEXED_ATTRIBUTES.size());
        assertThat(lines).contains("olcDbIndex: egovSyncOwed eq,pres", "olcDbIndex: egovSerialNumber eq");
        assertThat(lines).filteredOn(line -> line.endsWith(",pres"))
                .containsExactly("olcDbIndex: egovSyncOwed eq,pres");
        assertThat(EmbeddedDirectorySettings.INDEXED_ATTRIBUTES).containsAll(OpenLdapPreparation.PRESENCE_SEARCHED);
    }
}
