package org.egovpki.server;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.unboundid.ldap.sdk.DN;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/** What a CLI command or a start says when no directory listens where the configuration points. */
class DirectoryServersTest {

    @Test
    void aPortNobodyListensOnIsNamedWithWhatToCheckNotAsABindFailure() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        DirectoryServers servers = DirectoryServers.embedded("127.0.0.1", port);

        assertThatThrownBy(() -> servers.pool(new DN("uid=ca,ou=services,o=egov-pki,c=CN"), "pw".toCharArray(),
                "test", "CA"))
                .isInstanceOf(StartupException.class)
                .hasMessageContaining("no directory answers at ldap://127.0.0.1:" + port)
                .hasMessageContaining("<data>/run/ports")
                .hasMessageNotContaining("cannot bind");
        assertThatThrownBy(() -> servers.loginPool("test-logins"))
                .isInstanceOf(StartupException.class).hasMessageContaining("no directory answers at");
    }
}
