package org.egovpki.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.ldap.sdk.schema.AttributeTypeDefinition;
import com.unboundid.ldap.sdk.schema.ObjectClassDefinition;
import com.unboundid.ldap.sdk.schema.Schema;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class EgovSchemaTest {

    private static final String SYNTAX = "1.3.6.1.4.1.1466.115.121.1.";
    private static final String DIRECTORY_STRING = SYNTAX + "15";
    private static final String OCTET_STRING = SYNTAX + "40";
    private static final String GENERALIZED_TIME = SYNTAX + "24";
    private static final String BOOLEAN = SYNTAX + "7";
    private static final String DN = SYNTAX + "12";
    private static final String INTEGER = SYNTAX + "27";
    private static final String IA5_STRING = SYNTAX + "26";
    private static final String PRINTABLE_STRING = SYNTAX + "44";

    /** Standard attributes our classes may name; both ApacheDS and OpenLDAP have them in their core schema. */
    static final Set<String> STANDARD_ATTRIBUTES = Set.of("cn", "uid", "userPassword", "mail", "telephoneNumber",
            "o", "description", "userCertificate", "labeledURI",
            // The naming attributes an entry of the X.500-named mirror (egovX500Name) may carry.
            "c", "st", "l", "ou", "street", "dc", "serialNumber", "title");

    /**
     * Syntaxes each allowed EQUALITY rule may be used with in both servers (OpenLDAP checks the
     * pairing; caseIgnoreMatch and caseExactMatch accept Printable String as a compatible syntax).
     */
    private static final Map<String, Set<String>> EQUALITY_SYNTAXES = Map.of(
            "caseIgnoreMatch", Set.of(DIRECTORY_STRING, PRINTABLE_STRING),
            "caseExactMatch", Set.of(DIRECTORY_STRING, PRINTABLE_STRING),
            "caseIgnoreIA5Match", Set.of(IA5_STRING),
            "distinguishedNameMatch", Set.of(DN),
            "generalizedTimeMatch", Set.of(GENERALIZED_TIME),
            "integerMatch", Set.of(INTEGER),
            "booleanMatch", Set.of(BOOLEAN),
            "octetStringMatch", Set.of(OCTET_STRING));
    private static final Map<String, Set<String>> ORDERING_SYNTAXES = Map.of(
            "generalizedTimeOrderingMatch", Set.of(GENERALIZED_TIME),
            "integerOrderingMatch", Set.of(INTEGER));
    private static final Set<String> ALLOWED_SYNTAXES = Set.of(DIRECTORY_STRING, OCTET_STRING, GENERALIZED_TIME,
            BOOLEAN, DN, INTEGER, IA5_STRING, PRINTABLE_STRING);

    private final EgovSchema schema = EgovSchema.load();

    static Stream<SchemaElement> attributeTypes() {
        return EgovSchema.load().attributeTypes().stream();
    }

    static Stream<SchemaElement> objectClasses() {
        return EgovSchema.load().objectClasses().stream();
    }

    @Test
    void definesTheObjectClassesOtherModulesUse() {
        assertThat(schema.objectClassNames()).containsExactly("egovCertificationAuthority", "egovCertificateRecord",
                "egovEnrollmentRequest", "egovSubscriber", "egovOperator", "egovServiceAccount", "egovSyncTarget",
                "egovSyncCursor", "egovEscrowedKey", "egovKeyRecoveryRequest", "egovAuditEvent",
                "egovAuditCheckpoint", "egovSubscriberRegistration", "egovCrlPartition", "egovKeyRecoveryDetails",
                "egovKeyDelivery", "egovRequestDecision", "egovPublishedSubscriber", "egovSubscriberMigration",
                "egovSyncTargetSettings", "egovSyncDelivery", "egovSyncMessage", "egovSyncOutbox",
                "egovSyncOutboxEvent", "egovSyncOwedEvents", "egovSyncTargetCommand", "egovSyncCommandNotes",
                "egovCertificateStoreKeys", "egovX500Name", "egovX500Mirror", "egovOperatorPassword",
                "egovOperatorSecondFactor", "egovDailyStatistics", "egovCompromisedKey");
    }

    @Test
    void loadReturnsTheSameParsedInstance() {
        assertThat(EgovSchema.load()).isSameAs(schema);
        assertThat(schema.elements()).hasSize(schema.attributeTypes().size() + schema.objectClasses().size());
        assertThat(schema.elements().subList(0, schema.attributeTypes().size()))
                .isEqualTo(schema.attributeTypes());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("attributeTypes")
    void attributeTypeParsesWithUnboundIdToTheSameMeaning(SchemaElement element) throws Exception {
        AttributeTypeDefinition parsed = new AttributeTypeDefinition(element.definition());

        assertThat(parsed.getOID()).isEqualTo(element.oid());
        assertThat(parsed.getNames()).containsExactlyElementsOf(element.names());
        assertThat(parsed.getDescription()).isEqualTo(element.description().orElseThrow());
        assertThat(parsed.getSyntaxOID()).isEqualTo(element.syntax().orElseThrow());
        assertThat(parsed.getEqualityMatchingRule()).isEqualTo(element.equality().orElse(null));
        assertThat(parsed.getOrderingMatchingRule()).isEqualTo(element.ordering().orElse(null));
        assertThat(parsed.getSubstringMatchingRule()).isEqualTo(element.substring().orElse(null));
        assertThat(parsed.isSingleValued()).isEqualTo(element.singleValue());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("objectClasses")
    void objectClassParsesWithUnboundIdToTheSameMeaning(SchemaElement element) throws Exception {
        ObjectClassDefinition parsed = new ObjectClassDefinition(element.definition());

        assertThat(parsed.getOID()).isEqualTo(element.oid());
        assertThat(parsed.getNames()).containsExactlyElementsOf(element.names());
        assertThat(parsed.getDescription()).isEqualTo(element.description().orElseThrow());
        assertThat(parsed.getSuperiorClasses()).containsExactly("top").containsExactlyElementsOf(element.superiors());
        assertThat(parsed.getRequiredAttributes()).containsExactlyElementsOf(element.must());
        assertThat(parsed.getOptionalAttributes()).containsExactlyElementsOf(element.may());
        assertThat(parsed.getObjectClassType().getName())
                .isEqualTo(element.classKind().orElseThrow().name());
    }

    @Test
    void everyDefinitionHasADescriptionAnAdminCanRead() {
        assertThat(schema.elements()).allSatisfy(e -> assertThat(e.description())
                .as("DESC of %s", e.name())
                .hasValueSatisfying(d -> assertThat(d.strip()).hasSizeGreaterThanOrEqualTo(20)));
    }

    @Test
    void oidsAreUniqueAndUnderOurArc() {
        List<String> oids = schema.elements().stream().map(SchemaElement::oid).toList();
        assertThat(oids).doesNotHaveDuplicates();
        assertThat(schema.attributeTypes()).allSatisfy(e ->
                assertThat(e.oid()).matches(java.util.regex.Pattern.quote(EgovSchema.OID_ARC) + "\\.1\\.[1-9][0-9]*"));
        assertThat(schema.objectClasses()).allSatisfy(e ->
                assertThat(e.oid()).matches(java.util.regex.Pattern.quote(EgovSchema.OID_ARC) + "\\.2\\.[1-9][0-9]*"));
        assertThat(schema.oids()).containsExactlyElementsOf(oids);
    }

    @Test
    void namesAreUniqueIgnoringCaseAndPrefixedEgov() {
        List<String> names = new ArrayList<>();
        schema.elements().forEach(e -> e.names().forEach(n -> names.add(n.toLowerCase(Locale.ROOT))));
        assertThat(names).doesNotHaveDuplicates();
        assertThat(schema.elements()).allSatisfy(e -> assertThat(e.names())
                .allSatisfy(n -> assertThat(n).matches("egov[A-Z][A-Za-z0-9]*")));
    }

    @Test
    void doesNotRedefineAnythingFromTheStandardSchema() {
        Schema standard = UnboundIdSchemas.standard();
        assertThat(schema.elements()).allSatisfy(e -> {
            assertThat(standard.getAttributeType(e.oid())).as(e.name()).isNull();
            assertThat(standard.getObjectClass(e.oid())).as(e.name()).isNull();
            e.names().forEach(n -> {
                assertThat(standard.getAttributeType(n)).as(n).isNull();
                assertThat(standard.getObjectClass(n)).as(n).isNull();
            });
        });
    }

    @Test
    void classesNameOnlyOurAttributesOrListedStandardOnes() {
        Set<String> ours = new HashSet<>();
        schema.attributeNames().forEach(n -> ours.add(n.toLowerCase(Locale.ROOT)));
        Set<String> standard = new HashSet<>();
        STANDARD_ATTRIBUTES.forEach(n -> standard.add(n.toLowerCase(Locale.ROOT)));

        assertThat(schema.objectClasses()).allSatisfy(oc -> {
            List<String> named = new ArrayList<>(oc.must());
            named.addAll(oc.may());
            assertThat(named).as(oc.name()).allSatisfy(a -> assertThat(
                    ours.contains(a.toLowerCase(Locale.ROOT)) || standard.contains(a.toLowerCase(Locale.ROOT)))
                    .as("%s names %s", oc.name(), a).isTrue());
        });
    }

    @Test
    void listedStandardAttributesAndClassesExistInTheStandardSchema() {
        Schema standard = UnboundIdSchemas.standard();
        assertThat(STANDARD_ATTRIBUTES).allSatisfy(a -> assertThat(standard.getAttributeType(a)).as(a).isNotNull());
        assertThat(List.of("pkiCA", "pkiUser", "cRLDistributionPoint", "deltaCRL", "organization",
                "organizationalUnit")).allSatisfy(c -> assertThat(standard.getObjectClass(c)).as(c).isNotNull());
    }

    @Test
    void everyClassResolvesAgainstTheStandardSchemaPlusOurs() {
        Schema merged = UnboundIdSchemas.standardPlusEgov(schema);
        assertThat(schema.objectClasses()).allSatisfy(oc -> {
            ObjectClassDefinition definition = merged.getObjectClass(oc.name());
            assertThat(definition).as(oc.name()).isNotNull();
            assertThat(definition.getRequiredAttributes(merged, false)).as(oc.name()).hasSize(oc.must().size());
            assertThat(definition.getOptionalAttributes(merged, false)).as(oc.name()).hasSize(oc.may().size());
        });
    }

    @Test
    void everyAttributeTypeIsUsedByAClass() {
        Set<String> used = new HashSet<>();
        schema.objectClasses().forEach(oc -> {
            oc.must().forEach(a -> used.add(a.toLowerCase(Locale.ROOT)));
            oc.may().forEach(a -> used.add(a.toLowerCase(Locale.ROOT)));
        });
        assertThat(schema.attributeNames()).allSatisfy(a ->
                assertThat(used).as("%s is in no MUST or MAY", a).contains(a.toLowerCase(Locale.ROOT)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("attributeTypes")
    void usesOnlyMatchingRulesAndSyntaxesBothServersHave(SchemaElement at) {
        String syntax = at.syntax().orElseThrow();
        assertThat(ALLOWED_SYNTAXES).contains(syntax);
        // Every attribute has EQUALITY: needed for RDNs, searches and deleting one value of many.
        String equality = at.equality().orElseThrow();
        assertThat(EQUALITY_SYNTAXES).containsKey(equality);
        assertThat(EQUALITY_SYNTAXES.get(equality)).contains(syntax);
        at.ordering().ifPresent(ordering -> {
            assertThat(ORDERING_SYNTAXES).containsKey(ordering);
            assertThat(ORDERING_SYNTAXES.get(ordering)).contains(syntax);
        });
        at.substring().ifPresent(substring -> {
            assertThat(substring).isEqualTo("caseIgnoreSubstringsMatch");
            assertThat(equality).isIn("caseIgnoreMatch", "caseExactMatch");
        });
        assertThat(at.superiors()).isEmpty();
        assertThat(at.fields().keySet()).isSubsetOf("NAME", "DESC", "EQUALITY", "ORDERING", "SUBSTR", "SYNTAX",
                "SINGLE-VALUE");
    }

    @Test
    void timesAreGeneralizedTimeWithOrdering() {
        assertThat(schema.attributeTypes().stream()
                .filter(at -> at.syntax().orElseThrow().equals(GENERALIZED_TIME)))
                .hasSizeGreaterThan(20)
                .allSatisfy(at -> {
                    assertThat(at.equality()).contains("generalizedTimeMatch");
                    assertThat(at.ordering()).contains("generalizedTimeOrderingMatch");
                    assertThat(at.singleValue()).isTrue();
                });
    }

    @ParameterizedTest(name = "{0}: {1}, single={2}")
    @CsvSource({
        "egovSerialNumber,        DIRECTORY_STRING, true",
        "egovSubjectDn,           DIRECTORY_STRING, false",
        "egovSubscriberDn,        DN,               true",
        "egovCrlNumber,           INTEGER,          true",
        "egovDeltaCrlNumber,      INTEGER,          true",
        "egovCrlShard,            INTEGER,          true",
        "egovTbsCertificate,      OCTET_STRING,     true",
        "egovPkcs10,              OCTET_STRING,     true",
        "egovWrappedPrivateKey,   OCTET_STRING,     true",
        "egovEncryptionPublicKey, OCTET_STRING,     true",
        "egovAuditSignature,      OCTET_STRING,     true",
        "egovEnvelopedKey,        OCTET_STRING,     true",
        "egovRecoveredAt,         GENERALIZED_TIME, true",
        "egovPublishOptOut,       BOOLEAN,          true",
        "egovAgreementAccepted,   BOOLEAN,          true",
        "egovSyncEnabled,         BOOLEAN,          true",
        "egovResultSerial,        DIRECTORY_STRING, false",
        "egovEvidenceRef,         DIRECTORY_STRING, false",
        "egovRole,                DIRECTORY_STRING, false",
        "egovBusinessType,        DIRECTORY_STRING, false",
        "egovStatisticsDay,       DIRECTORY_STRING, true",
        "egovStatisticsFigure,    DIRECTORY_STRING, false",
        "egovCompromisedKeyId,    DIRECTORY_STRING, true",
        "egovSyncEvents,          DIRECTORY_STRING, false",
        "egovApprovedBy,          DN,               false",
        "egovApprovals,           DIRECTORY_STRING, false",
        "egovAuditSubject,        DIRECTORY_STRING, false",
        "egovAuditSequence,       INTEGER,          true",
        "egovSyncAttempts,        INTEGER,          true",
        "egovSyncPending,         INTEGER,          true",
        "egovFailedLogins,        INTEGER,          true",
        "egovRequestDn,           DN,               true",
        "egovEnteredBy,           DN,               true",
        "egovReviewedBy,          DN,               true",
        "egovRevokedBy,           DN,               true",
        "egovNotAfter,            GENERALIZED_TIME, true",
        "egovUscc,                PRINTABLE_STRING, true",
        "egovSha256Fingerprint,   IA5_STRING,       true",
    })
    void attributeHasTheAgreedShape(String name, String syntaxName, boolean singleValued) throws Exception {
        SchemaElement at = schema.attributeType(name).orElseThrow();
        String syntax = (String) EgovSchemaTest.class.getDeclaredField(syntaxName).get(null);
        assertThat(at.syntax()).contains(syntax);
        assertThat(at.singleValue()).isEqualTo(singleValued);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "egovCertificationAuthority | STRUCTURAL | cn",
        "egovCertificateRecord      | STRUCTURAL | egovCertificateId egovSerialNumber egovIssuerName egovIssuanceState",
        "egovEnrollmentRequest      | STRUCTURAL | egovRequestId egovRequestState",
        "egovSubscriber             | STRUCTURAL | egovSubscriberId",
        "egovSubscriberRegistration | STRUCTURAL | cn egovSubscriberType",
        "egovOperator               | STRUCTURAL | uid cn",
        "egovServiceAccount         | STRUCTURAL | uid",
        "egovSyncTarget             | STRUCTURAL | cn labeledURI",
        "egovSyncCursor             | AUXILIARY  | ''",
        "egovEscrowedKey            | STRUCTURAL | egovKeyId egovKeyState",
        "egovKeyRecoveryRequest     | STRUCTURAL | egovRequestId egovRecoveryKind egovRequestState",
        "egovAuditEvent             | STRUCTURAL | egovAuditSequence egovAuditTime egovAuditEventType egovAuditHash",
        "egovAuditCheckpoint        | STRUCTURAL | cn egovAuditSequence egovAuditHash",
        "egovKeyRecoveryDetails     | AUXILIARY  | ''",
        "egovKeyDelivery            | AUXILIARY  | ''",
        "egovRequestDecision        | STRUCTURAL | egovDecisionId egovDecision",
    })
    void classHasTheAgreedKindAndRequiredAttributes(String name, String kind, String must) {
        SchemaElement oc = schema.objectClass(name).orElseThrow();
        assertThat(oc.classKind()).contains(SchemaElement.ClassKind.valueOf(kind));
        assertThat(oc.must()).containsExactlyElementsOf(
                must.isBlank() ? List.of() : Arrays.asList(must.strip().split("\\s+")));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "egovCertificationAuthority, egovKeyAlgorithm egovCaRole egovParentCa egovSerialNumber egovSubjectDn "
                + "egovNotBefore egovNotAfter egovSha256Fingerprint egovCrlNumber egovDeltaCrlNumber egovCrlThisUpdate "
                + "egovCrlNextUpdate egovCertificateStatus egovRevocationTime egovRevocationReason egovRevocationCause "
                + "egovRevokedBy description",
        "egovOperator, userPassword egovRole egovOperatorState egovFailedLogins egovLockedUntil egovPasswordChangedAt "
                + "mail telephoneNumber userCertificate egovRegion egovBusinessType description",
        "egovServiceAccount, userPassword description",
        "egovSyncTarget, egovSyncMode egovSyncSchedule egovBusinessType egovSyncEnabled egovSyncEvents "
                + "userCertificate description",
        "egovSyncCursor, egovSyncPosition egovSyncLastSuccess egovSyncLastAttempt egovSyncLastError "
                + "egovSyncAttempts egovSyncPending",
        "egovKeyRecoveryDetails, egovIssuerName egovKeyId userCertificate egovRejectionReason egovRecoveredAt",
        "egovKeyDelivery, egovEnvelopedKey",
        "egovRequestDecision, egovRejectionReason description",
    })
    void classAllowsTheAgreedOptionalAttributes(String name, String may) {
        assertThat(schema.objectClass(name).orElseThrow().may()).containsExactly(may.split(" "));
    }

    @Test
    void namingAttributesHaveEqualityAndAreRequired() {
        Map<String, String> rdnOf = Map.of(
                "egovCertificationAuthority", "cn", "egovCertificateRecord", "egovCertificateId",
                "egovEnrollmentRequest", "egovRequestId", "egovSubscriber", "egovSubscriberId",
                "egovOperator", "uid", "egovServiceAccount", "uid", "egovSyncTarget", "cn",
                "egovEscrowedKey", "egovKeyId", "egovKeyRecoveryRequest", "egovRequestId",
                "egovAuditEvent", "egovAuditSequence");
        rdnOf.forEach((oc, rdn) -> {
            assertThat(schema.objectClass(oc).orElseThrow().must()).as(oc).contains(rdn);
            schema.attributeType(rdn).ifPresent(at -> {
                assertThat(at.equality()).as(rdn).isPresent();
                assertThat(at.singleValue()).as(rdn).isTrue();
            });
        });
    }

    @Test
    void findsByNameIgnoringCaseAndByOid() {
        SchemaElement serial = schema.find("EGOVSERIALNUMBER").orElseThrow();
        assertThat(serial.name()).isEqualTo("egovSerialNumber");
        assertThat(schema.find(serial.oid())).contains(serial);
        assertThat(schema.objectClass("egovSerialNumber")).isEmpty();
        assertThat(schema.attributeType("egovSubscriber")).isEmpty();
        assertThat(schema.find("cn")).isEmpty();
    }

    @Test
    void oidOfReadsTheLeadingOidOfAServerValue() {
        assertThat(EgovSchema.oidOf("( 2.5.4.3 NAME ( 'cn' 'commonName' ) SUP name )")).isEqualTo("2.5.4.3");
        assertThat(EgovSchema.oidOf("  (2.5.6.0)")).isEqualTo("2.5.6.0");
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> EgovSchema.oidOf("( cn-oid NAME 'cn' )"));
    }
}
