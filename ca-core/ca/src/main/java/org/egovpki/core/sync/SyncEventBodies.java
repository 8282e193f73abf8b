package org.egovpki.core.sync;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.util.function.Function;
import org.egovpki.core.enroll.SubscriberStore;
import org.egovpki.core.privacy.PersonalData;
import org.egovpki.core.profile.CertificateType;

/**
 * Builds the exact bytes of a sync message: CloudEvents 1.0 structured JSON, UTF-8, compact, the
 * fields in the order of docs/sync.md ("The message") with every field present ({@code null}
 * when it does not apply), valid under {@code sync-event.schema.json} next to this class.
 *
 * <p>The bytes are built once per target when the event is enqueued and then signed; they are
 * never rebuilt on a retry, so what a receiver verifies is always what was signed. A target not
 * authorised for personal data ({@link SyncTarget#personalData()}) gets the ID number masked with
 * {@link PersonalData#mask}, the same rule as everywhere else in the product.
 *
 * <p>The outbox holds no personal data: the subscriber's basic information is looked up here, by
 * the certificate's subscriber id, when the message is built.
 *
 * <p>Thread-safe if the look-up is.
 */
public final class SyncEventBodies implements SyncBodies {

    /** The CloudEvents {@code source} prefix; the CA's name follows. */
    public static final String SOURCE_PREFIX = "urn:egov-pki:ca:";
    /** The {@code businessType} of every CRL event. */
    public static final String CRL_BUSINESS_TYPE = "CRL";
    /** The {@code datacontenttype} of every message. */
    public static final String DATA_CONTENT_TYPE = "application/json";

    /**
     * Bodies whose subscriber information comes from the subscribers' registration data; a
     * subscriber without registration data (never the case for a certificate the CA issued) is
     * sent with its id, type and region only.
     */
    public static SyncEventBodies over(SubscriberStore store) {
        Objects.requireNonNull(store, "store");
        return new SyncEventBodies(c -> {
            CertificateType type = CertificateType.valueOf(c.certificateType());
            return store.registrationOf(c.subscriberId())
                    .map(r -> SubscriberInfo.of(c.subscriberId(), type, r.registration(), c.region()))
                    .orElseGet(() -> new SubscriberInfo(c.subscriberId(), type, null, null, null, null, c.region()));
        });
    }

    /** The JSON Schema (2020-12) of every body, a resource next to this class. */
    public static final String SCHEMA_RESOURCE = "sync-event.schema.json";

    private static final JsonFactory JSON = new JsonFactory();
    private static final Base64.Encoder BASE64 = Base64.getEncoder();

    private final Function<SyncEvent.Certificate, SubscriberInfo> subscribers;

    /**
     * @param subscribers the basic information of a certificate's subscriber (from its registration
     *                    data: {@link SubscriberInfo#of}); never {@code null} for an existing subscriber
     */
    public SyncEventBodies(Function<SyncEvent.Certificate, SubscriberInfo> subscribers) {
        this.subscribers = Objects.requireNonNull(subscribers, "subscribers");
    }

