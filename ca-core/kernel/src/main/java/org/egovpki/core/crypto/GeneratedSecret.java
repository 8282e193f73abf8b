package org.egovpki.core.crypto;

import java.util.Objects;

/**
 * A secret and whether it was generated just now, so the caller can log the one-time
 * "demo setup: a password file was generated" warning.
 *
 * <p>Immutable: the array is copied in and out; the caller should wipe its copies when done.
 * {@link #toString()} never shows the secret, and {@code equals} compares identity only, so a
 * secret cannot leak through a log line or a collection lookup.
 *
 * @param value     the secret characters (a copy on every call)
 * @param generated true if the secret did not exist and was generated and written just now
 */
public record GeneratedSecret(char[] value, boolean generated) {

    public GeneratedSecret {
        Objects.requireNonNull(value, "value");
        value = value.clone();
    }

    @Override
    public char[] value() {
        return value.clone();
    }

    @Override
    public boolean equals(Object other) {
        return this == other;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }

    @Override
    public String toString() {
        return "GeneratedSecret[value=(" + value.length + " characters, hidden), generated=" + generated + "]";
    }
}
