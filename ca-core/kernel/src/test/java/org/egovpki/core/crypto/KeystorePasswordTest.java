package org.egovpki.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeystorePasswordTest {

    private final SecureRandom random = new SecureRandom();

    @TempDir
    Path dir;

    @Test
    void generatedOnceOwnerOnlyThenReused() throws Exception {
        Path file = dir.resolve("secrets/keystore.pass");

        GeneratedSecret first = KeystorePassword.loadOrGenerate(file, random);
        GeneratedSecret second = KeystorePassword.loadOrGenerate(file, random);

        assertThat(first.generated()).isTrue();
        assertThat(new String(first.value())).hasSize(32).matches("[A-Za-z0-9]{32}");
        assertThat(second.generated()).isFalse();
        assertThat(second.value()).isEqualTo(first.value());
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(AtomicFiles.OWNER_ONLY);
        assertThat(Files.readString(file)).isEqualTo(new String(first.value()) + "\n");
    }

    @Test
    void anExistingFileIsReadWithoutItsLineBreak() throws Exception {
        Path file = dir.resolve("keystore.pass");
        Files.writeString(file, "s3cret with spaces 密码\r\n", StandardCharsets.UTF_8);

        GeneratedSecret secret = KeystorePassword.loadOrGenerate(file, random);

        assertThat(secret.generated()).isFalse();
        assertThat(new String(secret.value())).isEqualTo("s3cret with spaces 密码");
    }

    @Test
    void anEmptyFileIsRefused() throws Exception {
        Path file = dir.resolve("keystore.pass");
        Files.writeString(file, "\n");

        assertThatThrownBy(() -> KeystorePassword.loadOrGenerate(file, random))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is empty");
    }

    @Test
    void theSecretIsACopyAndNeverPrinted() {
        char[] chars = "hunter2".toCharArray();
        GeneratedSecret secret = new GeneratedSecret(chars, true);
        chars[0] = 'X';
        secret.value()[1] = 'Y';

        assertThat(new String(secret.value())).isEqualTo("hunter2");
        assertThat(secret.toString()).doesNotContain("hunter2").contains("7 characters");
    }
}
