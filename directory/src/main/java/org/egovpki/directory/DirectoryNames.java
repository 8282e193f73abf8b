package org.egovpki.directory;

import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.RDN;
import java.util.Objects;
import org.egovpki.schema.DirectoryLayout;

/**
 * Every DN egov-pki writes, derived from the configured base DN. DNs are built from {@link RDN}
 * values, never by string concatenation, so a name with special characters cannot change the
 * tree it lands in.
 */
public final class DirectoryNames {

    private final DN base;

    public DirectoryNames(String baseDn) {
        Objects.requireNonNull(baseDn, "baseDn");
        try {
            this.base = new DN(baseDn);
        } catch (LDAPException e) {
            throw new IllegalArgumentException("'" + baseDn + "' is not a valid LDAP DN: " + e.getMessage(), e);
        }
        if (base.isNullDN()) {
            throw new IllegalArgumentException("the base DN must not be empty");
        }
    }

    public DN base() {
        return base;
    }

    public DN container(DirectoryLayout.Container container) {
        return new DN(new RDN("ou", container.ou()), base);
    }

    public DN cas() {
        return container(DirectoryLayout.Container.CAS);
    }

    public DN services() {
        return container(DirectoryLayout.Container.SERVICES);
    }

    public DN ca(String caName) {
        return new DN(new RDN("cn", caName), cas());
    }

    /** The cRLDistributionPoint entry of CRL partition {@code shard} of the CA, below the CA entry. */
    public DN crlPartition(String caName, int shard) {
        return new DN(new RDN("cn", "shard-" + shard), ca(caName));
    }

    /**
     * The cRLDistributionPoint entry below the CA entry where a key the CA retired at a key
     * changeover publishes its CRL, named by the key identifier in hex.
     */
    public DN retiredKeyCrl(String caName, String keyIdHex) {
        return new DN(new RDN("cn", "key-" + keyIdHex), ca(caName));
    }

    public DN request(String requestId) {
        return new DN(new RDN("egovRequestId", requestId), container(DirectoryLayout.Container.REQUESTS));
    }

    /** A decision entry an operator adds below a request, {@code egovDecisionId=<name>,egovRequestId=<id>,ou=requests,<base>}. */
    public DN decision(String requestId, String decisionId) {
        return new DN(new RDN("egovDecisionId", decisionId), request(requestId));
    }

    public DN certificate(String certificateId) {
        return new DN(new RDN("egovCertificateId", certificateId), container(DirectoryLayout.Container.CERTIFICATES));
    }

    public DN subscriber(String subscriberId) {
        return new DN(new RDN("egovSubscriberId", subscriberId), container(DirectoryLayout.Container.SUBSCRIBERS));
    }

    /** The private registration entry below a subscriber entry. */
    public DN registration(String subscriberId) {
        return new DN(new RDN("cn", "registration"), subscriber(subscriberId));
    }

    public DN operator(String uid) {
        return new DN(new RDN("uid", uid), container(DirectoryLayout.Container.OPERATORS));
    }

    /**
     * The group of application admins ({@code cn=application-admins,ou=operators}, groupOfUniqueNames):
     * the access control denies its members what other operators read or add in an LDAP browser.
     */
    public DN applicationAdmins() {
        return new DN(new RDN("cn", "application-admins"), container(DirectoryLayout.Container.OPERATORS));
    }

    /**
     * The group of operators who read requests in an LDAP browser ({@code cn=request-readers,ou=operators},
     * groupOfUniqueNames): those who see registration data whole ({@code Operator.readsRegistrationWhole}),
     * kept by the CA with every role change, and the CA service account, so the group is never empty.
     */
    public DN requestReaders() {
        return new DN(new RDN("cn", "request-readers"), container(DirectoryLayout.Container.OPERATORS));
    }

    /** The KM's own subtree, {@code ou=km}: escrowed keys and key recovery requests. */
    public DN km() {
        return container(DirectoryLayout.Container.KM);
    }

