package org.egovpki.core;

import java.util.Objects;

/**
 * The one exception the domain throws. Its {@link Kind} is a closed set so every boundary can map
 * it once: the directory module maps LDAP result codes <em>into</em> kinds, the HTTP layer maps
 * kinds to statuses, the CLI to exit codes. The message says what was wrong and what to do; the
 * optional field names the input that was refused.
 */
public final class DomainException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** What went wrong, independent of transport. */
    public enum Kind {
        /** The caller's input is invalid; repeating it will fail again. */
        BAD_REQUEST,
        /** The named thing does not exist. */
        NOT_FOUND,
        /** The request contradicts the current state (already exists, already revoked, race lost). */
        CONFLICT,
        /** The caller may not do this. */
        FORBIDDEN,
        /** Too many failed attempts from this caller or on this object; wait and retry. */
        RATE_LIMITED,
        /** A dependency (directory, key store) is down; retrying later may work. */
        UNAVAILABLE,
        /** A bug or broken invariant. */
        INTERNAL
    }

    private final Kind kind;
    private final String field;

    public DomainException(Kind kind, String message) {
        this(kind, message, null, null);
    }

    public DomainException(Kind kind, String message, String field) {
        this(kind, message, field, null);
    }

    public DomainException(Kind kind, String message, String field, Throwable cause) {
        super(Objects.requireNonNull(message, "message"), cause);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.field = field;
    }

    public static DomainException badRequest(String field, String message) {
        return new DomainException(Kind.BAD_REQUEST, message, field);
    }

    public static DomainException notFound(String message) {
        return new DomainException(Kind.NOT_FOUND, message);
    }

    public static DomainException conflict(String message) {
        return new DomainException(Kind.CONFLICT, message);
    }

    public static DomainException unavailable(String message, Throwable cause) {
        return new DomainException(Kind.UNAVAILABLE, message, null, cause);
    }

    public static DomainException internal(String message, Throwable cause) {
        return new DomainException(Kind.INTERNAL, message, null, cause);
    }

    public Kind kind() {
        return kind;
    }

    /** The input field that was refused, or {@code null} when the error is not about one field. */
    public String field() {
        return field;
    }
}
