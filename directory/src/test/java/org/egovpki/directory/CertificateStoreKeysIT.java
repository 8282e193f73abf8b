package org.egovpki.directory;

import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPInterface;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.SearchResultEntry;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.egovpki.core.certificate.PublishedCertificates;
import org.egovpki.core.profile.CertificateType;
import org.egovpki.core.x509.StoreKeys;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The RFC 4387 search keys on the real embedded directory: written with the certificates they
 * describe, found through them only on published subscribers, and given to entries written before.
 */
class CertificateStoreKeysIT {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final X500Name ISSUER = new X500Name("CN=Keys Test CA,O=egov-pki test,C=CN");

    @TempDir
    static Path work;

    private static TestDirectory directory;
    private static LdapSubscriberStore subscribers;
    private static CertificateStoreKeys store;
    private static KeyPair issuerKey;

    @BeforeAll
    static void start() throws Exception {
        directory = TestDirectory.start(work);
        subscribers = new LdapSubscriberStore(directory.ca(), directory.names());
        store = new CertificateStoreKeys(directory.ca(), directory.names());
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        issuerKey = generator.generateKeyPair();
    }

    @AfterAll
    static void stop() {
        directory.close();
    }

    @Test
    void aPublishedCertificateIsFoundByEveryKeyAnOptedOutOneByNone() throws Exception {
        X509Certificate shown = certificate("CN=Keys Shown,E=Keys.Shown@Example.gov.cn,C=CN");
        X509Certificate hidden = certificate("CN=Keys Hidden,E=keys.hidden@example.gov.cn,C=CN");
        register("keys-shown", false);
        register("keys-hidden", true);
        subscribers.publishCertificate("keys-shown", "Keys Shown", shown.getEncoded());
        // A certificate on an opted-out entry (its owner opted out after it was published).
        subscribers.publishCertificate("keys-hidden", "Keys Hidden", hidden.getEncoded());

        assertThat(find(StoreKeys.Key.SUBJECT_HASH, sha1(shown.getSubjectX500Principal().getEncoded())))
                .containsExactly(shown);
        assertThat(find(StoreKeys.Key.KEY_ID_HASH, StoreKeys.of(shown).keyIdHash())).containsExactly(shown);
        assertThat(find(StoreKeys.Key.EMAIL, "keys.shown@example.gov.cn")).containsExactly(shown);
        assertThat(find(StoreKeys.Key.NAME, "keys shown")).containsExactly(shown);
        assertThat(find(StoreKeys.Key.ISSUER_HASH, sha1(ISSUER.getEncoded()))).contains(shown).doesNotContain(hidden);

        assertThat(find(StoreKeys.Key.SUBJECT_HASH, StoreKeys.of(hidden).subjectHash())).isEmpty();
        assertThat(find(StoreKeys.Key.EMAIL, "keys.hidden@example.gov.cn")).isEmpty();
        assertThat(find(StoreKeys.Key.NAME, "keys hidden")).isEmpty();
    }

