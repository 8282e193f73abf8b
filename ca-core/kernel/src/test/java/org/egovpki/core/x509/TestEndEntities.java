package org.egovpki.core.x509;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Period;
import java.util.List;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x509.TBSCertificate;
import org.egovpki.core.crypto.KeyAlgorithm;
import org.egovpki.core.profile.CertificateProfile;
import org.egovpki.core.profile.CertificateType;
import org.egovpki.core.profile.KeyUsageKind;
import org.egovpki.core.profile.SubjectIdentity;
import org.egovpki.core.x509.TestCas.Ca;

/** Test-data builders for end-entity certificates: defaults that pass the profile, overridable per test. */
final class TestEndEntities {

    static final String SUBJECT_DN = "CN=张三,OU=信息中心,O=某市人民政府,C=CN";
    static final String CRL_HTTP = "http://pki.egov-pki.test/crl/issuing.crl";
    static final String CRL_LDAP =
            "ldap://ldap.egov-pki.test/cn=issuing,ou=ca,o=egov-pki,c=cn?certificateRevocationList;binary";
    static final String OCSP = "http://ocsp.egov-pki.test/issuing";
    static final String CA_ISSUERS = "http://pki.egov-pki.test/ca/issuing.cer";
    static final String POLICY_OID = "1.2.156.112559.1.1.1";
    static final String CPS_URI = "http://pki.egov-pki.test/cps.html";
    static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
    static final String RESIDENT_ID = "11010519491231002X";

    private TestEndEntities() {
    }

    static EndEntityCertificates certificates() {
        return new EndEntityCertificates(TestCas.CLOCK);
    }

    /** A personal single-certificate profile valid 2 years; adjust with the returned builder. */
    static CertificateProfile.Builder profile() {
        return CertificateProfile.builder("personal", CertificateType.PERSONAL)
                .validity(Period.ofYears(2))
                .policy(POLICY_OID, CPS_URI);
    }

    static IssuerContext issuer(Ca ca) {
        return issuer(ca.certificate());
    }

    static IssuerContext issuer(X509Certificate certificate) {
        return new IssuerContext(certificate, CRL_HTTP, CRL_LDAP, OCSP, CA_ISSUERS);
    }

    static X500Name subject() {
        return DistinguishedNames.parse(SUBJECT_DN);
    }

    static SubjectPublicKeyInfo freshKey(KeyAlgorithm algorithm) {
        KeyPair keyPair = algorithm.generate(TestCas.RANDOM);
        return SubjectPublicKeyInfo.getInstance(keyPair.getPublic().getEncoded());
    }

    static EndEntityRequest request(KeyAlgorithm keyAlgorithm, KeyUsageKind kind) {
        return EndEntityRequest.of(subject(), freshKey(keyAlgorithm), kind);
    }

    static EndEntityRequest request(KeyAlgorithm keyAlgorithm, KeyUsageKind kind, List<String> dnsNames,
            List<String> ipAddresses, SubjectIdentity identity) {
        return new EndEntityRequest(subject(), freshKey(keyAlgorithm), kind, dnsNames, ipAddresses, identity, null);
    }

    static BigInteger serial() {
        return SerialNumbers.random(TestCas.RANDOM);
    }

    /** Prepares with the issuer's own signature algorithm. */
    static TBSCertificate prepare(CertificateProfile profile, EndEntityRequest request, Ca ca) {
        return certificates().prepare(profile, request, issuer(ca), serial(),
                EndEntityCertificates.signatureAlgorithm(ca.signer()));
    }

    /** Prepares, stores-and-reloads the TBS DER as the issuer does, and signs. */
    static X509Certificate issue(CertificateProfile profile, EndEntityRequest request, Ca ca) throws Exception {
        TBSCertificate tbs = prepare(profile, request, ca);
        return certificates().sign(EndEntityCertificates.parseTbs(tbs.getEncoded()), ca.signer());
    }
}
