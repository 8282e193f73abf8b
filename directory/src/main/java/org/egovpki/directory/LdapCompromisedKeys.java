package org.egovpki.directory;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPInterface;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.egovpki.core.certificate.CompromisedKey;
import org.egovpki.core.certificate.CompromisedKeyStore;
import org.egovpki.core.certificate.RevocationReason;
import org.egovpki.schema.DirectoryLayout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keys never certified again, one {@code egovCompromisedKey} entry each under
 * {@code ou=compromisedKeys}, named by the key's id ({@link CompromisedKey#keyId}). A look-up is a
 * base-object read of that name — no search, no index, nothing added to the certificate records —
 * so issuance pays one read of an entry that is almost never there. Written and read by the CA
 * service account only (no access control grant covers the container: docs/directory.md).
 *
 * <p>{@link #backfill} records, once per directory, the keys a version without this store revoked
 * for compromise.
 */
public final class LdapCompromisedKeys implements CompromisedKeyStore {

    static final String OBJECT_CLASS = "egovCompromisedKey";
    static final String KEY_ID = "egovCompromisedKeyId";
    static final String CERTIFICATE_ID = "egovCertificateId";
    /** What the backfill leaves behind when done: a later start reads it and does nothing. */
    static final String BACKFILLED = "backfilled";

    private static final Logger LOG = LoggerFactory.getLogger(LdapCompromisedKeys.class);
    private static final int PAGE = 500;
    private static final String[] ATTRIBUTES = {KEY_ID, CERTIFICATE_ID, "egovRevocationTime", "egovRevocationCause"};

    private final LDAPInterface ldap;
    private final DirectoryNames names;

    public LdapCompromisedKeys(LDAPInterface ldap, DirectoryNames names) {
        this.ldap = Objects.requireNonNull(ldap, "ldap");
        this.names = Objects.requireNonNull(names, "names");
    }

    @Override
    public Optional<CompromisedKey> byKeyId(String keyId) {
        SearchResultEntry e;
        try {
            e = ldap.getEntry(names.compromisedKey(keyId).toString(), ATTRIBUTES);
        } catch (LDAPException ex) {
            throw LdapErrors.toDomain("looking up whether a key is compromised", ex);
        }
        if (e == null) {
            return Optional.empty();
        }
        String certificate = e.getAttributeValue(CERTIFICATE_ID);
        int dash = certificate.lastIndexOf('-');
        String cause = e.getAttributeValue("egovRevocationCause");
        return Optional.of(new CompromisedKey(keyId, certificate.substring(0, Math.max(dash, 0)),
                certificate.substring(dash + 1), LdapValues.time(e, "egovRevocationTime"),
                cause == null ? RevocationReason.KEY_COMPROMISE : RevocationReason.parse(cause)));
    }

    @Override
    public void add(CompromisedKey key) {
        List<Attribute> attributes = new ArrayList<>();
        attributes.add(new Attribute("objectClass", "top", OBJECT_CLASS));
        attributes.add(new Attribute(KEY_ID, key.keyId()));
        attributes.add(new Attribute(CERTIFICATE_ID, key.issuer() + "-" + key.serialHex()));
        attributes.add(new Attribute("egovRevocationTime", LdapValues.time(key.revokedAt())));
        attributes.add(new Attribute("egovRevocationReason", key.cause().rfc5280Name()));
        attributes.add(new Attribute("egovRevocationCause", key.cause().name()));
        try {
            ldap.add(new Entry(names.compromisedKey(key.keyId()).toString(), attributes));
        } catch (LDAPException e) {
            if (e.getResultCode() != ResultCode.ENTRY_ALREADY_EXISTS) {
                throw LdapErrors.toDomain("recording compromised key " + key.keyId(), e);
            }
            // Already known: the first revocation that named it stays.
        }
    }

    /**
     * Records the keys of every certificate record revoked for key compromise and of every CA entry
     * revoked for CA or key compromise, unless a previous start did (the entry
     * {@code cn=backfilled,ou=compromisedKeys}, added last, says so). Run at start-up before
     * anything can be issued; a directory written by this version needs it only once, since every
     * revocation for compromise records its key itself. The record search is selected by the
     * indexed {@code egovCertificateStatus=REVOKED} and reads every revoked record once, a page at a
     * time; interrupted, it is done again at the next start (adds are idempotent).
     *
     * @return how many keys were found (recorded now or already)
     */
    public int backfill() {
        String marker = names.compromisedKeysBackfilled().toString();
        try {
            if (ldap.getEntry(marker, "1.1") != null) {
                return 0;
            }
            int[] found = {0};
            String certificates = names.container(DirectoryLayout.Container.CERTIFICATES).toString();
            PagedSearch.run(ldap, PAGE, () -> new SearchRequest(certificates, SearchScope.ONE,
                    Filter.createANDFilter(Filter.createEqualityFilter("objectClass", "egovCertificateRecord"),
                            Filter.createEqualityFilter("egovCertificateStatus", "REVOKED"),
                            Filter.createEqualityFilter("egovRevocationReason", "keyCompromise")),
                    "egovIssuerName", "egovSerialNumber", "egovRevocationTime", "egovRevocationCause",
                    "userCertificate;binary"), page -> {
                        for (SearchResultEntry e : page.getSearchEntries()) {
                            found[0] += record(e, e.getAttributeValue("egovIssuerName"),
                                    LdapValues.binary(e, "userCertificate"));
                        }
                    });
            // CA entries are a handful: read them all (an OR on the unindexed reason would find nothing on
            // ApacheDS, which answers an OR from its branches' indices) and keep the revoked for compromise.
            for (SearchResultEntry e : ldap.search(names.container(DirectoryLayout.Container.CAS).toString(),
                    SearchScope.ONE, Filter.createEqualityFilter("objectClass", LdapCaRepository.OC_CA),
                    LdapCaRepository.AT_PARENT, "egovSerialNumber", "egovRevocationTime", "egovRevocationCause",
                    LdapCaRepository.AT_REVOCATION_REASON, LdapCaRepository.AT_CA_CERTIFICATE).getSearchEntries()) {
                String reason = e.getAttributeValue(LdapCaRepository.AT_REVOCATION_REASON);
                if ("cACompromise".equals(reason) || "keyCompromise".equals(reason)) {
                    found[0] += record(e, e.getAttributeValue(LdapCaRepository.AT_PARENT), revokedCaCertificate(e));
                }
            }
            ldap.add(new Entry(marker, new Attribute("objectClass", "top", "applicationProcess"),
                    new Attribute("cn", BACKFILLED), new Attribute("description", "The keys revoked for compromise "
                            + "before this directory had ou=compromisedKeys were recorded (" + found[0] + ")")));
            LOG.info("Recorded the keys of {} certificate(s) revoked for compromise before this version: they are "
                    + "never certified again", found[0]);
            return found[0];
        } catch (LDAPException e) {
            throw LdapErrors.toDomain("recording the keys revoked for compromise before this version", e);
        }
    }

    /** Of the certificates on a CA entry (several after a key changeover), the one with the entry's serial. */
    private static byte[] revokedCaCertificate(SearchResultEntry e) {
        String serial = e.getAttributeValue("egovSerialNumber");
        for (Attribute attribute : e.getAttributes()) {
            if (!attribute.getBaseName().equalsIgnoreCase("cACertificate")) {
                continue;
            }
            for (byte[] der : attribute.getValueByteArrays()) {
                try {
                    if (org.bouncycastle.asn1.x509.Certificate.getInstance(der).getSerialNumber().getValue()
                            .toString(16).equalsIgnoreCase(serial)) {
                        return der;
                    }
                } catch (RuntimeException unreadable) {
                    LOG.warn("A certificate on {} cannot be read: {}", e.getDN(), unreadable.toString());
                }
            }
        }
        return null;
    }

    private int record(SearchResultEntry e, String issuer, byte[] certificate) {
        if (certificate == null) {
            LOG.warn("{} is revoked for compromise but holds no certificate; its key cannot be recorded", e.getDN());
            return 0;
        }
        String cause = e.getAttributeValue("egovRevocationCause");
        add(new CompromisedKey(CompromisedKey.keyIdOf(certificate), String.valueOf(issuer),
                e.getAttributeValue("egovSerialNumber"), LdapValues.time(e, "egovRevocationTime"),
                cause == null ? RevocationReason.KEY_COMPROMISE : RevocationReason.parse(cause)));
        return 1;
    }
}
