package org.egovpki.core.crypto;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;

/**
 * Writes secret files so that a crash never leaves a half-written one and nobody but the owner
 * can read them: the content goes to a temporary file in the same directory (created 0600),
 * is fsynced, and replaces the target with one atomic rename; then the directory is fsynced so
 * the rename itself survives a power loss.
 */
final class AtomicFiles {

    static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private AtomicFiles() {
    }

    /** Atomically creates or replaces {@code target} with {@code content}, owner-only where POSIX. */
    static void writeOwnerOnly(Path target, byte[] content) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path directory = absolute.getParent();
        Files.createDirectories(directory);
        Path temporary = createOwnerOnlyTemp(directory, absolute.getFileName().toString());
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            try {
                Files.move(temporary, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("the file system of " + directory
                        + " cannot rename atomically; put the file on a local POSIX file system", e);
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temporary);
            throw e;
        }
        fsyncDirectory(directory);
    }

    /** The file's POSIX permissions, or empty where the file system has none (e.g. Windows). */
    static Optional<Set<PosixFilePermission>> posixPermissions(Path file) throws IOException {
        if (!supportsPosix(file.toAbsolutePath().getParent())) {
            return Optional.empty();
        }
        return Optional.of(Files.getPosixFilePermissions(file));
    }

    private static Path createOwnerOnlyTemp(Path directory, String name) throws IOException {
        String prefix = "." + name + ".";
        if (supportsPosix(directory)) {
            FileAttribute<Set<PosixFilePermission>> ownerOnly = PosixFilePermissions.asFileAttribute(OWNER_ONLY);
            return Files.createTempFile(directory, prefix, ".tmp", ownerOnly);
        }
        return Files.createTempFile(directory, prefix, ".tmp");
    }

    private static boolean supportsPosix(Path directory) throws IOException {
        return Files.getFileStore(directory).supportsFileAttributeView(PosixFileAttributeView.class);
    }

    private static void fsyncDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Some platforms (Windows) cannot open a directory; the rename is still atomic there.
        }
    }
}
