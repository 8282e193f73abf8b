package org.egovpki.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MockClock;
import java.math.BigInteger;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1GeneralizedTime;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.ocsp.BasicOCSPResponse;
import org.bouncycastle.asn1.ocsp.CertID;
import org.bouncycastle.asn1.ocsp.CertStatus;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.ocsp.OCSPResponse;
import org.bouncycastle.asn1.ocsp.OCSPResponseStatus;
import org.bouncycastle.asn1.ocsp.ResponderID;
import org.bouncycastle.asn1.ocsp.ResponseBytes;
import org.bouncycastle.asn1.ocsp.ResponseData;
import org.bouncycastle.asn1.ocsp.RevokedInfo;
import org.bouncycastle.asn1.ocsp.SingleResponse;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedModifyRequest;
import com.unboundid.ldap.listener.interceptor.InMemoryOperationInterceptor;
import com.unboundid.ldap.sdk.LDAPConnectionPool;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.ResultCode;
import java.time.Duration;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.egovpki.core.DomainException;
import org.egovpki.core.certificate.CertificateRecord;
import org.egovpki.core.enroll.EnrollmentRequest;
import org.egovpki.core.enroll.RequestState;
import org.egovpki.core.enroll.validation.RegistrationData;
import org.egovpki.core.event.CrlPublished;
import org.egovpki.core.profile.CertificateType;
import org.egovpki.directory.DirectoryHealth;
import org.egovpki.directory.DirectoryNames;
import org.egovpki.directory.embedded.EmbeddedDirectory;
import org.egovpki.core.ca.CaPublications;
import org.egovpki.core.ca.CaRecord;
import org.egovpki.core.ca.CrlHead;
import org.egovpki.core.ca.CrlRecord;
import org.egovpki.core.certificate.Revocation;
import org.egovpki.core.sync.InMemorySyncStore;
import org.egovpki.core.sync.SyncBinding;
import org.egovpki.core.sync.SyncTarget;
import org.egovpki.core.x509.RevokedEntry;
import org.egovpki.routes.SyncMetrics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The registry's wiring: each binder's series under its documented name and labels with the
 * values its source gives, the sync's text appended, and the whole scrape accepted by
 * {@code promtool check metrics}.
 */
class ServerMetricsTest {

    private static final Instant NOW = Instant.parse("2026-12-02T08:00:00Z");

    private final ServerMetrics metrics = ServerMetrics.start(new MockClock());

    @AfterEach
    void close() {
        metrics.close();
    }

    @Test
    void jvmAndProcessBindersAreThere() {
        assertThat(metrics.scrape()).contains("jvm_memory_used_bytes{", "jvm_gc_", "jvm_threads_live_threads ",
                "process_cpu_usage ", "process_cpu_seconds_total ", "system_cpu_logical_processors ",
                "process_uptime_seconds ");
    }

    @Test
    void crlGaugesReadThePublishedCrlAndCountItsEntries() throws Exception {
        FakePublications publications = new FakePublications();
        publications.crl = crl(BigInteger.valueOf(7), NOW, NOW.plusSeconds(86_400), 3);
        metrics.bind(new CrlMetrics(publications, List.of("sm2-issuing", "sm2-root"), Clock.fixed(NOW, ZoneOffset.UTC)));

        String text = metrics.scrape();

        assertThat(text).contains(
                "egovpki_crl_this_update_timestamp_seconds{ca=\"sm2-issuing\"} " + (double) NOW.getEpochSecond(),
                "egovpki_crl_next_update_timestamp_seconds{ca=\"sm2-issuing\"} "
                        + (double) NOW.plusSeconds(86_400).getEpochSecond(),
                "egovpki_crl_number{ca=\"sm2-issuing\"} 7.0",
                "egovpki_crl_entries{ca=\"sm2-issuing\"} 3.0",
                // No CRL published: 0, so the nextUpdate alert fires for it.
                "egovpki_crl_next_update_timestamp_seconds{ca=\"sm2-root\"} 0.0");
        // One head read per CA per scrape, and the CRL itself read once per number.
        metrics.scrape();
        assertThat(publications.crlReads).isEqualTo(1);
        // Micrometer holds a gauge's object weakly: the values must outlive a garbage collection.
        System.gc();
        assertThat(metrics.scrape()).contains("egovpki_crl_entries{ca=\"sm2-issuing\"} 3.0");
    }

