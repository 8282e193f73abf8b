package org.egovpki.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.ChangeType;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.schema.AttributeTypeDefinition;
import com.unboundid.ldap.sdk.schema.ObjectClassDefinition;
import com.unboundid.ldif.LDIFChangeRecord;
import com.unboundid.ldif.LDIFModifyChangeRecord;
import com.unboundid.ldif.LDIFReader;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class RenderersTest {

    private final EgovSchema schema = EgovSchema.load();
    private final ApacheDsSchemaRenderer apacheDs = new ApacheDsSchemaRenderer(schema);
    private final OpenLdapSchemaRenderer openLdap = new OpenLdapSchemaRenderer(schema);

    @Test
    void apacheDsRenderingModifiesTheSubschemaSubentryAttributeTypesFirst() throws Exception {
        LDIFModifyChangeRecord record = readModify(apacheDs.renderLdif());

        assertThat(record.getDN()).isEqualTo("cn=schema");
        Modification[] modifications = record.getModifications();
        assertThat(modifications).hasSize(2);
        assertThat(modifications).allSatisfy(m -> assertThat(m.getModificationType()).isEqualTo(ModificationType.ADD));
        assertThat(modifications[0].getAttributeName()).isEqualTo("attributeTypes");
        assertThat(modifications[0].getValues()).containsExactlyElementsOf(
                schema.attributeTypes().stream().map(SchemaElement::definition).toList());
        assertThat(modifications[1].getAttributeName()).isEqualTo("objectClasses");
        assertThat(modifications[1].getValues()).containsExactlyElementsOf(
                schema.objectClasses().stream().map(SchemaElement::definition).toList());
    }

    @Test
    void apacheDsModificationsMatchTheLdif() {
        List<ApacheDsSchemaRenderer.SchemaModification> modifications = apacheDs.modifications();
        assertThat(modifications).extracting(ApacheDsSchemaRenderer.SchemaModification::attribute)
                .containsExactly("attributeTypes", "objectClasses");
        assertThat(modifications.get(0).values()).hasSize(schema.attributeTypes().size());
        assertThat(modifications.get(1).values()).hasSize(schema.objectClasses().size());
    }

    @Test
    void openLdapRenderingIsOneOlcSchemaConfigEntry() throws Exception {
        Entry entry = readEntry(openLdap.renderLdif());

        assertThat(entry.getDN()).isEqualTo("cn=egov-pki,cn=schema,cn=config");
        assertThat(entry.getObjectClassValues()).containsExactly("olcSchemaConfig");
        assertThat(entry.getAttributeValue("cn")).isEqualTo("egov-pki");
        assertThat(entry.getAttributeValues("olcAttributeTypes")).containsExactlyElementsOf(
                schema.attributeTypes().stream().map(SchemaElement::definition).toList());
        assertThat(entry.getAttributeValues("olcObjectClasses")).containsExactlyElementsOf(
                schema.objectClasses().stream().map(SchemaElement::definition).toList());
        assertThat(entry.getAttributes()).extracting(Attribute::getName)
                .containsExactly("objectClass", "cn", "olcAttributeTypes", "olcObjectClasses");
    }

    @Test
    void bothRenderingsDefineExactlyTheSameNamesAndOids() throws Exception {
        LDIFModifyChangeRecord record = readModify(apacheDs.renderLdif());
        List<String> apacheDsValues = new ArrayList<>();
        for (Modification m : record.getModifications()) {
            apacheDsValues.addAll(List.of(m.getValues()));
        }
        Entry entry = readEntry(openLdap.renderLdif());
        List<String> openLdapValues = new ArrayList<>();
        openLdapValues.addAll(List.of(entry.getAttributeValues("olcAttributeTypes")));
        openLdapValues.addAll(List.of(entry.getAttributeValues("olcObjectClasses")));

        Set<String> apacheDsNames = namesAndOids(apacheDsValues);
        assertThat(apacheDsNames).isEqualTo(namesAndOids(openLdapValues));
        Set<String> expected = new HashSet<>();
        schema.elements().forEach(e -> {
            expected.add(e.oid());
            e.names().forEach(n -> expected.add(n.toLowerCase(Locale.ROOT)));
        });
        assertThat(apacheDsNames).isEqualTo(expected);
    }

    @Test
    void renderingsStayWithinTheLdifLineWidth() {
        assertThat(openLdap.renderLdif().lines()).allSatisfy(l -> assertThat(l).hasSizeLessThanOrEqualTo(76));
        assertThat(apacheDs.renderLdif().lines()).allSatisfy(l -> assertThat(l).hasSizeLessThanOrEqualTo(76));
    }

    @Test
    void checkedInOpenLdapFileEqualsTheRendering() throws IOException {
        String checkedIn;
        try (InputStream in = OpenLdapSchemaRenderer.class.getResourceAsStream(OpenLdapSchemaRenderer.RESOURCE)) {
            assertThat(in).as(OpenLdapSchemaRenderer.RESOURCE).isNotNull();
            checkedIn = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(checkedIn)
                .as("egov-pki-openldap.ldif is out of date; regenerate it: java -cp schema/target/classes "
                        + "org.egovpki.schema.OpenLdapSchemaRenderer > "
                        + "schema/src/main/resources/org/egovpki/schema/egov-pki-openldap.ldif")
                .isEqualTo(openLdap.renderLdif());
    }

    @Test
    void installFilterReturnsNothingWhenTheServerHasEveryOid() {
        assertThat(apacheDs.missing(schema.oids())).isEmpty();
        assertThat(apacheDs.renderLdif(apacheDs.missing(schema.oids()))).isEmpty();
        assertThat(apacheDs.modifications(List.of())).isEmpty();
    }

    @Test
    void installFilterReturnsEverythingForAServerWithoutOurSchema() {
        assertThat(apacheDs.missing(Set.of("2.5.4.3", "2.5.6.0"))).containsExactlyElementsOf(schema.elements());
    }

    @Test
    void installFilterReturnsOnlyTheMissingDefinitionsReadBackFromServerValues() throws Exception {
        SchemaElement lastAttribute = schema.attributeTypes().get(schema.attributeTypes().size() - 1);
        SchemaElement lastClass = schema.objectClasses().get(schema.objectClasses().size() - 1);
        // What a server returns from cn=schema: standard definitions plus ours minus two; OIDs read by oidOf.
        List<String> serverValues = new ArrayList<>(List.of("( 2.5.4.3 NAME ( 'cn' 'commonName' ) SUP name )",
                "( 2.5.6.0 NAME 'top' ABSTRACT MUST objectClass )"));
        schema.elements().stream().filter(e -> e != lastAttribute && e != lastClass)
                .forEach(e -> serverValues.add(e.definition()));
        Set<String> existing = serverValues.stream().map(EgovSchema::oidOf).collect(Collectors.toSet());

        List<SchemaElement> missing = apacheDs.missing(existing);

        assertThat(missing).containsExactly(lastAttribute, lastClass);
        LDIFModifyChangeRecord record = readModify(apacheDs.renderLdif(missing));
        assertThat(record.getModifications()).hasSize(2);
        assertThat(record.getModifications()[0].getValues()).containsExactly(lastAttribute.definition());
        assertThat(record.getModifications()[1].getValues()).containsExactly(lastClass.definition());
    }

    @Test
    void installFilterLeavesOutAnEmptyModification() throws Exception {
        Set<String> allButOneClass = new HashSet<>(schema.oids());
        allButOneClass.remove(schema.objectClasses().get(0).oid());

        LDIFModifyChangeRecord record = readModify(apacheDs.renderLdif(apacheDs.missing(allButOneClass)));

        assertThat(record.getModifications()).singleElement()
                .satisfies(m -> assertThat(m.getAttributeName()).isEqualTo("objectClasses"));
    }

    @Test
    void ldifWriterBase64EncodesUnsafeValuesAndFoldsLongLines() throws Exception {
        StringBuilder out = new StringBuilder("dn: o=x\n");
        Ldif.appendAttribute(out, "description", "电子政务 " + "x".repeat(200));
        Ldif.appendAttribute(out, "l", " leading space");
        Ldif.appendAttribute(out, "st", "plain");
        String ldif = out.toString();

        assertThat(ldif).contains("description:: ", "l:: ", "st: plain");
        assertThat(ldif.lines()).allSatisfy(l -> assertThat(l).hasSizeLessThanOrEqualTo(76));
        Entry entry = readEntry(ldif);
        assertThat(entry.getAttributeValue("description")).isEqualTo("电子政务 " + "x".repeat(200));
        assertThat(entry.getAttributeValue("l")).isEqualTo(" leading space");
    }

    /** OIDs and lower-cased names of rendered values, read by our parser and by UnboundID's, which must agree. */
    private static Set<String> namesAndOids(List<String> definitions) throws LDAPException {
        Set<String> ours = new HashSet<>();
        EgovSchema.parse(String.join("\n\n", definitions)).elements().forEach(e -> {
            ours.add(e.oid());
            e.names().forEach(n -> ours.add(n.toLowerCase(Locale.ROOT)));
        });
        Set<String> unboundId = new HashSet<>();
        for (String definition : definitions) {
            boolean objectClass = SchemaDefinitionParser.parse(definition).kind() == SchemaElement.Kind.OBJECT_CLASS;
            String oid = objectClass ? new ObjectClassDefinition(definition).getOID()
                    : new AttributeTypeDefinition(definition).getOID();
            String[] names = objectClass ? new ObjectClassDefinition(definition).getNames()
                    : new AttributeTypeDefinition(definition).getNames();
            unboundId.add(oid);
            for (String name : names) {
                unboundId.add(name.toLowerCase(Locale.ROOT));
            }
        }
        assertThat(unboundId).isEqualTo(ours);
        return ours;
    }

    static LDIFModifyChangeRecord readModify(String ldif) throws Exception {
        try (LDIFReader reader = new LDIFReader(new BufferedReader(new StringReader(ldif)))) {
            LDIFChangeRecord record = reader.readChangeRecord();
            assertThat(record.getChangeType()).isEqualTo(ChangeType.MODIFY);
            assertThat(reader.readChangeRecord()).isNull();
            return (LDIFModifyChangeRecord) record;
        }
    }

    static Entry readEntry(String ldif) throws Exception {
        try (LDIFReader reader = new LDIFReader(new BufferedReader(new StringReader(ldif)))) {
            Entry entry = reader.readEntry();
            assertThat(reader.readEntry()).isNull();
            return entry;
        }
    }
}
