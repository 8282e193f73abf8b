package org.egovpki.directory.openldap;

import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real OpenLDAP {@code slapd} of its own for one test class: a fresh cn=config and back-mdb
 * database in a temporary directory, the egov-pki schema (its OpenLDAP rendering), the access rules
 * exactly as docs/directory.md gives them to administrators, on a free loopback port. Needs Debian's
 * {@code slapd} package ({@code .ci/run} installs it).
 */
final class Slapd implements AutoCloseable {

    static final String SLAPD = "/usr/sbin/slapd";
    static final String SLAPADD = "/usr/sbin/slapadd";
    static final String BASE = "o=egov-pki,c=CN";
    static final String ROOT_DN = "cn=admin," + BASE;
    static final String ROOT_PASSWORD = "slapd-root-" + Long.toHexString(System.nanoTime());

    private final Process process;
    private final int port;

    private Slapd(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** @param olcAccess the database's access rules, each {@code {n}to ...} with its continuation lines */
    static Slapd start(Path work, List<String> olcAccess) throws IOException, InterruptedException {
        if (!Files.isExecutable(Path.of(SLAPD))) {
            throw new IllegalStateException(SLAPD + " is missing: install OpenLDAP's server (Debian: apt-get install "
                    + "slapd; .ci/run does) to run the OpenLDAP tests");
        }
        Path config = Files.createDirectories(work.resolve("slapd.d"));
        Path database = Files.createDirectories(work.resolve("db"));
        Path schema = Files.createTempFile(work, "egov-pki-openldap", ".ldif");
        try (var in = Slapd.class.getResourceAsStream("/org/egovpki/schema/egov-pki-openldap.ldif")) {
            Files.write(schema, in.readAllBytes());
        }
        StringBuilder ldif = new StringBuilder();
        ldif.append("dn: cn=config\nobjectClass: olcGlobal\ncn: config\nolcPidFile: ")
                .append(work.resolve("slapd.pid")).append("\n\n");
        ldif.append("dn: cn=module{0},cn=config\nobjectClass: olcModuleList\ncn: module{0}\n"
                + "olcModulePath: /usr/lib/ldap\nolcModuleLoad: back_mdb\n\n");
        ldif.append("dn: cn=schema,cn=config\nobjectClass: olcSchemaConfig\ncn: schema\n\n");
        for (String include : List.of("/etc/ldap/schema/core.ldif", "/etc/ldap/schema/cosine.ldif",
                "/etc/ldap/schema/inetorgperson.ldif", schema.toString())) {
            ldif.append("include: file://").append(include).append("\n\n");
        }
        ldif.append("dn: olcDatabase={-1}frontend,cn=config\nobjectClass: olcDatabaseConfig\n"
                + "objectClass: olcFrontendConfig\nolcDatabase: {-1}frontend\n\n");
        ldif.append("dn: olcDatabase={0}config,cn=config\nobjectClass: olcDatabaseConfig\nolcDatabase: {0}config\n"
                + "olcAccess: {0}to * by * none\n\n");
        ldif.append("dn: olcDatabase={1}mdb,cn=config\nobjectClass: olcDatabaseConfig\nobjectClass: olcMdbConfig\n"
                + "olcDatabase: {1}mdb\nolcDbDirectory: ").append(database).append("\nolcSuffix: ").append(BASE)
                .append("\nolcRootDN: ").append(ROOT_DN).append("\nolcRootPW: ").append(ROOT_PASSWORD)
                .append("\nolcDbMaxSize: 1073741824\n");
        for (String rule : olcAccess) {
            ldif.append("olcAccess: ").append(rule.replace("\n", "\n  ")).append('\n');
        }
        Path configLdif = work.resolve("config.ldif");
        Files.writeString(configLdif, ldif, StandardCharsets.UTF_8);
        run(List.of(SLAPADD, "-n0", "-F", config.toString(), "-l", configLdif.toString()), work);

        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Process process = new ProcessBuilder(SLAPD, "-F", config.toString(), "-h", "ldap://127.0.0.1:" + port + "/",
                "-d", "0").redirectErrorStream(true).redirectOutput(work.resolve("slapd.log").toFile()).start();
        Slapd slapd = new Slapd(process, port);
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (true) {
            try (LDAPConnection probe = slapd.anonymous()) {
                return slapd;
            } catch (LDAPException notYet) {
                if (!process.isAlive() || Instant.now().isAfter(deadline)) {
                    slapd.close();
                    throw new IllegalStateException("slapd did not start: " + Files.readString(work.resolve(
                            "slapd.log")), notYet);
                }
                Thread.sleep(50);
            }
        }
    }

    /**
     * The olcAccess values of the "OpenLDAP rules" block in {@code markdown} (docs/directory.md),
     * each with its indented continuation lines, as an administrator copies them.
     */
    static List<String> documentedRules(String markdown) {
        Matcher block = Pattern.compile("### OpenLDAP rules.*?```\\n(.*?)```", Pattern.DOTALL).matcher(markdown);
        if (!block.find()) {
            throw new IllegalStateException("docs/directory.md has no fenced block under '### OpenLDAP rules'");
        }
        List<String> rules = new ArrayList<>();
        for (String line : block.group(1).split("\n")) {
            if (line.startsWith("olcAccess: ")) {
                rules.add(line.substring("olcAccess: ".length()));
            } else if (line.startsWith(" ") && !rules.isEmpty()) {
                rules.set(rules.size() - 1, rules.get(rules.size() - 1) + "\n" + line.strip());
            }
        }
        return rules;
    }

    int port() {
        return port;
    }

    LDAPConnection anonymous() throws LDAPException {
        return new LDAPConnection("127.0.0.1", port);
    }

    LDAPConnection bind(String dn, String password) throws LDAPException {
        return new LDAPConnection("127.0.0.1", port, dn, password);
    }

    LDAPConnection root() throws LDAPException {
        return bind(ROOT_DN, ROOT_PASSWORD);
    }

    private static void run(List<String> command, Path work) throws IOException, InterruptedException {
        Path log = work.resolve("slapadd.log");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + Files.readString(log));
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
