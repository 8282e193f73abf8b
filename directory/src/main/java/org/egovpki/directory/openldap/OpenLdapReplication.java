package org.egovpki.directory.openldap;

import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.RDN;
import java.net.URI;
import java.security.SecureRandom;
import java.util.List;
import java.util.Objects;
import org.egovpki.directory.DirectoryNames;
import org.egovpki.directory.PasswordHashes;

/**
 * OpenLDAP read replicas of the egov-pki tree (docs/directory.md, "Read replicas"): the LDIF that makes a
 * prepared slapd a syncrepl provider ({@link #providerLdif}) and the LDIF that makes another slapd a consumer
 * holding only the public part ({@link Replica#ldif}).
 *
 * <p>Privacy by construction: the consumer replicates with the rights of the replicator account, which
 * reads exactly what anonymous clients read on the provider (the provider's own rules grant {@code by * read}
 * and nothing more to it) plus the operational attributes syncrepl carries. Registration data, requests,
 * operators, {@code ou=km}, certificate records and sync messages are invisible to it, so they are never sent
 * to a replica. An entry that stops being public (a subscriber who opts out loses
 * {@code egovPublishedSubscriber}) no longer matches the consumer's search as the replicator may evaluate it, so
 * syncprov sends a delete; the delete carries only the name, which the replicator must be allowed to see
 * ({@link #subscriberNamesRule}).
 */
public final class OpenLdapReplication {

    /** The replicator's {@code uid} under {@code ou=services}. */
    public static final String REPLICATOR_UID = "egov-pki-replicator";
    /**
     * What a consumer asks for: every entry that is not a subscriber, and subscribers only while published.
     * The access rules hide every private entry already (syncprov evaluates the filter with the replicator's
     * rights); the filter keeps unpublished subscribers off replicas by their class as well, should the rules
     * ever be widened.
     */
    public static final String PUBLIC_FILTER = "(|(objectClass=egovPublishedSubscriber)(!(objectClass=egovSubscriber)))";
    /**
     * The operational attributes the replicator reads on entries it can see: {@code entryUUID} and
     * {@code entryCSN} are syncrepl's identity and ordering; the others are what slapd itself keeps on every
     * entry, so the replica's copy equals the provider's.
     */
    public static final List<String> SYNC_ATTRIBUTES = List.of("entryUUID", "entryCSN", "structuralObjectClass",
            "createTimestamp", "modifyTimestamp", "creatorsName", "modifiersName");

    private final DirectoryNames names;

    public OpenLdapReplication(DirectoryNames names) {
        this.names = Objects.requireNonNull(names, "names");
    }

    /** {@code uid=egov-pki-replicator,ou=services,<base>}. */
    public DN replicator() {
        return new DN(new RDN("uid", REPLICATOR_UID), names.services());
    }

    /**
     * The records that make a slapd prepared by {@code prepare-openldap} ({@code preparation}) a provider, as
     * {@code ldapmodify -Y EXTERNAL -H ldapi:///} applies them: the {@code syncprov} module, the indices on
     * {@code entryCSN} and {@code entryUUID}, unlimited searches and the sync attributes for the replicator
     * (a rule inserted as {0} that ends in {@code break}, so every other rule decides as before), the
     * {@code syncprov} overlay (checkpoint, session log) and the replicator account with its
     * {@code {SSHA256}} password.
     */
    public String providerLdif(OpenLdapPreparation preparation, char[] replicatorPassword, SecureRandom random) {
        Objects.requireNonNull(preparation, "preparation");
        if (!preparation.names().base().equals(names.base())) {
            throw new IllegalArgumentException("the preparation is for " + preparation.names().base() + ", not "
                    + names.base());
        }
        checkPassword(replicatorPassword);
        String database = preparation.databaseDn();
        StringBuilder out = new StringBuilder();
        out.append("# egov-pki: makes the prepared egov-pki database ").append(database)
                .append(" a syncrepl provider for read replicas.\n")
                .append("# Apply once, as root on the provider:  ldapmodify -Y EXTERNAL -H ldapi:/// -f THIS_FILE\n")
                .append("# It holds the replicator's password hash: keep it private, delete it afterwards. "
                        + "docs/directory.md, \"Read replicas\".\n\n");
        out.append("dn: cn=module,cn=config\nchangetype: add\nobjectClass: olcModuleList\ncn: module\n")
                .append("olcModulePath: ").append(OpenLdapPreparation.MODULE_PATH).append("\nolcModuleLoad: syncprov\n\n");
        out.append("# syncrepl finds entries by entryUUID and changes by entryCSN; the replicator reads the whole\n"
                        + "# public tree at once, and the sync attributes of what it may see (rule {0} ends in break)\n")
                .append("dn: ").append(database).append("\nchangetype: modify\n")
                .append("add: olcDbIndex\nolcDbIndex: entryCSN eq\nolcDbIndex: entryUUID eq\n-\n")
                .append("add: olcLimits\nolcLimits: dn.exact=\"").append(replicator())
                .append("\" size=unlimited size.pr=unlimited size.prtotal=unlimited time=unlimited\n-\n")
                .append("add: olcAccess\nolcAccess: ").append(syncAttributesRule())
                .append("\nolcAccess: ").append(subscriberNamesRule()).append("\n-\n\n");
        out.append("dn: olcOverlay=syncprov,").append(database).append("\nchangetype: add\n")
                .append("objectClass: olcOverlayConfig\nobjectClass: olcSyncProvConfig\nolcOverlay: syncprov\n")
                .append("olcSpCheckpoint: 100 10\nolcSpSessionlog: 10000\n\n");
        out.append("# the account replicas bind as: reads what anonymous reads, plus the sync attributes\n")
                .append("dn: ").append(replicator()).append("\nchangetype: add\nobjectClass: top\n")
                .append("objectClass: egovServiceAccount\nuid: ").append(REPLICATOR_UID)
                .append("\ndescription: The egov-pki read replicas' bind account (syncrepl); reads only the public "
                        + "tree\nuserPassword: ").append(PasswordHashes.ssha256(replicatorPassword, random))
                .append("\npwdPolicySubentry: ").append(preparation.serviceAccountPolicy()).append("\n\n");
        return out.toString();
    }

