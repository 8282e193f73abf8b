package org.egovpki.core.ca;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DelegatedKeysTest {

    private static final String PREFIX = "ec-root.sync.";

    @Test
    void theSuffixOfAliasesIssuedWithinOneSecondOrdersThemNumericallyNotAsText() {
        assertThat(DelegatedKeys.suffix(PREFIX + "20261121t080000", PREFIX.length())).isEqualTo(1);
        assertThat(DelegatedKeys.suffix(PREFIX + "20261121t080000-2", PREFIX.length())).isEqualTo(2);
        assertThat(DelegatedKeys.suffix(PREFIX + "20261121t080000-10", PREFIX.length()))
                .isGreaterThan(DelegatedKeys.suffix(PREFIX + "20261121t080000-9", PREFIX.length()));
    }

    @Test
    void anAliasNotInTheIssuedFormCountsAsTheFirstOfItsSecond() {
        assertThat(DelegatedKeys.suffix(PREFIX + "imported-7", PREFIX.length())).isEqualTo(1);
        assertThat(DelegatedKeys.suffix(PREFIX + "20261121t080000-99999999999", PREFIX.length())).isEqualTo(1);
    }
}