    @Test
    void preSignedOcspAnswersAreReadFromTheResponderAtScrapeTime() {
        OcspMetrics ocsp = new OcspMetrics(metrics.registry());
        java.util.concurrent.atomic.AtomicLong hits = new java.util.concurrent.atomic.AtomicLong(7);
        java.util.concurrent.atomic.AtomicInteger kept = new java.util.concurrent.atomic.AtomicInteger(3);
        ocsp.presigned(hits::get, kept::get);
        System.gc();

        assertThat(metrics.scrape()).contains("egovpki_ocsp_presigned_hits_total 7.0",
                "egovpki_ocsp_presigned_answers 3.0");
        hits.addAndGet(5);
        kept.set(0);
        assertThat(metrics.scrape()).contains("egovpki_ocsp_presigned_hits_total 12.0",
                "egovpki_ocsp_presigned_answers 0.0");
    }

    @Test
    void ocspAnswersAreCountedByCertificateStatusAndErrorsByResponseStatus() throws Exception {
        OcspMetrics ocsp = new OcspMetrics(metrics.registry());

        ocsp.answered(successful(new CertStatus(), new CertStatus(), revoked(), unknown()), TimeUnit.MILLISECONDS.toNanos(3));
        ocsp.answered(unsigned(OCSPResponseStatus.MALFORMED_REQUEST), 1_000);
        ocsp.answered(unsigned(OCSPResponseStatus.UNAUTHORIZED), 1_000);
        ocsp.answered(unsigned(OCSPResponseStatus.UNAUTHORIZED), 1_000);

        assertThat(metrics.scrape()).contains(
                "egovpki_ocsp_responses_total{status=\"good\"} 2.0",
                "egovpki_ocsp_responses_total{status=\"revoked\"} 1.0",
                "egovpki_ocsp_responses_total{status=\"unknown\"} 1.0",
                "egovpki_ocsp_errors_total{status=\"malformedRequest\"} 1.0",
                "egovpki_ocsp_errors_total{status=\"unauthorized\"} 2.0",
                "egovpki_ocsp_errors_total{status=\"internalError\"} 0.0",
                "egovpki_ocsp_response_duration_seconds_count 4",
                "egovpki_ocsp_response_duration_seconds_bucket{le=\"0.005\"} 4");
    }

