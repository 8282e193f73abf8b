package org.egovpki.server.web;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Cross-site request forgery protection for every form that changes something (a double-submit
 * cookie bound to a server key). A browser gets a random value in the {@value #COOKIE} cookie
 * ({@code HttpOnly}, {@code SameSite=Strict}); each form carries {@code HMAC-SHA256(key, form name
 * + cookie value)} in a hidden field. A POST is accepted only when the field matches the cookie it
 * came with: another site can neither read the cookie nor compute the token without the key, and a
 * token is good only for the form it was made for. The key is random per server start, so a form
 * opened before a restart is refused and simply reloaded. Pages that other features add (a login
 * page, statistics) reuse this class with their own form names.
 */
public final class Csrf {

    /** The cookie holding the browser's random value. */
    public static final String COOKIE = "egov_csrf";
    /** The hidden form field holding the token. */
    public static final String FIELD = "csrf";
    private static final Pattern VALUE = Pattern.compile("[A-Za-z0-9_-]{43}");

    private final SecretKeySpec key;
    private final SecureRandom random;

    public Csrf(SecureRandom random) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        this.key = new SecretKeySpec(bytes, "HmacSHA256");
        this.random = random;
    }

    /** A new random cookie value (32 bytes, base64url). */
    String newCookieValue() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Whether {@code value} has the shape of a cookie value this class makes. */
    static boolean wellFormed(String value) {
        return value != null && VALUE.matcher(value).matches();
    }

    /** The token form {@code form} carries for the browser holding {@code cookieValue}. */
    String token(String cookieValue, String form) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    mac.doFinal((form + "\n" + cookieValue).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /** Whether a POST of {@code form} with {@code token} and the cookie {@code cookieValue} is genuine. */
    boolean valid(String cookieValue, String form, String token) {
        if (!wellFormed(cookieValue) || token == null) {
            return false;
        }
        return MessageDigest.isEqual(token(cookieValue, form).getBytes(StandardCharsets.US_ASCII),
                token.getBytes(StandardCharsets.US_ASCII));
    }
}
