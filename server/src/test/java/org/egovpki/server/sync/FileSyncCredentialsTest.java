package org.egovpki.server.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.egovpki.core.sync.SyncCredentials;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSyncCredentialsTest {

    @TempDir
    Path data;

    @Test
    void keepsEachTargetsSecretInAnOwnerOnlyFileUntilDeleted() throws Exception {
        Path directory = data.resolve("secrets").resolve("sync");
        FileSyncCredentials credentials = new FileSyncCredentials(directory);
        byte[] pkcs12 = {0x30, 0x03, 0x02, 0x01, 0x03};

        credentials.store("henan-tax", new SyncCredentials.Secret("pw-1".toCharArray(), null));
        credentials.store("zz-gov", new SyncCredentials.Secret("p12-pw".toCharArray(), pkcs12));
        credentials.store("henan-tax", new SyncCredentials.Secret("pw-2".toCharArray(), null));

        assertThat(credentials.load("henan-tax").orElseThrow().password()).isEqualTo("pw-2".toCharArray());
        assertThat(credentials.load("henan-tax").orElseThrow().pkcs12()).isNull();
        assertThat(credentials.load("zz-gov").orElseThrow().pkcs12()).isEqualTo(pkcs12);
        assertThat(credentials.load("nobody")).isEmpty();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(directory))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(directory.resolve("henan-tax.secret"))))
                .isEqualTo("rw-------");
        try (var files = Files.list(directory)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("henan-tax.secret",
                    "zz-gov.secret");
        }

        credentials.delete("henan-tax");
        credentials.delete("henan-tax");
        assertThat(credentials.load("henan-tax")).isEmpty();
        assertThat(new FileSyncCredentials(directory).load("zz-gov").orElseThrow().password())
                .isEqualTo("p12-pw".toCharArray());
    }

    @Test
    void refusesAnIdThatCouldNameAnotherFile() {
        FileSyncCredentials credentials = new FileSyncCredentials(data);
        assertThatThrownBy(() -> credentials.load("../ca-keystore")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> credentials.store("a/b", new SyncCredentials.Secret(null, null)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
