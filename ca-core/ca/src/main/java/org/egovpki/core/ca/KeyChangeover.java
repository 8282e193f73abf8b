package org.egovpki.core.ca;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What a CA key changeover made (RFC 4210 §4.4, 002 §6.8).
 *
 * <p>For a root: {@code newCertificate} is NewWithNew (self-signed by the new key),
 * {@code newWithOld} certifies the new key with the old key (a relying party that trusts the old
 * root reaches the new one) and {@code oldWithNew} the old key with the new key (one that trusts
 * only the new root still validates what the old key issued). For an issuing CA there are no
 * link certificates: the parent's current key certifies the new key ({@code newCertificate}),
 * which is the "new with old" of an issuing CA — a regular re-certification — and the old
 * issuing certificate stays valid for what the old key issued.
 *
 * @param alias    the key store alias of the new key
 * @param newChain the new key's chain as stored: its certificate first, root last
 */
public record KeyChangeover(String caName, CaRole role, String alias, Instant at, X509Certificate oldCertificate,
                            X509Certificate newCertificate, X509Certificate newWithOld, X509Certificate oldWithNew,
                            List<X509Certificate> newChain) {

    public KeyChangeover {
        Objects.requireNonNull(caName, "caName");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(alias, "alias");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(oldCertificate, "oldCertificate");
        Objects.requireNonNull(newCertificate, "newCertificate");
        if ((role == CaRole.ROOT) != (newWithOld != null && oldWithNew != null)) {
            throw new IllegalArgumentException("a root's changeover has both link certificates, an issuing CA's none");
        }
        newChain = List.copyOf(newChain);
    }

    /** The link certificates, NewWithOld then OldWithNew; empty for an issuing CA. */
    public List<X509Certificate> links() {
        return role == CaRole.ROOT ? List.of(newWithOld, oldWithNew) : List.of();
    }
}
