package org.egovpki.core.certificate;

import java.util.List;
import java.util.Objects;
import org.egovpki.core.operator.ApplicationScope;
import org.egovpki.core.operator.Operator;

/**
 * The certificate records as an operator may see them: everything for most operators, only the
 * business types of an application admin's scope for an {@code APPLICATION_ADMIN}
 * ({@link ApplicationScope}). A record out of scope is simply not found, so a lookup of another
 * business type's serial answers exactly as a serial that was never issued.
 */
public final class VisibleCertificates {

    private final CertificateLookup certificates;

    public VisibleCertificates(CertificateLookup certificates) {
        this.certificates = Objects.requireNonNull(certificates, "certificates");
    }

    /** The records matching {@code query} that {@code operator} may see. */
    public List<CertificateRecord> search(Operator operator, CertificateQuery query) {
        ApplicationScope scope = ApplicationScope.of(operator);
        if (!scope.restricted()) {
            return certificates.search(query);
        }
        if (scope.businessTypes().isEmpty()) {
            return List.of();
        }
        // Narrowed in the search itself, so the limit counts only visible records; checked again here.
        return certificates.search(query.within(scope.businessTypes())).stream()
                .filter(r -> scope.sees(r.businessType())).toList();
    }
}
