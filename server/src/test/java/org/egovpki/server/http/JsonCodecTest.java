package org.egovpki.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.egovpki.core.DomainException;
import org.egovpki.core.enroll.Submission;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The strict JSON input rules every resource shares: each refusal is a BAD_REQUEST naming the field. */
class JsonCodecTest {

    private final JsonCodec codec = new JsonCodec(new ObjectMapper());

    @Test
    void anEmptyBodyIsAnEmptyObject() {
        assertThat(codec.readObject(new byte[0]).isObject()).isTrue();
        assertThat(codec.readObject(new byte[0]).size()).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "{\"reason\": \"a\", \"reason\": \"b\"} | the request body is not valid JSON: Duplicate field 'reason'",
            "[1, 2]                                | the request body must be a JSON object",
            "\"text\"                              | the request body must be a JSON object",
            "{\"reason\":                          | the request body is not valid JSON",
            "{\"reason\": \"a\"}garbage               | the request body has trailing content after the JSON object",
            "{\"reason\": \"a\"} {\"reason\": \"b\"}     | the request body has trailing content after the JSON object",
            "{\"reason\": \"a\"}]                     | the request body has trailing content after the JSON object",
    })
    void aBodyThatIsNotOneJsonObjectWithDistinctKeysIsRefused(String body, String message) {
        assertThatThrownBy(() -> codec.readObject(body.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(DomainException.class, e -> {
                    assertThat(e.kind()).isEqualTo(DomainException.Kind.BAD_REQUEST);
                    assertThat(e.field()).isNull();
                    assertThat(e.getMessage()).startsWith(message);
                });
    }

    @Test
    void whitespaceAfterTheObjectIsNotContent() {
        byte[] body = "{\"reason\": \"a\"} \r\n\t".getBytes(StandardCharsets.UTF_8);

        assertThat(codec.readObject(body).path("reason").asText()).isEqualTo("a");
    }

    @Test
    void aNumberIsNeverTakenAsTextAndTheFieldIsNamedWithItsPrefix() {
        JsonNode registration = json("{\"idNumber\": 11010519491231002}");

        assertThatThrownBy(() -> JsonCodec.text(registration, "idNumber", "registration."))
                .isInstanceOfSatisfying(DomainException.class, e -> {
                    assertThat(e.field()).isEqualTo("registration.idNumber");
                    assertThat(e.getMessage()).isEqualTo("registration.idNumber must be a string, not a number")
                            .doesNotContain("11010519491231002");
                });
    }

    @Test
    void blankTextIsAbsentAndTextIsStripped() {
        JsonNode node = json("{\"a\": \"  \", \"b\": null, \"c\": \" x \"}");

        assertThat(JsonCodec.text(node, "a")).isNull();
        assertThat(JsonCodec.text(node, "b")).isNull();
        assertThat(JsonCodec.text(node, "missing")).isNull();
        assertThat(JsonCodec.text(node, "c")).isEqualTo("x");
    }

    @Test
    void anUnknownFieldIsRefusedByNameListingWhatIsAllowed() {
        assertThatThrownBy(() -> JsonCodec.rejectUnknown(json("{\"reason\": \"x\", \"extra\": 1}"),
                Set.of("reason", "requester"), "registration."))
                .isInstanceOfSatisfying(DomainException.class, e -> {
                    assertThat(e.field()).isEqualTo("registration.extra");
                    assertThat(e.getMessage()).isEqualTo("unknown field 'registration.extra'; allowed: "
                            + "[reason, requester]");
                });
    }

    @Test
    void booleansAndStringListsAreTyped() {
        JsonNode node = json("{\"yes\": true, \"no\": \"true\", \"hosts\": [\"a\", 1]}");

        assertThat(JsonCodec.bool(node, "yes")).isTrue();
        assertThat(JsonCodec.bool(node, "missing")).isFalse();
        assertThatThrownBy(() -> JsonCodec.bool(node, "no")).hasMessage("no must be true or false, not a string");
        assertThatThrownBy(() -> JsonCodec.strings(node, "hosts", "registration."))
                .isInstanceOfSatisfying(DomainException.class,
                        e -> assertThat(e.field()).isEqualTo("registration.hosts"))
                .hasMessage("hosts must be a list of strings");
    }

    @Test
    void aSerialIsNormalisedToLowerCaseHexWithoutLeadingZerosAndAnythingElseIsRefused() {
        assertThat(JsonCodec.serialHex("00AbC")).isEqualTo("abc");
        assertThat(JsonCodec.serialHex(null)).isNull();
        assertThatThrownBy(() -> JsonCodec.serialHex("12g")).hasMessage("serial must be 1-40 hexadecimal digits, "
                + "was '12g'");
    }

    @Test
    void anApplicationIsReadWithItsRegistrationAndItsErrorsNameTheNestedField() {
        Submission submission = Submissions.parse(json("{\"profile\": \"personal\", \"csr\": \"AAEC\", "
                + "\"registration\": {\"realName\": \"Zhang San\", \"idType\": \"resident_id\", "
                + "\"hostNames\": [\" a.example \"]}, \"agreementAccepted\": true}"));

        assertThat(submission.profile()).isEqualTo("personal");
        assertThat(submission.csr()).containsExactly(0, 1, 2);
        assertThat(submission.registration().idType()).isEqualTo("RESIDENT_ID");
        assertThat(submission.registration().hostNames()).containsExactly("a.example");
        assertThat(submission.agreementAccepted()).isTrue();
        assertThatThrownBy(() -> Submissions.parse(json("{\"registration\": {\"ssn\": \"1\"}}")))
                .isInstanceOfSatisfying(DomainException.class,
                        e -> assertThat(e.field()).isEqualTo("registration.ssn"));
        assertThatThrownBy(() -> Submissions.parse(json("{\"csr\": \"not base64!\"}")))
                .hasMessage("csr must be PEM or base64-encoded DER");
    }

    private JsonNode json(String text) {
        return codec.readObject(text.getBytes(StandardCharsets.UTF_8));
    }
}
