package org.egovpki.core.x509;

import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The revoked certificates of one CRL, delivered once, in any order.
 *
 * <p>Why a push source and not a list: the directory reads revocation records with an LDAP
 * paged search, and a CRL of a million entries must be encoded as the pages arrive rather than
 * collected first. {@link CrlFactory} therefore calls {@link #forEach} exactly once per CRL and
 * never asks for the entries again, so an implementation may be a one-shot cursor.
 *
 * <p>Contract for implementations: call {@code sink} sequentially (one thread at a time) with
 * each entry, and only before {@code forEach} returns; never pass null. Entries may come in any
 * serial order. Each serial must come at most once: the factory checks this and refuses the CRL
 * otherwise (see {@link CrlFactory}). An exception thrown by the source or by the sink (an entry
 * the CRL cannot carry) ends the build; nothing is signed.
 */
@FunctionalInterface
public interface RevokedEntrySource {

    /** Delivers every entry of the CRL to {@code sink}, then returns. */
    void forEach(Consumer<RevokedEntry> sink);

    /** A source over a fixed list (tests, small CRLs); the list is copied. */
    static RevokedEntrySource of(List<RevokedEntry> entries) {
        List<RevokedEntry> copy = List.copyOf(Objects.requireNonNull(entries, "entries"));
        return copy::forEach;
    }

    /** A source with no entries: a CRL that revokes nothing. */
    static RevokedEntrySource empty() {
        return sink -> { };
    }
}
