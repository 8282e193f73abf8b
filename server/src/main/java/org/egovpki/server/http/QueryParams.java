package org.egovpki.server.http;

import java.util.List;
import java.util.Locale;
import org.egovpki.core.DomainException;

/** Typed query parameters: a value outside what is allowed is a {@code BAD_REQUEST} that says what is. */
final class QueryParams {

    private QueryParams() {
    }

    /** An enum constant by name, any case; {@code fallback} when absent. */
    static <E extends Enum<E>> E enumParam(ApiCall call, String name, Class<E> type, E fallback) {
        String value = call.query(name);
        if (value == null) {
            return fallback;
        }
        try {
            return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw DomainException.badRequest(name, "unknown " + name + " '" + value + "'; allowed: "
                    + List.of(type.getEnumConstants()));
        }
    }

    /** A whole number from {@code min} to {@code max}; {@code fallback} when absent. */
    static int intParam(ApiCall call, String name, int fallback, int min, int max) {
        String value = call.query(name);
        if (value == null) {
            return fallback;
        }
        try {
            int parsed = Integer.parseInt(value);
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException ignored) {
            // fall through to the error
        }
        throw DomainException.badRequest(name, name + " must be a whole number from " + min + " to " + max);
    }
}
