package org.egovpki.core.enroll.validation;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.egovpki.core.DomainException;

/** Asserts the shape every validation refusal has: BAD_REQUEST, the field, a message fragment. */
final class Refusals {

    private Refusals() {
    }

    static void assertRefused(ThrowingCallable call, String field, String messageFragment) {
        assertThatThrownBy(call)
                .isInstanceOfSatisfying(DomainException.class, e -> {
                    org.assertj.core.api.Assertions.assertThat(e.kind()).isEqualTo(DomainException.Kind.BAD_REQUEST);
                    org.assertj.core.api.Assertions.assertThat(e.field()).isEqualTo(field);
                })
                .hasMessageContaining(messageFragment);
    }
}
