package org.egovpki.core.ca;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.egovpki.core.crypto.CaKeyStore;
import org.egovpki.core.crypto.CaSigner;

/**
 * The key store bookkeeping shared by the delegated signers a CA certifies for one purpose
 * ({@link OcspSigners}, {@link SyncSigners}): how their aliases are named, which stored one is
 * current, and when it is due for renewal.
 *
 * <p>Aliases are {@code <ca name><infix><yyyyMMdd't'HHmmss>}, with {@code -2}, {@code -3}, … when
 * several are issued within one second; an alias is never reused. The current key of a CA is
 * the one <em>issued last</em> — latest notBefore, then highest suffix — not the one that ends
 * last: a key retired at once (a suspected compromise) may be replaced by a certificate with the
 * same validity period, and a restart must never bring the retired key back.
 */
final class DelegatedKeys {

    private static final DateTimeFormatter ALIAS_TIME =
            DateTimeFormatter.ofPattern("uuuuMMdd't'HHmmss").withZone(ZoneOffset.UTC);
    private static final Pattern SUFFIX = Pattern.compile("\\d{8}t\\d{6}-(\\d{1,9})");

    /** A stored key: its alias, the signer over it and the chain delegated signer, CA, …, root. */
    record Stored(String alias, CaSigner signer, List<X509Certificate> chain) {
        X509Certificate certificate() {
            return chain.get(0);
        }
    }

    private final CaKeyStore keyStore;
    private final String infix;
    private final String purpose;
    private final Clock clock;
    /** Changed only through {@link #validity(Duration)} (a reload of the OCSP responders' validity). */
    private volatile Duration validity;

    /**
     * @param infix   between CA name and time in the alias, e.g. {@code ".ocsp."}
     * @param purpose how errors name the keys, e.g. {@code "OCSP responder key"}
     */
    DelegatedKeys(CaKeyStore keyStore, String infix, String purpose, Clock clock, Duration validity) {
        this.keyStore = Objects.requireNonNull(keyStore, "keyStore");
        this.infix = Objects.requireNonNull(infix, "infix");
        this.purpose = Objects.requireNonNull(purpose, "purpose");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.validity = Objects.requireNonNull(validity, "validity");
    }

    /** From now on {@link #due} measures "a third of the validity" against {@code validity}. */
    void validity(Duration validity) {
        this.validity = Objects.requireNonNull(validity, "validity");
    }

    /** A fresh alias for a key of {@code caName} issued now. */
    String newAlias(String caName) {
        String base = caName + infix + ALIAS_TIME.format(clock.instant());
        String alias = base;
        for (int n = 2; keyStore.contains(alias); n++) {
            alias = base + "-" + n;
        }
        return alias;
    }

    /** The stored key of {@code ca} issued last under its current CA certificate, if any. */
    Optional<Stored> newest(CertificateAuthority ca) {
        String prefix = ca.name() + infix;
        Comparator<Candidate> issuedOrder = Comparator
                .comparing((Candidate c) -> c.chain().get(0).getNotBefore())
                .thenComparingInt(c -> suffix(c.alias(), prefix.length()));
        Optional<Candidate> newest = keyStore.aliases().stream()
                .filter(alias -> alias.startsWith(prefix))
                .map(alias -> new Candidate(alias, keyStore.chain(alias)))
                .filter(c -> c.chain().size() >= 2 && c.chain().get(1).equals(ca.certificate()))
                .max(issuedOrder);
        return newest.map(c -> new Stored(c.alias(), keyStore.signer(c.alias()).orElseThrow(() ->
                new IllegalStateException(purpose + " \"" + c.alias() + "\" has a certificate but no key in " + keyStore)),
                c.chain()));
    }

    /** The signer of {@code alias} just written, read back from the key store. */
    CaSigner readBack(String alias) {
        return keyStore.signer(alias).orElseThrow(() -> new IllegalStateException(
                purpose + " \"" + alias + "\" was written to " + keyStore + " but cannot be read back"));
    }

    /**
     * Whether {@code certificate} must be replaced now: it has expired, or less than a third of
     * the validity is left and a new one could end later (it does not already end with the CA).
     */
    boolean due(X509Certificate certificate, X509Certificate ca) {
        Instant now = clock.instant();
        Instant notAfter = certificate.getNotAfter().toInstant();
        if (!now.isBefore(notAfter)) {
            return true;
        }
        boolean thirdLeft = Duration.between(now, notAfter).multipliedBy(3).compareTo(validity) >= 0;
        boolean couldEndLater = notAfter.isBefore(ca.getNotAfter().toInstant());
        return !thirdLeft && couldEndLater;
    }

    /** 1 for {@code <prefix>20261121t080000}, n for {@code <prefix>20261121t080000-n}. */
    static int suffix(String alias, int prefixLength) {
        Matcher m = SUFFIX.matcher(alias.substring(prefixLength));
        return m.matches() ? Integer.parseInt(m.group(1)) : 1;
    }

    private record Candidate(String alias, List<X509Certificate> chain) {
    }
}
