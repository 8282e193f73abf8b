package org.egovpki.directory.openldap;

import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldif.LDIFException;
import com.unboundid.ldif.LDIFReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.egovpki.directory.DirectoryNames;
import org.egovpki.directory.LockoutPolicy;
import org.egovpki.directory.PasswordHashes;
import org.egovpki.directory.embedded.EmbeddedDirectorySettings;
import org.egovpki.schema.DirectoryLayout;

/**
 * Everything an OpenLDAP 2.5+ {@code slapd} needs before egov-pki can run against it, as one LDIF of
 * {@code changetype: add} records that {@code ldapmodify -Y EXTERNAL -H ldapi:///} applies as the host's
 * root: the {@code pw-sha2} ({@code {SSHA256}}) and {@code ppolicy} modules, the egov-pki schema, an mdb
 * database for the base DN (size, indices on what egov-pki searches, unlimited search sizes for the two
 * service accounts, the access rules of {@link OpenLdapAccessRules}), the password policy overlay with the
 * operators' lockout and the service accounts' no-lockout policy, the tree of {@code dit.ldif}, and the
 * service accounts with their passwords as {@code {SSHA256}} hashes. The database's root DN is the
 * host root's SASL EXTERNAL identity over ldapi, so the database has no root password at all.
 *
 * @param names          the base DN and the service accounts' DNs
 * @param databaseNumber the {@code {n}} OpenLDAP gives the new database: one more than the highest
 *                       {@code olcDatabase={n}} present (2 on a fresh Debian slapd)
 * @param dbDirectory    the mdb directory, which must exist and belong to the slapd user
 * @param maxSizeBytes   {@code olcDbMaxSize}: the most the database file may grow to (mdb reserves it as
 *                       address space; disk is used as data grows)
 * @param rootDn         {@code olcRootDN}
 * @param lockout        the operators' lockout ({@code ldap.lockout})
 */
