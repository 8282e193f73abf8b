package org.egovpki.core.profile;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The configured certificate profiles and the issuing CA each one issues from. Immutable: a
 * reload replaces the whole catalogue ({@link LiveProfiles}); a fixed catalogue is its own
 * {@link Profiles} source.
 */
public final class ProfileCatalog implements Profiles {

    /** A profile and the name of the issuing CA that signs its certificates. */
    public record Entry(CertificateProfile profile, String issuer) {
    }

    private final Map<String, Entry> byName;

    public ProfileCatalog(Collection<Entry> entries) {
        Map<String, Entry> map = new LinkedHashMap<>();
        for (Entry entry : entries) {
            if (map.putIfAbsent(entry.profile().name(), entry) != null) {
                throw new IllegalArgumentException("two profiles are named '" + entry.profile().name() + "'");
            }
        }
        this.byName = java.util.Collections.unmodifiableMap(map);
    }

    /** This catalogue: it never changes. */
    @Override
    public ProfileCatalog current() {
        return this;
    }

    public Optional<Entry> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public Collection<Entry> all() {
        return byName.values();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ProfileCatalog other && byName.equals(other.byName);
    }

    @Override
    public int hashCode() {
        return byName.hashCode();
    }

    @Override
    public String toString() {
        return "ProfileCatalog" + byName.keySet();
    }
}
