package org.egovpki.directory.openldap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.ldif.LDIFReader;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.egovpki.directory.LdapRefusals;
import org.egovpki.schema.DirectoryLayout;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OpenLDAP access rules as docs/directory.md gives them to administrators ("OpenLDAP rules"),
 * loaded unchanged into a real slapd with the egov-pki schema: the operators' rules for decisions
 * below requests and commands below sync targets, what anonymous readers see, and the service
 * accounts' reach. A rule changed in the docs is tested as written.
 */
class OpenLdapAccessRulesIT {

    private static final Set<ResultCode> REFUSED = Set.of(ResultCode.INSUFFICIENT_ACCESS_RIGHTS,
            ResultCode.NO_SUCH_OBJECT);
    private static final String BASE = Slapd.BASE;
    private static final String CA = "uid=egov-pki-ca,ou=services," + BASE;
    private static final String KM = "uid=egov-pki-km,ou=services," + BASE;
    private static final String OPERATOR = "uid=rev1,ou=operators," + BASE;
    /** A second reviewer: in cn=request-readers as {@link #OPERATOR} is. */
    private static final String REVIEWER = "uid=rev2,ou=operators," + BASE;
    /** An operator whose roles do not read registration data whole: not in cn=request-readers. */
    private static final String OUTSIDER = "uid=km1,ou=operators," + BASE;
    private static final String PASSWORD = "Operator-pw-2026";
    private static final String REQUEST = "egovRequestId=r-1,ou=requests," + BASE;
    private static final String TARGET = "cn=t1,ou=sync," + BASE;
    private static final String MESSAGE = "egovSyncSequence=1," + TARGET;
    private static final String RECORD = "egovCertificateId=ca-1f,ou=certificates," + BASE;

    @TempDir
    static Path work;

    private static Slapd slapd;
    private static LDAPConnection operator;
    private static LDAPConnection ca;

    @BeforeAll
    static void start() throws Exception {
        String docs = Files.readString(Path.of("..", "docs", "directory.md"), StandardCharsets.UTF_8);
        slapd = Slapd.start(work, Slapd.documentedBlock(docs));
        try (LDAPConnection root = slapd.root();
             LDIFReader dit = new LDIFReader(new ByteArrayInputStream(DirectoryLayout.renderDit(BASE)
                     .getBytes(StandardCharsets.UTF_8)))) {
            for (Entry e = dit.readEntry(); e != null; e = dit.readEntry()) {
                root.add(e);
            }
            for (String account : List.of(CA, KM)) {
                root.add(new Entry(account, List.of(new Attribute("objectClass", "top", "egovServiceAccount"),
                        new Attribute("uid", account.substring(4, account.indexOf(','))),
                        new Attribute("userPassword", PASSWORD))));
            }
            root.add(new Entry(OPERATOR, List.of(new Attribute("objectClass", "top", "egovOperator"),
                    new Attribute("uid", "rev1"), new Attribute("cn", "Reviewer One"),
                    new Attribute("userPassword", PASSWORD))));
            root.add(new Entry(REVIEWER, List.of(new Attribute("objectClass", "top", "egovOperator"),
                    new Attribute("uid", "rev2"), new Attribute("cn", "Reviewer Two"),
                    new Attribute("userPassword", PASSWORD))));
            root.add(new Entry(OUTSIDER, List.of(new Attribute("objectClass", "top", "egovOperator"),
                    new Attribute("uid", "km1"), new Attribute("cn", "KM operator One"),
                    new Attribute("userPassword", PASSWORD))));
            // As LdapOperatorDirectory keeps it: the CA service account and the reviewers and RA admins.
            root.add(new Entry("cn=request-readers,ou=operators," + BASE, List.of(
                    new Attribute("objectClass", "top", "groupOfUniqueNames"), new Attribute("cn", "request-readers"),
                    new Attribute("uniqueMember", CA, OPERATOR, REVIEWER))));
            root.add(new Entry(REQUEST, List.of(new Attribute("objectClass", "top", "egovEnrollmentRequest"),
                    new Attribute("egovRequestId", "r-1"), new Attribute("egovRequestState", "SUBMITTED"))));
            root.add(new Entry(TARGET, List.of(new Attribute("objectClass", "top", "egovSyncTarget"),
                    new Attribute("cn", "t1"), new Attribute("labeledURI", "https://tax.example/sync"))));
            root.add(new Entry(MESSAGE, List.of(new Attribute("objectClass", "top", "egovSyncMessage"),
                    new Attribute("egovSyncSequence", "1"), new Attribute("egovSyncEventId", "ca/1/issued"),
                    new Attribute("egovSyncEventType", "cert.issued"), new Attribute("egovIssuerName", "ca"),
                    new Attribute("egovSyncCaSequence", "1"), new Attribute("egovSyncEnqueuedAt", "20261202080000Z"),
                    new Attribute("egovSyncBody", "{\"idNumber\":\"110101199003074518\"}"),
                    new Attribute("egovSyncSignature", "x"))));
            root.add(new Entry(RECORD, List.of(new Attribute("objectClass", "top", "egovCertificateRecord"),
                    new Attribute("egovCertificateId", "ca-1f"), new Attribute("egovSerialNumber", "1f"),
                    new Attribute("egovIssuerName", "ca"), new Attribute("egovIssuanceState", "PUBLISHED"),
                    new Attribute("egovCertificateStatus", "REVOKED"))));
            for (String id : List.of("pub", "hidden")) {
                root.add(new Entry("egovSubscriberId=" + id + ",ou=subscribers," + BASE, List.of(
                        new Attribute("objectClass", id.equals("pub")
                                ? new String[] {"top", "egovSubscriber", "egovPublishedSubscriber"}
                                : new String[] {"top", "egovSubscriber"}),
                        new Attribute("egovSubscriberId", id), new Attribute("cn", "Subscriber " + id))));
            }
        }
        operator = slapd.bind(OPERATOR, PASSWORD);
        ca = slapd.bind(CA, PASSWORD);
    }

