package org.egovpki.core.ca;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.DERIA5String;
import org.egovpki.core.audit.AuditEvent;
import org.egovpki.core.certificate.CertificateRecord;
import org.egovpki.core.certificate.RevocationReason;
import org.egovpki.core.crypto.BouncyCastle;
import org.egovpki.core.crypto.CaKeyStore;
import org.egovpki.core.crypto.InMemoryCaKeyStore;
import org.egovpki.core.crypto.KeyAlgorithm;
import org.egovpki.core.enroll.EnrollmentRequest;
import org.egovpki.core.event.LifecycleEvents;
import org.egovpki.core.revoke.Requester;
import org.egovpki.core.x509.CaCertificateFactory;
import org.egovpki.core.x509.CrlFactory;
import org.egovpki.core.x509.KeyIdentifiers;
import org.egovpki.core.x509.OpenSsl;
import org.egovpki.core.x509.Pem;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * After a CA key changeover every certificate's CRL distribution point leads to a CRL its own
 * issuer key signed (docs/operations.md, "CA key changeover"): a certificate issued before the
 * changeover is checked against the CRL at the URLs it names — fetched as published, HTTP path and
 * LDAP entry — and so is one issued after it, with Bouncy Castle and with {@code openssl verify
 * -crl_check}, which matches a CRL to the issuer certificate in the chain by name and key.
 */
class ChangeoverCrlUrlsTest {

    @TempDir
    Path dir;

    private final SecureRandom random = new SecureRandom();
    private final InMemoryCaRepository repository = new InMemoryCaRepository();
    private final RecordingAuditLog audit = new RecordingAuditLog();
    private final CaKeyStore keyStore = new InMemoryCaKeyStore(random);

    @ParameterizedTest
    @EnumSource(value = KeyAlgorithm.class, names = {"SM2", "EC", "RSA"})
    void oldAndNewCertificatesEachFindACrlTheirIssuerKeySignedAtTheUrlsTheyName(KeyAlgorithm algorithm)
            throws Exception {
        // OpenSSL checks validity against the real clock.
        Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofMinutes(10));
        MovableClock clock = new MovableClock(start);
        CaRegistry before = bootstrap(clock, algorithm);
        CertificateAuthority oldIssuing = before.find("sm2-issuing").orElseThrow();
        EnrollmentFixture f1 = new EnrollmentFixture(before);
        f1.clock.set(start.plus(Duration.ofMinutes(1)));
        X509Certificate oldGood = issueDevice(f1);
        X509Certificate oldRevoked = issueDevice(f1);
        revoke(f1, oldRevoked);

        clock.set(start.plus(Duration.ofMinutes(2)));
        changeover(clock, before).roll("sm2-issuing", AuditEvent.SYSTEM);
        clock.advance(Duration.ofSeconds(1));
        CaRegistry after = bootstrap(clock, algorithm);
        CertificateAuthority newIssuing = after.find("sm2-issuing").orElseThrow();
        CertificateAuthority root = after.find("sm2-root").orElseThrow();
        assertThat(repository.retiredKeyCrl("sm2-issuing", newIssuing.keyIdHex())).as("the start that makes the new "
                + "key current publishes its CRL before it issues a certificate naming it").isPresent();
        EnrollmentFixture f2 = new EnrollmentFixture(after, f1.stores);
        f2.clock.set(start.plus(Duration.ofMinutes(3)));
        X509Certificate newGood = issueDevice(f2);
        X509Certificate newRevoked = issueDevice(f2);
        revoke(f2, newRevoked);

        clock.set(start.plus(Duration.ofMinutes(4)));
        CrlPublisher crls = new CrlPublisher(repository, f2.stores, new CrlFactory(clock), audit, clock,
                Duration.ofHours(24), new TestUrls(), LifecycleEvents.NONE);
        crls.issue(newIssuing, AuditEvent.SYSTEM);

