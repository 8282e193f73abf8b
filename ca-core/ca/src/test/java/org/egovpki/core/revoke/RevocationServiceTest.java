package org.egovpki.core.revoke;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.egovpki.core.DomainException;
import org.egovpki.core.audit.AuditEvent;
import org.egovpki.core.audit.AuditEventType;
import org.egovpki.core.audit.AuditOutcome;
import org.egovpki.core.ca.CaRegistry;
import org.egovpki.core.ca.EnrollmentFixture;
import org.egovpki.core.certificate.CertificateRecord;
import org.egovpki.core.certificate.CertificateStatus;
import org.egovpki.core.certificate.RevocationChannel;
import org.egovpki.core.certificate.RevocationReason;
import org.egovpki.core.crypto.BouncyCastle;
import org.egovpki.core.enroll.EnrollmentRequest;
import org.egovpki.core.enroll.EnrollmentService;
import org.egovpki.core.operator.Operator;
import org.egovpki.core.x509.Pem;
import org.egovpki.core.event.CertificateRevoked;
import org.junit.jupiter.api.BeforeAll;
import org.egovpki.core.event.CertificateRevoked;
import org.junit.jupiter.api.BeforeEach;
import org.egovpki.core.event.CertificateRevoked;
import org.junit.jupiter.api.Test;
import org.egovpki.core.event.CertificateRevoked;

class RevocationServiceTest {

    private static final String CA = "sm2-issuing";


    private static CaRegistry cas;

    private EnrollmentFixture f;
    private EnrollmentService enrollment;
    private RevocationService revocations;

    @BeforeAll
    static void createCas() {
        cas = EnrollmentFixture.createCas();
    }

    @BeforeEach
    void setUp() {
        f = new EnrollmentFixture(cas);
        enrollment = f.service();
        revocations = f.revocations();
    }

    /** The certificates the revocation events told of, in order. */
    private List<CertificateRecord> heard() {
        return f.published.stream().filter(CertificateRevoked.class::isInstance)
                .map(e -> ((CertificateRevoked) e).certificate()).toList();
    }

    @Test
    void anRaAdminRevokesAndTheRecordTheEntryTheAuditAndTheListenersAllShowIt() {
        CertificateRecord cert = issuePersonal(f.sm2());
        f.clock.advance(Duration.ofDays(3));
        Instant compromised = EnrollmentFixture.NOW.plus(Duration.ofDays(1));

        CertificateRecord revoked = revocations.revokeByOperator(EnrollmentFixture.RA_ADMIN, CA, cert.serial(),
                RevocationReason.KEY_COMPROMISE, Requester.SUBSCRIBER, compromised);

        CertificateRecord stored = stored(cert);
        assertThat(stored.status()).isEqualTo(CertificateStatus.REVOKED);
        assertThat(stored.revocation().time()).isEqualTo(EnrollmentFixture.NOW.plus(Duration.ofDays(3)));
        assertThat(stored.revocation().reason()).isEqualTo(RevocationReason.KEY_COMPROMISE);
        assertThat(stored.revocation().reason().rfc5280Code()).isEqualTo(1);
        assertThat(stored.revocation().invalidityDate()).isEqualTo(compromised);
        assertThat(stored.revocation().revokedBy()).isEqualTo(EnrollmentFixture.RA_ADMIN.dn());
        assertThat(f.stores.published.get(cert.subscriberId())).isEmpty();
        assertThat(heard()).containsExactly(revoked);
        AuditEvent event = f.audit.ofType(AuditEventType.CERTIFICATE_REVOKED).get(0);
        assertThat(event.outcome()).isEqualTo(AuditOutcome.SUCCESS);
        assertThat(event.details()).containsEntry("cause", "KEY_COMPROMISE").containsEntry("reason", "keyCompromise")
                .containsEntry("requester", "SUBSCRIBER").containsEntry("channel", "OPERATOR");
    }

    @Test
    void revokingTwiceIsAConflictAndTheFirstRevocationStands() {
        CertificateRecord cert = issuePersonal(f.sm2());
        revocations.revokeByOperator(EnrollmentFixture.RA_ADMIN, CA, cert.serial(), RevocationReason.JOB_CHANGE,
                Requester.APPROVING_BODY, null);

        assertThatThrownBy(() -> revocations.revokeByOperator(EnrollmentFixture.RA_ADMIN, CA, cert.serial(),
                RevocationReason.KEY_COMPROMISE, Requester.CA_RA, null))
                .isInstanceOf(DomainException.class).hasMessageContaining("already revoked")
                .extracting(e -> ((DomainException) e).kind()).isEqualTo(DomainException.Kind.CONFLICT);
        assertThat(stored(cert).revocation().reason()).isEqualTo(RevocationReason.JOB_CHANGE);
        assertThat(heard()).hasSize(1);
        assertThat(f.audit.ofType(AuditEventType.CERTIFICATE_REVOKED)).extracting(AuditEvent::outcome)
                .containsExactly(AuditOutcome.SUCCESS, AuditOutcome.FAILURE);
    }

