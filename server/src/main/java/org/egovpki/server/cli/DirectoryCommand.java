package org.egovpki.server.cli;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.concurrent.Callable;
import org.egovpki.directory.DirectoryNames;
import org.egovpki.directory.openldap.OpenLdapPreparation;
import org.egovpki.directory.openldap.OpenLdapReplication;
import org.egovpki.server.PasswordFiles;
import org.egovpki.server.StartupException;
import org.egovpki.server.config.ConfigLoader;
import org.egovpki.server.config.EgovPkiConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code egov-pki directory ...}: what an administrator runs against an external directory. */
@Command(name = "directory", mixinStandardHelpOptions = true,
        description = "External directory tools (docs/directory.md, \"Running on OpenLDAP\").",
        subcommands = {DirectoryCommand.PrepareOpenLdap.class, DirectoryCommand.PrepareOpenLdapProvider.class,
                DirectoryCommand.PrepareOpenLdapReplica.class})
final class DirectoryCommand implements Runnable {

    @Override
    public void run() {
        System.out.println("usage: egov-pki directory prepare-openldap --config FILE [--out FILE] [options]\n"
                + "       egov-pki directory prepare-openldap-provider --config FILE --replicator-password-file FILE "
                + "[--out FILE]\n"
                + "       egov-pki directory prepare-openldap-replica --config FILE --provider-url URL "
                + "--replicator-password-file FILE [--out FILE] [options]");
    }

    /**
     * Writes the cn=config LDIF that prepares a slapd for egov-pki ({@link OpenLdapPreparation}) from the
     * configuration: the base DN, the lockout and the service account password files of
     * {@code ldap.external}. It only writes; the administrator applies it with {@code ldapmodify} as root
     * on the slapd host, so egov-pki never needs the directory's administrator.
     */
    @Command(name = "prepare-openldap", mixinStandardHelpOptions = true,
            description = {"Write the LDIF that prepares an OpenLDAP slapd for egov-pki: modules pw-sha2 and ppolicy,"
                    + " the schema, the database (suffix ldap.baseDn, size, indices, access rules), the password "
                    + "policy, the tree and the two service accounts with their passwords as {SSHA256} hashes.",
                    "Apply it as root on the slapd host:  ldapmodify -Y EXTERNAL -H ldapi:/// -f FILE"})
    static final class PrepareOpenLdap implements Callable<Integer> {

        @Option(names = "--config", paramLabel = "FILE",
                description = "YAML configuration (ldap.baseDn, ldap.lockout, ldap.external.*PasswordFile)")
        Path config;

        @Option(names = "--out", paramLabel = "FILE",
                description = "write the LDIF to FILE (created mode 0600: it holds password hashes); default: stdout")
        Path out;

        @Option(names = "--database-number", paramLabel = "N", defaultValue = "2",
                description = "the {N} of the new database: one more than the highest olcDatabase={n} the slapd has "
                        + "(ldapsearch -Y EXTERNAL -H ldapi:/// -b cn=config -LLL '(olcDatabase=*)' dn); "
                        + "default ${DEFAULT-VALUE}, right for a fresh Debian slapd")
        int databaseNumber;

        @Option(names = "--db-directory", paramLabel = "DIR", defaultValue = OpenLdapPreparation.DEFAULT_DB_DIRECTORY,
                description = "the mdb directory; create it first, owned by the slapd user (default ${DEFAULT-VALUE})")
        String dbDirectory;

        @Option(names = "--max-size-gib", paramLabel = "N", defaultValue = "10",
                description = "olcDbMaxSize in GiB (default ${DEFAULT-VALUE})")
        int maxSizeGib;

        @Option(names = "--root-dn", paramLabel = "DN", defaultValue = OpenLdapPreparation.HOST_ROOT,
                description = "olcRootDN of the database (default: the host's root over ldapi, ${DEFAULT-VALUE}; "
                        + "the database then has no root password)")
        String rootDn;

        @Option(names = "--ca-password-file", paramLabel = "FILE",
                description = "the CA service account's password (default: ldap.external.caPasswordFile)")
        Path caPasswordFile;

        @Option(names = "--km-password-file", paramLabel = "FILE",
                description = "the KM service account's password (default: ldap.external.kmPasswordFile)")
        Path kmPasswordFile;

