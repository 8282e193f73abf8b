package org.egovpki.core.ca;

/** Publication URLs for tests: fixed hosts, the CA name in each URL. */
public final class TestUrls implements PublicationUrls {

    @Override
    public String caCertificateUrl(String caName) {
        return "http://pki.test/ca/" + caName + ".crt";
    }

    @Override
    public String crlUrl(String caName) {
        return "http://pki.test/crl/" + caName + ".crl";
    }

    @Override
    public String crlLdapUrl(String caName) {
        return "ldap://ldap.test:389/cn=" + caName + ",ou=CAs,o=egov-pki,c=CN?certificateRevocationList;binary";
    }

    @Override
    public String deltaCrlUrl(String caName) {
        return "http://pki.test/crl/" + caName + "-delta.crl";
    }

    @Override
    public String deltaCrlLdapUrl(String caName) {
        return "ldap://ldap.test:389/cn=" + caName + ",ou=CAs,o=egov-pki,c=CN?deltaRevocationList;binary";
    }

    @Override
    public String ocspUrl(String caName) {
        return "http://pki.test/ocsp";
    }

    @Override
    public String caRepositoryUrl(String caName) {
        return "ldap://ldap.test:389/cn=" + caName + ",ou=CAs,o=egov-pki,c=CN?cACertificate;binary";
    }
}
