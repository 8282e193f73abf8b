package org.egovpki.core.km.centre;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.jcajce.provider.asymmetric.ec.BCECPublicKey;
import org.egovpki.core.DomainException;
import org.egovpki.core.audit.AuditEventType;
import org.egovpki.core.audit.AuditOutcome;
import org.egovpki.core.ca.CaRegistry;
import org.egovpki.core.ca.EnrollmentFixture;
import org.egovpki.core.ca.IssuanceObserver;
import org.egovpki.core.ca.IssuanceStep;
import org.egovpki.core.ca.KeyDeliveries;
import org.egovpki.core.certificate.CertificateRecord;
import org.egovpki.core.certificate.IssuanceState;
import org.egovpki.core.crypto.KeyAlgorithm;
import org.egovpki.core.enroll.EnrollmentRequest;
import org.egovpki.core.enroll.EnrollmentService;
import org.egovpki.core.enroll.RequestState;
import org.egovpki.core.km.CsrResponse;
import org.egovpki.core.km.EnvelopedKeys;
import org.egovpki.core.km.SkfEnvelopedKeyBlob;
import org.egovpki.core.km.Sm2Cipher;
import org.egovpki.core.km.Sm2EnvelopedKey;
import org.egovpki.core.operator.Operator;
import org.egovpki.core.operator.Role;
import org.egovpki.core.profile.KeyUsageKind;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A dual profile: one approval issues the signing certificate for the token's key and the
 * encryption certificate for a KM-generated key, and the subscriber receives that key in three
 * forms, each of which only the token's signing key opens.
 */
class DualIssuanceTest {

    @TempDir
    static Path kmDir;
    private static KmKeyStore kmKeys;

    private static CaRegistry cas;

    @BeforeAll
    static void createCas() {
        cas = EnrollmentFixture.createCas();
        kmKeys = KmFixture.keys(kmDir);
    }

    @Test
    void oneApprovalIssuesBothCertificatesWithTheSameSubjectAndTheirOwnKeyUsage() {
        DualIssuance d = new DualIssuance(cas, kmKeys);

        assertThat(d.request.state()).isEqualTo(RequestState.ISSUED);
        assertThat(d.request.resultSerials()).containsExactly(d.signing.serialHex(), d.encryption.serialHex());
        X509Certificate sign = d.signingCertificate();
        X509Certificate enc = d.encryptionCertificate();
        assertThat(enc.getSubjectX500Principal()).isEqualTo(sign.getSubjectX500Principal());
        assertThat(sign.getPublicKey().getEncoded()).isEqualTo(d.token.getPublic().getEncoded());
        assertThat(point(enc.getPublicKey())).isNotEqualTo(point(sign.getPublicKey()));
        // digitalSignature, nonRepudiation, keyEncipherment, dataEncipherment, keyAgreement
        assertThat(Arrays.copyOf(sign.getKeyUsage(), 5)).containsExactly(true, true, false, false, false);
        assertThat(Arrays.copyOf(enc.getKeyUsage(), 5)).containsExactly(false, false, true, true, true);
        assertThat(enc.getCriticalExtensionOIDs()).contains("2.5.29.15");
        assertThat(enc.getNotAfter()).isEqualTo(sign.getNotAfter());
        assertThat(d.signing.issuanceState()).isEqualTo(IssuanceState.PUBLISHED);
        assertThat(d.encryption.issuanceState()).isEqualTo(IssuanceState.PUBLISHED);
        assertThat(d.f.stores.published.get(d.request.subscriberId())).as("both on the subscriber entry")
                .containsExactlyInAnyOrder(d.signing.certificateDer(), d.encryption.certificateDer());
    }

