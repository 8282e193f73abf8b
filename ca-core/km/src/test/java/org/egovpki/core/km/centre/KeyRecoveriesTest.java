package org.egovpki.core.km.centre;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.EnumSet;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.egovpki.core.DomainException;
import org.egovpki.core.audit.AuditEvent;
import org.egovpki.core.audit.AuditEventType;
import org.egovpki.core.audit.AuditOutcome;
import org.egovpki.core.ca.CaRegistry;
import org.egovpki.core.ca.EnrollmentFixture;
import org.egovpki.core.certificate.RevocationReason;
import org.egovpki.core.crypto.BouncyCastle;
import org.egovpki.core.crypto.KeyAlgorithm;
import org.egovpki.core.km.EnvelopedKeys;
import org.egovpki.core.km.Sm2EnvelopedKey;
import org.egovpki.core.operator.Operator;
import org.egovpki.core.operator.Role;
import org.egovpki.core.revoke.Requester;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Subscriber and judicial key recovery, the two-person rule, the one-time code, retention and
 * destruction — against a real KM (keys, wrapping, signed CA↔KM messages) over in-memory stores.
 */
class KeyRecoveriesTest {

    @TempDir
    static Path kmDir;
    private static KmKeyStore kmKeys;

    private static CaRegistry cas;
    private DualIssuance d;
    private KeyRecoveries recoveries;

    @BeforeAll
    static void createCas() {
        cas = EnrollmentFixture.createCas();
        kmKeys = KmFixture.keys(kmDir);
    }

    @BeforeEach
    void issue() {
        d = new DualIssuance(cas, kmKeys);
        recoveries = d.km.recoveries;
    }

    private RecoveryRequest subscriberRecovery() {
        return recoveries.submit(new KeyRecoveries.Submission(RecoveryKind.SUBSCRIBER, "sm2-issuing",
                d.encryption.serial(), "token lost on 2026-11-20", null, null), EnrollmentFixture.CLERK);
    }

    private String approvedCode(RecoveryRequest request) {
        KeyRecoveries.Approved first = recoveries.approve(request.id(), DualIssuance.KM_ADMIN);
        assertThat(first.challengeCode()).as("no code before the second role approved").isNull();
        assertThat(first.request().state()).isEqualTo(RecoveryState.APPROVING);
        KeyRecoveries.Approved second = recoveries.approve(request.id(), DualIssuance.KM_OPERATOR);
        assertThat(second.request().state()).isEqualTo(RecoveryState.APPROVED);
        return second.challengeCode();
    }

    private static SubjectPublicKeyInfo spki(KeyPair pair) {
        return SubjectPublicKeyInfo.getInstance(pair.getPublic().getEncoded());
    }

    @Test
    void theSubscriberGetsTheKeyEnvelopedToItsNewTokenWithTheOneTimeCode() {
        RecoveryRequest request = subscriberRecovery();
        String code = approvedCode(request);
        assertThat(code).matches("[0-9A-Z]{4}(-[0-9A-Z]{4}){3}");
        RecoveryRequest stored = d.km.stores.recoveries.get(request.id());
        assertThat(stored.challengeHash()).as("stored hashed").doesNotContain(code).doesNotContain(code.replace("-", ""));
        assertThat(stored.approvals()).extracting(Approval::role)
                .containsExactly(org.egovpki.core.operator.Role.KM_BUSINESS_ADMIN, org.egovpki.core.operator.Role.KM_OPERATOR);

        KeyPair newToken = KeyAlgorithm.SM2.generate(new SecureRandom());
        byte[] envelope = d.km.link.restore("sm2-issuing", d.encryption.serial(), spki(newToken), request.id(),
                code.toLowerCase());

        KeyPair recovered = EnvelopedKeys.open(Sm2EnvelopedKey.parse(envelope), newToken.getPrivate());
        assertThat(DualIssuanceTest.point(recovered.getPublic()))
                .isEqualTo(DualIssuanceTest.point(d.encryptionCertificate().getPublicKey()));
        assertThat(recoveries.get(request.id()).state()).isEqualTo(RecoveryState.RECOVERED);
        assertThat(d.f.audit.events).filteredOn(e -> e.type() == AuditEventType.KM_KEY_RECOVERED
                && e.outcome() == AuditOutcome.SUCCESS).singleElement().satisfies(e -> {
                    assertThat(e.subjects()).contains(request.id(), stored.subscriberDn());
                    assertThat(e.details()).containsEntry("serial", d.encryption.serialHex());
                });
    }

