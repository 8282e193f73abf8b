package org.egovpki.directory;

import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.ldap.sdk.Entry;
import com.unboundid.util.StaticUtils;
import java.text.ParseException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** GeneralizedTime values read without the SDK's parser agree with it, and only the form we know is read so. */
class LdapValuesTest {

    @Test
    void readsWhatItWritesAsTheSdkDoes() throws ParseException {
        Random random = new Random(20261204);
        long from = Instant.parse("1950-01-01T00:00:00Z").toEpochMilli();
        long to = Instant.parse("2100-12-31T23:59:59.999Z").toEpochMilli();
        for (int i = 0; i < 20_000; i++) {
            Instant instant = Instant.ofEpochMilli(from + (long) (random.nextDouble() * (to - from)));
            String value = LdapValues.time(instant);

            assertThat(value).isEqualTo(StaticUtils.encodeGeneralizedTime(java.util.Date.from(instant)));
            assertThat(LdapValues.utcTime(value)).as(value).isEqualTo(instant)
                    .isEqualTo(StaticUtils.decodeGeneralizedTime(value).toInstant());
            assertThat(LdapValues.time(new Entry("cn=t", new com.unboundid.ldap.sdk.Attribute("t", value)), "t"))
                    .isEqualTo(instant);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"20261204180615Z", "20240229235959.5Z", "20261204180615.12Z", "20261204180615.123Z",
        "16000101000000Z", "99991231235959Z"})
    void readsWholeSecondsAndMillisecondsAsTheSdkDoes(String value) throws ParseException {
        assertThat(LdapValues.utcTime(value)).isNotNull()
                .isEqualTo(StaticUtils.decodeGeneralizedTime(value).toInstant());
    }

    @ParameterizedTest
    @ValueSource(strings = {"202612041806Z", "20261204180615+0800", "20261204180615.123+0800", "20261304180615Z",
        "20260230000000Z", "20250229000000Z", "20261204240000Z", "20261204186015Z", "20261204180660Z",
        "2026120418061aZ", "20261204180615.Z", "20261204180615.1234Z", "20261204180615.123456789Z",
        "20261204180615,5Z", "20261204180615", "", "Z", "x0261204180615Z", "15000101000000Z", "00001204180615Z"})
    void leavesAnyOtherFormToTheSdk(String value) {
        assertThat(LdapValues.utcTime(value)).isNull();
    }

    @Test
    void otherFormsAreStillReadAsTheSdkReadsThem() throws ParseException {
        Entry entry = new Entry("cn=t", new com.unboundid.ldap.sdk.Attribute("offset", "20261204180615+0800"),
                new com.unboundid.ldap.sdk.Attribute("micros", "20261204180615.123456Z"),
                new com.unboundid.ldap.sdk.Attribute("julian", "15000101000000Z"),
                new com.unboundid.ldap.sdk.Attribute("bad", "not a time"));

        assertThat(LdapValues.time(entry, "offset")).isEqualTo(Instant.parse("2026-12-04T10:06:15Z"));
        assertThat(LdapValues.time(entry, "micros")).isEqualTo(Instant.parse("2026-12-04T18:06:15.123Z"));
        assertThat(LdapValues.time(entry, "julian"))
                .isEqualTo(StaticUtils.decodeGeneralizedTime("15000101000000Z").toInstant());
        assertThat(LdapValues.time(entry, "bad")).isNull();
        assertThat(LdapValues.time(entry, "absent")).isNull();
        assertThat(LdapValues.time((String) null)).isNull();
    }

    @Test
    void writesGregorianYearsWhateverTheDefaultLocale() throws InterruptedException {
        Instant instant = Instant.parse("2026-11-30T00:53:20.123Z");
        Locale before = Locale.getDefault();
        try {
            for (Locale locale : List.of(Locale.ROOT, Locale.CHINA, new Locale("th", "TH"),
                    new Locale("ja", "JP", "JP"))) {
                Locale.setDefault(locale);

                assertThat(LdapValues.time(instant)).as(locale.toString()).isEqualTo("20261130005320.123Z");
            }
            // The SDK's encoder, which egov-pki used before, follows the locale: Buddhist years in Thai.
            // (On a thread of its own: the SDK keeps a formatter per thread, made in the locale of its first use.)
            Locale.setDefault(new Locale("th", "TH"));
            String[] sdk = new String[1];
            Thread fresh = new Thread(() -> sdk[0] = StaticUtils.encodeGeneralizedTime(java.util.Date.from(instant)));
            fresh.start();
            fresh.join();
            assertThat(sdk[0]).startsWith("2569");
        } finally {
            Locale.setDefault(before);
        }
    }
}
