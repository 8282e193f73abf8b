package org.egovpki.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import org.egovpki.core.crypto.CaKeyStore;
import org.egovpki.server.config.ConfigLoader;
import org.egovpki.server.config.EgovPkiConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The key stores opened while the directory starts are the stores a start without it opens, errors included. */
class KeyStoreOpeningTest {

    private final SecureRandom random = new SecureRandom();
    private final Clock clock = Clock.fixed(Instant.parse("2026-12-03T08:00:00Z"), ZoneOffset.UTC);
    private final EgovPkiConfig config = ConfigLoader.defaults();

    @TempDir
    Path dir;

    private DataDirectory data;

    @AfterEach
    void unlock() throws Exception {
        if (data != null) {
            data.close();
        }
    }

    @Test
    void opensTheStoresASecondStartFinds() throws Exception {
        data = DataDirectory.lock(dir);
        Secrets secrets = Secrets.load(data, null, config.caKeys(), null);
        KeyStoreOpening first = KeyStoreOpening.begin(config, data, secrets, clock, random);
        CaKeyStore created = first.caKeyStore(config.caKeys(), data, secrets, random);
        KeyStoreOpening.KmKeys createdKm = first.kmKeys();
        assertThat(createdKm.passwordGenerated()).isTrue();
        assertThat(Files.exists(data.keyStore())).isTrue();

        KeyStoreOpening second = KeyStoreOpening.begin(config, data, secrets, clock, random);

        assertThat(second.caKeyStore(config.caKeys(), data, secrets, random).aliases()).isEqualTo(created.aliases());
        KeyStoreOpening.KmKeys reopenedKm = second.kmKeys();
        assertThat(reopenedKm.passwordGenerated()).isFalse();
        assertThat(reopenedKm.store().certificate()).isEqualTo(createdKm.store().certificate());
    }

    @Test
    void aStoreThatCannotBeOpenedFailsTheStartWithTheStoresOwnMessage() throws Exception {
        data = DataDirectory.lock(dir);
        Secrets secrets = Secrets.load(data, null, config.caKeys(), null);
        KeyStoreOpening.begin(config, data, secrets, clock, random).caKeyStore(config.caKeys(), data, secrets, random);
        byte[] before = Files.readAllBytes(data.keyStore());
        Files.writeString(data.secret("ca-keystore.password"), "not the password\n", StandardCharsets.US_ASCII);
        Secrets wrong = Secrets.load(data, null, config.caKeys(), null);

        KeyStoreOpening opening = KeyStoreOpening.begin(config, data, wrong, clock, random);

        assertThatThrownBy(() -> opening.caKeyStore(config.caKeys(), data, wrong, random))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot open CA keystore " + data.keyStore())
                .hasMessageContaining("wrong password or corrupted file");
        assertThat(Files.readAllBytes(data.keyStore())).isEqualTo(before);
    }
}
