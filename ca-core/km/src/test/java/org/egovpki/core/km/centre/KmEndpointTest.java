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
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.egovpki.core.DomainException;
import org.egovpki.core.audit.AuditEventType;
import org.egovpki.core.audit.AuditOutcome;
import org.egovpki.core.ca.CaRegistry;
import org.egovpki.core.ca.EnrollmentFixture;
import org.egovpki.core.ca.MovableClock;
import org.egovpki.core.crypto.CaSigner;
import org.egovpki.core.crypto.KeyAlgorithm;
import org.egovpki.core.km.EntityName;
import org.egovpki.core.km.KmClient;
import org.egovpki.core.km.KmRequest;
import org.egovpki.core.km.KmResponse;
import org.egovpki.core.km.SignedMessage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The signed CA↔KM exchange: the KM acts only on requests signed by a CA it serves, made in the
 * last few minutes; the CA accepts only answers signed by the pinned KM certificate for its task.
 */
class KmEndpointTest {

    @TempDir
    static Path kmDir;
    private static KmKeyStore kmKeys;
    @TempDir
    Path otherKmDir;

    private static CaRegistry cas;

    @BeforeAll
    static void createCas() {
        cas = EnrollmentFixture.createCas();
        kmKeys = KmFixture.keys(kmDir);
    }

    private KmRequest.ApplyKey apply(KeyPair signing) {
        Instant now = EnrollmentFixture.NOW;
        return new KmRequest.ApplyKey(BigInteger.valueOf(0x1234), SubjectPublicKeyInfo.getInstance(
                signing.getPublic().getEncoded()), now, now.plus(Duration.ofDays(365)), new X500Name("CN=Zhang San,C=CN"),
                "egovSubscriberId=p-1,ou=subscribers,o=egov-pki,c=CN");
    }

    @Test
    void theMessagesSurviveTheirEncoding() {
        KeyPair signing = KeyAlgorithm.SM2.generate(new SecureRandom());
        X509Certificate ca = cas.find("sm2-issuing").orElseThrow().certificate();
        KmRequest request = new KmRequest(EntityName.of(ca), List.of(apply(signing), new KmRequest.RevokeKey(
                BigInteger.TEN), new KmRequest.RestoreKey(BigInteger.TWO, SubjectPublicKeyInfo.getInstance(
                signing.getPublic().getEncoded()), "kr-01", "ABCD-EFGH")), EnrollmentFixture.NOW, BigInteger.valueOf(77));

        KmRequest back = KmRequest.fromAsn1(request.toAsn1());

        assertThat(back.taskNo()).isEqualTo(77);
        assertThat(back.caName().names(ca)).isTrue();
        assertThat(back.items()).hasSize(3);
        assertThat(back.items().get(0)).isEqualTo(request.items().get(0));
        assertThat(back.items().get(2)).isEqualTo(request.items().get(2));
    }

    @Test
    void aRequestNotSignedByAServedCaIsRefusedAndAudited() {
        EnrollmentFixture f = new EnrollmentFixture(cas);
        KmFixture km = new KmFixture(kmKeys, cas, f.clock, f.audit, f.random);
        X509Certificate ca = cas.find("sm2-issuing").orElseThrow().certificate();
        CaSigner impostor = CaSigner.of(KeyAlgorithm.SM2.generate(f.random), f.random);
        KmClient client = new KmClient(km.endpoint, km.keys.certificate(), f.clock, f.random);

        assertThatThrownBy(() -> client.apply(ca, impostor.contentSigner(), BigInteger.ONE,
                apply(f.sm2()))).isInstanceOfSatisfying(DomainException.class, e -> {
                    assertThat(e.kind()).isEqualTo(DomainException.Kind.FORBIDDEN);
                    assertThat(e.getMessage()).contains("signature does not verify");
                });
        assertThat(km.stores.keys).as("nothing generated").isEmpty();
        assertThat(f.audit.events).anyMatch(e -> e.type() == AuditEventType.KM_REQUEST_HANDLED
                && e.outcome() == AuditOutcome.FAILURE);
    }

    @Test
    void aStaleRequestIsRefused() {
        EnrollmentFixture f = new EnrollmentFixture(cas);
        MovableClock caClock = new MovableClock(EnrollmentFixture.NOW.minus(Duration.ofMinutes(6)));
        KmFixture km = new KmFixture(kmKeys, cas, f.clock, f.audit, f.random);
        KmClient client = new KmClient(km.endpoint, km.keys.certificate(), caClock, f.random);

        assertThatThrownBy(() -> client.revoke(cas.find("sm2-issuing").orElseThrow().certificate(),
                signerOfIssuingCa(f), BigInteger.TEN)).hasMessageContaining("minutes");
    }

    @Test
    void anAnswerNotSignedByThePinnedKmIsNotAccepted() {
        EnrollmentFixture f = new EnrollmentFixture(cas);
        KmFixture km = new KmFixture(kmKeys, cas, f.clock, f.audit, f.random);
        KmKeyStore other = KmKeyStore.openOrCreate(otherKmDir, "other".toCharArray(), new X500Name("CN=Other KM"),
                f.clock, f.random);
        KmClient pinnedToOther = new KmClient(km.endpoint, other.certificate(), f.clock, f.random);

        assertThatThrownBy(() -> pinnedToOther.revoke(cas.find("sm2-issuing").orElseThrow().certificate(),
                signerOfIssuingCa(f), BigInteger.TEN)).hasMessageContaining("not signed by the KM certificate");
    }

    @Test
    void garbageGetsASignedRefusal() {
        EnrollmentFixture f = new EnrollmentFixture(cas);
        KmFixture km = new KmFixture(kmKeys, cas, f.clock, f.audit, f.random);

        SignedMessage answer = SignedMessage.parse(km.endpoint.exchange(new byte[] {0x30, 0x03, 0x02, 0x01, 0x01}));

        assertThat(answer.verify(km.keys.certificate())).isTrue();
        KmResponse response = KmResponse.fromAsn1(answer.body());
        assertThat(response.items()).singleElement().isInstanceOfSatisfying(KmResponse.Error.class,
                e -> assertThat(e.code()).isEqualTo(KmResponse.Error.ERR_BAD_REQUEST));
    }

    /** The issuing CA's real signer, reached the way the server reaches it: through a signed apply. */
    private static org.bouncycastle.operator.ContentSigner signerOfIssuingCa(EnrollmentFixture f) {
        return org.egovpki.core.ca.TestSigners.of(cas, "sm2-issuing");
    }
}
