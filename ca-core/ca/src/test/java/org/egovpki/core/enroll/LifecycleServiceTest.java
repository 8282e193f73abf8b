package org.egovpki.core.enroll;

import org.egovpki.core.enroll.validation.RegistrationData;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.EnumSet;
import java.time.Period;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
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
import org.egovpki.core.ca.IssuanceObserver;
import org.egovpki.core.ca.IssuanceStep;
import org.egovpki.core.ca.Issuer;
import org.egovpki.core.certificate.CertificateRecord;
import org.egovpki.core.certificate.CertificateStatus;
import org.egovpki.core.certificate.IssuanceState;
import org.egovpki.core.certificate.RevocationChannel;
import org.egovpki.core.certificate.RevocationReason;
import org.egovpki.core.crypto.BouncyCastle;
import org.egovpki.core.operator.Operator;
import org.egovpki.core.operator.Role;
import org.egovpki.core.revoke.Requester;
import org.egovpki.core.x509.Pem;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Renewal, rekey, modification and replacement over the real issuer and validation with
 * in-memory stores: what each issues, what happens to the original, what is refused (leaving
 * nothing behind), and that a crash between the new issuance and the supersession is finished by
 * recovery.
 */
class LifecycleServiceTest {

    private static final String CA = "sm2-issuing";
    private static final String NAME = "Zhang San";
    private static final String ID_NUMBER = "11010519491231002X";
    private static final String SUBJECT = "CN=" + NAME + ",O=Test Bureau,C=CN";


    private static CaRegistry cas;

    private EnrollmentFixture f;
    private EnrollmentService enrollment;
    private LifecycleService lifecycle;

    @BeforeAll
    static void createCas() {
        cas = EnrollmentFixture.createCas();
    }

    @BeforeEach
    void setUp() {
        f = new EnrollmentFixture(cas);
        Issuer issuer = f.issuer(IssuanceObserver.NONE);
        enrollment = f.service(issuer);
        lifecycle = f.lifecycle(issuer);
    }

    // --- renewal ---

