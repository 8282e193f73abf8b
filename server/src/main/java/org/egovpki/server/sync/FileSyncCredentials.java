package org.egovpki.server.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.egovpki.core.DomainException;
import org.egovpki.core.sync.SyncCredentials;
import org.egovpki.core.sync.SyncTarget;

/**
 * The sync targets' secrets as files under {@code <data>/secrets/sync/}, beside the server's other
 * secrets and never in the directory: {@code <target>.secret}, a small JSON object
 * ({@code password}, {@code pkcs12} base64), mode 0600 in a 0700 directory. A write goes to a
 * temporary file in the same directory, is fsynced and renamed over the old one atomically, so a
 * crash leaves the old secret or the new one, never half of one. Back the directory up with the
 * data directory.
 */
public final class FileSyncCredentials implements SyncCredentials {

    static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final String SUFFIX = ".secret";

    private final Path directory;
    private final ObjectMapper json = new ObjectMapper();

    /** @param directory where the files are, created (0700) on the first write */
    public FileSyncCredentials(Path directory) {
        this.directory = Objects.requireNonNull(directory, "directory").toAbsolutePath();
    }

    @Override
    public void store(String targetId, Secret secret) {
        Path file = file(targetId);
        ObjectNode node = json.createObjectNode();
        node.put("password", secret.password() == null ? null : new String(secret.password()));
        node.put("pkcs12", secret.pkcs12() == null ? null : Base64.getEncoder().encodeToString(secret.pkcs12()));
        byte[] content = null;
        try {
            content = json.writeValueAsBytes(node);
            writeOwnerOnly(file, content);
        } catch (IOException e) {
            throw DomainException.unavailable("cannot write the sync target secret " + file + ": " + e.getMessage(), e);
        } finally {
            if (content != null) {
                Arrays.fill(content, (byte) 0);
            }
        }
    }

    @Override
    public Optional<Secret> load(String targetId) {
        Path file = file(targetId);
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw DomainException.unavailable("cannot read the sync target secret " + file + ": " + e.getMessage(), e);
        }
        try {
            JsonNode node = json.readTree(content);
            char[] password = node.path("password").isTextual() ? chars(node.path("password").asText()) : null;
            byte[] pkcs12 = node.path("pkcs12").isTextual() ? Base64.getDecoder().decode(node.path("pkcs12").asText())
                    : null;
            return Optional.of(new Secret(password, pkcs12));
        } catch (IOException | IllegalArgumentException e) {
            throw DomainException.internal("the sync target secret " + file + " is damaged; set the target's "
                    + "authentication again (PUT /api/v1/sync/targets/" + targetId + ")", e);
        } finally {
            Arrays.fill(content, (byte) 0);
        }
    }

    @Override
    public void delete(String targetId) {
        Path file = file(targetId);
        try {
            if (Files.deleteIfExists(file)) {
                fsync(directory);
            }
        } catch (IOException e) {
            throw DomainException.unavailable("cannot delete the sync target secret " + file + ": " + e.getMessage(), e);
        }
    }

    /** The target's file; the id is checked so it can name nothing outside the directory. */
    private Path file(String targetId) {
        if (targetId == null || !SyncTarget.ID.matcher(targetId).matches()) {
            throw new IllegalArgumentException("not a sync target id: " + targetId);
        }
        return directory.resolve(targetId + SUFFIX);
    }

    private void writeOwnerOnly(Path file, byte[] content) throws IOException {
        boolean posix = createDirectory();
        Path temporary = posix
                ? Files.createTempFile(directory, "." + file.getFileName(), ".tmp",
                        PosixFilePermissions.asFileAttribute(OWNER_ONLY))
                : Files.createTempFile(directory, "." + file.getFileName(), ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            try {
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("the file system of " + directory + " cannot rename atomically", e);
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temporary);
            throw e;
        }
        fsync(directory);
    }

    /** Creates the directory owner-only if absent; whether the file system has POSIX permissions. */
    private boolean createDirectory() throws IOException {
        Files.createDirectories(directory.getParent());
        boolean posix = Files.getFileStore(directory.getParent()).supportsFileAttributeView(PosixFileAttributeView.class);
        if (!Files.isDirectory(directory)) {
            try {
                if (posix) {
                    Files.createDirectory(directory, PosixFilePermissions.asFileAttribute(
                            PosixFilePermissions.fromString("rwx------")));
                } else {
                    Files.createDirectory(directory);
                }
            } catch (FileAlreadyExistsException raced) {
                // another writer made it first
            }
        }
        return posix;
    }

    private static void fsync(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // not every platform opens a directory; the rename is atomic there all the same
        }
    }

    private static char[] chars(String text) {
        return text.toCharArray();
    }
}
