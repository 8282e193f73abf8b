package org.egovpki.directory;

import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.CertStore;
import java.security.cert.Certificate;
import java.security.cert.CRL;
import java.security.cert.LDAPCertStoreParameters;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLSelector;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.egovpki.core.profile.CertificateType;
import org.egovpki.core.x509.DistinguishedNames;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The X.500-named mirror on the real embedded directory with the naming context {@code c=CN}
 * (which holds the base {@code o=egov-pki,c=CN}), read by the JDK's own LDAP CertStore as an
 * anonymous X.500 client: CA certificates and CRLs at the CA's name, published subscriber
 * certificates at the subject's name, nothing of opted-out subscribers, nothing after revocation,
 * and no registration data anywhere in it.
 */
class X500MirrorIT {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String CA_NAME = "CN=Mirror Issuing CA,O=egov-pki,C=CN";

    @TempDir
    static Path work;

    private static TestDirectory directory;
    private static X500Mirror mirror;
    private static LdapSubscriberStore subscribers;
    private static KeyPair caKey;
    private static X509Certificate ca;
    private static CertStore x500Client;

    @BeforeAll
    static void start() throws Exception {
        directory = TestDirectory.start(work, List.of("c=CN"));
        mirror = new X500Mirror(directory.ca(), directory.names(), List.of("c=CN"));
        subscribers = new LdapSubscriberStore(directory.ca(), directory.names(), mirror);
        caKey = key();
        ca = certificate(CA_NAME, CA_NAME, caKey, true);
        // The JDK's LDAP CertStore caches what it read for 30 s; these tests read after every change.
        System.setProperty("sun.security.certpath.ldap.cache.lifetime", "0");
        x500Client = CertStore.getInstance("LDAP", new LDAPCertStoreParameters("127.0.0.1", directory.port()));
    }

    @AfterAll
    static void stop() {
        directory.close();
    }

    @Test
    void theJdkFindsTheCaCertificateAndItsCrlByTheCaName() throws Exception {
        X509CRL crl = crl(1);
        mirror.publishCaCertificate(ca.getEncoded());
        mirror.publishCrl(crl.getEncoded(), null);
        mirror.publishCrl(crl.getEncoded(), null); // a retry: the same state

        assertThat(certificatesNamed(CA_NAME)).containsExactly(ca);
        assertThat(crlsOf(CA_NAME)).containsExactly(crl);

        X509CRL next = crl(2);
        mirror.publishCrl(next.getEncoded(), null);
        assertThat(crlsOf(CA_NAME)).as("the current CRL replaces the last").containsExactly(next);
    }

    @Test
    void aPublishedSubscriberCertificateIsFoundByItsSubjectWithItsParentsCreated() throws Exception {
        String subject = "CN=张三,OU=测试部,L=海淀区,ST=北京市,O=镜像测试单位,C=CN";
        X509Certificate certificate = subscriberCertificate(subject);
        register("mirror-zhang", subject, false);
        subscribers.publishCertificate("mirror-zhang", "张三", certificate.getEncoded());
        subscribers.publishCertificate("mirror-zhang", "张三", certificate.getEncoded()); // recovery: no-op

        assertThat(certificatesNamed(subject)).containsExactly(certificate);
        SearchResultEntry parent = directory.anonymous().getEntry("ou=测试部,l=海淀区,st=北京市,o=镜像测试单位,c=CN");
        assertThat(parent).isNotNull();
        assertThat(parent.getObjectClassValues()).contains(X500Mirror.CLASS);
    }

    @Test
    void everyCertificateOfOneNameAppearsAndARevokedOneLeaves() throws Exception {
        String subject = "CN=李四,O=镜像测试单位,C=CN";
        X509Certificate signing = subscriberCertificate(subject);
        X509Certificate encryption = subscriberCertificate(subject);
        X509Certificate other = subscriberCertificate(subject);
        register("mirror-li-1", subject, false);
        register("mirror-li-2", subject, false);
        subscribers.publishCertificate("mirror-li-1", "李四", signing.getEncoded());
        subscribers.publishCertificate("mirror-li-1", "李四", encryption.getEncoded());
        subscribers.publishCertificate("mirror-li-2", "李四", other.getEncoded());

        assertThat(certificatesNamed(subject)).containsExactlyInAnyOrder(signing, encryption, other);

        subscribers.unpublishCertificate("mirror-li-1", signing.getEncoded());
        subscribers.unpublishCertificate("mirror-li-1", signing.getEncoded()); // a retry: no-op
        assertThat(certificatesNamed(subject)).containsExactlyInAnyOrder(encryption, other);
    }

