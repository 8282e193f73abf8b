package org.egovpki.core.enroll;

import org.egovpki.core.enroll.validation.RegistrationData;
import org.egovpki.core.operator.Operator;
import org.egovpki.core.operator.Role;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import java.util.List;
import org.egovpki.core.DomainException;
import org.egovpki.core.profile.CertificateProfile;
import org.egovpki.core.profile.ProfileCatalog;
import org.egovpki.core.audit.AuditEventType;
import org.egovpki.core.audit.AuditOutcome;
import org.egovpki.core.ca.CaRegistry;
import org.egovpki.core.ca.EnrollmentFixture;
import org.egovpki.core.certificate.CertificateRecord;
import org.egovpki.core.profile.CertificateType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The two-person rule, validation-before-write and the decisions, on the real enrollment stack. */
class EnrollmentServiceTest {


    private static CaRegistry cas;

    private EnrollmentFixture f;
    private EnrollmentService service;

    @BeforeAll
    static void createCas() {
        cas = EnrollmentFixture.createCas();
    }

    @BeforeEach
    void setUp() {
        f = new EnrollmentFixture(cas);
        service = f.service();
    }

    private EnrollmentRequest submitZhangSan(boolean optOut) {
        return service.submit(EnrollmentFixture.CLERK,
                EnrollmentFixture.personal("Zhang San", "11010519491231002X", f.sm2(), optOut));
    }

    @Test
    void aReviewerApprovesAndTheCertificateIsIssuedRecordedAndPublished() {
        EnrollmentRequest submitted = submitZhangSan(false);
        assertThat(submitted.state()).isEqualTo(RequestState.SUBMITTED);

        EnrollmentRequest issued = service.approve(EnrollmentFixture.REVIEWER, submitted.id());

        assertThat(issued.state()).isEqualTo(RequestState.ISSUED);
        assertThat(issued.reviewedBy()).isEqualTo(EnrollmentFixture.REVIEWER.dn());
        CertificateRecord record = f.stores.findByRequest(issued.id()).get(0);
        assertThat(issued.resultSerials()).containsExactly(record.serialHex());
        assertThat(f.stores.published.get(issued.subscriberId())).hasSize(1);
        assertThat(f.audit.ofType(AuditEventType.CERTIFICATE_ISSUED)).hasSize(1);
        assertThat(f.audit.ofType(AuditEventType.CERTIFICATE_PUBLISHED)).hasSize(1);
    }

    @Test
    void theEntryClerkCannotApproveTheirOwnRequestAndNothingChanges() {
        EnrollmentRequest submitted = submitZhangSan(false);
        Operator clerkWhoIsAlsoReviewer = new Operator("clerk1", EnrollmentFixture.CLERK.dn().toUpperCase(), "Clerk",
                java.util.EnumSet.of(Role.ENTRY_CLERK, Role.REVIEWER));

        assertThatThrownBy(() -> service.approve(clerkWhoIsAlsoReviewer, submitted.id()))
                .isInstanceOf(DomainException.class)
                .hasMessageContaining("entry clerk cannot approve their own request")
                .extracting(e -> ((DomainException) e).kind()).isEqualTo(DomainException.Kind.FORBIDDEN);
        assertThat(f.stores.find(submitted.id()).orElseThrow().state()).isEqualTo(RequestState.SUBMITTED);
        assertThat(f.stores.certificates).isEmpty();
        assertThat(f.audit.ofType(AuditEventType.REQUEST_APPROVED)).singleElement()
                .extracting(e -> e.outcome()).isEqualTo(AuditOutcome.FAILURE);
    }

    @Test
    void onlyReviewersApprove() {
        EnrollmentRequest submitted = submitZhangSan(false);

        assertThatThrownBy(() -> service.approve(EnrollmentFixture.CLERK_2, submitted.id()))
                .hasMessageContaining("not a reviewer");
        assertThatThrownBy(() -> service.approve(EnrollmentFixture.RA_ADMIN, submitted.id()))
                .hasMessageContaining("not a reviewer");
        assertThat(f.stores.find(submitted.id()).orElseThrow().state()).isEqualTo(RequestState.SUBMITTED);
    }

    @Test
    void aDecidedRequestCannotBeDecidedAgain() {
        EnrollmentRequest submitted = submitZhangSan(false);
        service.approve(EnrollmentFixture.REVIEWER, submitted.id());

        assertThatThrownBy(() -> service.reject(EnrollmentFixture.REVIEWER, submitted.id(), "late"))
                .extracting(e -> ((DomainException) e).kind()).isEqualTo(DomainException.Kind.CONFLICT);
    }