    /** An escrowed key, {@code egovKeyId=<id>,ou=km,<base>}. */
    public DN escrowedKey(String keyId) {
        return new DN(new RDN("egovKeyId", keyId), km());
    }

    /** A key recovery request, {@code egovRequestId=<id>,ou=km,<base>} (not under ou=requests: only the KM reads it). */
    public DN keyRecovery(String requestId) {
        return new DN(new RDN("egovRequestId", requestId), km());
    }

    /** The directory anchor of one audit trail, {@code cn=<trail>,ou=audit,<base>}. */
    public DN auditAnchor(String trail) {
        return new DN(new RDN("cn", trail), container(DirectoryLayout.Container.AUDIT));
    }

    /** The value of the single RDN attribute of {@code dn} (e.g. the request id of a request DN). */
    public static String rdnValue(String dn) {
        try {
            return new DN(dn).getRDN().getAttributeValues()[0];
        } catch (LDAPException e) {
            throw new IllegalArgumentException("'" + dn + "' is not a DN", e);
        }
    }

    /** The CA server's own bind account (not the directory admin). */
    public DN caServiceAccount() {
        return new DN(new RDN("uid", DirectoryLayout.CA_SERVICE_ACCOUNT_UID), services());
    }

    /**
     * The entry the health probe rewrites and reads back ({@code cn=egov-pki-health,ou=sync}):
     * under a container only the CA's account reads, so anonymous readers never see it.
     */
    public DN healthEntry() {
        return new DN(new RDN("cn", "egov-pki-health"), container(DirectoryLayout.Container.SYNC));
    }

    /** The KM's own bind account, the only one that may read or write {@code ou=km}. */
    public DN kmServiceAccount() {
        return new DN(new RDN("uid", DirectoryLayout.KM_SERVICE_ACCOUNT_UID), services());
    }

    /** A closed day of the statistics: {@code egovStatisticsDay=<YYYY-MM-DD>,ou=statistics}. */
    public DN statisticsDay(String day) {
        return new DN(new RDN("egovStatisticsDay", day), container(DirectoryLayout.Container.STATISTICS));
    }

    /** A key never certified again, {@code egovCompromisedKeyId=<id>,ou=compromisedKeys,<base>}. */
    public DN compromisedKey(String keyId) {
        return new DN(new RDN("egovCompromisedKeyId", keyId), container(DirectoryLayout.Container.COMPROMISED_KEYS));
    }

    /**
     * The mark that the keys earlier versions revoked for compromise were recorded,
     * {@code cn=backfilled,ou=compromisedKeys,<base>}.
     */
    public DN compromisedKeysBackfilled() {
        return new DN(new RDN("cn", LdapCompromisedKeys.BACKFILLED), container(DirectoryLayout.Container.COMPROMISED_KEYS));
    }

    /** A sync target, {@code cn=<id>,ou=sync,<base>}. */
    public DN syncTarget(String targetId) {
        return new DN(new RDN("cn", targetId), container(DirectoryLayout.Container.SYNC));
    }

    /** One message of a sync target, {@code egovSyncSequence=<n>,cn=<id>,ou=sync,<base>}. */
    public DN syncMessage(String targetId, long sequence) {
        return new DN(new RDN("egovSyncSequence", Long.toString(sequence)), syncTarget(targetId));
    }

    /** The sync outbox, {@code ou=outbox,ou=sync,<base>}. */
    public DN syncOutbox() {
        return new DN(new RDN("ou", "outbox"), container(DirectoryLayout.Container.SYNC));
    }

    /** One CA's outbox, {@code cn=<caName>,ou=outbox,ou=sync,<base>}. */
    public DN syncOutbox(String caName) {
        return new DN(new RDN("cn", caName), syncOutbox());
    }

    /** One event of a CA's outbox, {@code egovSyncSequence=<n>,cn=<caName>,ou=outbox,ou=sync,<base>}. */
    public DN syncOutboxEvent(String caName, long caSequence) {
        return new DN(new RDN("egovSyncSequence", Long.toString(caSequence)), syncOutbox(caName));
    }
}
