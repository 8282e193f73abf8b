package org.egovpki.core;

import java.util.Objects;
import java.util.UUID;

/**
 * The one exception the domain throws. Its {@link Kind} is a closed set so every boundary can map
 * it once: the directory module maps LDAP result codes <em>into</em> kinds, the HTTP layer maps
 * kinds to statuses, the CLI to exit codes. The message says what was wrong and what to do; the
 * optional field names the input that was refused.
 *
 * <p>The message of a server fault ({@link Kind#INTERNAL}, {@link Kind#UNAVAILABLE}) is for the
 * server log only: it may quote what a dependency said (an LDAP diagnostic can hold a whole entry
 * dump). Clients and the audit trail get {@link #publicMessage()} instead, which for a server fault
 * names only the kind and an {@link #incident()} id that the log line carries too.
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
    private volatile String incident;

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

    /** True for {@link Kind#INTERNAL} and {@link Kind#UNAVAILABLE}: the server's fault, not the caller's. */
    public boolean isServerFault() {
        return kind == Kind.INTERNAL || kind == Kind.UNAVAILABLE;
    }

    /** A short random id tying a server fault's answer, audit record and log line together; made once. */
    public String incident() {
        String id = incident;
        if (id == null) {
            synchronized (this) {
                if (incident == null) {
                    incident = newIncident();
                }
                id = incident;
            }
        }
        return id;
    }

    /**
     * What a client or the audit trail may be told: the message for the caller's own errors; for
     * a server fault only a fixed text with the {@link #incident()} id, never the message.
     */
    public String publicMessage() {
        if (!isServerFault()) {
            return getMessage();
        }
        return (kind == Kind.UNAVAILABLE ? "the service is temporarily unavailable; retry later"
                : "internal error") + " (incident " + incident() + "; the server log has the details)";
    }

    /**
     * A data-free description of any failure for audit details: {@link #publicMessage()} for a
     * domain exception, only the exception's type for anything else (its message may hold data).
     */
    public static String describe(Throwable failure) {
        if (failure instanceof DomainException e) {
            return e.publicMessage();
        }
        return "unexpected " + (failure == null ? "failure" : failure.getClass().getSimpleName())
                + "; the server log has the details";
    }

    /** A new incident id: 12 hexadecimal digits of a random UUID. */
    public static String newIncident() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }
}
