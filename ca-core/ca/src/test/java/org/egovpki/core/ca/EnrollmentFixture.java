package org.egovpki.core.ca;

import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.egovpki.core.crypto.BouncyCastle;
import org.egovpki.core.crypto.CaKeyStore;
import org.egovpki.core.crypto.InMemoryCaKeyStore;
import org.egovpki.core.crypto.KeyAlgorithm;
import org.egovpki.core.operator.AttemptLimiter;
import org.egovpki.core.revoke.RevocationService;
import org.egovpki.core.enroll.EnrollmentService;
import org.egovpki.core.enroll.InMemoryStores;
import org.egovpki.core.enroll.Issuance;
import org.egovpki.core.enroll.LifecycleService;
import org.egovpki.core.enroll.RenewalWindow;
import org.egovpki.core.operator.Operator;
import org.egovpki.core.enroll.validation.RegistrationData;
import org.egovpki.core.operator.Role;
import org.egovpki.core.enroll.Submission;
import org.egovpki.core.enroll.SubscriberIds;
import org.egovpki.core.enroll.validation.CertifiableKeys;
import org.egovpki.core.enroll.validation.CertificationRequests;
import org.egovpki.core.enroll.validation.KeyPolicy;
import org.egovpki.core.event.LifecycleEvent;
import org.egovpki.core.event.LifecycleEvents;
import org.egovpki.core.profile.CertificateProfile;
import org.egovpki.core.profile.CertificateType;
import org.egovpki.core.profile.IdentityExtensionForm;
import org.egovpki.core.profile.LiveProfiles;
import org.egovpki.core.profile.ProfileCatalog;
import org.egovpki.core.x509.CaCertificateFactory;
import org.egovpki.core.x509.CrlFactory;
import org.egovpki.core.x509.EndEntityCertificates;

/**
 * The enrollment stack for tests: a real SM2 CA chain (created once per test class — key store
 * writes are slow), real validation and certificate building, and in-memory stores with the
 * directory's contracts. Build one per test for fresh stores.
 */
public final class EnrollmentFixture {

    public static final Instant NOW = Instant.parse("2026-11-21T08:00:00Z");
    public static final Operator CLERK = operator("clerk1", Role.ENTRY_CLERK);
    public static final Operator CLERK_2 = operator("clerk2", Role.ENTRY_CLERK);
    public static final Operator REVIEWER = operator("reviewer1", Role.REVIEWER);
    public static final Operator RA_ADMIN = operator("ra1", Role.RA_ADMIN);

    /** Stands at {@link #NOW} until a test moves it. */
    public final MovableClock clock = new MovableClock(NOW);
    public final SecureRandom random = new SecureRandom();
    public final CaRegistry cas;
    public final InMemoryStores stores;
    public final RecordingAuditLog audit = new RecordingAuditLog();
    /** The profiles in force, as the server's: a test replaces them as a configuration reload does. */
    public final LiveProfiles profiles;
    public final CertificationRequests csrs = new CertificationRequests(new KeyPolicy(false));
    /** The RA's subscriber-id key, fresh per fixture. */
    public final SubscriberIds subscriberIds = new SubscriberIds(randomKey());
    /** The key management centre link for dual profiles; {@code null} (none) unless a test sets it. */
    public KeyManagementLink km;

    public EnrollmentFixture(CaRegistry cas) {
        this(cas, new InMemoryStores());
    }

    /** Over the stores of an earlier fixture: the same records, as after a restart with other CA keys. */
    public EnrollmentFixture(CaRegistry cas, InMemoryStores stores) {
        this.cas = cas;
        this.stores = stores;
        String cps = "http://pki.test/cps";
        String policy = "2.25.181821722204100531762351466650690192293.3.1";
        this.profiles = new LiveProfiles(new ProfileCatalog(List.of(
                new ProfileCatalog.Entry(CertificateProfile.builder("personal", CertificateType.PERSONAL)
                        .validity(Period.ofYears(2)).identityExtensions(IdentityExtensionForm.BOTH)
                        .policy(policy, cps).build(), "sm2-issuing"),
                new ProfileCatalog.Entry(CertificateProfile.builder("personal-dual", CertificateType.PERSONAL)
                        .validity(Period.ofYears(2)).dual(true).identityExtensions(IdentityExtensionForm.BOTH)
                        .policy(policy, cps).build(), "sm2-issuing"),
                new ProfileCatalog.Entry(CertificateProfile.builder("device-bulk", CertificateType.DEVICE)
                        .validity(Period.ofYears(1)).allowSubjectAltNames(true).autoApproveForRa(true)
                        .policy(policy, cps).build(), "sm2-issuing"))));
    }

