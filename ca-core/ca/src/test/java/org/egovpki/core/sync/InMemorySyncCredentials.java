package org.egovpki.core.sync;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** {@link SyncCredentials} in memory, for tests. Hands out copies, as a file-backed store would. */
public final class InMemorySyncCredentials implements SyncCredentials {

    private final Map<String, Secret> secrets = new ConcurrentHashMap<>();

    @Override
    public void store(String targetId, Secret secret) {
        secrets.put(targetId, copy(secret));
    }

    @Override
    public Optional<Secret> load(String targetId) {
        return Optional.ofNullable(secrets.get(targetId)).map(InMemorySyncCredentials::copy);
    }

    @Override
    public void delete(String targetId) {
        secrets.remove(targetId);
    }

    public boolean isEmpty() {
        return secrets.isEmpty();
    }

    private static Secret copy(Secret s) {
        return new Secret(s.password() == null ? null : s.password().clone(), s.pkcs12() == null ? null : s.pkcs12().clone());
    }
}
