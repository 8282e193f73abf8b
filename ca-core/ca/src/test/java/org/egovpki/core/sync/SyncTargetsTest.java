package org.egovpki.core.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.egovpki.core.DomainException;
import org.egovpki.core.audit.AuditEvent;
import org.egovpki.core.audit.AuditEventType;
import org.egovpki.core.audit.AuditOutcome;
import org.egovpki.core.ca.MovableClock;
import org.egovpki.core.ca.RecordingAuditLog;
import org.egovpki.core.crypto.BouncyCastle;
import org.egovpki.core.operator.Operator;
import org.egovpki.core.operator.Role;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SyncTargetsTest {

    private static final Instant NOW = Instant.parse("2026-12-02T04:00:00Z");
    private static final Operator CA_ADMIN = operator("caadmin", Role.CA_ADMIN);
    private static final Operator AUDITOR = operator("auditor", Role.AUDITOR);
    private static final Operator RA_ADMIN = operator("raadmin", Role.RA_ADMIN);
    private static final Operator SUPER_ADMIN = operator("super", Role.SUPER_ADMIN);
    private static final String PASSWORD = "Basic-S3cret-pw";
    private static final String P12_PASSWORD = "P12-S3cret-pw";
    /** A cron grammar stand-in: two expressions are valid. */
    private static final SyncTargets.ScheduleSyntax CRON = cron -> Set.of("0 0 2 * * ?", "0 */5 * * * ?")
            .contains(cron) ? Optional.empty() : Optional.of("not a cron expression here");

    private static byte[] pkcs12;
    private static byte[] certificateOnlyPkcs12;

    private final InMemorySyncStore store = new InMemorySyncStore();
    private final InMemorySyncCredentials credentials = new InMemorySyncCredentials();
    private final RecordingAuditLog audit = new RecordingAuditLog();
    private final MovableClock clock = new MovableClock(NOW);
    private final SyncTargets targets = new SyncTargets(store, credentials, audit, clock, CRON);

    @BeforeAll
    static void clientKey() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(256);
        KeyPair key = generator.generateKeyPair();
        X500Name name = new X500Name("CN=ca sync client");
        X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(
                name, BigInteger.ONE, Date.from(NOW.minus(Duration.ofDays(1))), Date.from(NOW.plus(Duration.ofDays(30))),
                name, key.getPublic()).build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate())));
        KeyStore withKey = KeyStore.getInstance("PKCS12", BouncyCastle.PROVIDER);
        withKey.load(null, null);
        withKey.setKeyEntry("client", key.getPrivate(), P12_PASSWORD.toCharArray(), new X509Certificate[] {certificate});
        pkcs12 = write(withKey);
        KeyStore certificateOnly = KeyStore.getInstance("PKCS12", BouncyCastle.PROVIDER);
        certificateOnly.load(null, null);
        certificateOnly.setCertificateEntry("ca", certificate);
        certificateOnlyPkcs12 = write(certificateOnly);
    }

    // Adding

    @Test
    void addsATargetWithDefaultsAndKeepsItsPasswordApart() {
        SyncTargetStatus added = targets.add(CA_ADMIN, basic("henan-tax"), password(PASSWORD));

        SyncTarget target = added.target();
        assertThat(target.id()).isEqualTo("henan-tax");
        assertThat(target.binding()).isEqualTo(SyncBinding.JSON);
        assertThat(target.businessTypes()).containsExactly("tax");
        assertThat(target.enabled()).isTrue();
        assertThat(target.realtime()).isTrue();
        assertThat(target.personalData()).isFalse();
        assertThat(target.authentication()).isEqualTo(new SyncTarget.Authentication(
                SyncTarget.Authentication.Kind.BASIC, "ca-user"));
        assertThat(added.secretSet()).isTrue();
        assertThat(added.state()).isEqualTo(TargetState.EMPTY);
        assertThat(added.oldestPendingAt()).isNull();
        assertThat(store.target("henan-tax")).contains(target);
        assertThat(credentials.load("henan-tax").orElseThrow().password()).isEqualTo(PASSWORD.toCharArray());
        AuditEvent event = audit.ofType(AuditEventType.SYNC_TARGET_ADDED).get(0);
        assertThat(event.outcome()).isEqualTo(AuditOutcome.SUCCESS);
        assertThat(event.actor()).isEqualTo(CA_ADMIN.dn());
        assertThat(event.details()).containsEntry("target", "henan-tax").containsEntry("authentication", "BASIC")
                .containsEntry("secret", "set");
        assertNoSecretAudited();
    }

    @Test
    void addsAClientCertificateTargetWhosePkcs12Opens() {
        SyncTargetStatus added = targets.add(CA_ADMIN, settings("zz-gov", "https://gov.example:8443/sync",
                SyncTargets.AUTH_CLIENT_CERTIFICATE, null), new SyncCredentials.Secret(P12_PASSWORD.toCharArray(), pkcs12));

        assertThat(added.target().authentication().kind()).isEqualTo(SyncTarget.Authentication.Kind.CLIENT_CERTIFICATE);
        assertThat(added.secretSet()).isTrue();
        assertThat(credentials.load("zz-gov").orElseThrow().pkcs12()).isEqualTo(pkcs12);
        assertNoSecretAudited();
    }

    @Test
    void takesACronScheduleSoapAndPersonalData() {
        SyncTargets.Settings s = new SyncTargets.Settings("batch-1", "http://10.0.0.5/ws", "soap", List.of(),
                "CA-HN", null, null, false, "0  0 2 * * ?", true);

        SyncTarget target = targets.add(CA_ADMIN, s, null).target();

        assertThat(target.binding()).isEqualTo(SyncBinding.SOAP);
        assertThat(target.schedule()).isEqualTo("0 0 2 * * ?");
        assertThat(target.realtime()).isFalse();
        assertThat(target.enabled()).isFalse();
        assertThat(target.personalData()).isTrue();
        assertThat(target.businessTypes()).isEmpty();
        assertThat(targets.get(CA_ADMIN, "batch-1").secretSet()).isFalse();
    }

    static Stream<Arguments> refusedSettings() {
        return Stream.of(
                refused("no id", s("", null), null, "id", "id is required"),
                refused("upper-case id", s("Henan", null), null, "id", "is not a target name"),
                refused("id with a comma", s("a,b", null), null, "id", "is not a target name"),
                refused("no url", with(s("t1", null), null, null, null), null, "url", "url is required"),
                refused("relative url", with(s("t1", null), "/sync", null, null), null, "url", "absolute"),
                refused("ftp url", with(s("t1", null), "ftp://gov.example/sync", null, null), null, "url", "http"),
                refused("url without host", with(s("t1", null), "http:///sync", null, null), null, "url", "no host"),
                refused("url with user info", with(s("t1", null), "https://u:p@gov.example/", null, null), null, "url",
                        "must not carry a user"),
                refused("url not a URI", with(s("t1", null), "http://gov example/", null, null), null, "url",
                        "not a valid URI"),
                refused("binding", with(s("t1", null), "http://gov.example/", "XML", null), null, "binding",
                        "JSON or SOAP"),
                refused("blank business type", types(List.of("tax", " ")), null, "businessTypes", "blank"),
                refused("long business type", types(List.of("x".repeat(65))), null, "businessTypes", "1-64"),
                refused("no caIdentifier", with(s("t1", null), "http://gov.example/", null, " "), null, "caIdentifier",
                        "caIdentifier is required"),
                refused("unknown authentication", s("t1", "kerberos"), null, "authentication.type", "none, basic or"),
                refused("basic without a username", s("t1", SyncTargets.AUTH_BASIC), password(PASSWORD),
                        "authentication.username", "required"),
                refused("basic without a password", basic("t1"), null, "authentication.password", "needs a password"),
                refused("basic with a PKCS#12", basic("t1"), new SyncCredentials.Secret(PASSWORD.toCharArray(),
                        new byte[] {1}), "authentication.pkcs12", "goes with authentication type clientCertificate"),
                refused("none with a password", s("t1", null), password(PASSWORD), "authentication.password",
                        "takes no password"),
                refused("username without basic", username(s("t1", null)), null, "authentication.username",
                        "basic only"),
                refused("client certificate over http", settings("t1", "http://gov.example/",
                        SyncTargets.AUTH_CLIENT_CERTIFICATE, null), null, "url", "needs an https url"),
                refused("client certificate without PKCS#12", clientCertificate("t1"), password(P12_PASSWORD),
                        "authentication.pkcs12", "needs a PKCS#12"),
                refused("cron the scheduler refuses", schedule("0 0 25 * * ?"), null, "schedule",
                        "not a cron expression here"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedSettings")
    void refusesBadSettingsNamingTheFieldAndStoresNothing(String name, SyncTargets.Settings settings,
                                                           SyncCredentials.Secret secret, String field, String message) {
        assertThatThrownBy(() -> targets.add(CA_ADMIN, settings, secret))
                .isInstanceOfSatisfying(DomainException.class, e -> {
                    assertThat(e.kind()).isEqualTo(DomainException.Kind.BAD_REQUEST);
                    assertThat(e.field()).isEqualTo(field);
                    assertThat(e.getMessage()).contains(message);
                });
        assertThat(store.targets()).isEmpty();
        assertThat(credentials.isEmpty()).isTrue();
        assertThat(audit.ofType(AuditEventType.SYNC_TARGET_ADDED)).singleElement()
                .satisfies(e -> assertThat(e.outcome()).isEqualTo(AuditOutcome.FAILURE));
        assertNoSecretAudited();
    }

    static Stream<Arguments> refusedPkcs12() {
        return Stream.of(
                Arguments.of("wrong password", (Object) "not-the-password".toCharArray(), "pkcs12", "does not open"),
                Arguments.of("not a PKCS#12", (Object) P12_PASSWORD.toCharArray(), "garbage", "does not open"),
                Arguments.of("no private key", (Object) P12_PASSWORD.toCharArray(), "certificateOnly", "no private key"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedPkcs12")
    void refusesAPkcs12ThatDoesNotOpenOrHoldsNoKey(String name, char[] password, String which, String message) {
        byte[] file = switch (which) {
            case "pkcs12" -> pkcs12;
            case "certificateOnly" -> certificateOnlyPkcs12;
            default -> "not a PKCS#12".getBytes(StandardCharsets.US_ASCII);
        };
        assertThatThrownBy(() -> targets.add(CA_ADMIN, clientCertificate("t1"), new SyncCredentials.Secret(password, file)))
                .isInstanceOfSatisfying(DomainException.class, e -> {
                    assertThat(e.kind()).isEqualTo(DomainException.Kind.BAD_REQUEST);
                    assertThat(e.field()).isEqualTo("authentication.pkcs12");
                    assertThat(e.getMessage()).contains(message);
                });
        assertThat(store.targets()).isEmpty();
        assertThat(credentials.isEmpty()).isTrue();
    }

    @Test
    void refusesATakenIdWithoutTouchingTheExistingSecret() {
        targets.add(CA_ADMIN, basic("henan-tax"), password(PASSWORD));

        assertThatThrownBy(() -> targets.add(CA_ADMIN, basic("henan-tax"), password("another-one")))
                .isInstanceOfSatisfying(DomainException.class,
                        e -> assertThat(e.kind()).isEqualTo(DomainException.Kind.CONFLICT));
        assertThat(credentials.load("henan-tax").orElseThrow().password()).isEqualTo(PASSWORD.toCharArray());
    }

    // Authorisation

    @Test
    void onlyACaAdminChangesTargetsAndTheRefusalIsAudited() {
        for (Operator other : List.of(RA_ADMIN, AUDITOR, SUPER_ADMIN)) {
            assertThatThrownBy(() -> targets.add(other, basic("henan-tax"), password(PASSWORD)))
                    .isInstanceOfSatisfying(DomainException.class, e -> {
                        assertThat(e.kind()).isEqualTo(DomainException.Kind.FORBIDDEN);
                        assertThat(e.getMessage()).contains("CA_ADMIN");
                    });
        }
        assertThat(store.targets()).isEmpty();
        assertThat(credentials.isEmpty()).isTrue();
        assertThat(audit.ofType(AuditEventType.SYNC_TARGET_ADDED)).hasSize(3)
                .allSatisfy(e -> assertThat(e.outcome()).isEqualTo(AuditOutcome.FAILURE));

        targets.add(CA_ADMIN, basic("henan-tax"), password(PASSWORD));
        for (Operator other : List.of(RA_ADMIN, AUDITOR)) {
            assertForbidden(() -> targets.replace(other, "henan-tax", basic("henan-tax"), null));
            assertForbidden(() -> targets.delete(other, "henan-tax"));
            assertForbidden(() -> targets.redrive(other, "henan-tax"));
            assertForbidden(() -> targets.skip(other, "henan-tax"));
            assertForbidden(() -> targets.replay(other, "henan-tax", 1));
        }
        assertThat(store.target("henan-tax")).isPresent();
    }

    @Test
    void aCaAdminOrAnAuditorReadsTargetsAndNobodyElse() {
        targets.add(CA_ADMIN, basic("henan-tax"), password(PASSWORD));

        assertThat(targets.list(AUDITOR)).extracting(s -> s.target().id()).containsExactly("henan-tax");
        assertThat(targets.get(CA_ADMIN, "henan-tax").secretSet()).isTrue();
        assertForbidden(() -> targets.list(RA_ADMIN));
        assertForbidden(() -> targets.get(operator("clerk", Role.ENTRY_CLERK), "henan-tax"));
        assertThatThrownBy(() -> targets.get(AUDITOR, "nobody")).isInstanceOfSatisfying(DomainException.class,
                e -> assertThat(e.kind()).isEqualTo(DomainException.Kind.NOT_FOUND));
    }

    // Replacing and deleting

    @Test
    void replacingKeepsTheSecretUnlessTheAuthenticationTypeChanges() {
        targets.add(CA_ADMIN, basic("henan-tax"), password(PASSWORD));
        enqueue("henan-tax", 3);

        SyncTargets.Settings moved = with(basic("henan-tax"), "https://new.example/sync", "SOAP", "CA-2");
        SyncTargetStatus replaced = targets.replace(CA_ADMIN, "henan-tax", moved, null);

        assertThat(replaced.target().url().toString()).isEqualTo("https://new.example/sync");
        assertThat(replaced.target().binding()).isEqualTo(SyncBinding.SOAP);
        assertThat(replaced.state().lastEnqueued()).isEqualTo(3);
        assertThat(credentials.load("henan-tax").orElseThrow().password()).isEqualTo(PASSWORD.toCharArray());
        assertThat(audit.ofType(AuditEventType.SYNC_TARGET_CHANGED).get(0).details()).containsEntry("secret", "kept");

        assertThatThrownBy(() -> targets.replace(CA_ADMIN, "henan-tax", settings("henan-tax",
                "https://new.example/sync", SyncTargets.AUTH_CLIENT_CERTIFICATE, null), null))
                .isInstanceOfSatisfying(DomainException.class,
                        e -> assertThat(e.field()).isEqualTo("authentication.pkcs12"));
        assertThat(store.target("henan-tax").orElseThrow().binding()).isEqualTo(SyncBinding.SOAP);

        targets.replace(CA_ADMIN, "henan-tax", s("henan-tax", null), null);
        assertThat(credentials.load("henan-tax")).isEmpty();
        assertThat(targets.get(CA_ADMIN, "henan-tax").secretSet()).isFalse();
        assertNoSecretAudited();
    }

    @Test
    void replacingRefusesAnotherIdAndAnUnknownTarget() {
        targets.add(CA_ADMIN, s("t1", null), null);

        assertThatThrownBy(() -> targets.replace(CA_ADMIN, "t1", s("t2", null), null))
                .isInstanceOfSatisfying(DomainException.class, e -> {
                    assertThat(e.field()).isEqualTo("id");
                    assertThat(e.getMessage()).contains("cannot be renamed");
                });
        assertThatThrownBy(() -> targets.replace(CA_ADMIN, "t2", s(null, null), null))
                .isInstanceOfSatisfying(DomainException.class,
                        e -> assertThat(e.kind()).isEqualTo(DomainException.Kind.NOT_FOUND));
    }

    @Test
    void deletingRemovesTheTargetItsQueueAndItsSecret() {
        targets.add(CA_ADMIN, basic("henan-tax"), password(PASSWORD));
        enqueue("henan-tax", 2);

        targets.delete(CA_ADMIN, "henan-tax");

        assertThat(store.target("henan-tax")).isEmpty();
        assertThat(credentials.load("henan-tax")).isEmpty();
        assertThat(audit.ofType(AuditEventType.SYNC_TARGET_DELETED).get(0).details()).containsEntry("dropped", "2");
        assertThatThrownBy(() -> targets.delete(CA_ADMIN, "henan-tax")).isInstanceOfSatisfying(DomainException.class,
                e -> assertThat(e.kind()).isEqualTo(DomainException.Kind.NOT_FOUND));
    }

    // The cursor

    @Test
    void redriveUnparksTheHeadAndClearsItsBackOff() {
        targets.add(CA_ADMIN, s("t1", null), null);
        enqueue("t1", 3);
        park("t1", 1);

        SyncTargetStatus status = targets.redrive(CA_ADMIN, "t1");

        assertThat(status.state().parked()).isFalse();
        assertThat(status.state().attempts()).isZero();
        assertThat(status.state().nextAttemptAt()).isNull();
        assertThat(status.state().lastDelivered()).isEqualTo(1);
        assertThat(status.state().lastError()).isEqualTo("HTTP 500");
        assertThat(status.oldestPendingAt()).isEqualTo(NOW.plusSeconds(2));
        assertThat(audit.ofType(AuditEventType.SYNC_TARGET_REDRIVEN).get(0).details())
                .containsEntry("wasParked", "true").containsEntry("head", "2");
    }

    @Test
    void skipCountsTheHeadAsDeliveredOnlyWhenSomethingIsPending() {
        targets.add(CA_ADMIN, s("t1", null), null);
        assertThatThrownBy(() -> targets.skip(CA_ADMIN, "t1")).isInstanceOfSatisfying(DomainException.class, e -> {
            assertThat(e.kind()).isEqualTo(DomainException.Kind.CONFLICT);
            assertThat(e.getMessage()).contains("nothing pending");
        });
        enqueue("t1", 3);
        park("t1", 1);

        SyncTargetStatus status = targets.skip(CA_ADMIN, "t1");

        assertThat(status.lastDeliveredSequence()).isEqualTo(2);
        assertThat(status.pending()).isEqualTo(1);
        assertThat(status.state().parked()).isFalse();
        assertThat(status.state().attempts()).isZero();
        assertThat(status.state().lastError()).isNull();
        assertThat(audit.ofType(AuditEventType.SYNC_TARGET_SKIPPED).stream()
                .filter(e -> e.outcome() == AuditOutcome.SUCCESS).findFirst().orElseThrow().details())
                .containsEntry("sequence", "2").containsEntry("eventId", "ca/2/issued");
    }

    @Test
    void skipLosesToADeliveryOfTheSameHead() {
        targets.add(CA_ADMIN, s("t1", null), null);
        enqueue("t1", 2);
        // The delivery moves the head between the administrator's read and write.
        SyncStore delegate = store;
        SyncTargets raced = new SyncTargets(new ForwardingStore(delegate) {
            @Override
            public boolean updateState(String targetId, TargetState expected, TargetState updated) {
                TargetState now = delegate.state(targetId);
                delegate.updateState(targetId, now, new TargetState(now.lastEnqueued(), now.lastDelivered() + 1, false,
                        0, null, NOW, NOW, null));
                return delegate.updateState(targetId, expected, updated);
            }
        }, credentials, audit, clock, CRON);

        assertThatThrownBy(() -> raced.skip(CA_ADMIN, "t1")).isInstanceOfSatisfying(DomainException.class,
                e -> assertThat(e.kind()).isEqualTo(DomainException.Kind.CONFLICT));
        assertThat(store.state("t1").lastDelivered()).isEqualTo(1);
    }

    @Test
    void replayMovesTheDeliveredSequenceWithinItsBounds() {
        targets.add(CA_ADMIN, s("t1", null), null);
        enqueue("t1", 5);
        park("t1", 4);

        SyncTargetStatus status = targets.replay(CA_ADMIN, "t1", 2);

        assertThat(status.lastDeliveredSequence()).isEqualTo(1);
        assertThat(status.pending()).isEqualTo(4);
        assertThat(status.state().parked()).isFalse();
        assertThat(status.oldestPendingAt()).isEqualTo(NOW.plusSeconds(2));
        assertThat(targets.replay(CA_ADMIN, "t1", 6).lastDeliveredSequence()).isEqualTo(5);
        assertThat(targets.replay(CA_ADMIN, "t1", 1).lastDeliveredSequence()).isZero();
        for (long from : new long[] {0, 7, -3}) {
            assertThatThrownBy(() -> targets.replay(CA_ADMIN, "t1", from)).isInstanceOfSatisfying(DomainException.class,
                    e -> {
                        assertThat(e.field()).isEqualTo("from");
                        assertThat(e.getMessage()).contains("between 1 and 6");
                    });
        }
        assertThat(store.state("t1").lastDelivered()).isZero();
    }

    @Test
    void replayRefusesAMessageAlreadyPurged() {
        targets.add(CA_ADMIN, s("t1", null), null);
        enqueue("t1", 4);
        TargetState now = store.state("t1");
        store.updateState("t1", now, new TargetState(4, 3, false, 0, null, NOW, NOW, null));
        store.purgeDelivered("t1", NOW.plusSeconds(3));

        assertThatThrownBy(() -> targets.replay(CA_ADMIN, "t1", 1)).isInstanceOfSatisfying(DomainException.class, e -> {
            assertThat(e.kind()).isEqualTo(DomainException.Kind.CONFLICT);
            assertThat(e.getMessage()).contains("no longer holds message 1").contains("the oldest held is 3");
        });
        assertThat(targets.replay(CA_ADMIN, "t1", 3).lastDeliveredSequence()).isEqualTo(2);
    }

    @Test
    void theStatusViewHasNoPlaceForASecret() {
        // The view's components: settings, a flag, the cursor, a time. A new component must be looked at here.
        assertThat(Arrays.stream(SyncTargetStatus.class.getRecordComponents()).map(c -> c.getName()))
                .containsExactly("target", "secretSet", "state", "oldestPendingAt");
        assertThat(Arrays.stream(SyncTarget.class.getRecordComponents()).<Class<?>>map(c -> c.getType()))
                .doesNotContain(char[].class, byte[].class, SyncCredentials.Secret.class);
        assertThat(Arrays.stream(SyncTarget.Authentication.class.getRecordComponents()).map(c -> c.getName()))
                .containsExactly("kind", "username");
    }

    // Fixtures

    private void assertNoSecretAudited() {
        assertThat(audit.events).allSatisfy(e -> assertThat(e.toString()).doesNotContain(PASSWORD)
                .doesNotContain(P12_PASSWORD));
    }

    private static void assertForbidden(Runnable call) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(DomainException.class,
                e -> assertThat(e.kind()).isEqualTo(DomainException.Kind.FORBIDDEN));
    }

    /** Messages 1 … n, enqueued a second apart from NOW + 1 s. */
    private void enqueue(String target, int n) {
        for (int i = 1; i <= n; i++) {
            store.enqueue(new SyncMessage(target, i, "ca/" + i + "/issued", SyncEventType.CERT_ISSUED, "ca", i,
                    NOW.plusSeconds(i), "{}".getBytes(StandardCharsets.UTF_8), new byte[] {1}));
        }
    }

    /** Delivered up to {@code delivered}; the next one parked after failing. */
    private void park(String target, long delivered) {
        TargetState now = store.state(target);
        store.updateState(target, now, new TargetState(now.lastEnqueued(), delivered, true, 10, "HTTP 500", NOW, NOW,
                NOW.plusSeconds(300)));
    }

    private static Operator operator(String uid, Role role) {
        return new Operator(uid, "uid=" + uid + ",ou=operators,o=egov-pki,c=CN", uid, Set.of(role));
    }

    private static SyncCredentials.Secret password(String password) {
        return new SyncCredentials.Secret(password.toCharArray(), null);
    }

    private static Arguments refused(String name, SyncTargets.Settings settings, SyncCredentials.Secret secret,
                                     String field, String message) {
        return Arguments.of(name, settings, secret, field, message);
    }

    private static SyncTargets.Settings settings(String id, String url, String authentication, String username) {
        return new SyncTargets.Settings(id, url, null, List.of("tax"), "HN-CA", authentication, username, null, null,
                null);
    }

    private static SyncTargets.Settings s(String id, String authentication) {
        return settings(id, "http://127.0.0.1:9000/sync", authentication, null);
    }

    private static SyncTargets.Settings basic(String id) {
        return settings(id, "https://tax.henan.example/sync", SyncTargets.AUTH_BASIC, "ca-user");
    }

    private static SyncTargets.Settings clientCertificate(String id) {
        return settings(id, "https://tax.henan.example/sync", SyncTargets.AUTH_CLIENT_CERTIFICATE, null);
    }

    private static SyncTargets.Settings with(SyncTargets.Settings s, String url, String binding, String caIdentifier) {
        return new SyncTargets.Settings(s.id(), url, binding, s.businessTypes(), caIdentifier == null ? "HN-CA"
                : caIdentifier, s.authentication(), s.username(), s.enabled(), s.schedule(), s.personalData());
    }

    private static SyncTargets.Settings types(List<String> types) {
        SyncTargets.Settings s = s("t1", null);
        return new SyncTargets.Settings(s.id(), s.url(), null, types, s.caIdentifier(), null, null, null, null, null);
    }

    private static SyncTargets.Settings username(SyncTargets.Settings s) {
        return new SyncTargets.Settings(s.id(), s.url(), null, s.businessTypes(), s.caIdentifier(), null, "someone",
                null, null, null);
    }

    private static SyncTargets.Settings schedule(String cron) {
        SyncTargets.Settings s = s("t1", null);
        return new SyncTargets.Settings(s.id(), s.url(), null, s.businessTypes(), s.caIdentifier(), null, null, null,
                cron, null);
    }

    /** A store that does what another does, for a test to override one step. */
    private static class ForwardingStore implements SyncStore {
        private final SyncStore delegate;

        ForwardingStore(SyncStore delegate) {
            this.delegate = delegate;
        }

        @Override
        public List<SyncTarget> targets() {
            return delegate.targets();
        }

        @Override
        public Optional<SyncTarget> target(String id) {
            return delegate.target(id);
        }

        @Override
        public boolean addTarget(SyncTarget target) {
            return delegate.addTarget(target);
        }

        @Override
        public boolean replaceTarget(SyncTarget target) {
            return delegate.replaceTarget(target);
        }

        @Override
        public boolean deleteTarget(String id) {
            return delegate.deleteTarget(id);
        }

        @Override
        public boolean enqueue(SyncMessage message) {
            return delegate.enqueue(message);
        }

        @Override
        public Optional<SyncMessage> message(String targetId, long sequence) {
            return delegate.message(targetId, sequence);
        }

        @Override
        public List<SyncMessage> messages(String targetId, long afterSequence, int limit) {
            return delegate.messages(targetId, afterSequence, limit);
        }

        @Override
        public int purgeDelivered(String targetId, Instant before) {
            return delegate.purgeDelivered(targetId, before);
        }

        @Override
        public TargetState state(String targetId) {
            return delegate.state(targetId);
        }

        @Override
        public boolean updateState(String targetId, TargetState expected, TargetState updated) {
            return delegate.updateState(targetId, expected, updated);
        }
    }

    private static byte[] write(KeyStore keyStore) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        keyStore.store(out, P12_PASSWORD.toCharArray());
        return out.toByteArray();
    }
}
