package org.egovpki.server;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The data directory, held exclusively by one egov-pki process through an OS file lock on
 * {@code egov-pki.lock} (released by the OS if the process dies, so {@code kill -9} never leaves a
 * stale lock). Layout:
 * <pre>
 *   egov-pki.lock      the lock, holding the owner's PID
 *   directory/         embedded ApacheDS (schema + partitions)
 *   keys/ca.p12        CA private keys (PKCS#12)
 *   secrets/           generated passwords (demo custody; 0700)
 *   audit/audit.jsonl  the audit trail
 *   run/ports          the ports the running server listens on ({@link PortsFile})
 *   ocsp/presigned.bin the pre-signed OCSP answers a locked start serves ({@link PresignedAnswersFile})
 *   conf/              the configuration a restore put back (egov-pki restore; not read by the server)
 * </pre>
 */
public final class DataDirectory implements AutoCloseable {

    private final Path root;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private DataDirectory(Path root, FileChannel lockChannel, FileLock lock) {
        this.root = root;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /**
     * Creates the directory if needed and takes its lock.
     *
     * @throws StartupException if another process holds it, with its PID when known
     */
    public static DataDirectory lock(Path root) {
        Path absolute = root.toAbsolutePath().normalize();
        try {
            Files.createDirectories(absolute);
            Path lockFile = absolute.resolve("egov-pki.lock");
            FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (java.nio.channels.OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                String owner = new String(Files.readAllBytes(lockFile), StandardCharsets.US_ASCII).trim();
                channel.close();
                throw new StartupException("data directory " + absolute + " is in use by another egov-pki process"
                        + (owner.isEmpty() ? "" : " (pid " + owner + ")")
                        + "; stop that process or start with --data pointing at another directory");
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(Long.toString(ProcessHandle.current().pid()).getBytes(StandardCharsets.US_ASCII)));
            channel.force(true);
            return new DataDirectory(absolute, channel, lock);
        } catch (IOException e) {
            throw new StartupException("data directory " + absolute + " cannot be used: " + e.getMessage()
                    + "; check that it is writable");
        }
    }

    public Path root() {
        return root;
    }

    public Path directory() {
        return root.resolve("directory");
    }

    public Path keyStore() {
        return root.resolve("keys").resolve("ca.p12");
    }

    /** The key management centre's own keys (signing key, key-encryption key), apart from the CA's. */
    public Path keyManagement() {
        return root.resolve("km");
    }

    public Path secret(String name) {
        return secrets().resolve(name);
    }

    /** The pre-signed OCSP answers persisted for a locked start ({@link PresignedAnswersFile}). */
    public Path presignedOcspAnswers() {
        return root.resolve("ocsp").resolve("presigned.bin");
    }

    public Path auditTrail() {
        return root.resolve("audit").resolve("audit.jsonl");
    }

    private Path secrets() {
        Path dir = root.resolve("secrets");
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir);
                try {
                    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
                } catch (UnsupportedOperationException ignored) {
                    // not a POSIX file system: rely on the data directory's own permissions
                }
            }
            return dir;
        } catch (IOException e) {
            throw new StartupException("cannot create " + dir + ": " + e.getMessage());
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            lockChannel.close();
        } catch (IOException ignored) {
            // the OS releases the lock with the process anyway
        }
    }
}
