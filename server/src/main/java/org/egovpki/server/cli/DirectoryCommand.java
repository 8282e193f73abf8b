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
import org.egovpki.server.PasswordFiles;
import org.egovpki.server.StartupException;
import org.egovpki.server.config.ConfigLoader;
import org.egovpki.server.config.EgovPkiConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code egov-pki directory ...}: what an administrator runs against an external directory. */
@Command(name = "directory", mixinStandardHelpOptions = true,
        description = "External directory tools (docs/directory.md, \"Running on OpenLDAP\").",
        subcommands = {DirectoryCommand.PrepareOpenLdap.class})
final class DirectoryCommand implements Runnable {

    @Override
    public void run() {
        System.out.println("usage: egov-pki directory prepare-openldap --config FILE [--out FILE] [options]");
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
            if (out == null) {
                PrintWriter stdout = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8));
                stdout.print(ldif);
                stdout.flush();
            } else {
                Files.deleteIfExists(out);
                Files.createFile(out, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(out, ldif, StandardCharsets.UTF_8);
                System.err.println("wrote " + out + "; apply it as root on the slapd host: ldapmodify -Y EXTERNAL -H "
                        + "ldapi:/// -f " + out);
            }
            return 0;
        }
    }
}
