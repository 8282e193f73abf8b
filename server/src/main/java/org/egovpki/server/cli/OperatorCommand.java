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
 * {@code egov-pki operator add}: creates an operator in the running server's directory. It binds
 * with the CA service account, whose password it reads from the data directory, so only someone
 * who can read the data directory (the CA's own host account) can create operators.
 */
@Command(name = "operator", mixinStandardHelpOptions = true, description = "Manage operators.",
        subcommands = {OperatorCommand.Add.class})
final class OperatorCommand implements Runnable {

    @Override
    public void run() {
        System.out.println("usage: egov-pki operator add --uid LOGIN --name NAME --role ROLE [--role ROLE...] "
                + "[--business-type TYPE...]");
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

        @Override
        public Integer call() throws IOException {
            Set<Role> set = EnumSet.copyOf(roles);
            Set<String> types = businessTypes == null ? Set.of() : Set.copyOf(businessTypes);
            // Refused before anything is read or connected: the role needs a business type and vice versa.
            ApplicationScope.checkAssignment(set, types);
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
                Operator operator = operators.create(uid, name, set, types, password);
                Path sealKey = data.resolve("secrets").resolve(AuditSeal.SECRET_FILE);
                if (!Files.exists(sealKey)) {
                    throw new StartupException("the data directory " + data.toAbsolutePath() + " has no audit seal "
                            + "key; start the server on it first (./egov-pki serve --data " + data + ")");
                }
                // The CLI's own trail is checked and anchored like the server's, before it is appended to.
                try (FileAuditLog audit = AuditTrails.open(data.resolve("audit").resolve("audit-cli.jsonl"),
                        FileAuditLog.CLI_TRAIL, AuditSeal.loadOrGenerate(sealKey), new LdapAuditAnchors(ldap, names),
                        Clock.systemUTC(), EgovPkiServer.auditRotation(config), "cli operator add").log()) {
                    audit.record(AuditEvent.success(Clock.systemUTC().instant(), AuditEventType.OPERATOR_CREATED,
                            "cli:" + System.getProperty("user.name"), List.of(operator.dn()),
                            types.isEmpty() ? Map.of("roles", set.toString())
                                    : Map.of("roles", set.toString(), "businessTypes", new java.util.TreeSet<>(types).toString())));
                }
                System.out.println("created operator " + operator.dn() + " with roles " + set
                        + (types.isEmpty() ? "" : " for business types " + new java.util.TreeSet<>(types)));
                if (generated) {
                    System.out.println("one-time password (shown only now): " + new String(password));
                }
                return 0;
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
}