        @Override
        public Integer call() throws IOException {
            EgovPkiConfig loaded = ConfigLoader.load(config, java.util.Map.of());
            EgovPkiConfig.ExternalDirectory external = loaded.ldap().external();
            Path caFile = caPasswordFile != null ? caPasswordFile : external == null ? null : external.caPasswordFile();
            Path kmFile = kmPasswordFile != null ? kmPasswordFile : external == null ? null : external.kmPasswordFile();
            if (caFile == null || kmFile == null) {
                throw new StartupException("name the service accounts' password files: set ldap.external in --config "
                        + "(caPasswordFile, kmPasswordFile) or give --ca-password-file and --km-password-file");
            }
            if (maxSizeGib < 1 || maxSizeGib > 1 << 20) {
                throw new StartupException("--max-size-gib must be from 1 to 1048576, not " + maxSizeGib);
            }
            OpenLdapPreparation preparation;
            try {
                preparation = new OpenLdapPreparation(new DirectoryNames(loaded.ldap().baseDn()), databaseNumber,
                        dbDirectory, (long) maxSizeGib << 30, rootDn, loaded.ldap().lockout());
            } catch (IllegalArgumentException e) {
                throw new StartupException(e.getMessage());
            }
            char[] ca = PasswordFiles.read(caFile, "--ca-password-file");
            char[] km = PasswordFiles.read(kmFile, "--km-password-file");
            String ldif;
            try {
                ldif = preparation.ldif(ca, km, new SecureRandom());
            } catch (IllegalArgumentException e) {
                throw new StartupException(e.getMessage());
            } finally {
                Arrays.fill(ca, '\0');
                Arrays.fill(km, '\0');
            }
            write(ldif, out, "the slapd host");
            return 0;
        }
    }

