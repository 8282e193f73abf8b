package org.egovpki.schema;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Renders the egov-pki schema for ApacheDS, which accepts RFC 4512 additions to its subschema
 * subentry {@value #SUBSCHEMA_DN}: one modify request adding {@code attributeTypes} values, then
 * {@code objectClasses} values (attribute types first, because a class may only name attributes
 * that already exist).
 *
 * <p>Installing is idempotent by OID: the installer reads the OIDs the server already has
 * ({@link EgovSchema#oidOf(String)} on each {@code attributeTypes}/{@code objectClasses} value of
 * {@code cn=schema}), asks {@link #missing(Collection)} for the rest and adds only those. An
 * existing definition is never replaced, so a changed definition needs a new OID. This class
 * only builds values; the LDAP calls belong to the directory module.
 */
public final class ApacheDsSchemaRenderer {

    /** DN of the ApacheDS subschema subentry. */
    public static final String SUBSCHEMA_DN = "cn=schema";

    /**
     * One {@code add} modification of {@code cn=schema}.
     *
     * @param attribute {@code attributeTypes} or {@code objectClasses}
     * @param values    RFC 4512 definitions to add, in order
     */
    public record SchemaModification(String attribute, List<String> values) {
        public SchemaModification {
            Objects.requireNonNull(attribute, "attribute");
            values = List.copyOf(values);
        }
    }

    private final EgovSchema schema;

    public ApacheDsSchemaRenderer(EgovSchema schema) {
        this.schema = Objects.requireNonNull(schema, "schema");
    }

    /** Definitions whose OIDs are not in {@code existingOids}, in schema source order. */
    public List<SchemaElement> missing(Collection<String> existingOids) {
        Set<String> existing = new HashSet<>();
        for (String oid : existingOids) {
            existing.add(oid.strip());
        }
        return schema.elements().stream().filter(e -> !existing.contains(e.oid())).toList();
    }

    /** The modifications adding the whole schema. */
    public List<SchemaModification> modifications() {
        return modifications(schema.elements());
    }

    /**
     * The modifications adding {@code elements}: one for {@code attributeTypes}, then one for
     * {@code objectClasses}, each left out when it would be empty; empty list for no elements.
     */
    public List<SchemaModification> modifications(Collection<SchemaElement> elements) {
        List<SchemaModification> modifications = new ArrayList<>();
        for (SchemaElement.Kind kind : SchemaElement.Kind.values()) {
            List<String> values = elements.stream().filter(e -> e.kind() == kind).map(SchemaElement::definition).toList();
            if (!values.isEmpty()) {
                modifications.add(new SchemaModification(kind.subschemaAttribute(), values));
            }
        }
        return List.copyOf(modifications);
    }

    /** LDIF change record adding the whole schema to {@value #SUBSCHEMA_DN}. */
    public String renderLdif() {
        return renderLdif(schema.elements());
    }

    /**
     * LDIF change record ({@code changetype: modify} of {@value #SUBSCHEMA_DN}) adding
     * {@code elements}; the empty string when there is nothing to add.
     */
    public String renderLdif(Collection<SchemaElement> elements) {
        List<SchemaModification> modifications = modifications(elements);
        if (modifications.isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        Ldif.appendAttribute(out, "dn", SUBSCHEMA_DN);
        Ldif.appendLine(out, "changetype: modify");
        for (SchemaModification modification : modifications) {
            Ldif.appendLine(out, "add: " + modification.attribute());
            for (String value : modification.values()) {
                Ldif.appendAttribute(out, modification.attribute(), value);
            }
            Ldif.appendLine(out, "-");
        }
        return out.toString();
    }
}
