package org.egovpki.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PasswordFilesTest {

    @TempDir
    Path dir;

    @Test
    void trailingLineBreaksAreNotPartOfThePasswordButOtherSpacesAre() throws IOException {
        Path file = Files.writeString(dir.resolve("p"), " s3cret pass \r\n\n");

        assertThat(new String(PasswordFiles.read(file, "ldap.external.caPasswordFile"))).isEqualTo(" s3cret pass ");
    }

    @Test
    void anEmptyFileIsRefusedNamingTheKey() throws IOException {
        Path file = Files.writeString(dir.resolve("p"), "\n");

        assertThatThrownBy(() -> PasswordFiles.read(file, "ldap.external.kmPasswordFile"))
                .isInstanceOf(StartupException.class)
                .hasMessageContaining("ldap.external.kmPasswordFile").hasMessageContaining("is empty");
    }

    @Test
    void aFileThatIsNotUtf8IsRefused() throws IOException {
        Path file = Files.write(dir.resolve("p"), new byte[] {(byte) 0xff, (byte) 0xfe, 'a'});

        assertThatThrownBy(() -> PasswordFiles.read(file, "--ca-password-file"))
                .isInstanceOf(StartupException.class).hasMessageContaining("not UTF-8");
    }

    @Test
    void aMissingFileIsNamed() {
        assertThatThrownBy(() -> PasswordFiles.read(dir.resolve("none"), "--ca-password-file"))
                .isInstanceOf(StartupException.class).hasMessageContaining("cannot read the password file");
    }
}
