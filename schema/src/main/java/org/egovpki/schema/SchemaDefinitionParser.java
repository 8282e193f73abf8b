package org.egovpki.schema;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A small reader for the RFC 4512 attribute type and object class description forms: a
 * parenthesised list starting with a numeric OID, followed by keywords that are flags
 * ({@code SINGLE-VALUE}, {@code STRUCTURAL}, ...) or take one value or a parenthesised list of
 * values ({@code 'qdstring'} lists or {@code $}-separated OID lists).
 *
 * <p>It reads what the egov-pki schema needs and what servers return from {@code cn=schema};
 * it is not a validator (the tests cross-check every definition with the UnboundID parser).
 */
final class SchemaDefinitionParser {

    /** Keywords that take no value. */
    private static final Set<String> FLAGS = Set.of("OBSOLETE", "SINGLE-VALUE", "COLLECTIVE",
            "NO-USER-MODIFICATION", "ABSTRACT", "STRUCTURAL", "AUXILIARY");

    /** Keywords only an object class description has. */
    private static final Set<String> CLASS_KEYWORDS = Set.of("ABSTRACT", "STRUCTURAL", "AUXILIARY", "MUST", "MAY");

    private enum Type { OPEN, CLOSE, DOLLAR, WORD, QUOTED }

    /** A token; {@code raw} is its text as written (quotes and escapes kept), {@code value} the decoded value. */
    private record Token(Type type, String raw, String value) { }

    private SchemaDefinitionParser() {
    }

    /**
     * Parses one definition; the kind is an object class if it has any of ABSTRACT, STRUCTURAL,
     * AUXILIARY, MUST or MAY, else an attribute type.
     *
     * @throws IllegalArgumentException if the text is not a well-formed description
     */
    static SchemaElement parse(String text) {
        List<Token> tokens = tokenize(text);
        if (tokens.size() < 3 || tokens.get(0).type() != Type.OPEN) {
            throw new IllegalArgumentException("a schema definition starts with '(' and a numeric OID: " + text);
        }
        if (tokens.get(tokens.size() - 1).type() != Type.CLOSE) {
            throw new IllegalArgumentException("a schema definition ends with ')': " + text);
        }
        Token oidToken = tokens.get(1);
        if (oidToken.type() != Type.WORD || !isNumericOid(oidToken.value())) {
            throw new IllegalArgumentException("expected a numeric OID after '(' but found '"
                    + oidToken.raw() + "': " + text);
        }
        Map<String, List<String>> fields = new LinkedHashMap<>();
        int i = 2;
        int end = tokens.size() - 1;
        while (i < end) {
            Token keywordToken = tokens.get(i++);
            if (keywordToken.type() != Type.WORD) {
                throw new IllegalArgumentException("expected a keyword but found '" + keywordToken.raw() + "': " + text);
            }
            String keyword = keywordToken.value().toUpperCase(Locale.ROOT);
            if (fields.containsKey(keyword)) {
                throw new IllegalArgumentException("keyword " + keyword + " appears twice: " + text);
            }
            List<String> values = new ArrayList<>();
            if (!FLAGS.contains(keyword)) {
                if (i >= end) {
                    throw new IllegalArgumentException("keyword " + keyword + " has no value: " + text);
                }
                Token next = tokens.get(i++);
                if (next.type() == Type.OPEN) {
                    while (i < end && tokens.get(i).type() != Type.CLOSE) {
                        Token item = tokens.get(i++);
                        if (item.type() == Type.WORD || item.type() == Type.QUOTED) {
                            values.add(item.value());
                        } else if (item.type() != Type.DOLLAR) {
                            throw new IllegalArgumentException("unexpected '" + item.raw() + "' in the list of "
                                    + keyword + ": " + text);
                        }
                    }
                    if (i >= end) {
                        throw new IllegalArgumentException("unclosed list after " + keyword + ": " + text);
                    }
                    i++; // the list's ')'
                    if (values.isEmpty()) {
                        throw new IllegalArgumentException("empty list after " + keyword + ": " + text);
                    }
                } else if (next.type() == Type.WORD || next.type() == Type.QUOTED) {
                    values.add(next.value());
                } else {
                    throw new IllegalArgumentException("keyword " + keyword + " has no value: " + text);
                }
            }
            fields.put(keyword, values);
        }
        boolean objectClass = fields.keySet().stream().anyMatch(CLASS_KEYWORDS::contains);
        List<String> names = fields.getOrDefault("NAME", List.of());
        if (names.isEmpty()) {
            throw new IllegalArgumentException("definition " + oidToken.value() + " has no NAME: " + text);
        }
        StringBuilder definition = new StringBuilder();
        for (Token token : tokens) {
            if (definition.length() > 0) {
                definition.append(' ');
            }
            definition.append(token.raw());
        }
        return new SchemaElement(objectClass ? SchemaElement.Kind.OBJECT_CLASS : SchemaElement.Kind.ATTRIBUTE_TYPE,
                oidToken.value(), names, fields, definition.toString());
    }

