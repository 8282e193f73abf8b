package org.egovpki.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.SearchScope;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.egovpki.core.audit.AuditEvent;
import org.egovpki.core.audit.AuditEventType;
import org.egovpki.core.audit.AuditLog;
import org.egovpki.core.certificate.CertificateRecord;
import org.egovpki.core.certificate.CertificateStatus;
import org.egovpki.core.certificate.IssuanceState;
import org.egovpki.core.profile.KeyUsageKind;
import org.egovpki.core.enroll.validation.RegistrationData;
import org.egovpki.core.enroll.SubscriberIds;
import org.egovpki.core.profile.CertificateType;
import org.egovpki.schema.DirectoryLayout;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The start-up migration from unkeyed to keyed subscriber ids, on the real embedded directory:
 * the subscriber, its registration, its certificate records and requests follow, opted-out
 * subscribers become invisible, and a run killed after any step is finished by the next.
 */
class SubscriberIdMigrationIT {

    private static final Instant NOW = Instant.parse("2026-11-21T08:00:00Z");

    @TempDir
    static Path work;

    private static TestDirectory directory;
    private static LDAPConnection ca;
    private static LdapSubscriberStore subscribers;
    private static LdapCertificateStore certificates;
    private final SubscriberIds ids = new SubscriberIds("test-subscriber-id-key-0123456789".getBytes());
    private final List<AuditEvent> audited = new java.util.ArrayList<>();
    private final AuditLog audit = event -> {
        audited.add(event);
        return audited.size();
    };

    @BeforeAll
    static void start() throws LDAPException {
        directory = TestDirectory.start(work);
        ca = directory.ca();
        subscribers = new LdapSubscriberStore(ca, directory.names());
        certificates = new LdapCertificateStore(ca, directory.names());
    }

    @AfterAll
    static void stop() {
        directory.close();
    }

    private static RegistrationData person(String idNumber) {
        return new RegistrationData("Zhang San", RegistrationData.RESIDENT_ID, idNumber, "13812345678", null, null,
                null, null, null, null, null, null, null, List.of(), List.of(), null);
    }

