package org.egovpki.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.swagger.v3.oas.models.media.Schema;
import java.util.List;
import org.egovpki.server.http.ApiRoutes;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document served at {@code GET /api/v1/openapi.yaml}, read by a real OpenAPI parser
 * (swagger-parser) at build time: a YAML slip that turns half a description into a stray key, a
 * dangling $ref or an operation without an id fails the build here, listing every finding. That
 * every documented operation answers as documented is {@code OpenApiContractIT}'s part.
 */
class OpenApiDocumentTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theRouteTableServesExactlyTheDocumentedOperations() {
        // The server's route table (ApiRoutes) and the document are two lists of the same API:
        // an endpoint added to one and not the other fails here, before any server starts.
        List<ApiRoutes.Operation> documented = OpenApiContract.shipped().endpoints().stream()
                .map(e -> new ApiRoutes.Operation(e.method(), e.path())).toList();

        assertThat(documented).hasSizeGreaterThan(20);
        assertThat(ApiRoutes.API.operations()).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(documented);
    }

    @Test
    void theShippedDocumentIsValidOpenApiAndEveryOperationIsComplete() {
        OpenApiContract document = OpenApiContract.shipped();

        List<String> problems = document.problems();

        assertThat(problems).as("problems in %s:%n  %s", OpenApiContract.RESOURCE, String.join("\n  ", problems))
                .isEmpty();
        assertThat(document.endpoints()).as("operations read from the document").hasSizeGreaterThan(20);
        assertThat(document.basePath()).isEqualTo("/api/v1");
    }

    @Test
    void theCheckFindsAStrayKeyFromAnUnquotedCommaAndAnOperationWithoutIdDeclaredParameterOr401() {
        OpenApiContract broken = OpenApiContract.parse("""
                openapi: 3.0.3
                info: {title: t, version: "1"}
                security: [{basic: []}]
                components: {securitySchemes: {basic: {type: http, scheme: basic}}}
                paths:
                  /things/{id}:
                    get:
                      responses:
                        "200": {description: One thing, or none, content: {application/json: {}}}
                """);

        assertThat(broken.problems())
                .anyMatch(p -> p.startsWith("parser: ") && p.contains("or none"))
                .contains("GET /things/{id}: no operationId", "GET /things/{id}: path parameter {id} is not declared",
                        "GET /things/{id}: needs a login but does not list 401");
    }

    @Test
    void theSchemaCheckRefusesWrongTypesMissingAndUndocumentedPropertiesAndUnlistedValues() throws Exception {
        Schema<?> request = OpenApiContract.shipped().endpoints().stream()
                .filter(e -> "getRequest".equals(e.id())).findFirst().orElseThrow().operation().getResponses()
                .get("200").getContent().get("application/json").getSchema();
        JsonNode fits = JSON.readTree("""
                {"id": "r-1", "state": "SUBMITTED", "publishOptOut": false, "reviewedBy": null,
                 "submittedAt": "2026-12-01T08:00:00Z", "serials": [], "registration": {"realName": "Zhang San"}}""");
        JsonNode wrong = JSON.readTree("""
                {"id": 7, "state": "LOST", "publishOptOut": false, "submittedAt": "yesterday",
                 "serials": [1], "registration": {"realName": "Zhang San", "shoeSize": "42"}, "secret": "x"}""");

        assertThat(OpenApiContract.validate(fits, request)).isEmpty();
        assertThat(OpenApiContract.validate(wrong, request)).containsExactlyInAnyOrder(
                "$.id: number, documented as string",
                "$.state: 'LOST' is not one of [SUBMITTED, APPROVED, REJECTED, ISSUED, CANCELLED]",
                "$.submittedAt: 'yesterday' is not an RFC 3339 date-time",
                "$.serials[0]: number, documented as string",
                "$.registration: property 'shoeSize' is not documented",
                "$: property 'secret' is not documented");
    }
}
