package org.egovpki.server;

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

    ConfiguredPublicationUrls(URI httpPublicUrl, URI ldapPublicUrl, DirectoryNames names, boolean deltas) {
        this.http = httpPublicUrl.toString();
        this.ldap = ldapPublicUrl;
        this.names = names;
        this.deltas = deltas;
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
        try {
            int port = ldap.getPort() > 0 ? ldap.getPort() : ("ldaps".equals(ldap.getScheme()) ? 636 : 389);
            return new LDAPURL(ldap.getScheme(), ldap.getHost(), port, names.ca(caName), new String[] {attribute},
                    SearchScope.BASE, null).toString();
        } catch (LDAPException e) {
            throw new IllegalStateException("cannot build the LDAP URL for CA " + caName + ": " + e.getMessage(), e);
        }
    }
}