    @Test
    void onlyTheKmRolesAndTheAuditorReadRecoveryRequestsEveryReadAndRefusalAudited() {
        RecoveryRequest request = subscriberRecovery();
        Operator auditor = DualIssuance.operator("auditor1", Role.AUDITOR);
        Operator custodian = DualIssuance.operator("custodian1", Role.KEY_CUSTODIAN);
        Operator admin = new Operator("admin", "uid=admin,ou=operators,o=egov-pki,c=CN", "admin",
                EnumSet.of(Role.CA_ADMIN, Role.RA_ADMIN, Role.SUPER_ADMIN));

        for (Operator other : List.of(EnrollmentFixture.CLERK, EnrollmentFixture.REVIEWER, custodian, admin)) {
            d.f.audit.events.clear();
            assertThatThrownBy(() -> recoveries.get(request.id(), other)).as(other.uid())
                    .isInstanceOfSatisfying(DomainException.class, e -> {
                        assertThat(e.kind()).isEqualTo(DomainException.Kind.FORBIDDEN);
                        assertThat(e.getMessage()).contains(other.uid(), "KM_BUSINESS_ADMIN, KM_OPERATOR or AUDITOR")
                                .doesNotContain(request.reason());
                    });
            assertThatThrownBy(() -> recoveries.list(null, 100, other)).as(other.uid())
                    .isInstanceOfSatisfying(DomainException.class,
                            e -> assertThat(e.kind()).isEqualTo(DomainException.Kind.FORBIDDEN));
            assertThat(d.f.audit.events).hasSize(2).allSatisfy(e -> {
                assertThat(e.type()).isEqualTo(AuditEventType.KM_RECOVERY_READ);
                assertThat(e.outcome()).isEqualTo(AuditOutcome.FAILURE);
                assertThat(e.actor()).isEqualTo(other.dn());
            });
        }
        assertThatThrownBy(() -> recoveries.get("kr-00", custodian)).as("refused before the lookup")
                .isInstanceOfSatisfying(DomainException.class,
                        e -> assertThat(e.kind()).isEqualTo(DomainException.Kind.FORBIDDEN));

        for (Operator reader : List.of(DualIssuance.KM_ADMIN, DualIssuance.KM_OPERATOR, auditor)) {
            d.f.audit.events.clear();
            assertThat(recoveries.get(request.id(), reader).reason()).isEqualTo(request.reason());
            assertThat(recoveries.list(RecoveryState.SUBMITTED, 100, reader)).extracting(RecoveryRequest::id)
                    .containsExactly(request.id());
            assertThat(d.f.audit.events).hasSize(2).allSatisfy(e -> {
                assertThat(e.type()).isEqualTo(AuditEventType.KM_RECOVERY_READ);
                assertThat(e.outcome()).isEqualTo(AuditOutcome.SUCCESS);
                assertThat(e.actor()).isEqualTo(reader.dn());
                assertThat(e.subjects()).contains(request.id());
            });
        }
    }

    @Test
    void theSubscribersDownloadLearnsOnlyWhichCertificateTheRecoveryIsAbout() {
        RecoveryRequest request = subscriberRecovery();

        assertThat(recoveries.certificateOf(request.id()))
                .isEqualTo(new KeyRecoveries.RecoveredCertificate("sm2-issuing", d.encryption.serial()));
        assertThatThrownBy(() -> recoveries.certificateOf("kr-00")).isInstanceOfSatisfying(DomainException.class,
                e -> assertThat(e.kind()).isEqualTo(DomainException.Kind.NOT_FOUND));
    }