    /**
     * The message body of {@code event} for {@code target}.
     *
     * @param sequence the target's sequence number of this message (from 1)
     * @param syncTime when the message is built for the target
     */
    @Override
    public byte[] build(OutboxEvent outboxEvent, SyncTarget target, long sequence, Instant syncTime) {
        Objects.requireNonNull(outboxEvent, "outboxEvent");
        SyncEvent event = outboxEvent.event();
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(syncTime, "syncTime");
        if (sequence < 1) {
            throw new IllegalArgumentException("target sequences start at 1, not " + sequence);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(event.crl() == null ? 2048 : 1024 + event.crl().der().length * 4 / 3);
        try (JsonGenerator json = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            json.writeStartObject();
            json.writeStringField("specversion", "1.0");
            json.writeStringField("id", event.id());
            json.writeStringField("source", SOURCE_PREFIX + event.ca());
            json.writeStringField("type", event.type().wireName());
            json.writeStringField("time", event.time().toString());
            json.writeStringField("datacontenttype", DATA_CONTENT_TYPE);
            json.writeNumberField("sequence", sequence);
            json.writeNumberField("casequence", outboxEvent.caSequence());
            json.writeStringField("egovtarget", target.id());
            json.writeObjectFieldStart("data");
            if (event.type().isCertificateEvent()) {
                certificateData(json, event.certificate(), subscribers.apply(event.certificate()), target, syncTime);
            } else {
                crlData(json, event.crl(), target, syncTime);
            }
            json.writeEndObject();
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the JSON of sync event " + event.id() + ": " + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    /** The JSON Schema of the bodies, {@link #SCHEMA_RESOURCE}, as stored. */
    public static byte[] schema() {
        try (java.io.InputStream in = SyncEventBodies.class.getResourceAsStream(SCHEMA_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(SCHEMA_RESOURCE + " is missing from the class path; the build is broken");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + SCHEMA_RESOURCE + ": " + e.getMessage(), e);
        }
    }

    private static void certificateData(JsonGenerator json, SyncEvent.Certificate certificate,
                                        SubscriberInfo subscriber, SyncTarget target, Instant syncTime)
            throws IOException {
        json.writeStringField("businessType", certificate.businessType());
        json.writeStringField("caIdentifier", target.caIdentifier());
        json.writeStringField("syncTime", syncTime.toString());
        json.writeObjectFieldStart("subscriber");
        json.writeStringField("id", subscriber.id());
        json.writeStringField("type", subscriber.type().name());
        json.writeStringField("name", subscriber.name());
        json.writeStringField("idType", subscriber.idType());
        json.writeStringField("idNumber",
                target.personalData() ? subscriber.idNumber() : PersonalData.mask(subscriber.idNumber()));
        json.writeStringField("organisation", subscriber.organisation());
        json.writeStringField("region", subscriber.region() != null ? subscriber.region() : certificate.region());
        json.writeEndObject();
        json.writeObjectFieldStart("certificate");
        json.writeStringField("serial", certificate.serialHex());
        json.writeStringField("status", certificate.status());
        json.writeStringField("kind", certificate.kind());
        json.writeStringField("profile", certificate.profile());
        json.writeStringField("subject", certificate.subjectDn());
        json.writeStringField("notBefore", certificate.notBefore().toString());
        json.writeStringField("notAfter", certificate.notAfter().toString());
        json.writeStringField("sha256", certificate.sha256());
        json.writeStringField("der", BASE64.encodeToString(certificate.der()));
        json.writeStringField("revocationReason", certificate.revocationReason());
        json.writeStringField("revocationTime",
                certificate.revocationTime() == null ? null : certificate.revocationTime().toString());
        json.writeStringField("replaces", certificate.replaces());
        json.writeEndObject();
    }

    private static void crlData(JsonGenerator json, SyncEvent.Crl crl, SyncTarget target, Instant syncTime)
            throws IOException {
        json.writeStringField("businessType", CRL_BUSINESS_TYPE);
        json.writeStringField("caIdentifier", target.caIdentifier());
        json.writeStringField("syncTime", syncTime.toString());
        json.writeObjectFieldStart("crl");
        json.writeStringField("number", crl.number().toString());
        json.writeStringField("kind", crl.kind());
        if (crl.partition() == null) {
            json.writeNullField("partition");
        } else {
            json.writeNumberField("partition", crl.partition());
        }
        json.writeStringField("baseNumber", decimal(crl.baseNumber()));
        json.writeStringField("thisUpdate", crl.thisUpdate().toString());
        json.writeStringField("nextUpdate", crl.nextUpdate().toString());
        json.writeStringField("der", BASE64.encodeToString(crl.der()));
        json.writeEndObject();
    }

    private static String decimal(BigInteger number) {
        return number == null ? null : number.toString();
    }
}
