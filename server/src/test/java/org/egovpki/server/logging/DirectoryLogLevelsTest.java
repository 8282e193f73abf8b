package org.egovpki.server.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import java.net.URL;
import org.junit.jupiter.api.Test;

/**
 * The server's {@code logback.xml} (read into a logback context of the test's own: the test
 * classpath has the directory module's {@code logback-test.xml}) as it treats the embedded
 * ApacheDS: a login with an unknown operator id is normal operation and must not log an ERROR
 * with what was typed, while every other ApacheDS ERROR stays.
 */
class DirectoryLogLevelsTest {

    @Test
    void aBindToAnUnknownOperatorLogsNoErrorButTheRestOfApacheDsStillDoes() throws Exception {
        URL shipped = LogSetup.class.getResource("/logback.xml");
        assertThat(shipped).isNotNull();
        assertThat(shipped.toString()).as("the server module's own file, not one in a jar").doesNotStartWith("jar:");
        LoggerContext context = new LoggerContext();
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(shipped);
        try {
            assertThat(context.getLogger("org.apache.directory.server.core.authn.AbstractAuthenticator")
                    .isErrorEnabled()).as("ERR_6 of a bind to an absent entry").isFalse();
            assertThat(context.getLogger("org.apache.directory.server.core.authn.AuthenticationInterceptor")
                    .isErrorEnabled()).isTrue();
            assertThat(context.getLogger("org.apache.directory.server.core.schema.SchemaInterceptor")
                    .isErrorEnabled()).isTrue();
            assertThat(context.getLogger("org.apache.directory.server.core.DefaultDirectoryService")
                    .isErrorEnabled()).isTrue();
            assertThat(context.getLogger("org.apache.directory.server.core.DefaultDirectoryService")
                    .isWarnEnabled()).as("ApacheDS below ERROR stays quiet, as before").isFalse();
        } finally {
            context.stop();
        }
    }
}
