package org.egovpki.server.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.egovpki.core.DomainException;
import org.egovpki.core.certificate.CertificateQuery;
import org.egovpki.core.certificate.CertificateRecord;
import org.egovpki.core.certificate.CertificateStatus;
import org.egovpki.core.profile.CertificateType;
import org.egovpki.core.certificate.IssuanceState;
import org.egovpki.core.profile.KeyUsageKind;
import org.egovpki.core.certificate.PublishedCertificates;
import org.egovpki.core.crypto.KeyAlgorithm;
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

    @Test
    void theBusinessTypeIsComparedInAnyCaseAsTheDirectoryComparesIt() throws Exception {
        KeyPair key = KeyAlgorithm.EC.generate(new SecureRandom());
        X500Name name = new X500Name("CN=Tax Office,O=Test,C=CN");
        X509Certificate certificate = new JcaX509CertificateConverter()
                .getCertificate(new JcaX509v3CertificateBuilder(name,
                        BigInteger.valueOf(0x1a2b), Date.from(Instant.parse("2026-01-01T00:00:00Z")),
                        Date.from(Instant.parse("2027-01-01T00:00:00Z")), name, key.getPublic())
                        .build(new JcaContentSignerBuilder("SHA256withECDSA")
                                .build(key.getPrivate())));
        String subject = "CN=Tax Office,O=Test,C=CN";
        CertificateRecord record = new CertificateRecord(
                "sm2-issuing", certificate.getSerialNumber(), "req-1", "id", subject, "device",
                CertificateType.DEVICE, KeyUsageKind.SIGNING,
                "tax", "110000", CertificateStatus.VALID,
                IssuanceState.PUBLISHED, null, certificate.getEncoded(),
                Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2027-01-01T00:00:00Z"), "ab",
                Instant.parse("2026-01-01T00:00:00Z"), 0, null);
        PublicLookup taxLookup = new PublicLookup(q -> List.of(record), (k, value, limit) ->
                new PublishedCertificates.Found(List.of(record.certificateDer()), false),
                Clock.fixed(Instant.parse("2026-06-01T00:00:00Z"), ZoneOffset.UTC));

        assertThat(taxLookup.bySubject(subject, "TAX"))
                .singleElement().satisfies(found -> assertThat(found.serialHex()).isEqualTo(record.serialHex()));
        assertThat(taxLookup.bySubject(subject, "health")).isEmpty();
    }

    private static void assertRefused(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String field,
                                      String message) {
        assertThatThrownBy(call).isInstanceOfSatisfying(DomainException.class, e -> {
            assertThat(e.kind()).isEqualTo(DomainException.Kind.BAD_REQUEST);
            assertThat(e.field()).isEqualTo(field);
        }).hasMessageContaining(message);
    }
}
