package org.egovpki.core.ca;

/** Publication URLs for tests: fixed hosts, the CA name in each URL. */
public final class TestUrls implements PublicationUrls {

    private final int partitions;

    public TestUrls() {
        this(1);
    }

    public TestUrls(int partitions) {
        this.partitions = partitions;
    }

    @Override
    public int crlPartitions() {
        return partitions;
    }

    @Override
    public boolean deltaCrls() {
        return true;
    }

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
    public String crlUrl(String caName, int shard) {
        return "http://pki.test/crl/" + caName + "-shard" + shard + ".crl";
    }

    @Override
    public String crlLdapUrl(String caName, int shard) {
        return "ldap://ldap.test:389/cn=shard-" + shard + ",cn=" + caName
                + ",ou=CAs,o=egov-pki,c=CN?certificateRevocationList;binary";
    }

    @Override
    public String deltaCrlUrl(String caName, int shard) {
        return "http://pki.test/crl/" + caName + "-shard" + shard + "-delta.crl";
    }

    @Override
    public String deltaCrlLdapUrl(String caName, int shard) {
        return "ldap://ldap.test:389/cn=shard-" + shard + ",cn=" + caName
                + ",ou=CAs,o=egov-pki,c=CN?deltaRevocationList;binary";
    }

    @Override
    public String keyCrlUrl(String caName, String keyIdHex) {
        return "http://pki.test/crl/" + caName + "-key-" + keyIdHex + ".crl";
    }

    @Override
    public String keyCrlLdapUrl(String caName, String keyIdHex) {
        return "ldap://ldap.test:389/cn=key-" + keyIdHex + ",cn=" + caName
                + ",ou=CAs,o=egov-pki,c=CN?certificateRevocationList;binary";
    }

    @Override
    public String arlUrl(String caName) {
        return "http://pki.test/crl/" + caName + "-arl.crl";
    }

    @Override
    public String arlLdapUrl(String caName) {
        return "ldap://ldap.test:389/cn=" + caName + ",ou=CAs,o=egov-pki,c=CN?authorityRevocationList;binary";
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
