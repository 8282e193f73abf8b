package org.egovpki.server.cli;

import com.unboundid.ldap.sdk.LDAPConnectionPool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.egovpki.core.audit.AuditEvent;
import org.egovpki.core.audit.AuditEventType;
import org.egovpki.core.DomainException;
import org.egovpki.core.enroll.OperatorAdministration;
import org.egovpki.core.operator.ApplicationScope;
import org.egovpki.core.operator.Operator;
import org.egovpki.core.operator.Role;
import org.egovpki.directory.DirectoryNames;
import org.egovpki.directory.LdapAuditAnchors;
import org.egovpki.directory.LdapOperatorDirectory;
import org.egovpki.server.DirectoryServers;
import org.egovpki.server.EgovPkiServer;
import org.egovpki.server.PasswordFiles;
import org.egovpki.server.PortsFile;
import org.egovpki.server.StartupException;
import org.egovpki.server.audit.AuditSeal;
import org.egovpki.server.audit.AuditTrails;
import org.egovpki.server.audit.FileAuditLog;
import org.egovpki.server.config.EgovPkiConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code egov-pki operator ...}: operators.
 * <ul>
 *   <li>{@code add} is the local bootstrap channel: it creates an operator in the running server's
 *       directory, binding with the CA service account, whose password it reads from the data
 *       directory, so only someone who can read the data directory (the CA's own host account) can
 *       use it — that is how the first security admin comes to exist. It applies the same
 *       separation of duties as every other channel.</li>
 *   <li>{@code list}, {@code roles}, {@code disable}, {@code enable}, {@code reset-password},
 *       {@code bind-certificate} (a security admin's; a reset, a role added and a binding to another
 *       operator take two security admins, the first run printing the proposal) and {@code passwd}
 *       (any operator's own password) go through the running server's API ({@code /api/v1/operators})
 *       as the operator given by {@code --user} and {@code --password-file}; exit codes are
 *       {@link ApiClient}'s.</li>
 * </ul>
 */
@Command(name = "operator", mixinStandardHelpOptions = true, description = "Manage operators.",
        subcommands = {OperatorCommand.Add.class, OperatorCommand.ListOperators.class, OperatorCommand.Roles.class,
                OperatorCommand.Disable.class, OperatorCommand.Enable.class, OperatorCommand.ResetPassword.class,
                OperatorCommand.Passwd.class, OperatorCommand.BindCertificate.class})
final class OperatorCommand implements Runnable {

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();
    private static final String OPERATORS = ApiClient.API + "/operators";

    @Override
    public void run() {
        System.out.println("usage: egov-pki operator add|list|roles|disable|enable|reset-password|passwd|bind-certificate ... "
                + "(see egov-pki operator <operation> --help)");
    }

    /** A command on the API as a logged-in operator. */
    abstract static class ApiCommand implements Callable<Integer> {
        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Mixin
        ApiClient.Options api;

        java.io.PrintWriter out() {
            return spec.commandLine().getOut();
        }

        java.io.PrintWriter err() {
            return spec.commandLine().getErr();
        }
    }

    /** A command on one operator. */
    abstract static class OneOperator extends ApiCommand {
        @Option(names = "--uid", required = true, paramLabel = "LOGIN", description = "the operator to change")
        String uid;

        String path() {
            if (!LdapOperatorDirectory.UID.matcher(uid).matches()) {
                throw new StartupException("--uid " + uid + " is not an operator login (letters, digits, '.', '_' "
                        + "and '-', at most 64)");
            }
            return OPERATORS + "/" + uid;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Every operator with its roles and state, without passwords (security admin).")
    static final class ListOperators extends ApiCommand {
        @Override
        public Integer call() {
            return api.client().call("GET", OPERATORS, null, out(), err());
        }
    }

    @Command(name = "roles", mixinStandardHelpOptions = true,
            description = "Replace an operator's roles with the ones given (security admin; not one's own). A set that "
                    + "adds a role needs two security admins: the first run prints PROPOSED, a second security admin "
                    + "running the same command within the hour carries it out.")
    static final class Roles extends OneOperator {
        @Option(names = "--role", required = true, description = "role, repeatable: ${COMPLETION-CANDIDATES}")
        List<Role> roles;

        @Override
        public Integer call() {
            com.fasterxml.jackson.databind.node.ObjectNode body = JSON.createObjectNode();
            com.fasterxml.jackson.databind.node.ArrayNode list = body.putArray("roles");
            roles.forEach(r -> list.add(r.name()));
            return api.client().call("PATCH", path(), body, out(), err());
        }
    }

    @Command(name = "disable", mixinStandardHelpOptions = true,
            description = "Disable an operator: no API login, no LDAP bind (security admin; not oneself).")
    static final class Disable extends OneOperator {
        @Override
        public Integer call() {
            return api.client().call("PATCH", path(), JSON.createObjectNode().put("enabled", false), out(), err());
        }
    }

    @Command(name = "enable", mixinStandardHelpOptions = true,
            description = "Enable a disabled operator again (security admin).")
    static final class Enable extends OneOperator {
        @Override
        public Integer call() {
            return api.client().call("PATCH", path(), JSON.createObjectNode().put("enabled", true), out(), err());
        }
    }

    @Command(name = "reset-password", mixinStandardHelpOptions = true,
            description = "Give an operator a generated one-time password; it must change it at its next login "
                    + "(two security admins, not one's own: the first run prints PROPOSED, the second security admin's "
                    + "same command within the hour resets it and alone gets the password, printed once).")
    static final class ResetPassword extends OneOperator {
        @Override
        public Integer call() {
            return api.client().call("POST", path() + "/password-reset", JSON.createObjectNode(), out(), err());
        }
    }

    @Command(name = "passwd", mixinStandardHelpOptions = true,
            description = "Change your own password: --password-file holds the current one, --new-password-file "
                    + "the new one (at least 8 characters, letters and digits, not containing the login, none of "
                    + "the last operators.passwordHistory).")
    static final class Passwd extends ApiCommand {
        @Option(names = "--new-password-file", required = true, paramLabel = "FILE",
                description = "file holding the new password (surrounding blanks and newlines are ignored)")
        Path newPasswordFile;

        @Override
        public Integer call() throws IOException {
            if (api.passwordFile == null) {
                throw new StartupException("passwd needs --user and --password-file, the current password");
            }
            com.fasterxml.jackson.databind.node.ObjectNode body = JSON.createObjectNode();
            body.put("oldPassword", read(api.passwordFile, "cannot read " + api.passwordFile));
            body.put("newPassword", read(newPasswordFile, "the new password file " + newPasswordFile
                    + " does not exist"));
            return api.client().call("POST", OPERATORS + "/me/password", body, out(), err());
        }
    }

    @Command(name = "bind-certificate", mixinStandardHelpOptions = true,
            description = "Bind an operator certificate issued by this CA (the operator profile) to an operator: its "
                    + "second login factor (one's own, alone, only while none is bound; to another operator, two "
                    + "security admins: the first run prints PROPOSED, a second's same command binds it).")
    static final class BindCertificate extends OneOperator {
        @Option(names = "--certificate", required = true, paramLabel = "FILE",
                description = "the operator certificate, PEM or DER")
        Path certificate;

        @Override
        public Integer call() {
            return api.client().call("POST", path() + "/certificate",
                    JSON.createObjectNode().put("certificate", ApiClient.pemOrBase64(certificate)), out(), err());
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Create an operator (the server must be running on this data directory).")
    static final class Add implements Callable<Integer> {
        @Mixin
        Main.ServerOptions options;

        @Option(names = "--uid", required = true, description = "login name")
        String uid;

        @Option(names = "--name", required = true, description = "display name")
        String name;

        @Option(names = "--role", required = true, description = "role, repeatable: ${COMPLETION-CANDIDATES}")
        List<Role> roles;

        @Option(names = "--business-type", paramLabel = "TYPE",
                description = "for --role APPLICATION_ADMIN (and only for it): a business type whose certificates, "
                        + "statistics and sync state the admin sees; repeatable")
        List<String> businessTypes;

        @Option(names = "--password-file", paramLabel = "FILE",
                description = "read the password from FILE; without it a one-time password is generated and printed")
        Path passwordFile;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            Set<Role> set = EnumSet.copyOf(roles);
            Set<String> types = businessTypes == null ? Set.of() : Set.copyOf(businessTypes);
            try {
                // The separation of duties and an application admin's scope first: a refused combination
                // touches nothing, server or not.
                OperatorAdministration.checkNewOperator(set, name);
                ApplicationScope.checkAssignment(set, types);
            } catch (DomainException e) {
                spec.commandLine().getErr().println("egov-pki: refused: " + e.getMessage());
                spec.commandLine().getErr().flush();
                return ApiClient.EXIT_REFUSED;
            }
            EgovPkiConfig config = options.load(null);
            Path data = config.dataDirectory();
            boolean external = config.ldap().isExternal();
            char[] servicePassword = external
                    ? PasswordFiles.read(config.ldap().external().caPasswordFile(), "ldap.external.caPasswordFile")
                    : read(data.resolve("secrets").resolve("ca-service.password"),
                    "the data directory " + data.toAbsolutePath() + " has no CA service account secret; "
                            + "start the server on it first (./egov-pki serve --data " + data + ")").toCharArray();
            char[] password = passwordFile == null ? null : read(passwordFile, "cannot read " + passwordFile).toCharArray();
            boolean generated = password == null;
            if (generated) {
                password = org.egovpki.server.OperatorPasswords.generate(new SecureRandom());
            }
            DirectoryNames names = new DirectoryNames(config.ldap().baseDn());
            int port = external ? config.ldap().port() : PortsFile.ldapPort(config);
            // The external directory's URLs and TLS, or the running server's embedded listener.
            DirectoryServers servers = DirectoryServers.of(config.ldap(), port);
            try (LDAPConnectionPool ldap = servers.pool(names.caServiceAccount(), servicePassword, "egov-pki-cli",
                    "CA")) {
                LdapOperatorDirectory operators = new LdapOperatorDirectory(ldap, names,
                        LdapOperatorDirectory.pooled(ldap), new SecureRandom(), config.ldap().lockout());
                // A generated password is a one-time password: changed at the first login.
                Operator operator = operators.create(uid, name, set, types, password, generated,
                        Clock.systemUTC().instant()).operator();
                Path sealKey = data.resolve("secrets").resolve(AuditSeal.SECRET_FILE);
                if (!Files.exists(sealKey)) {
                    throw new StartupException("the data directory " + data.toAbsolutePath() + " has no audit seal "
                            + "key; start the server on it first (./egov-pki serve --data " + data + ")");
                }
                // The CLI's own trail is checked and anchored like the server's, before it is appended to.
                try (FileAuditLog audit = AuditTrails.open(data.resolve("audit").resolve("audit-cli.jsonl"),
                        config.audit().cliTrail(), AuditSeal.loadOrGenerate(sealKey), new LdapAuditAnchors(ldap, names),
                        Clock.systemUTC(), EgovPkiServer.auditRotation(config), "cli operator add").log()) {
                    audit.record(AuditEvent.success(Clock.systemUTC().instant(), AuditEventType.OPERATOR_CREATED,
                            "cli:" + System.getProperty("user.name"), List.of(operator.dn()),
                            types.isEmpty() ? Map.of("roles", set.toString())
                                    : Map.of("roles", set.toString(), "businessTypes", new java.util.TreeSet<>(types).toString())));
                }
                System.out.println("created operator " + operator.dn() + " with roles " + set
                        + (types.isEmpty() ? "" : " for business types " + new java.util.TreeSet<>(types)));
                if (generated) {
                    System.out.println("one-time password (shown only now; change it at the first login with "
                            + "egov-pki operator passwd): " + new String(password));
                }
                return 0;
            }
        }
    }

    private static String read(Path file, String missing) throws IOException {
        try {
            return Files.readString(file).trim();
        } catch (NoSuchFileException e) {
            throw new StartupException(missing);
        }
    }
}
