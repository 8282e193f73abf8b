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
 * {@code slapd} package ({@code .ci/run} installs it). {@link #startFresh} is instead a slapd as Debian's
 * package leaves it (cn=config managed by the host's root over ldapi, an unrelated {1}mdb database), for
 * {@code egov-pki directory prepare-openldap} to prepare; the server's ITs use it through this module's
 * test-jar.
 */
public final class Slapd implements AutoCloseable {

    static final String SLAPD = "/usr/sbin/slapd";
    static final String SLAPADD = "/usr/sbin/slapadd";
    static final String BASE = "o=egov-pki,c=CN";
    static final String ROOT_DN = "cn=admin," + BASE;
    static final String ROOT_PASSWORD = "slapd-root-" + Long.toHexString(System.nanoTime());

    private final Process process;
    private final int port;
    private final int ldapsPort;
    private final Path ldapi;

    private Slapd(Process process, int port, int ldapsPort, Path ldapi) {
        this.process = process;
        this.port = port;
        this.ldapsPort = ldapsPort;
        this.ldapi = ldapi;
    }

    /** The SASL EXTERNAL identity of this process's user over ldapi (the host root's on a real install). */
    public static String peercredDn() throws IOException {
        Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        Object gid = Files.getAttribute(Path.of("/proc/self"), "unix:gid");
        return "gidNumber=" + gid + "+uidNumber=" + uid + ",cn=peercred,cn=external,cn=auth";
    }

    /**
     * A slapd as a fresh {@code apt-get install slapd} leaves it: modules back_mdb, the schemas core, cosine,
     * nis-less inetorgperson, cn=config managed by this process's user over ldapi (SASL EXTERNAL), and a
     * {1}mdb database for dc=nodomain; egov-pki's database is then number 2.
     */
    public static Slapd startFresh(Path work) throws IOException, InterruptedException {
        return startFresh(work, false);
    }

    /**
     * As {@link #startFresh(Path)}; with {@code tls}, slapd also has a TLS certificate for 127.0.0.1
     * ({@link #tlsCertificate}, made here with {@code openssl}), answers StartTLS on its ldap:// port and
     * listens on ldaps:// ({@link #ldapsPort()}).
     */
    public static Slapd startFresh(Path work, boolean tls) throws IOException, InterruptedException {
        requireSlapd();
        Path config = Files.createDirectories(work.resolve("slapd.d"));
        Path other = Files.createDirectories(work.resolve("nodomain"));
        Files.createDirectories(work.resolve("egov-pki-db"));
        String me = peercredDn();
        StringBuilder ldif = new StringBuilder();
        ldif.append("dn: cn=config\nobjectClass: olcGlobal\ncn: config\nolcPidFile: ")
                .append(work.resolve("slapd.pid")).append("\n");
        if (tls) {
            Path key = work.resolve("tls-key.pem");
            run(List.of("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                    "-keyout", key.toString(), "-out", tlsCertificate(work).toString(), "-days", "2", "-subj",
                    "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"), work);
            ldif.append("olcTLSCertificateFile: ").append(tlsCertificate(work)).append("\nolcTLSCertificateKeyFile: ")
                    .append(key).append('\n');
        }
        ldif.append('\n');
        ldif.append("dn: cn=module{0},cn=config\nobjectClass: olcModuleList\ncn: module{0}\n"
                + "olcModulePath: /usr/lib/ldap\nolcModuleLoad: back_mdb\n\n");
        ldif.append("dn: cn=schema,cn=config\nobjectClass: olcSchemaConfig\ncn: schema\n\n");
        for (String include : List.of("/etc/ldap/schema/core.ldif", "/etc/ldap/schema/cosine.ldif",
                "/etc/ldap/schema/inetorgperson.ldif")) {
            ldif.append("include: file://").append(include).append("\n\n");
        }
        ldif.append("dn: olcDatabase={-1}frontend,cn=config\nobjectClass: olcDatabaseConfig\n"
                + "objectClass: olcFrontendConfig\nolcDatabase: {-1}frontend\n\n");
        ldif.append("dn: olcDatabase={0}config,cn=config\nobjectClass: olcDatabaseConfig\nolcDatabase: {0}config\n"
                + "olcAccess: {0}to * by dn.exact=").append(me).append(" manage by * break\n\n");
        ldif.append("dn: olcDatabase={1}mdb,cn=config\nobjectClass: olcDatabaseConfig\nobjectClass: olcMdbConfig\n"
                + "olcDatabase: {1}mdb\nolcDbDirectory: ").append(other).append("\nolcSuffix: dc=nodomain\n"
                + "olcRootDN: cn=admin,dc=nodomain\n\n");
        return launch(work, config, ldif.toString(), tls);
    }

    /** The PEM certificate of a TLS slapd (self-signed, for IP 127.0.0.1 only). */
    public static Path tlsCertificate(Path work) {
        return work.resolve("tls-cert.pem");
    }

    /** The ldaps:// port of a slapd started with TLS. */
    public int ldapsPort() {
        if (ldapsPort == 0) {
            throw new IllegalStateException("this slapd was started without TLS");
        }
        return ldapsPort;
    }

    private static void requireSlapd() {
        if (!Files.isExecutable(Path.of(SLAPD))) {
            throw new IllegalStateException(SLAPD + " is missing: install OpenLDAP's server (Debian: apt-get install "
                    + "slapd; .ci/run does) to run the OpenLDAP tests");
        }
    }

    /** An empty directory for egov-pki's database, made by {@link #startFresh}. */
    public static Path databaseDirectory(Path work) {
        return work.resolve("egov-pki-db");
    }

    /**
     * Applies {@code ldif} as {@code ldapmodify -Y EXTERNAL -H ldapi://...} does on the slapd host (Debian's
     * {@code ldap-utils}), and fails with its output if it fails.
     */
    public void ldapmodify(Path work, Path ldif) throws IOException, InterruptedException {
        String url = "ldapi://" + java.net.URLEncoder.encode(ldapi.toString(), StandardCharsets.UTF_8) + "/";
        Path log = work.resolve("ldapmodify.log");
        Process p = new ProcessBuilder("ldapmodify", "-Q", "-Y", "EXTERNAL", "-H", url, "-f", ldif.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("ldapmodify -f " + ldif + " failed: " + Files.readString(log));
        }
    }

    /**
     * Everything under {@code base} with all user and operational attributes, as the database's root DN (this
     * process's user over ldapi with SASL EXTERNAL, which access rules do not restrict) reads it with Debian's
     * {@code ldapsearch}: the entries as LDIF.
     */
    public List<com.unboundid.ldap.sdk.Entry> searchAsRoot(Path work, String base) throws IOException,
            InterruptedException {
        String url = "ldapi://" + java.net.URLEncoder.encode(ldapi.toString(), StandardCharsets.UTF_8) + "/";
        Path out = Files.createTempFile(work, "ldapsearch", ".ldif");
        Process p = new ProcessBuilder("ldapsearch", "-Q", "-LLL", "-o", "ldif-wrap=no", "-Y", "EXTERNAL", "-H", url,
                "-b", base, "(objectClass=*)", "*", "+").redirectErrorStream(true).redirectOutput(out.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0 && p.exitValue() != 32) {
            throw new IllegalStateException("ldapsearch -b " + base + " failed: " + Files.readString(out));
        }
        List<com.unboundid.ldap.sdk.Entry> entries = new ArrayList<>();
        if (p.exitValue() == 32) {
            return entries;
        }
        try (com.unboundid.ldif.LDIFReader reader = new com.unboundid.ldif.LDIFReader(out.toFile())) {
            for (com.unboundid.ldap.sdk.Entry e = reader.readEntry(); e != null; e = reader.readEntry()) {
                entries.add(e);
            }
        } catch (com.unboundid.ldif.LDIFException e) {
            throw new IllegalStateException("ldapsearch wrote no LDIF: " + Files.readString(out), e);
        }
        return entries;
    }

    /**
     * @param access the database's access settings as LDIF lines, as docs/directory.md's "OpenLDAP rules" block
     *               gives them ({@link #documentedBlock}): {@code olcAddContentAcl} and the {@code olcAccess}
     *               rules with their continuation lines
     */
    public static Slapd start(Path work, String access) throws IOException, InterruptedException {
        requireSlapd();
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
        ldif.append(access.endsWith("\n") ? access : access + "\n");
        return launch(work, config, ldif.toString(), false);
    }

    private static Slapd launch(Path work, Path config, String ldif, boolean tls)
            throws IOException, InterruptedException {
        Path configLdif = work.resolve("config.ldif");
        Files.writeString(configLdif, ldif, StandardCharsets.UTF_8);
        run(List.of(SLAPADD, "-n0", "-F", config.toString(), "-l", configLdif.toString()), work);
        return listen(work, config, tls);
    }

    /**
     * Starts slapd again on the configuration and data a {@link #close closed} one left in {@code work} (a new
     * free port; {@code tls} as it was started), as after a reboot.
     */
    public static Slapd restart(Path work, boolean tls) throws IOException, InterruptedException {
        return listen(work, work.resolve("slapd.d"), tls);
    }

    private static Slapd listen(Path work, Path config, boolean tls) throws IOException, InterruptedException {
        int port;
        int ldapsPort = 0;
        try (ServerSocket socket = new ServerSocket(0); ServerSocket second = new ServerSocket(0)) {
            port = socket.getLocalPort();
            if (tls) {
                ldapsPort = second.getLocalPort();
            }
        }
        Path ldapi = work.resolve("ldapi");
        String ldapiUrl = "ldapi://" + java.net.URLEncoder.encode(ldapi.toString(), StandardCharsets.UTF_8) + "/";
        String listeners = "ldap://127.0.0.1:" + port + "/ " + ldapiUrl
                + (tls ? " ldaps://127.0.0.1:" + ldapsPort + "/" : "");
        Process process = new ProcessBuilder(SLAPD, "-F", config.toString(), "-h", listeners, "-d", "0")
                .redirectErrorStream(true).redirectOutput(work.resolve("slapd.log").toFile()).start();
        Slapd slapd = new Slapd(process, port, ldapsPort, ldapi);
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
     * The "OpenLDAP rules" block of {@code markdown} (docs/directory.md) as an administrator copies it into the
     * database's entry: {@code olcAddContentAcl} and the {@code olcAccess} values with their continuation lines.
     */
    public static String documentedBlock(String markdown) {
        Matcher block = Pattern.compile("### OpenLDAP rules.*?```\\n(.*?)```", Pattern.DOTALL).matcher(markdown);
        if (!block.find()) {
            throw new IllegalStateException("docs/directory.md has no fenced block under '### OpenLDAP rules'");
        }
        return block.group(1);
    }

    /**
     * The olcAccess values of the "OpenLDAP rules" block in {@code markdown} (docs/directory.md),
     * each with its indented continuation lines, as an administrator copies them.
     */
    public static List<String> documentedRules(String markdown) {
        List<String> rules = new ArrayList<>();
        for (String line : documentedBlock(markdown).split("\n")) {
            if (line.startsWith("olcAccess: ")) {
                rules.add(line.substring("olcAccess: ".length()));
            } else if (line.startsWith(" ") && !rules.isEmpty()) {
                rules.set(rules.size() - 1, rules.get(rules.size() - 1) + "\n" + line.strip());
            }
        }
        return rules;
    }

    public int port() {
        return port;
    }

    /** The slapd process's id (the benchmarks read its CPU time from {@code /proc}). */
    public long pid() {
        return process.pid();
    }

    public LDAPConnection anonymous() throws LDAPException {
        return new LDAPConnection("127.0.0.1", port);
    }

    public LDAPConnection bind(String dn, String password) throws LDAPException {
        return new LDAPConnection("127.0.0.1", port, dn, password);
    }

    public LDAPConnection root() throws LDAPException {
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
