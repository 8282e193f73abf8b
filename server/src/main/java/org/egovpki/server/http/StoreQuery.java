package org.egovpki.server.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.egovpki.core.DomainException;
import org.egovpki.core.ValueCharacters;
import org.egovpki.core.x509.StoreKeys;

/**
 * One RFC 4387 query: {@code /certs?sHash=...}, {@code /crls?iHash=...} or the same under
 * {@code /search.cgi}, parsed and normalised to the form {@link StoreKeys} stores. Every refusal is
 * a bad request naming what was wrong and what is accepted.
 *
 * <p>Hash values are RFC 4387 §2.1 keys: the base64 of a 20-byte SHA-1, 28 characters with its
 * {@code =}, whose {@code +}, {@code /} and {@code =} a client escapes as {@code %2B}, {@code %2F}
 * and {@code %3D}. Accepted leniently, since they are unambiguous: without the padding, in the
 * RFC 4648 §5 URL-safe alphabet ({@code -}, {@code _}), and with an unescaped {@code +} (which a
 * query string decodes to a space). Email and name values are compared case-insensitively.
 *
 * @param target what the path asks for
 * @param key    the attribute
 * @param value  the normalised value: the padded standard base64 of the hash, or lower-case text
 */
record StoreQuery(Target target, StoreKeys.Key key, String value) {

    /** What a path serves: {@code /certs}, {@code /crls}, or both ({@code /search.cgi}). */
    enum Target {
        CERTIFICATES, CRLS, BOTH;

        boolean certificates() {
            return this != CRLS;
        }

        boolean crls() {
            return this != CERTIFICATES;
        }
    }

    static final String USAGE = "/certs?sHash=|iHash=|sKIDHash=|email=|name=, /crls?iHash=|sKIDHash=|name=, "
            + "or the same under /search.cgi; hashes are the base64 SHA-1 of the DER name or key identifier (RFC 4387)";
    private static final Set<String> UNANSWERED = Set.of("certhash", "uri", "iandshash");
    private static final Pattern BASE64_HASH = Pattern.compile("[A-Za-z0-9+/]{27}");
    private static final int MAX_TEXT = 255;

    /** The target a path names, if it is one of the store's. */
    static Optional<Target> target(String path) {
        return switch (path) {
            case "/certs", "/certs/" -> Optional.of(Target.CERTIFICATES);
            case "/crls", "/crls/" -> Optional.of(Target.CRLS);
            case "/search.cgi" -> Optional.of(Target.BOTH);
            default -> Optional.empty();
        };
    }

    /**
     * @param rawQuery the query string as sent, still percent-encoded; {@code null} when there is none
     * @throws DomainException (bad request) for anything but exactly one well-formed attribute the target takes
     */
    static StoreQuery parse(Target target, String rawQuery) {
        if (rawQuery == null || rawQuery.isBlank()) {
            throw bad("the query names no attribute; use " + USAGE);
        }
        String pair = null;
        for (String part : rawQuery.split("&")) {
            if (part.isEmpty()) {
                continue;
            }
            if (pair != null) {
                throw bad("one attribute per query, got several; use " + USAGE);
            }
            pair = part;
        }
        if (pair == null) {
            throw bad("the query names no attribute; use " + USAGE);
        }
        int equals = pair.indexOf('=');
        if (equals < 0) {
            throw bad("the attribute has no value; use attribute=value: " + USAGE);
        }
        String name = decode(pair.substring(0, equals));
        StoreKeys.Key key = key(name);
        if (target == Target.CRLS && (key == StoreKeys.Key.SUBJECT_HASH || key == StoreKeys.Key.EMAIL)) {
            throw bad(name + " selects certificates, not CRLs; CRLs are found by iHash, sKIDHash or name");
        }
        String raw = decode(pair.substring(equals + 1));
        return new StoreQuery(target, key, key.isHash() ? hash(name, raw) : text(key, raw));
    }

    private static StoreKeys.Key key(String name) {
        for (StoreKeys.Key key : StoreKeys.Key.values()) {
            if (key.attribute().equalsIgnoreCase(name)) {
                return key;
            }
        }
        String lower = name.toLowerCase(Locale.ROOT);
        if (UNANSWERED.contains(lower)) {
            throw bad(name + " is an RFC 4387 attribute this server does not answer; use " + USAGE);
        }
        throw bad("unknown attribute '" + shorten(name) + "'; use " + USAGE);
    }

    /** The canonical padded standard base64 of a 20-byte hash written in any of the accepted forms. */
    static String hash(String attribute, String raw) {
        String value = raw.replace(' ', '+').replace('-', '+').replace('_', '/');
        if (value.endsWith("=")) {
            value = value.substring(0, value.length() - 1);
        }
        if (!BASE64_HASH.matcher(value).matches()) {
            throw bad(attribute + " must be the base64 of a 20-byte SHA-1 (28 characters ending in '=', with '+', "
                    + "'/' and '=' escaped as %2B, %2F, %3D), got " + raw.length() + " characters");
        }
        byte[] hash = Base64.getDecoder().decode(value + "=");
        String canonical = Base64.getEncoder().encodeToString(hash);
        if (!canonical.equals(value + "=")) {
            throw bad(attribute + " is not a canonical base64 encoding of a 20-byte SHA-1");
        }
        return canonical;
    }

    private static String text(StoreKeys.Key key, String raw) {
        // An email address never holds a space: it is a '+' the client did not escape.
        String value = key == StoreKeys.Key.EMAIL ? raw.replace(' ', '+') : raw;
        value = StoreKeys.text(value);
        if (value.isEmpty() || value.length() > MAX_TEXT) {
            throw bad(key.attribute() + " must be 1 to " + MAX_TEXT + " characters");
        }
        String problem = ValueCharacters.problem(key.attribute(), value);
        if (problem != null) {
            throw DomainException.badRequest(key.attribute(), problem);
        }
        if (key == StoreKeys.Key.EMAIL && (value.indexOf('@') < 1 || value.indexOf('@') == value.length() - 1)) {
            throw bad("email must be an address such as name@example.gov.cn");
        }
        return value;
    }

    private static String decode(String raw) {
        try {
            return URLDecoder.decode(raw, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw bad("the query is not valid percent-encoding: " + e.getMessage());
        }
    }

    private static String shorten(String text) {
        return text.length() <= 60 ? text : text.substring(0, 60) + "...";
    }

    private static DomainException bad(String message) {
        return new DomainException(DomainException.Kind.BAD_REQUEST, message);
    }
}