    @Test
    void routeExchangesAndFailuresAreCountedPerRoute() throws Exception {
        CamelContext camel = new DefaultCamelContext();
        camel.addRoutePolicyFactory(new RouteMetrics(metrics.registry()));
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:work").routeId("work")
                        .filter(body().isEqualTo("fail")).throwException(new IllegalStateException("failing")).end();
            }
        });
        camel.start();
        try {
            ProducerTemplate producer = camel.createProducerTemplate();
            producer.send("direct:work", e -> e.getIn().setBody("ok"));
            producer.send("direct:work", e -> e.getIn().setBody("ok"));
            producer.send("direct:work", e -> e.getIn().setBody("fail"));
        } finally {
            camel.stop();
        }

        assertThat(metrics.scrape()).contains(
                "egovpki_route_exchanges_total{route=\"work\"} 3.0",
                "egovpki_route_exchanges_failed_total{route=\"work\"} 1.0",
                "egovpki_route_exchange_duration_seconds_count{route=\"work\"} 3");
    }

    @Test
    void issuanceIsTimedByProfileAndOutcomeAndFailuresCountedByKind() {
        MeteredIssuance issuance = new MeteredIssuance((request, actor) -> {
            if (request.id().equals("r-busy")) {
                throw DomainException.unavailable("the directory did not answer", null);
            }
            return List.<CertificateRecord>of();
        }, metrics.registry());

        issuance.issue(request("r-1"), "uid=reviewer");
        issuance.issue(request("r-2"), "uid=reviewer");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> issuance.issue(request("r-busy"), "uid=reviewer"))
                .isInstanceOf(DomainException.class).hasMessageContaining("did not answer");

        assertThat(metrics.scrape()).contains(
                "egovpki_issuance_duration_seconds_count{outcome=\"success\",profile=\"device-tls\"} 2",
                "egovpki_issuance_duration_seconds_count{outcome=\"failure\",profile=\"device-tls\"} 1",
                "egovpki_issuance_failures_total{kind=\"unavailable\",profile=\"device-tls\"} 1.0");
    }

    @Test
    void lifecycleEventsAreCountedByCa() {
        LifecycleMetrics lifecycle = new LifecycleMetrics(metrics.registry());
        lifecycle.registerCa("sm2-root");
        lifecycle.accept(new CrlPublished("sm2-issuing", BigInteger.TWO, NOW));
        lifecycle.accept(new CrlPublished("sm2-issuing", BigInteger.valueOf(3), NOW));

        assertThat(metrics.scrape()).contains(
                "egovpki_crl_publications_total{ca=\"sm2-issuing\"} 2.0",
                "egovpki_crl_publications_total{ca=\"sm2-root\"} 0.0");
    }

    @Test
    void directoryOperationsPoolAndProbe() throws Exception {
        boolean[] refuseWrites = {false};
        InMemoryDirectoryServerConfig config = new InMemoryDirectoryServerConfig("o=egov-pki,c=CN");
        config.addInMemoryOperationInterceptor(new InMemoryOperationInterceptor() {
            @Override
            public void processModifyRequest(InMemoryInterceptedModifyRequest request) throws LDAPException {
                if (refuseWrites[0]) {
                    throw new LDAPException(ResultCode.OTHER, "ERR_554 double get for block 12");
                }
            }
        });
        InMemoryDirectoryServer directory = new InMemoryDirectoryServer(config);
        directory.add("dn: o=egov-pki,c=CN", "objectClass: top", "objectClass: organization", "o: egov-pki");
        directory.add("dn: ou=sync,o=egov-pki,c=CN", "objectClass: top", "objectClass: organizationalUnit", "ou: sync");
        directory.startListening();
        try {
            LDAPConnectionPool pool = directory.getConnectionPool(2);
            DirectoryHealth health = new DirectoryHealth(pool, new DirectoryNames("o=egov-pki,c=CN"), Clock.systemUTC(),
                    Duration.ofSeconds(5), Duration.ZERO);
            metrics.bind(new DirectoryMetrics(() -> new EmbeddedDirectory.OperationCounts(5, 7, 1, 40), pool, "test",
                    health));

            assertThat(metrics.scrape()).contains(
                    "egovpki_directory_up 1.0",
                    "egovpki_directory_operations_total{operation=\"modify\"} 7.0",
                    "egovpki_directory_operations_total{operation=\"search\"} 40.0",
                    "egovpki_directory_pool_connections_max{pool=\"test\"} 2.0");
            System.gc();
            assertThat(metrics.scrape()).contains("egovpki_directory_operations_total{operation=\"add\"} 5.0",
                    "egovpki_directory_pool_connections_max{pool=\"test\"} 2.0");
            refuseWrites[0] = true;
            assertThat(metrics.scrape()).contains("egovpki_directory_up 0.0");
            pool.close();
        } finally {
            directory.shutDown(true);
        }
    }

    @Test
    void theAlertRulesPassPromtoolAndFireOnTheirTestSeries() throws Exception {
        Promtool.require();
        Path rules = Path.of("..", "conf", "prometheus", "egov-pki-alerts.yml").toAbsolutePath().normalize();
        assertThat(Promtool.run(null, "check", "rules", rules.toString())).contains("SUCCESS");
        assertThat(Promtool.run(null, "test", "rules",
                rules.resolveSibling("egov-pki-alerts.test.yml").toString())).contains("SUCCESS");
    }

    @Test
    void everyEgovpkiSeriesTheRulesUseIsOneTheServerExports() throws Exception {
        String rules = Files.readString(Path.of("..", "conf", "prometheus", "egov-pki-alerts.yml"));
        java.util.Set<String> used = new TreeSet<>();
        Matcher names = Pattern.compile("egovpki_[a-z_]+").matcher(rules);
        while (names.find()) {
            used.add(names.group());
        }
        InMemorySyncStore store = new InMemorySyncStore();
        store.addTarget(new SyncTarget("city-portal", URI.create("https://portal.example/sync"), SyncBinding.JSON,
                Set.of(), "egov-ca", new SyncTarget.Authentication(SyncTarget.Authentication.Kind.BASIC, "ca"), true,
                SyncTarget.REALTIME, false));
        metrics.append(new SyncMetrics(store, Clock.fixed(NOW, ZoneOffset.UTC))::render);
        metrics.bind(new CrlMetrics(new FakePublications(), List.of("sm2-issuing"), Clock.fixed(NOW, ZoneOffset.UTC)));
        new OcspMetrics(metrics.registry());
        MeteredIssuance failing = new MeteredIssuance((request, actor) -> {
            throw DomainException.unavailable("down", null);
        }, metrics.registry());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> failing.issue(request("r-1"), "uid=reviewer"));
        new RouteMetrics(metrics.registry()).createRoutePolicy(null, "issuance", null);
        String directoryUp = "egovpki_directory_up";
        String text = metrics.scrape();

        for (String name : used) {
            if (!name.equals(directoryUp)) {
                assertThat(text).as("series %s used by an alert rule", name).containsPattern("(?m)^" + name + "[{ ]");
            }
        }
        assertThat(used).contains(directoryUp); // exported by DirectoryMetrics, see directoryOperationsPoolAndProbe
    }

    private static EnrollmentRequest request(String id) {
        RegistrationData registration = new RegistrationData(null, null, null, null, null, "Gov", null, null, null,
                null, null, null, null, List.of("gw.example.gov.cn"), List.of(), "Gov");
        return new EnrollmentRequest(id, RequestState.APPROVED, new byte[0], "device-tls", CertificateType.DEVICE, "s-1",
                "CN=gw", registration, null, null, false, null, null, "uid=clerk", "uid=reviewer", NOW, NOW, null, null,
                List.of());
    }

    @Test
    void theWholeScrapeWithTheSyncSeriesPassesPromtool(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Promtool.require();
        InMemorySyncStore store = new InMemorySyncStore();
        store.addTarget(new SyncTarget("city-portal", URI.create("https://portal.example/sync"), SyncBinding.JSON,
                Set.of(), "egov-ca", new SyncTarget.Authentication(SyncTarget.Authentication.Kind.BASIC, "ca"), true,
                SyncTarget.REALTIME, false));
        metrics.append(new SyncMetrics(store, Clock.fixed(NOW, ZoneOffset.UTC))::render);
        FakePublications publications = new FakePublications();
        publications.crl = crl(BigInteger.ONE, NOW, NOW.plusSeconds(3_600), 1);
        metrics.bind(new CrlMetrics(publications, List.of("sm2-issuing"), Clock.fixed(NOW, ZoneOffset.UTC)));
        OcspMetrics ocsp = new OcspMetrics(metrics.registry());
        ocsp.answered(successful(new CertStatus()), 1_000_000);
        ocsp.presigned(() -> 2, () -> 1);
        LifecycleMetrics lifecycle = new LifecycleMetrics(metrics.registry());
        lifecycle.registerCa("sm2-issuing");

        String text = metrics.scrape();

        assertThat(text).contains("egovpki_sync_lag_events{target=\"city-portal\"} 0",
                "egovpki_crl_publications_total{ca=\"sm2-issuing\"} 0.0");
        Path file = dir.resolve("metrics.prom");
        Files.writeString(file, text);
        // promtool check metrics lints what it reads on stdin (names, types, help, units, duplicates).
        Promtool.run(text, "check", "metrics");
    }

    private static byte[] unsigned(int status) throws Exception {
        return new OCSPResponse(new OCSPResponseStatus(status), null).getEncoded(ASN1Encoding.DER);
    }

    private static CertStatus revoked() {
        return new CertStatus(new RevokedInfo(new ASN1GeneralizedTime(Date.from(NOW)), CRLReason.lookup(1)));
    }

    private static CertStatus unknown() {
        return new CertStatus(2, DERNull.INSTANCE);
    }

    /** A successful response carrying one SingleResponse per status; its signature is not checked here. */
    private static byte[] successful(CertStatus... statuses) throws Exception {
        ASN1EncodableVector singles = new ASN1EncodableVector();
        CertID id = new CertID(new AlgorithmIdentifier(OCSPObjectIdentifiers.id_pkix_ocsp), new DEROctetString(new byte[20]),
                new DEROctetString(new byte[20]), new ASN1Integer(1));
        ASN1GeneralizedTime time = new ASN1GeneralizedTime(Date.from(NOW));
        for (CertStatus status : statuses) {
            singles.add(new SingleResponse(id, status, time, null, (Extensions) null));
        }
        ResponseData data = new ResponseData(new ResponderID(new X500Name("CN=test")), time, new DERSequence(singles),
                (Extensions) null);
        BasicOCSPResponse basic = new BasicOCSPResponse(data, new AlgorithmIdentifier(OCSPObjectIdentifiers.id_pkix_ocsp),
                new DERBitString(new byte[1]), null);
        return new OCSPResponse(new OCSPResponseStatus(OCSPResponseStatus.SUCCESSFUL),
                new ResponseBytes(OCSPObjectIdentifiers.id_pkix_ocsp_basic, new DEROctetString(basic.getEncoded())))
                .getEncoded(ASN1Encoding.DER);
    }

    private static CrlRecord crl(BigInteger number, Instant thisUpdate, Instant nextUpdate, int entries)
            throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair key = generator.generateKeyPair();
        X509v2CRLBuilder builder = new X509v2CRLBuilder(new X500Name("CN=test CA"), Date.from(thisUpdate));
        builder.setNextUpdate(Date.from(nextUpdate));
        for (int i = 1; i <= entries; i++) {
            builder.addCRLEntry(BigInteger.valueOf(i), Date.from(thisUpdate), CRLReason.keyCompromise);
        }
        byte[] der = builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate())).getEncoded();
        return new CrlRecord(number, thisUpdate, nextUpdate, der);
    }

    /** Publications with one CRL for CA "sm2-issuing" and none for any other. */
    private static final class FakePublications implements CaPublications {

        CrlRecord crl;
        int crlReads;

        @Override
        public Optional<CrlHead> crlHead(String caName) {
            return "sm2-issuing".equals(caName) && crl != null
                    ? Optional.of(new CrlHead(crl.crlNumber(), crl.thisUpdate(), crl.nextUpdate(), null, null))
                    : Optional.empty();
        }

        @Override
        public Optional<CrlRecord> currentCrl(String caName) {
            crlReads++;
            return "sm2-issuing".equals(caName) ? Optional.ofNullable(crl) : Optional.empty();
        }

        @Override
        public Optional<CaRecord> find(String caName) {
            return Optional.empty();
        }

        @Override
        public List<CaRecord> findAll() {
            return List.of();
        }

        @Override
        public Optional<CrlHead> partitionCrlHead(String caName, int shard) {
            return Optional.empty();
        }

        @Override
        public Optional<CrlRecord> currentDeltaCrl(String caName) {
            return Optional.empty();
        }

        @Override
        public Optional<CrlRecord> currentArl(String caName) {
            return Optional.empty();
        }

        @Override
        public Optional<Revocation> caRevocation(String caName) {
            return Optional.empty();
        }

        @Override
        public List<RevokedEntry> revokedSubordinates(String caName) {
            return List.of();
        }

        @Override
        public Optional<CrlRecord> retiredKeyCrl(String caName, String keyIdHex) {
            return Optional.empty();
        }

        @Override
        public List<byte[]> caCertificates(String caName) {
            return List.of();
        }

        @Override
        public List<byte[]> crossCertificatePairs(String caName) {
            return List.of();
        }

        @Override
        public Optional<CrlRecord> currentPartitionCrl(String caName, int shard) {
            return Optional.empty();
        }

        @Override
        public Optional<CrlRecord> currentPartitionDeltaCrl(String caName, int shard) {
            return Optional.empty();
        }
    }
}
