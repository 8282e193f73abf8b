package org.egovpki.core.ca;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The CAs this server operates, by name, in configuration order (parents before children). */
public final class CaRegistry {

    private final Map<String, CertificateAuthority> byName;

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
}