    @Test
    void aUsedCodeIsRefused() {
        RecoveryRequest request = subscriberRecovery();
        String code = approvedCode(request);
        KeyPair newToken = KeyAlgorithm.SM2.generate(new SecureRandom());
        d.km.link.restore("sm2-issuing", d.encryption.serial(), spki(newToken), request.id(), code);

        assertThatThrownBy(() -> d.km.link.restore("sm2-issuing", d.encryption.serial(), spki(newToken), request.id(),
                code)).isInstanceOfSatisfying(DomainException.class, e -> {
                    assertThat(e.kind()).isEqualTo(DomainException.Kind.FORBIDDEN);
                    assertThat(e.getMessage()).contains("already used");
                });
    }

    @Test
    void anExpiredCodeIsRefusedAndNothingChanges() {
        RecoveryRequest request = subscriberRecovery();
        String code = approvedCode(request);
        d.f.clock.advance(Duration.ofHours(48));

        assertThatThrownBy(() -> d.km.link.restore("sm2-issuing", d.encryption.serial(),
                spki(KeyAlgorithm.SM2.generate(new SecureRandom())), request.id(), code))
                .isInstanceOfSatisfying(DomainException.class, e -> {
                    assertThat(e.kind()).isEqualTo(DomainException.Kind.FORBIDDEN);
                    assertThat(e.getMessage()).contains("expired");
                });
        assertThat(recoveries.get(request.id()).state()).isEqualTo(RecoveryState.APPROVED);
    }