    @Test
    void aClerkOrReviewerMayNotRevoke() {
        CertificateRecord cert = issuePersonal(f.sm2());
        for (Operator operator : List.of(EnrollmentFixture.CLERK, EnrollmentFixture.REVIEWER)) {
            assertThatThrownBy(() -> revocations.revokeByOperator(operator, CA, cert.serial(),
                    RevocationReason.HOLDER_REQUEST, Requester.SUBSCRIBER, null))
                    .hasMessageContaining("RA_ADMIN or CA_ADMIN");
        }
        assertUnchanged(cert);
    }

    @Test
    void organisationAndDeviceCertificatesAreNotRevokedAtTheRequestOfAnIndividualHolder() {
        CertificateRecord device = issueDevice(f.sm2());
        CertificateRecord personal = issuePersonal(f.sm2());

        assertThatThrownBy(() -> revocations.revokeByOperator(EnrollmentFixture.RA_ADMIN, CA, device.serial(),
                RevocationReason.HOLDER_REQUEST, Requester.SUBSCRIBER, null))
                .hasMessageContaining("authorised representative");
        assertThatThrownBy(() -> revocations.revokeByOperator(EnrollmentFixture.RA_ADMIN, CA, personal.serial(),
                RevocationReason.HOLDER_REQUEST, Requester.AUTHORISED_REPRESENTATIVE, null))
                .hasMessageContaining("personal certificate");
        assertUnchanged(device);
        assertUnchanged(personal);

        revocations.revokeByOperator(EnrollmentFixture.RA_ADMIN, CA, device.serial(), RevocationReason.AGREEMENT_ENDED,
                Requester.AUTHORISED_REPRESENTATIVE, null);
        assertThat(stored(device).revocation().reason().rfc5280Code()).isEqualTo(5);
    }

    @Test
    void aSubscriberCertificateIsNotRevokedForCaCompromiseNorWithAnInvalidityDateBeforeItsValidity() {
        CertificateRecord cert = issuePersonal(f.sm2());

        assertThatThrownBy(() -> revocations.revokeByOperator(EnrollmentFixture.RA_ADMIN, CA, cert.serial(),
                RevocationReason.CA_COMPROMISE, Requester.CA_RA, null))
                .isInstanceOf(DomainException.class).hasMessageContaining("CA_COMPROMISE is the reason of a CA certificate")
                .extracting(e -> ((DomainException) e).field()).isEqualTo("reason");
        assertThatThrownBy(() -> revocations.revokeByOperator(EnrollmentFixture.RA_ADMIN, CA, cert.serial(),
                RevocationReason.KEY_COMPROMISE, Requester.SUBSCRIBER, Instant.EPOCH))
                .isInstanceOf(DomainException.class).hasMessageContaining("before the subscriber's first certificate")
                .extracting(e -> ((DomainException) e).field()).isEqualTo("invalidityDate");
        assertThatThrownBy(() -> revocations.revokeWithChallenge(CA, cert.serial(), "a challenge phrase".toCharArray(),
                RevocationReason.KEY_COMPROMISE, cert.notBefore().minusSeconds(1), "10.0.0.9"))
                .hasMessageContaining("first certificate from this CA became valid");
        assertUnchanged(cert);
        assertThat(f.audit.ofType(AuditEventType.CERTIFICATE_REVOKED)).extracting(AuditEvent::outcome)
                .containsOnly(AuditOutcome.FAILURE);

        revocations.revokeByOperator(EnrollmentFixture.RA_ADMIN, CA, cert.serial(), RevocationReason.KEY_COMPROMISE,
                Requester.SUBSCRIBER, cert.notBefore());
        assertThat(stored(cert).revocation().invalidityDate()).isEqualTo(cert.notBefore());
    }

