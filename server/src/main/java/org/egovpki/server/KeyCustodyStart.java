package org.egovpki.server;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Map;
import org.egovpki.server.backup.ArchiveKeys;
import org.egovpki.server.custody.CustodyPlan;
import org.egovpki.server.custody.CustodyRecord;
import org.egovpki.server.custody.KeyCustody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Start-up step 4 with {@code caKeys.custody: shares}: where the CA key store's password comes
 * from when it is never on disk. At {@code init} (no split yet) it is created and split among the
 * custodians, whose passphrases seal their share files; at a later start it exists only as the
 * custodians' shares.
 */
final class KeyCustodyStart {

    private static final Logger LOG = LoggerFactory.getLogger(KeyCustodyStart.class);

    private KeyCustodyStart() {
    }

    /** {@code <data>/custody}: the split's record and, until they are moved off, the share files. */
    static Path directory(DataDirectory data) {
        return data.root().resolve("custody");
    }

    /**
     * The key store password for this start, or {@code null}: locked until the custodians present
     * their shares ({@link CustodyUnlock}).
     *
     * @param passphrases the custodians' passphrases ({@code init}), or {@code null}
     */
    static char[] password(DataDirectory data, CustodyPlan plan, Map<String, char[]> passphrases) {
        KeyCustody custody = new KeyCustody(directory(data), new SecureRandom(), ArchiveKeys.ITERATIONS);
        CustodyRecord record = custody.record();
        if (record == null) {
            if (Files.exists(data.keyStore()) || Files.exists(data.secret("ca-keystore.password"))) {
                throw new StartupException("caKeys.custody is shares, but " + data.keyStore() + " was created with "
                        + "demo custody (its password is in " + data.secret("ca-keystore.password") + "); a CA key "
                        + "store cannot be moved to key shares: set caKeys.custody: demo, or start from a new data "
                        + "directory with caKeys.custody: shares");
            }
            if (passphrases == null) {
                throw new StartupException("caKeys.custody is shares and the key custodians' shares do not exist yet: "
                        + "run 'egov-pki init' first, with --custodian-passphrase-file NAME=FILE for each of "
                        + String.join(", ", plan.custodians()) + " (or their passphrases asked on the terminal); "
                        + "docs/operations.md, \"First start with key custodians\"");
            }
            try {
                char[] password = custody.create(plan, passphrases);
                LOG.info("CA key store password split {} of {} among {}; the share files are in {}: hand each to its "
                                + "custodian and remove them from this machine", plan.threshold(),
                        plan.custodians().size(), String.join(", ", plan.custodians()), directory(data));
                return password;
            } catch (IllegalArgumentException e) {
                throw new StartupException(e.getMessage() + "; nothing was written");
            }
        }
        if (passphrases != null) {
            throw new StartupException("the key custody is already set up in " + directory(data) + " (split "
                    + record.epoch() + ", " + record.threshold() + " of " + record.custodians().size() + "); init does "
                    + "not split again: replace custodians with 'egov-pki custody reshare'");
        }
        if (!record.plan().equals(plan)) {
            LOG.warn("caKeys.shares ({} of {}) differs from the split in force ({} of {}, {}); the split in force "
                            + "counts until 'egov-pki custody reshare' makes a new one", plan.threshold(),
                    String.join(", ", plan.custodians()), record.threshold(), record.custodians().size(),
                    String.join(", ", record.custodians()));
        }
        LOG.info("The CA keys are locked: {} of {} key custodians unlock them with 'egov-pki custody unlock'",
                record.threshold(), record.custodians().size());
        return null;
    }
}