    @AfterAll
    static void stop() {
        if (operator != null) {
            operator.close();
        }
        if (ca != null) {
            ca.close();
        }
        if (slapd != null) {
            slapd.close();
        }
    }

    @Test
    void theDocumentedBlockHasEveryRuleInOrder() {
        List<String> rules = Slapd.documentedRules(readDocs());
        assertThat(rules).hasSizeGreaterThan(10);
        for (int i = 0; i < rules.size(); i++) {
            assertThat(rules.get(i)).startsWith("{" + i + "}to ");
        }
    }

    @Test
    void anOperatorAddsADecisionButChangesNeitherItNorTheRequest() throws Exception {
        String decision = "egovDecisionId=rev1-1," + REQUEST;
        operator.add(new Entry(decision, List.of(new Attribute("objectClass", "top", "egovRequestDecision"),
                new Attribute("egovDecisionId", "rev1-1"), new Attribute("egovDecision", "APPROVED"))));

        assertThat(ca.getEntry(decision, "creatorsName").getAttributeValue("creatorsName"))
                .isEqualToIgnoringCase(OPERATOR);
        assertRefused(() -> operator.modify(decision, new Modification(ModificationType.REPLACE, "egovDecision",
                "REJECTED")));
        assertRefused(() -> operator.delete(decision));
        assertRefused(() -> operator.modify(REQUEST, new Modification(ModificationType.REPLACE, "egovRequestState",
                "APPROVED")));
        assertThat(operator.getEntry(REQUEST).getAttributeValue("egovRequestState")).isEqualTo("SUBMITTED");
    }

    @Test
    void aDecisionEntryCarriesTheDecisionsOwnAttributesAndNothingElse() throws Exception {
        String decision = "egovDecisionId=rev1-full," + REQUEST;
        operator.add(new Entry(decision, List.of(new Attribute("objectClass", "top", "egovRequestDecision"),
                new Attribute("egovDecisionId", "rev1-full"), new Attribute("egovDecision", "REJECTED"),
                new Attribute("egovRejectionReason", "the ID copy is unreadable"),
                new Attribute("description", "written in an LDAP browser"))));
        assertThat(ca.getEntry(decision).getAttributeValue("egovRejectionReason"))
                .isEqualTo("the ID copy is unreadable");

        // The hostile probe's entry: a password that would make the decision a bind identity.
        String bindable = "egovDecisionId=rev1-bind," + REQUEST;
        assertRefused(() -> operator.add(new Entry(bindable, List.of(
                new Attribute("objectClass", "top", "egovRequestDecision", "extensibleObject"),
                new Attribute("egovDecisionId", "rev1-bind"), new Attribute("egovDecision", "APPROVED"),
                new Attribute("userPassword", PASSWORD)))));
        assertRefused(() -> operator.add(new Entry(bindable, List.of(
                new Attribute("objectClass", "top", "egovRequestDecision", "simpleSecurityObject"),
                new Attribute("egovDecisionId", "rev1-bind"), new Attribute("egovDecision", "APPROVED"),
                new Attribute("userPassword", PASSWORD)))));
        assertRefused(() -> operator.add(new Entry(bindable, List.of(
                new Attribute("objectClass", "top", "egovRequestDecision", "extensibleObject"),
                new Attribute("egovDecisionId", "rev1-bind"), new Attribute("egovDecision", "APPROVED"),
                new Attribute("egovRequestState", "APPROVED"), new Attribute("info", "x".repeat(65_536))))));
        assertThat(ca.getEntry(bindable)).isNull();
        LDAPException bind = catchThrowableOfType(LDAPException.class, () -> slapd.bind(bindable, PASSWORD).close());
        assertThat(bind).as("a bind as the refused decision").isNotNull();
        assertThat(bind.getResultCode()).isEqualTo(ResultCode.INVALID_CREDENTIALS);
    }

