package org.egovpki.schema;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Renders the egov-pki schema for OpenLDAP's dynamic configuration: an LDIF add of the
 * {@code olcSchemaConfig} entry {@value #DN}, loadable with
 * {@code ldapadd -Y EXTERNAL -H ldapi:/// -f egov-pki-openldap.ldif}.
 *
 * <p>The same text is checked in as {@value #RESOURCE} for operators who prepare an OpenLDAP
 * server before egov-pki runs; a test keeps the file equal to {@link #renderLdif()}. To
 * regenerate it, run this class's {@link #main(String[])}.
 */
public final class OpenLdapSchemaRenderer {

    /** The {@code cn} of the schema entry under {@code cn=schema,cn=config}. */
    public static final String SCHEMA_NAME = "egov-pki";
    /** DN of the schema entry. */
    public static final String DN = "cn=" + SCHEMA_NAME + ",cn=schema,cn=config";
    /** Classpath location of the checked-in rendering. */
    public static final String RESOURCE = "/org/egovpki/schema/egov-pki-openldap.ldif";

    private final EgovSchema schema;

    public OpenLdapSchemaRenderer(EgovSchema schema) {
        this.schema = Objects.requireNonNull(schema, "schema");
    }

    /** The LDIF add record of the {@code olcSchemaConfig} entry, attribute types before object classes. */
    public String renderLdif() {
        StringBuilder out = new StringBuilder();
        // Comment lines are kept under the LDIF line width: not every reader unfolds comments.
        out.append("# egov-pki LDAP schema for OpenLDAP cn=config (olcSchemaConfig).\n")
                .append("# Generated from egov-pki.schema by OpenLdapSchemaRenderer: do not edit.\n")
                .append("# Load on the slapd host as root:\n")
                .append("#   ldapadd -Y EXTERNAL -H ldapi:/// -f egov-pki-openldap.ldif\n");
        Ldif.appendAttribute(out, "dn", DN);
        Ldif.appendAttribute(out, "objectClass", "olcSchemaConfig");
        Ldif.appendAttribute(out, "cn", SCHEMA_NAME);
        for (SchemaElement element : schema.attributeTypes()) {
            Ldif.appendAttribute(out, element.kind().olcAttribute(), element.definition());
        }
        for (SchemaElement element : schema.objectClasses()) {
            Ldif.appendAttribute(out, element.kind().olcAttribute(), element.definition());
        }
        return out.toString();
    }

    /** Prints {@link #renderLdif()} of the built-in schema to standard output. */
    public static void main(String[] args) {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        out.print(new OpenLdapSchemaRenderer(EgovSchema.load()).renderLdif());
        out.flush();
    }
}
