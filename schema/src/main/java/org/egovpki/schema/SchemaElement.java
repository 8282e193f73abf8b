package org.egovpki.schema;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One attribute type or object class of the egov-pki schema, as read from the schema source.
 *
 * <p>{@code definition} is the RFC 4512 value exactly as a server receives it (one line, single
 * spaces); {@code fields} holds the parsed keywords in definition order, each with its values
 * (names without quotes, {@code $} separators dropped, flags such as {@code SINGLE-VALUE} with
 * no values). The record is immutable.
 *
 * @param kind       attribute type or object class
 * @param oid        numeric OID
 * @param names      the NAME values, first one is the primary name; never empty
 * @param fields     keyword to values, in definition order (keywords upper case)
 * @param definition the one-line RFC 4512 definition
 */
public record SchemaElement(Kind kind, String oid, List<String> names, Map<String, List<String>> fields,
                            String definition) {

    /** What a definition defines; carries the attribute names each server's schema uses for it. */
    public enum Kind {
        ATTRIBUTE_TYPE("attributeTypes", "olcAttributeTypes"),
        OBJECT_CLASS("objectClasses", "olcObjectClasses");

        private final String subschemaAttribute;
        private final String olcAttribute;

        Kind(String subschemaAttribute, String olcAttribute) {
            this.subschemaAttribute = subschemaAttribute;
            this.olcAttribute = olcAttribute;
        }

        /** The RFC 4512 subschema attribute holding this kind ({@code attributeTypes}, {@code objectClasses}). */
        public String subschemaAttribute() {
            return subschemaAttribute;
        }

        /** The OpenLDAP {@code olcSchemaConfig} attribute holding this kind. */
        public String olcAttribute() {
            return olcAttribute;
        }
    }

    /** Object class kinds of RFC 4512 section 4.1.1. */
    public enum ClassKind { ABSTRACT, STRUCTURAL, AUXILIARY }

    public SchemaElement {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(oid, "oid");
        Objects.requireNonNull(definition, "definition");
        names = List.copyOf(names);
        if (names.isEmpty()) {
            throw new IllegalArgumentException("schema element " + oid + " has no NAME");
        }
        Map<String, List<String>> copy = new LinkedHashMap<>();
        fields.forEach((key, values) -> copy.put(key, List.copyOf(values)));
        fields = Collections.unmodifiableMap(copy);
    }

    /** The primary (first) name. */
    public String name() {
        return names.get(0);
    }

    /** True if {@code candidate} is one of this element's names, ignoring case as LDAP does. */
    public boolean hasName(String candidate) {
        return names.stream().anyMatch(n -> n.equalsIgnoreCase(candidate));
    }

    /** The DESC value, or empty. */
    public Optional<String> description() {
        return single("DESC");
    }

    /** SUP: superior attribute type or superior object classes. */
    public List<String> superiors() {
        return values("SUP");
    }

    /** MUST attributes of an object class (empty for attribute types). */
    public List<String> must() {
        return values("MUST");
    }

    /** MAY attributes of an object class (empty for attribute types). */
    public List<String> may() {
        return values("MAY");
    }

    /** SYNTAX OID of an attribute type without a length bound, or empty. */
    public Optional<String> syntax() {
        return single("SYNTAX").map(s -> s.contains("{") ? s.substring(0, s.indexOf('{')) : s);
    }

    /** EQUALITY matching rule, or empty. */
    public Optional<String> equality() {
        return single("EQUALITY");
    }

    /** ORDERING matching rule, or empty. */
    public Optional<String> ordering() {
        return single("ORDERING");
    }

    /** SUBSTR matching rule, or empty. */
    public Optional<String> substring() {
        return single("SUBSTR");
    }

    /** True for an attribute type marked SINGLE-VALUE. */
    public boolean singleValue() {
        return fields.containsKey("SINGLE-VALUE");
    }

    /** The object class kind; STRUCTURAL when not stated (RFC 4512). Empty for attribute types. */
    public Optional<ClassKind> classKind() {
        if (kind != Kind.OBJECT_CLASS) {
            return Optional.empty();
        }
        for (ClassKind candidate : ClassKind.values()) {
            if (fields.containsKey(candidate.name())) {
                return Optional.of(candidate);
            }
        }
        return Optional.of(ClassKind.STRUCTURAL);
    }

    /** Values of a keyword (upper case, e.g. {@code "MAY"}), empty if absent. */
    public List<String> values(String keyword) {
        return fields.getOrDefault(keyword.toUpperCase(Locale.ROOT), List.of());
    }

    private Optional<String> single(String keyword) {
        List<String> values = values(keyword);
        return values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }
}
