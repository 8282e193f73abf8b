package org.egovpki.core.sync;

import com.fasterxml.jackson.core.Base64Variants;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigInteger;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * How an outbox entry stores its {@link SyncEvent} ({@code egovSyncEventData}): JSON, UTF-8, every
 * field by name, so an administrator reading the outbox sees what was captured. Not the message
 * body (that is built per target).
 */
public final class SyncEventJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private SyncEventJson() {
    }

    public static byte[] write(SyncEvent e) {
        ObjectNode root = JSON.createObjectNode();
        root.put("id", e.id());
        root.put("type", e.type().wireName());
        root.put("ca", e.ca());
        root.put("time", e.time().toString());
        if (e.certificate() != null) {
            SyncEvent.Certificate c = e.certificate();
            ObjectNode n = root.putObject("certificate");
            n.put("serial", c.serialHex());
            n.put("subscriberId", c.subscriberId());
            n.put("type", c.certificateType());
            n.put("kind", c.kind());
            n.put("profile", c.profile());
            n.put("subject", c.subjectDn());
            n.put("businessType", c.businessType());
            n.put("region", c.region());
            n.put("status", c.status());
            n.put("notBefore", text(c.notBefore()));
            n.put("notAfter", text(c.notAfter()));
            n.put("sha256", c.sha256());
            n.put("der", c.der()); // standard base64, as the CRL's below
            n.put("revocationReason", c.revocationReason());
            n.put("revocationTime", text(c.revocationTime()));
            n.put("replaces", c.replaces());
        }
        if (e.crl() != null) {
            SyncEvent.Crl c = e.crl();
            ObjectNode n = root.putObject("crl");
            n.put("number", c.number().toString());
            n.put("kind", c.kind());
            if (c.partition() == null) {
                n.putNull("partition");
            } else {
                n.put("partition", c.partition().intValue());
            }
            n.put("baseNumber", c.baseNumber() == null ? null : c.baseNumber().toString());
            n.put("thisUpdate", text(c.thisUpdate()));
            n.put("nextUpdate", text(c.nextUpdate()));
            // A binary node, written as standard base64 (the same text as Base64.getEncoder()) straight
            // into the JSON bytes: a full CRL of a million entries is ~49 MB, and a base64 String of it
            // plus that String's copy would cost another 130 MB of heap on the way to the outbox.
            n.put("der", c.der());
        }
        try {
            return JSON.writeValueAsBytes(root);
        } catch (IOException ex) {
            throw new IllegalStateException("sync event " + e.id() + " does not serialise", ex);
        }
    }

    /**
     * Reads an outbox entry's event. Streamed, not as a tree: a full CRL of a million entries is
     * 65 MB of base64 here, which a tree would hold as a String (over Jackson's 20 MB default limit,
     * so such an event could not be read back at all, and twice its size again in the parser's
     * character buffers); the {@code der} fields are decoded from the input bytes directly.
     */
    public static SyncEvent read(byte[] json) {
        try (JsonParser parser = JSON.createParser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("stored sync event is not a JSON object");
            }
            Map<String, Object> root = object(parser);
            String typeName = str(root, "type");
            SyncEventType type = SyncEventType.fromWireName(String.valueOf(typeName))
                    .orElseThrow(() -> new IllegalArgumentException("unknown sync event type " + typeName));
            SyncEvent.Certificate certificate = null;
            SyncEvent.Crl crl = null;
            if (root.get("certificate") instanceof Map<?, ?> c) {
                certificate = new SyncEvent.Certificate(str(c, "serial"), str(c, "subscriberId"), str(c, "type"),
                        str(c, "kind"), str(c, "profile"), str(c, "subject"), str(c, "businessType"),
                        str(c, "region"), str(c, "status"), time(c, "notBefore"), time(c, "notAfter"),
                        str(c, "sha256"), (byte[]) c.get("der"), str(c, "revocationReason"),
                        time(c, "revocationTime"), str(c, "replaces"));
            }
            if (root.get("crl") instanceof Map<?, ?> r) {
                String partition = str(r, "partition");
                crl = new SyncEvent.Crl(new BigInteger(str(r, "number")), str(r, "kind"),
                        partition == null ? null : Integer.valueOf(partition),
                        str(r, "baseNumber") == null ? null : new BigInteger(str(r, "baseNumber")),
                        time(r, "thisUpdate"), time(r, "nextUpdate"), (byte[]) r.get("der"));
            }
            return new SyncEvent(str(root, "id"), type, str(root, "ca"), time(root, "time"), certificate, crl);
        } catch (IOException | ClassCastException e) {
            throw new IllegalArgumentException("stored sync event is not JSON: " + e.getMessage(), e);
        }
    }

    /** The fields of the object the parser is at: text, null, nested objects, and {@code der} as bytes. */
    private static Map<String, Object> object(JsonParser parser) throws IOException {
        Map<String, Object> fields = new HashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            if (value == JsonToken.START_OBJECT) {
                fields.put(name, object(parser));
            } else if (value == JsonToken.VALUE_NULL) {
                fields.put(name, null);
            } else if (value.isScalarValue()) {
                fields.put(name, "der".equals(name) ? parser.getBinaryValue(Base64Variants.MIME_NO_LINEFEEDS)
                        : parser.getText());
            } else {
                parser.skipChildren();
            }
        }
        return fields;
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    private static String str(Map<?, ?> fields, String field) {
        Object v = fields.get(field);
        return v == null ? null : v.toString();
    }

    private static Instant time(Map<?, ?> fields, String field) {
        String v = str(fields, field);
        return v == null ? null : Instant.parse(v);
    }
}
