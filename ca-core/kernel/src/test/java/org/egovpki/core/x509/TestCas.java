package org.egovpki.core.x509;

import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneOffset;

import org.egovpki.core.crypto.CaSigner;
import org.egovpki.core.crypto.KeyAlgorithm;

/** Test-data builders for CA chains: defaults that pass the profile, overridable per test. */
final class TestCas {

    /** Fixed time in the past, so OpenSSL (which checks against the real clock) accepts the certificates. */
    static final Instant NOW = Instant.parse("2025-06-01T08:00:00.750Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    static final SecureRandom RANDOM = new SecureRandom();

    static final String ROOT_DN = "CN=egov-pki Test Root CA,O=egov-pki,C=CN";
    static final String ISSUING_DN = "CN=egov-pki Test Issuing CA,O=egov-pki,C=CN";
    static final String CA_REPOSITORY = "ldap://ldap.egov-pki.test/ou=ca,o=egov-pki,c=cn?cACertificate;binary";
    static final String CRL_HTTP = "http://pki.egov-pki.test/crl/root.crl";
    static final String CRL_LDAP = "ldap://ldap.egov-pki.test/cn=root,ou=ca,o=egov-pki,c=cn?certificateRevocationList;binary";
    static final String CA_ISSUERS = "http://pki.egov-pki.test/ca/root.cer";
    static final String OCSP = "http://pki.egov-pki.test/ocsp";

    /** A CA: its certificate and the signer of its key. */
    record Ca(X509Certificate certificate, CaSigner signer) {
    }

    /** A root and an issuing CA under it. */
    record Chain(Ca root, Ca issuing) {
    }

    private TestCas() {
    }

    /** Signature algorithm OIDs (BC's getSigAlgName() gives the bare OID for SM2, so compare OIDs). */
    static String signatureOid(KeyAlgorithm algorithm) {
        return switch (algorithm) {
            case SM2 -> "1.2.156.10197.1.501";
            case RSA -> "1.2.840.113549.1.1.11";
            case EC -> "1.2.840.10045.4.3.2";
        };
    }

    static CaCertificateFactory factory() {
        return new CaCertificateFactory(CLOCK, RANDOM);
    }

    static CaCertificateRequest rootRequest() {
        return CaCertificateRequest.root(ROOT_DN, Period.ofYears(30), CA_REPOSITORY);
    }

    static CaCertificateRequest issuingRequest() {
        return CaCertificateRequest.issuingCa(ISSUING_DN, Period.ofYears(20), CRL_HTTP, CRL_LDAP, CA_ISSUERS, OCSP);
    }

    static Ca root(KeyAlgorithm algorithm) {
        return root(algorithm, rootRequest());
    }

    static Ca root(KeyAlgorithm algorithm, CaCertificateRequest request) {
        KeyPair keyPair = algorithm.generate(RANDOM);
        return new Ca(factory().selfSignedRoot(request, keyPair), CaSigner.of(keyPair, RANDOM));
    }

    static Ca issuing(KeyAlgorithm algorithm, Ca root) {
        KeyPair keyPair = algorithm.generate(RANDOM);
        X509Certificate certificate =
                factory().subordinate(issuingRequest(), keyPair.getPublic(), root.certificate(), root.signer());
        return new Ca(certificate, CaSigner.of(keyPair, RANDOM));
    }

    static Chain chain(KeyAlgorithm algorithm) {
        Ca root = root(algorithm);
        return new Chain(root, issuing(algorithm, root));
    }
}
