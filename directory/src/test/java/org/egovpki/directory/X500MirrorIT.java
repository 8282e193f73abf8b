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
import java.util.Map;
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
    void aNewNameIsAddedWithItsCertificateInOneWriteAndAnExistingOneModifiedOnce() throws Exception {
        String subject = "CN=赵六,O=一次写入单位,C=CN";
        X509Certificate first = subscriberCertificate(subject);
        X509Certificate second = subscriberCertificate(subject);
        register("mirror-zhao", subject, false);
        Map<String, Long> before = directory.writesByKind();
        subscribers.publishCertificate("mirror-zhao", "赵六", first.getEncoded());
        Map<String, Long> afterFirst = directory.writesByKind();

        assertThat(certificatesNamed(subject)).containsExactly(first);
        // The new name's entry is added holding the certificate: no add-then-modify (its parent o= is added bare).
        assertThat(delta(before, afterFirst, "add cn")).isEqualTo(1);
        assertThat(delta(before, afterFirst, "add o")).isEqualTo(1);
        assertThat(delta(before, afterFirst, "modify cn")).isZero();

        subscribers.publishCertificate("mirror-zhao", "赵六", second.getEncoded());
        Map<String, Long> afterSecond = directory.writesByKind();
        assertThat(certificatesNamed(subject)).containsExactlyInAnyOrder(first, second);
        assertThat(delta(afterFirst, afterSecond, "add cn")).isZero();
        assertThat(delta(afterFirst, afterSecond, "modify cn")).isEqualTo(1);
    }

    /**
     * Later issuances of a subscriber register it again and so mirror (or, opted out, unmirror)
     * every certificate it already has, and a fill after a failed mirror write mirrors everything
     * again: all normal operation, so the embedded ApacheDS must log no ERROR for any of it (an
     * operations team alerts on ERROR lines, and ApacheDS's duplicate-value message dumps the
     * certificate in hex). The mirror must still end up exactly right.
     */
    @Test
    void laterIssuancesAndARefillLeaveNoDirectoryErrorInTheLog() throws Exception {
        String subject = "CN=钱九,O=安静日志单位,C=CN";
        String otherName = "CN=钱九,OU=第二部门,O=安静日志单位,C=CN";
        X509Certificate first = subscriberCertificate(subject);
        X509Certificate second = subscriberCertificate(otherName);
        X509Certificate third = subscriberCertificate(subject);
        // A second subscriber of the same name keeps the mirror entry when the first hides.
        String sharedName = "CN=孙十,O=安静日志单位,C=CN";
        X509Certificate hidden = subscriberCertificate(sharedName);
        X509Certificate neighbour = subscriberCertificate(sharedName);
        mirror.fill(List.of()); // marks c=CN filled (if an earlier test did not)

        List<ch.qos.logback.classic.spi.ILoggingEvent> errors;
        try (DirectoryLog log = DirectoryLog.capture()) {
            // The first certificate, then two more issuances: each registers, then publishes.
            register("quiet-qian", subject, false);
            subscribers.publishCertificate("quiet-qian", "钱九", first.getEncoded());
            register("quiet-qian", otherName, false);
            subscribers.publishCertificate("quiet-qian", "钱九", second.getEncoded());
            register("quiet-qian", subject, false);
            subscribers.publishCertificate("quiet-qian", "钱九", third.getEncoded());

            // Opted out after publication, then issued again while still opted out.
            register("quiet-sun-1", sharedName, false);
            subscribers.publishCertificate("quiet-sun-1", "孙十", hidden.getEncoded());
            register("quiet-sun-2", sharedName, false);
            subscribers.publishCertificate("quiet-sun-2", "孙十", neighbour.getEncoded());
            register("quiet-sun-1", sharedName, true);
            register("quiet-sun-1", sharedName, true);

            // Mirror writes failed (a failing mirror fails at every write until the next start):
            // the context is unmarked, once, and the next start fills it again.
            mirror.failed("a test's mirror write", new IllegalStateException("refused"));
            mirror.failed("a test's next mirror write", new IllegalStateException("refused again"));
            assertThat(filledContexts()).doesNotContain("c=cn");
            assertThat(mirror.fill(List.of())).isPositive();
            errors = log.errors();
        }

        assertThat(errors).as("ApacheDS ERROR events: %s", errors.stream()
                .map(e -> e.getLoggerName() + ": " + e.getFormattedMessage()).toList()).isEmpty();
        assertThat(certificatesNamed(subject)).containsExactlyInAnyOrder(first, third);
        assertThat(certificatesNamed(otherName)).containsExactly(second);
        assertThat(certificatesNamed(sharedName)).containsExactly(neighbour);
    }

    /** The ERROR events of the embedded directory's loggers ({@code org.apache.directory}) while open. */
    private static final class DirectoryLog implements AutoCloseable {

        private final ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger)
                org.slf4j.LoggerFactory.getLogger("org.apache.directory");
        private final ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> events =
                new ch.qos.logback.core.read.ListAppender<>();

        static DirectoryLog capture() {
            DirectoryLog log = new DirectoryLog();
            log.events.start();
            log.logger.addAppender(log.events);
            return log;
        }

        List<ch.qos.logback.classic.spi.ILoggingEvent> errors() {
            synchronized (events) { // the lock AppenderBase.doAppend appends under
                return events.list.stream()
                        .filter(e -> e.getLevel().isGreaterOrEqual(ch.qos.logback.classic.Level.ERROR)).toList();
            }
        }

        @Override
        public void close() {
            logger.detachAppender(events);
            events.stop();
        }
    }

    private static long delta(Map<String, Long> before, Map<String, Long> after, String kind) {
        return after.getOrDefault(kind, 0L) - before.getOrDefault(kind, 0L);
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
                "deltarevocationlist", "usercertificate", "crosscertificatepair");
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
    void afterAKeyChangeoverTheOldAndNewCaCertificatesAndTheLinksAreAtTheCaName() throws Exception {
        String name = "CN=镜像换钥根CA,O=镜像测试单位,C=CN";
        X509Certificate oldCa = certificate(name, name, key(), true);
        X509Certificate newCa = certificate(name, name, key(), true);
        X509Certificate newWithOld = certificate(name, name, key(), true);
        X509Certificate oldWithNew = certificate(name, name, key(), true);
        byte[] pair = new org.bouncycastle.asn1.x509.CertificatePair(
                org.bouncycastle.asn1.x509.Certificate.getInstance(newWithOld.getEncoded()),
                org.bouncycastle.asn1.x509.Certificate.getInstance(oldWithNew.getEncoded())).getEncoded("DER");
        mirror.publishCaCertificate(oldCa.getEncoded());

        mirror.publishCaKeyHistory(List.of(newCa.getEncoded(), oldCa.getEncoded()), List.of(pair));
        mirror.publishCaKeyHistory(List.of(newCa.getEncoded(), oldCa.getEncoded()), List.of(pair)); // a retry

        assertThat(certificatesNamed(name)).as("the JDK's LDAP CertStore by the CA's name")
                .containsExactlyInAnyOrder(oldCa, newCa);
        SearchResultEntry entry = directory.anonymous().getEntry("cn=镜像换钥根CA,o=镜像测试单位,c=CN",
                "crossCertificatePair;binary");
        assertThat(List.of(entry.getAttributeValueByteArrays("crossCertificatePair;binary"))).as("anonymous readers")
                .singleElement().isEqualTo(pair);

        // The history back to one certificate (the old key out of service): the mirror follows, no stale links.
        mirror.publishCaKeyHistory(List.of(newCa.getEncoded()), List.of());
        assertThat(certificatesNamed(name)).containsExactly(newCa);
        assertThat(directory.anonymous().getEntry("cn=镜像换钥根CA,o=镜像测试单位,c=CN", "crossCertificatePair;binary")
                .hasAttribute("crossCertificatePair")).isFalse();
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
        X500Mirror.off(directory.ca(), directory.names()).fill(List.of()); // unmarked, whatever ran before
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
        assertThat(certificatesNamed(subject)).as("deleted when turned off, not left stale").isEmpty();
        assertThat(fresh.fill(List.of())).isPositive();
        assertThat(certificatesNamed(subject)).isEmpty();
    }

    @Test
    void removingTheLastCertificateDeletesTheEntryAndItsEmptyParentsUpToTheContext() throws Exception {
        String leaving = "CN=离职者,OU=离职处,O=镜像清理单位,C=CN";
        String staying = "CN=留任者,O=镜像清理单位,C=CN";
        X509Certificate leavingCertificate = subscriberCertificate(leaving);
        X509Certificate stayingCertificate = subscriberCertificate(staying);
        register("mirror-leaving", leaving, false);
        register("mirror-staying", staying, false);
        subscribers.publishCertificate("mirror-leaving", "离职者", leavingCertificate.getEncoded());
        subscribers.publishCertificate("mirror-staying", "留任者", stayingCertificate.getEncoded());
        assertThat(directory.anonymous().getEntry("cn=离职者,ou=离职处,o=镜像清理单位,c=CN")).isNotNull();

        subscribers.unpublishCertificate("mirror-leaving", leavingCertificate.getEncoded());
        assertThat(directory.anonymous().getEntry("cn=离职者,ou=离职处,o=镜像清理单位,c=CN")).as("the entry").isNull();
        assertThat(directory.admin().getEntry("cn=离职者,ou=离职处,o=镜像清理单位,c=CN")).isNull();
        assertThat(directory.admin().getEntry("ou=离职处,o=镜像清理单位,c=CN")).as("its empty parent").isNull();
        assertThat(directory.admin().getEntry("o=镜像清理单位,c=CN")).as("a parent with a child").isNotNull();
        subscribers.unpublishCertificate("mirror-leaving", leavingCertificate.getEncoded()); // a retry: no-op

        // Opting out takes the last certificate, so the entry and the now empty parent go too.
        register("mirror-staying", staying, true);
        assertThat(directory.admin().getEntry("cn=留任者,o=镜像清理单位,c=CN")).isNull();
        assertThat(directory.admin().getEntry("o=镜像清理单位,c=CN")).isNull();
        assertThat(directory.admin().getEntry("c=CN")).as("the naming context stays").isNotNull();
        assertThat(directory.anonymous().search("c=CN", SearchScope.SUB,
                Filter.createEqualityFilter("cn", "留任者"), "1.1").getEntryCount()).isZero();
    }

    @Test
    void anEntryWithAnotherCertificateOrAForeignChildStays() throws Exception {
        String subject = "CN=多证者,O=镜像保留单位,C=CN";
        X509Certificate first = subscriberCertificate(subject);
        X509Certificate second = subscriberCertificate(subject);
        register("mirror-two", subject, false);
        subscribers.publishCertificate("mirror-two", "多证者", first.getEncoded());
        subscribers.publishCertificate("mirror-two", "多证者", second.getEncoded());
        subscribers.unpublishCertificate("mirror-two", first.getEncoded());
        assertThat(certificatesNamed(subject)).containsExactly(second);

        // Something that is not the mirror's below a mirror entry keeps it (and is never deleted).
        directory.admin().add(new com.unboundid.ldap.sdk.Entry("cn=foreign,cn=多证者,o=镜像保留单位,c=CN", List.of(
                new Attribute("objectClass", "top", "device"), new Attribute("cn", "foreign"))));
        subscribers.unpublishCertificate("mirror-two", second.getEncoded());
        assertThat(certificatesNamed(subject)).isEmpty();
        assertThat(directory.admin().getEntry("cn=foreign,cn=多证者,o=镜像保留单位,c=CN")).isNotNull();
        assertThat(directory.admin().getEntry("cn=多证者,o=镜像保留单位,c=CN")).isNotNull();
        directory.admin().delete("cn=foreign,cn=多证者,o=镜像保留单位,c=CN");
    }

    @Test
    void turningTheMirrorOffDeletesItsEntriesAndOnFillsThemAgain() throws Exception {
        String subject = "CN=关闭者,O=镜像关闭单位,C=CN";
        X509Certificate certificate = subscriberCertificate(subject);
        register("mirror-off", subject, false);
        subscribers.publishCertificate("mirror-off", "关闭者", certificate.getEncoded());
        mirror.fill(List.of()); // marks c=CN filled (if an earlier test did not)
        mirror.publishCaCertificate(ca.getEncoded());
        assertThat(mirrorEntries()).isNotEmpty();

        X500Mirror.off(directory.ca(), directory.names()).fill(List.of());
        assertThat(mirrorEntries()).as("nothing of the mirror is left to anonymous readers").isEmpty();
        assertThat(directory.admin().search("c=CN", SearchScope.SUB,
                Filter.createEqualityFilter("objectClass", X500Mirror.CLASS), "1.1").getEntryCount())
                .as("the context's own entry only").isOne();
        assertThat(directory.ca().getEntry(directory.names().subscriber("mirror-off").toString())).isNotNull();
        assertThat(filledContexts()).isEmpty();

        assertThat(mirror.fill(List.of(new X500Mirror.CaPublication(ca.getEncoded(), null, null, null))))
                .isPositive();
        assertThat(certificatesNamed(subject)).containsExactly(certificate);
        assertThat(certificatesNamed(CA_NAME)).containsExactly(ca);
    }

    @Test
    void aFailingMirrorNeitherBlocksRevocationNorCrlPublicationAndTheNextFillMendsIt() throws Exception {
        String failing = "o=镜像故障单位,c=CN";
        com.unboundid.ldap.sdk.LDAPInterface refusing = refusingWritesUnder(directory.ca(), failing);
        X500Mirror broken = new X500Mirror(refusing, directory.names(), List.of("c=CN"));
        LdapSubscriberStore store = new LdapSubscriberStore(directory.ca(), directory.names(), broken);
        mirror.fill(List.of());
        assertThat(filledContexts()).contains("c=cn");

        String subject = "CN=故障者,O=镜像故障单位,C=CN";
        X509Certificate certificate = subscriberCertificate(subject);
        register("mirror-failing", subject, false);
        subscribers.publishCertificate("mirror-failing", "故障者", certificate.getEncoded());
        assertThat(certificatesNamed(subject)).containsExactly(certificate);

        store.unpublishCertificate("mirror-failing", certificate.getEncoded()); // the mirror write fails
        assertThat(CertificateStoreKeys.certificates(directory.ca().getEntry(
                directory.names().subscriber("mirror-failing").toString(), "userCertificate;binary")))
                .as("the revocation's own step completed").isEmpty();
        assertThat(certificatesNamed(subject)).as("left in the mirror").containsExactly(certificate);
        assertThat(filledContexts()).as("unmarked, so the next start mends it").doesNotContain("c=cn");

        // CRL publication: the CA entry, the CRL and the ARL complete although the mirror refuses them.
        KeyPair failingKey = key();
        String caName = "CN=Failing Mirror CA,O=镜像故障单位,C=CN";
        X509Certificate failingCa = certificate(caName, caName, failingKey, true);
        LdapCaRepository cas = new LdapCaRepository(directory.ca(), directory.names(), false, broken);
        cas.save(new org.egovpki.core.ca.CaRecord("failing-mirror", org.egovpki.core.ca.CaRole.ROOT,
                org.egovpki.core.crypto.KeyAlgorithm.EC, null, caName, failingCa.getSerialNumber().toString(16),
                failingCa.getNotBefore().toInstant(), failingCa.getNotAfter().toInstant(), "00",
                failingCa.getEncoded()));
        X509CRL failingCrl = crl(caName, failingKey, 1);
        org.egovpki.core.ca.CrlRecord record = new org.egovpki.core.ca.CrlRecord(BigInteger.ONE,
                failingCrl.getThisUpdate().toInstant(), failingCrl.getNextUpdate().toInstant(), failingCrl.getEncoded());
        assertThat(cas.publishCrl("failing-mirror", null, record, null)).isTrue();
        assertThat(cas.currentCrl("failing-mirror")).isPresent();
        assertThat(cas.publishArl("failing-mirror", BigInteger.ONE, record)).isTrue();
        assertThat(cas.currentArl("failing-mirror")).isPresent();
        assertThat(crlsOf(caName)).isEmpty();

        // The next start's fill (the mirror works again) takes the revoked certificate out.
        assertThat(mirror.fill(List.of())).isPositive();
        assertThat(certificatesNamed(subject)).isEmpty();
        assertThat(filledContexts()).contains("c=cn");
    }

    @Test
    void existingEntriesThatAreNotMirrorEntriesAreNeitherChangedNorExtended() throws Exception {
        String policies = "ou=policies," + directory.names().base();
        if (directory.admin().getEntry(policies) == null) {
            directory.admin().add(new com.unboundid.ldap.sdk.Entry(policies, List.of(
                    new Attribute("objectClass", "top", "organizationalUnit"), new Attribute("ou", "policies"))));
        }
        String subject = "CN=lockout,OU=policies,O=egov-pki,C=CN";
        register("mirror-lockout", subject, false);
        subscribers.publishCertificate("mirror-lockout", "lockout", subscriberCertificate(subject).getEncoded());
        assertThat(directory.admin().getEntry("cn=lockout," + policies)).isNull();

        String policiesName = "OU=policies,O=egov-pki,C=CN";
        register("mirror-policies", policiesName, false);
        subscribers.publishCertificate("mirror-policies", "policies",
                subscriberCertificate(policiesName).getEncoded());
        SearchResultEntry after = directory.admin().getEntry(policies, "objectClass", "userCertificate;binary");
        assertThat(after.getObjectClassValues()).doesNotContain("pkiUser", X500Mirror.CLASS);
        assertThat(after.hasAttribute("userCertificate")).isFalse();
    }

    /** The mirror's entries below the naming context c=CN (the context's own entry is the partition's). */
    private static List<String> mirrorEntries() throws Exception {
        return directory.anonymous().search("c=CN", SearchScope.SUB,
                Filter.createEqualityFilter("objectClass", X500Mirror.CLASS), "1.1").getSearchEntries().stream()
                .map(SearchResultEntry::getDN).filter(dn -> !dn.equalsIgnoreCase("c=CN")).toList();
    }

    private static List<String> filledContexts() throws Exception {
        SearchResultEntry holder = directory.ca().getEntry(directory.names().container(
                org.egovpki.schema.DirectoryLayout.Container.CERTIFICATES).toString(), X500Mirror.FILLED);
        String[] values = holder.getAttributeValues(X500Mirror.FILLED);
        return values == null ? List.of() : List.of(values).stream()
                .map(v -> v.toLowerCase(Locale.ROOT).replace(" ", "")).toList();
    }

    /** The CA account's connection, except that every write at or below {@code under} is refused. */
    private static com.unboundid.ldap.sdk.LDAPInterface refusingWritesUnder(com.unboundid.ldap.sdk.LDAPInterface ldap,
                                                                            String under) throws Exception {
        com.unboundid.ldap.sdk.DN refused = new com.unboundid.ldap.sdk.DN(under);
        return (com.unboundid.ldap.sdk.LDAPInterface) java.lang.reflect.Proxy.newProxyInstance(
                X500MirrorIT.class.getClassLoader(), new Class<?>[] {com.unboundid.ldap.sdk.LDAPInterface.class},
                (proxy, method, args) -> {
                    if (Set.of("add", "modify", "delete", "modifyDN").contains(method.getName())) {
                        Object target = args[0];
                        String dn = target instanceof com.unboundid.ldap.sdk.Entry e ? e.getDN()
                                : String.valueOf(target);
                        if (target instanceof String || target instanceof com.unboundid.ldap.sdk.Entry) {
                            if (new com.unboundid.ldap.sdk.DN(dn).isDescendantOf(refused, true)) {
                                throw new com.unboundid.ldap.sdk.LDAPException(
                                        com.unboundid.ldap.sdk.ResultCode.INSUFFICIENT_ACCESS_RIGHTS,
                                        "refused for the test: " + dn);
                            }
                        }
                    }
                    try {
                        return method.invoke(ldap, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
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
        return crl(CA_NAME, caKey, number);
    }

    private static X509CRL crl(String issuer, KeyPair issuerKey, int number) throws Exception {
        Instant now = Instant.parse("2026-01-01T00:00:00Z").plusSeconds(number);
        X509v2CRLBuilder builder = new X509v2CRLBuilder(DistinguishedNames.parse(issuer), Date.from(now));
        builder.setNextUpdate(Date.from(now.plus(Duration.ofDays(1))));
        builder.addExtension(Extension.cRLNumber, false, new org.bouncycastle.asn1.x509.CRLNumber(
                BigInteger.valueOf(number)));
        return new JcaX509CRLConverter().getCRL(builder.build(
                new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey.getPrivate())));
    }

    private static ContentSigner signer() throws Exception {
        return new JcaContentSignerBuilder("SHA256withECDSA").build(caKey.getPrivate());
    }
}