    @Test
    void anOptedOutSubscriberIsRegisteredButNotPublished() {
        EnrollmentRequest issued = service.approve(EnrollmentFixture.REVIEWER, submitZhangSan(true).id());

        assertThat(issued.state()).isEqualTo(RequestState.ISSUED);
        assertThat(f.stores.published).doesNotContainKey(issued.subscriberId());
        assertThat(f.stores.holders).containsValue(issued.subscriberId());
    }

    @Test
    void aRejectionNeedsAReasonAndKeepsIt() {
        EnrollmentRequest submitted = submitZhangSan(false);

        assertThatThrownBy(() -> service.reject(EnrollmentFixture.REVIEWER, submitted.id(), " "))
                .extracting(e -> ((DomainException) e).field()).isEqualTo("reason");
        EnrollmentRequest rejected = service.reject(EnrollmentFixture.REVIEWER, submitted.id(), "ID copy unreadable");

        assertThat(rejected.state()).isEqualTo(RequestState.REJECTED);
        assertThat(rejected.rejectionReason()).isEqualTo("ID copy unreadable");
        assertThat(f.stores.certificates).isEmpty();
    }

    @Test
    void aRejectionReasonKeepsNoWholeNumber() {
        // The reviewer sees the numbers whole and may quote one; the reason goes to the clerk, the auditor, the
        // audit trail and the subscriber, who must not get it whole.
        EnrollmentRequest submitted = submitZhangSan(false);

        EnrollmentRequest rejected = service.reject(EnrollmentFixture.REVIEWER, submitted.id(),
                "ID number 11010519491231002x does not match the card; call +86 139 1234 5678");

        assertThat(rejected.rejectionReason()).isEqualTo(
                "ID number 110***********002x does not match the card; call +86**********5678");
        assertThat(f.stores.requests.get(submitted.id()).rejectionReason()).isEqualTo(rejected.rejectionReason());
        assertThat(f.audit.events).allSatisfy(e -> assertThat(e.toString())
                .doesNotContainIgnoringCase("11010519491231002X").doesNotContain("1234 5678"));
    }

    @Test
    void theClerkCancelsButAnotherClerkMayNot() {
        EnrollmentRequest submitted = submitZhangSan(false);

        assertThatThrownBy(() -> service.cancel(EnrollmentFixture.CLERK_2, submitted.id()))
                .extracting(e -> ((DomainException) e).kind()).isEqualTo(DomainException.Kind.FORBIDDEN);
        assertThat(service.cancel(EnrollmentFixture.CLERK, submitted.id()).state()).isEqualTo(RequestState.CANCELLED);
    }

    @Test
    void aSubjectDnHeldByAnotherSubscriberIsRefusedWith409AndNothingIsStored() {
        service.approve(EnrollmentFixture.REVIEWER, submitZhangSan(false).id());
        int requests = f.stores.requests.size();

        // Another person (other ID number) named Zhang San asks for the same DN.
        assertThatThrownBy(() -> service.submit(EnrollmentFixture.CLERK,
                EnrollmentFixture.personal("Zhang San", "440524198001010013", f.sm2(), false)))
                .isInstanceOf(DomainException.class)
                .hasMessageContaining("another subscriber").hasMessageContaining("distinguishing attribute")
                .satisfies(e -> {
                    assertThat(((DomainException) e).kind()).isEqualTo(DomainException.Kind.CONFLICT);
                    assertThat(((DomainException) e).field()).isEqualTo("subject");
                });
        assertThat(f.stores.requests).hasSize(requests);
    }

    @Test
    void theSameSubscriberMayHoldSeveralCertificatesUnderItsDn() {
        service.approve(EnrollmentFixture.REVIEWER, submitZhangSan(false).id());

        EnrollmentRequest second = submitZhangSan(false);

        assertThat(second.state()).isEqualTo(RequestState.SUBMITTED);
    }

    @Test
    void withoutAgreementOrWithABadCsrNothingIsStored() {
        KeyPair key = f.sm2();
        Submission base = EnrollmentFixture.personal("Wang Wu", "11010519491231002X", key, false);
        Submission noAgreement = new Submission(base.csr(), base.profile(), null, base.registration(),
                base.businessType(), base.region(), false, base.challengePhrase(), false);
        byte[] tampered = base.csr();
        tampered[tampered.length - 3] ^= 1;
        Submission badCsr = new Submission(tampered, base.profile(), null, base.registration(), null, null, false,
                base.challengePhrase(), true);

        assertThatThrownBy(() -> service.submit(EnrollmentFixture.CLERK, noAgreement))
                .extracting(e -> ((DomainException) e).field()).isEqualTo("agreementAccepted");
        assertThatThrownBy(() -> service.submit(EnrollmentFixture.CLERK, badCsr))
                .extracting(e -> ((DomainException) e).field()).isEqualTo("csr");
        assertThat(f.stores.requests).isEmpty();
        assertThat(f.audit.ofType(AuditEventType.REQUEST_SUBMITTED)).hasSize(2)
                .allSatisfy(e -> assertThat(e.outcome()).isEqualTo(AuditOutcome.FAILURE));
    }

