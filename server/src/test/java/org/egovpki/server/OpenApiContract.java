package org.egovpki.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The operator API's OpenAPI document ({@code openapi.yaml}) as swagger-parser reads it, and the
 * contract checks built on it: what the parser reports, the rules every operation must follow, and
 * whether a JSON answer fits a documented schema. Shared by {@code OpenApiDocumentTest} (the
 * shipped file, at build time) and {@code OpenApiContractIT} (the document the running server
 * serves, against its answers).
 *
 * <p>JSON answers are checked strictly: an object with documented properties may carry no other
 * property, so a field added to a view without its documentation fails the contract test.
 */
final class OpenApiContract {

    /** Where the server's jar has the document (the resource {@code ApiHandler} serves). */
    static final String RESOURCE = "/org/egovpki/server/http/openapi.yaml";
    private static final Pattern TEMPLATE_PARAMETER = Pattern.compile("\\{([^}/]+)}");

    /** One operation of the document: its method, path template and the parsed (fully resolved) operation. */
    record Endpoint(String method, String path, Operation operation) {

        String id() {
            return operation.getOperationId();
        }

        @Override
        public String toString() {
            return method + " " + path + (id() == null ? "" : " (" + id() + ")");
        }
    }

    private final String source;
    private final SwaggerParseResult structural;
    private final OpenAPI resolved;

    private OpenApiContract(String source, SwaggerParseResult structural, OpenAPI resolved) {
        this.source = source;
        this.structural = structural;
        this.resolved = resolved;
    }

