package org.egovpki.directory.openldap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.egovpki.directory.DirectoryNames;
import org.egovpki.directory.LockoutPolicy;
import org.egovpki.schema.DirectoryLayout;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A provider and a read replica, two real slapds each prepared only with the LDIFs of
 * {@code prepare-openldap}, {@code prepare-openldap-provider} and {@code prepare-openldap-replica}, replicating
 * over LDAPS checked against the provider's certificate ({@code tls_reqcert=demand}; with another CA file
 * nothing arrives): what the CA account writes on the provider reaches the replica within seconds if anonymous
 * readers may see it there (the X.500 mirror's entries under the base DN are), and never if not; a replaced
 * CRL, a revocation and an opt-out are carried over, also while the replica is down; the replica takes no
 * writes.
 */
class OpenLdapReplicaIT {

    private static final String BASE = DirectoryLayout.DEFAULT_BASE_DN;
    private static final DirectoryNames NAMES = new DirectoryNames(BASE);
    private static final char[] CA_PASSWORD = "ca-service-password-0123456789".toCharArray();
    private static final char[] KM_PASSWORD = "km-service-password-0123456789".toCharArray();
    private static final char[] REPLICATOR_PASSWORD = "replicator-password+0123456789=".toCharArray();
    private static final Duration WITHIN = Duration.ofSeconds(15);

    private static final String CA_ENTRY = "cn=Replica Test CA,ou=CAs," + BASE;
    private static final String PUBLISHED = "egovSubscriberId=pub-1,ou=subscribers," + BASE;
    private static final String UNPUBLISHED = "egovSubscriberId=hid-1,ou=subscribers," + BASE;
    private static final String REGISTRATION = "cn=registration," + PUBLISHED;
    private static final String MIRROR = "cn=Subscriber pub-1," + BASE;
    private static final String REQUEST = "egovRequestId=r-1,ou=requests," + BASE;
    private static final String KEY = "egovKeyId=k-1,ou=km," + BASE;
    private static final String ID_NUMBER = "110101199003074518";

    @TempDir
    static Path providerWork;
    @TempDir
    static Path replicaWork;
    private static Slapd provider;
    private static volatile Slapd replica;
    private static KeyPair caKey;

    @BeforeAll
    static void startBoth() throws Exception {
        provider = Slapd.startFresh(providerWork, true);
        replica = Slapd.startFresh(replicaWork);
        OpenLdapPreparation preparation = new OpenLdapPreparation(NAMES, 2,
                Slapd.databaseDirectory(providerWork).toString(), 1L << 30, Slapd.peercredDn(),
                new LockoutPolicy(3, Duration.ofMinutes(15), Duration.ofMinutes(15)));
        OpenLdapReplication replication = new OpenLdapReplication(NAMES);
        Path prepare = providerWork.resolve("prepare.ldif");
        Files.writeString(prepare, preparation.ldif(CA_PASSWORD, KM_PASSWORD, new SecureRandom())
                + replication.providerLdif(preparation, REPLICATOR_PASSWORD, new SecureRandom()), StandardCharsets.UTF_8);
        provider.ldapmodify(providerWork, prepare);

        OpenLdapReplication.Replica consumer = new OpenLdapReplication.Replica(NAMES, 2,
                Slapd.databaseDirectory(replicaWork).toString(), 1L << 30, Slapd.peercredDn(),
                "ldaps://127.0.0.1:" + provider.ldapsPort(), false, Slapd.tlsCertificate(providerWork).toString());
        Path replicaLdif = replicaWork.resolve("replica.ldif");
        Files.writeString(replicaLdif, consumer.ldif(REPLICATOR_PASSWORD), StandardCharsets.UTF_8);
        replica.ldapmodify(replicaWork, replicaLdif);

        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(256);
        caKey = generator.generateKeyPair();
        try (LDAPConnection ca = ca()) {
            ca.add(new Entry(CA_ENTRY, List.of(
                    new Attribute("objectClass", "top", "egovCertificationAuthority", "pkiCA", "deltaCRL"),
                    new Attribute("cn", "Replica Test CA"),
                    new Attribute("cACertificate;binary", certificate("CN=Replica Test CA", 1)),
                    new Attribute("certificateRevocationList;binary", crl(1)))));
            addSubscriber(ca, PUBLISHED, true);
            addSubscriber(ca, UNPUBLISHED, false);
            ca.add(new Entry(MIRROR, List.of(new Attribute("objectClass", "top", "egovX500Name", "pkiUser"),
                    new Attribute("cn", "Subscriber pub-1"),
                    new Attribute("userCertificate;binary", certificate("CN=Subscriber pub-1", 77)))));
            ca.add(new Entry(REGISTRATION, List.of(new Attribute("objectClass", "top", "egovSubscriberRegistration"),
                    new Attribute("cn", "registration"), new Attribute("egovSubscriberType", "PERSON"),
                    new Attribute("egovRealName", "Zhang San"), new Attribute("egovIdNumber", ID_NUMBER))));
            ca.add(new Entry(REQUEST, List.of(new Attribute("objectClass", "top", "egovEnrollmentRequest"),
                    new Attribute("egovRequestId", "r-1"), new Attribute("egovRequestState", "SUBMITTED"))));
        }
        try (LDAPConnection km = provider.bind(NAMES.kmServiceAccount().toString(), new String(KM_PASSWORD))) {
            km.add(new Entry(KEY, List.of(new Attribute("objectClass", "top", "egovEscrowedKey"),
                    new Attribute("egovKeyId", "k-1"), new Attribute("egovKeyState", "ESCROWED"))));
        }
    }

    @AfterAll
    static void stopBoth() {
        for (Slapd slapd : new Slapd[] {replica, provider}) {
            if (slapd != null) {
                slapd.close();
            }
        }
    }

    private static LDAPConnection ca() throws LDAPException {
        return provider.bind(NAMES.caServiceAccount().toString(), new String(CA_PASSWORD));
    }

    private static void addSubscriber(LDAPConnection ca, String dn, boolean published) throws Exception {
        String id = dn.substring("egovSubscriberId=".length(), dn.indexOf(','));
        ca.add(new Entry(dn, List.of(
                new Attribute("objectClass", published
                        ? new String[] {"top", "egovSubscriber", "pkiUser", "egovPublishedSubscriber"}
                        : new String[] {"top", "egovSubscriber", "pkiUser"}),
                new Attribute("egovSubscriberId", id), new Attribute("cn", "Subscriber " + id),
                new Attribute("userCertificate;binary", certificate("CN=Subscriber " + id, id.hashCode() & 0xffff)))));
    }

    @Test
    void thePublicEntriesAreOnTheReplicaByteForByte() throws LDAPException {
        for (String dn : List.of(BASE, "ou=CAs," + BASE, CA_ENTRY, PUBLISHED, MIRROR)) {
            await().atMost(WITHIN).untilAsserted(() -> assertThat(anonymousView(replica, dn)).as(dn)
                    .isNotNull().isEqualTo(anonymousView(provider, dn)));
        }
        assertThat(anonymousView(replica, CA_ENTRY).getAttributeValueBytes("certificateRevocationList;binary"))
                .isNotEmpty();
        assertThat(anonymousView(replica, PUBLISHED).getAttributeValueBytes("userCertificate;binary")).isNotEmpty();
        await().atMost(WITHIN).untilAsserted(() -> assertThat(anonymousView(replica, BASE).getAttributeValue(
                "contextCSN")).as("how monitoring sees that a replica is current").isNotNull()
                .isEqualTo(anonymousView(provider, BASE).getAttributeValue("contextCSN")));
    }

    @Test
    void thePrivateEntriesNeverReachTheReplicaEvenForItsRoot() throws Exception {
        await().atMost(WITHIN).until(() -> anonymousView(replica, PUBLISHED) != null);
        Set<String> everything = new TreeSet<>();
        for (Entry entry : replica.searchAsRoot(replicaWork, BASE)) {
            everything.add(entry.getDN().toLowerCase());
            assertThat(entry.toLDIFString()).as(entry.getDN()).doesNotContain(ID_NUMBER)
                    .doesNotContainIgnoringCase("userPassword");
        }
        assertThat(everything).contains(BASE.toLowerCase(), CA_ENTRY.toLowerCase(), PUBLISHED.toLowerCase())
                .doesNotContain(UNPUBLISHED.toLowerCase(), REGISTRATION.toLowerCase(), REQUEST.toLowerCase(),
                        KEY.toLowerCase(), NAMES.caServiceAccount().toString().toLowerCase(),
                        new OpenLdapReplication(NAMES).replicator().toString().toLowerCase(),
                        ("cn=lockout,ou=policies," + BASE).toLowerCase());
        assertThat(everything).as("the containers' names are public, never what is in them")
                .noneMatch(dn -> dn.endsWith((",ou=requests," + BASE).toLowerCase())
                        || dn.endsWith((",ou=km," + BASE).toLowerCase())
                        || dn.endsWith((",ou=services," + BASE).toLowerCase())
                        || dn.endsWith((",ou=operators," + BASE).toLowerCase())
                        || dn.endsWith((",ou=policies," + BASE).toLowerCase()));
    }

    @Test
    void anonymousReadersOfTheReplicaSeeNoMoreThanOnTheProvider() throws Exception {
        await().atMost(WITHIN).until(() -> anonymousView(replica, PUBLISHED) != null);
        try (LDAPConnection onReplica = replica.anonymous(); LDAPConnection onProvider = provider.anonymous()) {
            List<SearchResultEntry> replicaView = onReplica.search(BASE, SearchScope.SUB, "(objectClass=*)", "*", "+")
                    .getSearchEntries();
            for (SearchResultEntry entry : replicaView) {
                SearchResultEntry same = onProvider.getEntry(entry.getDN(), "*", "+");
                assertThat(same).as(entry.getDN()).isNotNull();
                assertThat(names(entry)).as(entry.getDN()).isSubsetOf(names(same));
            }
            assertThat(onReplica.getEntry(PUBLISHED, "entryCSN", "modifyTimestamp", "creatorsName").getAttributes())
                    .as("the sync attributes of a subscriber stay hidden, as on the provider").isEmpty();
        }
    }

    @Test
    void aReplacedCrlAndARevokedCertificateShowOnTheReplica() throws Exception {
        await().atMost(WITHIN).until(() -> anonymousView(replica, PUBLISHED) != null);
        byte[] next = crl(2);
        String revoked = "egovSubscriberId=rev-1,ou=subscribers," + BASE;
        try (LDAPConnection ca = ca()) {
            addSubscriber(ca, revoked, true);
            await().atMost(WITHIN).until(() -> anonymousView(replica, revoked) != null);
            ca.modify(CA_ENTRY, new Modification(ModificationType.REPLACE, "certificateRevocationList;binary", next));
            ca.modify(revoked, new Modification(ModificationType.DELETE, "userCertificate;binary"));
        }
        await().atMost(WITHIN).untilAsserted(() -> assertThat(anonymousView(replica, CA_ENTRY)
                .getAttributeValueBytes("certificateRevocationList;binary")).isEqualTo(next));
        await().atMost(WITHIN).untilAsserted(() -> assertThat(anonymousView(replica, revoked)
                .hasAttribute("userCertificate;binary")).isFalse());
    }

    @Test
    void aSubscriberWhoOptsOutDisappearsFromTheReplica() throws Exception {
        String optOut = "egovSubscriberId=opt-1,ou=subscribers," + BASE;
        try (LDAPConnection ca = ca()) {
            addSubscriber(ca, optOut, true);
            await().atMost(WITHIN).until(() -> anonymousView(replica, optOut) != null);
            ca.modify(optOut, new Modification(ModificationType.DELETE, "objectClass", "egovPublishedSubscriber"));
        }
        await().atMost(WITHIN).untilAsserted(() -> assertThat(replica.searchAsRoot(replicaWork, optOut))
                .as("gone from the replica's database, not only hidden").isEmpty());
    }

    @Test
    void changesMadeWhileTheReplicaWasDownReachItWhenItComesBack() throws Exception {
        String optOut = "egovSubscriberId=opt-2,ou=subscribers," + BASE;
        String added = "egovSubscriberId=new-2,ou=subscribers," + BASE;
        try (LDAPConnection ca = ca()) {
            addSubscriber(ca, optOut, true);
            await().atMost(WITHIN).until(() -> anonymousView(replica, optOut) != null);
            replica.close();
            ca.modify(optOut, new Modification(ModificationType.DELETE, "objectClass", "egovPublishedSubscriber"));
            addSubscriber(ca, added, true);
        }
        replica = Slapd.restart(replicaWork, false);
        await().atMost(WITHIN).until(() -> anonymousView(replica, added) != null);
        await().atMost(WITHIN).untilAsserted(() -> assertThat(replica.searchAsRoot(replicaWork, optOut))
                .as("an opt-out while the replica was down").isEmpty());
    }

    @Test
    void theReplicaTakesNoWritesAndNoServiceAccountBindsThere() throws Exception {
        await().atMost(WITHIN).until(() -> anonymousView(replica, CA_ENTRY) != null);
        byte[] before = anonymousView(replica, CA_ENTRY).getAttributeValueBytes("certificateRevocationList;binary");
        try (LDAPConnection anonymous = replica.anonymous()) {
            LDAPException refused = catchThrowableOfType(LDAPException.class, () -> anonymous.modify(CA_ENTRY,
                    new Modification(ModificationType.REPLACE, "certificateRevocationList;binary", crl(9))));
            assertThat(refused.getResultCode()).isEqualTo(ResultCode.STRONG_AUTH_REQUIRED);
        }
        LDAPException noAccount = catchThrowableOfType(LDAPException.class,
                () -> replica.bind(NAMES.caServiceAccount().toString(), new String(CA_PASSWORD)));
        assertThat(noAccount.getResultCode()).as("a CA pointed at a replica cannot write there")
                .isEqualTo(ResultCode.INVALID_CREDENTIALS);
        assertThat(anonymousView(replica, CA_ENTRY).getAttributeValueBytes("certificateRevocationList;binary"))
                .isEqualTo(before);
    }

    private static Set<String> names(Entry entry) {
        Set<String> names = new TreeSet<>();
        entry.getAttributes().forEach(a -> names.add(a.getName().toLowerCase()));
        return names;
    }

    private static SearchResultEntry anonymousView(Slapd slapd, String dn) throws LDAPException {
        try (LDAPConnection anonymous = slapd.anonymous()) {
            return anonymous.getEntry(dn, "*", "+");
        }
    }

    private static byte[] certificate(String subject, long serial) throws Exception {
        ContentSigner signer = new JcaContentSignerBuilder("SHA256withECDSA").build(caKey.getPrivate());
        Instant now = Instant.now();
        return new JcaX509v3CertificateBuilder(new X500Name("CN=Replica Test CA"), BigInteger.valueOf(serial),
                Date.from(now.minusSeconds(60)), Date.from(now.plus(Duration.ofDays(1))), new X500Name(subject),
                caKey.getPublic()).build(signer).getEncoded();
    }

    private static byte[] crl(int number) throws Exception {
        ContentSigner signer = new JcaContentSignerBuilder("SHA256withECDSA").build(caKey.getPrivate());
        Instant now = Instant.now();
        X509v2CRLBuilder builder = new X509v2CRLBuilder(new X500Name("CN=Replica Test CA"), Date.from(now));
        builder.setNextUpdate(Date.from(now.plus(Duration.ofDays(1))));
        builder.addCRLEntry(BigInteger.valueOf(number), Date.from(now), 1);
        return builder.build(signer).getEncoded();
    }
}