        assertThat(distributionPoints(oldGood)).as("nothing changes for what the first key issued")
                .containsExactly(new TestUrls().crlUrl("sm2-issuing"), new TestUrls().crlLdapUrl("sm2-issuing"));
        X509CRL oldCrl = crlAt(oldRevoked, oldIssuing.certificate());
        assertThat(listed(oldCrl, oldRevoked)).isEqualTo(1);
        assertThat(listed(oldCrl, oldGood)).isZero();
        X509CRL newCrl = crlAt(newRevoked, newIssuing.certificate());
        assertThat(listed(newCrl, newRevoked)).isEqualTo(1);
        assertThat(listed(newCrl, newGood)).isZero();
        assertThat(distributionPoints(newGood)).as("the new key's certificates name its own CRL")
                .isEqualTo(distributionPoints(newRevoked)).doesNotContainAnyElementsOf(distributionPoints(oldGood));

        // Numbers strictly increase at every URL with the next CRL.
        BigInteger oldNumber = number(oldCrl);
        BigInteger newNumber = number(newCrl);
        clock.advance(Duration.ofMinutes(1));
        crls.issue(newIssuing, AuditEvent.SYSTEM);
        assertThat(number(crlAt(oldRevoked, oldIssuing.certificate()))).isGreaterThan(oldNumber);
        assertThat(number(crlAt(newRevoked, newIssuing.certificate()))).isGreaterThan(newNumber);

