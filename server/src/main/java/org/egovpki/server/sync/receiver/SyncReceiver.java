package org.egovpki.server.sync.receiver;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.security.auth.x500.X500Principal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import org.egovpki.core.crypto.BouncyCastle;
import org.egovpki.core.sync.SyncEvent;
import org.egovpki.core.sync.SyncEventBodies;
import org.egovpki.core.sync.SyncEventType;
import org.egovpki.core.sync.SyncSignatureVerifier;
import org.egovpki.core.x509.SerialNumbers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reference receiver's checks, in the order an integrator's receiver should make them
 * (docs/sync.md, "Building a receiver in Java"): the signature over the raw bytes first (by the
 * sync-signing certificate of a CA it trusts, not revoked on that CA's current CRL), only then
 * the JSON — its schema, that the id, source and target agree, that the certificate or CRL it
 * carries was signed by that CA — then duplicates (the same id again: accepted again, counted),
 * then the event is stored durably, and only then is it acknowledged. Sequence gaps are reported,
 * not refused: the CA's delivery is in order, so a gap means an administrator skipped an event.
 *
 * <p>One message at a time (the methods are synchronized): the CA sends one message in flight
 * per target, and the order of the store is the order of acceptance.
 */
final class SyncReceiver implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SyncReceiver.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** What to answer. {@code status} 200 accepted (or a duplicate), 400 refused, 503 try again later. */
    record Outcome(int status, String message) {

        boolean accepted() {
            return status == 200;
        }
    }

    private final CaCertificates cas;
    private final SyncSignatureVerifier verifier;
    private final ReceivedEvents store;
    private final Schema schema;
    private final String pinnedTarget;
    private long duplicates;
    private long badSignatures;
    private long rejected;

    /**
     * @param target the target id this receiver is, or {@code null}: the first event accepted fixes it
     */
    SyncReceiver(CaCertificates cas, SyncSignatureVerifier verifier, ReceivedEvents store, String target) {
        this.cas = cas;
        this.verifier = verifier;
        this.store = store;
        this.pinnedTarget = target;
        this.schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
                        b -> b.schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()))
                .getSchema(new ByteArrayInputStream(SyncEventBodies.schema()));
    }

    /**
     * Checks and, if it passes, stores one message.
     *
     * @param headerTarget   the {@code Egov-Sync-Target} header, or {@code null} (SOAP)
     * @param headerSequence the {@code Egov-Sync-Sequence} header, or {@code null} (SOAP)
     */
    synchronized Outcome receive(byte[] body, byte[] signature, String headerTarget, String headerSequence) {
        // 1. The signature, over the raw bytes, before anything reads them.
        Optional<String> ca = signerCa(signature);
        if (ca.isEmpty()) {
            return badSignature("the signature names no signer certificate issued by a CA of " + cas.names());
        }
        List<X509Certificate> chain = cas.chain(ca.get());
        SyncSignatureVerifier.Result result = verifier.verify(body, signature, chain);
        if (!result.valid()) {
            return badSignature(result.reason());
        }
        X509CRL crl;
        try {
            crl = cas.crl(ca.get());
        } catch (CaCertificates.CaUnavailableException e) {
            LOG.warn("cannot check the sync signer's revocation now: {}", e.getMessage());
            return new Outcome(503, "the signer's revocation cannot be checked now: " + e.getMessage());
        }
        if (crl.isRevoked(result.signer())) {
            return badSignature("the sync-signing certificate " + SerialNumbers.toHex(result.signer().getSerialNumber())
                    + " is revoked on CRL " + HttpCaCertificates.number(crl) + " of " + ca.get());
        }

        // 2. Only now the JSON.
        JsonNode event;
        try {
            event = MAPPER.readTree(body);
        } catch (IOException e) {
            return refuse("the body is not JSON: " + e.getMessage());
        }
        List<Error> errors = schema.validate(event);
        if (!errors.isEmpty()) {
            return refuse("the event does not match the schema: " + errors.get(0));
        }
        String id = event.get("id").asText();
        String source = event.get("source").asText();
        String type = event.get("type").asText();
        long sequence = event.get("sequence").asLong();
        String target = event.get("egovtarget").asText();
        if (!source.equals(SyncEventBodies.SOURCE_PREFIX + ca.get())) {
            return refuse("event " + id + " says it is from " + source + " but is signed by the sync signer of " + ca.get());
        }
        String expectedTarget = pinnedTarget != null ? pinnedTarget : store.target().orElse(target);
        if (!target.equals(expectedTarget) || headerTarget != null && !headerTarget.equals(target)) {
            return refuse("event " + id + " is for target " + target + (headerTarget == null ? "" : " (header: "
                    + headerTarget + ")") + "; this receiver is " + expectedTarget
                    + " (a message replayed to another target is refused)");
        }

        if (headerSequence != null && !headerSequence.strip().equals(Long.toString(sequence))) {
            return refuse("event " + id + " has sequence " + sequence + " but the Egov-Sync-Sequence header says "
                    + headerSequence);
        }

        // 3. The certificate or CRL it carries, and that the id is the one the contract gives it.
        X509Certificate caCertificate = chain.get(0);
        String serial = null;
        String crlNumber = null;
        JsonNode data = event.get("data");
        try {
            if (SyncEventType.fromWireName(type).orElseThrow().isCertificateEvent()) {
                X509Certificate certificate = certificate(data.at("/certificate/der").asText());
                checkIssuedBy(certificate.getIssuerX500Principal(), caCertificate, () -> certificate.verify(
                        caCertificate.getPublicKey(), BouncyCastle.PROVIDER), "certificate");
                serial = data.at("/certificate/serial").asText();
                if (!certificate.getSerialNumber().equals(new BigInteger(serial, 16))) {
                    return refuse("event " + id + " says serial " + serial + " but carries certificate "
                            + SerialNumbers.toHex(certificate.getSerialNumber()));
                }
                String expectedId = SyncEvent.certificateId(ca.get(), serial, SyncEventType.fromWireName(type).get());
                if (!id.equals(expectedId)) {
                    return refuse("event id " + id + " should be " + expectedId);
                }
            } else {
                X509CRL carried = crl(data.at("/crl/der").asText());
                checkIssuedBy(carried.getIssuerX500Principal(), caCertificate, () -> carried.verify(
                        caCertificate.getPublicKey(), BouncyCastle.PROVIDER), "CRL");
                crlNumber = data.at("/crl/number").asText();
                if (!HttpCaCertificates.number(carried).equals(new BigInteger(crlNumber))) {
                    return refuse("event " + id + " says CRL number " + crlNumber + " but carries CRL "
                            + HttpCaCertificates.number(carried));
                }
                if (!id.equals(SyncEvent.crlId(ca.get(), new BigInteger(crlNumber)))) {
                    return refuse("event id " + id + " should be " + SyncEvent.crlId(ca.get(), new BigInteger(crlNumber)));
                }
                if (data.at("/crl/kind").asText().equals("FULL") && data.at("/crl/partition").isNull()) {
                    cas.offer(ca.get(), carried);
                }
            }
        } catch (NotIssuedByCa e) {
            return refuse("event " + id + ": " + e.getMessage());
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return refuse("event " + id + " carries an unreadable certificate or CRL: " + e.getMessage());
        }

        // 4. A duplicate is acknowledged again, never stored twice.
        if (store.find(id).isPresent()) {
            duplicates++;
            LOG.info("duplicate of {} (sequence {}) acknowledged again", id, sequence);
            return new Outcome(200, "duplicate of " + id);
        }
        long highest = store.highestSequence();
        if (sequence != highest + 1) {
            LOG.warn("event {} has sequence {} after {}: {}", id, sequence, highest,
                    sequence > highest ? "a gap (skipped by the CA's administrator?)" : "out of order");
        }

        // 5. Durably stored before the 2xx.
        store.append(new ReceivedEvents.Event(id, sequence, type, serial, crlNumber, true, target), body, signature);
        return new Outcome(200, "accepted " + id);
    }

    private Optional<String> signerCa(byte[] signature) {
        Optional<X500Principal> issuer = SyncSignatureVerifier.signerIssuer(signature);
        if (issuer.isEmpty()) {
            return Optional.empty();
        }
        return cas.names().stream().filter(name -> cas.certificate(name)
                .map(c -> c.getSubjectX500Principal().equals(issuer.get())).orElse(false)).findFirst();
    }

    private Outcome badSignature(String reason) {
        badSignatures++;
        LOG.warn("refused a message with a bad signature: {}", reason);
        return new Outcome(400, "bad signature: " + reason);
    }

    private Outcome refuse(String reason) {
        rejected++;
        LOG.warn("refused a message: {}", reason);
        return new Outcome(400, reason);
    }

    /** {@code GET /received}. */
    synchronized Map<String, Object> summary() {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("events", store.all().stream().map(e -> {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("id", e.id());
            item.put("sequence", e.sequence());
            item.put("type", e.type());
            if (e.serial() != null) {
                item.put("serial", e.serial());
            } else {
                item.put("crlNumber", e.crlNumber());
            }
            item.put("signatureValid", e.signatureValid());
            return item;
        }).toList());
        summary.put("duplicates", duplicates);
        summary.put("gaps", store.gaps().stream().map(g -> Map.of("from", g[0], "to", g[1])).toList());
        summary.put("badSignatures", badSignatures);
        summary.put("rejected", rejected);
        return summary;
    }

    @Override
    public void close() {
        store.close();
    }

    private interface Check {
        void run() throws GeneralSecurityException;
    }

    private static final class NotIssuedByCa extends Exception {
        NotIssuedByCa(String message) {
            super(message);
        }
    }

    private static void checkIssuedBy(X500Principal issuer, X509Certificate ca, Check verify, String what)
            throws NotIssuedByCa {
        if (!issuer.equals(ca.getSubjectX500Principal())) {
            throw new NotIssuedByCa("the " + what + " it carries is issued by " + issuer.getName() + ", not by "
                    + ca.getSubjectX500Principal().getName());
        }
        try {
            verify.run();
        } catch (GeneralSecurityException e) {
            throw new NotIssuedByCa("the " + what + " it carries is not signed by " + ca.getSubjectX500Principal().getName());
        }
    }

    private static X509Certificate certificate(String base64) throws GeneralSecurityException {
        return (X509Certificate) CertificateFactory.getInstance("X.509", BouncyCastle.PROVIDER)
                .generateCertificate(new ByteArrayInputStream(Base64.getDecoder().decode(base64)));
    }

    private static X509CRL crl(String base64) throws GeneralSecurityException {
        return (X509CRL) CertificateFactory.getInstance("X.509", BouncyCastle.PROVIDER)
                .generateCRL(new ByteArrayInputStream(Base64.getDecoder().decode(base64)));
    }
}
