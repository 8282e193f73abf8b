package org.egovpki.server;

import org.egovpki.core.event.LifecycleEvents;
import com.unboundid.ldap.sdk.LDAPConnectionPool;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bouncycastle.asn1.x500.X500Name;
import org.egovpki.core.ca.CaRegistry;
import org.egovpki.core.ca.CertificateAuthority;
import org.egovpki.core.ca.KeyManagementLink;
import org.egovpki.core.km.KmClient;
import org.egovpki.core.km.centre.KeyEscrow;
import org.egovpki.core.km.centre.KeyRecoveries;
import org.egovpki.core.km.centre.KmEndpoint;
import org.egovpki.core.km.centre.KmKeyStore;
import org.egovpki.core.operator.AttemptLimiter;
import org.egovpki.directory.km.LdapEscrowStore;
import org.egovpki.directory.km.LdapRecoveryStore;
import org.egovpki.server.audit.FileAuditLog;
import org.egovpki.server.config.EgovPkiConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The key management centre as its own component: its keys in {@code <data>/km} (password in
 * {@code secrets/km-keystore.password}), its directory account {@code uid=egov-pki-km} (the only
 * one that reaches {@code ou=km}), its signed endpoint; and the CA's link to it, which signs every
 * request with the CA's key and accepts only answers signed by the KM's certificate.
 *
 * @param escrow     escrowed keys (the KM key destruction route calls it)
 * @param recoveries key recoveries (the operator API)
 * @param link       the CA's only way to the KM
 */
record KmAssembly(KeyEscrow escrow, KeyRecoveries recoveries, KeyManagementLink link) {

    private static final Logger LOG = LoggerFactory.getLogger(KmAssembly.class);

    static KmAssembly start(EgovPkiConfig.Km settings, DataDirectory data, KeyStoreOpening.KmKeys kmKeys,
                            DirectoryAssembly directory, Secrets secrets,
                            CaRegistry registry, FileAuditLog audit, LifecycleEvents events, Clock clock,
                            SecureRandom random, Teardown teardown) {
        // At every start, not only the first (the KM's password is always in the data directory).
        LOG.warn("DEMO KEY CUSTODY: the KM key store password {} {}. Anyone who can read the data directory can "
                + "unwrap escrowed keys. Do not escrow real keys with this setup.",
                kmKeys.passwordGenerated() ? "was generated into" : "is kept in", data.secret("km-keystore.password"));
        KmKeyStore keys = kmKeys.store();
        LDAPConnectionPool kmPool = directory.servicePool(directory.names().kmServiceAccount(), secrets.kmService(),
                "egov-pki-km", "KM");
        teardown.add(kmPool::close);
        KeyEscrow escrow = new KeyEscrow(new LdapEscrowStore(kmPool, directory.names()), keys, audit, clock, random,
                settings.retention());
        KeyRecoveries recoveries = new KeyRecoveries(new LdapRecoveryStore(kmPool, directory.names()), escrow, audit,
                clock, random, settings.challengeLifetime(), new AttemptLimiter(settings.challengeMaxFailures(),
                settings.challengeWindow(), clock, 100_000));
        Map<String, X509Certificate> served = new LinkedHashMap<>();
        for (CertificateAuthority ca : registry.all()) {
            served.put(ca.name(), ca.certificate());
        }
        KmEndpoint endpoint = new KmEndpoint(served, escrow, recoveries, keys, audit, clock);
        KeyManagementLink link = new KeyManagementLink(new KmClient(endpoint, keys.certificate(), clock, random),
                registry, events);
        LOG.info("Key management centre started: {} (key store {})", settings.name(), data.keyManagement());
        return new KmAssembly(escrow, recoveries, link);
    }
}
