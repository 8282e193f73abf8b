package org.egovpki.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.egovpki.core.DomainException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A 5xx body never carries the exception's message; a 4xx body carries it and the field. */
class HttpResponsesTest {

    private static final String DUMP = "registering subscriber failed: OTHER: failed for MessageType : ADD_REQUEST\n"
            + "Entry\n    dn: cn=registration,egovSubscriberId=p-1\n    egovChallengeHash: {SSHA256}abc\n"
            + "java.lang.IllegalArgumentException: ERR_13247\n\tat org.apache.directory.api.ldap.model.entry.Value";

    @Test
    void anInternalErrorShowsOnlyItsKindAndIncident() {
        DomainException internal = new DomainException(DomainException.Kind.INTERNAL, DUMP, "registration.realName",
                new IllegalStateException(DUMP));

        Map<String, Object> body = HttpResponses.body(internal);

        assertThat(body).containsEntry("code", "INTERNAL").containsEntry("field", null)
                .containsEntry("incident", internal.incident());
        assertThat(body.get("message").toString()).contains(internal.incident()).doesNotContain("egovChallengeHash",
                "dn:", "Exception", "\tat", "ADD_REQUEST");
    }

    @Test
    void anUnavailableErrorIsTreatedTheSame() {
        Map<String, Object> body = HttpResponses.body(DomainException.unavailable(DUMP, null));

        assertThat(body.get("code")).isEqualTo("UNAVAILABLE");
        assertThat(body.get("message").toString()).startsWith("the service is temporarily unavailable")
                .doesNotContain("egovChallengeHash");
    }

    @Test
    void aCallersErrorKeepsItsMessageAndField() {
        Map<String, Object> body = HttpResponses.body(DomainException.badRequest("reason", "reason must be a string"));

        assertThat(body).containsEntry("code", "BAD_REQUEST").containsEntry("message", "reason must be a string")
                .containsEntry("field", "reason").doesNotContainKey("incident");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"BAD_REQUEST, 400", "NOT_FOUND, 404", "CONFLICT, 409", "FORBIDDEN, 403", "RATE_LIMITED, 429",
            "UNAVAILABLE, 503", "INTERNAL, 500"})
    void everyKindOfDomainErrorHasItsStatus(DomainException.Kind kind, int status) {
        assertThat(HttpResponses.status(kind)).isEqualTo(status);
    }

    @Test
    void describeNeverQuotesAnUnexpectedExceptionsMessage() {
        assertThat(DomainException.describe(new IllegalArgumentException(DUMP)))
                .isEqualTo("unexpected IllegalArgumentException; the server log has the details");
    }
}