    @Test
    void anInvalidityDateWhileTheSubscribersEarlierCertificateWasValidIsAccepted() {
        CertificateRecord first = issueAs("Li Si", f.sm2());
        f.clock.advance(Duration.ofDays(30));
        CertificateRecord second = issueAs("Li Si", f.sm2());
        assertThat(second.subscriberId()).isEqualTo(first.subscriberId());
        Instant during = first.notBefore().plus(Duration.ofDays(10));

        assertThatThrownBy(() -> revocations.revokeByOperator(EnrollmentFixture.RA_ADMIN, CA, second.serial(),
                RevocationReason.KEY_COMPROMISE, Requester.SUBSCRIBER, first.notBefore().minusSeconds(1)))
                .hasMessageContaining("first certificate from this CA became valid (" + first.notBefore() + ")");
        revocations.revokeByOperator(EnrollmentFixture.RA_ADMIN, CA, second.serial(), RevocationReason.KEY_COMPROMISE,
                Requester.SUBSCRIBER, during);

        assertThat(stored(second).revocation().invalidityDate()).isEqualTo(during);
    }

    @Test
    void unknownSerialsAndFutureInvalidityDatesAreRefused() {
        CertificateRecord cert = issuePersonal(f.sm2());
        assertThatThrownBy(() -> revocations.revokeByOperator(EnrollmentFixture.RA_ADMIN, CA, BigInteger.valueOf(12345),
                RevocationReason.HOLDER_REQUEST, Requester.SUBSCRIBER, null))
                .hasMessageContaining("no certificate with serial 3039");
        assertThatThrownBy(() -> revocations.revokeByOperator(EnrollmentFixture.RA_ADMIN, CA, cert.serial(),
                RevocationReason.KEY_COMPROMISE, Requester.SUBSCRIBER, EnrollmentFixture.NOW.plusSeconds(60)))
                .hasMessageContaining("in the future");
        assertUnchanged(cert);
    }

    @Test
    void theSubscriberRevokesWithItsChallengePhrase() {
        CertificateRecord cert = issuePersonal(f.sm2());

        revocations.revokeWithChallenge(CA, cert.serial(), "a challenge phrase".toCharArray(), null, null, "10.0.0.1");

        CertificateRecord stored = stored(cert);
        assertThat(stored.revocation().channel()).isEqualTo(RevocationChannel.CHALLENGE_PHRASE);
        assertThat(stored.revocation().reason()).isEqualTo(RevocationReason.HOLDER_REQUEST);
        assertThat(stored.revocation().revokedBy()).isEqualTo(f.stores.entryDn(cert.subscriberId()));
    }

    @Test
    void aWrongPhraseAndAnUnknownSerialGetTheSameAnswerAndRepeatedFailuresAreStopped() {
        CertificateRecord cert = issuePersonal(f.sm2());

        DomainException wrong = refusal(() -> revocations.revokeWithChallenge(CA, cert.serial(),
                "not the phrase".toCharArray(), null, null, "10.0.0.1"));
        DomainException unknown = refusal(() -> revocations.revokeWithChallenge(CA, BigInteger.valueOf(99),
                "not the phrase".toCharArray(), null, null, "10.0.0.2"));
        assertThat(wrong.kind()).isEqualTo(unknown.kind()).isEqualTo(DomainException.Kind.FORBIDDEN);
        assertThat(wrong.getMessage()).isEqualTo(unknown.getMessage());

        refusal(() -> revocations.revokeWithChallenge(CA, cert.serial(), "guess 2 guess".toCharArray(), null, null,
                "10.0.0.3"));
        refusal(() -> revocations.revokeWithChallenge(CA, cert.serial(), "guess 3 guess".toCharArray(), null, null,
                "10.0.0.4"));
        // Three failures on this certificate, from any clients: even the right phrase now waits.
        DomainException limited = refusal(() -> revocations.revokeWithChallenge(CA, cert.serial(),
                "a challenge phrase".toCharArray(), null, null, "10.0.0.5"));
        assertThat(limited.kind()).isEqualTo(DomainException.Kind.RATE_LIMITED);
        assertThat(limited.getMessage()).contains("try again after 2026-11-21T08:15:00Z");
        assertUnchanged(cert);
    }

    @Test
    void aSubscriberCannotGiveAnOperatorsReason() {
        CertificateRecord cert = issuePersonal(f.sm2());
        assertThatThrownBy(() -> revocations.revokeWithChallenge(CA, cert.serial(), "a challenge phrase".toCharArray(),
                RevocationReason.SANCTIONED, null, "10.0.0.1")).hasMessageContaining("recorded by an RA operator");
        assertUnchanged(cert);
    }

    @Test
    void aRequestSignedWithTheCertificatesKeyRevokesIt() throws Exception {
        KeyPair key = f.sm2();
        CertificateRecord cert = issuePersonal(key);

        revocations.revokeSigned(signed(cert, key, "serial=" + cert.serialHex() + "\nreason=KEY_COMPROMISE\n"
                + "requestedAt=" + EnrollmentFixture.NOW.minusSeconds(30) + "\n"));

        CertificateRecord stored = stored(cert);
        assertThat(stored.revocation().channel()).isEqualTo(RevocationChannel.SIGNED_REQUEST);
        assertThat(stored.revocation().reason()).isEqualTo(RevocationReason.KEY_COMPROMISE);
    }