    /** A subscriber as the previous version wrote it: unkeyed id, a certificate record and a request. */
    private String legacySubscriber(String idNumber, int serial, boolean optOut) throws LDAPException {
        RegistrationData registration = person(idNumber);
        String legacy = SubscriberIds.legacy(CertificateType.PERSONAL, registration, null);
        String subject = "CN=Zhang San,OU=" + serial + ",C=CN";
        subscribers.register(legacy, CertificateType.PERSONAL, subject, registration, null, null, optOut, "hash");
        // The previous version showed every subscriber entry; the migration decides visibility again.
        certificates.writeIntent(new CertificateRecord("sm2-issuing", BigInteger.valueOf(serial), "r-mig-" + serial,
                legacy, subject, "personal", CertificateType.PERSONAL, KeyUsageKind.SIGNING, null, null,
                CertificateStatus.VALID, IssuanceState.PUBLISHED, new byte[] {0x30, 0}, null,
                NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(700)), null, NOW, 0, null), null);
        Entry request = new Entry(directory.names().request("r-mig-" + serial));
        request.addAttribute("objectClass", "top", "egovEnrollmentRequest");
        request.addAttribute("egovRequestId", "r-mig-" + serial);
        request.addAttribute("egovRequestState", "ISSUED");
        request.addAttribute("egovSubscriberId", legacy);
        request.addAttribute("egovSubscriberDn", directory.names().subscriber(legacy).toString());
        ca.add(request);
        return legacy;
    }

    private SubscriberIdMigration migration(SubscriberIdMigration.Steps steps) {
        return new SubscriberIdMigration(ca, directory.names(), ids, audit, Clock.fixed(NOW, ZoneOffset.UTC), steps);
    }

    private void assertMigrated(String legacy, String keyed, int serial) throws LDAPException {
        assertThat(ca.getEntry(directory.names().subscriber(legacy).toString())).isNull();
        assertThat(subscribers.registrationOf(keyed)).isPresent();
        assertThat(ca.getEntry(directory.names().registration(keyed).toString()).getAttributeValue(
                "egovFormerSubscriberId")).isNull();
        assertThat(certificates.find("sm2-issuing", BigInteger.valueOf(serial)).orElseThrow().subscriberId())
                .isEqualTo(keyed);
        Entry request = ca.getEntry(directory.names().request("r-mig-" + serial).toString());
        assertThat(request.getAttributeValue("egovSubscriberId")).isEqualTo(keyed);
        assertThat(request.getAttributeValue("egovSubscriberDn"))
                .isEqualTo(directory.names().subscriber(keyed).toString());
        String containers = directory.names().container(DirectoryLayout.Container.CERTIFICATES).toString();
        assertThat(ca.search(containers, SearchScope.SUB, Filter.createEqualityFilter("egovSubscriberDn",
                directory.names().subscriber(legacy).toString())).getEntryCount()).isZero();
    }

    @Test
    void unkeyedSubscribersGetKeyedIdsAndEverythingFollowsOnce() throws LDAPException {
        String legacy = legacySubscriber("11010519491231002X", 101, false);
        String keyed = ids.derive(CertificateType.PERSONAL, person("11010519491231002X"), null);
        String chosen = "ra-chosen-1";
        subscribers.register(chosen, CertificateType.PERSONAL, "CN=Li Si,C=CN", person("440524198001010013"), null,
                null, false, "hash");

        SubscriberIdMigration.Result first = migration(SubscriberIdMigration.Steps.NONE).run();

        assertThat(first.migrated()).isEqualTo(1);
        assertMigrated(legacy, keyed, 101);
        assertThat(subscribers.registrationOf(chosen)).isPresent();
        assertThat(audited).extracting(AuditEvent::type).containsExactly(AuditEventType.SUBSCRIBER_ID_MIGRATED);
        assertThat(audited.get(0).toString()).contains(keyed).doesNotContain(legacy)
                .doesNotContain("11010519491231002X");
        // A second start changes nothing.
        assertThat(migration(SubscriberIdMigration.Steps.NONE).run().migrated()).isZero();
        assertThat(audited).hasSize(1);
    }

    @Test
    void visibilityFollowsTheOptOutForEntriesOfThePreviousVersion() throws LDAPException {
        legacySubscriber("32010219880515201X", 102, true);
        legacySubscriber("110105194912310021", 103, false);
        String hidden = ids.derive(CertificateType.PERSONAL, person("32010219880515201X"), null);
        String shown = ids.derive(CertificateType.PERSONAL, person("110105194912310021"), null);
        // The previous version had no visibility class and showed every subscriber entry.
        for (String legacy : List.of(SubscriberIds.legacy(CertificateType.PERSONAL, person("32010219880515201X"), null),
                SubscriberIds.legacy(CertificateType.PERSONAL, person("110105194912310021"), null))) {
            Entry entry = ca.getEntry(directory.names().subscriber(legacy).toString(), "objectClass");
            if (entry.hasObjectClass(LdapSubscriberStore.PUBLISHED)) {
                ca.modify(entry.getDN(), new com.unboundid.ldap.sdk.Modification(
                        com.unboundid.ldap.sdk.ModificationType.DELETE, "objectClass", LdapSubscriberStore.PUBLISHED));
            }
        }

        migration(SubscriberIdMigration.Steps.NONE).run();

        LDAPConnection anonymous = directory.anonymous();
        String subscribersDn = directory.names().container(DirectoryLayout.Container.SUBSCRIBERS).toString();
        assertThat(anonymous.search(subscribersDn, SearchScope.ONE, Filter.createEqualityFilter("egovSubscriberId",
                hidden)).getEntryCount()).isZero();
        assertThat(anonymous.search(subscribersDn, SearchScope.ONE, Filter.createEqualityFilter("egovSubscriberId",
                shown)).getEntryCount()).isEqualTo(1);
        assertThat(ca.getEntry(directory.names().subscriber(hidden).toString())).isNotNull();
    }

    @Test
    void aMigrationKilledAfterAnyStepIsFinishedByTheNextStart() throws LDAPException {
        int serial = 110;
        String[] idNumbers = {"510104199001011230", "110101200002290034", "44052419800101001X"};
        for (String step : List.of("marked", "renamed", "references")) {
            String idNumber = idNumbers[serial - 110];
            String legacy = legacySubscriber(idNumber, serial, false);
            String keyed = ids.derive(CertificateType.PERSONAL, person(idNumber), null);

            assertThatThrownBy(() -> migration((reached, id) -> {
                if (reached.equals(step) && id.equals(keyed)) {
                    throw new IllegalStateException("killed after " + step);
                }
            }).run()).hasMessageContaining("killed after " + step);
            migration(SubscriberIdMigration.Steps.NONE).run();

            assertMigrated(legacy, keyed, serial);
            serial++;
        }
    }
}