        if (algorithm != KeyAlgorithm.SM2 && OpenSsl.onPath()) {
            // OpenSSL 3.0 cannot verify SM2 signatures on CRLs (docs/architecture.md); ECDSA and RSA it can.
            write("old-chain.pem", oldIssuing.certificate(), root.certificate());
            write("new-chain.pem", newIssuing.certificate(), root.certificate());
            verifyWithCrl("old-chain.pem", oldGood, crlAt(oldGood, oldIssuing.certificate()), true);
            verifyWithCrl("old-chain.pem", oldRevoked, crlAt(oldRevoked, oldIssuing.certificate()), false);
            verifyWithCrl("new-chain.pem", newGood, crlAt(newGood, newIssuing.certificate()), true);
            verifyWithCrl("new-chain.pem", newRevoked, crlAt(newRevoked, newIssuing.certificate()), false);
        }
    }

    /** With CRL partitions, the first key's certificates keep their partition's CRL, signed by the first key. */
    @ParameterizedTest
    @EnumSource(value = KeyAlgorithm.class, names = {"EC"})
    void partitionsStaySignedByTheKeyWhoseCertificatesNameThem(KeyAlgorithm algorithm) throws Exception {
        MovableClock clock = new MovableClock(EnrollmentFixture.NOW);
        CaRegistry before = bootstrap(clock, algorithm);
        CertificateAuthority oldIssuing = before.find("sm2-issuing").orElseThrow();
        clock.advance(Duration.ofHours(1));
        changeover(clock, before).roll("sm2-issuing", AuditEvent.SYSTEM);
        clock.advance(Duration.ofSeconds(1));
        CertificateAuthority newIssuing = bootstrap(clock, algorithm).find("sm2-issuing").orElseThrow();

        TestUrls partitioned = new TestUrls(2);
        new CrlPublisher(repository, (selection, sink) -> { }, new CrlFactory(clock), audit, clock,
                Duration.ofHours(24), partitioned, LifecycleEvents.NONE).issue(newIssuing, AuditEvent.SYSTEM);
        for (int shard = 0; shard < 2; shard++) {
            X509CRL crl = Pem.parseCrl(resolve(partitioned.crlUrl("sm2-issuing", shard)).orElseThrow().der());
            crl.verify(oldIssuing.certificate().getPublicKey(), BouncyCastle.PROVIDER);
            X509CRL viaLdap = Pem.parseCrl(resolve(partitioned.crlLdapUrl("sm2-issuing", shard)).orElseThrow().der());
            assertThat(viaLdap).isEqualTo(crl);
        }
        X509CRL delta = Pem.parseCrl(resolve(partitioned.deltaCrlUrl("sm2-issuing")).orElseThrow().der());
        delta.verify(oldIssuing.certificate().getPublicKey(), BouncyCastle.PROVIDER);
    }

    /**
     * The CRL at the URLs {@code certificate}'s CRL distribution point names, read as a relying party
     * would (HTTP path and LDAP entry, which must carry the same CRL), checked to be signed by
     * {@code issuer}'s key with its key identifier.
     */
    private X509CRL crlAt(X509Certificate certificate, X509Certificate issuer) throws Exception {
        List<String> urls = distributionPoints(certificate);
        assertThat(urls).hasSize(2);
        assertThat(urls.get(0)).startsWith("http://");
        assertThat(urls.get(1)).startsWith("ldap://");
        List<X509CRL> found = new ArrayList<>();
        for (String url : urls) {
            X509CRL crl = Pem.parseCrl(resolve(url).orElseThrow(() -> new AssertionError("nothing published at " + url))
                    .der());
            crl.verify(issuer.getPublicKey(), BouncyCastle.PROVIDER);
            assertThat(crlAki(crl)).as(url).isEqualTo(KeyIdentifiers.subjectKeyIdentifier(issuer.getPublicKey()));
            assertThat(crl.getIssuerX500Principal()).isEqualTo(issuer.getSubjectX500Principal());
            found.add(crl);
        }
        assertThat(found.get(1)).as("HTTP and LDAP publish the same CRL").isEqualTo(found.get(0));
        return found.get(0);
    }

    private static final Pattern HTTP = Pattern.compile("http://pki\\.test/crl/(.+)\\.crl");
    private static final Pattern LDAP = Pattern.compile(
            "ldap://ldap\\.test:389/(?:cn=([^,]+),)?cn=([^,]+),ou=CAs,o=egov-pki,c=CN\\?(\\w+);binary");
    private static final Pattern KEY = Pattern.compile("(.+)-key-([0-9a-f]+)");
    private static final Pattern SHARD = Pattern.compile("(.+)-shard(\\d+)(-delta)?");

    /** What the directory (and the HTTP download, which serves it) publishes at a {@link TestUrls} URL. */
    private Optional<CrlRecord> resolve(String url) {
        Matcher http = HTTP.matcher(url);
        if (http.matches()) {
            String name = http.group(1);
            Matcher key = KEY.matcher(name);
            Matcher shard = SHARD.matcher(name);
            if (key.matches()) {
                return repository.retiredKeyCrl(key.group(1), key.group(2));
            }
            if (shard.matches()) {
                return shard.group(3) == null
                        ? repository.currentPartitionCrl(shard.group(1), Integer.parseInt(shard.group(2)))
                        : repository.currentPartitionDeltaCrl(shard.group(1), Integer.parseInt(shard.group(2)));
            }
            return name.endsWith("-delta") ? repository.currentDeltaCrl(name.substring(0, name.length() - 6))
                    : repository.currentCrl(name);
        }
        Matcher ldap = LDAP.matcher(url);
        assertThat(ldap.matches()).as("an LDAP URL of the test layout: " + url).isTrue();
        String below = ldap.group(1);
        String ca = ldap.group(2);
        boolean delta = ldap.group(3).equals("deltaRevocationList");
        if (below == null) {
            return delta ? repository.currentDeltaCrl(ca) : repository.currentCrl(ca);
        }
        if (below.startsWith("key-")) {
            return repository.retiredKeyCrl(ca, below.substring(4));
        }
        int shard = Integer.parseInt(below.substring("shard-".length()));
        return delta ? repository.currentPartitionDeltaCrl(ca, shard) : repository.currentPartitionCrl(ca, shard);
    }

    private void verifyWithCrl(String chain, X509Certificate leaf, X509CRL crl, boolean good) throws Exception {
        Files.writeString(dir.resolve("leaf.pem"), Pem.certificate(leaf), StandardCharsets.US_ASCII);
        Files.write(dir.resolve("crl.der"), crl.getEncoded());
        OpenSsl.Result converted = OpenSsl.run(dir, "crl", "-inform", "DER", "-in", "crl.der", "-out", "crl.pem");
        assertThat(converted.exitCode()).as(converted.toString()).isZero();
        OpenSsl.Result result = OpenSsl.run(dir, "verify", "-crl_check", "-CAfile", chain, "-CRLfile", "crl.pem",
                "leaf.pem");
        if (good) {
            assertThat(result.exitCode()).as(result.toString()).isZero();
            assertThat(result.output()).as(result.toString()).contains(": OK");
        } else {
            assertThat(result.exitCode()).as(result.toString()).isNotZero();
            assertThat(result.output()).as(result.toString()).contains("certificate revoked");
        }
    }

    private void write(String name, X509Certificate... certificates) throws Exception {
        StringBuilder pem = new StringBuilder();
        for (X509Certificate certificate : certificates) {
            pem.append(Pem.certificate(certificate));
        }
        Files.writeString(dir.resolve(name), pem, StandardCharsets.US_ASCII);
    }

    private CaRegistry bootstrap(Clock clock, KeyAlgorithm algorithm) {
        return new CaBootstrap(keyStore, new CaCertificateFactory(clock, random), repository,
                repository.publisher(audit, clock), new TestUrls(), audit, clock, random).bootstrap(List.of(
                new CaDefinition("sm2-root", CaRole.ROOT, algorithm, "CN=Test Root,O=egov-pki,C=CN",
                        Period.ofYears(30), null),
                new CaDefinition("sm2-issuing", CaRole.ISSUING, algorithm, "CN=Test Issuing,O=egov-pki,C=CN",
                        Period.ofYears(20), "sm2-root")));
    }

    private CaKeyChangeover changeover(Clock clock, CaRegistry registry) {
        return new CaKeyChangeover(keyStore, new CaCertificateFactory(clock, random), registry, repository,
                new TestUrls(), audit, clock, new SecondCaAdmin(audit, clock));
    }

    private static X509Certificate issueDevice(EnrollmentFixture f) {
        EnrollmentRequest issued = f.service().submit(EnrollmentFixture.RA_ADMIN,
                EnrollmentFixture.device("host" + f.random.nextInt(1_000_000) + ".gov.test", f.sm2()));
        CertificateRecord record = f.stores.findByRequest(issued.id()).get(0);
        return Pem.parseCertificate(record.certificateDer());
    }

    private static void revoke(EnrollmentFixture f, X509Certificate certificate) {
        f.revocations().revokeByOperator(EnrollmentFixture.RA_ADMIN, "sm2-issuing", certificate.getSerialNumber(),
                RevocationReason.KEY_COMPROMISE, Requester.APPROVING_BODY, null);
    }

    private static List<String> distributionPoints(X509Certificate certificate) {
        byte[] extension = certificate.getExtensionValue(Extension.cRLDistributionPoints.getId());
        assertThat(extension).as("a CRL distribution point").isNotNull();
        List<String> urls = new ArrayList<>();
        for (DistributionPoint point : CRLDistPoint.getInstance(ASN1OctetString.getInstance(extension).getOctets())
                .getDistributionPoints()) {
            for (GeneralName name : GeneralNames.getInstance(point.getDistributionPoint().getName()).getNames()) {
                urls.add(DERIA5String.getInstance(name.getName()).getString());
            }
        }
        return urls;
    }

    private static int listed(X509CRL crl, X509Certificate certificate) {
        Collection<? extends X509CRLEntry> entries = crl.getRevokedCertificates();
        return entries == null ? 0 : (int) entries.stream()
                .filter(e -> e.getSerialNumber().equals(certificate.getSerialNumber())).count();
    }

    private static BigInteger number(X509CRL crl) {
        byte[] extension = crl.getExtensionValue(Extension.cRLNumber.getId());
        return org.bouncycastle.asn1.ASN1Integer.getInstance(ASN1OctetString.getInstance(extension).getOctets())
                .getValue();
    }

    private static byte[] crlAki(X509CRL crl) {
        byte[] extension = crl.getExtensionValue(Extension.authorityKeyIdentifier.getId());
        return AuthorityKeyIdentifier.getInstance(ASN1OctetString.getInstance(extension).getOctets()).getKeyIdentifier();
    }
}
