package org.egovpki.directory.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.egovpki.core.ca.CaRecord;
import org.egovpki.core.ca.CaRole;
import org.egovpki.core.ca.CrlRecord;
import org.egovpki.core.crypto.KeyAlgorithm;
import org.egovpki.directory.DirectoryNames;
import org.egovpki.directory.LdapCaRepository;
import org.egovpki.directory.TestDirectory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * RFC 4523 §2: certificates and CRLs travel with the {@code ;binary} option. Every binary
 * certificate or CRL attribute egov-pki publishes — written the way the stores write it (added
 * with the entry, replaced, added as a further value) — comes back named {@code <type>;binary}
 * whether the client asks for it by that name, by its base name or for all attributes, in base
 * reads and in subtree searches. Clients that look only under the {@code ;binary} name (python
 * {@code ldap3}, the JDK's LDAP {@code CertStore}) find nothing otherwise.
 */
class BinaryOptionIT {

    private static final String CA = "sm2-issuing";
    private static final byte[] CERTIFICATE = {0x30, 0x03, 0x02, 0x01, 0x01};
    private static final byte[] CRL = {0x30, 0x03, 0x02, 0x01, 0x02};
    private static final byte[] DELTA = {0x30, 0x03, 0x02, 0x01, 0x03};
    private static final byte[] ARL = {0x30, 0x03, 0x02, 0x01, 0x04};
    private static final byte[] SUBSCRIBER_CERTIFICATE = {0x30, 0x03, 0x02, 0x01, 0x05};

    @org.junit.jupiter.api.io.TempDir
    static Path work;

    private static TestDirectory directory;
    private static DirectoryNames names;

    @BeforeAll
    static void publish() throws Exception {
        directory = TestDirectory.start(work);
        names = directory.names();
        LDAPConnection ca = directory.ca();
        Instant now = Instant.parse("2026-12-01T08:00:00Z");
        LdapCaRepository cas = new LdapCaRepository(ca, names);
        cas.save(new CaRecord(CA, CaRole.ISSUING, KeyAlgorithm.SM2, null, "CN=SM2 Issuing CA,O=egov-pki,C=CN", "01",
                now, now.plusSeconds(86_400), "00", CERTIFICATE));
        CrlRecord full = new CrlRecord(BigInteger.ONE, now, now.plusSeconds(3600), CRL);
        CrlRecord delta = new CrlRecord(BigInteger.TWO, now, now.plusSeconds(3600), DELTA);
        cas.publishCrl(CA, null, full, delta);
        cas.publishArl(CA, BigInteger.ONE, new CrlRecord(BigInteger.ONE, now, now.plusSeconds(3600), ARL));
        cas.publishPartitionCrl(CA, 0, full, delta);
        // A second CRL replaces the values of the attributes the first one added with the entry.
        cas.publishPartitionCrl(CA, 1, full, delta);
        cas.publishPartitionCrl(CA, 1, new CrlRecord(BigInteger.valueOf(3), now, now.plusSeconds(3600), CRL),
                new CrlRecord(BigInteger.valueOf(4), now, now.plusSeconds(3600), DELTA));

        LDAPConnection admin = directory.admin();
        admin.add(new Entry(names.subscriber("p-1").toString(), List.of(
                new Attribute("objectClass", "top", "egovSubscriber", "pkiUser", "egovPublishedSubscriber"),
                new Attribute("egovSubscriberId", "p-1"), new Attribute("cn", "Wang Wei"))));
        // As LdapSubscriberStore.publishCertificate: a value added to an existing entry.
        ca.modify(names.subscriber("p-1").toString(),
                new Modification(ModificationType.ADD, "userCertificate;binary", SUBSCRIBER_CERTIFICATE));
        admin.add(new Entry(names.certificate("sm2-issuing-01").toString(), List.of(
                new Attribute("objectClass", "top", "egovCertificateRecord"),
                new Attribute("egovCertificateId", "sm2-issuing-01"), new Attribute("egovSerialNumber", "01"),
                new Attribute("egovIssuerName", CA), new Attribute("egovIssuanceState", "RESERVED"))));
        // As LdapCertificateStore.update: the certificate replaces nothing once signed.
        ca.modify(names.certificate("sm2-issuing-01").toString(),
                new Modification(ModificationType.REPLACE, "userCertificate;binary", SUBSCRIBER_CERTIFICATE));
    }

    @AfterAll
    static void stop() {
        if (directory != null) {
            directory.close();
        }
    }

    static Stream<Arguments> publishedAttributes() {
        return Stream.of(
                Arguments.of("CA certificate", "cACertificate", CERTIFICATE, "ca"),
                Arguments.of("CA's full CRL", "certificateRevocationList", CRL, "ca"),
                Arguments.of("CA's delta CRL", "deltaRevocationList", DELTA, "ca"),
                Arguments.of("CA's ARL", "authorityRevocationList", ARL, "ca"),
                Arguments.of("partition's CRL (added)", "certificateRevocationList", CRL, "shard-0"),
                Arguments.of("partition's delta (added)", "deltaRevocationList", DELTA, "shard-0"),
                Arguments.of("partition's CRL (replaced)", "certificateRevocationList", CRL, "shard-1"),
                Arguments.of("partition's delta (replaced)", "deltaRevocationList", DELTA, "shard-1"),
                Arguments.of("subscriber's certificate", "userCertificate", SUBSCRIBER_CERTIFICATE,
                        "subscriber"),
                Arguments.of("certificate record", "userCertificate", SUBSCRIBER_CERTIFICATE, "record"));
    }

    private static DN entry(String which) {
        return switch (which) {
            case "ca" -> names.ca(CA);
            case "shard-0" -> names.crlPartition(CA, 0);
            case "shard-1" -> names.crlPartition(CA, 1);
            case "subscriber" -> names.subscriber("p-1");
            case "record" -> names.certificate("sm2-issuing-01");
            default -> throw new IllegalArgumentException(which);
        };
    }

    /** The certificate record is private: the CA's service account reads it; the rest is read anonymously. */
    private static LDAPConnection reader(String which) throws Exception {
        return which.equals("record") ? directory.ca() : directory.anonymous();
    }

    @ParameterizedTest(name = "{0}: a base read asking for {1};binary")
    @MethodSource("publishedAttributes")
    void baseReadByBinaryName(String what, String type, byte[] value, String which) throws Exception {
        SearchResultEntry read = reader(which).getEntry(entry(which).toString(), type + ";binary");
        assertTransferredWithBinaryOption(read, type, value);
    }

    @ParameterizedTest(name = "{0}: a base read asking for {1}")
    @MethodSource("publishedAttributes")
    void baseReadByBaseName(String what, String type, byte[] value, String which) throws Exception {
        SearchResultEntry read = reader(which).getEntry(entry(which).toString(), type);
        assertTransferredWithBinaryOption(read, type, value);
    }

    @ParameterizedTest(name = "{0}: a subtree search for all attributes")
    @MethodSource("publishedAttributes")
    void subtreeSearchForAllAttributes(String what, String type, byte[] value, String which)
            throws Exception {
        DN dn = entry(which);
        List<SearchResultEntry> found = reader(which).search(dn.getParent().toString(), SearchScope.SUB,
                Filter.createPresenceFilter("objectClass"), "*").getSearchEntries();
        SearchResultEntry read = null;
        for (SearchResultEntry e : found) {
            if (e.getParsedDN().equals(dn)) {
                read = e;
            }
        }
        assertTransferredWithBinaryOption(read, type, value);
    }

    private static void assertTransferredWithBinaryOption(SearchResultEntry read, String type, byte[] value)
            throws Exception {
        assertThat(read).as("the entry").isNotNull();
        List<Attribute> named = read.getAttributes().stream()
                .filter(a -> a.getBaseName().equalsIgnoreCase(type)).toList();
        assertThat(named).as("attributes of type %s in %s", type, read).hasSize(1);
        assertThat(named.get(0).getName()).as("the name %s travels under", type).isEqualToIgnoringCase(type + ";binary");
        assertThat(read.getAttribute(type + ";binary").getValueByteArray()).isEqualTo(value);
    }
}