    @Test
    void aRetryAfterACrashBetweenTheSubscriberEntryAndTheMirrorFinishesTheMirror() throws Exception {
        String subject = "CN=吴九,O=镜像测试单位,C=CN";
        X509Certificate certificate = subscriberCertificate(subject);
        register("mirror-wu", subject, false);
        // The first attempts wrote the subscriber entry and died before the mirror (no mirror here).
        LdapSubscriberStore crashed = new LdapSubscriberStore(directory.ca(), directory.names());
        crashed.publishCertificate("mirror-wu", "吴九", certificate.getEncoded());
        assertThat(certificatesNamed(subject)).isEmpty();

        subscribers.publishCertificate("mirror-wu", "吴九", certificate.getEncoded()); // the recovery
        assertThat(certificatesNamed(subject)).containsExactly(certificate);

        crashed.unpublishCertificate("mirror-wu", certificate.getEncoded());
        assertThat(certificatesNamed(subject)).as("the crash left it in the mirror").containsExactly(certificate);
        subscribers.unpublishCertificate("mirror-wu", certificate.getEncoded()); // the retry
        assertThat(certificatesNamed(subject)).isEmpty();
    }

    @Test
    void anOptedOutSubscriberIsNotInTheMirrorAndOptingOutLaterTakesItOut() throws Exception {
        String hiddenName = "CN=王五,O=镜像测试单位,C=CN";
        register("mirror-wang", hiddenName, true);
        // The issuance step does not publish for an opted-out subscriber; the store refuses the mirror too.
        X509Certificate hidden = subscriberCertificate(hiddenName);
        subscribers.publishCertificate("mirror-wang", "王五", hidden.getEncoded());
        assertThat(certificatesNamed(hiddenName)).isEmpty();

        String laterName = "CN=赵六,O=镜像测试单位,C=CN";
        X509Certificate later = subscriberCertificate(laterName);
        register("mirror-zhao", laterName, false);
        subscribers.publishCertificate("mirror-zhao", "赵六", later.getEncoded());
        assertThat(certificatesNamed(laterName)).containsExactly(later);

        register("mirror-zhao", laterName, true);
        assertThat(certificatesNamed(laterName)).as("opted out after publication").isEmpty();
        register("mirror-zhao", laterName, false);
        assertThat(certificatesNamed(laterName)).as("published again").containsExactly(later);
    }

    @Test
    void anonymousReadersSeeOnlyNamesCertificatesAndCrlsInTheMirror() throws Exception {
        String subject = "CN=孙七,O=镜像测试单位,C=CN";
        register("mirror-sun", subject, false);
        subscribers.publishCertificate("mirror-sun", "孙七", subscriberCertificate(subject).getEncoded());
        mirror.publishCaCertificate(ca.getEncoded());

        List<SearchResultEntry> entries = directory.anonymous().search("c=CN", SearchScope.SUB,
                Filter.createEqualityFilter("objectClass", X500Mirror.CLASS), "*", "+").getSearchEntries();
        Set<String> allowed = Set.of("objectclass", "c", "st", "l", "o", "ou", "cn", "street", "dc", "uid",
                "serialnumber", "cacertificate", "certificaterevocationlist", "authorityrevocationlist",
                "deltarevocationlist", "usercertificate");
        assertThat(entries).extracting(SearchResultEntry::getDN).contains("cn=孙七,o=镜像测试单位,c=CN");
        for (SearchResultEntry entry : entries) {
            for (Attribute attribute : entry.getAttributes()) {
                assertThat(attribute.getBaseName().toLowerCase(Locale.ROOT)).as(entry.getDN()).isIn(allowed);
            }
        }
        // No registration data: neither the ID number nor the registration entry is reachable from the mirror.
        assertThat(directory.anonymous().search("c=CN", SearchScope.SUB,
                Filter.createEqualityFilter("egovSubjectDn", subject), "*").getEntryCount()).isZero();
        assertThat(directory.anonymous().search("c=CN", SearchScope.SUB,
                Filter.createPresenceFilter("egovIdNumber"), "*").getEntryCount()).isZero();
    }

    @Test
    void theMirrorsGrantsReachNothingOfTheEgovPkiTreeBelowTheContext() throws Exception {
        directory.operator("mirror-op", org.egovpki.core.operator.Role.REVIEWER);
        com.unboundid.ldap.sdk.LDAPConnection anonymous = directory.anonymous();
        assertThat(anonymous.getEntry(directory.operatorDn("mirror-op").toString())).isNull();
        assertThat(anonymous.getEntry(directory.names().caServiceAccount().toString())).isNull();
        register("mirror-private", "CN=钱十,O=镜像测试单位,C=CN", false);
        assertThat(anonymous.getEntry(directory.names().registration("mirror-private").toString())).isNull();
        assertThat(directory.ca().getEntry(directory.names().registration("mirror-private").toString())).isNotNull();
        String escrow = "ou=mirror-escrow," + directory.names().km();
        directory.km().add(new com.unboundid.ldap.sdk.Entry(escrow, List.of(
                new Attribute("objectClass", "top", "organizationalUnit"), new Attribute("ou", "mirror-escrow"))));
        assertThat(directory.ca().getEntry(escrow)).as("the CA account below ou=km").isNull();
        assertThat(directory.km().getEntry(escrow)).isNotNull();
    }

