package org.egovpki.core.ca;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.egovpki.core.crypto.CaKeyStore;
import org.egovpki.core.crypto.CaSigner;

/**
 * The key store entries of one CA's keys: the first under the CA's name, each later one (a key
 * changeover, {@link CaKeyChangeover}) under {@code <name>.key.<yyyyMMdd't'HHmmss>} of the
 * changeover's instant. CA names have no '.', so these never collide with another CA's alias.
 *
 * <p>The key store is what persists which key is current: the generation whose certificate has
 * the latest notBefore (a changeover's certificate starts at the changeover), so a restart, a
 * backup restored or a token moved to another host all pick the same key. Aliases are never
 * overwritten, so no earlier key is ever lost.
 */
final class CaKeyGenerations {

    static final String INFIX = ".key.";
    private static final DateTimeFormatter ALIAS_TIME =
            DateTimeFormatter.ofPattern("uuuuMMdd't'HHmmss").withZone(ZoneOffset.UTC);

    /** One stored key of the CA with its chain (its certificate first, root last). */
    record Generation(String alias, CaSigner signer, List<X509Certificate> chain) {
        X509Certificate certificate() {
            return chain.get(0);
        }
    }

    private final CaKeyStore keyStore;

    CaKeyGenerations(CaKeyStore keyStore) {
        this.keyStore = Objects.requireNonNull(keyStore, "keyStore");
    }

    /** The alias of a key made by a changeover of {@code caName} at {@code at}. */
    static String alias(String caName, Instant at) {
        return caName + INFIX + ALIAS_TIME.format(at);
    }

    /** Every stored key of {@code caName}, newest first (the first is the current key); empty if none. */
    List<Generation> of(String caName) {
        String prefix = caName + INFIX;
        return keyStore.aliases().stream()
                .filter(alias -> alias.equals(caName) || alias.startsWith(prefix))
                .map(alias -> new Generation(alias, keyStore.signer(alias).orElseThrow(() -> new IllegalStateException(
                        "CA key \"" + alias + "\" has a certificate but no key in " + keyStore)),
                        keyStore.chain(alias)))
                .sorted(Comparator.comparing((Generation g) -> g.certificate().getNotBefore())
                        .thenComparing(Generation::alias).reversed())
                .toList();
    }
}
