package org.egovpki.directory;

import com.unboundid.asn1.ASN1OctetString;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPConnectionPool;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPInterface;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.controls.SimplePagedResultsControl;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A search read page by page with the RFC 2696 simple paged results control, so a result of any size
 * (every revoked certificate of a CA, a year of records) never sits in one response. A paged
 * search's cookie is valid only on the connection that started it, so over a pool the whole search
 * holds one connection, released as defunct if the search failed. A server limit that cuts the
 * search short is an error, never a silently shorter answer.
 */
final class PagedSearch {

    private PagedSearch() {
    }

    /**
     * Runs the search {@code request} builds, {@code pageSize} entries at a time, handing each page's
     * result to {@code page} (entries a request's listener streams are not in it).
     *
     * @param request builds the request; called once per page (the control is added here)
     */
    static void run(LDAPInterface ldap, int pageSize, Supplier<SearchRequest> request, Consumer<SearchResult> page)
            throws LDAPException {
        LDAPConnectionPool pool = ldap instanceof LDAPConnectionPool p ? p : null;
        LDAPConnection connection = null;
        boolean failed = false;
        try {
            LDAPInterface target = ldap;
            if (pool != null) {
                connection = pool.getConnection();
                target = connection;
            }
            ASN1OctetString cookie = null;
            do {
                SearchRequest pageRequest = request.get();
                pageRequest.addControl(new SimplePagedResultsControl(pageSize, cookie, true));
                SearchResult result = target.search(pageRequest);
                page.accept(result);
                SimplePagedResultsControl paged = SimplePagedResultsControl.get(result);
                cookie = paged == null ? null : paged.getCookie();
            } while (cookie != null && cookie.getValueLength() > 0);
        } catch (LDAPException | RuntimeException e) {
            failed = true;
            throw e;
        } finally {
            if (connection != null) {
                if (failed) {
                    pool.releaseDefunctConnection(connection);
                } else {
                    pool.releaseConnection(connection);
                }
            }
        }
    }
}
