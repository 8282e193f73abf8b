package org.egovpki.server;

import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPURL;
import com.unboundid.ldap.sdk.SearchScope;
import java.net.URI;
import org.egovpki.core.ca.PublicationUrls;
import org.egovpki.directory.DirectoryNames;

/** Publication URLs from {@code http.publicUrl}, {@code ldap.publicUrl} and the directory layout. */
final class ConfiguredPublicationUrls implements PublicationUrls {

    private final String http;
    private final URI ldap;
    private final DirectoryNames names;
    private final boolean deltas;
    private final int partitions;

    ConfiguredPublicationUrls(URI httpPublicUrl, URI ldapPublicUrl, DirectoryNames names, boolean deltas,
                              int partitions) {
        this.http = httpPublicUrl.toString();
        this.ldap = ldapPublicUrl;
        this.names = names;
        this.deltas = deltas;
        this.partitions = partitions;
    }

    @Override
    public int crlPartitions() {
        return partitions;
    }

    @Override
    public boolean deltaCrls() {
        return deltas;
    }

    @Override
    public String crlUrl(String caName, int shard) {
        return http + "/crl/" + caName + "-shard" + shard + ".crl";
    }

    @Override
    public String crlLdapUrl(String caName, int shard) {
        return ldapUrl(names.crlPartition(caName, shard), "certificateRevocationList;binary");
    }

    @Override
    public String deltaCrlUrl(String caName, int shard) {
        return deltas ? http + "/crl/" + caName + "-shard" + shard + "-delta.crl" : null;
    }

    @Override
    public String deltaCrlLdapUrl(String caName, int shard) {
        return deltas ? ldapUrl(names.crlPartition(caName, shard), "deltaRevocationList;binary") : null;
    }

    @Override
    public String caCertificateUrl(String caName) {
        return http + "/ca/" + caName + ".crt";
    }

    @Override
    public String crlUrl(String caName) {
        return http + "/crl/" + caName + ".crl";
    }

    @Override
    public String deltaCrlUrl(String caName) {
        return deltas ? http + "/crl/" + caName + "-delta.crl" : null;
    }

    @Override
    public String deltaCrlLdapUrl(String caName) {
        return deltas ? ldapUrl(caName, "deltaRevocationList;binary") : null;
    }

    @Override
    public String keyCrlUrl(String caName, String keyIdHex) {
        return http + "/crl/" + caName + "-key-" + keyIdHex + ".crl";
    }

    @Override
    public String keyCrlLdapUrl(String caName, String keyIdHex) {
        return ldapUrl(names.retiredKeyCrl(caName, keyIdHex), "certificateRevocationList;binary");
    }

    @Override
    public String arlUrl(String caName) {
        return http + "/crl/" + caName + "-arl.crl";
    }

    @Override
    public String arlLdapUrl(String caName) {
        return ldapUrl(caName, "authorityRevocationList;binary");
    }

    @Override
    public String ocspUrl(String caName) {
        return http + "/ocsp";
    }

    @Override
    public String crlLdapUrl(String caName) {
        return ldapUrl(caName, "certificateRevocationList;binary");
    }

    @Override
    public String caRepositoryUrl(String caName) {
        return ldapUrl(caName, "cACertificate;binary");
    }

    private String ldapUrl(String caName, String attribute) {
        return ldapUrl(names.ca(caName), attribute);
    }

    private String ldapUrl(DN entry, String attribute) {
        try {
            int port = ldap.getPort() > 0 ? ldap.getPort() : ("ldaps".equals(ldap.getScheme()) ? 636 : 389);
            return new LDAPURL(ldap.getScheme(), ldap.getHost(), port, entry, new String[] {attribute},
                    SearchScope.BASE, null).toString();
        } catch (LDAPException e) {
            throw new IllegalStateException("cannot build the LDAP URL for " + entry + ": " + e.getMessage(), e);
        }
    }
}