    /** Writes {@code ldif} to stdout, or to {@code out} created mode 0600 (it holds secrets or their hashes). */
    static void write(String ldif, Path out, String where) throws IOException {
        if (out == null) {
            PrintWriter stdout = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8));
            stdout.print(ldif);
            stdout.flush();
        } else {
            Files.deleteIfExists(out);
            Files.createFile(out, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(out, ldif, StandardCharsets.UTF_8);
            System.err.println("wrote " + out + "; apply it as root on " + where + ": ldapmodify -Y EXTERNAL -H "
                    + "ldapi:/// -f " + out);
        }
    }

    /**
     * Writes the LDIF that makes a slapd prepared by {@code prepare-openldap} a syncrepl provider for read
     * replicas ({@link OpenLdapReplication#providerLdif}): the syncprov module and overlay, the sync indices, and
     * the replicator account, which reads only what anonymous clients read.
     */
    @Command(name = "prepare-openldap-provider", mixinStandardHelpOptions = true,
            description = {"Write the LDIF that makes the slapd prepared by prepare-openldap a syncrepl provider for "
                    + "read replicas: module and overlay syncprov, indices on entryCSN and entryUUID, and the "
                    + "replicator account (uid=egov-pki-replicator,ou=services), which reads only the public tree.",
                    "Apply it as root on the provider:  ldapmodify -Y EXTERNAL -H ldapi:/// -f FILE"})
    static final class PrepareOpenLdapProvider implements Callable<Integer> {

        @Option(names = "--config", paramLabel = "FILE", description = "YAML configuration (ldap.baseDn)")
        Path config;

        @Option(names = "--out", paramLabel = "FILE",
                description = "write the LDIF to FILE (created mode 0600: it holds a password hash); default: stdout")
        Path out;

        @Option(names = "--database-number", paramLabel = "N", defaultValue = "2",
                description = "the {N} prepare-openldap gave the egov-pki database (default ${DEFAULT-VALUE})")
        int databaseNumber;

        @Option(names = "--replicator-password-file", paramLabel = "FILE", required = true,
                description = "the replicator account's password (at least 16 characters; no quotes, backslashes "
                        + "or spaces)")
        Path replicatorPasswordFile;

        @Override
        public Integer call() throws IOException {
            EgovPkiConfig loaded = ConfigLoader.load(config, java.util.Map.of());
            String ldif;
            char[] password = PasswordFiles.read(replicatorPasswordFile, "--replicator-password-file");
            try {
                DirectoryNames names = new DirectoryNames(loaded.ldap().baseDn());
                OpenLdapPreparation preparation = new OpenLdapPreparation(names, databaseNumber,
                        OpenLdapPreparation.DEFAULT_DB_DIRECTORY, OpenLdapPreparation.DEFAULT_MAX_SIZE,
                        OpenLdapPreparation.HOST_ROOT, loaded.ldap().lockout());
                ldif = new OpenLdapReplication(names).providerLdif(preparation, password, new SecureRandom());
            } catch (IllegalArgumentException e) {
                throw new StartupException(e.getMessage());
            } finally {
                Arrays.fill(password, '\0');
            }
            write(ldif, out, "the provider");
            return 0;
        }
    }

    /**
     * Writes the LDIF that makes another slapd a read replica ({@link OpenLdapReplication.Replica}): the schema
     * and a database that replicates the provider's public part with syncrepl and refers writes to it.
     */
    @Command(name = "prepare-openldap-replica", mixinStandardHelpOptions = true,
            description = {"Write the LDIF that makes a fresh slapd a read replica of the provider: the schema and a "
                    + "database for ldap.baseDn that holds only the public tree (syncrepl as the replicator, "
                    + "refreshAndPersist), with the provider's access rules; writes are referred to the provider.",
                    "Apply it as root on the replica:  ldapmodify -Y EXTERNAL -H ldapi:/// -f FILE"})
    static final class PrepareOpenLdapReplica implements Callable<Integer> {

        @Option(names = "--config", paramLabel = "FILE", description = "YAML configuration (ldap.baseDn)")
        Path config;

        @Option(names = "--out", paramLabel = "FILE",
                description = "write the LDIF to FILE (created mode 0600: it holds the replicator's password); "
                        + "default: stdout")
        Path out;

        @Option(names = "--provider-url", paramLabel = "URL", required = true,
                description = "the provider: ldaps://host:636, ldap://host:389 with --start-tls, or ldap:// on "
                        + "loopback")
        String providerUrl;

        @Option(names = "--start-tls", description = "StartTLS on an ldap:// provider URL (required, not optional)")
        boolean startTls;

        @Option(names = "--tls-ca-file", paramLabel = "FILE",
                description = "PEM CA certificate(s) to check the provider's TLS certificate (default: the system's)")
        String tlsCaFile;

        @Option(names = "--replicator-password-file", paramLabel = "FILE", required = true,
                description = "the replicator account's password, as given to prepare-openldap-provider")
        Path replicatorPasswordFile;

        @Option(names = "--database-number", paramLabel = "N", defaultValue = "2",
                description = "the {N} of the new database on the replica's slapd (default ${DEFAULT-VALUE}, right "
                        + "for a fresh Debian slapd)")
        int databaseNumber;

        @Option(names = "--db-directory", paramLabel = "DIR", defaultValue = OpenLdapPreparation.DEFAULT_DB_DIRECTORY,
                description = "the mdb directory; create it first, owned by the slapd user (default ${DEFAULT-VALUE})")
        String dbDirectory;

        @Option(names = "--max-size-gib", paramLabel = "N", defaultValue = "10",
                description = "olcDbMaxSize in GiB (default ${DEFAULT-VALUE})")
        int maxSizeGib;

        @Option(names = "--root-dn", paramLabel = "DN", defaultValue = OpenLdapPreparation.HOST_ROOT,
                description = "olcRootDN of the database, the identity syncrepl writes as (default ${DEFAULT-VALUE})")
        String rootDn;

        @Override
        public Integer call() throws IOException {
            EgovPkiConfig loaded = ConfigLoader.load(config, java.util.Map.of());
            if (maxSizeGib < 1 || maxSizeGib > 1 << 20) {
                throw new StartupException("--max-size-gib must be from 1 to 1048576, not " + maxSizeGib);
            }
            String ldif;
            char[] password = PasswordFiles.read(replicatorPasswordFile, "--replicator-password-file");
            try {
                ldif = new OpenLdapReplication.Replica(new DirectoryNames(loaded.ldap().baseDn()), databaseNumber,
                        dbDirectory, (long) maxSizeGib << 30, rootDn, providerUrl, startTls, tlsCaFile).ldif(password);
            } catch (IllegalArgumentException e) {
                throw new StartupException(e.getMessage());
            } finally {
                Arrays.fill(password, '\0');
            }
            write(ldif, out, "the replica");
            return 0;
        }
    }
}
