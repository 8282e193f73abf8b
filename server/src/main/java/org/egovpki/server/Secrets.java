package org.egovpki.server;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.egovpki.core.crypto.GeneratedSecret;
import org.egovpki.core.crypto.KeystorePassword;
import org.egovpki.core.enroll.SubscriberIds;
import org.egovpki.server.config.EgovPkiConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Start-up step 4: the server's own secrets from {@code <data>/secrets/}, generated on first
 * start (demo custody, with a warning). The KM's key store password is read by the KM assembly,
 * not here: only the KM needs it.
 *
 * @param directoryAdmin    the embedded directory's admin password (provisioning only); {@code null} with an
 *                          external directory, whose administrator egov-pki never binds as
 * @param caService         the CA service account's password
 * @param kmService         the KM service account's password
 * @param caKeyStore        the CA key store's password ({@code null} when the CA keys are on a PKCS#11 token)
 * @param subscriberIds     the RA's keyed subscriber ids
 */
record Secrets(char[] directoryAdmin, char[] caService, char[] kmService, char[] caKeyStore,
               SubscriberIds subscriberIds) {

    private static final Logger LOG = LoggerFactory.getLogger(Secrets.class);

    /**
     * @param external the external directory, whose service account passwords come from the files it names
     *                 (the embedded directory's are generated into the data directory); {@code null}: embedded
     * @param caKeys   where the CA keys are: only the PKCS#12 store has a password here (a token's PIN
     *                 is read from its own file by the CA assembly), so {@link #caKeyStore} is
     *                 {@code null} for a token
     * @param custodianPassphrases {@code init} with {@code caKeys.custody: shares}: one passphrase per
     *                 custodian, to seal their shares of the new password; {@code null} otherwise
     */
    static Secrets load(DataDirectory data, EgovPkiConfig.ExternalDirectory external,
                        EgovPkiConfig.CaKeys caKeys, java.util.Map<String, char[]> custodianPassphrases) {
        char[] admin = null;
        char[] caService;
        char[] kmService;
        if (external == null) {
            admin = KeystorePassword.loadOrGenerate(data.secret("directory-admin.password")).value();
            caService = KeystorePassword.loadOrGenerate(data.secret("ca-service.password")).value();
            kmService = KeystorePassword.loadOrGenerate(data.secret("km-service.password")).value();
        } else {
            caService = PasswordFiles.read(external.caPasswordFile(), "ldap.external.caPasswordFile");
            kmService = PasswordFiles.read(external.kmPasswordFile(), "ldap.external.kmPasswordFile");
        }
        char[] keyStore = null;
        if (caKeys.store() == EgovPkiConfig.CaKeyStoreType.PKCS12 && caKeys.custody() == EgovPkiConfig.Custody.SHARES) {
            keyStore = KeyCustodyStart.password(data, caKeys.shares(), custodianPassphrases);
        } else if (caKeys.store() == EgovPkiConfig.CaKeyStoreType.PKCS12) {
            GeneratedSecret keyStorePassword = KeystorePassword.loadOrGenerate(data.secret("ca-keystore.password"));
            // At every start, not only the first: an operator who restarts a demo CA is reminded too.
            LOG.warn("DEMO KEY CUSTODY: the CA key store password {} {}. Anyone who can read the data directory "
                    + "can use the CA keys. Do not issue real certificates with this setup (caKeys.store: pkcs11 "
                    + "keeps them on a token; caKeys.custody: shares splits the password among key custodians).",
                    keyStorePassword.generated() ? "was generated into" : "is kept in",
                    data.secret("ca-keystore.password"));
            keyStore = keyStorePassword.value();
        }
        SubscriberIds subscriberIds = subscriberIds(data);
        return new Secrets(admin, caService, kmService, keyStore, subscriberIds);
    }

    /**
     * The RA's subscriber-id key ({@code secrets/subscriber-id.key}, generated once, mode 0600):
     * subscriber ids are keyed MACs of the identity data, so the public directory tree reveals
     * nothing to whoever lacks it. Never stored in the directory, never logged. Back it up with
     * the data directory: without it a returning applicant gets a new subscriber id.
     */
    private static SubscriberIds subscriberIds(DataDirectory data) {
        GeneratedSecret secret = KeystorePassword.loadOrGenerate(data.secret("subscriber-id.key"));
        if (secret.generated()) {
            LOG.info("Generated the subscriber-id key {}; keep it with the data directory's backups",
                    data.secret("subscriber-id.key"));
        }
        char[] chars = secret.value();
        ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(chars));
        byte[] key = new byte[encoded.remaining()];
        encoded.get(key);
        Arrays.fill(chars, '\0');
        Arrays.fill(encoded.array(), (byte) 0);
        try {
            return new SubscriberIds(key);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("subscriber-id key file " + data.secret("subscriber-id.key") + ": "
                    + e.getMessage() + "; put a longer secret in it (it must never change once subscribers exist)");
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }
}
