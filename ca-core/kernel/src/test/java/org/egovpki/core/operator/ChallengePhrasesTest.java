package org.egovpki.core.operator;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class ChallengePhrasesTest {

    private final SecureRandom random = new SecureRandom();

    @Test
    void aHashMatchesItsPhraseOnly() {
        String stored = ChallengePhrases.hash("a challenge phrase".toCharArray(), random);

        assertThat(ChallengePhrases.matches("a challenge phrase".toCharArray(), stored)).isTrue();
        assertThat(ChallengePhrases.matches("another phrase".toCharArray(), stored)).isFalse();
        assertThat(ChallengePhrases.hash("a challenge phrase".toCharArray(), random)).as("salted").isNotEqualTo(stored);
    }

    @Test
    void theDecoyHasTheFormAndCostOfAHashAndMatchesNothing() {
        String hash = ChallengePhrases.hash("a challenge phrase".toCharArray(), random);
        String decoy = ChallengePhrases.decoy(random);

        // same prefix and iteration count, so matching against it derives exactly as against a real hash
        assertThat(decoy.substring(0, decoy.indexOf('$'))).isEqualTo(hash.substring(0, hash.indexOf('$')));
        assertThat(decoy.split("\\$")).hasSize(3);
        assertThat(decoy.split("\\$")[2]).hasSameSizeAs(hash.split("\\$")[2]);
        assertThat(ChallengePhrases.matches("a challenge phrase".toCharArray(), decoy)).isFalse();
        assertThat(ChallengePhrases.matches(new char[0], decoy)).isFalse();
        assertThat(ChallengePhrases.decoy(random)).as("random").isNotEqualTo(decoy);
    }
}
