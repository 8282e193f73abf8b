package org.egovpki.directory;

import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.SearchResultEntry;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneOffset;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.asn1.x509.CertificatePair;
import org.egovpki.core.ca.CaRecord;
import org.egovpki.core.ca.CaRole;
import org.egovpki.core.ca.CrlRecord;
import org.egovpki.core.crypto.CaSigner;
import org.egovpki.core.crypto.KeyAlgorithm;
import org.egovpki.core.x509.CaCertificateFactory;
import org.egovpki.core.x509.CaCertificateRequest;
import org.egovpki.core.x509.CrlFactory;
import org.egovpki.core.x509.CrlRequest;
import org.egovpki.core.x509.Fingerprints;
import org.egovpki.core.x509.SerialNumbers;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a CA key changeover publishes on the real embedded directory: both CA certificates on the
 * entry (the record still the current one), the link certificates as {@code crossCertificatePair},
 * readable anonymously with {@code ;binary}, and the retired key's CRL in an entry of its own.
 */
class LdapCaKeyHistoryIT {

    private static final Instant NOW = Instant.parse("2026-12-01T08:00:00Z");

    @TempDir
    Path work;

    private final SecureRandom random = new SecureRandom();

    @Test
    void keyHistoryAndTheRetiredKeysCrlArePublishedAndSurviveARepublishedRecord() throws Exception {
        try (TestDirectory directory = TestDirectory.start(work)) {
            LdapCaRepository cas = new LdapCaRepository(directory.ca(), directory.names());
            CaCertificateFactory factory = new CaCertificateFactory(Clock.fixed(NOW, ZoneOffset.UTC), random);
            KeyPair oldKey = KeyAlgorithm.EC.generate(random);
            KeyPair newKey = KeyAlgorithm.EC.generate(random);
            CaCertificateRequest root = CaCertificateRequest.root("CN=Root,O=egov-pki,C=CN", Period.ofYears(30),
                    "http://pki.test/ca/root.p7c");
            X509Certificate oldCert = factory.selfSignedRoot(root, oldKey);
            X509Certificate newCert = factory.selfSignedRoot(root, newKey);
            X509Certificate newWithOld = factory.linkCertificate(newKey.getPublic(), oldCert, CaSigner.of(oldKey, random),
                    NOW, oldCert.getNotAfter().toInstant(), null);
            X509Certificate oldWithNew = factory.linkCertificate(oldKey.getPublic(), newCert, CaSigner.of(newKey, random),
                    NOW, oldCert.getNotAfter().toInstant(), null);
            byte[] pair = new CertificatePair(Certificate.getInstance(newWithOld.getEncoded()),
                    Certificate.getInstance(oldWithNew.getEncoded())).getEncoded(ASN1Encoding.DER);

            cas.save(record(newCert));
            cas.publishKeyHistory("root", List.of(newCert.getEncoded(), oldCert.getEncoded()), List.of(pair));

            assertThat(cas.find("root").orElseThrow().certificateDer()).as("the record is the current certificate")
                    .isEqualTo(newCert.getEncoded());
            assertThat(cas.caCertificates("root")).hasSize(2);
            assertThat(cas.crossCertificatePairs("root")).singleElement().isEqualTo(pair);
            SearchResultEntry anonymous = directory.anonymous().getEntry(directory.names().ca("root").toString(),
                    "crossCertificatePair;binary", "cACertificate;binary");
            assertThat(anonymous.getAttribute("crossCertificatePair;binary").getValueByteArray()).isEqualTo(pair);
            assertThat(anonymous.getAttribute("cACertificate;binary").getValueByteArrays().length).isEqualTo(2);

            // A restart saves the record again (one certificate); the links stay.
            cas.save(record(newCert));
            assertThat(cas.caCertificates("root")).singleElement().isEqualTo(newCert.getEncoded());
            assertThat(cas.crossCertificatePairs("root")).singleElement().isEqualTo(pair);

            CrlFactory crls = new CrlFactory(Clock.fixed(NOW, ZoneOffset.UTC));
            String keyId = "00aa11";
            CrlRecord first = crl(crls, oldCert, oldKey, 1);
            assertThat(cas.publishRetiredKeyCrl("root", keyId, first)).isTrue();
            assertThat(cas.publishRetiredKeyCrl("root", keyId, first)).as("never the same number twice").isFalse();
            assertThat(cas.publishRetiredKeyCrl("root", keyId, crl(crls, oldCert, oldKey, 2))).isTrue();
            assertThat(cas.retiredKeyCrl("root", keyId).orElseThrow().crlNumber()).isEqualTo(BigInteger.TWO);
            assertThat(directory.anonymous().getEntry(directory.names().retiredKeyCrl("root", keyId).toString(),
                    "certificateRevocationList;binary")).isNotNull();
            assertThat(cas.retiredKeyCrl("root", "ffff")).isEmpty();
        }
    }

