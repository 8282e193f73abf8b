package org.egovpki.core.enroll;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Date;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jcajce.spec.SM2ParameterSpec;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.egovpki.core.DomainException;
import org.egovpki.core.audit.AuditEvent;
import org.egovpki.core.audit.AuditEventType;
import org.egovpki.core.audit.AuditOutcome;
import org.egovpki.core.certificate.CertificateRecord;
import org.egovpki.core.certificate.CertificateStatus;
import org.egovpki.core.certificate.IssuanceState;
import org.egovpki.core.certificate.Revocation;
import org.egovpki.core.certificate.RevocationChannel;
import org.egovpki.core.certificate.RevocationReason;
import org.egovpki.core.crypto.BouncyCastle;
import org.egovpki.core.dualcontrol.DualControl;
import org.egovpki.core.operator.Operator;
import org.egovpki.core.operator.Role;
import org.egovpki.core.operator.SecondFactorPolicy;
import org.egovpki.core.profile.CertificateType;
import org.egovpki.core.profile.KeyUsageKind;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The binding of operator certificates and the challenge-response login, with a fake clock and fresh SM2 keys. */
class SecondFactorLoginTest {

    private static final Instant T0 = Instant.parse("2026-12-01T08:00:00Z");
    private static final String CA = "issuing";

    private final OperatorAdministrationTest.Accounts accounts = new OperatorAdministrationTest.Accounts();
    private final InMemoryStores records = new InMemoryStores();
    private final Bindings bindings = new Bindings();
    private final List<AuditEvent> audit = new ArrayList<>();
    private final SecureRandom random = new SecureRandom();
    private Instant now = T0;
    private KeyPair caKey;
    private OperatorCertificates certificates;
    private SecondFactorLogin login;
    private Operator security;
    private Operator security2;
    private Operator ca;
    private Operator clerk;

