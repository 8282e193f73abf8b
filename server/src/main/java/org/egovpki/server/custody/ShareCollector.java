package org.egovpki.server.custody;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.egovpki.core.DomainException;

/**
 * The locked server's side of an unlock: keeps the presented shares in memory, one per custodian,
 * until the threshold is reached, then joins them and hands the password to the key store opener.
 * If the key store does not open with it, every presented share is discarded and the custodians
 * start again. A share is refused, before it is kept, when it belongs to another key store, to
 * an earlier split, to another custodian than the operator presenting it, or when its custodian
 * has already presented one. Shares never leave this object; {@link Progress} names only
 * custodians and counts.
 */
public final class ShareCollector {

    /** Opens the key store with a joined password; {@code false} if the password is wrong. */
    @FunctionalInterface
    public interface KeyStoreOpener {
        boolean open(char[] password);
    }

    /**
     * @param presented custodians who presented a share since the last reset, in order
     * @param threshold how many are needed
     * @param unlocked  whether the key store is open
     */
    public record Progress(List<String> presented, int threshold, boolean unlocked) {
        public Progress {
            presented = List.copyOf(presented);
        }

        /** "k of M shares presented". */
        public String summary() {
            return presented.size() + " of " + threshold + " shares presented";
        }
    }

    private final CustodyRecord record;
    private final KeyStoreOpener opener;
    private final Map<String, Share> shares = new LinkedHashMap<>();
    private boolean unlocked;

    public ShareCollector(CustodyRecord record, KeyStoreOpener opener) {
        this.record = record;
        this.opener = opener;
    }

    /**
     * Takes one custodian's share.
     *
     * @param operator the login of the operator presenting it, who must be the share's custodian
     * @return the progress after this share; {@link Progress#unlocked()} once the key store opened
     * @throws DomainException BAD_REQUEST for a share that does not belong here, CONFLICT for a
     *                         custodian who already presented one or a CA already unlocked, or when
     *                         the joined shares do not open the key store (all discarded)
     */
    public synchronized Progress present(String operator, Share share) {
        if (unlocked) {
            share.wipe();
            throw DomainException.conflict("the CA is already unlocked; no share is needed");
        }
        try {
            check(operator, share);
        } catch (DomainException e) {
            share.wipe();
            throw e;
        }
        shares.put(share.custodian(), share);
        if (shares.size() < record.threshold()) {
            return progress();
        }
        Map<Integer, byte[]> parts = new LinkedHashMap<>();
        shares.values().forEach(s -> parts.put(s.index(), s.bytes()));
        boolean opened = false;
        try {
            char[] password = KeyShares.join(parts);
            try {
                opened = opener.open(password);
            } finally {
                java.util.Arrays.fill(password, '\0');
            }
        } catch (IllegalArgumentException e) {
            // Shares that cannot be joined at all (a damaged share of another length): refused like a wrong
            // combination, never left held, or the server would stay locked until a restart.
            opened = false;
        } finally {
            parts.values().forEach(bytes -> java.util.Arrays.fill(bytes, (byte) 0));
            discard();
        }
        if (!opened) {
            throw DomainException.conflict("the " + record.threshold() + " shares presented do not open the CA key "
                    + "store; all of them were discarded: each custodian presents the share again (a share file may "
                    + "have been replaced)");
        }
        unlocked = true;
        return progress();
    }

    /** The progress without presenting anything. */
    public synchronized Progress progress() {
        return new Progress(new ArrayList<>(shares.keySet()), record.threshold(), unlocked);
    }

    public synchronized boolean unlocked() {
        return unlocked;
    }

    private void check(String operator, Share share) {
        if (!share.keyStore().equals(record.keyStore())) {
            throw DomainException.badRequest("share", "this share belongs to another CA key store (" + share.keyStore()
                    + ", this CA's is " + record.keyStore() + "); nothing was kept");
        }
        if (share.epoch() != record.epoch()) {
            throw DomainException.badRequest("share", "this share is from split " + share.epoch() + ", and split "
                    + record.epoch() + " is in force" + (share.epoch() < record.epoch()
                    ? " (the shares were rotated; use the share file of the latest reshare)" : "")
                    + "; nothing was kept");
        }
        int index = record.custodians().indexOf(share.custodian()) + 1;
        if (index == 0 || index != share.index() || share.threshold() != record.threshold()
                || share.total() != record.custodians().size()) {
            throw DomainException.badRequest("share", "this share (custodian " + share.custodian() + ", share "
                    + share.index() + ") does not match the split in force; nothing was kept");
        }
        if (!share.custodian().equals(operator)) {
            throw new DomainException(DomainException.Kind.FORBIDDEN, "this share is custodian " + share.custodian()
                    + "'s; each custodian presents only their own share, logged in as themselves");
        }
        if (shares.containsKey(share.custodian())) {
            throw DomainException.conflict("custodian " + share.custodian() + " has already presented a share; "
                    + record.threshold() + " different custodians are needed");
        }
    }

    private void discard() {
        shares.values().forEach(Share::wipe);
        shares.clear();
    }
}
