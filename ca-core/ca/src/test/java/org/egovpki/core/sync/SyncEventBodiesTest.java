package org.egovpki.core.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import org.egovpki.core.certificate.CertificateRecord;
import org.egovpki.core.certificate.Revocation;
import org.egovpki.core.certificate.RevocationChannel;
import org.egovpki.core.certificate.RevocationReason;
import org.egovpki.core.crypto.KeyAlgorithm;
import org.egovpki.core.enroll.validation.RegistrationData;
import org.egovpki.core.profile.CertificateType;
import org.egovpki.core.x509.EncodedCrl;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SyncEventBodiesTest {

    private static final Instant NOW = Instant.parse("2026-12-02T04:31:00.123Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String ID_NUMBER = "11010519491231002X";

    private static SyncTestPki pki;
    private static Schema schema;

    private final SyncEventBodies bodies = new SyncEventBodies(certificate -> person());

    @BeforeAll
    static void setUp() throws Exception {
        pki = SyncTestPki.create("sub-ca", KeyAlgorithm.SM2, CLOCK);
        try (InputStream in = SyncEventBodies.class.getResourceAsStream("sync-event.schema.json")) {
            schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
                            b -> b.schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()))
                    .getSchema(in);
        }
    }

    static SyncTarget target(boolean personalData) {
        return new SyncTarget("henan-tax", URI.create("http://receiver.test/sync"), SyncBinding.JSON, Set.of("tax"),
                "EGOV-CA-01", SyncTarget.Authentication.NONE, true, SyncTarget.REALTIME, personalData);
    }

    static SubscriberInfo person() {
        return SubscriberInfo.of("p-1", CertificateType.PERSONAL, new RegistrationData("张三", RegistrationData.RESIDENT_ID,
                ID_NUMBER, "13800138000", null, "某某市税务局", null, null, null, null, null, null, null, null, null,
                null), "410000");
    }

    private static OutboxEvent certificateEvent(SyncEventType type, long caSequence, Instant time, CertificateRecord record) {
        return new OutboxEvent(caSequence, new SyncEvent(SyncEvent.certificateId(record.issuer(), record.serialHex(), type),
                type, record.issuer(), time, SyncEvent.Certificate.of(record, null), null));
    }

    private static OutboxEvent crlEvent(long caSequence, EncodedCrl crl, String kind, Integer partition, BigInteger base) {
        return new OutboxEvent(caSequence, new SyncEvent(SyncEvent.crlId("sub-ca", crl.crlNumber()),
                SyncEventType.CRL_PUBLISHED, "sub-ca", crl.thisUpdate(), null, new SyncEvent.Crl(crl.crlNumber(), kind,
                partition, base, crl.thisUpdate(), crl.nextUpdate(), crl.der())));
    }

    private OutboxEvent issued(CertificateRecord record) {
        return certificateEvent(SyncEventType.CERT_ISSUED, 7, NOW.minusSeconds(5), record);
    }

    private static OutboxEvent revoked(CertificateRecord record) {
        CertificateRecord revokedRecord = record.revoked(new Revocation(NOW.minusSeconds(2), RevocationReason.KEY_COMPROMISE,
                null, "admin", RevocationChannel.values()[0]));
        return certificateEvent(SyncEventType.CERT_REVOKED, 8, revokedRecord.revocation().time(), revokedRecord);
    }

    private static OutboxEvent crl() {
        return crlEvent(9, pki.crl(BigInteger.valueOf(17), List.of()), "FULL", null, null);
    }

    private JsonNode json(byte[] body) throws Exception {
        return MAPPER.readTree(body);
    }

    private static List<String> errors(JsonNode node) {
        return schema.validate(node).stream().map(Error::toString).toList();
    }

    @Test
    void aCertificateEventHasTheContractFieldsInOrderWithNullsPresent() throws Exception {
        CertificateRecord record = pki.record("张三", "tax");
        byte[] body = bodies.build(issued(record), target(false), 12, NOW);

        String text = new String(body, StandardCharsets.UTF_8);
        assertThat(text).startsWith("{\"specversion\":\"1.0\",\"id\":\"sub-ca/" + record.serialHex() + "/issued\","
                + "\"source\":\"urn:egov-pki:ca:sub-ca\",\"type\":\"cert.issued\",\"time\":\"2026-12-02T04:30:55.123Z\","
                + "\"datacontenttype\":\"application/json\",\"sequence\":12,\"casequence\":7,\"egovtarget\":\"henan-tax\","
                + "\"data\":{\"businessType\":\"tax\",\"caIdentifier\":\"EGOV-CA-01\",\"syncTime\":\"2026-12-02T04:31:00.123Z\","
                + "\"subscriber\":{\"id\":\"p-1\",\"type\":\"PERSONAL\",\"name\":\"张三\",\"idType\":\"RESIDENT_ID\","
                + "\"idNumber\":\"110***********002X\",\"organisation\":\"某某市税务局\",\"region\":\"410000\"},"
                + "\"certificate\":{\"serial\":\"" + record.serialHex() + "\",\"status\":\"VALID\"");
        assertThat(text).endsWith("\"revocationReason\":null,\"revocationTime\":null,\"replaces\":null}}}");
        assertThat(text).doesNotContain(ID_NUMBER).doesNotContain("\n").doesNotContain("13800138000");
        JsonNode certificate = json(body).at("/data/certificate");
        assertThat(Base64.getDecoder().decode(certificate.get("der").asText())).isEqualTo(record.certificateDer());
        assertThat(certificate.get("sha256").asText()).isEqualTo(record.sha256().toLowerCase());
        assertThat(errors(json(body))).isEmpty();
    }

    @Test
    void aTargetAuthorisedForPersonalDataGetsTheIdNumberWhole() throws Exception {
        byte[] body = bodies.build(issued(pki.record("张三", "tax")), target(true), 1, NOW);

        assertThat(json(body).at("/data/subscriber/idNumber").asText()).isEqualTo(ID_NUMBER);
    }

    @Test
    void theSameInputsGiveTheSameBytes() {
        OutboxEvent event = issued(pki.record("a", "tax"));

        assertThat(bodies.build(event, target(false), 3, NOW)).isEqualTo(bodies.build(event, target(false), 3, NOW));
    }

    @Test
    void aRevocationEventCarriesTheRevokedStatusReasonAndTime() throws Exception {
        byte[] body = bodies.build(revoked(pki.record("a", "tax")), target(false), 2, NOW);

        JsonNode node = json(body);
        assertThat(node.get("type").asText()).isEqualTo("cert.revoked");
        assertThat(node.get("id").asText()).endsWith("/revoked");
        assertThat(node.get("time").asText()).isEqualTo(NOW.minusSeconds(2).toString());
        assertThat(node.at("/data/certificate/status").asText()).isEqualTo("REVOKED");
        assertThat(node.at("/data/certificate/revocationReason").asText()).isEqualTo("keyCompromise");
        assertThat(node.at("/data/certificate/revocationTime").asText()).isEqualTo(NOW.minusSeconds(2).toString());
        assertThat(errors(node)).isEmpty();
    }

    @Test
    void aCrlEventCarriesTheCrl() throws Exception {
        OutboxEvent event = crl();
        byte[] body = bodies.build(event, target(false), 4, NOW);

        JsonNode node = json(body);
        assertThat(node.get("id").asText()).isEqualTo("sub-ca/crl/17");
        assertThat(node.get("time").asText()).isEqualTo(event.event().crl().thisUpdate().toString());
        assertThat(node.at("/data/businessType").asText()).isEqualTo("CRL");
        assertThat(node.at("/data/crl/number").asText()).isEqualTo("17");
        assertThat(node.at("/data/crl/kind").asText()).isEqualTo("FULL");
        assertThat(node.at("/data/crl/partition").isNull()).isTrue();
        assertThat(node.at("/data/crl/baseNumber").isNull()).isTrue();
        assertThat(Base64.getDecoder().decode(node.at("/data/crl/der").asText())).isEqualTo(event.event().crl().der());
        assertThat(errors(node)).isEmpty();
    }

    @Test
    void aDeltaPartitionCrlValidates() throws Exception {
        EncodedCrl crl = pki.crl(BigInteger.valueOf(18), List.of());
        OutboxEvent event = crlEvent(10, crl, "DELTA", 3, BigInteger.valueOf(17));

        JsonNode node = json(bodies.build(event, target(false), 5, NOW));

        assertThat(node.at("/data/crl/partition").asInt()).isEqualTo(3);
        assertThat(node.at("/data/crl/baseNumber").asText()).isEqualTo("17");
        assertThat(errors(node)).isEmpty();
    }

    static Stream<Arguments> brokenBodies() {
        List<Arguments> cases = new ArrayList<>();
        cases.add(Arguments.of("no id", (Consumer<ObjectNode>) n -> n.remove("id")));
        cases.add(Arguments.of("an extra top-level field", (Consumer<ObjectNode>) n -> n.put("extra", 1)));
        cases.add(Arguments.of("an unknown type", (Consumer<ObjectNode>) n -> n.put("type", "cert.deleted")));
        cases.add(Arguments.of("sequence as a string", (Consumer<ObjectNode>) n -> n.put("sequence", "12")));
        cases.add(Arguments.of("sequence 0", (Consumer<ObjectNode>) n -> n.put("sequence", 0)));
        cases.add(Arguments.of("a time that is no date", (Consumer<ObjectNode>) n -> n.put("time", "yesterday")));
        cases.add(Arguments.of("specversion 0.3", (Consumer<ObjectNode>) n -> n.put("specversion", "0.3")));
        cases.add(Arguments.of("a missing subscriber field (nulls must be present)",
                (Consumer<ObjectNode>) n -> ((ObjectNode) n.at("/data/subscriber")).remove("region")));
        cases.add(Arguments.of("an unknown certificate status",
                (Consumer<ObjectNode>) n -> ((ObjectNode) n.at("/data/certificate")).put("status", "ON_HOLD")));
        cases.add(Arguments.of("a serial that is not hex",
                (Consumer<ObjectNode>) n -> ((ObjectNode) n.at("/data/certificate")).put("serial", "0x1G")));
        cases.add(Arguments.of("VALID with a revocation reason",
                (Consumer<ObjectNode>) n -> ((ObjectNode) n.at("/data/certificate")).put("revocationReason", "superseded")));
        cases.add(Arguments.of("a der that is not base64",
                (Consumer<ObjectNode>) n -> ((ObjectNode) n.at("/data/certificate")).put("der", "not base64!")));
        cases.add(Arguments.of("a revocation id on an issued event",
                (Consumer<ObjectNode>) n -> n.put("id", n.get("id").asText().replace("/issued", "/revoked"))));
        cases.add(Arguments.of("a revoked event about a VALID certificate",
                (Consumer<ObjectNode>) n -> n.put("type", "cert.revoked").put("id", n.get("id").asText().replace("/issued", "/revoked"))));
        cases.add(Arguments.of("a CRL object in a certificate event",
                (Consumer<ObjectNode>) n -> ((ObjectNode) n.get("data")).putObject("crl")));
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenBodies")
    void theSchemaRefusesABrokenCertificateEvent(String name, Consumer<ObjectNode> breakIt) throws Exception {
        ObjectNode node = (ObjectNode) json(bodies.build(issued(pki.record("a", "tax")), target(false), 1, NOW));
        assertThat(errors(node)).isEmpty();

        breakIt.accept(node);

        assertThat(errors(node)).isNotEmpty();
    }

    @Test
    void theSchemaRefusesACrlEventWithCertificateDataOrADeltaWithoutBase() throws Exception {
        ObjectNode node = (ObjectNode) json(bodies.build(crl(), target(false), 1, NOW));
        ObjectNode withCertificate = node.deepCopy();
        ((ObjectNode) withCertificate.get("data")).putObject("certificate");
        ObjectNode deltaWithoutBase = node.deepCopy();
        ((ObjectNode) deltaWithoutBase.at("/data/crl")).put("kind", "DELTA");
        ObjectNode businessType = node.deepCopy();
        ((ObjectNode) businessType.get("data")).put("businessType", "tax");

        assertThat(errors(withCertificate)).isNotEmpty();
        assertThat(errors(deltaWithoutBase)).isNotEmpty();
        assertThat(errors(businessType)).isNotEmpty();
    }

    @Test
    void eventIdsFollowTheContract() {
        assertThat(SyncEvent.certificateId("sub-ca", "1A2B3C", SyncEventType.CERT_RENEWED)).isEqualTo("sub-ca/1A2B3C/issued");
        assertThat(SyncEvent.certificateId("sub-ca", "1A2B3C", SyncEventType.CERT_REVOKED)).isEqualTo("sub-ca/1A2B3C/revoked");
        assertThat(SyncEvent.crlId("sub-ca", BigInteger.TEN)).isEqualTo("sub-ca/crl/10");
        assertThatThrownBy(() -> SyncEvent.certificateId("sub-ca", "1A", SyncEventType.CRL_PUBLISHED))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anOrganisationIsIdentifiedByItsCreditCode() {
        SubscriberInfo organisation = SubscriberInfo.of("o-1", CertificateType.ORGANIZATION, new RegistrationData(null, null,
                null, null, null, null, "某某科技有限公司", "91350100M000100Y43", null, "李四", null, null, null, null, null,
                null), "350100");

        assertThat(organisation.name()).isEqualTo("某某科技有限公司");
        assertThat(organisation.idType()).isEqualTo(SubscriberInfo.USCC);
        assertThat(organisation.idNumber()).isEqualTo("91350100M000100Y43");
        assertThat(organisation.toString()).doesNotContain("91350100M000100Y43");
    }
}