    /** The numeric OID a definition starts with, without parsing the rest. */
    static String oidOf(String definition) {
        String text = definition.strip();
        if (!text.startsWith("(")) {
            throw new IllegalArgumentException("a schema definition starts with '(': " + definition);
        }
        text = text.substring(1).stripLeading();
        int endOfOid = 0;
        while (endOfOid < text.length() && !Character.isWhitespace(text.charAt(endOfOid))
                && text.charAt(endOfOid) != ')') {
            endOfOid++;
        }
        String oid = text.substring(0, endOfOid);
        if (!isNumericOid(oid)) {
            throw new IllegalArgumentException("expected a numeric OID after '(' but found '" + oid + "': " + definition);
        }
        return oid;
    }

    static boolean isNumericOid(String candidate) {
        String[] arcs = candidate.split("\\.", -1);
        if (arcs.length < 2) {
            return false;
        }
        for (String arc : arcs) {
            if (arc.isEmpty() || (arc.length() > 1 && arc.charAt(0) == '0')) {
                return false;
            }
            for (int k = 0; k < arc.length(); k++) {
                if (arc.charAt(k) < '0' || arc.charAt(k) > '9') {
                    return false;
                }
            }
        }
        return true;
    }

    private static List<Token> tokenize(String text) {
        List<Token> tokens = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '(') {
                tokens.add(new Token(Type.OPEN, "(", "("));
                i++;
            } else if (c == ')') {
                tokens.add(new Token(Type.CLOSE, ")", ")"));
                i++;
            } else if (c == '$') {
                tokens.add(new Token(Type.DOLLAR, "$", "$"));
                i++;
            } else if (c == '\'') {
                int close = text.indexOf('\'', i + 1);
                if (close < 0) {
                    throw new IllegalArgumentException("unterminated quoted string at position " + i + ": " + text);
                }
                String raw = text.substring(i, close + 1);
                tokens.add(new Token(Type.QUOTED, raw, unescape(raw.substring(1, raw.length() - 1), text)));
                i = close + 1;
            } else {
                int start = i;
                while (i < text.length() && !Character.isWhitespace(text.charAt(i))
                        && "()$'".indexOf(text.charAt(i)) < 0) {
                    i++;
                }
                String word = text.substring(start, i);
                tokens.add(new Token(Type.WORD, word, word));
            }
        }
        return tokens;
    }

    /** Decodes the {@code \27} and {@code \5C} escapes of an RFC 4512 qdstring (any {@code \HH} in fact). */
    private static String unescape(String quoted, String context) {
        if (quoted.indexOf('\\') < 0) {
            return quoted;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        byte[] utf8 = quoted.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < utf8.length; i++) {
            if (utf8[i] == '\\') {
                if (i + 2 >= utf8.length) {
                    throw new IllegalArgumentException("incomplete escape in '" + quoted + "': " + context);
                }
                int high = Character.digit(utf8[i + 1], 16);
                int low = Character.digit(utf8[i + 2], 16);
                if (high < 0 || low < 0) {
                    throw new IllegalArgumentException("bad escape in '" + quoted + "' (use \\27 or \\5C): " + context);
                }
                bytes.write(high * 16 + low);
                i += 2;
            } else {
                bytes.write(utf8[i]);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
