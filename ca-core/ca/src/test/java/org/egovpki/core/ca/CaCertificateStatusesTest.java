package org.egovpki.core.ca;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.util.ArrayList;
import java.util.Date;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.ocsp.ResponderID;
import org.bouncycastle.asn1.oiw.OIWObjectIdentifiers;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.SingleResp;
import org.bouncycastle.cert.ocsp.UnknownStatus;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.egovpki.core.certificate.RevocationReason;
import org.egovpki.core.crypto.BouncyCastle;
import org.egovpki.core.crypto.CaKeyStore;
import org.egovpki.core.crypto.InMemoryCaKeyStore;
import org.egovpki.core.crypto.KeyAlgorithm;
import org.egovpki.core.event.CaRevoked;
import org.egovpki.core.event.LifecycleEvent;
import org.egovpki.core.ocsp.CertificateStatusSource;
import org.egovpki.core.ocsp.OcspResponder;
import org.egovpki.core.ocsp.RevocationStatus;
import org.egovpki.core.operator.Operator;
import org.egovpki.core.operator.Role;
import org.egovpki.core.x509.CaCertificateFactory;
import org.egovpki.core.x509.KeyIdentifiers;
import org.egovpki.core.x509.OcspSigningCertificates;
import org.egovpki.core.x509.SerialNumbers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The root's OCSP responder answers for the issuing CA certificates it issued (issue 16): good,
 * revoked after {@link CaRevocations} revoked the CA (as the root's ARL says), unknown for a
 * serial it never issued; signed by the root or its delegated responder. The issuing CA's
 * certificate points relying parties at that responder (AIA OCSP).
 */
class CaCertificateStatusesTest {

    private static final OcspResponder.Settings CACHED =
            new OcspResponder.Settings(Duration.ofHours(1), Duration.ofMinutes(1), 100);
    private static final Operator CA_ADMIN = new Operator("ca1", "uid=ca1,ou=operators,o=egov-pki,c=CN", "ca1",
            EnumSet.of(Role.CA_ADMIN));
    private static final Operator SECOND_CA_ADMIN = new Operator("ca2", "uid=ca2,ou=operators,o=egov-pki,c=CN", "ca2",
            EnumSet.of(Role.CA_ADMIN));

    private final SecureRandom random = new SecureRandom();
    private final MovableClock clock = new MovableClock(Instant.parse("2026-11-21T08:00:00Z"));
    private final InMemoryCaRepository repository = new InMemoryCaRepository();
    private final RecordingAuditLog audit = new RecordingAuditLog();
    /** The CA keys, in memory: this test is about statuses, Pkcs12CaKeyStoreTest about the key store file. */
    private final CaKeyStore keyStore = new InMemoryCaKeyStore(random);
    private final List<LifecycleEvent> events = new ArrayList<>();
    /** The subscriber certificates' records: one good serial under each CA. */
    private final BigInteger subscriberSerial = SerialNumbers.random(random);
    private final CertificateStatusSource records = (issuer, serial) ->
            serial.equals(subscriberSerial) ? Optional.of(RevocationStatus.good()) : Optional.empty();

    @ParameterizedTest
    @EnumSource(KeyAlgorithm.class)
    void theIssuingCaCertificatePointsAtTheRootsResponderWhichAnswersGoodSignedByTheRoot(KeyAlgorithm algorithm)
            throws Exception {
        CaRegistry registry = bootstrap(algorithm);
        CertificateAuthority root = registry.find("x-root").orElseThrow();
        CertificateAuthority issuing = registry.find("x-issuing").orElseThrow();
        OcspResponder responder = OcspResponders.forCas(registry, statuses(registry), clock, CACHED);

        assertThat(aia(issuing.certificate())).containsExactly(
                new AccessDescription(AccessDescription.id_ad_ocsp, uri(new TestUrls().ocspUrl("x-root"))),
                new AccessDescription(AccessDescription.id_ad_caIssuers,
                        uri(new TestUrls().caCertificateUrl("x-root"))));
        assertThat(root.certificate().getExtensionValue(Extension.authorityInfoAccess.getId()))
                .as("a self-signed root points nowhere").isNull();

        BasicOCSPResp basic = basic(responder.respond(request(root.certificate(), issuing.certificate()
                .getSerialNumber())));

        assertThat(basic.getResponses()[0].getCertStatus()).isSameAs(CertificateStatus.GOOD);
        assertThat(basic.isSignatureValid(verifier(root.certificate().getPublicKey()))).isTrue();
        ResponderID responderId = basic.getResponderId().toASN1Primitive();
        assertThat(responderId.getKeyHash())
                .isEqualTo(KeyIdentifiers.subjectKeyIdentifier(root.certificate().getPublicKey()));
        assertThat(basic.getCerts()).as("the CA signs itself: no responder certificate").isEmpty();
    }

    /**
     * Two CA processes: the issuing CA revoked by the other one (this process publishes no event)
     * is followed at this process's next refresh, through its entry among the root's revoked
     * subordinates.
     */
    @org.junit.jupiter.api.Test
    void anIssuingCaRevokedByAnotherProcessIsFollowedAtTheNextRefresh() throws Exception {
        CaRegistry registry = bootstrap(KeyAlgorithm.EC);
        CertificateAuthority root = registry.find("x-root").orElseThrow();
        CertificateAuthority issuing = registry.find("x-issuing").orElseThrow();
        OcspResponder responder = OcspResponders.forCas(registry, statuses(registry), clock, CACHED);
        responder.followRevocations(new CaRecentRevocations(registry, repository, since -> List.of()));
        responder.refreshPresigned();
        byte[] request = request(root.certificate(), issuing.certificate().getSerialNumber());
        assertThat(basic(responder.respond(request)).getResponses()[0].getCertStatus())
                .as("good, and cached").isSameAs(CertificateStatus.GOOD);

        clock.advance(Duration.ofSeconds(5));
        revokeByTwoCaAdmins(registry, issuing.name(), RevocationReason.CA_COMPROMISE);
        assertThat(basic(responder.respond(request)).getResponses()[0].getCertStatus())
                .as("still the cached answer: nobody told this process").isSameAs(CertificateStatus.GOOD);
        clock.advance(Duration.ofSeconds(15));
        responder.refreshPresigned();

        assertThat(basic(responder.respond(request)).getResponses()[0].getCertStatus())
                .isInstanceOf(RevokedStatus.class);
    }

    @ParameterizedTest
    @EnumSource(KeyAlgorithm.class)
    void afterTheIssuingCaIsRevokedTheRootAnswersRevokedWithTheArlsTimeAndReasonAtOnce(KeyAlgorithm algorithm)
            throws Exception {
        CaRegistry registry = bootstrap(algorithm);
        CertificateAuthority root = registry.find("x-root").orElseThrow();
        CertificateAuthority issuing = registry.find("x-issuing").orElseThrow();
        OcspResponder responder = OcspResponders.forCas(registry, statuses(registry), clock, CACHED);
        byte[] request = request(root.certificate(), issuing.certificate().getSerialNumber());
        assertThat(basic(responder.respond(request)).getResponses()[0].getCertStatus())
                .as("good, and cached").isSameAs(CertificateStatus.GOOD);
        clock.advance(Duration.ofMinutes(5).minusSeconds(290));

        revokeByTwoCaAdmins(registry, issuing.name(), RevocationReason.CA_COMPROMISE);
        CaRevoked revoked = (CaRevoked) events.get(0);
        responder.invalidateCaCertificate(revoked.parent(), revoked.ca());

        SingleResp answer = basic(responder.respond(request)).getResponses()[0];
        assertThat(answer.getCertStatus()).isInstanceOf(RevokedStatus.class);
        RevokedStatus status = (RevokedStatus) answer.getCertStatus();
        assertThat(status.getRevocationReason()).isEqualTo(CRLReason.cACompromise);
        assertThat(status.getRevocationTime()).isEqualTo(Date.from(clock.instant()));
        assertThat(repository.revokedSubordinates(root.name())).singleElement().satisfies(arl -> {
            assertThat(arl.serial()).isEqualTo(issuing.certificate().getSerialNumber());
            assertThat(arl.revocationDate()).isEqualTo(status.getRevocationTime().toInstant());
        });
    }

    @Test
    void serialsTheRootNeverIssuedAreUnknownAndTheIssuingCasOwnCertificatesStillComeFromTheirRecords()
            throws Exception {
        CaRegistry registry = bootstrap(KeyAlgorithm.EC);
        CertificateAuthority root = registry.find("x-root").orElseThrow();
        CertificateAuthority issuing = registry.find("x-issuing").orElseThrow();
        OcspResponder responder = OcspResponders.forCas(registry, statuses(registry), clock, CACHED);

        assertThat(basic(responder.respond(request(root.certificate(), issuing.certificate().getSerialNumber()
                .add(BigInteger.ONE)))).getResponses()[0].getCertStatus()).isInstanceOf(UnknownStatus.class);
        assertThat(basic(responder.respond(request(issuing.certificate(), issuing.certificate().getSerialNumber())))
                .getResponses()[0].getCertStatus())
                .as("the issuing CA did not issue its own certificate").isInstanceOf(UnknownStatus.class);
        assertThat(basic(responder.respond(request(issuing.certificate(), subscriberSerial)))
                .getResponses()[0].getCertStatus()).isSameAs(CertificateStatus.GOOD);
    }

    @Test
    void aRevokedCaRemovedFromTheConfigurationStaysRevokedAsTheArlSays() throws Exception {
        CaRegistry registry = bootstrap(KeyAlgorithm.EC);
        CertificateAuthority root = registry.find("x-root").orElseThrow();
        CertificateAuthority issuing = registry.find("x-issuing").orElseThrow();
        revokeByTwoCaAdmins(registry, issuing.name(), RevocationReason.AGREEMENT_ENDED);
        CaRegistry withoutIt = new CaRegistry(List.of(root));

        RevocationStatus status = new CaCertificateStatuses(withoutIt, repository, records)
                .status(root.name(), issuing.certificate().getSerialNumber()).orElseThrow();

        assertThat(status.isRevoked()).isTrue();
        assertThat(status.reasonCode()).isEqualTo(CRLReason.cessationOfOperation);
        assertThat(new CaCertificateStatuses(withoutIt, repository, records).status(root.name(),
                issuing.certificate().getSerialNumber().add(BigInteger.ONE))).as("never issued").isEmpty();
    }

    @Test
    void withDelegatedRespondersTheRootsResponderSignsTheIssuingCasStatus() throws Exception {
        CaRegistry registry = bootstrap(KeyAlgorithm.SM2);
        CertificateAuthority root = registry.find("x-root").orElseThrow();
        CertificateAuthority issuing = registry.find("x-issuing").orElseThrow();
        OcspSigners signers = new OcspSigners(registry, keyStore,
                new OcspSigningCertificates(clock, random), audit, clock, random, Duration.ofDays(30));
        OcspResponder responder = OcspResponders.delegated(signers, statuses(registry), clock, CACHED);

        BasicOCSPResp basic = basic(responder.respond(request(root.certificate(), issuing.certificate()
                .getSerialNumber())));

        assertThat(basic.getResponses()[0].getCertStatus()).isSameAs(CertificateStatus.GOOD);
        assertThat(basic.getCerts()).hasSize(1);
        X509Certificate delegated = new JcaX509CertificateConverter().setProvider(BouncyCastle.PROVIDER)
                .getCertificate(basic.getCerts()[0]);
        delegated.verify(root.certificate().getPublicKey(), BouncyCastle.PROVIDER);
        assertThat(basic.isSignatureValid(verifier(delegated.getPublicKey()))).isTrue();
    }

    // --- helpers ---

    /** What the server wires: the CA certificates' statuses in front of the certificate records. */
    private CertificateStatusSource statuses(CaRegistry registry) {
        return new CaCertificateStatuses(registry, repository, records);
    }

    private CaRegistry bootstrap(KeyAlgorithm algorithm) {
        return new CaBootstrap(keyStore, new CaCertificateFactory(clock, random), repository,
                repository.publisher(audit, clock), new TestUrls(), audit, clock, random).bootstrap(List.of(
                new CaDefinition("x-root", CaRole.ROOT, algorithm, "CN=X Root,O=egov-pki,C=CN", Period.ofYears(30),
                        null),
                new CaDefinition("x-issuing", CaRole.ISSUING, algorithm, "CN=X Issuing,O=egov-pki,C=CN",
                        Period.ofYears(20), "x-root")));
    }

    private static AccessDescription[] aia(X509Certificate certificate) throws Exception {
        return AuthorityInformationAccess.fromExtensions(new JcaX509CertificateHolder(certificate).getExtensions())
                .getAccessDescriptions();
    }

    private static GeneralName uri(String url) {
        return new GeneralName(GeneralName.uniformResourceIdentifier, url);
    }

    private static byte[] request(X509Certificate issuer, BigInteger serial) throws Exception {
        CertificateID id = new CertificateID(new JcaDigestCalculatorProviderBuilder().setProvider(BouncyCastle.PROVIDER)
                .build().get(new AlgorithmIdentifier(OIWObjectIdentifiers.idSHA1)), new JcaX509CertificateHolder(issuer),
                serial);
        return new OCSPReqBuilder().addRequest(id).build().getEncoded();
    }

    private static BasicOCSPResp basic(byte[] der) throws Exception {
        OCSPResp response = new OCSPResp(der);
        assertThat(response.getStatus()).as("successful").isZero();
        return (BasicOCSPResp) response.getResponseObject();
    }

    private static org.bouncycastle.operator.ContentVerifierProvider verifier(PublicKey key) throws Exception {
        return new JcaContentVerifierProviderBuilder().setProvider(BouncyCastle.PROVIDER).build(key);
    }

    /** A CA revocation as the service carries it out: proposed by one CA admin, confirmed by another. */
    private void revokeByTwoCaAdmins(CaRegistry registry, String ca, RevocationReason reason) {
        CaRevocations revocations = new CaRevocations(registry, repository, new org.egovpki.core.enroll.InMemoryStores(), audit, clock, events::add,
                new SecondCaAdmin(audit, clock));
        assertThat(revocations.revoke(CA_ADMIN, ca, reason).done()).as("proposed only").isFalse();
        assertThat(revocations.revoke(SECOND_CA_ADMIN, ca, reason).done()).isTrue();
    }
}
