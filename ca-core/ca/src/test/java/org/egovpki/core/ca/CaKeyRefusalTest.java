package org.egovpki.core.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.pkcs.PKCS10CertificationRequestBuilder;
import org.egovpki.core.DomainException;
import org.egovpki.core.certificate.CompromisedKey;
import org.egovpki.core.certificate.RevocationReason;
import org.egovpki.core.enroll.EnrollmentService;
import org.egovpki.core.enroll.InMemoryStores;
import org.egovpki.core.enroll.Submission;
import org.egovpki.core.enroll.validation.CertifiableKeys;
import org.egovpki.core.enroll.validation.RegistrationData;
import org.egovpki.core.operator.Operator;
import org.egovpki.core.operator.Role;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A CA's own key is never certified in an end-entity certificate, and an issuing CA revoked for CA
 * compromise leaves its key recorded as compromised, so it stays refused even once the CA is no
 * longer configured.
 */
class CaKeyRefusalTest {

    private static final Operator CA_ADMIN = new Operator("ca1", "uid=ca1,ou=operators,o=egov-pki,c=CN", "ca1",
            EnumSet.of(Role.CA_ADMIN));
    private static final Operator SECOND_CA_ADMIN = new Operator("ca2", "uid=ca2,ou=operators,o=egov-pki,c=CN", "ca2",
            EnumSet.of(Role.CA_ADMIN));

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sm2-issuing", "sm2-root"})
    void anApplicationOverACaKeyIsRefusedAndStoresNothing(String caName) throws Exception {
        EnrollmentFixture f = new EnrollmentFixture(EnrollmentFixture.createCas());
        CertificateAuthority ca = f.cas.find(caName).orElseThrow();
        // Only the CA's signer can make this request (proof of possession): the case of a leaked CA key.
        byte[] csr = new PKCS10CertificationRequestBuilder(new X500Name("CN=Zhang San,O=Test Bureau,C=CN"), key(ca))
                .build(ca.signer().contentSigner()).getEncoded();
        EnrollmentService enrollment = f.service();

        Throwable refused = catchThrowable(() -> enrollment.submit(EnrollmentFixture.CLERK, new Submission(csr,
                "personal", null, person(), "tax", "410000", false, "a challenge phrase".toCharArray(), true)));

        assertThat(refused).isInstanceOf(DomainException.class).hasMessageContaining("CA " + caName + "'s own key");
        assertThat(((DomainException) refused).kind()).isEqualTo(DomainException.Kind.BAD_REQUEST);
        assertThat(((DomainException) refused).field()).isEqualTo("csr");
        assertThat(f.stores.requests).isEmpty();
    }

    @Test
    void anIssuingCaRevokedForCaCompromiseLeavesItsKeyRefusedOnceTheCaIsGone() throws Exception {
        CaRegistry cas = EnrollmentFixture.createCas();
        CertificateAuthority issuing = cas.find("sm2-issuing").orElseThrow();
        InMemoryStores stores = new InMemoryStores();
        RecordingAuditLog audit = new RecordingAuditLog();
        CaRevocations revocations = new CaRevocations(cas, repository(cas), stores, audit,
                java.time.Clock.fixed(EnrollmentFixture.NOW, java.time.ZoneOffset.UTC), event -> { },
                new SecondCaAdmin(audit, java.time.Clock.fixed(EnrollmentFixture.NOW, java.time.ZoneOffset.UTC)));

        revocations.revoke(CA_ADMIN, "sm2-issuing", RevocationReason.CA_COMPROMISE);
        assertThat(stores.compromisedKeys).as("nothing recorded before the second CA admin confirms").isEmpty();
        revocations.revoke(SECOND_CA_ADMIN, "sm2-issuing", RevocationReason.CA_COMPROMISE);

        String keyId = CompromisedKey.keyId(key(issuing));
        assertThat(stores.compromisedKeys).containsOnlyKeys(keyId);
        CompromisedKey recorded = stores.compromisedKeys.get(keyId);
        assertThat(recorded.issuer()).isEqualTo("sm2-root");
        assertThat(recorded.serialHex()).isEqualTo(issuing.certificate().getSerialNumber().toString(16));
        assertThat(recorded.cause()).isEqualTo(RevocationReason.CA_COMPROMISE);
        // A server whose configuration no longer has the CA: no CA key to match, the record still refuses it.
        assertThat(new CertifiableKeys(stores, Map.of()).refusal(key(issuing))).hasValueSatisfying(
                refusal -> assertThat(refusal).contains("CA compromise", recorded.serialHex(), "generate a new key pair"));
    }

    @Test
    void aRevocationForAnotherReasonRecordsNoKey() {
        CaRegistry cas = EnrollmentFixture.createCas();
        InMemoryStores stores = new InMemoryStores();
        RecordingAuditLog audit = new RecordingAuditLog();
        java.time.Clock clock = java.time.Clock.fixed(EnrollmentFixture.NOW, java.time.ZoneOffset.UTC);
        CaRevocations revocations = new CaRevocations(cas, repository(cas), stores, audit, clock,
                event -> { }, new SecondCaAdmin(audit, clock));

        revocations.revoke(CA_ADMIN, "sm2-issuing", RevocationReason.AGREEMENT_ENDED);
        assertThat(revocations.revoke(SECOND_CA_ADMIN, "sm2-issuing", RevocationReason.AGREEMENT_ENDED).done()).isTrue();

        assertThat(stores.compromisedKeys).isEmpty();
    }

    private static InMemoryCaRepository repository(CaRegistry cas) {
        InMemoryCaRepository repository = new InMemoryCaRepository();
        cas.all().forEach(ca -> repository.save(ca.toRecord()));
        return repository;
    }

    private static SubjectPublicKeyInfo key(CertificateAuthority ca) throws Exception {
        return Certificate.getInstance(ca.certificate().getEncoded()).getSubjectPublicKeyInfo();
    }

    private static RegistrationData person() {
        return new RegistrationData("Zhang San", RegistrationData.RESIDENT_ID, "11010519491231002X", null, null, null,
                null, null, null, null, null, null, null, List.of(), List.of(), null);
    }
}
