package org.egovpki.core.ca;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The CAs this server operates, by name, in configuration order (parents before children). */
public final class CaRegistry {

    private final Map<String, CertificateAuthority> byName;
    private final Set<String> revoked = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public CaRegistry(Collection<CertificateAuthority> cas) {
        Map<String, CertificateAuthority> map = new LinkedHashMap<>();
        for (CertificateAuthority ca : cas) {
            if (map.putIfAbsent(ca.name(), ca) != null) {
                throw new IllegalArgumentException("two CAs are named '" + ca.name() + "'");
            }
        }
        this.byName = java.util.Collections.unmodifiableMap(map);
    }

    public Optional<CertificateAuthority> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public Collection<CertificateAuthority> all() {
        return byName.values();
    }

    /**
     * Takes the CA out of issuance because its own certificate is revoked. It stays registered:
     * its key keeps signing CRLs and OCSP answers for what it issued (REQUIREMENTS §5).
     */
    public void markRevoked(String name) {
        if (!byName.containsKey(name)) {
            throw new IllegalArgumentException("no CA named '" + name + "'");
        }
        revoked.add(name);
    }

    /** Whether the CA's own certificate is revoked (then it issues nothing). */
    public boolean isRevoked(String name) {
        return revoked.contains(name);
    }
}