    /** The provider's rule {0}: the replicator reads the sync attributes; everyone else goes on to rule {1}. */
    public String syncAttributesRule() {
        return "{0}to attrs=" + String.join(",", SYNC_ATTRIBUTES) + "\n  by dn.exact=\"" + replicator()
                + "\" read\n  by * break";
    }

    /**
     * The provider's rule {1}: the replicator may see the names of all subscriber entries (nothing in them).
     * syncprov sends the delete for an entry that leaves {@link #PUBLIC_FILTER} as a bare name, and slapd drops
     * it unless the reader may read that name's {@code entry}: without this rule an opted-out subscriber would
     * stay on every replica (measured on slapd 2.5.13). Unpublished subscribers are still never sent: their
     * other attributes stay hidden from the replicator, and {@link #PUBLIC_FILTER} excludes them.
     */
    public String subscriberNamesRule() {
        return "{1}to dn.one=\"" + names.container(org.egovpki.schema.DirectoryLayout.Container.SUBSCRIBERS)
                + "\" attrs=entry\n  by dn.exact=\"" + replicator() + "\" read\n  by * break";
    }

    static void checkPassword(char[] password) {
        if (password == null || password.length < 16) {
            throw new IllegalArgumentException("the replicator's password must have at least 16 characters (a "
                    + "generated secret; e.g. openssl rand -base64 32)");
        }
        for (char c : password) {
            if (c == '"' || c == '\\' || Character.isWhitespace(c) || Character.isISOControl(c)) {
                throw new IllegalArgumentException("the replicator's password must not contain quotes, backslashes, "
                        + "spaces or control characters (olcSyncrepl carries it quoted); e.g. openssl rand -base64 32");
            }
        }
    }

