package org.egovpki.server;

import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.FailoverServerSet;
import com.unboundid.ldap.sdk.LDAPConnectionOptions;
import com.unboundid.ldap.sdk.LDAPConnectionPool;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.PostConnectProcessor;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.ServerSet;
import com.unboundid.ldap.sdk.SimpleBindRequest;
import com.unboundid.ldap.sdk.SingleServerSet;
import com.unboundid.ldap.sdk.StartTLSPostConnectProcessor;
import com.unboundid.util.ssl.HostNameSSLSocketVerifier;
import com.unboundid.util.ssl.SSLUtil;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import org.egovpki.server.config.EgovPkiConfig;

/**
 * Where the server's LDAP connections go: the embedded directory's listener, or an external directory's
 * URLs (fail-over in the order given) with LDAPS or StartTLS, the server's certificate checked against the
 * configured trust store and its host name against the URL. Every service account pool is opened here, so
 * the CA's and the KM's connections are always made the same way.
 */
public final class DirectoryServers {

    private static final int POOL_SIZE = 8;
    /**
     * The largest LDAP message a connection accepts. A full CRL is one attribute value, about 45 bytes
     * an entry; the SDK's default (20 MiB) would refuse to read back a CRL of some 450,000 entries.
     */
    public static final int MAX_MESSAGE_BYTES = 256 << 20;

    private final ServerSet servers;
    private final PostConnectProcessor startTls;
    private final String description;

    private DirectoryServers(ServerSet servers, PostConnectProcessor startTls, String description) {
        this.servers = servers;
        this.startTls = startTls;
        this.description = description;
    }

    /**
     * For a command-line tool: the external directory of {@code ldap}, or the running server's embedded one
     * on {@code embeddedPort}.
     */
    public static DirectoryServers of(EgovPkiConfig.Ldap ldap, int embeddedPort) {
        return ldap.isExternal() ? external(ldap.external()) : embedded(ldap.host(), embeddedPort);
    }

    static DirectoryServers embedded(String host, int port) {
        return new DirectoryServers(new SingleServerSet(host, port, options()), null, "ldap://" + host + ":" + port);
    }

    static DirectoryServers external(EgovPkiConfig.ExternalDirectory external) {
        List<URI> urls = external.urls();
        String[] hosts = urls.stream().map(u -> u.getHost().replaceAll("^\\[|]$", "")).toArray(String[]::new);
        boolean ldaps = "ldaps".equals(urls.get(0).getScheme());
        int[] ports = urls.stream().mapToInt(u -> u.getPort() > 0 ? u.getPort() : ldaps ? 636 : 389).toArray();
        String description = String.join(" ", urls.stream().map(URI::toString).toList());
        if (!external.tls()) {
            return new DirectoryServers(new FailoverServerSet(hosts, ports, options()), null, description);
        }
        LDAPConnectionOptions options = options();
        options.setSSLSocketVerifier(new HostNameSSLSocketVerifier(true));
        SSLUtil ssl = new SSLUtil(trustManager(external));
        try {
            if (ldaps) {
                return new DirectoryServers(new FailoverServerSet(hosts, ports, ssl.createSSLSocketFactory(), options),
                        null, description);
            }
            SSLContext context = ssl.createSSLContext();
            return new DirectoryServers(new FailoverServerSet(hosts, ports, options),
                    new StartTLSPostConnectProcessor(context), description + " (StartTLS)");
        } catch (GeneralSecurityException e) {
            throw new StartupException("cannot set up TLS for the external directory " + description + ": "
                    + e.getMessage());
        }
    }

    /** The options of every connection: messages up to {@link #MAX_MESSAGE_BYTES}. */
    static LDAPConnectionOptions options() {
        LDAPConnectionOptions options = new LDAPConnectionOptions();
        options.setMaxMessageSize(MAX_MESSAGE_BYTES);
        return options;
    }

