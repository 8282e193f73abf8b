package org.egovpki.server.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.egovpki.core.DomainException;

/**
 * The API's JSON input, strictly typed: a body is one JSON object (nothing after it) with no key given twice, an
 * unknown field is refused by name, a string field never takes a number as its text, and every
 * refusal is a {@code BAD_REQUEST} naming the field and what is allowed — never quoting a private
 * value. Every resource reads its body through these methods, so the rules are the same everywhere.
 */
final class JsonCodec {

    private final ObjectMapper json;

    JsonCodec(ObjectMapper json) {
        this.json = json;
    }

    /** The body as a JSON object; an empty body is an empty object. */
    JsonNode readObject(byte[] body) {
        if (body.length == 0) {
            return json.createObjectNode();
        }
        // A key given twice is refused: which value wins would otherwise depend on the parser.
        ObjectReader reader = json.reader().with(StreamReadFeature.STRICT_DUPLICATE_DETECTION);
        try (JsonParser parser = reader.createParser(body)) {
            JsonNode node = reader.readTree(parser);
            if (node == null || !node.isObject()) {
                throw DomainException.badRequest(null, "the request body must be a JSON object");
            }
            // Anything but whitespace after the object is refused, not ignored: "{...}{...}" would
            // otherwise be read as its first object, and a client's mistake would pass unseen.
            if (!atEnd(parser)) {
                throw DomainException.badRequest(null, "the request body has trailing content after the JSON object;"
                        + " send exactly one object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw DomainException.badRequest(null, "the request body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw DomainException.badRequest(null, "the request body could not be read: " + e.getMessage());
        }
    }

    private static boolean atEnd(JsonParser parser) {
        try {
            return parser.nextToken() == null;
        } catch (IOException e) {
            return false; // not even a token, such as "garbage": still content after the object
        }
    }

    /** Refuses the first field of {@code node} not in {@code allowed}, naming it as {@code prefix + name}. */
    static void rejectUnknown(JsonNode node, Set<String> allowed, String prefix) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw DomainException.badRequest(prefix + name, "unknown field '" + prefix + name + "'; allowed: "
                        + allowed.stream().sorted().toList());
            }
        }
    }

    static String text(JsonNode node, String field) {
        return text(node, field, "");
    }

    /**
     * A string field, {@code null} when absent, JSON null or blank. Any other JSON type (number,
     * boolean, object, array) is refused naming the field as {@code prefix + field}: a number is
     * never taken as its text.
     */
    static String text(JsonNode node, String field, String prefix) {
        JsonNode value = node.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw DomainException.badRequest(prefix + field, prefix + field + " must be a string, not "
                    + jsonType(value));
        }
        String text = value.asText().strip();
        return text.isEmpty() ? null : text;
    }

    /** A boolean field, {@code false} when absent or JSON null. */
    static boolean bool(JsonNode node, String field) {
        JsonNode value = node.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return false;
        }
        if (!value.isBoolean()) {
            throw DomainException.badRequest(field, field + " must be true or false, not " + jsonType(value));
        }
        return value.booleanValue();
    }

    /** A list of strings, empty when absent or JSON null; refused naming the field as {@code prefix + field}. */
    static List<String> strings(JsonNode node, String field, String prefix) {
        JsonNode value = node.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return List.of();
        }
        if (!value.isArray()) {
            throw DomainException.badRequest(prefix + field, field + " must be a list of strings");
        }
        List<String> items = new ArrayList<>();
        for (JsonNode item : value) {
            if (!item.isTextual()) {
                throw DomainException.badRequest(prefix + field, field + " must be a list of strings");
            }
            items.add(item.asText().strip());
        }
        return items;
    }

    /** The JSON type of a value, for messages; never the value itself. */
    static String jsonType(JsonNode value) {
        return switch (value.getNodeType()) {
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case OBJECT -> "an object";
            case ARRAY -> "an array";
            default -> value.getNodeType().name().toLowerCase(Locale.ROOT);
        };
    }

    /** PEM text as is; otherwise base64 of DER, refused naming {@code field}. */
    static byte[] pemOrBase64(String value, String field) {
        if (value.contains("-----BEGIN")) {
            return value.getBytes(StandardCharsets.US_ASCII);
        }
        try {
            return Base64.getMimeDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            throw DomainException.badRequest(field, field + " must be PEM or base64-encoded DER");
        }
    }

    /** A serial in the one hex form records use ({@code null} stays null); refuses anything that is not hex. */
    static String serialHex(String s) {
        if (s == null) {
            return null;
        }
        if (!s.matches("[0-9a-fA-F]{1,40}")) {
            throw DomainException.badRequest("serial", "serial must be 1-40 hexadecimal digits, was '"
                    + (s.length() > 40 ? s.substring(0, 40) + "..." : s) + "'");
        }
        return new BigInteger(s, 16).toString(16);
    }
}
