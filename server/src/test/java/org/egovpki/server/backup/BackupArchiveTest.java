package org.egovpki.server.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Enumeration;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The archive format on its own: what goes in clear, what is sealed (the keys, the secrets and the
 * directory's LDIF with its registration data), and that opening it checks the passphrase, the
 * manifest and every member before handing anything out.
 */
class BackupArchiveTest {

    private static final char[] PASSPHRASE = "a passphrase of some length".toCharArray();
    private static final String ID_NUMBER = "11010519491231002X";
    private static final String LDIF = """
            dn: o=egov-pki,c=CN
            objectClass: top

            dn: cn=registration,egovSubscriberId=s-1,ou=subscribers,o=egov-pki,c=CN
            objectClass: egovRegistration
            egovIdNumber: %s
            egovRealName: Zhang San

            dn: uid=clerk1,ou=operators,o=egov-pki,c=CN
            userPassword: {SSHA}c2VjcmV0aGFzaA==
            """.formatted(ID_NUMBER);

    @TempDir
    Path tmp;

    private Path data;
    private byte[] ldif;
    private Path config;

    @BeforeEach
    void dataDirectory() throws IOException {
        data = tmp.resolve("data");
        write(data.resolve("secrets/ca-keystore.password"), "keystore-secret");
        write(data.resolve("secrets/sync/target-a.password"), "sync-secret");
        write(data.resolve("keys/ca.p12"), "not really PKCS#12");
        write(data.resolve("km/km.p12"), "km keys");
        write(data.resolve("audit/audit.jsonl"), "{\"seq\":1}\n");
        write(data.resolve("audit/audit.jsonl.lock"), "");
        write(data.resolve("directory/partitions/egovpki/master.db"), "jdbm");
        write(data.resolve("run/ports"), "ldap=1\n");
        write(data.resolve("egov-pki.lock"), "123");
        ldif = LDIF.getBytes(StandardCharsets.UTF_8);
        config = write(tmp.resolve("egov-pki.yaml"), "data: ./data\nhttp:\n  tls:\n    keyStorePassword: tls-store-secret\n");
    }

    @Test
    void keysSecretsTheDirectoryAndTheConfigurationAreSealedWhileAuditTravelsAsItIs() throws IOException {
        Path archive = backup("backup.zip");

        try (ZipFile zip = new ZipFile(archive.toFile())) {
            assertThat(zip.stream().map(ZipEntry::getName)).containsExactlyInAnyOrder("directory.ldif.enc",
                    "config/egov-pki.yaml.enc", "audit/audit.jsonl", "secrets.enc", "manifest.json", "manifest.mac");
            // No member, read as the zip holds it, shows the directory's content or a secret.
            for (ZipEntry entry : zip.stream().toList()) {
                String content;
                try (InputStream in = zip.getInputStream(entry)) {
                    content = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
                }
                assertThat(content).as(entry.getName()).doesNotContain(ID_NUMBER).doesNotContain("Zhang San")
                        .doesNotContain("userPassword").doesNotContain("c2VjcmV0aGFzaA").doesNotContain("dn: ")
                        .doesNotContain("egovSubscriberId").doesNotContain("keystore-secret").doesNotContain("ca.p12")
                        .doesNotContain("tls-store-secret").doesNotContain("keyStorePassword");
            }
        }
        assertThat(new String(Files.readAllBytes(archive), StandardCharsets.ISO_8859_1)).as("the archive file")
                .doesNotContain(ID_NUMBER).doesNotContain("userPassword").doesNotContain("egovSubscriberId");
        try (BackupArchive.Opened opened = BackupArchive.open(archive, PASSPHRASE)) {
            assertThat(opened.secretFiles()).containsOnlyKeys("secrets/ca-keystore.password",
                    "secrets/sync/target-a.password", "keys/ca.p12", "km/km.p12");
            assertThat(new String(opened.secretFiles().get("secrets/ca-keystore.password"), StandardCharsets.UTF_8))
                    .isEqualTo("keystore-secret");
            assertThat(opened.auditFiles()).containsExactly("audit/audit.jsonl");
            assertThat(opened.baseDn()).isEqualTo("o=egov-pki,c=CN");
            assertThat(opened.manifest().path("sourceDataDirectory").asText()).isEqualTo(data.toString());
            assertThat(opened.manifest().path("kdf").path("iterations").asInt()).isEqualTo(ArchiveKeys.ITERATIONS);
            assertThat(opened.ldif()).isEqualTo(LDIF.getBytes(StandardCharsets.UTF_8));
            assertThat(opened.config()).isEqualTo(Files.readAllBytes(config));
            try (InputStream in = opened.directoryLdif()) {
                assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(LDIF);
            }
        }
    }

    @Test
    void aWrongPassphraseOpensNothing() throws IOException {
        Path archive = backup("backup.zip");

        assertThatThrownBy(() -> BackupArchive.open(archive, "another passphrase here".toCharArray()))
                .isInstanceOf(ArchiveKeys.WrongPassphraseException.class)
                .hasMessage("wrong passphrase or damaged archive; nothing was written");
    }

    @Test
    void aShortPassphraseIsRefusedAndNothingIsWritten() {
        assertThatThrownBy(() -> BackupArchive.write(tmp.resolve("short.zip"), sources(), "elevenchars".toCharArray(),
                new SecureRandom())).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 12");
        assertThat(tmp.resolve("short.zip")).doesNotExist();
        assertThat(partials()).isEmpty();
    }

    @Test
    void aFailedWriteLeavesNoArchiveAndNoPartialFile() throws IOException {
        Files.delete(config);

        assertThatThrownBy(() -> backup("failed.zip")).isInstanceOf(IOException.class);
        assertThat(tmp.resolve("failed.zip")).doesNotExist();
        assertThat(partials()).isEmpty();
    }

    @Test
    void aChangedManifestReadsAsAWrongPassphrase() throws IOException {
        Path archive = rewrite(backup("backup.zip"), (name, content) -> name.equals("manifest.json")
                ? new String(content, StandardCharsets.UTF_8).replace("egov-pki,c=CN", "evil,c=CN").getBytes(StandardCharsets.UTF_8)
                : content);

        assertThatThrownBy(() -> BackupArchive.open(archive, PASSPHRASE))
                .isInstanceOf(ArchiveKeys.WrongPassphraseException.class);
    }

    @Test
    void aChangedMemberIsNamed() throws IOException {
        Path archive = rewrite(backup("backup.zip"), (name, content) -> name.equals("audit/audit.jsonl")
                ? "{\"seq\":2}\n".getBytes(StandardCharsets.UTF_8) : content);

        assertThatThrownBy(() -> BackupArchive.open(archive, PASSPHRASE)).isInstanceOf(IOException.class)
                .hasMessageContaining("archive member audit/audit.jsonl does not match the manifest");
    }

    @Test
    void aChangedSealedDirectoryIsNamedAndNotOpened() throws IOException {
        Path archive = rewrite(backup("backup.zip"), (name, content) -> {
            if (!name.equals("directory.ldif.enc")) {
                return content;
            }
            byte[] changed = content.clone();
            changed[changed.length - 1] ^= 1;
            return changed;
        });

        assertThatThrownBy(() -> BackupArchive.open(archive, PASSPHRASE)).isInstanceOf(IOException.class)
                .hasMessageContaining("archive member directory.ldif.enc does not match the manifest");
    }

    @Test
    void anArchiveOfTheFirstFormatWithTheDirectoryInClearIsRefused() throws IOException {
        Path archive = rewrite(backup("backup.zip"), (name, content) -> name.equals("manifest.json")
                ? new String(content, StandardCharsets.UTF_8).replace("\"format\" : 3", "\"format\" : 1")
                        .getBytes(StandardCharsets.UTF_8)
                : content);

        assertThatThrownBy(() -> BackupArchive.open(archive, PASSPHRASE)).isInstanceOf(IOException.class)
                .hasMessageContaining("has archive format 1; this egov-pki reads 3");
    }

    @Test
    void aMissingOrAnAddedMemberIsNamed() throws IOException {
        Path original = backup("backup.zip");
        Path missing = rewrite(original, (name, content) -> name.equals("secrets.enc") ? null : content);
        assertThatThrownBy(() -> BackupArchive.open(missing, PASSPHRASE)).isInstanceOf(IOException.class)
                .hasMessageContaining("archive member secrets.enc is missing");

        Path added = rewrite(original, (name, content) -> content);
        try (OutputStream out = Files.newOutputStream(tmp.resolve("extra.zip"));
             ZipOutputStream zip = new ZipOutputStream(out); ZipFile in = new ZipFile(added.toFile())) {
            for (Enumeration<? extends ZipEntry> e = in.entries(); e.hasMoreElements();) {
                ZipEntry entry = e.nextElement();
                zip.putNextEntry(new ZipEntry(entry.getName()));
                zip.write(in.getInputStream(entry).readAllBytes());
            }
            zip.putNextEntry(new ZipEntry("secrets/extra.password"));
            zip.write("planted".getBytes(StandardCharsets.UTF_8));
        }
        assertThatThrownBy(() -> BackupArchive.open(tmp.resolve("extra.zip"), PASSPHRASE)).isInstanceOf(IOException.class)
                .hasMessageContaining("archive member secrets/extra.password is not in the manifest");
    }

    @Test
    void memberNamesThatLeaveTheDirectoryAreRefused() {
        for (String name : new String[] {"../etc/passwd", "/etc/passwd", "audit/../../x", "a//b", "a\\b"}) {
            assertThatThrownBy(() -> BackupArchive.safeName(name)).as(name).isInstanceOf(IOException.class)
                    .hasMessageContaining("not a plain relative path");
        }
    }

    private Path backup(String name) throws IOException {
        Path archive = tmp.resolve(name);
        BackupArchive.write(archive, sources(), PASSPHRASE, new SecureRandom());
        return archive;
    }

    private BackupArchive.Sources sources() {
        return new BackupArchive.Sources(data, ldif, config, "o=egov-pki,c=CN", "test", Instant.parse("2026-12-02T10:00:00Z"));
    }

    /** A copy of the archive with each member's content passed through {@code change} (null drops it). */
    private Path rewrite(Path archive, BiFunction<String, byte[], byte[]> change) throws IOException {
        Path copy = Files.createTempFile(tmp, "changed-", ".zip");
        try (ZipFile in = new ZipFile(archive.toFile()); OutputStream file = Files.newOutputStream(copy);
             ZipOutputStream out = new ZipOutputStream(file)) {
            for (Enumeration<? extends ZipEntry> e = in.entries(); e.hasMoreElements();) {
                ZipEntry entry = e.nextElement();
                byte[] content = change.apply(entry.getName(), in.getInputStream(entry).readAllBytes());
                if (content != null) {
                    out.putNextEntry(new ZipEntry(entry.getName()));
                    out.write(content);
                    out.closeEntry();
                }
            }
        }
        return copy;
    }

    private java.util.List<Path> partials() {
        try (Stream<Path> files = Files.list(tmp)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".partial")).toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Path write(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.writeString(file, content);
    }
}
