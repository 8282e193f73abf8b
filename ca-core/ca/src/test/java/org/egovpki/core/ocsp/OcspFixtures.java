package org.egovpki.core.ocsp;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.gm.GMObjectIdentifiers;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.oiw.OIWObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.operator.DigestCalculator;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.egovpki.core.crypto.BouncyCastle;
import org.egovpki.core.crypto.CaSigner;
import org.egovpki.core.crypto.KeyAlgorithm;
import org.egovpki.core.profile.CertificateProfile;
import org.egovpki.core.profile.CertificateType;
import org.egovpki.core.profile.KeyUsageKind;
import org.egovpki.core.x509.CaCertificateFactory;
import org.egovpki.core.x509.CaCertificateRequest;
import org.egovpki.core.x509.DistinguishedNames;
import org.egovpki.core.x509.EndEntityCertificates;
import org.egovpki.core.x509.EndEntityRequest;
import org.egovpki.core.x509.IssuerContext;
import org.egovpki.core.x509.SerialNumbers;

/**
 * Test-data builders for the OCSP tests: CAs, leaves, an in-memory status source and BC client
 * requests. (The x509 package's TestCas/TestEndEntities are package-private.)
 */
final class OcspFixtures {

    /** Fixed, with a fraction of a second, so the tests see that every time is truncated. */
    static final Instant NOW = Instant.parse("2025-06-01T08:00:00.750Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    static final SecureRandom RANDOM = new SecureRandom();

    static final ASN1ObjectIdentifier SHA1 = OIWObjectIdentifiers.idSHA1;
    static final ASN1ObjectIdentifier SHA256 = NISTObjectIdentifiers.id_sha256;
    static final ASN1ObjectIdentifier SM3 = new ASN1ObjectIdentifier("1.2.156.10197.1.401");

    /** A CA: name, certificate and the signer of its key. */
    record TestCa(String name, X509Certificate certificate, CaSigner signer) {
        ServedCa served() {
            return new ServedCa(name, certificate, signer);
        }
    }

    private OcspFixtures() {
    }

    static TestCa ca(KeyAlgorithm algorithm) {
        return ca(algorithm, "issuing", CLOCK);
    }

    static TestCa ca(KeyAlgorithm algorithm, String name, Clock clock) {
        KeyPair keyPair = algorithm.generate(RANDOM);
        CaCertificateRequest request = CaCertificateRequest.root("CN=egov-pki OCSP Test CA " + name + ",O=egov-pki,C=CN",
                Period.ofYears(10), "ldap://ldap.egov-pki.test/ou=ca,o=egov-pki,c=cn?cACertificate;binary");
        X509Certificate certificate = new CaCertificateFactory(clock, RANDOM).selfSignedRoot(request, keyPair);
        return new TestCa(name, certificate, CaSigner.of(keyPair, RANDOM));
    }

    /** An end-entity signing certificate issued by {@code ca}, valid two years from the clock's now. */
    static X509Certificate leaf(TestCa ca, Clock clock) {
        CertificateProfile profile = CertificateProfile.builder("personal", CertificateType.PERSONAL)
                .validity(Period.ofYears(2))
                .policy("1.2.156.112559.1.1.1", "http://pki.egov-pki.test/cps.html")
                .build();
        KeyPair subjectKey = KeyAlgorithm.EC.generate(RANDOM);
        EndEntityRequest request = EndEntityRequest.of(DistinguishedNames.parse("CN=张三,O=某市人民政府,C=CN"),
                SubjectPublicKeyInfo.getInstance(subjectKey.getPublic().getEncoded()), KeyUsageKind.SIGNING);
        IssuerContext issuer = new IssuerContext(ca.certificate(), "http://pki.egov-pki.test/crl/issuing.crl",
                "ldap://ldap.egov-pki.test/cn=issuing,ou=ca,o=egov-pki,c=cn?certificateRevocationList;binary",
                "http://ocsp.egov-pki.test/issuing", "http://pki.egov-pki.test/ca/issuing.cer");
        EndEntityCertificates certificates = new EndEntityCertificates(clock);
        return certificates.sign(certificates.prepare(profile, request, issuer, serial(),
                EndEntityCertificates.signatureAlgorithm(ca.signer())), ca.signer());
    }

    static BigInteger serial() {
        return SerialNumbers.random(RANDOM);
    }

    static DigestCalculator digest(ASN1ObjectIdentifier algorithm) {
        try {
            return new JcaDigestCalculatorProviderBuilder().setProvider(BouncyCastle.PROVIDER).build()
                    .get(new AlgorithmIdentifier(algorithm));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static CertificateID certId(ASN1ObjectIdentifier hash, X509Certificate issuer, BigInteger serial) {
        try {
            return new CertificateID(digest(hash), new JcaX509CertificateHolder(issuer), serial);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A DER OCSPRequest for the CertIDs, with a nonce extension holding {@code extnValue} unless null. */
    static byte[] request(byte[] nonceExtnValue, CertificateID... ids) {
        OCSPReqBuilder builder = new OCSPReqBuilder();
        for (CertificateID id : ids) {
            builder.addRequest(id);
        }
        if (nonceExtnValue != null) {
            builder.setRequestExtensions(new Extensions(
                    new Extension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce, false, nonceExtnValue)));
        }
        try {
            return builder.build().getEncoded();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] request(CertificateID... ids) {
        return request(null, ids);
    }

    /** RFC 8954 form: the extnValue is the DER of {@code OCTET STRING nonce}. */
    static byte[] wrappedNonce(byte[] nonce) {
        try {
            return new DEROctetString(nonce).getEncoded();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    /** Certificate statuses kept in memory, per CA name. */
    static final class InMemoryStatuses implements CertificateStatusSource {
        private final Map<String, Map<BigInteger, RevocationStatus>> byCa = new ConcurrentHashMap<>();

        InMemoryStatuses put(String ca, BigInteger serial, RevocationStatus status) {
            byCa.computeIfAbsent(ca, name -> new ConcurrentHashMap<>()).put(serial, status);
            return this;
        }

        @Override
        public Optional<RevocationStatus> status(String issuerName, BigInteger serial) {
            return Optional.ofNullable(byCa.getOrDefault(issuerName, Map.of()).get(serial));
        }
    }
}
