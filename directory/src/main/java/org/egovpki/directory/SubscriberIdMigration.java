package org.egovpki.directory;

import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPInterface;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.ModifyDNRequest;
import com.unboundid.ldap.sdk.RDN;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.egovpki.core.audit.AuditEvent;
import org.egovpki.core.audit.AuditEventType;
import org.egovpki.core.audit.AuditLog;
import org.egovpki.core.enroll.validation.RegistrationData;
import org.egovpki.core.enroll.SubscriberIds;
import org.egovpki.core.profile.CertificateType;
import org.egovpki.schema.DirectoryLayout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a directory written before subscriber ids were keyed up to date, at every start-up,
 * before recovery and before anything can submit:
 * <ol>
 *   <li>every subscriber whose id is still the unkeyed one derived from its registration
 *       ({@link SubscriberIds#legacy}) gets its keyed id: its {@code cn=registration} is first
 *       marked with {@code egovFormerSubscriberId}, then the subscriber entry is renamed (the
 *       registration and the published certificates move with it, in one operation), then every
 *       certificate record and request that names the old id or DN is rewritten, then the mark is
 *       removed. Each step is idempotent and the mark says where a killed run stopped, so the
 *       next start finishes it;</li>
 *   <li>every subscriber entry gets the visibility its registration asks for: the class
 *       {@code egovPublishedSubscriber} exactly when it did not opt out of publication.</li>
 * </ol>
 * Subscriber ids an RA chose itself are left alone. Entries under {@code ou=km} (escrowed keys,
 * recoveries) are the KM's and keep the DN they were written with; they are readable by the KM
 * only.
 */
public final class SubscriberIdMigration {

    private static final Logger LOG = LoggerFactory.getLogger(SubscriberIdMigration.class);
    private static final String MARK_CLASS = "egovSubscriberMigration";
    private static final String FORMER_ID = "egovFormerSubscriberId";

    /** Observes the steps, so a test can stop the migration after any of them (a crash). */
    public interface Steps {
        Steps NONE = (step, subscriberId) -> { };

        void reached(String step, String newSubscriberId);
    }

    /** What a run changed. */
    public record Result(int migrated, int visibilityChanged) {
    }

    private final LDAPInterface ldap;
    private final DirectoryNames names;
    private final SubscriberIds ids;
    private final AuditLog audit;
    private final Clock clock;
    private final Steps steps;

    public SubscriberIdMigration(LDAPInterface ldap, DirectoryNames names, SubscriberIds ids, AuditLog audit,
                                 Clock clock, Steps steps) {
        this.ldap = Objects.requireNonNull(ldap, "ldap");
        this.names = Objects.requireNonNull(names, "names");
        this.ids = Objects.requireNonNull(ids, "ids");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.steps = Objects.requireNonNull(steps, "steps");
    }

    public Result run() {
        int migrated = 0;
        int visibility = 0;
        try {
            List<SearchResultEntry> registrations = ldap.search(
                    names.container(DirectoryLayout.Container.SUBSCRIBERS).toString(), SearchScope.SUB,
                    Filter.createEqualityFilter("objectClass", "egovSubscriberRegistration"), "*").getSearchEntries();
            for (SearchResultEntry registration : registrations) {
                String currentId = DirectoryNames.rdnValue(registration.getParsedDN().getParent().toString());
                String keyedId = keyedIdIfLegacy(registration, currentId);
                if (keyedId != null) {
                    migrate(registration, currentId, keyedId);
                    migrated++;
                    currentId = keyedId;
                }
                if (setVisibility(currentId, !"TRUE".equalsIgnoreCase(
                        registration.getAttributeValue("egovPublishOptOut")))) {
                    visibility++;
                }
            }
        } catch (LDAPException e) {
            throw LdapErrors.toDomain("migrating subscriber ids", e);
        }
        if (migrated > 0 || visibility > 0) {
            LOG.info("Subscriber migration: {} unkeyed subscriber id(s) replaced, visibility set on {} subscriber "
                    + "entr(ies)", migrated, visibility);
        }
        return new Result(migrated, visibility);
    }

    /**
     * The keyed id this subscriber must get, or {@code null} if it has one already (or an id the
     * RA chose). A subscriber marked by a killed run is always migrated.
     */
    private String keyedIdIfLegacy(SearchResultEntry registration, String currentId) {
        CertificateType type = type(registration.getAttributeValue("egovSubscriberType"));
        if (type == null) {
            return null;
        }
        RegistrationData data = LdapValues.registration(registration);
        String[] dns = registration.getAttributeValues("egovSubjectDn");
        String former = registration.getAttributeValue(FORMER_ID);
        if (type == CertificateType.DEVICE) {
            for (String dn : dns == null ? new String[0] : dns) {
                String legacy = SubscriberIds.legacy(type, data, dn);
                if (legacy.equalsIgnoreCase(currentId) || legacy.equalsIgnoreCase(former)) {
                    return ids.derive(type, data, dn);
                }
            }
            return null;
        }
        if (type == CertificateType.PERSONAL && (data.idType() == null || data.idNumber() == null)) {
            return null;
        }
        if (type == CertificateType.ORGANIZATION && data.uscc() == null && data.organizationCode() == null) {
            return null;
        }
        String legacy = SubscriberIds.legacy(type, data, null);
        return legacy.equalsIgnoreCase(currentId) || legacy.equalsIgnoreCase(former)
                ? ids.derive(type, data, null) : null;
    }

    private void migrate(SearchResultEntry registration, String currentId, String keyedId) throws LDAPException {
        String former = registration.getAttributeValue(FORMER_ID);
        String oldId = former != null ? former : currentId;
        if (former == null) {
            // 1. Mark first: after a kill the mark tells the next run which old id to clean up after.
            ldap.modify(registration.getDN(), new Modification(ModificationType.ADD, "objectClass", MARK_CLASS),
                    new Modification(ModificationType.ADD, FORMER_ID, oldId));
            steps.reached("marked", keyedId);
        }
        DN oldDn = names.subscriber(oldId);
        DN newDn = names.subscriber(keyedId);
        if (!currentId.equalsIgnoreCase(keyedId)) {
            // 2. One rename moves the public entry, its published certificates and cn=registration.
            if (ldap.getEntry(newDn.toString(), "1.1") != null) {
                throw new IllegalStateException("cannot give subscriber " + currentId + " its keyed id " + keyedId
                        + ": an entry with that id exists already; merge the two subscribers by hand, then restart");
            }
            ldap.modifyDN(new ModifyDNRequest(oldDn.toString(), new RDN("egovSubscriberId", keyedId).toString(),
                    true));
            steps.reached("renamed", keyedId);
        }
        // 3. Every record that names the old subscriber, now the new one.
        moveReferences(oldId, oldDn, keyedId, newDn);
        steps.reached("references", keyedId);
        // 4. Done: remove the mark.
        ldap.modify(names.registration(keyedId).toString(),
                new Modification(ModificationType.DELETE, FORMER_ID),
                new Modification(ModificationType.DELETE, "objectClass", MARK_CLASS));
        audit.record(AuditEvent.success(clock.instant(), AuditEventType.SUBSCRIBER_ID_MIGRATED, AuditEvent.SYSTEM,
                List.of(newDn.toString()), Map.of("subscriber", keyedId,
                        "note", "the unkeyed subscriber id derived from identity data was replaced by a keyed id")));
    }

    private void moveReferences(String oldId, DN oldDn, String newId, DN newDn) throws LDAPException {
        Filter refersToOld = Filter.createORFilter(Filter.createEqualityFilter("egovSubscriberDn", oldDn.toString()),
                Filter.createEqualityFilter("egovRevokedBy", oldDn.toString()),
                Filter.createEqualityFilter("egovSubscriberId", oldId));
        for (DirectoryLayout.Container container : List.of(DirectoryLayout.Container.CERTIFICATES,
                DirectoryLayout.Container.REQUESTS)) {
            for (SearchResultEntry e : ldap.search(this.names.container(container).toString(), SearchScope.SUB,
                    refersToOld, "egovSubscriberDn", "egovRevokedBy", "egovSubscriberId").getSearchEntries()) {
                List<Modification> mods = new ArrayList<>();
                if (e.hasAttributeValue("egovSubscriberDn", oldDn.toString())) {
                    mods.add(new Modification(ModificationType.REPLACE, "egovSubscriberDn", newDn.toString()));
                }
                if (e.hasAttributeValue("egovRevokedBy", oldDn.toString())) {
                    mods.add(new Modification(ModificationType.REPLACE, "egovRevokedBy", newDn.toString()));
                }
                if (e.hasAttribute("egovSubscriberId")
                        && e.getAttributeValue("egovSubscriberId").equalsIgnoreCase(oldId)) {
                    mods.add(new Modification(ModificationType.REPLACE, "egovSubscriberId", newId));
                }
                if (!mods.isEmpty()) {
                    ldap.modify(e.getDN(), mods);
                }
            }
        }
    }

    private boolean setVisibility(String subscriberId, boolean visible) throws LDAPException {
        SearchResultEntry entry = ldap.getEntry(names.subscriber(subscriberId).toString(), "objectClass");
        if (entry == null || entry.hasObjectClass(LdapSubscriberStore.PUBLISHED) == visible) {
            return false;
        }
        ldap.modify(entry.getDN(), new Modification(visible ? ModificationType.ADD : ModificationType.DELETE,
                "objectClass", LdapSubscriberStore.PUBLISHED));
        return true;
    }

    private static CertificateType type(String kind) {
        if (kind == null) {
            return null;
        }
        return switch (kind.toUpperCase(java.util.Locale.ROOT)) {
            case "PERSONAL" -> CertificateType.PERSONAL;
            case "ORGANIZATION" -> CertificateType.ORGANIZATION;
            case "DEVICE" -> CertificateType.DEVICE;
            default -> null;
        };
    }
}