    /** The document shipped in the server's resources. */
    static OpenApiContract shipped() {
        try (InputStream in = OpenApiContract.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the test class path");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses {@code yaml} twice: as written (for the parser's messages) and with every $ref inlined. */
    static OpenApiContract parse(String yaml) {
        ParseOptions checked = new ParseOptions();
        checked.setResolve(true);
        SwaggerParseResult structural = new OpenAPIV3Parser().readContents(yaml, null, checked);
        ParseOptions full = new ParseOptions();
        full.setResolve(true);
        full.setResolveFully(true);
        SwaggerParseResult resolved = new OpenAPIV3Parser().readContents(yaml, null, full);
        return new OpenApiContract(yaml, structural, resolved.getOpenAPI());
    }

    String source() {
        return source;
    }

    /**
     * Everything wrong with the document: every message swagger-parser reports (unexpected or
     * missing attributes, wrong types, unresolvable references: each means the structure is not
     * what the author meant), then the rules of this API: every operation has a unique
     * operationId, at least one response, and declares each parameter of its path template as a
     * required path parameter (and no path parameter that is not in the template).
     */
    List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (structural.getMessages() != null) {
            structural.getMessages().forEach(m -> problems.add("parser: " + m));
        }
        if (structural.getOpenAPI() == null || resolved == null) {
            problems.add("parser: no OpenAPI document could be read at all");
            return problems;
        }
        Set<String> ids = new TreeSet<>();
        for (Endpoint e : endpoints()) {
            Operation op = e.operation();
            if (op.getOperationId() == null || op.getOperationId().isBlank()) {
                problems.add(e + ": no operationId");
            } else if (!ids.add(op.getOperationId())) {
                problems.add(e + ": operationId '" + op.getOperationId() + "' is used twice");
            }
            if (op.getResponses() == null || op.getResponses().isEmpty()) {
                problems.add(e + ": no responses");
            } else if (needsLogin(e) && !op.getResponses().containsKey("401")) {
                problems.add(e + ": needs a login but does not list 401");
            }
            Set<String> inTemplate = new LinkedHashSet<>();
            Matcher m = TEMPLATE_PARAMETER.matcher(e.path());
            while (m.find()) {
                inTemplate.add(m.group(1));
            }
            Set<String> declared = new LinkedHashSet<>();
            for (Parameter p : parameters(e)) {
                if ("path".equals(p.getIn())) {
                    declared.add(p.getName());
                    if (!Boolean.TRUE.equals(p.getRequired())) {
                        problems.add(e + ": path parameter '" + p.getName() + "' must be required: true");
                    }
                }
            }
            for (String name : inTemplate) {
                if (!declared.contains(name)) {
                    problems.add(e + ": path parameter {" + name + "} is not declared");
                }
            }
            for (String name : declared) {
                if (!inTemplate.contains(name)) {
                    problems.add(e + ": path parameter '" + name + "' is not in the path");
                }
            }
        }
        return problems;
    }

    /** Every operation, in document order. */
    List<Endpoint> endpoints() {
        List<Endpoint> endpoints = new ArrayList<>();
        OpenAPI api = resolved;
        if (api == null || api.getPaths() == null) {
            return endpoints;
        }
        for (Map.Entry<String, PathItem> path : api.getPaths().entrySet()) {
            for (Map.Entry<PathItem.HttpMethod, Operation> op : path.getValue().readOperationsMap().entrySet()) {
                endpoints.add(new Endpoint(op.getKey().name(), path.getKey(), op.getValue()));
            }
        }
        return endpoints;
    }

    /** Whether the operation needs a login: its own security, or the document's when it has none. */
    boolean needsLogin(Endpoint e) {
        List<SecurityRequirement> security = e.operation().getSecurity() != null ? e.operation().getSecurity()
                : resolved.getSecurity();
        return security != null && !security.isEmpty();
    }

    /** The base path of every operation (the first server URL, e.g. {@code /api/v1}). */
    String basePath() {
        return resolved.getServers() == null || resolved.getServers().isEmpty() ? ""
                : resolved.getServers().get(0).getUrl();
    }

    /** The path-item and operation parameters of an operation. */
    private List<Parameter> parameters(Endpoint e) {
        List<Parameter> all = new ArrayList<>();
        PathItem item = resolved.getPaths().get(e.path());
        if (item.getParameters() != null) {
            all.addAll(item.getParameters());
        }
        if (e.operation().getParameters() != null) {
            all.addAll(e.operation().getParameters());
        }
        return all;
    }

    /** The documented response for {@code status}, or {@code null} when the operation does not list it. */
    static ApiResponse response(Endpoint e, int status) {
        ApiResponse exact = e.operation().getResponses().get(Integer.toString(status));
        if (exact != null) {
            return exact;
        }
        ApiResponse range = e.operation().getResponses().get(status / 100 + "XX");
        return range != null ? range : e.operation().getResponses().get("default");
    }

    /**
     * The documented media type matching a {@code Content-Type} header (parameters such as charset
     * ignored), or {@code null}.
     */
    static MediaType mediaType(ApiResponse response, String contentType) {
        Content content = response.getContent();
        if (content == null || contentType == null) {
            return null;
        }
        String bare = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        return content.get(bare);
    }

    /**
     * What is wrong with {@code value} against {@code schema}, each as {@code <json path>: <what>};
     * empty when it fits. Checks type, nullable, enum, date-time format, pattern, required
     * properties, undocumented properties, array items and allOf.
     */
    static List<String> validate(JsonNode value, Schema<?> schema) {
        List<String> errors = new ArrayList<>();
        validate(value, schema, "$", errors);
        return errors;
    }

    private static void validate(JsonNode value, Schema<?> schema, String at, List<String> errors) {
        if (schema == null) {
            return;
        }
        if (value == null || value.isNull()) {
            if (!Boolean.TRUE.equals(schema.getNullable()) && !isNullableByComposition(schema)) {
                errors.add(at + ": null, but the schema is not nullable");
            }
            return;
        }
        if (schema.getAllOf() != null) {
            for (Schema<?> part : schema.getAllOf()) {
                validate(value, part, at, errors);
            }
        }
        String type = schema.getType();
        if (type == null && schema.getProperties() != null) {
            type = "object";
        }
        if (type != null && !hasType(value, type)) {
            errors.add(at + ": " + kind(value) + ", documented as " + type);
            return;
        }
        if (schema.getEnum() != null && !schema.getEnum().isEmpty() && value.isValueNode()) {
            Set<String> allowed = new LinkedHashSet<>();
            schema.getEnum().forEach(v -> allowed.add(String.valueOf(v)));
            if (!allowed.contains(value.asText())) {
                errors.add(at + ": '" + value.asText() + "' is not one of " + allowed);
            }
        }
        if (value.isTextual()) {
            if ("date-time".equals(schema.getFormat())) {
                try {
                    OffsetDateTime.parse(value.asText());
                } catch (DateTimeParseException e) {
                    errors.add(at + ": '" + value.asText() + "' is not an RFC 3339 date-time");
                }
            }
            if (schema.getPattern() != null && !Pattern.compile(schema.getPattern()).matcher(value.asText()).find()) {
                errors.add(at + ": '" + value.asText() + "' does not match " + schema.getPattern());
            }
        }
        if (value.isArray()) {
            Schema<?> items = schema instanceof ArraySchema array ? array.getItems() : schema.getItems();
            for (int i = 0; i < value.size(); i++) {
                validate(value.get(i), items, at + "[" + i + "]", errors);
            }
        }
        if (value.isObject()) {
            Map<String, Schema> properties = properties(schema);
            if (schema.getRequired() != null) {
                for (String name : schema.getRequired()) {
                    if (!value.has(name)) {
                        errors.add(at + ": required property '" + name + "' is missing");
                    }
                }
            }
            boolean open = properties.isEmpty() || schema.getAdditionalProperties() instanceof Schema
                    || Boolean.TRUE.equals(schema.getAdditionalProperties());
            for (Iterator<Map.Entry<String, JsonNode>> fields = value.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                Schema<?> property = properties.get(field.getKey());
                if (property != null) {
                    validate(field.getValue(), property, at + "." + field.getKey(), errors);
                } else if (schema.getAdditionalProperties() instanceof Schema<?> extra) {
                    validate(field.getValue(), extra, at + "." + field.getKey(), errors);
                } else if (!open) {
                    errors.add(at + ": property '" + field.getKey() + "' is not documented");
                }
            }
        }
    }

    /** The properties of a schema and of its allOf parts (a property is documented if any part has it). */
    @SuppressWarnings("rawtypes")
    private static Map<String, Schema> properties(Schema<?> schema) {
        Map<String, Schema> all = new LinkedHashMap<>();
        if (schema.getAllOf() != null) {
            for (Schema<?> part : schema.getAllOf()) {
                all.putAll(properties(part));
            }
        }
        if (schema.getProperties() != null) {
            all.putAll(schema.getProperties());
        }
        return all;
    }

    private static boolean isNullableByComposition(Schema<?> schema) {
        return schema.getAllOf() != null && schema.getAllOf().stream().anyMatch(s -> Boolean.TRUE.equals(s.getNullable()));
    }

    private static boolean hasType(JsonNode value, String type) {
        return switch (type) {
            case "object" -> value.isObject();
            case "array" -> value.isArray();
            case "string" -> value.isTextual();
            case "integer" -> value.isIntegralNumber();
            case "number" -> value.isNumber();
            case "boolean" -> value.isBoolean();
            default -> false;
        };
    }

    private static String kind(JsonNode value) {
        return value.getNodeType().name().toLowerCase(Locale.ROOT);
    }
}