    /** ApacheDS answers these with ERR_13724 and LOOP_DETECT, not "no match": refused before it sees them. */
    @Test
    void aValueTheDirectoryCannotMatchIsABadRequestNamingTheAttribute() {
        for (String value : new String[] {"\uFFFD", "a\uE000", "\uDBFF\uDFFF"}) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> store.find(StoreKeys.Key.NAME, value, 10))
                    .isInstanceOfSatisfying(org.egovpki.core.DomainException.class, e -> {
                        assertThat(e.kind()).isEqualTo(org.egovpki.core.DomainException.Kind.BAD_REQUEST);
                        assertThat(e.field()).isEqualTo("name");
                    });
        }
    }

    @Test
    void aRenewalKeepsTheSharedKeysAndTheLastUnpublishRemovesThem() throws Exception {
        X509Certificate first = certificate("CN=Keys Renewed,C=CN");
        X509Certificate renewed = certificate("CN=Keys Renewed,C=CN");
        register("keys-renewed", false);
        subscribers.publishCertificate("keys-renewed", "Keys Renewed", first.getEncoded());
        subscribers.publishCertificate("keys-renewed", "Keys Renewed", renewed.getEncoded());
        subscribers.publishCertificate("keys-renewed", "Keys Renewed", renewed.getEncoded()); // recovery: no-op
        String sHash = StoreKeys.of(first).subjectHash();
        assertThat(find(StoreKeys.Key.SUBJECT_HASH, sHash)).containsExactlyInAnyOrder(first, renewed);

        subscribers.unpublishCertificate("keys-renewed", first.getEncoded());
        assertThat(find(StoreKeys.Key.SUBJECT_HASH, sHash)).as("the renewed certificate has the same subject")
                .containsExactly(renewed);
        subscribers.unpublishCertificate("keys-renewed", renewed.getEncoded());
        subscribers.unpublishCertificate("keys-renewed", renewed.getEncoded()); // a retry: no-op
        assertThat(find(StoreKeys.Key.SUBJECT_HASH, sHash)).isEmpty();
        assertThat(publicEntry("keys-renewed").hasAttribute("egovCertSubjectHash")).isFalse();
    }

    @Test
    void entriesPublishedBeforeGetTheirKeysAtStartUpOnce() throws Exception {
        X509Certificate old = certificate("CN=Keys Before,C=CN");
        register("keys-before", false);
        // Published the way earlier versions did: the certificate alone.
        directory.ca().modify(subscribers.entryDn("keys-before"),
                new Modification(ModificationType.ADD, "userCertificate;binary", old.getEncoded()));
        assertThat(find(StoreKeys.Key.NAME, "keys before")).isEmpty();

        assertThat(store.migrate()).isGreaterThanOrEqualTo(1);

        assertThat(find(StoreKeys.Key.NAME, "keys before")).containsExactly(old);
        assertThat(publicEntry("keys-before").hasObjectClass(CertificateStoreKeys.CLASS)).isTrue();
        assertThat(store.migrate()).as("nothing left to do").isZero();
    }

    /**
     * Another CA process on the same directory publishes to an entry between this process's start-up
     * migration reading it and writing it (the publish writes the class and the keys in one modify):
     * the migration leaves that entry to the publish and the start goes on.
     */
    @Test
    void aMigrationThatLosesAnEntryToAnotherProcesssPublishLeavesItAndGoesOn() throws Exception {
        X509Certificate published = certificate("CN=Keys Raced,C=CN");
        register("keys-raced", false);
        AtomicBoolean raced = new AtomicBoolean();
        LDAPInterface ca = directory.ca();
        LDAPInterface racing = (LDAPInterface) Proxy.newProxyInstance(LDAPInterface.class.getClassLoader(),
                new Class<?>[] {LDAPInterface.class}, (proxy, method, args) -> {
                    if (method.getName().equals("modify") && String.valueOf(args[0]).startsWith("egovSubscriberId=keys-raced,")
                            && raced.compareAndSet(false, true)) {
                        subscribers.publishCertificate("keys-raced", "Keys Raced", published.getEncoded());
                    }
                    try {
                        return method.invoke(ca, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });

        new CertificateStoreKeys(racing, directory.names()).migrate();

        assertThat(raced).as("the publish came between the migration's read and write").isTrue();
        assertThat(publicEntry("keys-raced").hasObjectClass(CertificateStoreKeys.CLASS)).isTrue();
        assertThat(find(StoreKeys.Key.NAME, "keys raced")).as("the publish's keys").containsExactly(published);
        assertThat(store.migrate()).as("nothing left to do").isZero();
    }

    @Test
    void anAnswerHoldsAtMostTheLimitAndSaysSo() throws Exception {
        X500Name issuer = new X500Name("CN=Keys Limit CA,C=CN");
        for (int i = 0; i < 3; i++) {
            register("keys-limit-" + i, false);
            subscribers.publishCertificate("keys-limit-" + i, "Limit " + i,
                    certificate(issuer, "CN=Keys Limit " + i + ",C=CN").getEncoded());
        }
        String iHash = sha1(issuer.getEncoded());

        PublishedCertificates.Found two = store.find(StoreKeys.Key.ISSUER_HASH, iHash, 2);
        PublishedCertificates.Found all = store.find(StoreKeys.Key.ISSUER_HASH, iHash, 3);

        assertThat(two.certificates()).hasSize(2);
        assertThat(two.truncated()).isTrue();
        assertThat(all.certificates()).hasSize(3);
        assertThat(all.truncated()).isFalse();
    }

    private static List<X509Certificate> find(StoreKeys.Key key, String value) {
        return store.find(key, value, 10).certificates().stream()
                .map(org.egovpki.core.x509.Pem::parseCertificate).toList();
    }

    private static SearchResultEntry publicEntry(String id) throws LDAPException {
        return directory.ca().getEntry(subscribers.entryDn(id), "*");
    }

    private static void register(String id, boolean optOut) {
        subscribers.register(id, CertificateType.PERSONAL, "CN=" + id + ",C=CN",
                SubscriberVisibilityIT.person(id, "11010519491231002X"), null, null, optOut, "hash");
    }

    private static String sha1(byte[] data) throws Exception {
        return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1").digest(data));
    }

    private static X509Certificate certificate(String subject) throws Exception {
        return certificate(ISSUER, subject);
    }

    private static X509Certificate certificate(X500Name issuer, String subject) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair key = generator.generateKeyPair();
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        byte[] keyId = new byte[20];
        RANDOM.nextBytes(keyId);
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer, new BigInteger(64, RANDOM),
                Date.from(now), Date.from(now.plus(Duration.ofDays(365))), new X500Name(subject), key.getPublic());
        builder.addExtension(Extension.subjectKeyIdentifier, false, new SubjectKeyIdentifier(keyId));
        return new JcaX509CertificateConverter().getCertificate(builder.build(
                new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey.getPrivate())));
    }
}
