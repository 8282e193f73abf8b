package org.egovpki.routes;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import org.egovpki.core.sync.SyncCredentials;
import org.egovpki.core.sync.SyncTarget;
import org.egovpki.core.sync.SyncTarget.Authentication.Kind;

/**
 * A target's authentication as both bindings send it: the {@code Authorization} header of HTTP
 * Basic, or the key managers of its TLS client certificate, from the secrets in
 * {@link SyncCredentials}. A secret that is missing or unreadable is an {@link IllegalStateException}
 * whose message names the target and what is missing — never the secret.
 */
final class TargetCredentials {

    private final SyncCredentials credentials;

    TargetCredentials(SyncCredentials credentials) {
        this.credentials = Objects.requireNonNull(credentials, "credentials");
    }

    /** {@code Basic …} for a BASIC target, else {@code null}. */
    String authorization(SyncTarget target) {
        if (target.authentication().kind() != Kind.BASIC) {
            return null;
        }
        SyncCredentials.Secret secret = secret(target);
        if (secret.password() == null) {
            throw new IllegalStateException("target " + target.id() + " uses BASIC authentication but has no password");
        }
        String pair = target.authentication().username() + ":" + new String(secret.password());
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }

    /** The TLS client certificate of a CLIENT_CERTIFICATE target, else {@code null}. */
    ClientKey clientKey(SyncTarget target) {
        if (target.authentication().kind() != Kind.CLIENT_CERTIFICATE) {
            return null;
        }
        SyncCredentials.Secret secret = secret(target);
        if (secret.pkcs12() == null) {
            throw new IllegalStateException("target " + target.id() + " uses a TLS client certificate but has no PKCS#12");
        }
        int fingerprint = Arrays.hashCode(secret.pkcs12()) * 31 + Arrays.hashCode(secret.password());
        return new ClientKey(fingerprint, keyManagers(target.id(), secret));
    }

    /** Key managers presenting a PKCS#12's key; {@code fingerprint} changes when the PKCS#12 or its password does. */
    record ClientKey(int fingerprint, KeyManager[] keyManagers) {
    }

    private SyncCredentials.Secret secret(SyncTarget target) {
        return credentials.load(target.id()).orElseThrow(() -> new IllegalStateException("target " + target.id()
                + " uses " + target.authentication().kind() + " authentication but has no secret stored"));
    }

    private static KeyManager[] keyManagers(String targetId, SyncCredentials.Secret secret) {
        try {
            char[] password = secret.password() == null ? new char[0] : secret.password();
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(new ByteArrayInputStream(secret.pkcs12()), password);
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, password);
            return kmf.getKeyManagers();
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("the TLS client certificate of target " + targetId
                    + " cannot be loaded (" + e.getClass().getSimpleName() + "); store a valid PKCS#12 and its password");
        }
    }
}
