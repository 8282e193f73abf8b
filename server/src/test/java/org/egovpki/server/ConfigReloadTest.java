package org.egovpki.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Period;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Optional;
import java.util.Properties;
import org.apache.camel.CamelContext;
import org.apache.camel.component.quartz.QuartzComponent;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.processor.aggregate.AggregateProcessor;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.egovpki.core.ca.CaRegistry;
import org.egovpki.core.ca.CrlPublisher;
import org.egovpki.core.ca.InMemoryCaRepository;
import org.egovpki.core.ca.OcspSigners;
import org.egovpki.core.ca.TestUrls;
import org.egovpki.core.crypto.CaSigner;
import org.egovpki.core.crypto.InMemoryCaKeyStore;
import org.egovpki.core.crypto.KeyAlgorithm;
import org.egovpki.core.ocsp.OcspResponder;
import org.egovpki.core.ocsp.ServedCa;
import org.egovpki.core.profile.LiveProfiles;
import org.egovpki.core.x509.CaCertificateFactory;
import org.egovpki.core.x509.CaCertificateRequest;
import org.egovpki.core.x509.CrlFactory;
import org.egovpki.core.x509.OcspSigningCertificates;
import org.egovpki.routes.CrlAfterRevocationRoute;
import org.egovpki.routes.CrlScheduleRoute;
import org.egovpki.routes.CrlTimings;
import org.quartz.Trigger;
import org.quartz.TriggerKey;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.egovpki.core.audit.AuditEvent;
import org.egovpki.core.audit.AuditEventType;
import org.egovpki.server.audit.AuditFiles;
import org.egovpki.server.audit.AuditSeal;
import org.egovpki.server.audit.FileAuditLog;
import org.egovpki.server.config.ConfigLoader;
import org.egovpki.server.config.EgovPkiConfig;
import org.egovpki.server.logging.LogSetup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGHUP's work without the signal, on the real objects a running server changes: what is applied
 * live (each live path, audited), what waits for a restart, a bad file or an unacceptable profile
 * refused with nothing changed.
 */
class ConfigReloadTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();
    private final Clock clock = Clock.fixed(Instant.parse("2026-12-02T08:00:00Z"), ZoneOffset.UTC);
    private final LoggerContext logback = new LoggerContext();

    @TempDir
    Path dir;

    private Path configFile;
    private FileAuditLog audit;
    private EgovPkiConfig running;
    private LiveProfiles profiles;
    private CrlPublisher crls;
    private CamelContext camel;
    private X509Certificate caCertificate;
    private OcspResponder ocsp;
    private OcspSigners ocspSigners;
    /** The issuing CAs "in service" and their certificates' notAfter, as the CA registry reports them. */
    private Map<String, Instant> issuingCas = Map.of("sm2-issuing", Instant.parse("2046-12-02T08:00:00Z"));
    private ConfigReload reload;

    /** The CRL routes call their jobs by method name; these count nothing: the routes' timing is under test. */
    public static final class IdleCrlJobs {
        public int issueAllFullCrls() {
            return 0;
        }

        public void issueAfterRevocation(String caName) {
        }
    }

    @BeforeEach
    void runningServer() throws Exception {
        logback.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
        logback.start();
        configFile = dir.resolve("egov-pki.yaml");
        write("");
        running = ConfigLoader.load(configFile, Map.of()).withBoundPorts(10389, 8080, 0);
        LogSetup logs = new LogSetup(logback, false);
        logs.apply(running.logging());
        audit = new FileAuditLog(dir.resolve("audit.jsonl"), FileAuditLog.SERVER_TRAIL,
                AuditSeal.of("test-seal-key-0123456789abcdef".toCharArray()), clock, EgovPkiServer.auditRotation(running));
        profiles = new LiveProfiles(running.profiles());
        crls = new CrlPublisher(new InMemoryCaRepository(), (selection, sink) -> { }, new CrlFactory(clock), audit, clock,
                running.ca().crl().nextUpdate(), new TestUrls(), event -> { });
        camel = crlRoutes(running);
        KeyPair caKeys = KeyAlgorithm.EC.generate(RANDOM);
        caCertificate = new CaCertificateFactory(clock, RANDOM).selfSignedRoot(CaCertificateRequest.root(
                "CN=Reload Test CA,O=egov-pki,C=CN", Period.ofYears(10), "ldap://localhost/cn=test"), caKeys);
        EgovPkiConfig.Ocsp o = running.ocsp();
        ocsp = new OcspResponder(List.of(new ServedCa("sm2-issuing", caCertificate, CaSigner.of(caKeys, RANDOM))),
                (issuer, serial) -> Optional.empty(), clock,
                new OcspResponder.Settings(o.nextUpdate(), o.cacheLifetime(), o.cacheEntries()));
        ocspSigners = new OcspSigners(new CaRegistry(List.of()), new InMemoryCaKeyStore(RANDOM),
                new OcspSigningCertificates(clock, RANDOM), audit, clock, RANDOM,
                o.delegatedValidity());
        reload = new ConfigReload(() -> ConfigLoader.load(configFile, Map.of()), configFile.toString(), running,
                new ConfigReload.Targets(logs, audit, profiles, () -> issuingCas, crls, new CrlTimings(camel), ocsp,
                        ocspSigners), clock);
    }

    /** The two CRL routes as the server runs them, on the running configuration's timings. */
    private static CamelContext crlRoutes(EgovPkiConfig config) throws Exception {
        CamelContext context = new DefaultCamelContext();
        Properties properties = new Properties();
        properties.setProperty("egovpki.crl.cron", CrlScheduleRoute.cronForUri(config.ca().crl().schedule()));
        properties.setProperty("egovpki.crl.timeZone", config.ca().crl().timeZone().getId());
        context.getPropertiesComponent().setInitialProperties(properties);
        context.getRegistry().bind("crlJobs", new IdleCrlJobs());
        context.addRoutes(new CrlScheduleRoute());
        context.addRoutes(new CrlAfterRevocationRoute(config.ca().crl().afterRevocation()));
        context.start();
        return context;
    }

    @AfterEach
    void close() {
        camel.stop();
        audit.close();
        logback.stop();
    }

    private void write(String yaml) throws IOException {
        Files.writeString(configFile, "data: " + dir.resolve("data") + "\n" + yaml);
    }

    private JsonNode lastAudited() throws IOException {
        List<String> lines = Files.readAllLines(dir.resolve("audit.jsonl"), StandardCharsets.UTF_8);
        return JSON.readTree(lines.get(lines.size() - 1));
    }

    private void assertAuditedAsApplied(String applied, String restartNeeded) throws IOException {
        JsonNode event = lastAudited();
        assertThat(event.path("type").asText()).isEqualTo("CONFIG_RELOADED");
        assertThat(event.path("outcome").asText()).isEqualTo("SUCCESS");
        assertThat(event.path("details").path("applied").asText()).isEqualTo(applied);
        assertThat(event.path("details").path("restartNeeded").asText()).isEqualTo(restartNeeded);
        assertThat(event.path("details").path("file").asText()).isEqualTo(configFile.toString());
    }

    /** The file's profiles: the built-in ones, with personal's validity and issuer as given. */
    private static String profilesWithPersonal(int validityMonths, String issuer) {
        return "profiles:\n"
                + "  - name: personal\n    type: PERSONAL\n    validityMonths: " + validityMonths + "\n"
                + "    issuer: " + issuer + "\n"
                + "    identityExtensions: BOTH\n    extendedKeyUsages: [clientAuth, emailProtection]\n"
                + "    description: \"Personal certificate for government staff and the public (signing)\"\n"
                + "  - name: device\n    type: DEVICE\n    validityMonths: 12\n";
    }

    @Test
    void liveSettingsApplyAndTheRestAreNamedAsNeedingARestart() throws IOException {
        write("logging:\n  level: DEBUG\nocsp:\n  signer: delegated\n  presignAhead: false\nca:\n  crl:\n    deltas: false\n"
                + "enrollment:\n  allowLegacyRsa: true\n");

        ConfigReload.Outcome outcome = reload.reload();

        assertThat(outcome.refused()).isFalse();
        assertThat(outcome.applied()).containsExactly("logging");
        assertThat(outcome.restartNeeded()).containsExactly("enrollment", "ca.crl.deltas", "ocsp.signer",
                "ocsp.presignAhead");
        assertThat(logback.getLogger("org.egovpki").getLevel()).isEqualTo(Level.DEBUG);
        assertAuditedAsApplied("logging", "enrollment,ca.crl.deltas,ocsp.signer,ocsp.presignAhead");

        // Applied once: the next reload of the same file changes nothing live, and still names the restart.
        ConfigReload.Outcome again = reload.reload();
        assertThat(again.applied()).isEmpty();
        assertThat(again.restartNeeded()).containsExactly("enrollment", "ca.crl.deltas", "ocsp.signer",
                "ocsp.presignAhead");
    }

    @Test
    void aChangedCaOrCrlPartitionsNeedARestartAndLeaveTheTimingsBesideThemLive() throws IOException {
        write("ca:\n  chains:\n    - algorithm: EC\n      enabled: true\n      root:\n        name: ec-root\n"
                + "        subject: \"CN=EC Root,O=egov-pki,C=CN\"\n      issuing:\n        name: ec-issuing\n"
                + "        subject: \"CN=EC Issuing,O=egov-pki,C=CN\"\n"
                + "  crl:\n    partitions: 4\n    nextUpdateHours: 12\nprofiles:\n"
                + "  - name: device\n    type: DEVICE\n    issuer: ec-issuing\n");
        issuingCas = Map.of("sm2-issuing", Instant.parse("2046-12-02T08:00:00Z"));

        ConfigReload.Outcome outcome = reload.reload();

        // The profile names a CA this server does not run yet: the whole reload is refused.
        assertThat(outcome.refused()).isTrue();
        assertThat(outcome.reason()).contains("profile 'device'").contains("ec-issuing").contains("restart");
        assertThat(crls.nextUpdateAfter()).isEqualTo(Duration.ofHours(24));

        // The same CA change with the profiles left on sm2-issuing: the CA waits for a restart, the timing applies.
        write("ca:\n  chains:\n    - algorithm: SM2\n      enabled: true\n      root:\n        name: sm2-root\n"
                + "        subject: \"CN=egov-pki SM2 Root CA,O=egov-pki,C=CN\"\n      issuing:\n"
                + "        name: sm2-issuing\n        subject: \"CN=egov-pki SM2 Issuing CA,O=egov-pki,C=CN\"\n"
                + "    - algorithm: EC\n      enabled: true\n      root:\n        name: ec-root\n"
                + "        subject: \"CN=EC Root,O=egov-pki,C=CN\"\n      issuing:\n        name: ec-issuing\n"
                + "        subject: \"CN=EC Issuing,O=egov-pki,C=CN\"\n"
                + "  crl:\n    partitions: 4\n    nextUpdateHours: 12\n");
        outcome = reload.reload();
        assertThat(outcome.applied()).containsExactly("ca.crl.nextUpdateHours");
        assertThat(outcome.restartNeeded()).containsExactly("ca", "ca.crl.partitions");
        assertThat(crls.nextUpdateAfter()).isEqualTo(Duration.ofHours(12));
        assertAuditedAsApplied("ca.crl.nextUpdateHours", "ca,ca.crl.partitions");
        assertThat(reload.running().ca().definitions()).isEqualTo(running.ca().definitions());
        assertThat(reload.running().ca().crl().partitions()).isEqualTo(1);
    }

    @Test
    void aChangedProfileAppliesToNewRequests() throws IOException {
        assertThat(profiles.current().find("personal").orElseThrow().profile().validity()).isEqualTo(Period.ofYears(2));
        write(profilesWithPersonal(6, "sm2-issuing"));

        ConfigReload.Outcome outcome = reload.reload();

        assertThat(outcome.applied()).containsExactly("profiles");
        assertThat(profiles.current().find("personal").orElseThrow().profile().validity()).isEqualTo(Period.ofMonths(6));
        assertThat(profiles.current().find("organization")).as("a profile left out of the file is gone").isEmpty();
        assertAuditedAsApplied("profiles", "");
    }

    @Test
    void aProfileOnACaNotInServiceRefusesTheWholeReload() throws IOException {
        // ec-issuing is configured (so the file itself is valid) but this server did not start it.
        issuingCas = Map.of("sm2-issuing", Instant.parse("2046-12-02T08:00:00Z"));
        write("ca:\n  chains:\n    - algorithm: SM2\n      enabled: true\n      root:\n        name: sm2-root\n"
                + "        subject: \"CN=egov-pki SM2 Root CA,O=egov-pki,C=CN\"\n      issuing:\n"
                + "        name: sm2-issuing\n        subject: \"CN=egov-pki SM2 Issuing CA,O=egov-pki,C=CN\"\n"
                + "    - algorithm: EC\n      enabled: true\n      root:\n        name: ec-root\n"
                + "        subject: \"CN=EC Root,O=egov-pki,C=CN\"\n      issuing:\n        name: ec-issuing\n"
                + "        subject: \"CN=EC Issuing,O=egov-pki,C=CN\"\n"
                + "logging:\n  level: DEBUG\nocsp:\n  nextUpdateMinutes: 90\n" + profilesWithPersonal(6, "ec-issuing"));
        var before = profiles.current();

        ConfigReload.Outcome outcome = reload.reload();

        assertThat(outcome.refused()).isTrue();
        assertThat(outcome.reason()).contains("profile 'personal'").contains("'ec-issuing'")
                .contains("not an issuing CA in service").contains("[sm2-issuing]");
        assertNothingChanged(before);
        JsonNode event = lastAudited();
        assertThat(event.path("outcome").asText()).isEqualTo("FAILURE");
        assertThat(event.path("details").path("refused").asText()).contains("profile 'personal'");
    }

    @Test
    void aProfileOutlivingItsCaRefusesTheWholeReload() throws IOException {
        issuingCas = Map.of("sm2-issuing", Instant.parse("2027-06-01T00:00:00Z"));
        write("logging:\n  level: DEBUG\nocsp:\n  nextUpdateMinutes: 90\n" + profilesWithPersonal(12, "sm2-issuing"));
        var before = profiles.current();

        ConfigReload.Outcome outcome = reload.reload();

        assertThat(outcome.refused()).isTrue();
        assertThat(outcome.reason()).contains("profile 'personal'").contains("2027-06-01T00:00:00Z")
                .contains("validityMonths");
        assertNothingChanged(before);
        assertThat(lastAudited().path("outcome").asText()).isEqualTo("FAILURE");

        // Within the CA's life it is accepted (unchanged profiles are not judged again: device's 12
        // months also end after the CA, as the built-in ones did at start).
        write(profilesWithPersonal(5, "sm2-issuing").replace("validityMonths: 12", "validityMonths: 1"));
        assertThat(reload.reload().applied()).containsExactly("profiles");
    }

    private void assertNothingChanged(org.egovpki.core.profile.ProfileCatalog before) {
        assertThat(profiles.current()).isSameAs(before);
        assertThat(logback.getLogger("org.egovpki").getLevel()).isEqualTo(Level.INFO);
        assertThat(ocsp.settings().nextUpdate()).isEqualTo(Duration.ofMinutes(60));
        assertThat(reload.running()).isEqualTo(running);
    }

    @Test
    void newCrlScheduleAndZoneReplaceTheQuartzTrigger() throws Exception {
        write("ca:\n  crl:\n    schedule: \"0 30 2 * * ?\"\n    timeZone: UTC\n");

        ConfigReload.Outcome outcome = reload.reload();

        assertThat(outcome.applied()).containsExactly("ca.crl.schedule", "ca.crl.timeZone");
        Trigger trigger = camel.getComponent("quartz", QuartzComponent.class).getScheduler()
                .getTrigger(TriggerKey.triggerKey("crl-full", "egovpki"));
        ZonedDateTime next = trigger.getNextFireTime().toInstant().atZone(ZoneId.of("UTC"));
        assertThat(next.getHour()).isEqualTo(2);
        assertThat(next.getMinute()).isEqualTo(30);
        assertAuditedAsApplied("ca.crl.schedule,ca.crl.timeZone", "");
    }

    @Test
    void aNewAfterRevocationWindowReplacesTheAggregation() throws Exception {
        write("ca:\n  crl:\n    afterRevocationSeconds: 5\n");

        ConfigReload.Outcome outcome = reload.reload();

        assertThat(outcome.applied()).containsExactly("ca.crl.afterRevocationSeconds");
        AggregateProcessor window = camel.getProcessor("crl-after-revocation-window", AggregateProcessor.class);
        assertThat(window.getCompletionInterval()).isEqualTo(5_000L);
        assertThat(camel.getRouteController().getRouteStatus(CrlAfterRevocationRoute.ROUTE_ID).isStarted()).isTrue();
        assertAuditedAsApplied("ca.crl.afterRevocationSeconds", "");
    }

    @Test
    void newOcspTimingsApplyToTheNextAnswer() throws Exception {
        write("ocsp:\n  nextUpdateMinutes: 90\n  cacheSeconds: 30\n  cacheEntries: 500\n  delegatedValidityDays: 7\n");

        ConfigReload.Outcome outcome = reload.reload();

        assertThat(outcome.applied()).containsExactly("ocsp.nextUpdateMinutes", "ocsp.cacheSeconds",
                "ocsp.cacheEntries", "ocsp.delegatedValidityDays");
        assertThat(ocsp.settings()).isEqualTo(new OcspResponder.Settings(Duration.ofMinutes(90), Duration.ofSeconds(30),
                500, true, OcspResponder.Settings.DEFAULT_PRESIGNED_ENTRIES));
        assertThat(ocspSigners.validity()).isEqualTo(Duration.ofDays(7));
        BasicOCSPResp answer = (BasicOCSPResp) new OCSPResp(ocsp.respond(new OCSPReqBuilder().addRequest(
                new CertificateID(new JcaDigestCalculatorProviderBuilder().build().get(CertificateID.HASH_SHA1),
                        new JcaX509CertificateHolder(caCertificate), BigInteger.valueOf(1234))).build().getEncoded()))
                .getResponseObject();
        assertThat(Duration.between(answer.getResponses()[0].getThisUpdate().toInstant(),
                answer.getResponses()[0].getNextUpdate().toInstant())).isEqualTo(Duration.ofMinutes(90));
        assertAuditedAsApplied("ocsp.nextUpdateMinutes,ocsp.cacheSeconds,ocsp.cacheEntries,ocsp.delegatedValidityDays",
                "");
    }

    @Test
    void anInvalidFileIsRefusedAuditedAndChangesNothing() throws IOException {
        write("logging:\n  level: LOUD\n");

        ConfigReload.Outcome outcome = reload.reload();

        assertThat(outcome.refused()).isTrue();
        assertThat(outcome.reason()).contains("logging.level").contains("LOUD");
        assertThat(logback.getLogger("org.egovpki").getLevel()).isEqualTo(Level.INFO);
        JsonNode event = lastAudited();
        assertThat(event.path("type").asText()).isEqualTo("CONFIG_RELOADED");
        assertThat(event.path("outcome").asText()).isEqualTo("FAILURE");
        assertThat(event.path("details").path("refused").asText()).contains("logging.level");

        write("this is: [not yaml\n");
        assertThat(reload.reload().refused()).isTrue();
        assertThat(lastAudited().path("details").path("refused").asText()).contains("not valid YAML");
    }

    @Test
    void aNewAuditRotationAppliesFromTheNextEvent() throws IOException {
        write("audit:\n  rotation:\n    maxSizeMb: 0\n    daily: true\n    timeZone: UTC\n");
        assertThat(reload.reload().applied()).containsExactly("audit");

        Clock tomorrow = Clock.offset(clock, java.time.Duration.ofDays(1));
        audit.record(AuditEvent.success(tomorrow.instant(), AuditEventType.CRL_ISSUED, AuditEvent.SYSTEM, List.of(),
                Map.of()));
        assertThat(AuditFiles.closed(dir.resolve("audit.jsonl"))).hasSize(1);
    }
}
