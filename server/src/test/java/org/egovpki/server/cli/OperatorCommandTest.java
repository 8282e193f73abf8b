package org.egovpki.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code egov-pki operator add}, the local bootstrap channel, applies the separation of duties
 * before it touches anything: a forbidden combination exits 3 with the refusal naming both roles
 * and the CPS section, and the data directory is not even created. (The round trip with a running
 * server, and the API commands, are in {@code OperatorManagementIT}.)
 */
class OperatorCommandTest {

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} + {1}")
    @CsvSource({
        "AUDITOR,       ENTRY_CLERK,    AUDITOR and ENTRY_CLERK,       001 §6.6.1.2",
        "CA_ADMIN,      AUDITOR,        CA_ADMIN and AUDITOR,          001 §6.6.1.2",
        "KEY_CUSTODIAN, SECURITY_ADMIN, KEY_CUSTODIAN and SECURITY_ADMIN, 001 §6.6.2.2",
        "KEY_CUSTODIAN, SUPER_ADMIN,    KEY_CUSTODIAN and SUPER_ADMIN, 001 §6.6.2.2",
    })
    void operatorAddRefusesAForbiddenCombinationAndChangesNothing(String role, String other, String named, String cps)
            throws Exception {
        Path data = dir.resolve("data");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();

        int exit = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), "operator", "add", "--data",
                data.toString(), "--uid", "op1", "--name", "Op", "--role", role, "--role", other);

        assertThat(exit).isEqualTo(ApiClient.EXIT_REFUSED);
        assertThat(err.toString()).startsWith("egov-pki: refused: roles " + named + " may not be held by one "
                + "operator").contains("CPS " + cps).contains("separation of duties");
        assertThat(Files.exists(data)).isFalse();
    }

    @Test
    void theManagementCommandsNeedAnOperatorLogin() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        for (String command : new String[] {"list", "disable", "enable", "reset-password", "roles", "passwd"}) {
            int exit = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), "operator", command);
            assertThat(exit).as(command).isEqualTo(2);
            assertThat(err.toString()).contains("--user");
        }
    }

    @Test
    void theApplicationAdminRoleWithoutABusinessTypeIsRefusedAndNothingIsTouched() throws Exception {
        StringWriter err = new StringWriter();

        int exit = Main.run(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), "operator", "add",
                "--data", dir.toString(), "--uid", "tax-admin", "--name", "Tax", "--role", "APPLICATION_ADMIN");

        assertThat(exit).isEqualTo(ApiClient.EXIT_REFUSED);
        assertThat(err.toString()).contains("role APPLICATION_ADMIN needs at least one business type (--business-type)");
        try (var files = Files.list(dir)) {
            assertThat(files).as("nothing written to the data directory").isEmpty();
        }
    }

    @Test
    void aNameWithAControlCharacterOrABusinessTypeThatIsNoIdentifierIsRefusedAndNothingIsTouched() throws Exception {
        StringWriter err = new StringWriter();

        int badName = Main.run(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), "operator",
                "add", "--data", dir.toString(), "--uid", "clerk", "--name", "\u0000x", "--role", "ENTRY_CLERK");
        int badType = Main.run(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), "operator",
                "add", "--data", dir.toString(), "--uid", "tax-admin", "--name", "Tax", "--role", "APPLICATION_ADMIN",
                "--business-type", "*)(x=*");

        assertThat(badName).isEqualTo(ApiClient.EXIT_REFUSED);
        assertThat(badType).isEqualTo(ApiClient.EXIT_REFUSED);
        assertThat(err.toString()).contains("name contains the control or format character U+0000")
                .contains("businessTypes must be a business type name");
        try (var files = Files.list(dir)) {
            assertThat(files).as("nothing written to the data directory").isEmpty();
        }
    }

    @Test
    void aBusinessTypeWithoutTheApplicationAdminRoleIsRefused() {
        StringWriter err = new StringWriter();

        int exit = Main.run(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), "operator", "add",
                "--data", dir.toString(), "--uid", "clerk", "--name", "Clerk", "--role", "ENTRY_CLERK",
                "--business-type", "tax");

        assertThat(exit).isEqualTo(ApiClient.EXIT_REFUSED);
        assertThat(err.toString()).contains("a business type scopes only the role APPLICATION_ADMIN; add --role "
                + "APPLICATION_ADMIN or leave out --business-type");
    }
}
