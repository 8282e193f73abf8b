package org.egovpki.server.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.egovpki.core.ca.RecordingAuditLog;
import org.egovpki.core.enroll.OperatorDirectory;
import org.egovpki.core.operator.Operator;
import org.egovpki.core.operator.Role;
import org.egovpki.core.sync.InMemorySyncCredentials;
import org.egovpki.core.sync.InMemorySyncStore;
import org.egovpki.core.sync.SyncTargets;
import org.egovpki.server.sync.QuartzCronSyntax;

/**
 * The operator API with only the sync targets behind it, in memory, on a local port (0: the OS
 * picks): the REST and CLI tests of the sync administration run against it without a directory.
 * Operators: {@code caadmin} (CA_ADMIN), {@code auditor} (AUDITOR), {@code clerk} (ENTRY_CLERK),
 * each with the password {@link #PASSWORD}.
 */
public final class SyncApiFixture implements AutoCloseable {

    public static final String PASSWORD = "Fixture2026pass";
    public static final Instant NOW = Instant.parse("2026-12-02T04:00:00Z");

    public final InMemorySyncStore store = new InMemorySyncStore();
    public final InMemorySyncCredentials credentials = new InMemorySyncCredentials();
    public final RecordingAuditLog audit = new RecordingAuditLog();
    private final Server http = new Server();
    private final ServerConnector connector;

    public SyncApiFixture() throws Exception {
        SyncTargets targets = new SyncTargets(store, credentials, audit, Clock.fixed(NOW, ZoneOffset.UTC),
                new QuartzCronSyntax());
        ObjectMapper json = new ObjectMapper();
        connector = new ServerConnector(http);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        http.addConnector(connector);
        TestApiResources resources = new TestApiResources();
        resources.sync = new SyncResource(targets);
        resources.syncEvents = new SyncEventsResource(targets);
        http.setHandler(new ApiHandler(resources.build(), new Operators(), json));
        http.setErrorHandler(new JsonErrorHandler(json));
        http.start();
    }

    /** {@code http://127.0.0.1:<port>}. */
    public URI url() {
        return URI.create("http://127.0.0.1:" + connector.getLocalPort());
    }

    @Override
    public void close() throws Exception {
        http.stop();
    }

    private static final class Operators implements OperatorDirectory {

        private static final Map<String, Role> ROLES = Map.of("caadmin", Role.CA_ADMIN, "auditor", Role.AUDITOR,
                "clerk", Role.ENTRY_CLERK);

        @Override
        public Optional<org.egovpki.core.enroll.OperatorLogin> login(String uid, char[] password) {
            return KnownOperators.loginOf(authenticate(uid, password));
        }

        @Override
        public Optional<Operator> authenticate(String uid, char[] password) {
            Role role = ROLES.get(uid);
            return role != null && PASSWORD.equals(String.valueOf(password))
                    ? Optional.of(new Operator(uid, "uid=" + uid + ",ou=operators,o=egov-pki,c=CN", uid, Set.of(role)))
                    : Optional.empty();
        }

        @Override
        public Optional<Operator> findByDn(String dn) {
            throw new UnsupportedOperationException("not used by the HTTP edge");
        }

        @Override
        public Optional<Operator> findByUid(String uid) {
            throw new UnsupportedOperationException("not used by the HTTP edge");
        }

        @Override
        public Operator create(String uid, String name, Set<Role> roles, char[] password) {
            throw new UnsupportedOperationException("not used by the HTTP edge");
        }
    }
}