    @Test
    void noOperatorAddsToADecisionAnotherReviewerWrote() throws Exception {
        String decision = "egovDecisionId=rev1-bare," + REQUEST;
        operator.add(new Entry(decision, List.of(new Attribute("objectClass", "top", "egovRequestDecision"),
                new Attribute("egovDecisionId", "rev1-bare"), new Attribute("egovDecision", "REJECTED"))));

        try (LDAPConnection reviewer = slapd.bind(REVIEWER, PASSWORD)) {
            assertThat(reviewer.getEntry(decision).getAttributeValue("egovDecision")).as("other reviewers read it")
                    .isEqualTo("REJECTED");
            assertRefused(() -> reviewer.modify(decision, new Modification(ModificationType.ADD,
                    "egovRejectionReason", "a reason the author did not write")));
            assertRefused(() -> reviewer.modify(decision, new Modification(ModificationType.ADD, "description",
                    "x")));
            assertRefused(() -> reviewer.modify(decision, new Modification(ModificationType.ADD, "objectClass",
                    "extensibleObject")));
        }
        // Nor its author, beyond the decision's own attributes.
        assertRefused(() -> operator.modify(decision, new Modification(ModificationType.ADD, "objectClass",
                "extensibleObject"), new Modification(ModificationType.ADD, "userPassword", PASSWORD)));
        Entry read = ca.getEntry(decision, "*", "creatorsName", "modifiersName");
        assertThat(read.hasAttribute("egovRejectionReason")).isFalse();
        assertThat(read.getObjectClassValues()).containsExactlyInAnyOrder("top", "egovRequestDecision");
        assertThat(read.getAttributeValue("modifiersName")).isEqualToIgnoringCase(OPERATOR);
    }

    @Test
    void aCommandEntryCarriesTheCommandsOwnAttributesAndNoOtherOperatorAddsToIt() throws Exception {
        String command = "egovSyncCommandId=rev1-update," + TARGET;
        operator.add(new Entry(command, List.of(new Attribute("objectClass", "top", "egovSyncTargetCommand"),
                new Attribute("egovSyncCommandId", "rev1-update"), new Attribute("egovSyncAction", "UPDATE"),
                new Attribute("labeledURI", "https://tax.example/sync2"), new Attribute("egovSyncEnabled", "FALSE"),
                new Attribute("description", "moved"))));
        assertThat(ca.getEntry(command).getAttributeValue("labeledURI")).isEqualTo("https://tax.example/sync2");

        String bindable = "egovSyncCommandId=rev1-bind," + TARGET;
        assertRefused(() -> operator.add(new Entry(bindable, List.of(
                new Attribute("objectClass", "top", "egovSyncTargetCommand", "extensibleObject"),
                new Attribute("egovSyncCommandId", "rev1-bind"), new Attribute("egovSyncAction", "REDRIVE"),
                new Attribute("userPassword", PASSWORD)))));
        assertRefused(() -> operator.add(new Entry(bindable, List.of(
                new Attribute("objectClass", "top", "egovSyncTargetCommand", "extensibleObject"),
                new Attribute("egovSyncCommandId", "rev1-bind"), new Attribute("egovSyncAction", "REDRIVE"),
                new Attribute("egovSyncBody", "x".repeat(65_536))))));
        assertThat(ca.getEntry(bindable)).isNull();

        // Every operator may add commands; none adds to another's.
        try (LDAPConnection other = slapd.bind(OUTSIDER, PASSWORD)) {
            assertRefused(() -> other.modify(command, new Modification(ModificationType.ADD, "egovSyncReplayFrom",
                    "1")));
            assertRefused(() -> other.modify(command, new Modification(ModificationType.ADD, "egovSyncSchedule",
                    "0 0 * * *")));
        }
        Entry read = ca.getEntry(command, "*", "modifiersName");
        assertThat(read.hasAttribute("egovSyncReplayFrom")).isFalse();
        assertThat(read.hasAttribute("egovSyncSchedule")).isFalse();
        assertThat(read.getAttributeValue("modifiersName")).isEqualToIgnoringCase(OPERATOR);
    }

