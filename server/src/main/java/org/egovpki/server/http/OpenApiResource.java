package org.egovpki.server.http;

import java.io.IOException;
import java.io.InputStream;

/** {@code GET /openapi.yaml}: the API's own description, served as shipped in the jar; needs no login. */
final class OpenApiResource {

    private final byte[] document;

    OpenApiResource() {
        try (InputStream in = OpenApiResource.class.getResourceAsStream("openapi.yaml")) {
            this.document = in.readAllBytes();
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("openapi.yaml is missing from the jar", e);
        }
    }

    void document(ApiCall call) {
        call.bytes(200, "application/yaml", document);
    }
}