    /**
     * Two CA processes on one directory: a CRL published from what another process has replaced
     * since is refused, so an ARL never goes back behind its CRL and one number never names two CRLs.
     */
    @Test
    void staleArlsAndKeyCrlsAreRefusedAndOlderKeyCrlEntriesGetTheirNumber() throws Exception {
        try (TestDirectory directory = TestDirectory.start(work)) {
            LdapCaRepository cas = new LdapCaRepository(directory.ca(), directory.names());
            CaCertificateFactory factory = new CaCertificateFactory(Clock.fixed(NOW, ZoneOffset.UTC), random);
            KeyPair key = KeyAlgorithm.EC.generate(random);
            X509Certificate cert = factory.selfSignedRoot(CaCertificateRequest.root("CN=Root,O=egov-pki,C=CN",
                    Period.ofYears(30), "http://pki.test/ca/root.p7c"), key);
            cas.save(record(cert));
            CrlFactory crls = new CrlFactory(Clock.fixed(NOW, ZoneOffset.UTC));

            assertThat(cas.publishCrl("root", null, crl(crls, cert, key, 1), null)).isTrue();
            // Another process publishes CRL #4 before this one's ARL #3 (numbered from CRL #1) is written.
            assertThat(cas.publishCrl("root", BigInteger.ONE, crl(crls, cert, key, 4), null)).isTrue();
            assertThat(cas.publishArl("root", BigInteger.ONE, crl(crls, cert, key, 3)))
                    .as("an ARL numbered from a CRL that is no longer current").isFalse();
            assertThat(cas.currentArl("root")).isEmpty();
            assertThat(cas.publishArl("root", BigInteger.valueOf(4), crl(crls, cert, key, 6))).isTrue();
            assertThat(cas.currentArl("root").orElseThrow().crlNumber()).isEqualTo(BigInteger.valueOf(6));
            assertThat(cas.currentCrl("root").orElseThrow().crlNumber()).as("the CRL is untouched")
                    .isEqualTo(BigInteger.valueOf(4));

            // A key CRL entry written by an earlier version: the CRL alone, no number attribute.
            String keyId = "00bb22";
            String dn = directory.names().retiredKeyCrl("root", keyId).toString();
            Entry legacy = new Entry(dn);
            legacy.addAttribute("objectClass", "top", "cRLDistributionPoint");
            legacy.addAttribute("cn", "key-" + keyId);
            legacy.addAttribute("certificateRevocationList;binary", crl(crls, cert, key, 2).der());
            directory.ca().add(legacy);
            assertThat(cas.publishRetiredKeyCrl("root", keyId, crl(crls, cert, key, 2))).isFalse();
            assertThat(cas.publishRetiredKeyCrl("root", keyId, crl(crls, cert, key, 3))).isTrue();
            assertThat(directory.ca().getEntry(dn, "egovCrlNumber").getAttributeValue("egovCrlNumber")).isEqualTo("3");

            // Both processes read #3 and signed #4: the second to write finds the number moved on.
            assertThat(cas.publishRetiredKeyCrl("root", keyId, crl(crls, cert, key, 4))).isTrue();
            assertThat(cas.publishRetiredKeyCrl("root", keyId, crl(crls, cert, key, 4))).isFalse();
            assertThat(cas.retiredKeyCrl("root", keyId).orElseThrow().crlNumber()).isEqualTo(BigInteger.valueOf(4));
        }
    }

    private static CaRecord record(X509Certificate certificate) throws Exception {
        byte[] der = certificate.getEncoded();
        return new CaRecord("root", CaRole.ROOT, KeyAlgorithm.EC, null, "CN=Root,O=egov-pki,C=CN",
                SerialNumbers.toHex(certificate.getSerialNumber()), certificate.getNotBefore().toInstant(),
                certificate.getNotAfter().toInstant(), Fingerprints.sha256Hex(der), der);
    }

    private CrlRecord crl(CrlFactory crls, X509Certificate issuer, KeyPair key, int number) throws IOException {
        return CrlRecord.of(crls.build(new CrlRequest(BigInteger.valueOf(number), NOW, Duration.ofHours(24)),
                sink -> { }, issuer, CaSigner.of(key, random)));
    }
}