    @Test
    void wrongCodesAreRefusedThenTheRequestIsRateLimited() {
        RecoveryRequest request = subscriberRecovery();
        String code = approvedCode(request);
        SubjectPublicKeyInfo key = spki(KeyAlgorithm.SM2.generate(new SecureRandom()));
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> d.km.link.restore("sm2-issuing", d.encryption.serial(), key, request.id(),
                    "AAAA-BBBB-CCCC-DDDD")).hasMessageContaining("wrong challenge code");
        }
        assertThatThrownBy(() -> d.km.link.restore("sm2-issuing", d.encryption.serial(), key, request.id(), code))
                .isInstanceOfSatisfying(DomainException.class,
                        e -> assertThat(e.kind()).isEqualTo(DomainException.Kind.RATE_LIMITED));
        assertThat(recoveries.get(request.id()).state()).isEqualTo(RecoveryState.APPROVED);
    }

    @Test
    void theSamePersonCannotApproveTwiceEvenHoldingBothRoles() {
        RecoveryRequest request = subscriberRecovery();
        recoveries.approve(request.id(), DualIssuance.KM_BOTH);

        assertThatThrownBy(() -> recoveries.approve(request.id(), DualIssuance.KM_BOTH))
                .isInstanceOfSatisfying(DomainException.class, e -> {
                    assertThat(e.kind()).isEqualTo(DomainException.Kind.FORBIDDEN);
                    assertThat(e.getMessage()).contains("already approved").contains("different person");
                });
        RecoveryRequest now = recoveries.get(request.id());
        assertThat(now.state()).isEqualTo(RecoveryState.APPROVING);
        assertThat(now.approvals()).hasSize(1);
        assertThat(now.challengeHash()).isNull();
        assertThat(d.f.audit.events).anyMatch(e -> e.type() == AuditEventType.KM_RECOVERY_APPROVED
                && e.outcome() == AuditOutcome.FAILURE && e.actor().equals(DualIssuance.KM_BOTH.dn()));
    }

    @Test
    void twoPeopleOfTheSameRoleAreNotEnoughAndTheEntrantCannotApprove() {
        RecoveryRequest request = subscriberRecovery();
        recoveries.approve(request.id(), DualIssuance.KM_ADMIN);

        assertThatThrownBy(() -> recoveries.approve(request.id(), DualIssuance.KM_ADMIN_2))
                .hasMessageContaining("KM_OPERATOR");
        assertThatThrownBy(() -> recoveries.approve(request.id(), EnrollmentFixture.REVIEWER))
                .hasMessageContaining("neither");
        RecoveryRequest byKm = recoveries.submit(new KeyRecoveries.Submission(RecoveryKind.SUBSCRIBER, "sm2-issuing",
                d.encryption.serial(), "token broken", null, null), DualIssuance.KM_OPERATOR);
        assertThatThrownBy(() -> recoveries.approve(byKm.id(), DualIssuance.KM_OPERATOR))
                .hasMessageContaining("entered");
        assertThat(recoveries.get(request.id()).approvals()).hasSize(1);
    }

    @Test
    void aJudicialFileOpensOnlyWithTheOfficersKey() throws Exception {
        KeyPair officer = KeyAlgorithm.SM2.generate(new SecureRandom());
        X509Certificate officerCert = selfSigned("CN=Officer Chen,O=Zhengzhou Intermediate Court,C=CN", officer,
                d.f.clock.instant());
        RecoveryRequest request = recoveries.submit(new KeyRecoveries.Submission(RecoveryKind.JUDICIAL, "sm2-issuing",
                d.encryption.serial(), "evidence in case (2026) Yu 01 Xing Chu 117", "(2026) Yu 01 Xing Chu 117 Order 3",
                officerCert.getEncoded()), DualIssuance.KM_OPERATOR);
        assertThatThrownBy(() -> recoveries.judicialFile(request.id(), DualIssuance.KM_ADMIN))
                .as("not before two approvals").hasMessageContaining("SUBMITTED");
        recoveries.approve(request.id(), DualIssuance.KM_ADMIN);
        KeyRecoveries.Approved approved = recoveries.approve(request.id(), DualIssuance.KM_OPERATOR_2);
        assertThat(approved.challengeCode()).as("judicial recoveries have no code").isNull();

        byte[] file = recoveries.judicialFile(request.id(), DualIssuance.KM_ADMIN);

        KeyPair opened = EnvelopedKeys.open(Sm2EnvelopedKey.parse(file), officer.getPrivate());
        assertThat(DualIssuanceTest.point(opened.getPublic()))
                .isEqualTo(DualIssuanceTest.point(d.encryptionCertificate().getPublicKey()));
        assertThatThrownBy(() -> EnvelopedKeys.open(Sm2EnvelopedKey.parse(file), d.token.getPrivate()))
                .as("not even the subscriber's own signing key").isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> recoveries.judicialFile(request.id(), DualIssuance.KM_ADMIN))
                .hasMessageContaining("only once");
        AuditEvent delivered = d.f.audit.events.stream().filter(e -> e.type() == AuditEventType.KM_KEY_RECOVERED
                && e.outcome() == AuditOutcome.SUCCESS).findFirst().orElseThrow();
        assertThat(delivered.details()).containsEntry("legalDocumentRef", "(2026) Yu 01 Xing Chu 117 Order 3")
                .containsKey("officer").containsKey("fileSha256");
        assertThat(recoveries.get(request.id()).approvals()).extracting(Approval::operatorDn)
                .containsExactly(DualIssuance.KM_ADMIN.dn(), DualIssuance.KM_OPERATOR_2.dn());
    }

    @Test
    void aJudicialRecoveryNeedsItsDocumentAndAnSm2OfficerCertificate() throws Exception {
        KeyPair sm2 = KeyAlgorithm.SM2.generate(new SecureRandom());
        byte[] officer = selfSigned("CN=Officer Chen,C=CN", sm2, d.f.clock.instant()).getEncoded();
        KeyPair rsa = KeyAlgorithm.RSA.generate(new SecureRandom());
        byte[] rsaOfficer = selfSigned("CN=Officer Wu,C=CN", rsa, d.f.clock.instant()).getEncoded();
        BigInteger serial = d.encryption.serial();

        assertThatThrownBy(() -> recoveries.submit(new KeyRecoveries.Submission(RecoveryKind.JUDICIAL, "sm2-issuing",
                serial, "case", null, officer), DualIssuance.KM_OPERATOR)).hasMessageContaining("legalDocumentRef");
        assertThatThrownBy(() -> recoveries.submit(new KeyRecoveries.Submission(RecoveryKind.JUDICIAL, "sm2-issuing",
                serial, "case", "doc 1", rsaOfficer), DualIssuance.KM_OPERATOR)).hasMessageContaining("SM2");
        assertThatThrownBy(() -> recoveries.submit(new KeyRecoveries.Submission(RecoveryKind.JUDICIAL, "sm2-issuing",
                serial, "case", "doc 1", officer), EnrollmentFixture.CLERK)).hasMessageContaining("KM");
        assertThat(d.km.stores.recoveries).isEmpty();
    }

    @Test
    void revokingTheEncryptionCertificateRetiresTheKeyButKeepsItRecoverable() {
        d.f.revocations().revokeByOperator(EnrollmentFixture.RA_ADMIN, "sm2-issuing", d.encryption.serial(),
                RevocationReason.parse("A"), Requester.SUBSCRIBER, null);
        d.km.link.retire(d.f.stores.find("sm2-issuing", d.encryption.serial()).orElseThrow());

        EscrowedKey key = d.km.stores.findByCertificate("sm2-issuing", d.encryption.serial()).orElseThrow();
        assertThat(key.state()).isEqualTo(KeyState.RETIRED);
        assertThat(key.wrappedPrivateKey()).isNotNull();
        RecoveryRequest request = subscriberRecovery();
        String code = approvedCode(request);
        KeyPair newToken = KeyAlgorithm.SM2.generate(new SecureRandom());
        byte[] envelope = d.km.link.restore("sm2-issuing", d.encryption.serial(), spki(newToken), request.id(), code);
        assertThat(EnvelopedKeys.open(Sm2EnvelopedKey.parse(envelope), newToken.getPrivate())).isNotNull();
    }

    @Test
    void keysAreDestroyedOnlyAfterTheirRetentionAndEachDestructionIsRecorded() {
        Instant retainUntil = d.encryption.notAfter().atZone(ZoneOffset.UTC).plusYears(10).toInstant();
        d.f.clock.set(retainUntil.minusSeconds(1));
        assertThat(d.km.escrow.destroyExpired()).isEmpty();

        d.f.clock.set(retainUntil);
        assertThat(d.km.escrow.destroyExpired()).singleElement()
                .satisfies(k -> assertThat(k.serial()).isEqualTo(d.encryption.serial()));

        EscrowedKey key = d.km.stores.findByCertificate("sm2-issuing", d.encryption.serial()).orElseThrow();
        assertThat(key.state()).isEqualTo(KeyState.DESTROYED);
        assertThat(key.wrappedPrivateKey()).isNull();
        assertThat(key.destroyedAt()).isEqualTo(retainUntil);
        assertThat(d.f.audit.events).filteredOn(e -> e.type() == AuditEventType.KM_KEY_DESTROYED).singleElement()
                .satisfies(e -> assertThat(e.details()).containsEntry("serial", d.encryption.serialHex()));
        assertThat(d.km.escrow.destroyExpired()).as("once").isEmpty();
        assertThatThrownBy(this::subscriberRecovery).hasMessageContaining("destroyed");
    }

    static X509Certificate selfSigned(String dn, KeyPair pair, Instant now) throws Exception {
        X500Name name = new X500Name(dn);
        String algorithm = pair.getPublic().getAlgorithm().equals("RSA") ? "SHA256WITHRSA" : "SM3WITHSM2";
        return new JcaX509CertificateConverter().setProvider(BouncyCastle.PROVIDER).getCertificate(
                new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now.toEpochMilli()),
                        Date.from(now.minusSeconds(3600)), Date.from(now.plus(Duration.ofDays(365))), name,
                        pair.getPublic()).build(new JcaContentSignerBuilder(algorithm)
                        .setProvider(BouncyCastle.PROVIDER).build(pair.getPrivate())));
    }
}
