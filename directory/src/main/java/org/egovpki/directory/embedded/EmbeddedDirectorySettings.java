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
 * @param indexedAttributes  attributes indexed in the data partition (everything we search by)
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
     * Every attribute egov-pki searches by. ApacheDS scans the whole partition for an unindexed
     * filter, so a search on a missing index gets slower with every certificate issued.
     */
    public static final List<String> INDEXED_ATTRIBUTES = List.of(
            "objectClass", "ou", "cn", "uid", "mail",
            "egovSerialNumber", "egovCertificateId", "egovIssuerName", "egovSubjectDn", "egovSubscriberDn",
            "egovSubscriberId", "egovCertificateStatus", "egovIssuanceState", "egovNotAfter", "egovRevocationTime",
            "egovCrlShard", "egovProfile", "egovBusinessType", "egovRegion", "egovRequestDn", "egovDecidedAt",
            "egovCreatedAt", "egovIssuedAt", // the statistics' range searches (LdapStatisticsSource)
            "egovRequestId", "egovRequestState", "egovConfirmedState", "egovEnteredBy", "egovSubmittedAt",
            "egovRole", "egovKeyId", "egovKeyState", "egovRetainUntil", "egovAuditSequence",
            "egovSyncSequence", "egovSyncEventId", "egovSyncOwed",
            // RFC 4387 certificate store keys (CertificateStoreKeys.ATTRIBUTES)
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
