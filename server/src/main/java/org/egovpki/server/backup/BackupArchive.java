package org.egovpki.server.backup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * The backup archive: one zip file holding
 * <pre>
 *   directory.ldif.enc    the directory tree ({@link DirectoryLdif}), sealed with AES-256-GCM: it
 *                         holds registration data, ID numbers and password hashes, and archives
 *                         are copied off the host
 *   config/egov-pki.yaml.enc  the configuration file the backup was taken with, if one was given,
 *                         sealed (it may hold passwords)
 *   audit/...             the audit trail files, byte for byte (they are hash-chained and sealed)
 *   secrets.enc           every other file of the data directory — CA key store, KM keys, all of
 *                         secrets/ — as a zip, sealed with AES-256-GCM
 *   manifest.json         format, product version, time, source data directory, base DN, the KDF
 *                         parameters, and the SHA-256 and size of every member above
 *   manifest.mac          HMAC-SHA256 of manifest.json under the passphrase's MAC key
 * </pre>
 * Both keys come from the passphrase ({@link ArchiveKeys}); the two sealed members have their own
 * associated data, so neither opens as the other. Written to a temporary file beside the target,
 * forced to disk and renamed, so a failed or interrupted backup never leaves a half-written archive
 * under the target name.
 *
 * <p>Memory: the LDIF is held whole in memory, in clear while it is exported and sealed (by
 * {@code backup}) and after it is opened (until {@link Opened#close()}, by {@code restore}), as the
 * secrets bundle is. The export already holds every entry in memory (one search), so this does not
 * change what a backup needs; a streaming, chunked seal would be needed for directories that do
 * not fit in the heap. Format 1 (LDIF in clear) is not read: take a new backup.
 */
public final class BackupArchive {

    public static final String MANIFEST = "manifest.json";
    public static final String MANIFEST_MAC = "manifest.mac";
    /** The directory's LDIF, sealed. */
    public static final String LDIF = "directory.ldif.enc";
    /** The configuration file, sealed: it may hold passwords (http.tls.keyStorePassword, enrollment.initialAdminPassword). */
    public static final String CONFIG = "config/egov-pki.yaml.enc";
    public static final String SECRETS = "secrets.enc";
    public static final String AUDIT_PREFIX = "audit/";
    static final int FORMAT = 3;
    private static final byte[] AAD = "egov-pki backup secrets v1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] LDIF_AAD = "egov-pki backup directory.ldif v2".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CONFIG_AAD = "egov-pki backup egov-pki.yaml v3".getBytes(StandardCharsets.US_ASCII);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Top-level names of a data directory that are not part of the encrypted bundle. */
    public static final Set<String> NOT_BUNDLED = Set.of("directory", "audit", "run", "conf", "egov-pki.lock");

    private BackupArchive() {
    }

    /**
     * What a backup is made of; {@code ldif} is the directory export ({@link DirectoryLdif#export}),
     * in memory so that it never lies on disk in clear.
     */
    public record Sources(Path dataDirectory, byte[] ldif, Path config, String baseDn, String version, Instant time) {
    }

    /** One member as the manifest lists it. */
    public record Member(String name, String sha256, long size) {
    }

    /**
     * Writes the archive to {@code out} (which must not exist) and returns the members written.
     */
    public static List<Member> write(Path out, Sources sources, char[] passphrase, SecureRandom random)
            throws IOException {
        ArchiveKeys.checkLength(passphrase);
        byte[] salt = ArchiveKeys.newSalt(random);
        Path parent = out.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path temp = Files.createTempFile(parent, "." + out.getFileName() + ".", ".partial");
        try {
            try {
                Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // not POSIX: the directory's permissions protect it
            }
            List<Member> members = new ArrayList<>();
            try (ArchiveKeys keys = ArchiveKeys.derive(passphrase, salt, ArchiveKeys.ITERATIONS);
                 OutputStream file = Files.newOutputStream(temp);
                 ZipOutputStream zip = new ZipOutputStream(file)) {
                members.add(put(zip, LDIF, keys.encrypt(sources.ldif(), LDIF_AAD, random)));
                if (sources.config() != null) {
                    members.add(put(zip, CONFIG, keys.encrypt(Files.readAllBytes(sources.config()), CONFIG_AAD,
                            random)));
                }
                Path audit = sources.dataDirectory().resolve("audit");
                for (Map.Entry<String, Path> trail : files(audit, Set.of()).entrySet()) {
                    members.add(copy(zip, AUDIT_PREFIX + trail.getKey(), trail.getValue()));
                }
                byte[] bundle = bundle(sources.dataDirectory());
                members.add(put(zip, SECRETS, keys.encrypt(bundle, AAD, random)));
                byte[] manifest = manifest(sources, salt, members);
                put(zip, MANIFEST, manifest);
                put(zip, MANIFEST_MAC, HexFormat.of().formatHex(keys.mac(manifest)).getBytes(StandardCharsets.US_ASCII));
            }
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            if (Files.exists(out)) {
                throw new IOException(out + " appeared while the backup was written; nothing was overwritten");
            }
            try {
                Files.move(temp, out, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, out);
            }
            forceDirectory(parent);
            return members;
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * The archive opened and checked: manifest authentic, every member as listed, secrets and LDIF
     * decrypted. The LDIF is held in memory, in clear, until {@link #close()} wipes it.
     */
    public record Opened(JsonNode manifest, Map<String, byte[]> secretFiles, byte[] ldif, byte[] config, ZipFile zip)
            implements AutoCloseable {

        public String baseDn() {
            return manifest.path("baseDn").asText();
        }

        public boolean hasConfig() {
            return config != null;
        }

        public List<String> auditFiles() {
            List<String> names = new ArrayList<>();
            for (JsonNode member : manifest.path("members")) {
                String name = member.path("name").asText();
                if (name.startsWith(AUDIT_PREFIX)) {
                    names.add(name);
                }
            }
            return names;
        }

        public InputStream member(String name) throws IOException {
            ZipEntry entry = zip.getEntry(name);
            if (entry == null) {
                throw new IOException("the archive has no " + name);
            }
            return zip.getInputStream(entry);
        }

        /** The directory's LDIF, decrypted. */
        public InputStream directoryLdif() {
            return new ByteArrayInputStream(ldif);
        }

        @Override
        public void close() throws IOException {
            Arrays.fill(ldif, (byte) 0);
            if (config != null) {
                Arrays.fill(config, (byte) 0);
            }
            zip.close();
        }
    }

    /**
     * Opens and checks the archive, in this order: the manifest's MAC (a wrong passphrase or a
     * changed manifest), every member against its SHA-256 and size (naming the member), no member
     * the manifest does not list, then the GCM tags of the secrets bundle and of the LDIF. Nothing
     * is written.
     *
     * @throws ArchiveKeys.WrongPassphraseException if the passphrase does not open it
     * @throws IOException naming the member that does not match, or what is missing
     */
    public static Opened open(Path archive, char[] passphrase) throws IOException {
        ArchiveKeys.checkLength(passphrase);
        ZipFile zip;
        try {
            zip = new ZipFile(archive.toFile());
        } catch (ZipException e) {
            throw new IOException(archive + " is not an egov-pki backup archive (not a zip file: " + e.getMessage() + ")");
        }
        try {
            byte[] manifestBytes = read(zip, MANIFEST, archive);
            byte[] macHex = read(zip, MANIFEST_MAC, archive);
            JsonNode manifest = JSON.readTree(manifestBytes);
            if (manifest.path("format").asInt() != FORMAT) {
                throw new IOException(archive + " has archive format " + manifest.path("format") + "; this egov-pki reads "
                        + FORMAT);
            }
            byte[] salt = Base64.getDecoder().decode(manifest.path("kdf").path("salt").asText());
            int iterations = manifest.path("kdf").path("iterations").asInt();
            if (iterations < 100_000 || salt.length < 16) {
                throw new ArchiveKeys.WrongPassphraseException();
            }
            try (ArchiveKeys keys = ArchiveKeys.derive(passphrase, salt, iterations)) {
                byte[] tag;
                try {
                    tag = HexFormat.of().parseHex(new String(macHex, StandardCharsets.US_ASCII).strip());
                } catch (IllegalArgumentException e) {
                    throw new ArchiveKeys.WrongPassphraseException();
                }
                if (!keys.verifies(manifestBytes, tag)) {
                    throw new ArchiveKeys.WrongPassphraseException();
                }
                Map<String, JsonNode> listed = new LinkedHashMap<>();
                for (JsonNode member : manifest.path("members")) {
                    listed.put(member.path("name").asText(), member);
                }
                for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements();) {
                    String name = e.nextElement().getName();
                    if (!name.equals(MANIFEST) && !name.equals(MANIFEST_MAC) && !listed.containsKey(name)) {
                        throw new IOException("archive member " + name + " is not in the manifest; the archive was changed");
                    }
                }
                for (JsonNode member : listed.values()) {
                    String name = safeName(member.path("name").asText());
                    ZipEntry entry = zip.getEntry(name);
                    if (entry == null) {
                        throw new IOException("archive member " + name + " is missing; the archive was changed");
                    }
                    Member actual;
                    try (InputStream in = zip.getInputStream(entry)) {
                        actual = digest(name, in, OutputStream.nullOutputStream());
                    } catch (ZipException ex) {
                        throw new IOException("archive member " + name + " is damaged (" + ex.getMessage() + ")");
                    }
                    if (!actual.sha256().equals(member.path("sha256").asText()) || actual.size() != member.path("size").asLong()) {
                        throw new IOException("archive member " + name + " does not match the manifest (SHA-256 "
                                + actual.sha256() + ", listed " + member.path("sha256").asText()
                                + "); the archive was changed or damaged");
                    }
                }
                byte[] bundle = keys.decrypt(read(zip, SECRETS, archive), AAD);
                byte[] ldif = keys.decrypt(read(zip, LDIF, archive), LDIF_AAD);
                byte[] config = zip.getEntry(CONFIG) == null ? null : keys.decrypt(read(zip, CONFIG, archive), CONFIG_AAD);
                return new Opened(manifest, unbundle(bundle), ldif, config, zip);
            }
        } catch (IOException | RuntimeException e) {
            zip.close();
            throw e;
        }
    }

    private static byte[] read(ZipFile zip, String name, Path archive) throws IOException {
        ZipEntry entry = zip.getEntry(name);
        if (entry == null) {
            throw new IOException(archive + " is not an egov-pki backup archive (no " + name + ")");
        }
        try (InputStream in = zip.getInputStream(entry)) {
            return in.readAllBytes();
        }
    }

    private static byte[] manifest(Sources sources, byte[] salt, List<Member> members) throws IOException {
        ObjectNode manifest = JSON.createObjectNode();
        manifest.put("format", FORMAT);
        manifest.put("product", "egov-pki");
        manifest.put("version", sources.version());
        manifest.put("createdAt", sources.time().toString());
        manifest.put("sourceDataDirectory", sources.dataDirectory().toString());
        manifest.put("baseDn", sources.baseDn());
        manifest.put("config", sources.config() == null ? "(built-in defaults)" : sources.config().toString());
        ObjectNode kdf = manifest.putObject("kdf");
        kdf.put("algorithm", ArchiveKeys.KDF);
        kdf.put("iterations", ArchiveKeys.ITERATIONS);
        kdf.put("salt", Base64.getEncoder().encodeToString(salt));
        manifest.put("cipher", ArchiveKeys.CIPHER);
        ArrayNode list = manifest.putArray("members");
        for (Member member : members) {
            list.addObject().put("name", member.name()).put("sha256", member.sha256()).put("size", member.size());
        }
        return JSON.writeValueAsBytes(manifest);
    }

    /** Every other file of the data directory, as a zip in memory (key stores and secrets are small). */
    private static byte[] bundle(Path data) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, Path> file : files(data, NOT_BUNDLED).entrySet()) {
                copy(zip, file.getKey(), file.getValue());
            }
        }
        return bytes.toByteArray();
    }

    private static Map<String, byte[]> unbundle(byte[] bundle) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(bundle))) {
            ZipEntry entry;
            while ((entry = zip.getNextEntry()) != null) {
                files.put(safeName(entry.getName()), zip.readAllBytes());
            }
        }
        return files;
    }

    /** Regular files under {@code root} by relative name ('/'-separated), without the top-level names excluded. */
    private static Map<String, Path> files(Path root, Set<String> excluded) throws IOException {
        Map<String, Path> files = new TreeMap<>();
        if (!Files.isDirectory(root)) {
            return files;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : (Iterable<Path>) walk::iterator) {
                Path relative = root.relativize(path);
                // *.lock: OS file locks of the running server (the data directory's, the audit trail's), not data
                if (relative.getNameCount() == 0 || excluded.contains(relative.getName(0).toString())
                        || path.getFileName().toString().endsWith(".lock")
                        || !Files.isRegularFile(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                files.put(relative.toString().replace(java.io.File.separatorChar, '/'), path);
            }
        }
        return files;
    }

    /** A member name is relative and stays inside the directory it is restored into. */
    static String safeName(String name) throws IOException {
        if (name.isEmpty() || name.startsWith("/") || name.contains("\\") || name.contains("\0")
                || Stream.of(name.split("/")).anyMatch(part -> part.isEmpty() || part.equals(".") || part.equals(".."))) {
            throw new IOException("archive member name " + name + " is not a plain relative path; the archive was changed");
        }
        return name;
    }

    private static Member copy(ZipOutputStream zip, String name, Path file) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        Member member;
        try (InputStream in = Files.newInputStream(file)) {
            member = digest(name, in, zip);
        }
        zip.closeEntry();
        return member;
    }

    private static Member put(ZipOutputStream zip, String name, byte[] content) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        Member member = digest(name, new ByteArrayInputStream(content), zip);
        zip.closeEntry();
        return member;
    }

    private static Member digest(String name, InputStream in, OutputStream out) throws IOException {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] buffer = new byte[64 * 1024];
        long size = 0;
        int n;
        while ((n = in.read(buffer)) > 0) {
            sha256.update(buffer, 0, n);
            out.write(buffer, 0, n);
            size += n;
        }
        return new Member(name, HexFormat.of().formatHex(sha256.digest()), size);
    }

    /** Forces a directory's entries (the rename) to disk where the platform allows it. */
    static void forceDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // not every platform can open a directory; the file itself was forced
        }
    }
}