    @BeforeEach
    void setUp() throws Exception {
        Clock clock = new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now;
            }
        };
        caKey = sm2();
        security = accounts.create("sec1", "Security", EnumSet.of(Role.SECURITY_ADMIN), "x".toCharArray(), false, T0)
                .operator();
        security2 = accounts.create("sec2", "Security 2", EnumSet.of(Role.SECURITY_ADMIN), "x".toCharArray(), false,
                T0).operator();
        ca = accounts.create("caadmin", "CA admin", EnumSet.of(Role.CA_ADMIN), "x".toCharArray(), false, T0).operator();
        clerk = accounts.create("clerk1", "Clerk", EnumSet.of(Role.ENTRY_CLERK), "x".toCharArray(), false, T0)
                .operator();
        certificates = new OperatorCertificates(accounts, bindings, records, this::record, clock);
        OperatorDirectory directory = new OperatorDirectory() {
            @Override
            public Optional<OperatorLogin> login(String uid, char[] password) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Optional<Operator> authenticate(String uid, char[] password) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Optional<Operator> findByDn(String dn) {
                return accounts.list().stream().filter(a -> a.enabled() && a.operator().dn().equals(dn))
                        .map(OperatorAccount::operator).findFirst();
            }

            @Override
            public Optional<Operator> findByUid(String uid) {
                return accounts.account(uid).map(OperatorAccount::operator);
            }

            @Override
            public Operator create(String uid, String name, Set<Role> roles, char[] password) {
                throw new UnsupportedOperationException();
            }
        };
        login = new SecondFactorLogin(SecondFactorPolicy.ADMINISTRATIVE_ROLES, certificates, directory, this::record,
                clock, random, Duration.ofMinutes(2), Duration.ofMinutes(15));
    }

    @Test
    void signedChallengeGivesASessionThatEndsWithTheRevocationOfTheCertificate() throws Exception {
        KeyPair key = sm2();
        byte[] cert = issue(key, true, true, T0.minusSeconds(60), T0.plus(Duration.ofDays(365)));
        bindAsTwo("caadmin", cert);
        assertThat(last().type()).isEqualTo(AuditEventType.OPERATOR_CERTIFICATE_BOUND);

        SecondFactorLogin.Challenge challenge = login.challenge(ca);
        SecondFactorLogin.Session session = login.login(challenge.nonce(), "SM3withSM2",
                sign(key, challenge), cert);

        assertThat(session.token()).hasSizeGreaterThanOrEqualTo(43);
        assertThat(session.expiresAt()).isEqualTo(T0.plus(Duration.ofMinutes(15)));
        assertThat(login.session(session.token())).map(Operator::uid).contains("caadmin");
        assertThat(last().type()).isEqualTo(AuditEventType.OPERATOR_SECOND_FACTOR_LOGIN);
        assertThat(last().outcome()).isEqualTo(AuditOutcome.SUCCESS);

        revoke(cert);
        assertThat(login.session(session.token())).isEmpty();
    }

    @Test
    void sessionExpiresAtItsLifetime() throws Exception {
        KeyPair key = sm2();
        byte[] cert = bound("caadmin", key);
        SecondFactorLogin.Challenge challenge = login.challenge(ca);
        String token = login.login(challenge.nonce(), null, sign(key, challenge), cert).token();
        now = T0.plus(Duration.ofMinutes(15));
        assertThat(login.session(token)).isEmpty();
        assertThat(login.session("not-a-token")).isEmpty();
    }

    @Test
    void expiredNonceIsRefused() throws Exception {
        KeyPair key = sm2();
        byte[] cert = bound("caadmin", key);
        SecondFactorLogin.Challenge challenge = login.challenge(ca);
        now = challenge.expiresAt();
        assertRefused(() -> login.login(challenge.nonce(), null, sign(key, challenge), cert), "expired");
    }

    @Test
    void reusedNonceIsRefused() throws Exception {
        KeyPair key = sm2();
        byte[] cert = bound("caadmin", key);
        SecondFactorLogin.Challenge challenge = login.challenge(ca);
        byte[] signature = sign(key, challenge);
        login.login(challenge.nonce(), null, signature, cert);
        assertRefused(() -> login.login(challenge.nonce(), null, signature, cert), "already used");
    }

    @Test
    void wrongSignatureIsRefusedAndSpendsTheNonce() throws Exception {
        KeyPair key = sm2();
        byte[] cert = bound("caadmin", key);
        SecondFactorLogin.Challenge challenge = login.challenge(ca);
        byte[] otherKeysSignature = sign(sm2(), challenge);
        assertRefused(() -> login.login(challenge.nonce(), null, otherKeysSignature, cert), "does not verify");
        assertThat(last().outcome()).isEqualTo(AuditOutcome.FAILURE);
        assertRefused(() -> login.login(challenge.nonce(), null, sign(key, challenge), cert), "already used");
    }

    @Test
    void signatureWithAnotherSm2IdIsRefused() throws Exception {
        KeyPair key = sm2();
        byte[] cert = bound("caadmin", key);
        SecondFactorLogin.Challenge challenge = login.challenge(ca);
        Signature signer = Signature.getInstance("SM3withSM2", BouncyCastle.PROVIDER);
        signer.setParameter(new SM2ParameterSpec("ALICE123@YAHOO.COM".getBytes()));
        signer.initSign(key.getPrivate());
        signer.update(SecondFactorLogin.challengeMessage("caadmin", challenge.nonce()));
        byte[] signature = signer.sign();
        assertRefused(() -> login.login(challenge.nonce(), null, signature, cert), "default ID 1234567812345678");
    }

    @Test
    void revokedCertificateCannotLogIn() throws Exception {
        KeyPair key = sm2();
        byte[] cert = bound("caadmin", key);
        revoke(cert);
        SecondFactorLogin.Challenge challenge = login.challenge(ca);
        assertRefused(() -> login.login(challenge.nonce(), null, sign(key, challenge), cert), "is revoked");
    }

    @Test
    void anotherCertificateThanTheBoundOneIsRefused() throws Exception {
        KeyPair key = sm2();
        bound("caadmin", key);
        byte[] other = issue(key, true, true, T0.minusSeconds(60), T0.plus(Duration.ofDays(365)));
        SecondFactorLogin.Challenge challenge = login.challenge(ca);
        assertRefused(() -> login.login(challenge.nonce(), null, sign(key, challenge), other), "not the one bound");
    }

    @Test
    void challengeNeedsABoundCertificate() {
        assertThatThrownBy(() -> login.challenge(ca)).isInstanceOf(DomainException.class)
                .hasMessageContaining("no operator certificate is bound to operator 'caadmin'");
    }

    @Test
    void passwordAloneIsAllowedForOthersInGraceUntilBoundThenRefused() throws Exception {
        assertThat(login.passwordOnly(clerk)).isEqualTo(SecondFactorLogin.PasswordOnly.ALLOWED);
        assertThat(login.passwordOnly(ca)).isEqualTo(SecondFactorLogin.PasswordOnly.GRACE);
        assertThat(login.passwordOnly(ca)).isEqualTo(SecondFactorLogin.PasswordOnly.GRACE);
        assertThat(audit).filteredOn(e -> e.type() == AuditEventType.OPERATOR_SECOND_FACTOR_GRACE).hasSize(1);
        bound("caadmin", sm2());
        assertThat(login.passwordOnly(ca)).isEqualTo(SecondFactorLogin.PasswordOnly.REFUSED);
    }

    @Test
    void theBindingReadAtTheLoginDecidesTheGraceWhateverItsRecordSays() {
        assertThat(login.passwordOnly(clerk, Optional.of("sm2-issuing-1f"))).as("roles need no second factor")
                .isEqualTo(SecondFactorLogin.PasswordOnly.ALLOWED);
        assertThat(login.passwordOnly(ca, Optional.empty())).isEqualTo(SecondFactorLogin.PasswordOnly.GRACE);
        // A binding ends the grace whatever its record says: one whose record is gone refuses as well.
        assertThat(login.passwordOnly(ca, Optional.of("sm2-issuing-ffff"))).isEqualTo(
                SecondFactorLogin.PasswordOnly.REFUSED);
    }

    @Test
    void aPasswordLoginIsEnoughForOthersAndInTheGraceWithoutASession() {
        assertThat(login.passwordLogin(clerk, null, "pages")).isEmpty();
        assertThat(login.passwordLogin(ca, null, "pages")).isEmpty();
        assertThat(audit).noneMatch(e -> e.type() == AuditEventType.OPERATOR_SECOND_FACTOR_LOGIN);
    }

    @Test
    void aPasswordLoginWithoutTheBoundCertificateIsRefusedAndAudited() throws Exception {
        bound("caadmin", sm2());
        byte[] other = issue(sm2(), true, true, T0.minusSeconds(60), T0.plus(Duration.ofDays(365)));

        assertRefused(() -> login.passwordLogin(ca, null, "pages"), "password alone on the pages");
        assertThat(last().type()).isEqualTo(AuditEventType.OPERATOR_SECOND_FACTOR_LOGIN);
        assertThat(last().outcome()).isEqualTo(AuditOutcome.FAILURE);
        assertThat(last().details()).containsEntry("operator", "caadmin");
        assertRefused(() -> login.passwordLogin(ca, other, "pages"), "is not the one bound");
        assertThat(last().outcome()).isEqualTo(AuditOutcome.FAILURE);
    }

    @Test
    void aPasswordLoginWithTheBoundCertificateOpensASessionThatEndsWithTheCertificate() throws Exception {
        byte[] cert = bound("caadmin", sm2());

        SecondFactorLogin.Session session = login.passwordLogin(ca, cert, "pages").orElseThrow();

        assertThat(session.expiresAt()).isEqualTo(T0.plus(Duration.ofMinutes(15)));
        assertThat(last().outcome()).isEqualTo(AuditOutcome.SUCCESS);
        assertThat(last().details()).containsEntry("via", "TLS client certificate").containsEntry("channel", "pages");
        assertThat(login.session(session.token())).map(Operator::uid).contains("caadmin");
        revoke(cert);
        assertThat(login.session(session.token())).isEmpty();
        assertRefused(() -> login.passwordLogin(ca, cert, "pages"), "is revoked");
    }

    @Test
    void logoutEndsASession() throws Exception {
        byte[] cert = bound("caadmin", sm2());
        String token = login.passwordLogin(ca, cert, "pages").orElseThrow().token();

        login.logout(token);

        assertThat(login.session(token)).isEmpty();
    }

    @Test
    void certificateBoundToAnotherOperatorIsRefused() throws Exception {
        byte[] cert = bound("caadmin", sm2());
        assertBindRefused(security, "clerk1", cert, DomainException.Kind.CONFLICT, "already bound to operator 'caadmin'");
    }

    @Test
    void certificateNotIssuedHereIsRefused() throws Exception {
        byte[] cert = issue(sm2(), true, true, T0.minusSeconds(60), T0.plusSeconds(3600));
        records.certificates.clear();
        assertBindRefused(security, "caadmin", cert, DomainException.Kind.BAD_REQUEST, "not issued by this CA");
    }

    @Test
    void revokedExpiredOrUnfitCertificatesAreRefused() throws Exception {
        byte[] revoked = issue(sm2(), true, true, T0.minusSeconds(60), T0.plusSeconds(3600));
        revoke(revoked);
        assertBindRefused(security, "caadmin", revoked, DomainException.Kind.BAD_REQUEST, "is revoked");
        byte[] expired = issue(sm2(), true, true, T0.minusSeconds(7200), T0.minusSeconds(60));
        assertBindRefused(security, "caadmin", expired, DomainException.Kind.BAD_REQUEST, "not valid now");
        byte[] noClientAuth = issue(sm2(), true, false, T0.minusSeconds(60), T0.plusSeconds(3600));
        assertBindRefused(security, "caadmin", noClientAuth, DomainException.Kind.BAD_REQUEST, "no clientAuth");
        byte[] noSignature = issue(sm2(), false, true, T0.minusSeconds(60), T0.plusSeconds(3600));
        assertBindRefused(security, "caadmin", noSignature, DomainException.Kind.BAD_REQUEST, "no digitalSignature");
    }

    /**
     * Every other profile of this CA with clientAuth (personal, organisation, device, device-bulk —
     * the last one issued by an RA admin alone) is a subscriber's certificate: bound to an operator,
     * whoever holds that key, or the RA admin who auto-issued it, would hold the operator's second factor.
     */
    @ParameterizedTest
    @ValueSource(strings = {"device-bulk", "personal", "device", "organization-dual"})
    void aCertificateOfAnotherProfileThanTheOperatorProfileIsRefusedAndNothingIsBound(String profile)
            throws Exception {
        byte[] cert = issue(sm2(), true, true, T0.minusSeconds(60), T0.plusSeconds(3600), profile);
        int audited = audit.size();

        assertBindRefused(security, "caadmin", cert, DomainException.Kind.BAD_REQUEST,
                "profile '" + profile + "', not the operator profile 'operator'");
        assertThat(audit).hasSize(audited + 1);
        assertThat(last().type()).isEqualTo(AuditEventType.OPERATOR_CHANGE_REFUSED);
        assertThat(last().outcome()).isEqualTo(AuditOutcome.FAILURE);
    }

    @Test
    void aBindingOfAnotherProfileMadeBeforeTheCheckNoLongerLogsIn() throws Exception {
        KeyPair key = sm2();
        byte[] cert = issue(key, true, true, T0.minusSeconds(60), T0.plusSeconds(3600), "device-bulk");
        // As an earlier version bound it, without looking at the profile.
        bindings.bind("caadmin", records.certificates.values().stream()
                .filter(r -> java.util.Arrays.equals(r.certificateDer(), cert)).findFirst().orElseThrow().id());

        SecondFactorLogin.Challenge challenge = login.challenge(ca);
        assertThatThrownBy(() -> login.login(challenge.nonce(), "SM3withSM2", sign(key, challenge), cert))
                .isInstanceOf(DomainException.class).hasMessageContaining("not the operator profile");
        // What the start-up warning names.
        assertThat(certificates.outsideProfiles()).singleElement().satisfies(bound -> {
            assertThat(bound.uid()).isEqualTo("caadmin");
            assertThat(bound.record().profile()).isEqualTo("device-bulk");
        });
    }

    @Test
    void onlySecurityAdminsBindAndNobodyReplacesTheirOwn() throws Exception {
        byte[] cert = issue(sm2(), true, true, T0.minusSeconds(60), T0.plusSeconds(3600));
        assertBindRefused(ca, "caadmin", cert, DomainException.Kind.FORBIDDEN, "only a security admin");
        certificates.bind(security, "sec1", cert);
        assertThat(certificates.outsideProfiles()).as("an operator-profile binding").isEmpty();
        byte[] next = issue(sm2(), true, true, T0.minusSeconds(60), T0.plusSeconds(3600));
        assertBindRefused(security, "sec1", next, DomainException.Kind.FORBIDDEN, "another security admin");
        assertBindRefused(security, "nobody", next, DomainException.Kind.NOT_FOUND, "no operator");
    }

    @Test
    void bindingToAnotherOperatorNeedsASecondSecurityAdminAndTheFirstCallBindsNothing() throws Exception {
        byte[] cert = issue(sm2(), true, true, T0.minusSeconds(60), T0.plusSeconds(3600));

        DualControl.Outcome<OperatorCertificates.Bound> proposed = certificates.bind(security, "caadmin", cert);

        assertThat(proposed.done()).isFalse();
        assertThat(bindings.byUid).doesNotContainKey("caadmin");
        assertThat(last().type()).isEqualTo(AuditEventType.OPERATOR_CHANGE_PROPOSED);
        assertThatThrownBy(() -> certificates.bind(security, "caadmin", cert)).as("the proposer again")
                .hasMessageContaining("needs a second security admin");
        byte[] other = issue(sm2(), true, true, T0.minusSeconds(60), T0.plusSeconds(3600));
        assertThatThrownBy(() -> certificates.bind(security2, "caadmin", other)).as("another certificate")
                .isInstanceOf(DomainException.class).hasMessageContaining("not certificate");
        assertThat(bindings.byUid).doesNotContainKey("caadmin");

        assertThat(certificates.bind(security2, "caadmin", cert).done()).isTrue();
        assertThat(bindings.byUid).containsKey("caadmin");
        assertThat(last().type()).isEqualTo(AuditEventType.OPERATOR_CERTIFICATE_BOUND);
        assertThat(last().actor()).isEqualTo(security2.dn());
        assertThat(last().details()).containsEntry("proposedBy", security.dn());
    }

    @ParameterizedTest
    @ValueSource(strings = {"MD5withRSA", "SM3withSM2 "})
    void unknownAlgorithmIsABadRequest(String algorithm) throws Exception {
        KeyPair key = sm2();
        byte[] cert = bound("caadmin", key);
        SecondFactorLogin.Challenge challenge = login.challenge(ca);
        assertThatThrownBy(() -> login.login(challenge.nonce(), algorithm, sign(key, challenge), cert))
                .isInstanceOf(DomainException.class).hasMessageContaining("is not accepted")
                .satisfies(e -> assertThat(((DomainException) e).kind()).isEqualTo(DomainException.Kind.BAD_REQUEST));
    }

    private byte[] bound(String uid, KeyPair key) throws Exception {
        byte[] cert = issue(key, true, true, T0.minusSeconds(60), T0.plus(Duration.ofDays(365)));
        bindAsTwo(uid, cert);
        return cert;
    }

    /** A binding as it is made: at once for the security admin's own, else proposed by one admin, confirmed by another. */
    private void bindAsTwo(String uid, byte[] cert) {
        if (!uid.equals(security.uid())) {
            assertThat(certificates.bind(security, uid, cert).done()).as("proposed only").isFalse();
        }
        assertThat(certificates.bind(uid.equals(security.uid()) ? security : security2, uid, cert).done()).isTrue();
    }

    private long record(AuditEvent event) {
        audit.add(event);
        return audit.size();
    }

    private AuditEvent last() {
        return audit.get(audit.size() - 1);
    }

    private void revoke(byte[] cert) {
        CertificateRecord record = records.certificates.values().stream()
                .filter(r -> java.util.Arrays.equals(r.certificateDer(), cert)).findFirst().orElseThrow();
        records.revoke(record, new Revocation(now, RevocationReason.KEY_COMPROMISE, null, "uid=ra1",
                RevocationChannel.OPERATOR));
    }

    private void assertBindRefused(Operator actor, String uid, byte[] cert, DomainException.Kind kind, String message) {
        Map<String, String> before = new LinkedHashMap<>(bindings.byUid);
        assertThatThrownBy(() -> certificates.bind(actor, uid, cert)).isInstanceOf(DomainException.class)
                .hasMessageContaining(message)
                .satisfies(e -> assertThat(((DomainException) e).kind()).isEqualTo(kind));
        assertThat(bindings.byUid).isEqualTo(before);
    }

    private void assertRefused(ThrowingRunnable action, String message) {
        assertThatThrownBy(action::run).isInstanceOf(DomainException.class).hasMessageContaining(message)
                .satisfies(e -> assertThat(((DomainException) e).kind()).isEqualTo(DomainException.Kind.FORBIDDEN));
    }

    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    private static byte[] sign(KeyPair key, SecondFactorLogin.Challenge challenge) throws Exception {
        Signature signer = Signature.getInstance("SM3withSM2", BouncyCastle.PROVIDER);
        signer.initSign(key.getPrivate());
        signer.update(SecondFactorLogin.challengeMessage(challenge.uid(), challenge.nonce()));
        return signer.sign();
    }

    private static KeyPair sm2() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", BouncyCastle.PROVIDER);
        generator.initialize(new ECGenParameterSpec("sm2p256v1"));
        return generator.generateKeyPair();
    }

    /** A certificate signed by the test CA key, recorded as issued by this CA. */
    private byte[] issue(KeyPair key, boolean digitalSignature, boolean clientAuth, Instant from, Instant to)
            throws Exception {
        return issue(key, digitalSignature, clientAuth, from, to, "operator");
    }

    /** The same, recorded as issued under {@code profile}. */
    private byte[] issue(KeyPair key, boolean digitalSignature, boolean clientAuth, Instant from, Instant to,
                         String profile) throws Exception {
        BigInteger serial = new BigInteger(64, random).setBit(63);
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(new X500Name("CN=Issuing,C=CN"), serial,
                Date.from(from), Date.from(to), new X500Name("CN=Operator,C=CN"), key.getPublic());
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(digitalSignature
                ? KeyUsage.digitalSignature | KeyUsage.nonRepudiation : KeyUsage.keyEncipherment));
        builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(clientAuth
                ? KeyPurposeId.id_kp_clientAuth : KeyPurposeId.id_kp_emailProtection));
        X509Certificate certificate = new JcaX509CertificateConverter().setProvider(BouncyCastle.PROVIDER)
                .getCertificate(builder.build(new JcaContentSignerBuilder("SM3withSM2")
                        .setProvider(BouncyCastle.PROVIDER).build(caKey.getPrivate())));
        byte[] der = certificate.getEncoded();
        CertificateRecord record = new CertificateRecord(CA, serial, "req-" + serial, "sub-1", "CN=Operator,C=CN",
                profile, CertificateType.PERSONAL, KeyUsageKind.SIGNING, "ops", "110000", CertificateStatus.VALID,
                IssuanceState.PUBLISHED, new byte[] {1}, der, from, to, "ff", from, 0, null);
        records.certificates.put(record.id(), record);
        return der;
    }

    /** The binding store in memory. */
    private static final class Bindings implements OperatorCertificateBindings {
        final Map<String, String> byUid = new LinkedHashMap<>();

        @Override
        public Optional<String> boundCertificate(String uid) {
            return Optional.ofNullable(byUid.get(uid));
        }

        @Override
        public Optional<String> holderOf(String certificateId) {
            return byUid.entrySet().stream().filter(e -> e.getValue().equals(certificateId)).map(Map.Entry::getKey)
                    .findFirst();
        }

        @Override
        public void bind(String uid, String certificateId) {
            byUid.put(uid, certificateId);
        }
    }
}
