package org.egovpki.directory.embedded;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.egovpki.directory.LockoutPolicy;
import org.egovpki.schema.EgovSchema;
import org.egovpki.schema.SchemaElement;

/**
 * How to run the embedded directory.
 *
 * @param workDirectory      where ApacheDS keeps its schema and partitions (created if absent)
 * @param host               address the LDAP listener binds to
 * @param port               LDAP port; 0 binds a port the system chooses ({@link EmbeddedDirectory#port()})
 * @param baseDn             suffix of the egov-pki data partition
 * @param adminPassword      password set on {@code uid=admin,ou=system} at every start
 * @param indexedAttributes  attributes indexed in the data partition ({@link #INDEXED_ATTRIBUTES})
 * @param schemaDefinitions  RFC 4512 attribute type and object class definitions to install,
 *                           attribute types first; installed once, idempotently
 * @param lockout            the password policy's lockout for every account but the service accounts
 * @param clock              the directory's time: password policy failure and lock times,
 *                           operational timestamps
 * @param x500Contexts       the naming contexts of the X.500-named mirror ({@code directory.x500Names}),
 *                           each served by a partition of its own unless it lies under {@code baseDn}
 * @param durability         when JDBM copies its transaction log into the partitions' database files
 */
public record EmbeddedDirectorySettings(Path workDirectory, String host, int port, String baseDn,
                                        char[] adminPassword, List<String> indexedAttributes,
                                        List<SchemaDefinition> schemaDefinitions, LockoutPolicy lockout,
                                        Clock clock, List<String> x500Contexts, Durability durability) {

    /** One schema element to install: its OID, and its definition as RFC 4512 text. */
    public record SchemaDefinition(boolean objectClass, String oid, String definition) {
    }

    /**
     * When JDBM copies each partition's transaction log ({@code .lg}) into its database file
     * ({@code .db}). Either way every write is in the log, fsynced, before the client gets its
     * answer (docs/directory.md, "Crash behaviour and repair").
     *
     * @param syncOnWrite  copy after every write ({@code ldap.embedded.syncOnWrite}, the default)
     * @param syncPeriod   without sync on write: copy at least this often ({@code ldap.embedded.syncSeconds})
     * @param maxLogBytes  without sync on write: copy as soon as a partition's log is this long
     *                     ({@code ldap.embedded.syncLogMegabytes}); checked every second
     */
    public record Durability(boolean syncOnWrite, Duration syncPeriod, long maxLogBytes) {

        /** Sync on every write: the default. */
        public static final Durability SYNC_ON_WRITE = new Durability(true, Duration.ofSeconds(5), 64L << 20);

        public Durability {
            Objects.requireNonNull(syncPeriod, "syncPeriod");
            if (syncPeriod.isNegative() || syncPeriod.isZero()) {
                throw new IllegalArgumentException("the sync period must be positive, not " + syncPeriod);
            }
            if (maxLogBytes <= 0) {
                throw new IllegalArgumentException("the log bound must be positive, not " + maxLogBytes);
            }
        }
    }

    public EmbeddedDirectorySettings {
        Objects.requireNonNull(workDirectory, "workDirectory");
        Objects.requireNonNull(durability, "durability");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(baseDn, "baseDn");
        Objects.requireNonNull(lockout, "lockout");
        Objects.requireNonNull(clock, "clock");
        adminPassword = adminPassword.clone();
        indexedAttributes = List.copyOf(indexedAttributes);
        schemaDefinitions = List.copyOf(schemaDefinitions);
        x500Contexts = List.copyOf(x500Contexts);
    }

    /** These settings, with the X.500-named mirror's naming contexts. */
    public EmbeddedDirectorySettings withX500Contexts(List<String> contexts) {
        return new EmbeddedDirectorySettings(workDirectory, host, port, baseDn, adminPassword, indexedAttributes,
                schemaDefinitions, lockout, clock, contexts, durability);
    }

    /** These settings, with this durability of the JDBM partitions. */
    public EmbeddedDirectorySettings withDurability(Durability chosen) {
        return new EmbeddedDirectorySettings(workDirectory, host, port, baseDn, adminPassword, indexedAttributes,
                schemaDefinitions, lockout, clock, x500Contexts, chosen);
    }

    /**
     * The attributes indexed in the data partition (and, through {@code OpenLdapPreparation}, in
     * slapd): those that narrow some search the code sends. Rule: an attribute is indexed when it
     * is the term that selects the candidates of a search — the only term besides
     * {@code objectClass} and the scope, the most selective term of an AND, or a branch of an OR
     * (an OR is answered from indices only if every branch is indexed). An attribute that appears in
     * a filter only beside a narrower indexed term is evaluated on the candidates and needs no
     * index. Every index costs each write of an entry carrying the attribute a B-tree update (a
     * certificate record's add re-serialised ~77 pages with 14 indexed attributes), so nothing is
     * indexed that no search needs. {@code IndexedAttributesTest} keeps this list and the filters in
     * the code in step. ApacheDS deletes the files of an index dropped from this list at the next
     * start and builds a newly added one from the entries.
     */
    public static final List<String> INDEXED_ATTRIBUTES = List.of(
            // objectClass: in nearly every filter; ApacheDS needs it. cn: DirectoryHealth's probe
            // checks that an indexed search finds what was just written.
            "objectClass", "cn",
            // Certificate records. serial, subject, subscriber, status, business type: the REST and
            // web certificate searches (LdapCertificateStore.search), any one may be the only term;
            // request: findByRequest (recovery, completion); issuance state: findByIssuanceState
            // (INTENT recovery) and every search's RECORDED|PUBLISHED; status REVOKED, CRL shard and
            // revocation time: the CRL reads (forEachRevoked: revoked, partition, since the last
            // full CRL for a delta). egovSubjectDn also: subscriber DN claims (holdersOf).
            "egovSerialNumber", "egovSubjectDn", "egovSubscriberDn", "egovCertificateStatus", "egovBusinessType",
            "egovRequestDn", "egovIssuanceState", "egovCrlShard", "egovRevocationTime",
            // The subscriber-id migration's OR (SubscriberIdMigration.moveReferences): ApacheDS
            // answers an OR from its branches' indices, so a branch on an unindexed attribute finds
            // nothing (SubscriberIdMigrationIT). Every attribute under an OR is indexed.
            "egovSubscriberId", "egovRevokedBy",
            // The statistics' OR of ranges (LdapStatisticsSource): records by created, revoked or
            // expiring in a day; requests by decided or issued in a day. egovCreatedAt also: the
            // sync outbox's clean-up.
            "egovCreatedAt", "egovNotAfter", "egovDecidedAt", "egovIssuedAt",
            // Requests: the decision inbox and request lists by state (LdapDecisionInbox,
            // LdapRequestStore, LdapStatisticsSource.undecided), KM recovery requests by state.
            "egovRequestState", "egovConfirmedState",
            // KM escrow: keys past retention (LdapEscrowStore.dueForDestruction).
            "egovRetainUntil",
            // The sync outbox and queues: by sequence range, by event id, owed-event markers.
            "egovSyncSequence", "egovSyncEventId", "egovSyncOwed",
            // RFC 4387 certificate store keys (CertificateStoreKeys.ATTRIBUTES): one key per search.
            "egovCertSubjectHash", "egovCertIssuerHash", "egovCertKeyIdHash", "egovCertEmail", "egovCertName");

    /** The settings for egov-pki's own directory: our schema and indices. */
    public static EmbeddedDirectorySettings forEgovPki(Path workDirectory, String host, int port, String baseDn,
                                                       char[] adminPassword, LockoutPolicy lockout, Clock clock) {
        List<SchemaDefinition> definitions = EgovSchema.load().elements().stream()
                .map(e -> new SchemaDefinition(e.kind() == SchemaElement.Kind.OBJECT_CLASS, e.oid(), e.definition()))
                .toList();
        return new EmbeddedDirectorySettings(workDirectory, host, port, baseDn, adminPassword, INDEXED_ATTRIBUTES,
                definitions, lockout, clock, List.of(), Durability.SYNC_ON_WRITE);
    }

    @Override
    public char[] adminPassword() {
        return adminPassword.clone();
    }
}