    static Stream<Arguments> insideTheWindow() {
        return Stream.of(
                Arguments.of("30 days before notAfter", Duration.ofDays(-30)),
                Arguments.of("10 days before notAfter", Duration.ofDays(-10)),
                Arguments.of("30 days after notAfter", Duration.ofDays(30)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("insideTheWindow")
    void aRenewalInsideTheWindowIssuesANewCertificateWithTheSameKeyAndSubject(String name, Duration fromNotAfter) {
        KeyPair key = f.sm2();
        CertificateRecord old = issuePersonal(key);
        f.clock.set(old.notAfter().plus(fromNotAfter));

        EnrollmentRequest renewal = lifecycle.renew(EnrollmentFixture.CLERK, CA, old.serial(),
                EnrollmentFixture.csr(key, SUBJECT));

        assertThat(renewal.state()).isEqualTo(RequestState.ISSUED);
        assertThat(renewal.kind()).isEqualTo(RequestKind.RENEWAL);
        assertThat(renewal.originalSerial()).isEqualTo(old.serialHex());
        CertificateRecord renewed = single(renewal);
        assertThat(renewed.serial()).isNotEqualTo(old.serial());
        X509Certificate before = Pem.parseCertificate(old.certificateDer());
        X509Certificate after = Pem.parseCertificate(renewed.certificateDer());
        assertThat(after.getPublicKey().getEncoded()).isEqualTo(before.getPublicKey().getEncoded());
        assertThat(after.getSubjectX500Principal()).isEqualTo(before.getSubjectX500Principal());
        assertThat(renewed.profile()).isEqualTo(old.profile());
        assertThat(renewed.subscriberId()).isEqualTo(old.subscriberId());
        assertThat(renewed.notBefore()).isEqualTo(f.clock.instant());
        assertThat(renewed.notAfter()).isEqualTo(f.clock.instant().atOffset(ZoneOffset.UTC).plus(Period.ofYears(2))
                .toInstant());
        assertThat(stored(old).status()).as("a renewal leaves the original to expire").isEqualTo(CertificateStatus.VALID);
        assertThat(f.stores.published.get(old.subscriberId())).hasSize(2);
        assertThat(f.audit.ofType(AuditEventType.RENEWAL_REQUESTED)).singleElement()
                .satisfies(e -> assertThat(e.details()).containsEntry("originalSerial", old.serialHex()));
    }

    static Stream<Arguments> outsideTheWindow() {
        return Stream.of(
                Arguments.of("31 days before notAfter", Duration.ofDays(-31)),
                Arguments.of("just after the issuance", Duration.ofDays(-700)),
                Arguments.of("30 days and a second after notAfter", Duration.ofDays(30).plusSeconds(1)),
                Arguments.of("a year after notAfter", Duration.ofDays(365)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("outsideTheWindow")
    void aRenewalOutsideTheWindowIsRefusedAsNeedingANewApplicationAndChangesNothing(String name,
                                                                                   Duration fromNotAfter) {
        KeyPair key = f.sm2();
        CertificateRecord old = issuePersonal(key);
        f.clock.set(old.notAfter().plus(fromNotAfter));

        assertRefused(() -> lifecycle.renew(EnrollmentFixture.CLERK, CA, old.serial(),
                EnrollmentFixture.csr(key, SUBJECT)), DomainException.Kind.CONFLICT, "a new application is needed");

        assertNothingChangedSince(old);
        assertThat(f.audit.ofType(AuditEventType.RENEWAL_REQUESTED)).singleElement()
                .extracting(AuditEvent::outcome).isEqualTo(AuditOutcome.FAILURE);
    }

    @Test
    void aRevokedCertificateIsNotRenewed() {
        KeyPair key = f.sm2();
        CertificateRecord old = issuePersonal(key);
        f.revocations().revokeByOperator(EnrollmentFixture.RA_ADMIN, CA, old.serial(), RevocationReason.JOB_CHANGE,
                Requester.APPROVING_BODY, null);
        f.clock.set(old.notAfter().minus(Duration.ofDays(5)));

        assertRefused(() -> lifecycle.renew(EnrollmentFixture.CLERK, CA, old.serial(),
                EnrollmentFixture.csr(key, SUBJECT)), DomainException.Kind.CONFLICT, "revoked");
        assertThat(f.stores.requests).hasSize(1);
        assertThat(f.stores.certificates).hasSize(1);
    }

    @Test
    void aRenewalRequestForAnotherKeyOrAnotherSubjectIsRefused() {
        KeyPair key = f.sm2();
        CertificateRecord old = issuePersonal(key);
        f.clock.set(old.notAfter().minus(Duration.ofDays(5)));

        DomainException otherKey = assertRefused(() -> lifecycle.renew(EnrollmentFixture.CLERK, CA, old.serial(),
                EnrollmentFixture.csr(f.sm2(), SUBJECT)), DomainException.Kind.BAD_REQUEST, "a renewal keeps the key");
        assertThat(otherKey.field()).isEqualTo("csr");
        assertRefused(() -> lifecycle.renew(EnrollmentFixture.CLERK, CA, old.serial(),
                        EnrollmentFixture.csr(key, "CN=" + NAME + ",O=Other Bureau,C=CN")),
                DomainException.Kind.BAD_REQUEST, "changed data is a modification");
        assertNothingChangedSince(old);
    }

    @Test
    void unknownSerialsAndOperatorsWhoMayNotEnterRequestsAreRefused() {
        KeyPair key = f.sm2();
        CertificateRecord old = issuePersonal(key);
        f.clock.set(old.notAfter().minus(Duration.ofDays(5)));

        assertRefused(() -> lifecycle.renew(EnrollmentFixture.CLERK, CA, old.serial().add(java.math.BigInteger.ONE),
                EnrollmentFixture.csr(key, SUBJECT)), DomainException.Kind.NOT_FOUND, "no certificate with serial");
        assertRefused(() -> lifecycle.renew(EnrollmentFixture.REVIEWER, CA, old.serial(),
                EnrollmentFixture.csr(key, SUBJECT)), DomainException.Kind.FORBIDDEN, "may not enter requests");
        assertNothingChangedSince(old);
    }

    // --- rekey ---

    @Test
    void aRekeyProvenByTheOldKeyCertifiesTheNewKeyAndSupersedesTheOriginal() throws Exception {
        KeyPair oldKey = f.sm2();
        CertificateRecord old = issuePersonal(oldKey);
        f.clock.advance(Duration.ofDays(100));
        KeyPair newKey = f.sm2();
        byte[] csr = EnrollmentFixture.csr(newKey, SUBJECT);

        EnrollmentRequest rekey = lifecycle.rekey(EnrollmentFixture.CLERK, CA, old.serial(), csr,
                proof(old, oldKey, csr));

        assertThat(rekey.state()).isEqualTo(RequestState.ISSUED);
        assertThat(rekey.kind()).isEqualTo(RequestKind.REKEY);
        CertificateRecord rekeyed = single(rekey);
        assertThat(Pem.parseCertificate(rekeyed.certificateDer()).getPublicKey().getEncoded())
                .isEqualTo(newKey.getPublic().getEncoded());
        assertThat(rekeyed.subjectDn()).isEqualTo(old.subjectDn());
        assertThat(rekeyed.notBefore()).isEqualTo(f.clock.instant());
        assertSuperseded(old);
        assertThat(f.stores.published.get(old.subscriberId())).containsExactly(rekeyed.certificateDer());
    }

    @Test
    void aRekeyWithAProofFromAnotherKeyOrOverAnotherRequestIsRefused() throws Exception {
        KeyPair oldKey = f.sm2();
        CertificateRecord old = issuePersonal(oldKey);
        byte[] csr = EnrollmentFixture.csr(f.sm2(), SUBJECT);

        assertRefused(() -> lifecycle.rekey(EnrollmentFixture.CLERK, CA, old.serial(), csr, proof(old, f.sm2(), csr)),
                DomainException.Kind.FORBIDDEN, "does not verify");
        byte[] otherCsr = EnrollmentFixture.csr(f.sm2(), SUBJECT);
        assertRefused(() -> lifecycle.rekey(EnrollmentFixture.CLERK, CA, old.serial(), csr,
                proof(old, oldKey, otherCsr)), DomainException.Kind.BAD_REQUEST, "signs other content");
        assertRefused(() -> lifecycle.rekey(EnrollmentFixture.CLERK, CA, old.serial(), csr, null),
                DomainException.Kind.BAD_REQUEST, "needs a proof");
        byte[] sameKey = EnrollmentFixture.csr(oldKey, SUBJECT);
        assertRefused(() -> lifecycle.rekey(EnrollmentFixture.CLERK, CA, old.serial(), sameKey,
                proof(old, oldKey, sameKey)), DomainException.Kind.BAD_REQUEST, "certifies a new key");
        assertNothingChangedSince(old);
        assertThat(f.audit.ofType(AuditEventType.REKEY_REQUESTED)).hasSize(4)
                .allMatch(e -> e.outcome() == AuditOutcome.FAILURE);
    }

    @Test
    void aRevokedCertificateIsNeverRekeyedAndNothingChanges() throws Exception {
        KeyPair oldKey = f.sm2();
        CertificateRecord old = issuePersonal(oldKey);
        f.revocations().revokeByOperator(EnrollmentFixture.RA_ADMIN, CA, old.serial(),
                RevocationReason.KEY_COMPROMISE, Requester.SUBSCRIBER, null);
        byte[] csr = EnrollmentFixture.csr(f.sm2(), SUBJECT);

        assertRefused(() -> lifecycle.rekey(EnrollmentFixture.CLERK, CA, old.serial(), csr, proof(old, oldKey, csr)),
                DomainException.Kind.CONFLICT, "never rekeyed");

        assertThat(f.stores.requests).hasSize(1);
        assertThat(f.stores.certificates).hasSize(1);
        assertThat(stored(old).revocation().reason()).isEqualTo(RevocationReason.KEY_COMPROMISE);
    }

    @Test
    void anExpiredCertificateIsNotRekeyedItsHolderAppliesAnew() throws Exception {
        KeyPair oldKey = f.sm2();
        CertificateRecord old = issuePersonal(oldKey);
        f.clock.set(old.notAfter());
        byte[] csr = EnrollmentFixture.csr(f.sm2(), SUBJECT);

        assertRefused(() -> lifecycle.rekey(EnrollmentFixture.CLERK, CA, old.serial(), csr, proof(old, oldKey, csr)),
                DomainException.Kind.CONFLICT, "a new application is needed");
        assertNothingChangedSince(old);
    }

    // --- modification ---

    @Test
    void aModificationIsReviewedLikeAnApplicationAndItsIssuanceSupersedesTheOriginal() {
        CertificateRecord old = issuePersonal(f.sm2());
        f.clock.advance(Duration.ofDays(200));
        Submission changed = personal("Zhang Sanfeng", f.sm2());

        EnrollmentRequest entered = lifecycle.modify(EnrollmentFixture.CLERK, CA, old.serial(), changed);

        assertThat(entered.state()).isEqualTo(RequestState.SUBMITTED);
        assertThat(entered.kind()).isEqualTo(RequestKind.MODIFICATION);
        assertThat(entered.originalSerial()).isEqualTo(old.serialHex());
        assertThat(entered.subscriberId()).isEqualTo(old.subscriberId());
        assertThat(stored(old).status()).as("nothing happens to the original before review")
                .isEqualTo(CertificateStatus.VALID);
        assertRefused(() -> enrollment.approve(EnrollmentFixture.CLERK, entered.id()), DomainException.Kind.FORBIDDEN,
                "not a reviewer");

        EnrollmentRequest issued = enrollment.approve(EnrollmentFixture.REVIEWER, entered.id());

        assertThat(issued.state()).isEqualTo(RequestState.ISSUED);
        CertificateRecord modified = single(issued);
        assertThat(modified.subjectDn()).contains("CN=Zhang Sanfeng");
        assertThat(f.stores.registrations.get(old.subscriberId()).realName()).isEqualTo("Zhang Sanfeng");
        CertificateRecord revoked = assertSuperseded(old);
        assertThat(revoked.revocation().revokedBy()).isEqualTo(EnrollmentFixture.REVIEWER.dn());
        assertThat(f.audit.ofType(AuditEventType.MODIFICATION_REQUESTED)).singleElement()
                .extracting(AuditEvent::outcome).isEqualTo(AuditOutcome.SUCCESS);
    }

    /**
     * A modification may keep the certificate's key; if that certificate is revoked (here: the key
     * compromised) while the modification waits for review, issuing it would certify the revoked key
     * again under new data. Like a replacement, it is refused at issuance and nothing is signed.
     */
    @Test
    void aModificationWhoseOriginalWasRevokedWhileItWaitedIsNotIssued() {
        KeyPair key = f.sm2();
        CertificateRecord old = issuePersonal(key);
        EnrollmentRequest entered = lifecycle.modify(EnrollmentFixture.CLERK, CA, old.serial(),
                personal("Zhang Sanfeng", key));
        f.revocations().revokeByOperator(EnrollmentFixture.RA_ADMIN, CA, old.serial(),
                RevocationReason.KEY_COMPROMISE, Requester.SUBSCRIBER, null);

        assertThatThrownBy(() -> enrollment.approve(EnrollmentFixture.REVIEWER, entered.id()))
                .isInstanceOf(DomainException.class).hasMessageContaining("was revoked")
                .hasMessageContaining("new application");
        assertThat(f.stores.findByRequest(entered.id())).isEmpty();
        assertThat(f.stores.find(entered.id()).orElseThrow().state()).isEqualTo(RequestState.REJECTED);
    }

    @Test
    void aModificationKeepsTheSubscriberAndTheCertificateType() {
        CertificateRecord old = issuePersonal(f.sm2());
        Submission otherSubscriber = new Submission(EnrollmentFixture.csr(f.sm2(), SUBJECT), null, "someone-else",
                personal(NAME, f.sm2()).registration(), null, null, false, null, true);
        Submission device = EnrollmentFixture.device("www.tax.gov.test", f.sm2());

        assertRefused(() -> lifecycle.modify(EnrollmentFixture.CLERK, CA, old.serial(), otherSubscriber),
                DomainException.Kind.BAD_REQUEST, "cannot move the certificate");
        assertRefused(() -> lifecycle.modify(EnrollmentFixture.CLERK, CA, old.serial(), device),
                DomainException.Kind.BAD_REQUEST, "keeps the certificate type");
        assertNothingChangedSince(old);
    }

    /**
     * A modification of one certificate renamed the subscriber; another certificate still carries
     * the former name. Renewing, rekeying or replacing that one would certify the former name again
     * and put it back on the registration: refused before anything is written, a modification of it
     * is the way. The modified certificate renews as any other.
     */
    @Test
    void aCertificateUnderAFormerNameIsModifiedNotRenewedRekeyedOrReplaced() throws Exception {
        KeyPair oldKey = f.sm2();
        CertificateRecord kept = issuePersonal(oldKey);
        CertificateRecord other = issuePersonal(f.sm2());
        KeyPair newKey = f.sm2();
        EnrollmentRequest renamed = enrollment.approve(EnrollmentFixture.REVIEWER, lifecycle.modify(
                EnrollmentFixture.CLERK, CA, other.serial(), personal("Zhang Sanfeng", newKey)).id());
        assertThat(f.stores.registrations.get(kept.subscriberId()).realName()).isEqualTo("Zhang Sanfeng");
        f.clock.set(kept.notAfter().minus(Duration.ofDays(10)));
        int requestsBefore = f.stores.requests.size();
        int recordsBefore = f.stores.certificates.size();

        DomainException renewal = assertRefused(() -> lifecycle.renew(EnrollmentFixture.CLERK, CA, kept.serial(),
                EnrollmentFixture.csr(oldKey, SUBJECT)), DomainException.Kind.CONFLICT, "registered under another name");
        byte[] rekeyCsr = EnrollmentFixture.csr(f.sm2(), SUBJECT);
        assertRefused(() -> lifecycle.rekey(EnrollmentFixture.CLERK, CA, kept.serial(), rekeyCsr,
                proof(kept, oldKey, rekeyCsr)), DomainException.Kind.CONFLICT, "modification of it");
        assertThat(renewal.field()).isEqualTo("serial");
        assertThat(renewal.getMessage()).doesNotContain("Zhang");
        assertThat(f.stores.requests).as("no request left behind").hasSize(requestsBefore);
        assertThat(f.stores.certificates).as("no record left behind").hasSize(recordsBefore);
        assertThat(f.stores.registrations.get(kept.subscriberId()).realName()).isEqualTo("Zhang Sanfeng");
        assertThat(stored(kept).status()).isEqualTo(CertificateStatus.VALID);

        CertificateRecord modified = single(renamed);
        EnrollmentRequest renewed = lifecycle.renew(EnrollmentFixture.CLERK, CA, modified.serial(),
                EnrollmentFixture.csr(newKey, "CN=Zhang Sanfeng,O=Test Bureau,C=CN"));
        assertThat(renewed.state()).isEqualTo(RequestState.ISSUED);
        EnrollmentRequest keptModified = enrollment.approve(EnrollmentFixture.REVIEWER, lifecycle.modify(
                EnrollmentFixture.CLERK, CA, kept.serial(), personal("Zhang Sanfeng", f.sm2())).id());
        assertThat(keptModified.state()).isEqualTo(RequestState.ISSUED);
    }

    /**
     * Probe: a renewal, rekey or replacement whose CSR carries a key revoked for key compromise (in a
     * sibling certificate) was stored first and refused only by the issuance's check — a REJECTED
     * request left behind, and a replacement waiting SUBMITTED in the reviewers' queue. Like a new
     * application and a modification, it is refused before anything is written.
     */
    @Test
    void aRenewalRekeyOrReplacementOverACompromisedKeyIsRefusedBeforeAnythingIsWritten() {
        KeyPair shared = f.sm2();
        CertificateRecord kept = issuePersonal(shared);
        CertificateRecord sibling = issuePersonal(shared);
        KeyPair burntKey = f.sm2();
        CertificateRecord burnt = issuePersonal(burntKey);
        f.revocations().revokeByOperator(EnrollmentFixture.RA_ADMIN, CA, sibling.serial(),
                RevocationReason.KEY_COMPROMISE, Requester.SUBSCRIBER, null);
        f.revocations().revokeByOperator(EnrollmentFixture.RA_ADMIN, CA, burnt.serial(),
                RevocationReason.KEY_COMPROMISE, Requester.SUBSCRIBER, null);
        f.clock.set(kept.notAfter().minus(Duration.ofDays(10)));
        int requestsBefore = f.stores.requests.size();
        int recordsBefore = f.stores.certificates.size();

        DomainException renewal = assertRefused(() -> lifecycle.renew(EnrollmentFixture.CLERK, CA, kept.serial(),
                EnrollmentFixture.csr(shared, SUBJECT)), DomainException.Kind.BAD_REQUEST, "key compromise");
        byte[] burntCsr = EnrollmentFixture.csr(burntKey, SUBJECT);
        DomainException rekey = assertRefused(() -> lifecycle.rekey(EnrollmentFixture.CLERK, CA, kept.serial(),
                burntCsr, proof(kept, shared, burntCsr)), DomainException.Kind.BAD_REQUEST, "key compromise");
        DomainException replacement = assertRefused(() -> lifecycle.replace(EnrollmentFixture.RA_ADMIN, CA,
                kept.serial(), burntCsr, "USB key lost"), DomainException.Kind.BAD_REQUEST, "key compromise");

        assertThat(List.of(renewal.field(), rekey.field(), replacement.field())).containsOnly("csr");
        assertThat(f.stores.requests).as("no request left behind").hasSize(requestsBefore);
        assertThat(f.stores.certificates).as("no record left behind").hasSize(recordsBefore);
        assertThat(stored(kept).status()).isEqualTo(CertificateStatus.VALID);
    }

    // --- replacement ---

    @Test
    void aReplacementEndsWhenTheOriginalWouldHaveAndSupersedesIt() {
        CertificateRecord old = issuePersonal(f.sm2());
        f.clock.advance(Duration.ofDays(100));
        KeyPair newKey = f.sm2();

        EnrollmentRequest entered = lifecycle.replace(EnrollmentFixture.RA_ADMIN, CA, old.serial(),
                EnrollmentFixture.csr(newKey, SUBJECT), "USB key lost");
        EnrollmentRequest replacement = enrollment.approve(EnrollmentFixture.REVIEWER, entered.id());

        assertThat(replacement.kind()).isEqualTo(RequestKind.REPLACEMENT);
        assertThat(replacement.state()).isEqualTo(RequestState.ISSUED);
        assertThat(replacement.enteredBy()).isEqualTo(EnrollmentFixture.RA_ADMIN.dn());
        assertThat(replacement.reviewedBy()).isEqualTo(EnrollmentFixture.REVIEWER.dn());
        CertificateRecord replaced = single(replacement);
        assertThat(replaced.notAfter()).isEqualTo(old.notAfter());
        assertThat(replaced.notBefore()).isEqualTo(f.clock.instant());
        assertThat(Pem.parseCertificate(replaced.certificateDer()).getNotAfter().toInstant()).isEqualTo(old.notAfter());
        assertSuperseded(old);
        assertThat(f.audit.ofType(AuditEventType.REPLACEMENT_REQUESTED)).singleElement()
                .satisfies(e -> assertThat(e.details()).containsEntry("reason", "USB key lost"));
    }

    @Test
    void aReplacementReasonGoesToTheAuditTrailWithItsNumbersMasked() {
        CertificateRecord old = issuePersonal(f.sm2());

        lifecycle.replace(EnrollmentFixture.RA_ADMIN, CA, old.serial(), EnrollmentFixture.csr(f.sm2(), SUBJECT),
                "USB key of 11010519491231002X lost, reported from 13912345678");

        assertThat(f.audit.ofType(AuditEventType.REPLACEMENT_REQUESTED)).singleElement()
                .satisfies(e -> assertThat(e.details()).containsEntry("reason",
                        "USB key of 110***********002X lost, reported from 13*******78"));
    }

    /**
     * A replacement certifies a key the subscriber never proves with the old one (the medium is
     * lost): it follows the application's identity check and acceptance (002 §3.7), so a second
     * person reviews it. Issued at once, it let one RA admin certify a key of its own for anyone's
     * subject and revoke theirs.
     */
    @Test
    void aReplacementWaitsForAReviewerOtherThanTheAdminWhoEnteredIt() {
        CertificateRecord old = issuePersonal(f.sm2());
        Operator raReviewer = new Operator("ra2", "uid=ra2,ou=operators,o=egov-pki,c=CN", "ra2",
                EnumSet.of(Role.RA_ADMIN, Role.REVIEWER));

        EnrollmentRequest entered = lifecycle.replace(raReviewer, CA, old.serial(),
                EnrollmentFixture.csr(f.sm2(), SUBJECT), "USB key lost");

        assertThat(entered.state()).isEqualTo(RequestState.SUBMITTED);
        assertThat(entered.kind()).isEqualTo(RequestKind.REPLACEMENT);
        assertThat(entered.reviewedBy()).isNull();
        assertThat(f.stores.findByRequest(entered.id())).as("nothing issued before the review").isEmpty();
        assertThat(stored(old).status()).isEqualTo(CertificateStatus.VALID);
        assertThat(f.audit.ofType(AuditEventType.REPLACEMENT_REQUESTED)).singleElement()
                .satisfies(e -> assertThat(e.details()).containsEntry("reason", "USB key lost"));

        // The admin who entered it is a reviewer too, on every channel the same rule: not its own.
        assertRefused(() -> enrollment.approve(raReviewer, entered.id()), DomainException.Kind.FORBIDDEN,
                "a second person must review it");
        assertThat(f.stores.find(entered.id()).orElseThrow().state()).isEqualTo(RequestState.SUBMITTED);
        assertThat(f.stores.findByRequest(entered.id())).isEmpty();
        assertThat(stored(old).status()).isEqualTo(CertificateStatus.VALID);

        EnrollmentRequest issued = enrollment.approve(EnrollmentFixture.REVIEWER, entered.id());
        assertThat(issued.state()).isEqualTo(RequestState.ISSUED);
        assertThat(single(issued).notAfter()).isEqualTo(old.notAfter());
        assertSuperseded(old);
    }

    @Test
    void aReplacementWhoseOriginalWasRevokedWhileItWaitedIsNotIssued() {
        CertificateRecord old = issuePersonal(f.sm2());
        EnrollmentRequest entered = lifecycle.replace(EnrollmentFixture.RA_ADMIN, CA, old.serial(),
                EnrollmentFixture.csr(f.sm2(), SUBJECT), null);
        f.revocations().revokeByOperator(EnrollmentFixture.RA_ADMIN, CA, old.serial(),
                RevocationReason.KEY_COMPROMISE, Requester.SUBSCRIBER, null);

        assertThatThrownBy(() -> enrollment.approve(EnrollmentFixture.REVIEWER, entered.id()))
                .isInstanceOf(DomainException.class).hasMessageContaining("was revoked");
        assertThat(f.stores.findByRequest(entered.id())).isEmpty();
        assertThat(f.stores.find(entered.id()).orElseThrow().state()).isEqualTo(RequestState.REJECTED);
    }

    @Test
    void onlyAnRaOrCaAdminReplacesAndNeverWithTheLostKey() {
        KeyPair key = f.sm2();
        CertificateRecord old = issuePersonal(key);

        assertRefused(() -> lifecycle.replace(EnrollmentFixture.CLERK, CA, old.serial(),
                EnrollmentFixture.csr(f.sm2(), SUBJECT), null), DomainException.Kind.FORBIDDEN, "RA or CA admin");
        assertRefused(() -> lifecycle.replace(EnrollmentFixture.RA_ADMIN, CA, old.serial(),
                EnrollmentFixture.csr(key, SUBJECT), null), DomainException.Kind.BAD_REQUEST, "new medium");
        assertNothingChangedSince(old);
    }

    // --- crash between the new certificate and the supersession ---

    /** What a killed process looks like to the code after the step: nothing more happens. */
    private static final class Crash extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }

    @ParameterizedTest(name = "crash after {0}")
    @EnumSource(IssuanceStep.class)
    void aModificationThatCrashedAfterAnyStepIsFinishedByRecoveryAndSupersedesTheOriginalOnce(IssuanceStep crashAfter) {
        CertificateRecord old = issuePersonal(f.sm2());
        Issuer crashing = f.issuer((step, record) -> {
            if (step == crashAfter) {
                throw new Crash();
            }
        });
        EnrollmentRequest entered = f.lifecycle(crashing).modify(EnrollmentFixture.CLERK, CA, old.serial(),
                personal("Zhang Sanfeng", f.sm2()));
        assertThatThrownBy(() -> f.service(crashing).approve(EnrollmentFixture.REVIEWER, entered.id()))
                .isInstanceOf(Crash.class);
        if (crashAfter.compareTo(IssuanceStep.SUPERSEDED) < 0) {
            assertThat(stored(old).status()).as("the crash came before the supersession")
                    .isEqualTo(CertificateStatus.VALID);
        }

        f.issuer(IssuanceObserver.NONE).recover();

        EnrollmentRequest after = f.stores.find(entered.id()).orElseThrow();
        assertThat(after.state()).isEqualTo(RequestState.ISSUED);
        assertThat(single(after).issuanceState()).isEqualTo(IssuanceState.PUBLISHED);
        assertThat(f.stores.published.get(after.subscriberId()))
                .as("the new certificate is on the entry once, never a second one for its serial")
                .filteredOn(der -> java.util.Arrays.equals(der, single(after).certificateDer())).hasSize(1);
        assertThat(f.stores.published.get(after.subscriberId())).as("one certificate: the original came off")
                .hasSize(1);
        assertSuperseded(old);
        assertThat(f.audit.ofType(AuditEventType.CERTIFICATE_REVOKED))
                .filteredOn(e -> e.outcome() == AuditOutcome.SUCCESS && e.subjects().contains(old.id()))
                .as("superseded exactly once").hasSize(1);

        assertThat(f.issuer(IssuanceObserver.NONE).recover()).as("recovery is idempotent").isZero();
    }

    @Test
    void aReplacementThatCrashedBeforeTheSupersessionIsFinishedByRecovery() {
        CertificateRecord old = issuePersonal(f.sm2());
        Issuer crashing = f.issuer((step, record) -> {
            if (step == IssuanceStep.PUBLISHED) {
                throw new Crash();
            }
        });
        EnrollmentRequest entered = f.lifecycle(crashing).replace(EnrollmentFixture.RA_ADMIN, CA, old.serial(),
                EnrollmentFixture.csr(f.sm2(), SUBJECT), null);
        assertThatThrownBy(() -> f.service(crashing).approve(EnrollmentFixture.REVIEWER, entered.id()))
                .isInstanceOf(Crash.class);
        assertThat(stored(old).status()).isEqualTo(CertificateStatus.VALID);

        assertThat(f.issuer(IssuanceObserver.NONE).recover()).isEqualTo(1);

        assertSuperseded(old);
        EnrollmentRequest replacement = f.stores.requests.values().stream()
                .filter(r -> r.kind() == RequestKind.REPLACEMENT).findFirst().orElseThrow();
        assertThat(replacement.state()).isEqualTo(RequestState.ISSUED);
        assertThat(single(replacement).notAfter()).isEqualTo(old.notAfter());
    }

    // --- helpers ---

    private CertificateRecord issuePersonal(KeyPair key) {
        EnrollmentRequest submitted = enrollment.submit(EnrollmentFixture.CLERK, personal(NAME, key));
        EnrollmentRequest issued = enrollment.approve(EnrollmentFixture.REVIEWER, submitted.id());
        return single(issued);
    }

    private static Submission personal(String name, KeyPair key) {
        RegistrationData registration = new RegistrationData(name, RegistrationData.RESIDENT_ID, ID_NUMBER, null,
                null, null, null, null, null, null, null, null, null, List.of(), List.of(), null);
        return new Submission(EnrollmentFixture.csr(key, "CN=" + name + ",O=Test Bureau,C=CN"), "personal", null,
                registration, "tax", "410000", false, "a challenge phrase".toCharArray(), true);
    }

    private CertificateRecord single(EnrollmentRequest request) {
        List<CertificateRecord> records = f.stores.findByRequest(request.id());
        assertThat(records).hasSize(1);
        return records.get(0);
    }

    private CertificateRecord stored(CertificateRecord record) {
        return f.stores.find(record.issuer(), record.serial()).orElseThrow();
    }

    private CertificateRecord assertSuperseded(CertificateRecord old) {
        CertificateRecord revoked = stored(old);
        assertThat(revoked.status()).isEqualTo(CertificateStatus.REVOKED);
        assertThat(revoked.revocation().reason()).isEqualTo(RevocationReason.SUPERSEDED);
        assertThat(revoked.revocation().reason().rfc5280Name()).isEqualTo("superseded");
        assertThat(revoked.revocation().channel()).isEqualTo(RevocationChannel.SUPERSEDED);
        assertThat(f.stores.published.get(old.subscriberId()))
                .noneMatch(der -> java.util.Arrays.equals(der, old.certificateDer()));
        return revoked;
    }

    /** The original is untouched and no request or record was added after it. */
    private void assertNothingChangedSince(CertificateRecord old) {
        assertThat(f.stores.requests).as("no request left behind").hasSize(1);
        assertThat(f.stores.certificates).as("no record left behind").hasSize(1);
        assertThat(stored(old).status()).isEqualTo(CertificateStatus.VALID);
        assertThat(f.stores.requests.values()).allMatch(r -> r.state() == RequestState.ISSUED);
    }

    private static DomainException assertRefused(Runnable action, DomainException.Kind kind, String message) {
        try {
            action.run();
        } catch (DomainException e) {
            assertThat(e.kind()).as(e.getMessage()).isEqualTo(kind);
            assertThat(e.getMessage()).contains(message);
            return e;
        }
        throw new AssertionError("expected a refusal containing '" + message + "'");
    }

    /** A CMS SignedData over {@code csr}, signed by {@code key} as the holder of {@code old}. */
    static byte[] proof(CertificateRecord old, KeyPair key, byte[] csr) {
        try {
            X509Certificate certificate = Pem.parseCertificate(old.certificateDer());
            CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
            generator.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(new JcaDigestCalculatorProviderBuilder()
                    .setProvider(BouncyCastle.PROVIDER).build())
                    .build(new JcaContentSignerBuilder("SM3WITHSM2").setProvider(BouncyCastle.PROVIDER)
                            .build(key.getPrivate()), certificate));
            generator.addCertificates(new JcaCertStore(List.of(certificate)));
            return generator.generate(new CMSProcessableByteArray(csr), true).getEncoded();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