    @Test
    void aRefusedIdNumberIsNeitherAuditedNorReturnedWhole() {
        Submission wrongCheckDigit = EnrollmentFixture.personal("Wang Wu", "110105194912310021", f.sm2(), false);

        assertThatThrownBy(() -> service.submit(EnrollmentFixture.CLERK, wrongCheckDigit))
                .hasMessageContaining("wrong check digit").hasMessageNotContaining("110105194912310021")
                .hasMessageNotContaining("19491231").hasMessageContaining("110***********0021");
        assertThat(f.audit.events).isNotEmpty().allSatisfy(e -> assertThat(e.toString())
                .doesNotContain("110105194912310021").doesNotContain("19491231"));
        assertThat(f.stores.requests).isEmpty();
    }

    @Test
    void requestsAreReadByTheRaOperatorsAndTheAuditorOnly() {
        EnrollmentRequest submitted = submitZhangSan(false);
        Operator auditor = operator("auditor1", Role.AUDITOR);
        Operator caAdmin = operator("admin", Role.CA_ADMIN);

        for (Role role : List.of(Role.KM_BUSINESS_ADMIN, Role.KM_OPERATOR, Role.KEY_CUSTODIAN, Role.SUPER_ADMIN,
                Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN)) {
            Operator other = operator("other1", role);
            assertThatThrownBy(() -> service.get(other, submitted.id())).as(role.name())
                    .isInstanceOfSatisfying(DomainException.class, e -> {
                        assertThat(e.kind()).isEqualTo(DomainException.Kind.FORBIDDEN);
                        assertThat(e.getMessage()).contains("other1 may not read requests",
                                "ENTRY_CLERK, REVIEWER, RA_ADMIN, CA_ADMIN or AUDITOR").doesNotContain("Zhang San");
                    });
            assertThatThrownBy(() -> service.list(other, null, 100)).as(role.name())
                    .isInstanceOfSatisfying(DomainException.class,
                            e -> assertThat(e.kind()).isEqualTo(DomainException.Kind.FORBIDDEN));
        }
        assertThatThrownBy(() -> service.get(operator("other1", Role.KEY_CUSTODIAN), "r-no-such"))
                .as("refused before the lookup").isInstanceOfSatisfying(DomainException.class,
                        e -> assertThat(e.kind()).isEqualTo(DomainException.Kind.FORBIDDEN));

        for (Operator reader : List.of(EnrollmentFixture.CLERK, EnrollmentFixture.REVIEWER, EnrollmentFixture.RA_ADMIN,
                caAdmin, auditor)) {
            assertThat(service.get(reader, submitted.id()).id()).as(reader.uid()).isEqualTo(submitted.id());
            assertThat(service.list(reader, RequestState.SUBMITTED, 100)).as(reader.uid())
                    .extracting(EnrollmentRequest::id).containsExactly(submitted.id());
        }
        assertThat(service.registrationAsSeenBy(auditor, submitted).idNumber()).as("the auditor sees it masked")
                .isEqualTo("110***********002X");
    }

    private static Operator operator(String uid, Role role) {
        return new Operator(uid, "uid=" + uid + ",ou=operators,o=egov-pki,c=CN", uid, java.util.EnumSet.of(role));
    }

    @Test
    void onlyReviewersAndRaAdminsSeeTheIdNumberWholeEveryoneElseSeesItMasked() {
        EnrollmentRequest submitted = submitZhangSan(false);

        assertThat(service.registrationAsSeenBy(EnrollmentFixture.REVIEWER, submitted).idNumber())
                .isEqualTo("11010519491231002X");
        assertThat(service.registrationAsSeenBy(EnrollmentFixture.RA_ADMIN, submitted).idNumber())
                .isEqualTo("11010519491231002X");
        RegistrationData seenByClerk = service.registrationAsSeenBy(EnrollmentFixture.CLERK, submitted);
        assertThat(seenByClerk.idNumber()).isEqualTo("110***********002X");
        assertThat(seenByClerk.realName()).isEqualTo("Zhang San");
        assertThat(seenByClerk.phone()).isNull();
    }

