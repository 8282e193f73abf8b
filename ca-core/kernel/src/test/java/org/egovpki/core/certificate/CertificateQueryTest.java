package org.egovpki.core.certificate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.egovpki.core.DomainException;
import org.junit.jupiter.api.Test;

class CertificateQueryTest {

    /** Every criterion becomes an LDAP filter value: what the directory cannot match must not reach it. */
    @Test
    void aCriterionTheDirectoryCannotMatchIsABadRequestNamingTheParameter() {
        assertRefused(() -> new CertificateQuery(null, "CN=\uFFFD", null, null, 10), "subject");
        assertRefused(() -> new CertificateQuery(null, "CN=a\uE000", null, null, 10), "subject");
        assertRefused(() -> new CertificateQuery(null, null, "s\u0000", null, 10), "subscriber");
        assertRefused(() -> new CertificateQuery(null, null, null, null, 10, Set.of("tax\u202E")), "businessType");
        assertRefused(() -> new CertificateQuery(null, null, null, null, 10).within(Set.of("\uDBFF\uDFFF")),
                "businessType");
    }

    @Test
    void ordinaryCriteriaAreKept() {
        CertificateQuery q = new CertificateQuery("0a", "CN=张三,C=CN", "s-1", null, 10, Set.of("tax"));
        assertThat(q.subjectDn()).isEqualTo("CN=张三,C=CN");
    }

    private static void assertRefused(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String field) {
        assertThatThrownBy(call).isInstanceOfSatisfying(DomainException.class, e -> {
            assertThat(e.kind()).isEqualTo(DomainException.Kind.BAD_REQUEST);
            assertThat(e.field()).isEqualTo(field);
        });
    }
}
