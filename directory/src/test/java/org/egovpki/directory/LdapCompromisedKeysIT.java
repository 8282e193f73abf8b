package org.egovpki.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPConnectionPool;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPSearchException;
import com.unboundid.ldap.sdk.SearchScope;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.egovpki.core.certificate.CertificateRecord;
import org.egovpki.core.certificate.CertificateStatus;
import org.egovpki.core.certificate.CompromisedKey;
import org.egovpki.core.certificate.IssuanceState;
import org.egovpki.core.certificate.Revocation;
import org.egovpki.core.certificate.RevocationChannel;
import org.egovpki.core.certificate.RevocationReason;
import org.egovpki.core.operator.Role;
import org.egovpki.core.profile.CertificateType;
import org.egovpki.core.profile.KeyUsageKind;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The compromised keys on the real embedded directory: the container exists after provisioning, a
 * key is found by its id and keeps its first entry, nobody but the CA's account reads or adds one,
 * and the start-up backfill records the keys of records revoked for key compromise once.
 */
class LdapCompromisedKeysIT {

    private static final Instant NOW = Instant.parse("2026-11-21T08:00:00Z");
    private static final AtomicInteger SERIALS = new AtomicInteger(5000);

    @TempDir
    static Path work;

    private static TestDirectory directory;
    private static LDAPConnectionPool ca;
    private static LdapCompromisedKeys keys;
    private static LdapCertificateStore certificates;

    @BeforeAll
    static void start() throws Exception {
        directory = TestDirectory.start(work);
        ca = new LDAPConnectionPool(directory.ca(), 2);
        keys = new LdapCompromisedKeys(ca, directory.names());
        certificates = new LdapCertificateStore(ca, directory.names());
    }

    @AfterAll
    static void stop() {
        if (ca != null) {
            ca.close();
        }
        if (directory != null) {
            directory.close();
        }
    }

    @Test
    void aKeyIsFoundByItsIdAndKeepsTheFirstRevocationThatNamedIt() {
        String id = CompromisedKey.keyIdOf(certificate(keyPair()));
        assertThat(keys.byKeyId(id)).isEmpty();

        keys.add(new CompromisedKey(id, "sm2-issuing", "1a2b", NOW, RevocationReason.EMPLOYEE_KEY_COMPROMISE));
        keys.add(new CompromisedKey(id, "sm2-issuing", "3c4d", NOW.plusSeconds(60), RevocationReason.KEY_COMPROMISE));

        assertThat(keys.byKeyId(id)).contains(
                new CompromisedKey(id, "sm2-issuing", "1a2b", NOW, RevocationReason.EMPLOYEE_KEY_COMPROMISE));
    }

    @Test
    void neitherAnonymousReadersNorOperatorsReadOrAddCompromisedKeys() throws Exception {
        String id = CompromisedKey.keyIdOf(certificate(keyPair()));
        keys.add(new CompromisedKey(id, "sm2-issuing", "5e6f", NOW, RevocationReason.KEY_COMPROMISE));
        String dn = directory.names().compromisedKey(id).toString();
        LDAPConnection anonymous = directory.anonymous();
        LDAPConnection operator = directory.operator("keys-reviewer", Role.REVIEWER);
        for (LDAPConnection reader : List.of(anonymous, operator)) {
            assertThat(reader.getEntry(dn)).isNull();
            assertThat(count(reader, "(objectClass=egovCompromisedKey)")).isZero();
            assertThat(count(reader, "(egovCompromisedKeyId=" + id + ")")).isZero();
        }
        String other = CompromisedKey.keyIdOf(certificate(keyPair()));
        assertThatThrownBy(() -> operator.add(new Entry(directory.names().compromisedKey(other).toString(), List.of(
                new Attribute("objectClass", "top", "egovCompromisedKey"), new Attribute("egovCompromisedKeyId", other),
                new Attribute("egovCertificateId", "x-1"), new Attribute("egovRevocationTime", "20261121080000Z")))))
                .isInstanceOf(LDAPException.class);
        assertThat(keys.byKeyId(other)).isEmpty();
    }

