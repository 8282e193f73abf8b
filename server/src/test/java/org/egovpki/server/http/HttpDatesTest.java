package org.egovpki.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 9110 §5.6.7: the server writes IMF-fixdates and reads what clients send back. */
class HttpDatesTest {

    @ParameterizedTest(name = "{0} is written {1}")
    @CsvSource(delimiter = '|', value = {
            "2026-12-01T08:00:00Z      | Tue, 01 Dec 2026 08:00:00 GMT",
            "2026-12-01T08:00:00.999Z  | Tue, 01 Dec 2026 08:00:00 GMT",
            "2027-01-09T23:05:09Z      | Sat, 09 Jan 2027 23:05:09 GMT",
            "2026-11-30T00:00:00Z      | Mon, 30 Nov 2026 00:00:00 GMT"})
    void writesImfFixdatesWithATwoDigitDay(String instant, String expected) {
        assertThat(HttpDates.format(Instant.parse(instant))).isEqualTo(expected);
    }

    @Test
    void writesEnglishNamesWhateverTheDefaultLocale() {
        Locale before = Locale.getDefault();
        try {
            Locale.setDefault(Locale.CHINA);
            assertThat(HttpDates.format(Instant.parse("2026-12-01T08:00:00Z"))).isEqualTo("Tue, 01 Dec 2026 08:00:00 GMT");
        } finally {
            Locale.setDefault(before);
        }
    }

    @Test
    void readsBackWhatItWritesAndTheOneDigitDayOfOlderClients() {
        Instant instant = Instant.parse("2026-12-01T08:00:00Z");

        assertThat(HttpDates.parse(HttpDates.format(instant))).hasValue(instant);
        assertThat(HttpDates.parse(" Tue, 1 Dec 2026 08:00:00 GMT ")).hasValue(instant);
        assertThat(HttpDates.parse("yesterday")).isEmpty();
    }
}
