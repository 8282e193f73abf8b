package org.egovpki.server;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * A server IT (class or method) whose subject is the embedded directory itself: the slapd run
 * ({@code -Degovpki.it.directory=openldap}, failsafe execution {@code it-openldap}) leaves it out by its tag.
 * {@link #value} says why; the README's test section lists them.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Tag(EmbeddedOnly.TAG)
@interface EmbeddedOnly {

    String TAG = "embedded-only";

    /** Why the test needs the embedded directory. */
    String value();
}
