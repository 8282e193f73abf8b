package org.egovpki.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BusinessTypesTest {

    @ParameterizedTest(name = "[{index}] '{0}'")
    @ValueSource(strings = {"a\u0000b", "tax\u202e", "<script>x</script>", "*)(x=*", "tax  sys", "-tax", "tax|sys",
        "tax,sys", "\uE000tax", " ", ""})
    void anythingButAShortIdentifierIsABadRequestNamingTheFieldWithoutTheValue(String value) {
        assertThatThrownBy(() -> BusinessTypes.require("businessType", value))
                .isInstanceOfSatisfying(DomainException.class, e -> {
                    assertThat(e.kind()).isEqualTo(DomainException.Kind.BAD_REQUEST);
                    assertThat(e.field()).isEqualTo("businessType");
                })
                .message().doesNotContain("script").doesNotContain("(x=");
    }

    @Test
    void businessTypesOfTheConfigurationAndTheDocsAreAccepted() {
        assertThat(BusinessTypes.require("businessType", " tax ")).isEqualTo("tax");
        assertThat(BusinessTypes.require("businessType", "tax.henan.example")).isEqualTo("tax.henan.example");
        assertThat(BusinessTypes.require("businessType", "health-sys")).isEqualTo("health-sys");
        // Business types stored before the rule, in Chinese or with a space, stay valid.
        assertThat(BusinessTypes.require("businessType", "税务")).isEqualTo("税务");
        assertThat(BusinessTypes.require("businessType", "Tax Service")).isEqualTo("Tax Service");
        assertThat(BusinessTypes.require("businessType", "\uD840\uDC00税")).as("CJK Extension B").hasSize(3);
        assertThat(BusinessTypes.require("businessType", "t".repeat(64))).hasSize(64);
        assertThatThrownBy(() -> BusinessTypes.require("businessType", "t".repeat(65)))
                .isInstanceOf(DomainException.class);
        assertThatThrownBy(() -> BusinessTypes.require("businessType", "t".repeat(300)))
                .isInstanceOf(DomainException.class);
    }

    @Test
    void aRegionIsAGbT2260Code() {
        assertThat(RegionCodes.require("region", "410000")).isEqualTo("410000");
        for (String odd : new String[] {"abc", "1".repeat(300), "41000", "4100000", "４１００００", ""}) {
            assertThatThrownBy(() -> RegionCodes.require("region", odd))
                    .isInstanceOfSatisfying(DomainException.class, e -> assertThat(e.field()).isEqualTo("region"))
                    .hasMessageContaining("GB/T 2260");
        }
    }
}