    @Test
    void anOperatorReadsATargetAndAddsACommandButNeverReadsItsMessagesOrChangesIt() throws Exception {
        assertThat(operator.getEntry(TARGET).getAttributeValue("labeledURI")).isEqualTo("https://tax.example/sync");
        assertThat(operator.getEntry(MESSAGE)).isNull();
        String command = "egovSyncCommandId=rev1-1," + TARGET;
        operator.add(new Entry(command, List.of(new Attribute("objectClass", "top", "egovSyncTargetCommand"),
                new Attribute("egovSyncCommandId", "rev1-1"), new Attribute("egovSyncAction", "REDRIVE"))));

        assertThat(ca.getEntry(command, "creatorsName").getAttributeValue("creatorsName"))
                .isEqualToIgnoringCase(OPERATOR);
        assertRefused(() -> operator.modify(command, new Modification(ModificationType.REPLACE, "egovSyncAction",
                "SKIP")));
        assertRefused(() -> operator.delete(command));
        assertRefused(() -> operator.modify(TARGET, new Modification(ModificationType.REPLACE, "labeledURI",
                "https://attacker.example/")));
        assertRefused(() -> operator.add(new Entry("egovSyncSequence=2," + TARGET, List.of(
                new Attribute("objectClass", "top", "egovSyncMessage"), new Attribute("egovSyncSequence", "2"),
                new Attribute("egovSyncEventId", "x"), new Attribute("egovSyncEventType", "cert.issued"),
                new Attribute("egovIssuerName", "ca"), new Attribute("egovSyncCaSequence", "2"),
                new Attribute("egovSyncEnqueuedAt", "20261202080000Z"), new Attribute("egovSyncBody", "{}"),
                new Attribute("egovSyncSignature", "x")))));
        assertRefused(() -> operator.add(new Entry("egovSyncCommandId=loose,ou=sync," + BASE, List.of(
                new Attribute("objectClass", "top", "egovSyncTargetCommand"),
                new Attribute("egovSyncCommandId", "loose"), new Attribute("egovSyncAction", "SKIP")))));
        assertThat(ca.getEntry(TARGET).getAttributeValue("labeledURI")).isEqualTo("https://tax.example/sync");
    }

    @Test
    void anOperatorOutsideTheRequestReadersNeitherReadsARequestNorAddsADecision() throws Exception {
        try (LDAPConnection outsider = slapd.bind(OUTSIDER, PASSWORD)) {
            assertThat(outsider.getEntry(REQUEST)).isNull();
            assertThat(outsider.search("ou=requests," + BASE, SearchScope.ONE, "(objectClass=*)").getEntryCount())
                    .isZero();
            assertRefused(() -> outsider.add(new Entry("egovDecisionId=km1-1," + REQUEST, List.of(
                    new Attribute("objectClass", "top", "egovRequestDecision"), new Attribute("egovDecisionId", "km1-1"),
                    new Attribute("egovDecision", "APPROVED")))));
            assertThat(ca.getEntry("egovDecisionId=km1-1," + REQUEST)).isNull();
            assertThat(outsider.getEntry(TARGET)).as("sync targets stay readable to every operator").isNotNull();
        }
        assertThat(operator.getEntry(REQUEST)).isNotNull();
    }

