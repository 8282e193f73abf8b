package org.egovpki.server.sync.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.egovpki.core.certificate.CertificateRecord;
import org.egovpki.core.crypto.BouncyCastle;
import org.egovpki.core.crypto.KeyAlgorithm;
import org.egovpki.core.profile.CertificateType;
import org.egovpki.core.sync.SubscriberInfo;
import org.egovpki.core.sync.SyncBinding;
import org.egovpki.core.sync.OutboxEvent;
import org.egovpki.core.sync.SyncEventFixtures;
import org.egovpki.core.sync.SyncEvent;
import org.egovpki.core.sync.SyncEventBodies;
import org.egovpki.core.sync.SyncEventType;
import org.egovpki.core.sync.SyncTarget;
import org.egovpki.core.sync.SyncTestPki;
import org.egovpki.core.x509.EncodedCrl;
import org.egovpki.core.x509.RevokedEntry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyncReceiverTest {

    private static final Clock CLOCK = Clock.systemUTC();
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String TARGET = "henan-tax";

    private static SyncTestPki pki;
    private static SyncTestPki otherCa;

    @TempDir
    Path data;

    private FakeCas cas;
    private SyncReceiverServer server;
    private final SyncEventBodies bodies = SyncEventFixtures.bodies(new SubscriberInfo("p-1", CertificateType.PERSONAL,
            "张三", "RESIDENT_ID", "11010519491231002X", null, "410000"));
    private long caSequence;

    @BeforeAll
    static void pkis() {
        pki = SyncTestPki.create("sub-ca", KeyAlgorithm.SM2, CLOCK);
        otherCa = SyncTestPki.create("other-ca", KeyAlgorithm.SM2, CLOCK);
    }

    @BeforeEach
    void start() {
        cas = new FakeCas(pki, crl(pki, 1, List.of()));
        server = start(0);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private SyncReceiverServer start(double failRate) {
        return SyncReceiverServer.start(cas, new SyncReceiverServer.Options(0, URI.create("http://ca.test"), failRate,
                data, null), CLOCK, () -> 0.0);
    }

    /** The CA's certificates and CRL, from memory. */
    static final class FakeCas implements CaCertificates {
        private final SyncTestPki pki;
        private final Map<String, X509CRL> crls = new ConcurrentHashMap<>();

        FakeCas(SyncTestPki pki, X509CRL crl) {
            this.pki = pki;
            crls.put(pki.caName(), crl);
        }

        @Override
        public Set<String> names() {
            return Set.of(pki.caName());
        }

        @Override
        public List<X509Certificate> chain(String ca) {
            return ca.equals(pki.caName()) ? pki.chain() : List.of();
        }

        @Override
        public X509CRL crl(String ca) {
            return crls.get(ca);
        }

        @Override
        public void offer(String ca, X509CRL crl) {
            crls.merge(ca, crl, (a, b) -> HttpCaCertificates.number(b).compareTo(HttpCaCertificates.number(a)) > 0 ? b : a);
        }
    }

    static X509CRL crl(SyncTestPki pki, long number, List<RevokedEntry> entries) {
        try {
            return (X509CRL) CertificateFactory.getInstance("X.509", BouncyCastle.PROVIDER)
                    .generateCRL(new ByteArrayInputStream(pki.crl(BigInteger.valueOf(number), entries).der()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static SyncTarget target(String id) {
        return new SyncTarget(id, URI.create("http://receiver.test/sync"), SyncBinding.JSON, Set.of(), "EGOV-CA-01",
                SyncTarget.Authentication.NONE, true, SyncTarget.REALTIME, false);
    }

    private OutboxEvent issued(CertificateRecord record) {
        return SyncEventFixtures.certificate(SyncEventType.CERT_ISSUED, ++caSequence, Instant.now(), record);
    }

    private byte[] body(OutboxEvent event, String target, long sequence) {
        return bodies.build(event, target(target), sequence, Instant.now());
    }

    private HttpResponse<String> post(byte[] body, byte[] signature, String targetHeader) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/sync"))
                .header("Content-Type", "application/cloudevents+json; charset=utf-8")
                .header("Egov-Sync-Signature", Base64.getEncoder().encodeToString(signature))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (targetHeader != null) {
            request.header("Egov-Sync-Target", targetHeader);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aSequenceHeaderThatDisagreesWithTheBodyIsRefused() throws Exception {
        byte[] body = body(issued(pki.record("a", "tax")), TARGET, 1);

        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/sync"))
                .header("Egov-Sync-Signature", Base64.getEncoder().encodeToString(pki.sign(body)))
                .header("Egov-Sync-Target", TARGET).header("Egov-Sync-Sequence", "5")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("Egov-Sync-Sequence header says 5");
        assertThat(received().get("rejected").asLong()).isEqualTo(1);
    }

    private HttpResponse<String> send(byte[] body) throws Exception {
        return post(body, pki.sign(body), TARGET);
    }

    private HttpResponse<String> soap(String envelope) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/soap"))
                .header("Content-Type", "text/xml; charset=utf-8").header("SOAPAction", "\"urn:egov-pki:sync:1#deliver\"")
                .POST(HttpRequest.BodyPublishers.ofString(envelope)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String envelope(byte[] body, byte[] signature) {
        return "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body>"
                + "<sync:deliver xmlns:sync=\"urn:egov-pki:sync:1\"><sync:event>" + Base64.getEncoder().encodeToString(body)
                + "</sync:event><sync:signature>" + Base64.getEncoder().encodeToString(signature)
                + "</sync:signature></sync:deliver></soap:Body></soap:Envelope>";
    }

    private JsonNode received() throws Exception {
        return MAPPER.readTree(HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/received"))
                .build(), HttpResponse.BodyHandlers.ofString()).body());
    }

    @Test
    void aSignedEventIsAcceptedAndListed() throws Exception {
        CertificateRecord record = pki.record("张三", "tax");

        HttpResponse<String> response = send(body(issued(record), TARGET, 1));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode received = received();
        assertThat(received.get("events")).hasSize(1);
        JsonNode event = received.get("events").get(0);
        assertThat(event.get("id").asText()).isEqualTo("sub-ca/" + record.serialHex() + "/issued");
        assertThat(event.get("sequence").asLong()).isEqualTo(1);
        assertThat(event.get("type").asText()).isEqualTo("cert.issued");
        assertThat(event.get("serial").asText()).isEqualTo(record.serialHex());
        assertThat(event.get("signatureValid").asBoolean()).isTrue();
        assertThat(received.get("duplicates").asLong()).isZero();
        assertThat(received.get("gaps")).isEmpty();
        assertThat(received.get("badSignatures").asLong()).isZero();
    }

    @Test
    void aTamperedBodyIsRefusedAndCountedAsABadSignature() throws Exception {
        byte[] body = body(issued(pki.record("a", "tax")), TARGET, 1);
        byte[] signature = pki.sign(body);
        byte[] tampered = new String(body, StandardCharsets.UTF_8).replace("\"businessType\":\"tax\"",
                "\"businessType\":\"tab\"").getBytes(StandardCharsets.UTF_8);

        HttpResponse<String> response = post(tampered, signature, TARGET);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("bad signature");
        assertThat(received().get("badSignatures").asLong()).isEqualTo(1);
        assertThat(received().get("events")).isEmpty();
    }

    @Test
    void aMissingSignatureIsABadSignature() throws Exception {
        HttpResponse<String> response = post(body(issued(pki.record("a", "tax")), TARGET, 1), new byte[0], TARGET);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(received().get("badSignatures").asLong()).isEqualTo(1);
    }

    @Test
    void aDuplicateIsAcknowledgedAgainAndCountedNotStored() throws Exception {
        byte[] body = body(issued(pki.record("a", "tax")), TARGET, 1);

        assertThat(send(body).statusCode()).isEqualTo(200);
        assertThat(send(body).statusCode()).isEqualTo(200);

        JsonNode received = received();
        assertThat(received.get("events")).hasSize(1);
        assertThat(received.get("duplicates").asLong()).isEqualTo(1);
    }

    @Test
    void aGapInTheSequenceIsReported() throws Exception {
        assertThat(send(body(issued(pki.record("a", "tax")), TARGET, 1)).statusCode()).isEqualTo(200);
        assertThat(send(body(issued(pki.record("b", "tax")), TARGET, 4)).statusCode()).isEqualTo(200);

        JsonNode gaps = received().get("gaps");
        assertThat(gaps).hasSize(1);
        assertThat(gaps.get(0).get("from").asLong()).isEqualTo(2);
        assertThat(gaps.get(0).get("to").asLong()).isEqualTo(3);
    }

    @Test
    void anEventForAnotherTargetIsRefused() throws Exception {
        assertThat(send(body(issued(pki.record("a", "tax")), TARGET, 1)).statusCode()).isEqualTo(200);
        byte[] forAnother = body(issued(pki.record("b", "tax")), "beijing-social", 2);

        HttpResponse<String> replayed = post(forAnother, pki.sign(forAnother), TARGET);
        HttpResponse<String> sameTarget = send(body(issued(pki.record("c", "tax")), TARGET, 2));
        byte[] body = body(issued(pki.record("d", "tax")), TARGET, 3);
        HttpResponse<String> wrongHeader = post(body, pki.sign(body), "beijing-social");

        assertThat(replayed.statusCode()).isEqualTo(400);
        assertThat(replayed.body()).contains("replayed to another target");
        assertThat(sameTarget.statusCode()).isEqualTo(200);
        assertThat(wrongHeader.statusCode()).isEqualTo(400);
        assertThat(received().get("events")).hasSize(2);
    }

    @Test
    void aCertificateNotIssuedByTheSourceCaIsRefused() throws Exception {
        CertificateRecord foreign = otherCa.record("a", "tax");
        CertificateRecord relabelled = new CertificateRecord("sub-ca", foreign.serial(), foreign.requestId(),
                foreign.subscriberId(), foreign.subjectDn(), foreign.profile(), foreign.type(), foreign.kind(),
                foreign.businessType(), foreign.region(), foreign.status(), foreign.issuanceState(), null,
                foreign.certificateDer(), foreign.notBefore(), foreign.notAfter(), foreign.sha256(), foreign.createdAt(),
                0, null);

        HttpResponse<String> response = send(body(issued(relabelled), TARGET, 1));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("not by CN=sub-ca");
        assertThat(received().get("events")).isEmpty();
        assertThat(received().get("badSignatures").asLong()).isZero();
    }

    @Test
    void aSignerRevokedOnTheCasCrlIsRefused() throws Exception {
        cas.offer("sub-ca", crl(pki, 2, List.of(new RevokedEntry(pki.syncCertificate().getSerialNumber(),
                Instant.now().minusSeconds(60), 1, null))));

        HttpResponse<String> response = send(body(issued(pki.record("a", "tax")), TARGET, 1));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("is revoked");
        assertThat(received().get("badSignatures").asLong()).isEqualTo(1);
    }

    @Test
    void aCrlEventIsAcceptedAndBecomesTheCurrentCrl() throws Exception {
        EncodedCrl crl = pki.crl(BigInteger.valueOf(5), List.of(new RevokedEntry(pki.syncCertificate().getSerialNumber(),
                Instant.now().minusSeconds(60), 1, null)));
        OutboxEvent event = SyncEventFixtures.crl("sub-ca", ++caSequence, crl, "FULL", null, null);

        assertThat(send(body(event, TARGET, 1)).statusCode()).isEqualTo(200);

        JsonNode listed = received().get("events").get(0);
        assertThat(listed.get("crlNumber").asText()).isEqualTo("5");
        assertThat(listed.has("serial")).isFalse();
        // the CRL it carried revokes the sync signer: the next message is refused
        assertThat(send(body(issued(pki.record("a", "tax")), TARGET, 2)).statusCode()).isEqualTo(400);
    }

    @Test
    void whatWasAcceptedSurvivesARestart() throws Exception {
        byte[] first = body(issued(pki.record("a", "tax")), TARGET, 1);
        assertThat(send(first).statusCode()).isEqualTo(200);
        assertThat(send(body(issued(pki.record("b", "tax")), TARGET, 2)).statusCode()).isEqualTo(200);

        server.close();
        server = start(0);

        assertThat(received().get("events")).hasSize(2);
        assertThat(send(first).statusCode()).isEqualTo(200);
        assertThat(received().get("duplicates").asLong()).isEqualTo(1);
        assertThat(received().get("events")).hasSize(2);
        byte[] forAnother = body(issued(pki.record("c", "tax")), "beijing-social", 3);
        assertThat(post(forAnother, pki.sign(forAnother), "beijing-social").statusCode())
                .as("the target stays fixed across a restart").isEqualTo(400);
    }

    @Test
    void aTornLastLineIsDroppedAtRestart() throws Exception {
        assertThat(send(body(issued(pki.record("a", "tax")), TARGET, 1)).statusCode()).isEqualTo(200);
        server.close();
        java.nio.file.Files.writeString(data.resolve(ReceivedEvents.FILE), "{\"id\":\"sub-ca/1/iss",
                java.nio.file.StandardOpenOption.APPEND);

        server = start(0);

        assertThat(received().get("events")).hasSize(1);
        assertThat(send(body(issued(pki.record("b", "tax")), TARGET, 2)).statusCode()).isEqualTo(200);
        server.close();
        server = start(0);
        assertThat(received().get("events")).hasSize(2);
    }

    @Test
    void theSoapBindingDeliversTheSameSignedBytes() throws Exception {
        CertificateRecord record = pki.record("a", "tax");
        byte[] body = body(issued(record), TARGET, 1);

        HttpResponse<String> response = soap(envelope(body, pki.sign(body)));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).contains("<sync:accepted>true</sync:accepted>");
        assertThat(received().get("events").get(0).get("serial").asText()).isEqualTo(record.serialHex());
    }

    @Test
    void aTamperedSoapMessageGetsAFault() throws Exception {
        byte[] body = body(issued(pki.record("a", "tax")), TARGET, 1);
        byte[] signature = pki.sign(body);
        body[body.length - 2] = ' ';

        HttpResponse<String> response = soap(envelope(body, signature));

        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.body()).contains("<faultcode>soap:Client</faultcode>").contains("bad signature");
        assertThat(received().get("badSignatures").asLong()).isEqualTo(1);
    }

    @Test
    void aSoapEnvelopeWithADtdIsRefused() throws Exception {
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>"
                + "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body>&e;</soap:Body>"
                + "</soap:Envelope>";

        HttpResponse<String> response = soap(xxe);

        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.body()).contains("DTDs are refused").doesNotContain("root:");
    }

    @Test
    void theFailRateAnswers503BeforeLookingAtTheMessage() throws Exception {
        server.close();
        server = SyncReceiverServer.start(cas, new SyncReceiverServer.Options(0, URI.create("http://ca.test"), 0.3,
                data, null), CLOCK, () -> 0.1);

        HttpResponse<String> response = send(body(issued(pki.record("a", "tax")), TARGET, 1));

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).hasValue("0");
        assertThat(received().get("events")).isEmpty();
    }
}
