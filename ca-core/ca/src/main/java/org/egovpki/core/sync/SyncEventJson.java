package org.egovpki.core.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Base64;

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
            n.put("der", Base64.getEncoder().encodeToString(c.der()));
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

    public static SyncEvent read(byte[] json) {
        try {
            JsonNode root = JSON.readTree(json);
            SyncEventType type = SyncEventType.fromWireName(root.path("type").asText())
                    .orElseThrow(() -> new IllegalArgumentException("unknown sync event type " + root.path("type")));
            SyncEvent.Certificate certificate = null;
            SyncEvent.Crl crl = null;
            JsonNode c = root.get("certificate");
            if (c != null && !c.isNull()) {
                certificate = new SyncEvent.Certificate(str(c, "serial"), str(c, "subscriberId"), str(c, "type"),
                        str(c, "kind"), str(c, "profile"), str(c, "subject"), str(c, "businessType"),
                        str(c, "region"), str(c, "status"), time(c, "notBefore"), time(c, "notAfter"),
                        str(c, "sha256"), Base64.getDecoder().decode(str(c, "der")), str(c, "revocationReason"),
                        time(c, "revocationTime"), str(c, "replaces"));
            }
            JsonNode r = root.get("crl");
            if (r != null && !r.isNull()) {
                crl = new SyncEvent.Crl(new BigInteger(str(r, "number")), str(r, "kind"),
                        r.path("partition").isNull() || r.path("partition").isMissingNode() ? null
                                : r.get("partition").asInt(),
                        str(r, "baseNumber") == null ? null : new BigInteger(str(r, "baseNumber")),
                        time(r, "thisUpdate"), time(r, "nextUpdate"), Base64.getDecoder().decode(str(r, "der")));
            }
            return new SyncEvent(str(root, "id"), type, str(root, "ca"), time(root, "time"), certificate, crl);
        } catch (IOException e) {
            throw new IllegalArgumentException("stored sync event is not JSON: " + e.getMessage(), e);
        }
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    private static String str(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static Instant time(JsonNode node, String field) {
        String v = str(node, field);
        return v == null ? null : Instant.parse(v);
    }
}