public record OpenLdapPreparation(DirectoryNames names, int databaseNumber, String dbDirectory, long maxSizeBytes,
                                  String rootDn, LockoutPolicy lockout) {

    /** The host's root user as OpenLDAP names it after a SASL EXTERNAL bind over ldapi. */
    public static final String HOST_ROOT = "gidNumber=0+uidNumber=0,cn=peercred,cn=external,cn=auth";
    public static final String DEFAULT_DB_DIRECTORY = "/var/lib/ldap/egov-pki";
    /** 10 GiB: room for millions of certificates; Debian's default (10 MiB) fills after a few thousand. */
    public static final long DEFAULT_MAX_SIZE = 10L << 30;
    public static final String MODULE_PATH = "/usr/lib/ldap";
    private static final String SCHEMA_RESOURCE = "/org/egovpki/schema/egov-pki-openldap.ldif";

    public OpenLdapPreparation {
        Objects.requireNonNull(names, "names");
        Objects.requireNonNull(lockout, "lockout");
        if (databaseNumber < 1) {
            throw new IllegalArgumentException("the database number must be 1 or more (0 is cn=config's own), not "
                    + databaseNumber);
        }
        if (dbDirectory == null || !dbDirectory.startsWith("/")) {
            throw new IllegalArgumentException("the database directory must be an absolute path, not " + dbDirectory);
        }
        if (maxSizeBytes < (64L << 20)) {
            throw new IllegalArgumentException("the database's maximum size must be at least 64 MiB, not "
                    + maxSizeBytes + " bytes");
        }
        try {
            new DN(Objects.requireNonNull(rootDn, "rootDn"));
        } catch (com.unboundid.ldap.sdk.LDAPException e) {
            throw new IllegalArgumentException("the root DN is not a DN: " + rootDn);
        }
    }

    /** The DN of the policy without lockout the service accounts name. */
    public String serviceAccountPolicy() {
        return "cn=serviceAccounts,ou=policies," + names.base();
    }

    /** The DN of the operators' lockout policy (the overlay's default). */
    public String lockoutPolicy() {
        return "cn=lockout,ou=policies," + names.base();
    }

    /**
     * {@code olcSockbufMaxIncomingAuth}: the largest request a bound client may send. A full CRL is
     * published as one value of one modify (with its delta), about 45 bytes an entry, so 256 MiB
     * carries a CRL of several million entries; slapd's default (16 MiB) stops at about 340,000.
     */
    static final long MAX_INCOMING_AUTH_BYTES = 256L << 20;

    /** The database entry's DN in cn=config. */
    public String databaseDn() {
        return "olcDatabase={" + databaseNumber + "}mdb,cn=config";
    }

    /** The LDIF; {@code random} salts the password hashes. */
    public String ldif(char[] caPassword, char[] kmPassword, SecureRandom random) {
        StringBuilder out = new StringBuilder();
        out.append("# egov-pki: prepares an OpenLDAP slapd (cn=config) for the base DN ").append(names.base())
                .append(".\n# Apply once, as root on the slapd host:  ldapmodify -Y EXTERNAL -H ldapi:/// -f THIS_FILE\n")
                .append("# It holds password hashes: keep it private, delete it afterwards. docs/directory.md, "
                        + "\"Running on OpenLDAP\".\n\n");
        out.append("# {SSHA256} passwords and the password policy overlay\n")
                .append("dn: cn=module,cn=config\nchangetype: add\nobjectClass: olcModuleList\ncn: module\n")
                .append("olcModulePath: ").append(MODULE_PATH).append("\nolcModuleLoad: pw-sha2\nolcModuleLoad: ppolicy\n\n");
        out.append("# requests of bound clients up to ").append(MAX_INCOMING_AUTH_BYTES >> 20)
                .append(" MiB: a CRL is one attribute value in one modify, and slapd's 16 MiB default\n"
                        + "# drops the connection of a CRL of about 340,000 entries or more\n")
                .append("dn: cn=config\nchangetype: modify\nreplace: olcSockbufMaxIncomingAuth\n")
                .append("olcSockbufMaxIncomingAuth: ").append(MAX_INCOMING_AUTH_BYTES).append("\n\n");
        out.append("# the egov-pki schema (egov-pki-openldap.ldif)\n").append(schema()).append('\n');
        out.append("# the database for the egov-pki tree\n")
                .append("dn: ").append(databaseDn()).append("\nchangetype: add\nobjectClass: olcDatabaseConfig\n")
                .append("objectClass: olcMdbConfig\nolcDatabase: {").append(databaseNumber).append("}mdb\n")
                .append("olcDbDirectory: ").append(dbDirectory).append('\n')
                .append("olcSuffix: ").append(names.base()).append('\n')
                .append("olcRootDN: ").append(rootDn).append('\n')
                .append("olcDbMaxSize: ").append(maxSizeBytes).append('\n');
        out.append(indexLines());
        // The CA pages through every revoked certificate for a CRL and reads whole queues; the
        // default limits (500 entries, 3600 s) would cut those reads short.
        for (DN account : List.of(names.caServiceAccount(), names.kmServiceAccount())) {
            out.append("olcLimits: dn.exact=\"").append(account)
                    .append("\" size=unlimited size.pr=unlimited size.prtotal=unlimited time=unlimited\n");
        }
        out.append(new OpenLdapAccessRules(names).ldif()).append('\n');
        out.append("# lockout after failed binds (ldap.lockout); the service accounts are never locked\n")
                .append("dn: olcOverlay=ppolicy,").append(databaseDn()).append("\nchangetype: add\n")
                .append("objectClass: olcOverlayConfig\nobjectClass: olcPPolicyConfig\nolcOverlay: ppolicy\n")
                .append("olcPPolicyDefault: ").append(lockoutPolicy()).append('\n')
                .append("olcPPolicyHashCleartext: FALSE\nolcPPolicyUseLockout: FALSE\n\n");
        out.append("# the egov-pki tree (dit.ldif)\n");
        for (Entry entry : tree()) {
            out.append(addRecord(entry));
        }
        out.append("dn: ou=policies,").append(names.base()).append("\nchangetype: add\nobjectClass: top\n")
                .append("objectClass: organizationalUnit\nou: policies\n")
                .append("description: Password policies (ppolicy overlay); not public\n\n");
        out.append("dn: ").append(lockoutPolicy()).append("\nchangetype: add\nobjectClass: device\n")
                .append("objectClass: pwdPolicy\ncn: lockout\npwdAttribute: userPassword\npwdLockout: TRUE\n")
                .append("pwdMaxFailure: ").append(lockout.maxFailures()).append('\n')
                .append("pwdLockoutDuration: ").append(lockout.duration().toSeconds()).append('\n')
                .append("pwdFailureCountInterval: ").append(lockout.failureWindow().toSeconds()).append("\n\n");
        out.append("dn: ").append(serviceAccountPolicy()).append("\nchangetype: add\nobjectClass: device\n")
                .append("objectClass: pwdPolicy\ncn: serviceAccounts\npwdAttribute: userPassword\npwdLockout: FALSE\n")
                .append("pwdFailureCountInterval: ").append(lockout.failureWindow().toSeconds()).append("\n\n");
        out.append("# the service accounts egov-pki binds as (passwords: ldap.external.caPasswordFile, kmPasswordFile)\n");
        out.append(serviceAccount(names.caServiceAccount(), "The egov-pki CA server's own bind account",
                caPassword, random));
        out.append(serviceAccount(names.kmServiceAccount(), "The egov-pki key management centre's own bind "
                + "account, the only one that may read or write ou=km", kmPassword, random));
        return out.toString();
    }

    private String serviceAccount(DN dn, String description, char[] password, SecureRandom random) {
        if (password == null || password.length < 16) {
            throw new IllegalArgumentException("the password of " + dn + " must have at least 16 characters (it is "
                    + "a service account's generated secret; e.g. openssl rand -base64 32)");
        }
        return "dn: " + dn + "\nchangetype: add\nobjectClass: top\nobjectClass: egovServiceAccount\nuid: "
                + dn.getRDN().getAttributeValues()[0] + "\ndescription: " + description + "\nuserPassword: "
                + PasswordHashes.ssha256(password, random) + "\npwdPolicySubentry: " + serviceAccountPolicy() + "\n\n";
    }

    private List<Entry> tree() {
        String ldif = new DirectoryLayout(names.base().toString()).renderDitLdif();
        try (LDIFReader reader = new LDIFReader(new ByteArrayInputStream(ldif.getBytes(StandardCharsets.UTF_8)))) {
            List<Entry> entries = new java.util.ArrayList<>();
            Entry entry;
            while ((entry = reader.readEntry()) != null) {
                entries.add(entry);
            }
            return entries;
        } catch (IOException | LDIFException e) {
            throw new IllegalStateException("the bundled DIT template does not parse: " + e.getMessage(), e);
        }
    }

    private static String addRecord(Entry entry) {
        String[] lines = entry.toLDIF(0);
        StringBuilder record = new StringBuilder(lines[0]).append("\nchangetype: add\n");
        for (int i = 1; i < lines.length; i++) {
            record.append(lines[i]).append('\n');
        }
        return record.append('\n').toString();
    }

    /** The schema entry as an add record (the file has no changetype, for ldapadd). */
    static String schema() {
        try (InputStream in = OpenLdapPreparation.class.getResourceAsStream(SCHEMA_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(SCHEMA_RESOURCE + " is missing from the class path");
            }
            StringBuilder out = new StringBuilder();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.startsWith("#")) {
                    continue;
                }
                out.append(line).append('\n');
                if (line.startsWith("dn: ")) {
                    out.append("changetype: add\n");
                }
            }
            return out.toString().strip() + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Attributes the code searches for by presence ({@code (attr=*)}) alone. ApacheDS answers a
     * presence filter from the index of any indexed attribute; slapd needs a {@code pres} index, and
     * without one scans every entry in scope: the sync capture's look for owed events on
     * {@code ou=certificates} cost 2.9 ms of slapd CPU with 3,000 records and grew with each.
     */
    public static final Set<String> PRESENCE_SEARCHED = Set.of("egovSyncOwed");

    /**
     * The {@code olcDbIndex} lines of the egov-pki database (provider and replicas): an equality
     * index for every indexed attribute ({@link EmbeddedDirectorySettings#INDEXED_ATTRIBUTES}; on
     * an integer or time attribute slapd uses it for ranges too), with a presence index for those
     * in {@link #PRESENCE_SEARCHED}.
     */
    public static String indexLines() {
        StringBuilder lines = new StringBuilder();
        for (String attribute : EmbeddedDirectorySettings.INDEXED_ATTRIBUTES) {
            lines.append("olcDbIndex: ").append(attribute)
                    .append(PRESENCE_SEARCHED.contains(attribute) ? " eq,pres\n" : " eq\n");
        }
        return lines.toString();
    }
}
