package org.egovpki.directory;

import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.ldap.sdk.Entry;
import com.unboundid.util.StaticUtils;
import java.text.ParseException;
import java.time.Instant;
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

            assertThat(LdapValues.utcTime(value)).as(value).isEqualTo(instant)
                    .isEqualTo(StaticUtils.decodeGeneralizedTime(value).toInstant());
            assertThat(LdapValues.time(new Entry("cn=t", new com.unboundid.ldap.sdk.Attribute("t", value)), "t"))
                    .isEqualTo(instant);
        }
    }

    @Test
    void readsWholeSecondsAndAnyFractionUpToNanoseconds() throws ParseException {
        assertThat(LdapValues.utcTime("20261204180615Z")).isEqualTo(Instant.parse("2026-12-04T18:06:15Z"))
                .isEqualTo(StaticUtils.decodeGeneralizedTime("20261204180615Z").toInstant());
        assertThat(LdapValues.utcTime("20240229235959.5Z")).isEqualTo(Instant.parse("2024-02-29T23:59:59.500Z"));
        assertThat(LdapValues.utcTime("20261204180615.123456789Z"))
                .isEqualTo(Instant.parse("2026-12-04T18:06:15.123456789Z"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"202612041806Z", "20261204180615+0800", "20261204180615.123+0800", "20261304180615Z",
        "20260230000000Z", "20250229000000Z", "20261204240000Z", "20261204186015Z", "20261204180660Z",
        "2026120418061aZ", "20261204180615.Z", "20261204180615.1234567890Z", "20261204180615,5Z", "20261204180615",
        "", "Z", "x0261204180615Z"})
    void leavesAnyOtherFormToTheSdk(String value) {
        assertThat(LdapValues.utcTime(value)).isNull();
    }

    @Test
    void otherFormsAreStillReadAsTheSdkReadsThem() {
        Entry entry = new Entry("cn=t", new com.unboundid.ldap.sdk.Attribute("offset", "20261204180615+0800"),
                new com.unboundid.ldap.sdk.Attribute("bad", "not a time"));

        assertThat(LdapValues.time(entry, "offset")).isEqualTo(Instant.parse("2026-12-04T10:06:15Z"));
        assertThat(LdapValues.time(entry, "bad")).isNull();
        assertThat(LdapValues.time(entry, "absent")).isNull();
    }
}