    @Test
    void anonymousReadersSeePublishedSubscribersAndCasButNoTargetRequestOrOptedOutSubscriber() throws Exception {
        try (LDAPConnection anonymous = slapd.anonymous()) {
            assertThat(anonymous.getEntry("egovSubscriberId=pub,ou=subscribers," + BASE)).isNotNull();
            assertThat(anonymous.getEntry("egovSubscriberId=hidden,ou=subscribers," + BASE)).isNull();
            assertThat(anonymous.getEntry("ou=CAs," + BASE)).isNotNull();
            assertThat(anonymous.getEntry(TARGET)).isNull();
            assertThat(anonymous.getEntry(REQUEST)).isNull();
            assertThat(anonymous.getEntry(CA)).isNull();
        }
    }

    @Test
    void certificateRecordsAreTheCasAloneAndHiddenFromEveryoneElse() throws Exception {
        ca.modify(RECORD, new Modification(ModificationType.REPLACE, "egovRevocationReason", "keyCompromise"));
        assertThat(ca.search("ou=certificates," + BASE, SearchScope.ONE, "(egovCertificateStatus=REVOKED)",
                "egovSerialNumber").getSearchEntries()).extracting(e -> e.getAttributeValue("egovSerialNumber"))
                .containsExactly("1f");
        try (LDAPConnection anonymous = slapd.anonymous(); LDAPConnection km = slapd.bind(KM, PASSWORD)) {
            for (LDAPConnection other : List.of(anonymous, operator, km)) {
                assertThat(other.getEntry(RECORD)).isNull();
                assertThat(other.search("ou=certificates," + BASE, SearchScope.ONE, "(objectClass=*)")
                        .getEntryCount()).isZero();
                // The container's name stays visible, as every container's.
                assertThat(other.getEntry("ou=certificates," + BASE)).isNotNull();
            }
            assertRefused(() -> operator.modify(RECORD, new Modification(ModificationType.REPLACE,
                    "egovCertificateStatus", "GOOD")));
            assertRefused(() -> km.delete(RECORD));
        }
        assertThat(ca.getEntry(RECORD, "egovCertificateStatus").getAttributeValue("egovCertificateStatus"))
                .isEqualTo("REVOKED");
    }

    @Test
    void compromisedKeysAreTheCasAloneWithoutARuleOfTheirOwn() throws Exception {
        String key = "egovCompromisedKeyId=" + "ab".repeat(32) + ",ou=compromisedKeys," + BASE;
        Entry entry = new Entry(key, List.of(new Attribute("objectClass", "top", "egovCompromisedKey"),
                new Attribute("egovCompromisedKeyId", "ab".repeat(32)), new Attribute("egovCertificateId", "ca-1f"),
                new Attribute("egovRevocationTime", "20261121080000Z"),
                new Attribute("egovRevocationReason", "keyCompromise")));
        assertRefused(() -> operator.add(entry));
        ca.add(entry);
        assertThat(ca.getEntry(key)).isNotNull();
        try (LDAPConnection anonymous = slapd.anonymous(); LDAPConnection km = slapd.bind(KM, PASSWORD)) {
            for (LDAPConnection other : List.of(anonymous, operator, km)) {
                assertThat(other.getEntry(key)).isNull();
                assertThat(other.search("ou=compromisedKeys," + BASE, SearchScope.ONE, "(objectClass=*)")
                        .getEntryCount()).isZero();
            }
            assertRefused(() -> operator.delete(key));
            assertRefused(() -> km.delete(key));
        }
        assertThat(ca.getEntry(key)).as("still there").isNotNull();
    }

    @Test
    void theCaAccountWritesEverywhereButOuKmWhichIsTheKmAccountsAlone() throws Exception {
        ca.modify(TARGET, new Modification(ModificationType.REPLACE, "description", "written by the CA"));
        Entry escrow = new Entry("ou=escrow-test,ou=km," + BASE, List.of(
                new Attribute("objectClass", "top", "organizationalUnit"), new Attribute("ou", "escrow-test")));
        assertRefused(() -> ca.add(escrow));
        try (LDAPConnection km = slapd.bind(KM, PASSWORD)) {
            km.add(escrow);
            assertThat(km.getEntry(escrow.getDN())).isNotNull();
            assertRefused(() -> km.modify(TARGET, new Modification(ModificationType.REPLACE, "description", "km")));
        }
        assertThat(ca.getEntry(escrow.getDN())).isNull();
    }

