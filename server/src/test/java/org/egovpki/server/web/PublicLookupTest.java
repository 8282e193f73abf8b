package org.egovpki.server.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.egovpki.core.DomainException;
import org.egovpki.core.certificate.CertificateQuery;
import org.egovpki.core.certificate.PublishedCertificates;
import org.junit.jupiter.api.Test;

class PublicLookupTest {

    private final List<CertificateQuery> asked = new ArrayList<>();
    private final PublishedCertificates nothingPublished = (key, value, limit) -> {
        throw new AssertionError("not asked in these tests");
    };
    private final PublicLookup lookup = new PublicLookup(q -> {
        asked.add(q);
        return List.of();
    }, nothingPublished, Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));

    @Test
    void aSubjectTheDirectoryCannotMatchIsABadRequestNamingSubjectAndTheDirectoryIsNotAsked() {
        assertRefused(() -> lookup.bySubject("CN=\uFFFD", "x"), "subject", "U+FFFD");
        assertRefused(() -> lookup.bySubject("CN=a\uE000,C=CN", "x"), "subject", "U+E000");
        assertThat(asked).isEmpty();
    }

    @Test
    void aHexValueIsRefusedInOurWords() {
        assertRefused(() -> lookup.bySubject("CN=#041234", "x"), "subject", "#hex");
        assertThatThrownBy(() -> lookup.bySubject("CN=#041234", "x")).message().doesNotContain("recode");
        assertThat(asked).isEmpty();
    }

    private static void assertRefused(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String field,
                                      String message) {
        assertThatThrownBy(call).isInstanceOfSatisfying(DomainException.class, e -> {
            assertThat(e.kind()).isEqualTo(DomainException.Kind.BAD_REQUEST);
            assertThat(e.field()).isEqualTo(field);
        }).hasMessageContaining(message);
    }
}