    @Test
    void theEnvelopedKeyOpensWithTheSigningKeyAndMatchesTheEncryptionCertificate() {
        DualIssuance d = new DualIssuance(cas, kmKeys);
        KeyDeliveries.Delivery delivery = new KeyDeliveries(d.f.stores, d.f.audit, d.f.clock).forRequest(d.request.id(),
                EnrollmentFixture.CLERK);
        PublicKey certified = d.encryptionCertificate().getPublicKey();

        KeyPair opened = EnvelopedKeys.open(Sm2EnvelopedKey.parse(delivery.envelopedKey()), d.token.getPrivate());
        assertThat(point(opened.getPublic())).isEqualTo(point(certified));
        // The opened private key decrypts what anyone encrypts to the certificate.
        byte[] secret = "contract 2026-117".getBytes();
        Sm2Cipher cipher = Sm2Cipher.encrypt(SubjectPublicKeyInfo.getInstance(certified.getEncoded()), secret,
                new SecureRandom());
        assertThat(cipher.decrypt(opened.getPrivate())).isEqualTo(secret);

        CsrResponse response = CsrResponse.parse(delivery.csrResponse());
        assertThat(response.signCertificates()).containsExactly(d.signing.certificateDer());
        assertThat(response.encryptCertificates()).containsExactly(d.encryption.certificateDer());
        assertThat(point(EnvelopedKeys.open(response.encryptedPrivateKey(), d.token.getPrivate()).getPublic()))
                .isEqualTo(point(certified));

        Sm2EnvelopedKey fromBlob = SkfEnvelopedKeyBlob.decode(delivery.skfBlob());
        assertThat(point(EnvelopedKeys.open(fromBlob, d.token.getPrivate()).getPublic())).isEqualTo(point(certified));

        KeyPair stranger = KeyAlgorithm.SM2.generate(new SecureRandom());
        assertThatThrownBy(() -> EnvelopedKeys.open(Sm2EnvelopedKey.parse(delivery.envelopedKey()),
                stranger.getPrivate())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void onlyTheRaRolesThatLoadTheTokenGetTheKeyDeliveryEveryFetchAndRefusalAudited() {
        DualIssuance d = new DualIssuance(cas, kmKeys);
        KeyDeliveries deliveries = new KeyDeliveries(d.f.stores, d.f.audit, d.f.clock);
        Operator custodian = DualIssuance.operator("custodian1", Role.KEY_CUSTODIAN);
        Operator auditor = DualIssuance.operator("auditor1", Role.AUDITOR);
        Operator both = new Operator("kmclerk", "uid=kmclerk,ou=operators,o=egov-pki,c=CN", "kmclerk",
                EnumSet.of(Role.KM_BUSINESS_ADMIN, Role.KM_OPERATOR, Role.REVIEWER, Role.AUDITOR));

        for (Operator other : List.of(EnrollmentFixture.REVIEWER, DualIssuance.KM_ADMIN, DualIssuance.KM_OPERATOR,
                custodian, auditor, both)) {
            d.f.audit.events.clear();
            assertThatThrownBy(() -> deliveries.forRequest(d.request.id(), other)).as(other.uid())
                    .isInstanceOfSatisfying(DomainException.class, e -> {
                        assertThat(e.kind()).isEqualTo(DomainException.Kind.FORBIDDEN);
                        assertThat(e.getMessage()).contains(other.uid(), "ENTRY_CLERK, RA_ADMIN or CA_ADMIN");
                    });
            assertThat(d.f.audit.events).singleElement().satisfies(e -> {
                assertThat(e.type()).isEqualTo(AuditEventType.KM_KEY_DELIVERED);
                assertThat(e.outcome()).isEqualTo(AuditOutcome.FAILURE);
                assertThat(e.actor()).isEqualTo(other.dn());
                assertThat(e.subjects()).containsExactly(d.request.id());
            });
        }
        assertThatThrownBy(() -> deliveries.forRequest("r-no-such-request", custodian)).as("refused before the lookup")
                .isInstanceOfSatisfying(DomainException.class,
                        e -> assertThat(e.kind()).isEqualTo(DomainException.Kind.FORBIDDEN));

        for (Operator ra : List.of(EnrollmentFixture.CLERK, EnrollmentFixture.RA_ADMIN)) {
            d.f.audit.events.clear();
            assertThat(deliveries.forRequest(d.request.id(), ra).envelopedKey()).isNotEmpty();
            assertThat(d.f.audit.events).singleElement().satisfies(e -> {
                assertThat(e.type()).isEqualTo(AuditEventType.KM_KEY_DELIVERED);
                assertThat(e.outcome()).isEqualTo(AuditOutcome.SUCCESS);
                assertThat(e.actor()).isEqualTo(ra.dn());
                assertThat(e.subjects()).containsExactly(d.request.id(), d.encryption.id());
                assertThat(e.details()).containsEntry("encryptSerial", d.encryption.serialHex());
            });
        }
    }

    @Test
    void theKmEscrowsTheKeyWrappedForTenYearsAfterTheCertificateExpires() {
        DualIssuance d = new DualIssuance(cas, kmKeys);

        assertThat(d.km.stores.keys).hasSize(1);
        EscrowedKey key = d.km.stores.keys.values().iterator().next();
        assertThat(key.serial()).isEqualTo(d.encryption.serial());
        assertThat(key.caName()).isEqualTo("sm2-issuing");
        assertThat(key.state()).isEqualTo(KeyState.ACTIVE);
        assertThat(key.wrapAlgorithm()).isEqualTo("SM4-GCM");
        assertThat(key.retainUntil()).isEqualTo(d.encryption.notAfter().atZone(ZoneOffset.UTC).plusYears(10).toInstant());
        byte[] scalar = org.bouncycastle.util.BigIntegers.asUnsignedByteArray(32,
                ((java.security.interfaces.ECPrivateKey) EnvelopedKeys.open(Sm2EnvelopedKey.parse(
                        d.f.stores.envelopedKey(d.encryption.issuer(), d.encryption.serial()).orElseThrow()),
                        d.token.getPrivate()).getPrivate()).getS());
        assertThat(indexOf(key.wrappedPrivateKey(), scalar)).as("the private key is never stored in clear").isEqualTo(-1);
        assertThat(d.f.audit.events).anyMatch(e -> e.type() == AuditEventType.KM_KEY_ESCROWED
                && e.details().get("serial").equals(d.encryption.serialHex()));
    }

    @Test
    void aCrashBeforeTheEncryptionHalfIsFinishedByRecoveryWithOneKeyAtTheKm() {
        DualIssuance template = new DualIssuance(cas, kmKeys);
        EnrollmentFixture f = template.f;
        EnrollmentService crashing = f.service(f.issuer((step, record) -> {
            if (step == IssuanceStep.PUBLISHED && record.kind() == KeyUsageKind.SIGNING) {
                throw new IllegalStateException("killed");
            }
        }));
        EnrollmentRequest submitted = crashing.submit(EnrollmentFixture.CLERK,
                DualIssuance.dual("Li Si", "110105194912310038", f.sm2()));
        assertThatThrownBy(() -> crashing.approve(EnrollmentFixture.REVIEWER, submitted.id()))
                .hasMessageContaining("killed");
        assertThat(f.stores.findByRequest(submitted.id())).extracting(CertificateRecord::kind)
                .containsExactly(KeyUsageKind.SIGNING);

        assertThat(f.issuer(IssuanceObserver.NONE).recover()).isEqualTo(1);

        List<CertificateRecord> records = f.stores.findByRequest(submitted.id());
        assertThat(records).extracting(CertificateRecord::kind)
                .containsExactlyInAnyOrder(KeyUsageKind.SIGNING, KeyUsageKind.ENCRYPTION);
        assertThat(f.stores.find(submitted.id()).orElseThrow().state()).isEqualTo(RequestState.ISSUED);
        assertThat(template.km.stores.keys).as("the first issuance's key and this one's").hasSize(2);
    }

    /**
     * A crash after the encryption certificate reached the subscriber entry and before its record
     * stored it: recovery records that certificate (same serial, same key) instead of signing a
     * second one.
     */
    @Test
    void aCrashBetweenPublishingAndRecordingTheEncryptionHalfRecordsThePublishedCertificate() {
        DualIssuance template = new DualIssuance(cas, kmKeys);
        EnrollmentFixture f = template.f;
        EnrollmentService crashing = f.service(f.issuer((step, record) -> {
            if (step == IssuanceStep.ENTRY_PUBLISHED && record.kind() == KeyUsageKind.ENCRYPTION) {
                throw new IllegalStateException("killed");
            }
        }));
        EnrollmentRequest submitted = crashing.submit(EnrollmentFixture.CLERK,
                DualIssuance.dual("Li Si", "110105194912310038", f.sm2()));
        assertThatThrownBy(() -> crashing.approve(EnrollmentFixture.REVIEWER, submitted.id()))
                .hasMessageContaining("killed");
        List<byte[]> publishedBefore = List.copyOf(f.stores.published.get(submitted.subscriberId()));
        assertThat(publishedBefore).hasSize(2);

        assertThat(f.issuer(IssuanceObserver.NONE).recover()).isEqualTo(1);

        List<CertificateRecord> records = f.stores.findByRequest(submitted.id());
        assertThat(records).extracting(CertificateRecord::issuanceState)
                .containsExactly(IssuanceState.PUBLISHED, IssuanceState.PUBLISHED);
        assertThat(f.stores.published.get(submitted.subscriberId())).as("no second certificate for the serial")
                .hasSize(2);
        CertificateRecord encryption = records.stream().filter(r -> r.kind() == KeyUsageKind.ENCRYPTION)
                .findFirst().orElseThrow();
        assertThat(publishedBefore).anySatisfy(der -> assertThat(der).isEqualTo(encryption.certificateDer()));
        assertThat(f.stores.find(submitted.id()).orElseThrow().state()).isEqualTo(RequestState.ISSUED);
    }

    @Test
    void aCrashAfterTheKmAnsweredGetsTheSameKeyAndSerialAgain() {
        DualIssuance template = new DualIssuance(cas, kmKeys);
        EnrollmentFixture f = template.f;
        EnrollmentService crashing = f.service(f.issuer((step, record) -> {
            if (step == IssuanceStep.INTENT_WRITTEN && record.kind() == KeyUsageKind.ENCRYPTION) {
                throw new IllegalStateException("killed");
            }
        }));
        EnrollmentRequest submitted = crashing.submit(EnrollmentFixture.CLERK,
                DualIssuance.dual("Wang Wu", "110105194912310046", f.sm2()));
        assertThatThrownBy(() -> crashing.approve(EnrollmentFixture.REVIEWER, submitted.id()))
                .hasMessageContaining("killed");
        CertificateRecord intent = f.stores.findByRequest(submitted.id()).stream()
                .filter(r -> r.kind() == KeyUsageKind.ENCRYPTION).findFirst().orElseThrow();

        f.issuer(IssuanceObserver.NONE).recover();

        CertificateRecord finished = f.stores.find(intent.issuer(), intent.serial()).orElseThrow();
        assertThat(finished.issuanceState()).isEqualTo(IssuanceState.PUBLISHED);
        assertThat(template.km.stores.keys).hasSize(2);
        assertThat(template.km.stores.findByCertificate(intent.issuer(), intent.serial())).isPresent();
    }

    @Test
    void aDualProfileNeedsAnSm2SigningKeyAndNothingIsStoredOtherwise() {
        DualIssuance d = new DualIssuance(cas, kmKeys);
        KeyPair rsa = KeyAlgorithm.RSA.generate(new SecureRandom());
        int before = d.f.stores.requests.size();

        assertThatThrownBy(() -> d.f.service().submit(EnrollmentFixture.CLERK,
                DualIssuance.dual("Zhao Liu", "110105194912310054", rsa)))
                .isInstanceOfSatisfying(DomainException.class, e -> {
                    assertThat(e.kind()).isEqualTo(DomainException.Kind.BAD_REQUEST);
                    assertThat(e.getMessage()).contains("SM2");
                });
        assertThat(d.f.stores.requests).hasSize(before);
    }

    @Test
    void withoutAKmADualProfileIsRefusedAsUnavailable() {
        EnrollmentFixture f = new EnrollmentFixture(cas);
        EnrollmentRequest submitted = f.service().submit(EnrollmentFixture.CLERK,
                DualIssuance.dual("Sun Qi", "110105194912310062", f.sm2()));

        assertThatThrownBy(() -> f.service().approve(EnrollmentFixture.REVIEWER, submitted.id()))
                .isInstanceOfSatisfying(DomainException.class,
                        e -> assertThat(e.kind()).isEqualTo(DomainException.Kind.UNAVAILABLE));
    }

    static java.security.spec.ECPoint point(PublicKey key) {
        return ((java.security.interfaces.ECPublicKey) key).getW();
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