    @Test
    void theCaWritesTheX500MirrorUnderTheBaseAndEveryoneReadsOnlyItsNamesAndCertificates() throws Exception {
        String dept = "ou=Mirror Dept," + BASE;
        String leaf = "cn=Mirror CA," + dept;
        byte[] der = selfSigned("CN=Mirror CA,OU=Mirror Dept,O=egov-pki,C=CN");
        ca.add(new Entry(dept, List.of(new Attribute("objectClass", "top", "egovX500Name"),
                new Attribute("ou", "Mirror Dept"))));
        ca.add(new Entry(leaf, List.of(new Attribute("objectClass", "top", "egovX500Name", "pkiCA"),
                new Attribute("cn", "Mirror CA"), new Attribute("cACertificate;binary", der))));
        try (LDAPConnection anonymous = slapd.anonymous()) {
            Entry read = anonymous.getEntry(leaf, "*");
            assertThat(read).isNotNull();
            assertThat(read.getAttributeValueBytes("cACertificate;binary")).isEqualTo(der);
            // slapd refuses any anonymous write before the rules (strongAuthRequired).
            LDAPException anonymousWrite = catchThrowableOfType(LDAPException.class,
                    () -> anonymous.modify(leaf, new Modification(ModificationType.REPLACE, "cn", "x")));
            assertThat(anonymousWrite).isNotNull();
            assertThat(anonymousWrite.getResultCode()).isIn(ResultCode.STRONG_AUTH_REQUIRED,
                    ResultCode.INSUFFICIENT_ACCESS_RIGHTS);
        }
        assertRefused(() -> operator.modify(leaf, new Modification(ModificationType.DELETE, "cACertificate;binary")));
        assertRefused(() -> operator.add(new Entry("cn=Forged," + dept, List.of(
                new Attribute("objectClass", "top", "egovX500Name"), new Attribute("cn", "Forged")))));
        ca.modify(leaf, new Modification(ModificationType.DELETE, "cACertificate;binary"));
    }

    private static byte[] selfSigned(String subject) throws Exception {
        java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("EC");
        generator.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
        java.security.KeyPair key = generator.generateKeyPair();
        org.bouncycastle.asn1.x500.X500Name name = org.egovpki.core.x509.DistinguishedNames.parse(subject);
        java.time.Instant now = java.time.Instant.parse("2026-01-01T00:00:00Z");
        return new org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder(name, java.math.BigInteger.TEN,
                java.util.Date.from(now), java.util.Date.from(now.plusSeconds(86_400)), name, key.getPublic())
                .build(new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder("SHA256withECDSA")
                        .build(key.getPrivate())).getEncoded();
    }

    private static String readDocs() {
        try {
            return Files.readString(Path.of("..", "docs", "directory.md"), StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void anOperatorChangesNoOperatorEntryAndADisabledOperatorCannotBind() throws Exception {
        String other = "uid=clerk9,ou=operators," + BASE;
        try (LDAPConnection root = slapd.root()) {
            root.add(new Entry(other, List.of(new Attribute("objectClass", "top", "egovOperator"),
                    new Attribute("uid", "clerk9"), new Attribute("cn", "Clerk Nine"),
                    new Attribute("egovRole", "ENTRY_CLERK"), new Attribute("egovOperatorState", "ACTIVE"),
                    new Attribute("userPassword", PASSWORD))));
        }
        for (String dn : List.of(OPERATOR, other)) {
            assertRefused(() -> operator.modify(dn, new Modification(ModificationType.ADD, "egovRole",
                    "SECURITY_ADMIN")));
            assertRefused(() -> operator.modify(dn, new Modification(ModificationType.REPLACE, "egovOperatorState",
                    "ACTIVE")));
        }
        assertThat(ca.getEntry(OPERATOR, "egovRole").hasAttribute("egovRole")).isFalse();

        ca.modify(other, new Modification(ModificationType.REPLACE, "egovOperatorState", "DISABLED"));
        LDAPException refused = catchThrowableOfType(LDAPException.class, () -> slapd.bind(other, PASSWORD).close());
        assertThat(refused).as("a disabled operator's bind").isNotNull();
        assertThat(refused.getResultCode()).isEqualTo(com.unboundid.ldap.sdk.ResultCode.INVALID_CREDENTIALS);
        ca.modify(other, new Modification(ModificationType.REPLACE, "egovOperatorState", "ACTIVE"));
        slapd.bind(other, PASSWORD).close();
    }

    private static void assertRefused(LdapRefusals.LdapCall call) {
        LdapRefusals.assertRefused(REFUSED, call);
    }
}
