package org.egovpki.schema;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The egov-pki LDAP schema, read from its single source, the classpath resource
 * {@value #RESOURCE}.
 *
 * <p>Invariants, checked when the text is parsed so that a broken source fails at start-up and
 * in the build rather than half-way through an install: every definition has a NAME; attribute
 * types come before object classes (ApacheDS needs an attribute defined before a class names
 * it); attribute type OIDs are under {@value #ATTRIBUTE_TYPE_ARC}, object class OIDs under
 * {@value #OBJECT_CLASS_ARC}; OIDs and names (ignoring case) are unique. Instances are
 * immutable; {@link #load()} parses the resource once.
 */
public final class EgovSchema {

    /** Our OID arc (X.667 UUID arc). */
    public static final String OID_ARC = "2.25.181821722204100531762351466650690192293";
    /** Arc of our attribute types: {@code OID_ARC.1.N}. */
    public static final String ATTRIBUTE_TYPE_ARC = OID_ARC + ".1";
    /** Arc of our object classes: {@code OID_ARC.2.N}. */
    public static final String OBJECT_CLASS_ARC = OID_ARC + ".2";
    /** Classpath location of the schema source. */
    public static final String RESOURCE = "/org/egovpki/schema/egov-pki.schema";

    private final List<SchemaElement> elements;
    private final List<SchemaElement> attributeTypes;
    private final List<SchemaElement> objectClasses;

    private EgovSchema(List<SchemaElement> elements) {
        this.elements = List.copyOf(elements);
        this.attributeTypes = this.elements.stream()
                .filter(e -> e.kind() == SchemaElement.Kind.ATTRIBUTE_TYPE).toList();
        this.objectClasses = this.elements.stream()
                .filter(e -> e.kind() == SchemaElement.Kind.OBJECT_CLASS).toList();
    }

    /** The schema from {@value #RESOURCE}, parsed on first use. */
    public static EgovSchema load() {
        return Resource.SCHEMA;
    }

    /**
     * Parses schema source text: definitions separated by blank lines, a definition may span
     * lines, lines whose first non-blank character is {@code #} are comments.
     *
     * @throws IllegalArgumentException naming the line of the first bad definition
     */
    public static EgovSchema parse(String text) {
        Objects.requireNonNull(text, "text");
        List<SchemaElement> elements = new ArrayList<>();
        StringBuilder block = new StringBuilder();
        int blockStart = 0;
        String[] lines = text.split("\\R", -1);
        for (int lineNo = 1; lineNo <= lines.length + 1; lineNo++) {
            String line = lineNo <= lines.length ? lines[lineNo - 1] : "";
            String trimmed = line.strip();
            if (trimmed.startsWith("#")) {
                continue;
            }
            if (trimmed.isEmpty()) {
                if (block.length() > 0) {
                    elements.add(parseBlock(block.toString(), blockStart, elements));
                    block.setLength(0);
                }
                continue;
            }
            if (block.length() == 0) {
                blockStart = lineNo;
            } else {
                block.append(' ');
            }
            block.append(trimmed);
        }
        return new EgovSchema(elements);
    }

    /**
     * The numeric OID a definition starts with, e.g. for the values of {@code attributeTypes}
     * read from a server's subschema entry.
     *
     * @throws IllegalArgumentException if the text does not start with {@code (} and a numeric OID
     */
    public static String oidOf(String definition) {
        return SchemaDefinitionParser.oidOf(Objects.requireNonNull(definition, "definition"));
    }

    /** All definitions in source order: attribute types, then object classes. */
    public List<SchemaElement> elements() {
        return elements;
    }

    /** Attribute types in source order. */
    public List<SchemaElement> attributeTypes() {
        return attributeTypes;
    }

    /** Object classes in source order. */
    public List<SchemaElement> objectClasses() {
        return objectClasses;
    }

    /** Primary names of the attribute types, in source order. */
    public List<String> attributeNames() {
        return attributeTypes.stream().map(SchemaElement::name).toList();
    }

    /** Primary names of the object classes, in source order. */
    public List<String> objectClassNames() {
        return objectClasses.stream().map(SchemaElement::name).toList();
    }

    /** The OIDs of all definitions, in source order. */
    public Set<String> oids() {
        Set<String> oids = new LinkedHashSet<>();
        elements.forEach(e -> oids.add(e.oid()));
        return Collections.unmodifiableSet(oids);
    }

    /** The definition with this name (ignoring case) or OID. */
    public Optional<SchemaElement> find(String nameOrOid) {
        return elements.stream().filter(e -> e.oid().equals(nameOrOid) || e.hasName(nameOrOid)).findFirst();
    }

    /** The attribute type with this name (ignoring case) or OID. */
    public Optional<SchemaElement> attributeType(String nameOrOid) {
        return find(nameOrOid).filter(e -> e.kind() == SchemaElement.Kind.ATTRIBUTE_TYPE);
    }

    /** The object class with this name (ignoring case) or OID. */
    public Optional<SchemaElement> objectClass(String nameOrOid) {
        return find(nameOrOid).filter(e -> e.kind() == SchemaElement.Kind.OBJECT_CLASS);
    }

    private static SchemaElement parseBlock(String block, int line, List<SchemaElement> before) {
        SchemaElement element;
        try {
            element = SchemaDefinitionParser.parse(block);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("schema definition at line " + line + ": " + e.getMessage(), e);
        }
        String expectedArc = element.kind() == SchemaElement.Kind.ATTRIBUTE_TYPE ? ATTRIBUTE_TYPE_ARC : OBJECT_CLASS_ARC;
        String arcRest = element.oid().startsWith(expectedArc + ".") ? element.oid().substring(expectedArc.length() + 1) : "";
        if (arcRest.isEmpty() || arcRest.contains(".")) {
            throw new IllegalArgumentException("schema definition at line " + line + " (" + element.name() + "): "
                    + (element.kind() == SchemaElement.Kind.ATTRIBUTE_TYPE ? "an attribute type" : "an object class")
                    + " OID must be " + expectedArc + ".N, not " + element.oid());
        }
        if (element.kind() == SchemaElement.Kind.ATTRIBUTE_TYPE
                && before.stream().anyMatch(e -> e.kind() == SchemaElement.Kind.OBJECT_CLASS)) {
            throw new IllegalArgumentException("schema definition at line " + line + " (" + element.name()
                    + "): attribute types must come before all object classes");
        }
        Set<String> taken = new HashSet<>();
        for (SchemaElement previous : before) {
            taken.add(previous.oid());
            previous.names().forEach(n -> taken.add(n.toLowerCase(Locale.ROOT)));
        }
        if (taken.contains(element.oid())) {
            throw new IllegalArgumentException("schema definition at line " + line + ": OID " + element.oid()
                    + " is already used");
        }
        for (String name : element.names()) {
            if (taken.contains(name.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("schema definition at line " + line + ": name " + name
                        + " is already used");
            }
        }
        return element;
    }

    /** Holder: the resource is read and parsed once, on first use, thread-safely. */
    private static final class Resource {
        static final EgovSchema SCHEMA = parse(read());

        private static String read() {
            try (InputStream in = EgovSchema.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException("schema resource " + RESOURCE + " is missing from the classpath");
                }
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read schema resource " + RESOURCE, e);
            }
        }
    }
}
