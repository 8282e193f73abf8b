package org.egovpki.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The route table: which calls reach which operation, and that a malformed path parameter reaches none. */
class ApiRoutesTest {

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource({
            "POST, /requests,                              /requests,",
            "POST, /requests/batch,                        /requests/batch,",
            "GET,  /requests/batch,                        /requests/{id},                    batch",
            "POST, /requests/r-2026.01_x/approve,          /requests/{id}/approve,            r-2026.01_x",
            "GET,  /requests/r-1/key-delivery,             /requests/{id}/key-delivery,       r-1",
            "GET,  /certificates/0aF3,                     /certificates/{serial},            0aF3",
            "GET,  /certificates/0aF3.p7b,                 /certificates/{serial},            0aF3.p7b",
            "POST, /certificates/0aF3/rekey,               /certificates/{serial}/rekey,      0aF3",
            "POST, /km/recoveries/kr-00ff/download,        /km/recoveries/{id}/download,      kr-00ff",
            "GET,  /km/recoveries/kr-00ff/judicial-file,   /km/recoveries/{id}/judicial-file, kr-00ff",
            "POST, /crls/sm2-issuing,                      /crls/{ca},                        sm2-issuing",
    })
    void aCallMatchesItsOperationWithThePathParameter(String method, String path, String template, String param) {
        ApiRoutes.Match match = ApiRoutes.API.match(method, path).orElseThrow();

        assertThat(match.route().operation()).isEqualTo(new ApiRoutes.Operation(method, template));
        assertThat(match.params().values()).containsExactlyElementsOf(param == null ? Set.of() : Set.of(param));
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
            "GET,  /requests/r-1/approve",            // wrong method
            "get,  /requests",                        // methods are case-sensitive
            "HEAD, /requests",
            "GET,  /requests/",                       // empty id
            "GET,  /requests/a-b c",                  // character outside the id pattern
            "GET,  /requests/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", // 65 characters
            "POST, /requests/r-1/approve/",
            "GET,  /certificates/xyz",                // not hex
            "GET,  /certificates/00000000000000000000000000000000000000001", // 41 digits
            "GET,  /certificates/0a.crt",             // not a certificate file format
            "POST, /certificates/0a.der/revoke",
            "GET,  /km/recoveries/KR-00FF",           // recovery ids are lower-case kr-<hex>
            "GET,  /km/recoveries/kr-xyz",
            "POST, /revocations/other",
            "GET,  /operators/me",                    // the caller's own: only /operators/me/password
            "POST, /operators/me/password-reset",
            "GET,  ''",
    })
    void aPathWithAMalformedParameterOrUnknownShapeMatchesNothing(String method, String path) {
        assertThat(ApiRoutes.API.match(method, path)).isEmpty();
    }

    @Test
    void onlyTheDocumentAndTheProofCarryingCallsAreOpen() {
        assertThat(ApiRoutes.API.operations().stream()
                .filter(o -> ApiRoutes.API.match(o.method(), example(o.template())).orElseThrow().route().open())
                .map(o -> o.method() + " " + o.template()))
                .containsExactlyInAnyOrder("GET /openapi.yaml", "POST /revocations/self-service",
                        "POST /revocations/signed", "POST /km/recoveries/{id}/download", "POST /login");
    }

    @Test
    void thePasswordAloneReachesOnlyTheLoginChallengeAndTheOwnPasswordChange() {
        assertThat(ApiRoutes.API.operations().stream()
                .filter(o -> ApiRoutes.API.match(o.method(), example(o.template())).orElseThrow().route()
                        .passwordFactor())
                .map(o -> o.method() + " " + o.template()))
                .containsExactlyInAnyOrder("POST /login/challenge", "POST /operators/me/password");
    }

    @Test
    void anOperatorWhosePasswordMustChangeReachesOnlyItsOwnPasswordChange() {
        assertThat(ApiRoutes.API.operations().stream()
                .filter(o -> ApiRoutes.API.match(o.method(), example(o.template())).orElseThrow().route()
                        .passwordChange())
                .map(o -> o.method() + " " + o.template()))
                .containsExactly("POST /operators/me/password");
        assertThat(ApiRoutes.API.match("POST", "/operators/me/password").orElseThrow().route().passwordChange())
                .isTrue();
        assertThat(ApiRoutes.API.match("POST", "/operators/clerk1/password-reset").orElseThrow().route()
                .passwordChange()).isFalse();
    }

    @Test
    void aTemplateWhoseParameterHasNoPatternIsRefusedWhenTheTableIsBuilt() {
        assertThatThrownBy(() -> new ApiRoutes().operator("GET", "/things/{thing}", (r, c) -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("{thing}");
        assertThatThrownBy(() -> new ApiRoutes().operator("GET", "/things/{thing}", ApiRoutes.CA, (r, c) -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("{thing}");
        assertThatThrownBy(() -> new ApiRoutes().operator("GET", "/things", ApiRoutes.CA, (r, c) -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("{ca}");
    }

    /** A path the template matches: each parameter replaced by a value its pattern accepts. */
    private static String example(String template) {
        return template.replace("/km/recoveries/{id}", "/km/recoveries/kr-1").replace("{id}", "r-1")
                .replace("{serial}", "0a").replace("{ca}", "sm2-issuing").replace("{uid}", "clerk1");
    }
}
