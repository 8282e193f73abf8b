package org.egovpki.core.km.centre;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Period;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bouncycastle.asn1.x500.X500Name;
import org.egovpki.core.ca.CaRegistry;
import org.egovpki.core.ca.CertificateAuthority;
import org.egovpki.core.ca.EnrollmentFixture;
import org.egovpki.core.ca.KeyManagementLink;
import org.egovpki.core.ca.MovableClock;
import org.egovpki.core.ca.RecordingAuditLog;
import org.egovpki.core.km.KmClient;
import org.egovpki.core.operator.AttemptLimiter;

/**
 * A real KM over in-memory stores, wired to the CAs of a test registry as the server wires it:
 * its own key store ({@link #keys}), escrow with 10 years' retention, recoveries with 48-hour
 * codes and three wrong codes per 15 minutes, the signed endpoint, and the CA's link to it.
 */
public final class KmFixture {

    public final InMemoryKmStores stores = new InMemoryKmStores();
    public final KmKeyStore keys;
    public final KeyEscrow escrow;
    public final KeyRecoveries recoveries;
    public final KmEndpoint endpoint;
    public final KeyManagementLink link;

    /**
     * A KM over {@code keys} made once by {@link #keys} and shared by a test class: the key store holds only
     * the KM's signing key and key-encryption key, which no test changes, and opening it costs seconds of
     * PBKDF2 (a PKCS#12 file and a sealed file, both written on first open).
     */
    public KmFixture(KmKeyStore keys, CaRegistry cas, MovableClock clock, RecordingAuditLog audit, SecureRandom random) {
        this.keys = keys;
        escrow = new KeyEscrow(stores.escrow, keys, audit, clock, random, Period.ofYears(10));
        recoveries = new KeyRecoveries(stores.recoveryStore, escrow, audit, clock, random, Duration.ofHours(48),
                new AttemptLimiter(3, Duration.ofMinutes(15), clock, 1000));
        Map<String, X509Certificate> served = new LinkedHashMap<>();
        for (CertificateAuthority ca : cas.all()) {
            served.put(ca.name(), ca.certificate());
        }
        endpoint = new KmEndpoint(served, escrow, recoveries, keys, audit, clock);
        link = new KeyManagementLink(new KmClient(endpoint, keys.certificate(), clock, random), cas,
                org.egovpki.core.event.LifecycleEvents.NONE);
    }

    /** The KM's keys in {@code dir}, created there if missing, as the server opens them. */
    public static KmKeyStore keys(Path dir, Clock clock, SecureRandom random) {
        return KmKeyStore.openOrCreate(dir, "km-test-password".toCharArray(),
                new X500Name("CN=Test KM,O=egov-pki,C=CN"), clock, random);
    }

    /** The KM's keys in {@code dir}, made at {@link EnrollmentFixture#NOW}, where every fixture's clock starts. */
    public static KmKeyStore keys(Path dir) {
        return keys(dir, Clock.fixed(EnrollmentFixture.NOW, ZoneOffset.UTC), new SecureRandom());
    }
}
