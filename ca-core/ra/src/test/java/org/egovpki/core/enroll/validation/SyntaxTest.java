package org.egovpki.core.enroll.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SyntaxTest {

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"0.0.0.0", "10.1.2.3", "255.255.255.255", "192.168.0.1", "::", "::1", "1::", "2001:db8::1",
            "2001:DB8:0:0:0:0:0:1", "fe80::1:2:3:4:5:6", "1:2:3:4:5:6:7:8", "::ffff:10.1.2.3", "1:2:3:4:5:6:1.2.3.4",
            "1::2:3:4:5:6:7"})
    void parsesIpLiteralsLikeTheJdk(String literal) throws Exception {
        // InetAddress is a safe oracle here: for a literal it parses, it does not resolve.
        byte[] expected = InetAddress.getByName(literal).getAddress();
        byte[] parsed = Syntax.parseIp(literal);

        if (expected.length == 4 && literal.contains(":")) {
            // The JDK folds IPv4-mapped IPv6 addresses to IPv4; we keep the 16 bytes.
            assertThat(parsed).hasSize(16).endsWith(expected);
        } else {
            assertThat(parsed).isEqualTo(expected);
        }
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"", "1.2.3", "1.2.3.4.5", "1.2.3.256", "01.2.3.4", "1.2.3.-4", "1..2.3", " 1.2.3.4",
            "1.2.3.4 ", ":::", "1:::2", "1::2::3", ":1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7", "1::2:3:4:5:6:7:8",
            "12345::1", "g::1", "fe80::1%eth0", "[::1]", "::1/128", "1.2.3.4::", "::1.2.3", "www.example.cn", "0x7f.0.0.1"})
    void refusesEverythingElse(String text) {
        assertThat(Syntax.parseIp(text)).isNull();
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"example.cn", "www.example.gov.cn", "a-b.c-d.cn", "xn--fiqs8s.xn--fiqz9s", "1.example.cn",
            "123.456.com"})
    void acceptsDnsNames(String name) {
        assertThat(Syntax.isDnsName(name)).isTrue();
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"cn", "-a.cn", "a-.cn", "a..cn", "a.cn.", ".a.cn", "*.a.cn", "a_b.cn", "10.1.2.3", "中国.cn"})
    void refusesOtherNames(String name) {
        assertThat(Syntax.isDnsName(name)).isFalse();
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"a@example.cn", "first.last+tag@mail.example.gov.cn", "o'neil@example.com"})
    void acceptsMailboxes(String email) {
        assertThat(Syntax.isEmail(email)).isTrue();
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"a", "a@", "@a.cn", "a@b@c.cn", "a..b@c.cn", ".a@c.cn", "a b@c.cn", "\"a\"@c.cn", "a@c", "张@c.cn"})
    void refusesOtherMailboxes(String email) {
        assertThat(Syntax.isEmail(email)).isFalse();
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"Zhang San 11010519491231002X", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa 11010519491231002X tail",
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-11010519491231002X", "110105-19491231-002X@example.cn",
            "+86 139 1234 5678 or 13912345678"})
    void aValueShownInARefusalHasItsNumbersMasked(String value) {
        String shown = Syntax.shown(value);

        assertThat(shown).doesNotContain("1101051").doesNotContain("19491231").doesNotContain("912345")
                .doesNotContain("1234 5678");
        assertThat(Syntax.length(shown)).isLessThanOrEqualTo(43);
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"Zhang San", "www.example.gov.cn", "10.1.2.256", "SN:4711-A_07", "CERTIFICATE"})
    void aValueWithoutNumbersIsShownAsItIs(String value) {
        assertThat(Syntax.shown(value)).isEqualTo(value);
    }
}
