package org.egovpki.server.custody;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.egovpki.server.backup.ArchiveKeys;

/**
 * M-of-N custody of the CA key store password ({@code caKeys.custody: shares}): creates the
 * password at init and splits it, or splits the same password again for new custodians
 * (reshare). The password is returned to the caller, never written; what is written under
 * {@code <data>/custody/} is the {@link CustodyRecord} and one {@link ShareFile} per custodian,
 * sealed with that custodian's passphrase, to be moved off the machine.
 */
public final class KeyCustody {

    /** Length of the generated key store password, in characters (URL-safe Base64 of 32 random bytes). */
    static final int PASSWORD_BYTES = 32;

    private final Path dir;
    private final SecureRandom random;
    private final int iterations;

    /**
     * @param dir        {@code <data>/custody}
     * @param iterations PBKDF2 iterations of new share files ({@link ArchiveKeys#ITERATIONS} outside tests)
     */
    public KeyCustody(Path dir, SecureRandom random, int iterations) {
        this.dir = dir;
        this.random = random;
        this.iterations = iterations;
    }

    /** The split in force, or {@code null} before {@link #create}. */
    public CustodyRecord record() {
        return CustodyRecord.load(dir);
    }

    /**
     * Init: a new random key store password, split by {@code plan}, epoch 1, a new custody id.
     *
     * @param passphrases one per custodian of the plan, each ≥ 12 characters
     * @return the password, for the caller to create the key store with and then wipe
     * @throws IllegalArgumentException for a missing, extra or short passphrase (nothing written)
     * @throws IllegalStateException    if custody was already set up here
     */
    public char[] create(CustodyPlan plan, Map<String, char[]> passphrases) {
        if (record() != null) {
            throw new IllegalStateException(dir.resolve(CustodyRecord.FILE) + " exists: the key store's custody is "
                    + "already set up; use 'egov-pki custody reshare' to change custodians");
        }
        checkPassphrases(plan, passphrases);
        byte[] raw = new byte[PASSWORD_BYTES];
        random.nextBytes(raw);
        char[] password = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(raw).toCharArray();
        Arrays.fill(raw, (byte) 0);
        byte[] id = new byte[16];
        random.nextBytes(id);
        write(new CustodyRecord(HexFormat.of().formatHex(id), 1, plan), password, passphrases);
        return password;
    }

    /**
     * Reshare: the same password, a new random split for {@code plan}, the epoch raised so every
     * earlier share is refused; the earlier share files left here are deleted. The caller has
     * checked {@code password} by opening the key store.
     */
    public CustodyRecord reshare(char[] password, CustodyPlan plan, Map<String, char[]> passphrases) {
        CustodyRecord current = record();
        if (current == null) {
            throw new IllegalStateException("no key custody is set up in " + dir + "; it is created at init");
        }
        checkPassphrases(plan, passphrases);
        CustodyRecord next = new CustodyRecord(current.keyStore(), current.epoch() + 1, plan);
        for (String old : current.custodians()) {
            if (!plan.custodians().contains(old)) {
                delete(shareFile(old));
            }
        }
        write(next, password, passphrases);
        return next;
    }

    /** Where a custodian's share file is written. */
    public Path shareFile(String custodian) {
        return dir.resolve(custodian + ShareFile.SUFFIX);
    }

    private void write(CustodyRecord record, char[] password, Map<String, char[]> passphrases) {
        CustodyPlan plan = record.plan();
        Map<Integer, byte[]> shares = KeyShares.split(password, plan.threshold(), plan.custodians().size(), random);
        try {
            Files.createDirectories(dir);
            for (int i = 0; i < plan.custodians().size(); i++) {
                String custodian = plan.custodians().get(i);
                ShareFile.seal(custodian, i + 1, plan.threshold(), plan.custodians().size(), record.keyStore(),
                        record.epoch(), shares.get(i + 1), passphrases.get(custodian), iterations, random)
                        .write(shareFile(custodian));
            }
            record.write(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir + ": " + e.getMessage(), e);
        } finally {
            shares.values().forEach(share -> Arrays.fill(share, (byte) 0));
        }
    }

    private static void checkPassphrases(CustodyPlan plan, Map<String, char[]> passphrases) {
        Set<String> extra = new HashSet<>(passphrases.keySet());
        extra.removeAll(plan.custodians());
        if (!extra.isEmpty()) {
            throw new IllegalArgumentException("passphrase(s) given for " + String.join(", ", extra.stream().sorted()
                    .toList()) + ", who are not among the custodians " + String.join(", ", plan.custodians()));
        }
        for (String custodian : plan.custodians()) {
            char[] passphrase = passphrases.get(custodian);
            if (passphrase == null) {
                throw new IllegalArgumentException("no passphrase for custodian " + custodian);
            }
            try {
                ArchiveKeys.checkLength(passphrase);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("custodian " + custodian + ": " + e.getMessage(), e);
            }
        }
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the old share file " + file + ": " + e.getMessage(), e);
        }
    }
}