    @Test
    void aBulkProfileApprovesAutomaticallyOnlyForAnRaAdmin() {
        EnrollmentRequest byRa = service.submit(EnrollmentFixture.RA_ADMIN,
                EnrollmentFixture.device("a.example.gov.cn", f.sm2()));
        EnrollmentRequest byClerk = service.submit(EnrollmentFixture.CLERK,
                EnrollmentFixture.device("b.example.gov.cn", f.sm2()));

        assertThat(byRa.state()).isEqualTo(RequestState.ISSUED);
        assertThat(byClerk.state()).isEqualTo(RequestState.SUBMITTED);
    }

    @Test
    void aBatchStoresTheGoodItemsAndReportsTheBadOnes() {
        List<EnrollmentService.BatchResult> results = service.submitBatch(EnrollmentFixture.RA_ADMIN, List.of(
                EnrollmentFixture.device("c.example.gov.cn", f.sm2()),
                EnrollmentFixture.personal("Zhao Liu", "11010519491231002Y", f.sm2(), false),
                EnrollmentFixture.device("d.example.gov.cn", f.sm2())));

        assertThat(results).extracting(r -> r.request() == null ? "error:" + r.error().field() : "ok")
                .containsExactly("ok", "error:registration.idNumber", "ok");
    }

    @Test
    void twoPendingRequestsForOneDnFromDifferentSubscribersCannotBothBeApproved() {
        EnrollmentRequest first = submitZhangSan(false);
        EnrollmentRequest second = service.submit(EnrollmentFixture.CLERK,
                EnrollmentFixture.personal("Zhang San", "440524198001010013", f.sm2(), false));
        service.approve(EnrollmentFixture.REVIEWER, first.id());

        assertThatThrownBy(() -> service.approve(EnrollmentFixture.REVIEWER, second.id()))
                .extracting(e -> ((DomainException) e).kind()).isEqualTo(DomainException.Kind.CONFLICT);
        assertThat(f.stores.find(second.id()).orElseThrow().state()).isEqualTo(RequestState.SUBMITTED);
        assertThat(f.stores.findByRequest(second.id())).isEmpty();
    }