    /**
     * The JDK's PKIX trust manager over the configured trust store (PKCS#12 or JKS, told apart by its
     * content), which must hold at least one certificate; {@code null}: the JDK's default trust store.
     */
    private static TrustManager trustManager(EgovPkiConfig.ExternalDirectory external) {
        Path store = external.trustStore();
        if (store == null) {
            return null; // SSLUtil(null): the JDK's default trust store
        }
        char[] password = external.trustStorePasswordFile() == null ? null
                : PasswordFiles.read(external.trustStorePasswordFile(), "ldap.external.trustStorePasswordFile");
        try {
            KeyStore keyStore = KeyStore.getInstance(store.toFile(), password);
            boolean anyCertificate = false;
            for (String alias : Collections.list(keyStore.aliases())) {
                anyCertificate |= keyStore.isCertificateEntry(alias);
            }
            if (!anyCertificate) {
                throw new StartupException("ldap.external.trustStore " + store + " holds no trusted certificate; import "
                        + "the CA certificate of the directory's TLS certificate (keytool -importcert -storetype PKCS12 "
                        + "-keystore " + store + " -alias ldap-ca -file ldap-ca.pem)");
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(keyStore);
            return factory.getTrustManagers()[0];
        } catch (IOException | GeneralSecurityException e) {
            throw new StartupException("ldap.external.trustStore " + store + " cannot be read (" + e.getMessage()
                    + "); is it PKCS#12 or JKS, and is ldap.external.trustStorePasswordFile its password?");
        } finally {
            if (password != null) {
                Arrays.fill(password, '\0');
            }
        }
    }

    /** A pool bound as one of egov-pki's own service accounts; {@code who} names it in the error. */
    public LDAPConnectionPool pool(DN account, char[] password, String name, String who) {
        Objects.requireNonNull(account, "account");
        try {
            return newPool(new SimpleBindRequest(account, new String(password)), name);
        } catch (LDAPException e) {
            if (refused(e)) {
                throw new StartupException(notAnswering());
            }
            throw new StartupException("the " + who + " service account " + account + " cannot bind to the directory "
                    + description + ": " + e.getResultCode().getName() + " " + e.getDiagnosticMessage());
        }
    }

    /**
     * Whether the connection itself failed (refused, no route, unknown host, timed out) — not the TLS
     * handshake or the bind, which keep their own messages.
     */
    private static boolean refused(LDAPException e) {
        if (e.getResultCode() != ResultCode.CONNECT_ERROR) {
            return false;
        }
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof java.net.ConnectException || cause instanceof java.net.NoRouteToHostException
                    || cause instanceof java.net.UnknownHostException
                    || cause instanceof java.net.SocketTimeoutException) {
                return true;
            }
        }
        return false;
    }

    /** Nothing accepts a connection: what to check, rather than the SDK's "connect error". */
    private String notAnswering() {
        return "no directory answers at " + description + " (connection refused or unreachable): is the server "
                + "running on this data directory, and is this its LDAP port? A server started with --ldap-port or "
                + "ldap.port 0 writes the port it got to <data>/run/ports, which the CLI reads only when its own "
                + "configuration says 0 too; give the CLI the same --config and port settings as serve";
    }

    /**
     * A pool for operator logins only: its connections start anonymous, and each login binds one as
     * the operator and leaves it so (the next login binds it as someone else). Nothing else may run
     * on it. A login then costs the directory one bind, not a bind and a bind back to a service
     * account ({@code LDAPConnectionPool.bindAndRevertAuthentication} on a service account's pool).
     */
    public LDAPConnectionPool loginPool(String name) {
        try {
            return newPool(null, name);
        } catch (LDAPException e) {
            if (refused(e)) {
                throw new StartupException(notAnswering());
            }
            throw new StartupException("no connection to the directory " + description + " for operator logins: "
                    + e.getResultCode().getName() + " " + e.getDiagnosticMessage());
        }
    }

    /** A pool on these servers, bound with {@code bind} ({@code null}: not bound), retrying on a dead connection. */
    private LDAPConnectionPool newPool(SimpleBindRequest bind, String name) throws LDAPException {
        LDAPConnectionPool pool = new LDAPConnectionPool(servers, bind, 1, POOL_SIZE, startTls, true);
        pool.setRetryFailedOperationsDueToInvalidConnections(true);
        pool.setConnectionPoolName(name);
        return pool;
    }

    @Override
    public String toString() {
        return description;
    }
}