    /**
     * A root and issuing SM2 CA, their keys in an in-memory key store: the PKCS#12 file would cost seconds per
     * class, and its round trip is Pkcs12CaKeyStoreTest's subject.
     */
    public static CaRegistry createCas() {
        Clock clock = Clock.fixed(NOW.minus(Duration.ofDays(1)), ZoneOffset.UTC);
        SecureRandom random = new SecureRandom();
        InMemoryCaRepository repository = new InMemoryCaRepository();
        RecordingAuditLog audit = new RecordingAuditLog();
        CaKeyStore keyStore = new InMemoryCaKeyStore(random);
        CrlPublisher crls = repository.publisher(audit, clock);
        return new CaBootstrap(keyStore, new CaCertificateFactory(clock, random), repository, crls, new TestUrls(),
                audit, clock, random).bootstrap(List.of(
                new CaDefinition("sm2-root", CaRole.ROOT, KeyAlgorithm.SM2, "CN=Test Root,O=egov-pki,C=CN",
                        Period.ofYears(30), null),
                new CaDefinition("sm2-issuing", CaRole.ISSUING, KeyAlgorithm.SM2, "CN=Test Issuing,O=egov-pki,C=CN",
                        Period.ofYears(20), "sm2-root")));
    }

    private RevocationService revocations;

    /** Every lifecycle event the fixture's services published, in order. */
    public final List<LifecycleEvent> published = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final LifecycleEvents events = published::add;

    /** Issues over the fixture's stores; superseded originals are revoked by {@link #revocations()}. */
    public Issuer issuer(IssuanceObserver observer) {
        return new Issuer(steps(observer), stores, audit, clock);
    }

    /** The issuance steps over the fixture's stores, as the issuance route calls them. */
    public IssuanceSteps steps(IssuanceObserver observer) {
        return new IssuanceSteps(
                new IssuanceSteps.Signing(cas, profiles, new EndEntityCertificates(clock), new TestUrls(), random),
                new IssuanceSteps.Stores(stores, stores, stores, stores), new IssuanceSteps.Links(csrs, revocations(), km),
                audit, events, clock, observer);
    }

    public EnrollmentService service(Issuance issuance) {
        return new EnrollmentService(profiles, stores, stores, issuance, csrs,
                new CertifiableKeys(stores, IssuanceSteps.caKeys(cas)), audit, clock, ZoneId.of("Asia/Shanghai"),
                random, subscriberIds);
    }

    public EnrollmentService service() {
        return service(issuer(IssuanceObserver.NONE));
    }

    public static Submission personal(String name, String idNumber, KeyPair key, boolean optOut) {
        RegistrationData registration = new RegistrationData(name, RegistrationData.RESIDENT_ID, idNumber, null,
                null, null, null, null, null, null, null, null, null, List.of(), List.of(), null);
        return new Submission(csr(key, "CN=" + name + ",O=Test Bureau,C=CN"), "personal", null, registration, "tax",
                "410000", optOut, "a challenge phrase".toCharArray(), true);
    }

    public static Submission device(String host, KeyPair key) {
        RegistrationData registration = new RegistrationData(null, null, null, null, null, null, null, null, null,
                null, null, null, null, List.of(host), List.of(), "IT department");
        return new Submission(csr(key, "CN=" + host + ",O=Test Bureau,C=CN"), "device-bulk", null, registration,
                null, null, false, "a challenge phrase".toCharArray(), true);
    }

    public static byte[] csr(KeyPair key, String subject) {
        try {
            return new JcaPKCS10CertificationRequestBuilder(new X500Principal(subject), key.getPublic())
                    .build(new JcaContentSignerBuilder(key.getPublic().getAlgorithm().equals("RSA") ? "SHA256WITHRSA"
                            : "SM3WITHSM2").setProvider(BouncyCastle.PROVIDER).build(key.getPrivate())).getEncoded();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The revocation service over the same stores (one per fixture, also the issuer's supersession):
     * three wrong phrases per 15 minutes, signed requests ±5 min.
     */
    public synchronized RevocationService revocations() {
        if (revocations == null) {
            revocations = new RevocationService(cas, stores, stores, stores, stores, audit, clock,
                    new AttemptLimiter(3, Duration.ofMinutes(15), clock, 10_000), Duration.ofMinutes(5), random,
                    events);
        }
        return revocations;
    }

    /** Renewal, rekey, modification and replacement over the same stores, window 30 days either side. */
    public LifecycleService lifecycle(Issuer issuer) {
        return new LifecycleService(profiles, stores, stores, service(issuer), issuer, csrs, RenewalWindow.days(30, 30),
                audit, clock);
    }

    public KeyPair sm2() {
        return KeyAlgorithm.SM2.generate(random);
    }

    private static byte[] randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return key;
    }

    private static Operator operator(String uid, Role role) {
        return new Operator(uid, "uid=" + uid + ",ou=operators,o=egov-pki,c=CN", uid, EnumSet.of(role));
    }
}
