package org.egovpki.directory;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class PasswordHashesTest {

    private final SecureRandom random = new SecureRandom();

    @Test
    void aHashMatchesItsPasswordOnlyAndEachHashIsSalted() {
        String hash = PasswordHashes.ssha256("Garden2026x".toCharArray(), random);

        assertThat(hash).startsWith("{SSHA256}");
        assertThat(PasswordHashes.matches(hash, "Garden2026x".toCharArray())).isTrue();
        assertThat(PasswordHashes.matches(hash, "Garden2026X".toCharArray())).isFalse();
        assertThat(PasswordHashes.matches(hash, "".toCharArray())).isFalse();
        assertThat(PasswordHashes.ssha256("Garden2026x".toCharArray(), random)).isNotEqualTo(hash);
    }

    @Test
    void otherSchemesAndBrokenValuesNeverMatch() {
        assertThat(PasswordHashes.matches("Garden2026x", "Garden2026x".toCharArray())).isFalse();
        assertThat(PasswordHashes.matches("{SSHA}abcd", "Garden2026x".toCharArray())).isFalse();
        assertThat(PasswordHashes.matches("{SSHA256}not base64!", "Garden2026x".toCharArray())).isFalse();
        assertThat(PasswordHashes.matches("{SSHA256}AAAA", "Garden2026x".toCharArray())).isFalse();
        assertThat(PasswordHashes.matches(null, "Garden2026x".toCharArray())).isFalse();
    }
}
