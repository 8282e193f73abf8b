package org.egovpki.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.egovpki.directory.DirectoryNames;
import org.egovpki.directory.LockoutPolicy;
import org.egovpki.directory.openldap.OpenLdapPreparation;
import org.egovpki.directory.openldap.Slapd;

/**
 * A real OpenLDAP slapd on loopback for the benchmarks, prepared as an administrator prepares one
 * (docs/directory.md "Running on OpenLDAP": a fresh Debian-like slapd, then the LDIF of
 * {@code directory prepare-openldap} applied over ldapi), and then stopped for {@code slapadd -q} to
 * load the bulk records offline (LDAP adds would take minutes per 100k), and started again.
 * egov-pki then runs on it with {@code ldap.external} ({@link #external(String)}).
 */
final class BenchSlapd implements AutoCloseable {

    static final String BASE = "o=egov-pki,c=CN";
    /** 256 MiB: room for the CRL of several million certificates in one LDAP modify. */
    static final int MAX_INCOMING = 256 << 20;

    private final Path work;
    private final Path caPasswordFile;
    private final Path kmPasswordFile;
    private final String caPassword;
    private Slapd slapd;

    private BenchSlapd(Path work, Path caPasswordFile, Path kmPasswordFile, String caPassword, Slapd slapd) {
        this.work = work;
        this.caPasswordFile = caPasswordFile;
        this.kmPasswordFile = kmPasswordFile;
        this.caPassword = caPassword;
        this.slapd = slapd;
    }

    /**
     * A prepared slapd holding the entries of {@code ldif} (records under {@code ou=certificates};
     * null: none). Prints how long the bulk load took.
     */
    static BenchSlapd start(Path work, LockoutPolicy lockout, Path ldif) throws Exception {
        Files.createDirectories(work);
        Slapd slapd = Slapd.startFresh(work);
        SecureRandom random = new SecureRandom();
        byte[] secret = new byte[24];
        random.nextBytes(secret);
        String ca = HexFormat.of().formatHex(secret);
        random.nextBytes(secret);
        String km = HexFormat.of().formatHex(secret);
        Path caFile = Files.writeString(work.resolve("ca-service.password"), ca + "\n");
        Path kmFile = Files.writeString(work.resolve("km-service.password"), km + "\n");
        OpenLdapPreparation preparation = new OpenLdapPreparation(new DirectoryNames(BASE), 2,
                Slapd.databaseDirectory(work).toString(), 16L << 30, Slapd.peercredDn(), lockout);
        Path prepare = Files.writeString(work.resolve("prepare.ldif"),
                preparation.ldif(ca.toCharArray(), km.toCharArray(), random), StandardCharsets.UTF_8);
        slapd.ldapmodify(work, prepare);
        // slapd drops a bound client's request above olcSockbufMaxIncomingAuth (16 MiB by default):
        // a full CRL of more than about 340,000 entries (49 bytes each) could not be published.
        // prepare-openldap does not raise it; an administrator with such a CA has to (as here).
        Path sockbuf = Files.writeString(work.resolve("sockbuf.ldif"), "dn: cn=config\nchangetype: modify\n"
                + "replace: olcSockbufMaxIncomingAuth\nolcSockbufMaxIncomingAuth: " + MAX_INCOMING + "\n");
        slapd.ldapmodify(work, sockbuf);
        if (ldif != null) {
            slapd.close();
            long t0 = System.nanoTime();
            Path log = work.resolve("slapadd-records.log");
            Process p = new ProcessBuilder(List.of("/usr/sbin/slapadd", "-q", "-b", BASE, "-F",
                    work.resolve("slapd.d").toString(), "-l", ldif.toString())).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            if (!p.waitFor(60, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IllegalStateException("slapadd of " + ldif + " failed: " + Files.readString(log));
            }
            System.out.printf("slapadd -q of %s (%d MB): %.1f s%n", ldif.getFileName(), Files.size(ldif) >> 20,
                    (System.nanoTime() - t0) / 1e9);
            slapd = Slapd.restart(work, false);
        }
        return new BenchSlapd(work, caFile, kmFile, ca, slapd);
    }

    int port() {
        return slapd.port();
    }

    /** The CPU time slapd has used so far (user and system, from {@code /proc/<pid>/stat}), in seconds. */
    double cpuSeconds() throws IOException {
        ProcessCpu.Times times = ProcessCpu.of(slapd.pid());
        return times.user() + times.system();
    }

    String caServiceDn() {
        return "uid=egov-pki-ca,ou=services," + BASE;
    }

    String caPassword() {
        return caPassword;
    }

    /** The {@code ldap.external} block (top-level {@code ldap:} included) that points a server at this slapd. */
    String externalBlock() {
        return "ldap:\n  external:\n    urls: [ldap://127.0.0.1:" + slapd.port() + "]\n"
                + "    caPasswordFile: " + caPasswordFile + "\n    kmPasswordFile: " + kmPasswordFile + "\n";
    }

    /** The shipped configuration {@code yaml} with {@code ldap.external} on this slapd. */
    String external(String yaml) {
        String anchor = "    failureWindowSeconds: 900\n";
        if (!yaml.contains(anchor)) {
            throw new IllegalStateException("conf/egov-pki.yaml changed; cannot add ldap.external after " + anchor);
        }
        return yaml.replace(anchor, anchor + "  external:\n    urls: [ldap://127.0.0.1:" + slapd.port() + "]\n"
                + "    caPasswordFile: " + caPasswordFile + "\n    kmPasswordFile: " + kmPasswordFile + "\n");
    }

    Path work() {
        return work;
    }

    @Override
    public void close() {
        slapd.close();
    }
}
