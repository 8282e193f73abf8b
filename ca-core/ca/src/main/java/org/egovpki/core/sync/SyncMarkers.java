package org.egovpki.core.sync;

import java.math.BigInteger;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The owed-event markers ({@code egovSyncOwed}) that a change writes in its own modify — on a
 * certificate record ({@code cert.issued}, {@code cert.revoked}), a CA entry ({@code crl:<number>})
 * or a CRL partition entry ({@code crl:<shard>:<number>}) — so the change and "an event is owed" are
 * one atomic write. The capture worker turns each into an outbox entry, then discharges it.
 */
public interface SyncMarkers {

    /** The marker of a certificate record's publication (its issuance is complete). */
    String ISSUED = "cert.issued";
    /** The marker of a certificate record's revocation. */
    String REVOKED = "cert.revoked";

    /** The marker of a CA's full or delta CRL, or a partition's ({@code shard} non-null). */
    static String crl(Integer shard, BigInteger number) {
        return shard == null ? "crl:" + number : "crl:" + shard + ":" + number;
    }

    /**
     * One marker value left on an entry.
     *
     * @param ca     the CA the entry belongs to
     * @param serial the certificate's serial, for a certificate record; else {@code null}
     * @param marker the marker value
     */
    record Owed(String ca, BigInteger serial, String marker) {

        public Owed {
            Objects.requireNonNull(ca, "ca");
            Objects.requireNonNull(marker, "marker");
        }

        public boolean certificate() {
            return serial != null;
        }
    }

    /** Turns a marker into the event it stands for; empty: there is none to send any more. */
    @FunctionalInterface
    interface Resolver {
        Optional<SyncEvent> resolve(Owed owed);
    }

    /** Up to {@code limit} markers still on entries, in no particular order. */
    List<Owed> owed(int limit);

    /** Removes the marker value; nothing if it is already gone. */
    void discharge(Owed owed);
}