    @Test
    void aSignedRequestWithAnotherKeyAStaleTimeOrForADeviceIsRefused() throws Exception {
        KeyPair key = f.sm2();
        CertificateRecord cert = issuePersonal(key);
        String body = "serial=" + cert.serialHex() + "\nrequestedAt=" + EnrollmentFixture.NOW + "\n";

        assertThatThrownBy(() -> revocations.revokeSigned(signed(cert, f.sm2(), body)))
                .hasMessageContaining("does not verify");
        assertThatThrownBy(() -> revocations.revokeSigned(signed(cert, key, "serial=" + cert.serialHex()
                + "\nrequestedAt=" + EnrollmentFixture.NOW.minus(Duration.ofHours(1)) + "\n")))
                .hasMessageContaining("sign a fresh request");
        assertThatThrownBy(() -> revocations.revokeSigned("not CMS".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("not a DER CMS SignedData");
        assertThatThrownBy(() -> revocations.revokeSigned(signed(cert, key, "serial=01\nrequestedAt="
                + EnrollmentFixture.NOW + "\n"))).hasMessageContaining("can only ask to revoke itself");
        assertUnchanged(cert);

        KeyPair deviceKey = f.sm2();
        CertificateRecord device = issueDevice(deviceKey);
        assertThatThrownBy(() -> revocations.revokeSigned(signed(device, deviceKey, "serial=" + device.serialHex()
                + "\nrequestedAt=" + EnrollmentFixture.NOW + "\n"))).hasMessageContaining("device certificates");
        assertUnchanged(device);
    }

    @Test
    void supersedingRevokesWithReasonSuperseded() {
        CertificateRecord cert = issuePersonal(f.sm2());
        revocations.supersede(cert, EnrollmentFixture.REVIEWER.dn());
        assertThat(stored(cert).revocation().reason().rfc5280Code()).isEqualTo(4);
    }

    private CertificateRecord issuePersonal(KeyPair key) {
        String id = "11010519491231002X";
        EnrollmentRequest submitted = enrollment.submit(EnrollmentFixture.CLERK, EnrollmentFixture.personal(
                "Zhang San " + f.random.nextInt(1_000_000), id, key, false));
        EnrollmentRequest issued = enrollment.approve(EnrollmentFixture.REVIEWER, submitted.id());
        return f.stores.findByRequest(issued.id()).get(0);
    }

    private CertificateRecord issueAs(String name, KeyPair key) {
        EnrollmentRequest submitted = enrollment.submit(EnrollmentFixture.CLERK, EnrollmentFixture.personal(
                name, "11010519491231002X", key, false));
        EnrollmentRequest issued = enrollment.approve(EnrollmentFixture.REVIEWER, submitted.id());
        return f.stores.findByRequest(issued.id()).get(0);
    }

    private CertificateRecord issueDevice(KeyPair key) {
        EnrollmentRequest issued = enrollment.submit(EnrollmentFixture.RA_ADMIN,
                EnrollmentFixture.device("host" + f.random.nextInt(1_000_000) + ".gov.test", key));
        return f.stores.findByRequest(issued.id()).get(0);
    }

    private CertificateRecord stored(CertificateRecord cert) {
        return f.stores.find(cert.issuer(), cert.serial()).orElseThrow();
    }

    private void assertUnchanged(CertificateRecord cert) {
        CertificateRecord stored = stored(cert);
        assertThat(stored.status()).isEqualTo(CertificateStatus.VALID);
        assertThat(f.stores.published.get(cert.subscriberId())).hasSize(1);
        assertThat(heard()).noneMatch(r -> r.id().equals(cert.id()));
    }

    private static DomainException refusal(Runnable action) {
        try {
            action.run();
        } catch (DomainException e) {
            return e;
        }
        throw new AssertionError("expected a refusal");
    }

    private static byte[] signed(CertificateRecord cert, KeyPair key, String content) throws Exception {
        X509Certificate certificate = Pem.parseCertificate(cert.certificateDer());
        CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
        generator.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(new JcaDigestCalculatorProviderBuilder()
                .setProvider(BouncyCastle.PROVIDER).build())
                .build(new JcaContentSignerBuilder("SM3WITHSM2").setProvider(BouncyCastle.PROVIDER)
                        .build(key.getPrivate()), certificate));
        generator.addCertificates(new JcaCertStore(List.of(certificate)));
        return generator.generate(new CMSProcessableByteArray(content.getBytes(StandardCharsets.UTF_8)), true)
                .getEncoded();
    }
}
