package org.egovpki.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code operator add}'s checks of an application admin's scope, made before anything is read or connected. */
class OperatorCommandTest {

    @TempDir
    Path data;

    @Test
    void theApplicationAdminRoleWithoutABusinessTypeIsRefusedAndNothingIsTouched() throws Exception {
        StringWriter err = new StringWriter();

        int exit = Main.run(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), "operator", "add",
                "--data", data.toString(), "--uid", "tax-admin", "--name", "Tax", "--role", "APPLICATION_ADMIN");

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("role APPLICATION_ADMIN needs at least one business type (--business-type)");
        try (var files = Files.list(data)) {
            assertThat(files).as("nothing written to the data directory").isEmpty();
        }
    }

    @Test
    void aBusinessTypeWithoutTheApplicationAdminRoleIsRefused() {
        StringWriter err = new StringWriter();

        int exit = Main.run(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), "operator", "add",
                "--data", data.toString(), "--uid", "clerk", "--name", "Clerk", "--role", "ENTRY_CLERK",
                "--business-type", "tax");

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("a business type scopes only the role APPLICATION_ADMIN; add --role "
                + "APPLICATION_ADMIN or leave out --business-type");
    }
}