    @Test
    void theBackfillRecordsTheKeysOfRecordsRevokedForKeyCompromiseOnce() throws Exception {
        byte[] compromised = certificate(keyPair());
        byte[] heldBack = certificate(keyPair());
        revoked(compromised, RevocationReason.KEY_COMPROMISE);
        revoked(heldBack, RevocationReason.HOLDER_REQUEST);
        // As a version before ou=compromisedKeys left it: the records say keyCompromise, nothing else does.
        try (LDAPConnection admin = directory.admin()) {
            admin.delete(directory.names().compromisedKey(CompromisedKey.keyIdOf(compromised)).toString());
        } catch (LDAPException absent) {
            // the store wrote none: it is only written by RevocationService
        }

        assertThat(keys.backfill()).isGreaterThanOrEqualTo(1);

        assertThat(keys.byKeyId(CompromisedKey.keyIdOf(compromised))).hasValueSatisfying(k -> {
            assertThat(k.cause()).isEqualTo(RevocationReason.KEY_COMPROMISE);
            assertThat(k.issuer()).isEqualTo("issuing");
        });
        assertThat(keys.byKeyId(CompromisedKey.keyIdOf(heldBack))).as("another cause leaves the key alone").isEmpty();
        byte[] later = certificate(keyPair());
        revoked(later, RevocationReason.KEY_COMPROMISE);
        assertThat(keys.backfill()).as("once per directory: the marker is there").isZero();
        assertThat(keys.byKeyId(CompromisedKey.keyIdOf(later))).isEmpty();

        // A start stopped before the marker was added: the next one does it all again, harmlessly (the
        // adds are idempotent, the first entry of a key is kept), and adds the marker then.
        CompromisedKey first = keys.byKeyId(CompromisedKey.keyIdOf(compromised)).orElseThrow();
        try (LDAPConnection admin = directory.admin()) {
            admin.delete(directory.names().compromisedKeysBackfilled().toString());
        }
        assertThat(keys.backfill()).as("done again, later records included").isGreaterThanOrEqualTo(2);
        assertThat(keys.byKeyId(CompromisedKey.keyIdOf(compromised))).contains(first);
        assertThat(keys.byKeyId(CompromisedKey.keyIdOf(later))).isPresent();
        assertThat(keys.backfill()).as("and marked again").isZero();
    }

    private static void revoked(byte[] der, RevocationReason reason) {
        CertificateRecord intent = new CertificateRecord("issuing", BigInteger.valueOf(SERIALS.incrementAndGet()),
                "r-1", "s-1", "CN=Test,C=CN", "personal", CertificateType.PERSONAL, KeyUsageKind.SIGNING, "tax",
                "410000", CertificateStatus.VALID, IssuanceState.INTENT, new byte[] {0x30, 0}, null, NOW,
                NOW.plus(Duration.ofDays(365)), null, NOW, 0, null);
        assertThat(certificates.writeIntent(intent)).isTrue();
        CertificateRecord published = intent.recorded(der, "00").inState(IssuanceState.PUBLISHED);
        certificates.update(published);
        assertThat(certificates.revoke(published, new Revocation(NOW, reason, null, "uid=ra",
                RevocationChannel.OPERATOR))).isTrue();
    }

    private static KeyPair keyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(256);
            return generator.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] certificate(KeyPair key) {
        try {
            return new JcaX509v3CertificateBuilder(new X500Name("CN=Test,C=CN"), BigInteger.ONE, Date.from(NOW),
                    Date.from(NOW.plus(Duration.ofDays(365))), new X500Name("CN=Test,C=CN"), key.getPublic())
                    .build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate())).getEncoded();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static long count(LDAPConnection reader, String filter) throws Exception {
        try {
            return reader.search(TestDirectory.BASE, SearchScope.SUB, filter, "1.1").getEntryCount();
        } catch (LDAPSearchException e) {
            return e.getEntryCount();
        }
    }
}