    @Test
    void namesOutsideTheContextsOrInsideEgovPkisContainersAreNotMirrored() throws Exception {
        assertThat(mirror.dnOf(new X500Principal("CN=Elsewhere,O=Example,C=US"))).isEmpty();
        assertThat(mirror.dnOf(new X500Principal("CN=sneaky,OU=subscribers,O=egov-pki,C=CN"))).isEmpty();
        assertThat(mirror.dnOf(new X500Principal("O=egov-pki,C=CN"))).isEmpty();
        assertThat(mirror.dnOf(new X500Principal("CN=Somebody,O=Example,C=CN")).map(Object::toString))
                .contains("cn=Somebody,o=Example,c=CN");
    }

    @Test
    void theStartUpFillMirrorsWhatWasPublishedBeforeAndRemovesWhatNoLongerIs() throws Exception {
        String subject = "CN=周八,O=镜像填充单位,C=CN";
        X509Certificate before = subscriberCertificate(subject);
        LdapSubscriberStore withoutMirror = new LdapSubscriberStore(directory.ca(), directory.names());
        register("mirror-zhou", subject, false);
        withoutMirror.publishCertificate("mirror-zhou", "周八", before.getEncoded());
        assertThat(certificatesNamed(subject)).isEmpty();

        X500Mirror fresh = new X500Mirror(directory.ca(), directory.names(), List.of("c=CN"));
        assertThat(fresh.fill(List.of())).isPositive();
        assertThat(certificatesNamed(subject)).containsExactly(before);
        assertThat(fresh.fill(List.of())).as("filled: nothing left to do").isZero();

        // Turned off (a start without contexts), revoked meanwhile, turned on again.
        X500Mirror.off(directory.ca(), directory.names()).fill(List.of());
        withoutMirror.unpublishCertificate("mirror-zhou", before.getEncoded());
        assertThat(certificatesNamed(subject)).as("stale while off").containsExactly(before);
        assertThat(fresh.fill(List.of())).isPositive();
        assertThat(certificatesNamed(subject)).isEmpty();
    }

    private static List<Certificate> certificatesNamed(String name) throws Exception {
        X509CertSelector selector = new X509CertSelector();
        selector.setSubject(new X500Principal(name));
        return List.copyOf(x500Client.getCertificates(selector));
    }

    private static List<CRL> crlsOf(String issuer) throws Exception {
        X509CRLSelector selector = new X509CRLSelector();
        selector.addIssuer(new X500Principal(issuer));
        return List.copyOf(x500Client.getCRLs(selector));
    }

    private static void register(String id, String subject, boolean optOut) {
        subscribers.register(id, CertificateType.PERSONAL, subject,
                SubscriberVisibilityIT.person(id, "11010519491231002X"), null, null, optOut, "hash");
    }

    private static KeyPair key() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    private static X509Certificate subscriberCertificate(String subject) throws Exception {
        return certificate(CA_NAME, subject, key(), false);
    }

    private static X509Certificate certificate(String issuer, String subject, KeyPair subjectKey, boolean isCa)
            throws Exception {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(DistinguishedNames.parse(issuer),
                new BigInteger(64, RANDOM), Date.from(now), Date.from(now.plus(Duration.ofDays(365))),
                name(subject), subjectKey.getPublic());
        if (isCa) {
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
        }
        return new JcaX509CertificateConverter().getCertificate(builder.build(signer()));
    }

    /** DER order as the JDK and the CA write it (C first); Chinese values as UTF8String. */
    private static X500Name name(String dn) {
        return DistinguishedNames.parse(dn);
    }

    private static X509CRL crl(int number) throws Exception {
        Instant now = Instant.parse("2026-01-01T00:00:00Z").plusSeconds(number);
        X509v2CRLBuilder builder = new X509v2CRLBuilder(DistinguishedNames.parse(CA_NAME), Date.from(now));
        builder.setNextUpdate(Date.from(now.plus(Duration.ofDays(1))));
        builder.addExtension(Extension.cRLNumber, false, new org.bouncycastle.asn1.x509.CRLNumber(
                BigInteger.valueOf(number)));
        return new JcaX509CRLConverter().getCRL(builder.build(signer()));
    }

    private static ContentSigner signer() throws Exception {
        return new JcaContentSignerBuilder("SHA256withECDSA").build(caKey.getPrivate());
    }
}
