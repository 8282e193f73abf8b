package org.egovpki.core.certificate;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.egovpki.core.operator.Operator;
import org.egovpki.core.operator.Role;
import org.egovpki.core.profile.CertificateType;
import org.egovpki.core.profile.KeyUsageKind;
import org.junit.jupiter.api.Test;

class VisibleCertificatesTest {

    private final List<CertificateQuery> asked = new ArrayList<>();
    private final List<CertificateRecord> records = List.of(record(1, "tax"), record(2, "Health"), record(3, null));
    private final VisibleCertificates visible = new VisibleCertificates(q -> {
        asked.add(q);
        return records.stream().filter(r -> q.businessTypes().isEmpty() || (r.businessType() != null
                && q.businessTypes().contains(r.businessType().toLowerCase(Locale.ROOT)))).toList();
    });

    @Test
    void anApplicationAdminFindsOnlyItsBusinessTypesAndTheSearchIsNarrowedInTheStore() {
        Operator admin = new Operator("h", "uid=h", "H", Set.of(Role.APPLICATION_ADMIN), Set.of("HEALTH"));

        assertThat(visible.search(admin, new CertificateQuery(null, null, null, null, 10)))
                .extracting(CertificateRecord::serial).containsExactly(BigInteger.TWO);
        assertThat(asked.get(0).businessTypes()).containsExactly("health");
    }

    @Test
    void otherOperatorsSeeEverything() {
        Operator ra = new Operator("r", "uid=r", "R", Set.of(Role.RA_ADMIN), Set.of("tax"));

        assertThat(visible.search(ra, new CertificateQuery(null, null, null, null, 10))).hasSize(3);
        assertThat(asked.get(0).businessTypes()).isEmpty();
    }

    @Test
    void anApplicationAdminWithoutBusinessTypesSeesNothing() {
        Operator none = new Operator("n", "uid=n", "N", Set.of(Role.APPLICATION_ADMIN), Set.of());

        assertThat(visible.search(none, new CertificateQuery(null, null, null, null, 10))).isEmpty();
        assertThat(asked).isEmpty();
    }

    private static CertificateRecord record(int serial, String businessType) {
        Instant t = Instant.parse("2026-12-01T00:00:00Z");
        return new CertificateRecord("ca", BigInteger.valueOf(serial), "r", "s", "CN=x", "p", CertificateType.PERSONAL,
                KeyUsageKind.SIGNING, businessType, null, CertificateStatus.VALID, IssuanceState.PUBLISHED, new byte[] {1},
                new byte[] {1}, t, t.plusSeconds(3600), "f", t, 0, null);
    }
}
