package org.egovpki.server.custody;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.egovpki.core.DomainException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyCustodyTest {

    private static final int FAST = 1_000;
    private static final List<String> FIVE = List.of("alice", "bob", "carol", "dave", "erin");

    @TempDir
    Path data;

    private final SecureRandom random = new SecureRandom();

    private KeyCustody custody() {
        return new KeyCustody(data.resolve("custody"), random, FAST);
    }

    private static Map<String, char[]> passphrases(List<String> custodians) {
        Map<String, char[]> passphrases = new LinkedHashMap<>();
        custodians.forEach(c -> passphrases.put(c, passphrase(c)));
        return passphrases;
    }

    private static char[] passphrase(String custodian) {
        return (custodian + " horse battery").toCharArray();
    }

    private Share open(KeyCustody custody, String custodian) {
        return ShareFile.read(custody.shareFile(custodian)).open(passphrase(custodian));
    }

    @Test
    void splitsThroughTheLibraryAndAnyThresholdOfSharesJoinsBack() {
        char[] password = "the key store password".toCharArray();
        Map<Integer, byte[]> shares = KeyShares.split(password, 3, 5, random);
        assertThat(shares).hasSize(5);
        assertThat(KeyShares.join(Map.of(1, shares.get(1), 3, shares.get(3), 5, shares.get(5)))).isEqualTo(password);
        assertThat(KeyShares.join(Map.of(2, shares.get(2), 4, shares.get(4), 5, shares.get(5)))).isEqualTo(password);
        assertThat(KeyShares.join(Map.of(1, shares.get(1), 2, shares.get(2)))).isNotEqualTo(password);
    }

    @Test
    void initWritesOneSealedShareFilePerCustodianAndNeverThePassword() throws Exception {
        KeyCustody custody = custody();
        char[] password = custody.create(new CustodyPlan(3, FIVE), passphrases(FIVE));

        CustodyRecord record = custody.record();
        assertThat(record.epoch()).isEqualTo(1);
        assertThat(record.threshold()).isEqualTo(3);
        assertThat(record.custodians()).isEqualTo(FIVE);
        try (var files = Files.walk(data)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                assertThat(Files.readString(file)).doesNotContain(new String(password));
            }
        }
        ShareFile carol = ShareFile.read(custody.shareFile("carol"));
        assertThat(carol.custodian()).isEqualTo("carol");
        assertThat(carol.index()).isEqualTo(3);
        assertThat(carol.threshold()).isEqualTo(3);
        assertThat(carol.total()).isEqualTo(5);
        assertThat(carol.keyStore()).isEqualTo(record.keyStore());
        assertThat(carol.text()).startsWith("egov-pki key share 1\ncustodian: carol\n");

        Map<Integer, byte[]> three = new LinkedHashMap<>();
        for (String c : List.of("alice", "carol", "erin")) {
            Share share = open(custody, c);
            three.put(share.index(), share.bytes());
        }
        assertThat(KeyShares.join(three)).isEqualTo(password);
    }

    @Test
    void aShareFileDoesNotOpenWithAWrongPassphraseOrAChangedHeader() throws Exception {
        KeyCustody custody = custody();
        custody.create(new CustodyPlan(2, List.of("alice", "bob")), passphrases(List.of("alice", "bob")));
        ShareFile alice = ShareFile.read(custody.shareFile("alice"));

        assertThatThrownBy(() -> alice.open("bob horse battery".toCharArray()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not open with this passphrase");
        String changed = alice.text().replace("index: 1", "index: 2");
        assertThatThrownBy(() -> ShareFile.parse(changed, "alice.share").open(passphrase("alice")))
                .hasMessageContaining("does not open with this passphrase");
        assertThatThrownBy(() -> ShareFile.parse("not a share\n", "x.share"))
                .hasMessageContaining("x.share is not an egov-pki key share");
    }

    @Test
    void refusesBadPlansAndPassphrasesWritingNothing() {
        assertThatThrownBy(() -> new CustodyPlan(1, FIVE)).hasMessageContaining("threshold 1 is too low");
        assertThatThrownBy(() -> new CustodyPlan(6, FIVE)).hasMessageContaining("threshold 6 is more than the 5");
        assertThatThrownBy(() -> new CustodyPlan(2, List.of("alice", "bob", "alice")))
                .hasMessageContaining("custodian alice is named twice");
        assertThatThrownBy(() -> new CustodyPlan(2, List.of("alice", "../bob")))
                .hasMessageContaining("custodian name '../bob' is not allowed");

        Map<String, char[]> shortOne = passphrases(FIVE);
        shortOne.put("dave", "short pass".toCharArray());
        KeyCustody custody = custody();
        assertThatThrownBy(() -> custody.create(new CustodyPlan(3, FIVE), shortOne))
                .hasMessageContaining("custodian dave: the passphrase is too short (10 characters); use at least 12");
        Map<String, char[]> missing = passphrases(FIVE);
        missing.remove("bob");
        assertThatThrownBy(() -> custody.create(new CustodyPlan(3, FIVE), missing))
                .hasMessageContaining("no passphrase for custodian bob");
        assertThat(data.resolve("custody")).doesNotExist();
    }

    @Test
    void unlocksOnlyWithThresholdSharesFromDistinctCustodiansOfThisSplit() {
        KeyCustody custody = custody();
        char[] password = custody.create(new CustodyPlan(3, FIVE), passphrases(FIVE));
        List<char[]> opened = new ArrayList<>();
        ShareCollector collector = new ShareCollector(custody.record(), p -> {
            opened.add(p.clone());
            return Arrays.equals(p, password);
        });

        assertThat(collector.present("alice", open(custody, "alice")).summary()).isEqualTo("1 of 3 shares presented");
        assertThatThrownBy(() -> collector.present("alice", open(custody, "alice")))
                .isInstanceOf(DomainException.class)
                .hasMessageContaining("custodian alice has already presented a share");
        assertThatThrownBy(() -> collector.present("alice", open(custody, "bob")))
                .hasMessageContaining("this share is custodian bob's");
        ShareCollector.Progress two = collector.present("bob", open(custody, "bob"));
        assertThat(two.presented()).containsExactly("alice", "bob");
        assertThat(two.unlocked()).isFalse();
        assertThat(opened).isEmpty();

        ShareCollector.Progress three = collector.present("erin", open(custody, "erin"));
        assertThat(three.unlocked()).isTrue();
        assertThat(opened).hasSize(1);
        assertThatThrownBy(() -> collector.present("dave", open(custody, "dave")))
                .hasMessageContaining("already unlocked");
    }

    @Test
    void aCombinationThatDoesNotOpenTheKeyStoreDiscardsEveryShare() {
        KeyCustody custody = custody();
        custody.create(new CustodyPlan(2, List.of("alice", "bob")), passphrases(List.of("alice", "bob")));
        ShareCollector collector = new ShareCollector(custody.record(), p -> false);
        collector.present("alice", open(custody, "alice"));

        assertThatThrownBy(() -> collector.present("bob", open(custody, "bob")))
                .hasMessageContaining("do not open the CA key store; all of them were discarded");
        assertThat(collector.progress().presented()).isEmpty();
        assertThat(collector.unlocked()).isFalse();
    }

    @Test
    void aDamagedShareThatCannotBeJoinedDiscardsEveryShareInsteadOfStayingHeld() {
        KeyCustody custody = custody();
        custody.create(new CustodyPlan(2, List.of("alice", "bob")), passphrases(List.of("alice", "bob")));
        ShareCollector collector = new ShareCollector(custody.record(), p -> true);
        collector.present("alice", open(custody, "alice"));
        Share bob = open(custody, "bob");
        Share shortened = new Share(bob.custodian(), bob.index(), bob.threshold(), bob.total(), bob.keyStore(),
                bob.epoch(), Arrays.copyOf(bob.bytes(), bob.bytes().length - 1));

        assertThatThrownBy(() -> collector.present("bob", shortened))
                .hasMessageContaining("all of them were discarded");
        assertThat(collector.progress().presented()).isEmpty();
        assertThat(collector.present("alice", open(custody, "alice")).summary()).isEqualTo("1 of 2 shares presented");
    }

    @Test
    void refusesAShareOfAnotherCaKeyStore() {
        KeyCustody ours = custody();
        ours.create(new CustodyPlan(2, List.of("alice", "bob")), passphrases(List.of("alice", "bob")));
        KeyCustody theirs = new KeyCustody(data.resolve("other"), random, FAST);
        theirs.create(new CustodyPlan(2, List.of("alice", "bob")), passphrases(List.of("alice", "bob")));
        ShareCollector collector = new ShareCollector(ours.record(), p -> true);

        assertThatThrownBy(() -> collector.present("alice", open(theirs, "alice")))
                .isInstanceOf(DomainException.class)
                .hasMessageContaining("belongs to another CA key store");
        assertThat(collector.progress().presented()).isEmpty();
    }

    @Test
    void reshareKeepsThePasswordAndRefusesTheEarlierSplitsShares() {
        KeyCustody custody = custody();
        char[] password = custody.create(new CustodyPlan(3, FIVE), passphrases(FIVE));
        Share oldAlice = open(custody, "alice");
        String keyStore = custody.record().keyStore();

        List<String> next = List.of("alice", "bob", "frank");
        CustodyRecord record = custody.reshare(password, new CustodyPlan(2, next), passphrases(next));

        assertThat(record.epoch()).isEqualTo(2);
        assertThat(record.keyStore()).isEqualTo(keyStore);
        assertThat(custody.shareFile("carol")).doesNotExist();
        assertThat(custody.shareFile("frank")).exists();
        ShareCollector collector = new ShareCollector(custody.record(), p -> Arrays.equals(p, password));
        assertThatThrownBy(() -> collector.present("alice", oldAlice))
                .hasMessageContaining("this share is from split 1, and split 2 is in force (the shares were rotated");
        collector.present("alice", open(custody, "alice"));
        assertThat(collector.present("frank", open(custody, "frank")).unlocked()).isTrue();
    }

    @Test
    void initTwiceIsRefused() {
        KeyCustody custody = custody();
        custody.create(new CustodyPlan(2, List.of("alice", "bob")), passphrases(List.of("alice", "bob")));
        assertThatThrownBy(() -> custody.create(new CustodyPlan(2, List.of("alice", "bob")),
                passphrases(List.of("alice", "bob"))))
                .hasMessageContaining("already set up");
    }
}
