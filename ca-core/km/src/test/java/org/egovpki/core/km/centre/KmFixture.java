package org.egovpki.core.km.centre;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Period;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bouncycastle.asn1.x500.X500Name;
import org.egovpki.core.ca.CaRegistry;
import org.egovpki.core.ca.CertificateAuthority;
import org.egovpki.core.ca.KeyManagementLink;
import org.egovpki.core.ca.MovableClock;
import org.egovpki.core.ca.RecordingAuditLog;
import org.egovpki.core.km.KmClient;
import org.egovpki.core.operator.AttemptLimiter;

/**
 * A real KM over in-memory stores, wired to the CAs of a test registry as the server wires it:
 * its own key store (in {@code dir}), escrow with 10 years' retention, recoveries with 48-hour
 * codes and three wrong codes per 15 minutes, the signed endpoint, and the CA's link to it.
 */
public final class KmFixture {

    public final InMemoryKmStores stores = new InMemoryKmStores();
    public final KmKeyStore keys;
    public final KeyEscrow escrow;
    public final KeyRecoveries recoveries;
    public final KmEndpoint endpoint;
    public final KeyManagementLink link;

    public KmFixture(Path dir, CaRegistry cas, MovableClock clock, RecordingAuditLog audit, SecureRandom random) {
        keys = KmKeyStore.openOrCreate(dir, "km-test-password".toCharArray(), new X500Name("CN=Test KM,O=egov-pki,C=CN"),
                clock, random);
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
}
