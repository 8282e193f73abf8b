package org.egovpki.schema;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.schema.Schema;

/** Test helper: the egov-pki schema as an UnboundID {@link Schema}, alone and with the standard schema. */
final class UnboundIdSchemas {

    private UnboundIdSchemas() {
    }

    /** Only our definitions. */
    static Schema egov(EgovSchema schema) {
        return new Schema(new Entry("cn=schema",
                new Attribute("objectClass", "top", "ldapSubentry", "subschema"),
                new Attribute("attributeTypes",
                        schema.attributeTypes().stream().map(SchemaElement::definition).toList()),
                new Attribute("objectClasses",
                        schema.objectClasses().stream().map(SchemaElement::definition).toList())));
    }

    /** UnboundID's standard schema (RFC 4519, 4523, 4524, 2079, ...) plus ours. */
    static Schema standardPlusEgov(EgovSchema schema) {
        try {
            return Schema.mergeSchemas(Schema.getDefaultStandardSchema(), egov(schema));
        } catch (LDAPException e) {
            throw new IllegalStateException("cannot load UnboundID's standard schema", e);
        }
    }

    /** UnboundID's standard schema. */
    static Schema standard() {
        try {
            return Schema.getDefaultStandardSchema();
        } catch (LDAPException e) {
            throw new IllegalStateException("cannot load UnboundID's standard schema", e);
        }
    }
}