    @Test
    void anRaChosenSubscriberIdCannotCarrySomeoneElsesApplication() {
        Submission zhang = EnrollmentFixture.personal("Zhang San", "11010519491231002X", f.sm2(), false);
        service.approve(EnrollmentFixture.REVIEWER, service.submit(EnrollmentFixture.CLERK, withSubscriber(zhang,
                "s-1")).id());
        Submission li = EnrollmentFixture.personal("Li Si", "440524198001010013", f.sm2(), false);

        assertThatThrownBy(() -> service.submit(EnrollmentFixture.CLERK, withSubscriber(li, "s-1")))
                .extracting(e -> ((DomainException) e).field()).isEqualTo("subscriberId");
    }

    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> oddBusinessTypesAndRegions() {
        return java.util.stream.Stream.of(new String[][] {{"businessType", "a\u0000b"}, {"businessType", "tax\u202e"},
                {"businessType", "<script>x</script>"}, {"businessType", "*)(x=*"}, {"businessType", "t".repeat(300)},
                {"region", "abc"}, {"region", "1".repeat(300)}})
                .map(a -> org.junit.jupiter.params.provider.Arguments.of((Object[]) a));
    }

    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.MethodSource("oddBusinessTypesAndRegions")
    void aBusinessTypeOrRegionThatIsNotAnIdentifierIsRefusedNamingTheFieldAndNothingIsStored(String field,
                                                                                             String value) {
        Submission good = EnrollmentFixture.personal("Zhang San", "11010519491231002X", f.sm2(), false);
        Submission odd = new Submission(good.csr(), good.profile(), good.subscriberId(), good.registration(),
                field.equals("businessType") ? value : good.businessType(),
                field.equals("region") ? value : good.region(), good.publishOptOut(), good.challengePhrase(),
                good.agreementAccepted());
        int requestsBefore = f.stores.requests.size();

        assertThatThrownBy(() -> service.submit(EnrollmentFixture.CLERK, odd))
                .isInstanceOfSatisfying(DomainException.class, e -> {
                    assertThat(e.kind()).isEqualTo(DomainException.Kind.BAD_REQUEST);
                    assertThat(e.field()).isEqualTo(field);
                });
        assertThat(f.stores.requests).hasSize(requestsBefore);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"110105-19800101-0016", "110105.19800101.0016",
            "110105800101001"})
    void aSubscriberIdSpellingOutTheIdNumberWithSeparatorsOrItsShortFormIsRefusedWithoutTheNumber(String id) {
        Submission zhang = EnrollmentFixture.personal("Zhang San", "110105198001010016", f.sm2(), false);
        int requestsBefore = f.stores.requests.size();

        assertThatThrownBy(() -> service.submit(EnrollmentFixture.CLERK, withSubscriber(zhang, id)))
                .isInstanceOfSatisfying(DomainException.class, e -> {
                    assertThat(e.kind()).isEqualTo(DomainException.Kind.BAD_REQUEST);
                    assertThat(e.field()).isEqualTo("subscriberId");
                    assertThat(e.getMessage()).doesNotContain("0016").doesNotContain("800101").contains("ID or phone");
                });
        assertThat(f.stores.requests).hasSize(requestsBefore);
    }

    @Test
    void aDeviceRequestNamingAPersonalSubscriberIsRefusedAndNothingChanges() {
        EnrollmentRequest zhang = service.approve(EnrollmentFixture.REVIEWER, submitZhangSan(false).id());
        String personal = zhang.subscriberId();
        RegistrationData before = f.stores.registrations.get(personal);
        int requestsBefore = f.stores.requests.size();

        assertThatThrownBy(() -> service.submit(EnrollmentFixture.CLERK,
                withSubscriber(EnrollmentFixture.device("www.example.gov.cn", f.sm2()), personal)))
                .isInstanceOfSatisfying(DomainException.class, e -> {
                    assertThat(e.kind()).isEqualTo(DomainException.Kind.CONFLICT);
                    assertThat(e.field()).isEqualTo("subscriberId");
                    assertThat(e.getMessage()).contains("PERSONAL subscriber").contains("DEVICE application");
                });
        assertThat(f.stores.requests).hasSize(requestsBefore);
        assertThat(f.stores.registrations.get(personal)).isEqualTo(before);
        assertThat(f.stores.subscriberKinds.get(personal)).isEqualTo("PERSONAL");
    }

    @Test
    void aDeviceSubscriberIdCannotCarryAnotherOwnersDevice() {
        EnrollmentRequest first = service.submit(EnrollmentFixture.RA_ADMIN,
                EnrollmentFixture.device("a.example.gov.cn", f.sm2()));
        Submission other = EnrollmentFixture.device("b.example.gov.cn", f.sm2());
        RegistrationData r = other.registration();
        Submission otherOwner = withSubscriber(new Submission(other.csr(), other.profile(), null,
                new RegistrationData(null, null, null, null, null, null, null, null, null, null, null, null, null,
                        r.hostNames(), r.ipAddresses(), "Finance department"), null, null, false,
                other.challengePhrase(), true), first.subscriberId());

        assertThatThrownBy(() -> service.submit(EnrollmentFixture.CLERK, otherOwner))
                .extracting(e -> ((DomainException) e).field()).isEqualTo("subscriberId");
    }

    /**
     * A reload removed the profile a submitted request names: approving it refuses it at issuance
     * (REJECTED, with the reason, audited) instead of issuing under rules no longer configured.
     */
    @Test
    void aRequestWhoseProfileAReloadRemovedIsRefusedAtIssuanceWithTheReason() {
        EnrollmentRequest submitted = submitZhangSan(false);
        f.profiles.replace(new ProfileCatalog(f.profiles.current().all().stream()
                .filter(e -> !e.profile().name().equals("personal")).toList()));

        assertThatThrownBy(() -> service.approve(EnrollmentFixture.REVIEWER, submitted.id()))
                .isInstanceOfSatisfying(DomainException.class, e -> {
                    assertThat(e.kind()).isEqualTo(DomainException.Kind.CONFLICT);
                    assertThat(e.getMessage()).contains("profile 'personal' is no longer configured")
                            .contains("new application");
                });
        EnrollmentRequest refused = f.stores.find(submitted.id()).orElseThrow();
        assertThat(refused.state()).isEqualTo(RequestState.REJECTED);
        assertThat(refused.rejectionReason()).contains("profile 'personal' is no longer configured");
        assertThat(f.stores.certificates).isEmpty();
    }

    /**
     * Another CA process on the same directory claimed the subject DN for another subscriber after
     * this issuance first looked and before it claimed the DN itself: it sees the other claim, gives
     * its own back and is refused before anything is signed (DN uniqueness across processes).
     */
    @Test
    void aSubjectDnClaimedAtTheSameMomentByAnotherSubscriberIsRefusedBeforeSigning() {
        EnrollmentRequest submitted = submitZhangSan(false);
        f.stores.claims.put(submitted.subjectDn(), new java.util.ArrayList<>(List.of("p-claimed-elsewhere")));

        assertThatThrownBy(() -> service.approve(EnrollmentFixture.REVIEWER, submitted.id()))
                .isInstanceOfSatisfying(DomainException.class, e -> {
                    assertThat(e.kind()).isEqualTo(DomainException.Kind.CONFLICT);
                    assertThat(e.getMessage()).contains("was claimed by another subscriber at the same moment");
                });
        EnrollmentRequest refused = f.stores.find(submitted.id()).orElseThrow();
        assertThat(refused.state()).isEqualTo(RequestState.REJECTED);
        assertThat(f.stores.certificates).as("nothing signed, no serial reserved").isEmpty();
        assertThat(f.stores.holdersOf(submitted.subjectDn())).as("its claim given back")
                .containsExactly("p-claimed-elsewhere");
    }

    /** A reload changed a profile's validity: the request approved after it gets the new validity. */
    @Test
    void aRequestApprovedAfterAReloadIsIssuedUnderTheProfileAsReloaded() {
        EnrollmentRequest submitted = submitZhangSan(false);
        List<ProfileCatalog.Entry> changed = new java.util.ArrayList<>();
        for (ProfileCatalog.Entry e : f.profiles.current().all()) {
            CertificateProfile p = e.profile();
            changed.add(!p.name().equals("personal") ? e : new ProfileCatalog.Entry(new CertificateProfile(p.name(),
                    p.type(), java.time.Period.ofMonths(6), p.dual(), p.identityExtensions(), p.extendedKeyUsages(),
                    p.allowSubjectAltNames(), p.autoApproveForRa(), p.policyOid(), p.cpsUri(), p.description()),
                    e.issuer()));
        }
        f.profiles.replace(new ProfileCatalog(changed));

        service.approve(EnrollmentFixture.REVIEWER, submitted.id());

        var record = f.stores.findByRequest(submitted.id()).get(0);
        assertThat(record.notAfter()).isEqualTo(EnrollmentFixture.NOW.atZone(java.time.ZoneOffset.UTC)
                .plusMonths(6).toInstant());
    }

    @Test
    void theIssuerNeverReplacesAnotherKindsRegistrationEvenForARequestApprovedBeforeTheCheck() {
        // Both requests name the same new id; neither subscriber exists when they are submitted.
        EnrollmentRequest person = service.submit(EnrollmentFixture.CLERK, withSubscriber(
                EnrollmentFixture.personal("Zhang San", "11010519491231002X", f.sm2(), false), "shared-1"));
        EnrollmentRequest device = service.submit(EnrollmentFixture.CLERK, withSubscriber(
                EnrollmentFixture.device("www.example.gov.cn", f.sm2()), "shared-1"));
        service.approve(EnrollmentFixture.REVIEWER, person.id());
        RegistrationData before = f.stores.registrations.get("shared-1");
        // As if approved before the RA checked identities: straight to the issuer.
        EnrollmentRequest approved = device.approved(EnrollmentFixture.REVIEWER.dn(), EnrollmentFixture.NOW);
        f.stores.transition(RequestState.SUBMITTED, approved);

        assertThatThrownBy(() -> f.issuer(org.egovpki.core.ca.IssuanceObserver.NONE)
                .issue(approved, EnrollmentFixture.REVIEWER.dn()))
                .extracting(e -> ((DomainException) e).field()).isEqualTo("subscriberId");
        assertThat(f.stores.registrations.get("shared-1")).isEqualTo(before);
        assertThat(f.stores.subscriberKinds.get("shared-1")).isEqualTo("PERSONAL");
        assertThat(f.stores.findByRequest(device.id())).isEmpty();
        assertThat(f.stores.find(device.id()).orElseThrow().state()).isEqualTo(RequestState.REJECTED);
    }

    @Test
    void theReviewerIsStoppedTooWhenTheSubscriberChangedKindAfterSubmission() {
        EnrollmentRequest person = service.submit(EnrollmentFixture.CLERK, withSubscriber(
                EnrollmentFixture.personal("Zhang San", "11010519491231002X", f.sm2(), false), "shared-2"));
        EnrollmentRequest device = service.submit(EnrollmentFixture.CLERK, withSubscriber(
                EnrollmentFixture.device("www.example.gov.cn", f.sm2()), "shared-2"));
        service.approve(EnrollmentFixture.REVIEWER, person.id());

        assertThatThrownBy(() -> service.approve(EnrollmentFixture.REVIEWER, device.id()))
                .extracting(e -> ((DomainException) e).field()).isEqualTo("subscriberId");
        assertThat(f.stores.find(device.id()).orElseThrow().state()).isEqualTo(RequestState.SUBMITTED);
    }

    @Test
    void aSuppliedSubscriberIdMayNotSpellOutTheIdNumber() {
        assertThatThrownBy(() -> service.submit(EnrollmentFixture.CLERK, withSubscriber(
                EnrollmentFixture.personal("Zhang San", "11010519491231002X", f.sm2(), false),
                "p-11010519491231002x")))
                .extracting(e -> ((DomainException) e).field()).isEqualTo("subscriberId");
        assertThat(f.stores.requests).isEmpty();
    }

    @Test
    void theOldUnkeyedIdCannotBeSuppliedToRecreateIt() {
        Submission zhang = EnrollmentFixture.personal("Zhang San", "11010519491231002X", f.sm2(), false);

        assertThatThrownBy(() -> service.submit(EnrollmentFixture.CLERK, withSubscriber(zhang,
                "p-b74f4b3ae503e5b11804")))
                .extracting(e -> ((DomainException) e).field()).isEqualTo("subscriberId");
        assertThat(f.stores.requests).isEmpty();
    }

    @Test
    void derivedSubscriberIdsAreKeyedNotAnUnkeyedHashOfTheIdNumber() {
        EnrollmentRequest zhang = submitZhangSan(false);
        RegistrationData r = zhang.registration();

        assertThat(zhang.subscriberId()).matches("p-[0-9a-f]{32}")
                .isEqualTo(f.subscriberIds.derive(CertificateType.PERSONAL, r, zhang.subjectDn()))
                .isNotEqualTo(SubscriberIds.legacy(CertificateType.PERSONAL, r, zhang.subjectDn()))
                .isNotEqualTo(new SubscriberIds(new byte[32]).derive(CertificateType.PERSONAL, r, zhang.subjectDn()));
    }

    @Test
    void identityNumbersAreStoredInOneFormSoTwoSpellingsAreOneSubscriber() {
        EnrollmentRequest upper = submitZhangSan(false);
        EnrollmentRequest lower = service.submit(EnrollmentFixture.CLERK,
                EnrollmentFixture.personal("Zhang San", "11010519491231002x", f.sm2(), false));

        assertThat(lower.registration().idNumber()).isEqualTo("11010519491231002X");
        assertThat(lower.subscriberId()).isEqualTo(upper.subscriberId());
    }

    // --- a new application never renames a registered subscriber ---

    private static final String ZHANG_ID = "11010519491231002X";

    /**
     * Someone applies under a registered person's ID number with another name. Issued, it would
     * rename the person's registration and entry; a change of name is a modification, reviewed as
     * one. The refusal names neither the number nor the registered name.
     */
    @Test
    void aNewApplicationUnderARegisteredIdNumberWithAnotherNameIsRefusedAndNothingIsStored() {
        EnrollmentRequest zhang = service.approve(EnrollmentFixture.REVIEWER, submitZhangSan(false).id());
        RegistrationData before = f.stores.registrations.get(zhang.subscriberId());
        int requestsBefore = f.stores.requests.size();

        assertThatThrownBy(() -> service.submit(EnrollmentFixture.CLERK,
                EnrollmentFixture.personal("Li Si", "11010519491231002x", f.sm2(), false)))
                .isInstanceOfSatisfying(DomainException.class, e -> {
                    assertThat(e.kind()).isEqualTo(DomainException.Kind.CONFLICT);
                    assertThat(e.field()).isEqualTo("registration.realName");
                    assertThat(e.getMessage()).contains("registered under another name").contains("modification")
                            .doesNotContain("Zhang").doesNotContainIgnoringCase(ZHANG_ID).doesNotContain("19491231")
                            .doesNotContain(zhang.subscriberId());
                });
        assertThat(f.stores.requests).hasSize(requestsBefore);
        assertThat(f.stores.registrations.get(zhang.subscriberId())).isEqualTo(before);
        assertThat(f.audit.ofType(AuditEventType.REQUEST_SUBMITTED)).last().satisfies(e -> {
            assertThat(e.outcome()).isEqualTo(AuditOutcome.FAILURE);
            assertThat(e.details()).containsEntry("field", "registration.realName");
            assertThat(e.toString()).doesNotContain("Zhang San");
        });
    }

    /**
     * Two applications under one ID number, with two names, both entered before either was issued:
     * the first issued keeps the name; the reviewer is stopped at the second, and the issuer too when
     * the request reaches it approved without that check (approved by an older version, or written
     * in an LDAP browser): REJECTED with the reason, audited, nothing signed or registered.
     */
    @Test
    void anotherNameUnderTheSameIdNumberIsStoppedAtApprovalAndAtIssuance() {
        EnrollmentRequest first = submitZhangSan(false);
        EnrollmentRequest second = service.submit(EnrollmentFixture.CLERK,
                EnrollmentFixture.personal("Li Si", ZHANG_ID, f.sm2(), false));
        EnrollmentRequest third = service.submit(EnrollmentFixture.CLERK,
                EnrollmentFixture.personal("Wang Wu", ZHANG_ID, f.sm2(), false));
        assertThat(second.subscriberId()).isEqualTo(first.subscriberId());
        service.approve(EnrollmentFixture.REVIEWER, first.id());
        String subscriber = first.subscriberId();
        RegistrationData before = f.stores.registrations.get(subscriber);

        assertThatThrownBy(() -> service.approve(EnrollmentFixture.REVIEWER, second.id()))
                .isInstanceOfSatisfying(DomainException.class, e -> {
                    assertThat(e.kind()).isEqualTo(DomainException.Kind.CONFLICT);
                    assertThat(e.field()).isEqualTo("registration.realName");
                });
        assertThat(f.stores.find(second.id()).orElseThrow().state()).isEqualTo(RequestState.SUBMITTED);

        EnrollmentRequest approved = third.approved(EnrollmentFixture.REVIEWER.dn(), EnrollmentFixture.NOW);
        f.stores.transition(RequestState.SUBMITTED, approved);
        assertThatThrownBy(() -> f.issuer(org.egovpki.core.ca.IssuanceObserver.NONE)
                .issue(approved, EnrollmentFixture.REVIEWER.dn()))
                .isInstanceOfSatisfying(DomainException.class, e -> {
                    assertThat(e.kind()).isEqualTo(DomainException.Kind.CONFLICT);
                    assertThat(e.field()).isEqualTo("registration.realName");
                    assertThat(e.getMessage()).contains("registered under another name").doesNotContain("Zhang");
                });
        EnrollmentRequest refused = f.stores.find(third.id()).orElseThrow();
        assertThat(refused.state()).isEqualTo(RequestState.REJECTED);
        assertThat(refused.rejectionReason()).contains("registered under another name");
        assertThat(f.stores.findByRequest(third.id())).as("nothing signed, no serial reserved").isEmpty();
        assertThat(f.stores.registrations.get(subscriber)).isEqualTo(before);
        assertThat(f.stores.holdersOf(third.subjectDn())).as("the new DN not claimed").isEmpty();
        assertThat(f.audit.ofType(AuditEventType.CERTIFICATE_ISSUED)).last()
                .satisfies(e -> assertThat(e.outcome()).isEqualTo(AuditOutcome.FAILURE));
    }

    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> sameNameOtherSpelling() {
        return java.util.stream.Stream.of(new String[][] {
                {"Zhang San", "\uFF3A\uFF48\uFF41\uFF4E\uFF47\u3000San"},   // full-width letters, ideographic space
                {"Zhang San", "ZHANG SAN"},
                {"Zhang San", "Zhang  San"},
                {"\u5F20\u4E09", "\u5F20 \u4E09"},                            // 张三, 张 三
                {"\u4E70\u4E70\u63D0\u00B7\u827E\u529B", "\u4E70\u4E70\u63D0\u2022\u827E\u529B"}, // the name dot
        }).map(a -> org.junit.jupiter.params.provider.Arguments.of((Object[]) a));
    }

    /**
     * The name is the registered one written another way (width, spaces, case, the dot between the
     * parts of a name): not a change of name. A new application may also bring new contact data,
     * which issuance registers.
     */
    @ParameterizedTest(name = "{0} -> {1}")
    @org.junit.jupiter.params.provider.MethodSource("sameNameOtherSpelling")
    void theRegisteredNameWrittenAnotherWayIsTheSameNameAndContactDataMayChange(String registered, String now) {
        EnrollmentRequest first = service.approve(EnrollmentFixture.REVIEWER, service.submit(EnrollmentFixture.CLERK,
                EnrollmentFixture.personal(registered, ZHANG_ID, f.sm2(), false)).id());
        Submission again = EnrollmentFixture.personal(now, ZHANG_ID, f.sm2(), false);
        RegistrationData r = again.registration();
        Submission withPhone = new Submission(again.csr(), again.profile(), null, new RegistrationData(r.realName(),
                r.idType(), r.idNumber(), "+86 139 1234 5678", "zhang@example.gov.cn", null, null, null, null, null,
                null, null, null, List.of(), List.of(), null), again.businessType(), again.region(), false,
                again.challengePhrase(), true);

        EnrollmentRequest second = service.approve(EnrollmentFixture.REVIEWER,
                service.submit(EnrollmentFixture.CLERK, withPhone).id());

        assertThat(second.state()).isEqualTo(RequestState.ISSUED);
        assertThat(second.subscriberId()).isEqualTo(first.subscriberId());
        assertThat(f.stores.registrations.get(first.subscriberId()).phone()).isEqualTo("+86 139 1234 5678");
    }

    private static Submission withSubscriber(Submission s, String subscriberId) {
        return new Submission(s.csr(), s.profile(), subscriberId, s.registration(), s.businessType(), s.region(),
                s.publishOptOut(), s.challengePhrase(), s.agreementAccepted());
    }
}
