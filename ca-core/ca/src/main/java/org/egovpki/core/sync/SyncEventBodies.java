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
import org.egovpki.core.certificate.CertificateRecord;
import org.egovpki.core.certificate.Revocation;
import org.egovpki.core.privacy.PersonalData;
import org.egovpki.core.x509.Fingerprints;

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
 * <p>Stateless and thread-safe.
 */
public final class SyncEventBodies {

    /** The CloudEvents {@code source} prefix; the CA's name follows. */
    public static final String SOURCE_PREFIX = "urn:egov-pki:ca:";
    /** The {@code businessType} of every CRL event. */
    public static final String CRL_BUSINESS_TYPE = "CRL";
    /** The {@code datacontenttype} of every message. */
    public static final String DATA_CONTENT_TYPE = "application/json";

    /** The JSON Schema (2020-12) of every body, a resource next to this class. */
    public static final String SCHEMA_RESOURCE = "sync-event.schema.json";

    private static final JsonFactory JSON = new JsonFactory();
    private static final Base64.Encoder BASE64 = Base64.getEncoder();

    /**
     * The message body of {@code event} for {@code target}.
     *
     * @param sequence the target's sequence number of this message (from 1)
     * @param syncTime when the message is built for the target
     */
    public byte[] build(SyncEvent event, SyncTarget target, long sequence, Instant syncTime) {
        Objects.requireNonNull(event, "event");
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
            json.writeNumberField("casequence", event.caSequence());
            json.writeStringField("egovtarget", target.id());
            json.writeObjectFieldStart("data");
            if (event.type().isCertificateEvent()) {
                certificateData(json, event, target, syncTime);
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

    private static void certificateData(JsonGenerator json, SyncEvent event, SyncTarget target, Instant syncTime)
            throws IOException {
        CertificateRecord record = event.certificate();
        SubscriberInfo subscriber = event.subscriber();
        json.writeStringField("businessType", record.businessType());
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
        json.writeStringField("region", subscriber.region() != null ? subscriber.region() : record.region());
        json.writeEndObject();
        byte[] der = record.certificateDer();
        Revocation revocation = record.revocation();
        json.writeObjectFieldStart("certificate");
        json.writeStringField("serial", record.serialHex());
        json.writeStringField("status", record.status().name());
        json.writeStringField("kind", record.kind().name());
        json.writeStringField("profile", record.profile());
        json.writeStringField("subject", record.subjectDn());
        json.writeStringField("notBefore", record.notBefore().toString());
        json.writeStringField("notAfter", record.notAfter().toString());
        json.writeStringField("sha256", Fingerprints.sha256Hex(der));
        json.writeStringField("der", BASE64.encodeToString(der));
        json.writeStringField("revocationReason", revocation == null ? null : revocation.reason().rfc5280Name());
        json.writeStringField("revocationTime", revocation == null ? null : revocation.time().toString());
        json.writeStringField("replaces", event.replaces());
        json.writeEndObject();
    }

    private static void crlData(JsonGenerator json, SyncCrl crl, SyncTarget target, Instant syncTime)
            throws IOException {
        json.writeStringField("businessType", CRL_BUSINESS_TYPE);
        json.writeStringField("caIdentifier", target.caIdentifier());
        json.writeStringField("syncTime", syncTime.toString());
        json.writeObjectFieldStart("crl");
        json.writeStringField("number", crl.number().toString());
        json.writeStringField("kind", crl.kind().name());
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
