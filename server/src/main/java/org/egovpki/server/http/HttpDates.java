package org.egovpki.server.http;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;

/**
 * HTTP dates (RFC 9110 §5.6.7): every date the server writes in a header ({@code Last-Modified},
 * {@code Expires}, …) is an IMF-fixdate — {@code Tue, 01 Dec 2026 08:00:00 GMT}, a two-digit day,
 * English names, always GMT. Java's {@code RFC_1123_DATE_TIME} writes a one-digit day
 * ({@code Tue, 1 Dec 2026}), which RFC 9110 does not allow a sender to generate.
 */
public final class HttpDates {

    private static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM uuuu HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    private HttpDates() {
    }

    /** The IMF-fixdate of {@code instant}, to the second (an HTTP date has no fractions). */
    public static String format(Instant instant) {
        return IMF_FIXDATE.format(instant);
    }

    /**
     * A date a client sent ({@code If-Modified-Since}): IMF-fixdate, or the RFC 1123 form with a
     * one-digit day that older clients echo back; empty if it is neither (RFC 9110 §13.1.3: ignore it).
     */
    public static Optional<Instant> parse(String value) {
        try {
            return Optional.of(Instant.from(DateTimeFormatter.RFC_1123_DATE_TIME.parse(value.trim())));
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }
}