    /**
     * A consumer: a slapd with an mdb database for the base DN that replicates the provider's public part with
     * syncrepl ({@code refreshAndPersist}) and refers writes to the provider ({@code olcUpdateRef}). Its access
     * rules are the provider's own ({@link OpenLdapAccessRules}), so an anonymous reader of the replica sees no
     * more than on the provider even of the sync attributes; nobody can bind there as a service account
     * (those entries are never replicated) and only syncrepl, as the database's root DN, writes.
     *
     * @param names          the base DN
     * @param databaseNumber the {@code {n}} of the new database on the replica's slapd (2 on a fresh Debian slapd)
     * @param dbDirectory    the mdb directory, existing and owned by the slapd user
     * @param maxSizeBytes   {@code olcDbMaxSize}
     * @param rootDn         {@code olcRootDN}: the identity syncrepl writes as (default the host's root over ldapi)
     * @param providerUrl    the provider, {@code ldap://} (loopback or with StartTLS) or {@code ldaps://}
     * @param startTls       StartTLS on an {@code ldap://} provider URL (required, not opportunistic)
     * @param tlsCaFile      the PEM CA certificate(s) the provider's TLS certificate is checked against;
     *                       null for the system's
     */
    public record Replica(DirectoryNames names, int databaseNumber, String dbDirectory, long maxSizeBytes,
                          String rootDn, String providerUrl, boolean startTls, String tlsCaFile) {

        public Replica {
            Objects.requireNonNull(names, "names");
            // the same checks as a provider's database
            new OpenLdapPreparation(names, databaseNumber, dbDirectory, maxSizeBytes, rootDn,
                    new org.egovpki.directory.LockoutPolicy(3, java.time.Duration.ofMinutes(1),
                            java.time.Duration.ofMinutes(1)));
            URI uri;
            try {
                uri = new URI(Objects.requireNonNull(providerUrl, "providerUrl"));
            } catch (java.net.URISyntaxException e) {
                throw new IllegalArgumentException("the provider URL is not a URL: " + providerUrl);
            }
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
            if (!scheme.equals("ldap") && !scheme.equals("ldaps") || uri.getHost() == null) {
                throw new IllegalArgumentException("the provider URL must be ldap://host:port or ldaps://host:port, not "
                        + providerUrl);
            }
            if (scheme.equals("ldaps") && startTls) {
                throw new IllegalArgumentException("StartTLS is for ldap:// URLs; " + providerUrl + " is already TLS");
            }
            if (scheme.equals("ldap") && !startTls && !isLoopback(uri.getHost())) {
                throw new IllegalArgumentException("the replicator's password and the public tree must not cross the "
                        + "network in clear: use ldaps:// or StartTLS for " + providerUrl);
            }
            if (tlsCaFile != null && !tlsCaFile.startsWith("/")) {
                throw new IllegalArgumentException("the TLS CA file must be an absolute path, not " + tlsCaFile);
            }
        }

        private static boolean isLoopback(String host) {
            return host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]") || host.equals("::1");
        }

        private boolean tls() {
            return startTls || providerUrl.toLowerCase(java.util.Locale.ROOT).startsWith("ldaps:");
        }

        public String databaseDn() {
            return "olcDatabase={" + databaseNumber + "}mdb,cn=config";
        }

        /** The {@code olcSyncrepl} value, with the replicator's password in clear (cn=config is root's only). */
        public String syncrepl(char[] replicatorPassword) {
            checkPassword(replicatorPassword);
            StringBuilder value = new StringBuilder("rid=001 provider=").append(providerUrl)
                    .append(" bindmethod=simple binddn=\"").append(new OpenLdapReplication(names).replicator())
                    .append("\" credentials=\"").append(replicatorPassword).append('"')
                    .append(" searchbase=\"").append(names.base()).append("\" scope=sub")
                    .append(" filter=\"").append(PUBLIC_FILTER).append("\" attrs=\"*,+\"")
                    .append(" type=refreshAndPersist retry=\"5 10 30 +\" timeout=10 network-timeout=10");
            if (startTls) {
                value.append(" starttls=critical");
            }
            if (tls()) {
                value.append(" tls_reqcert=demand");
                if (tlsCaFile != null) {
                    value.append(" tls_cacert=\"").append(tlsCaFile).append('"');
                }
            }
            return value.toString();
        }

        /** The LDIF for {@code ldapmodify -Y EXTERNAL -H ldapi:///} on the replica's host. */
        public String ldif(char[] replicatorPassword) {
            StringBuilder out = new StringBuilder();
            out.append("# egov-pki: makes this slapd a read replica of ").append(providerUrl).append(" for ")
                    .append(names.base()).append(".\n# Apply once, as root on the replica:  ldapmodify -Y EXTERNAL "
                            + "-H ldapi:/// -f THIS_FILE\n# It holds the replicator's password: keep it private, "
                            + "delete it afterwards. docs/directory.md, \"Read replicas\".\n\n");
            out.append("# the egov-pki schema (egov-pki-openldap.ldif)\n").append(OpenLdapPreparation.schema()).append('\n');
            out.append("# the replica's database: syncrepl from the provider, writes referred to it\n")
                    .append("dn: ").append(databaseDn()).append("\nchangetype: add\nobjectClass: olcDatabaseConfig\n")
                    .append("objectClass: olcMdbConfig\nolcDatabase: {").append(databaseNumber).append("}mdb\n")
                    .append("olcDbDirectory: ").append(dbDirectory).append('\n')
                    .append("olcSuffix: ").append(names.base()).append('\n')
                    .append("olcRootDN: ").append(rootDn).append('\n')
                    .append("olcDbMaxSize: ").append(maxSizeBytes).append('\n');
            out.append(OpenLdapPreparation.indexLines());
            out.append("olcDbIndex: entryCSN eq\nolcDbIndex: entryUUID eq\n");
            out.append("olcSyncrepl: ").append(syncrepl(replicatorPassword)).append('\n');
            out.append("olcUpdateRef: ").append(providerUrl).append('\n');
            out.append(new OpenLdapAccessRules(names).ldif()).append('\n');
            return out.toString();
        }
    }
}
