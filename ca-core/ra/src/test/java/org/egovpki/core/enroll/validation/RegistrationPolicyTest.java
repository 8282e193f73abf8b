package org.egovpki.core.enroll.validation;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.egovpki.core.enroll.validation.Refusals.assertRefused;

import java.time.LocalDate;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.egovpki.core.profile.CertificateType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RegistrationPolicyTest {

    private static final LocalDate TODAY = LocalDate.of(2024, 6, 1);

    private final RegistrationPolicy policy = new RegistrationPolicy();

    static Stream<Arguments> acceptedRegistrations() {
        return Stream.of(
                Arguments.of("person with resident ID", CertificateType.PERSONAL, Registrations.person()),
                Arguments.of("person with lower-case x", CertificateType.PERSONAL,
                        Registrations.person().with(r -> r.idNumber = "11010519491231002x")),
                Arguments.of("person with passport", CertificateType.PERSONAL,
                        Registrations.person().with(r -> { r.idType = "PASSPORT"; r.idNumber = "E12345678"; })),
                Arguments.of("person with military officer card", CertificateType.PERSONAL,
                        Registrations.person().with(r -> { r.idType = "MILITARY_OFFICER"; r.idNumber = "军字第2024001号"; })),
                Arguments.of("person without optional contacts", CertificateType.PERSONAL,
                        Registrations.person().with(r -> { r.phone = null; r.email = " "; })),
                Arguments.of("organisation with USCC", CertificateType.ORGANIZATION, Registrations.organization()),
                Arguments.of("organisation with organisation code only", CertificateType.ORGANIZATION,
                        Registrations.organization().with(r -> { r.uscc = null; r.organizationCode = "60003734-1"; })),
                Arguments.of("organisation with matching USCC and organisation code", CertificateType.ORGANIZATION,
                        Registrations.organization().with(r -> r.organizationCode = "M000100Y-4")),
                Arguments.of("code signing", CertificateType.CODE_SIGNING, Registrations.organization()),
                Arguments.of("device with names and addresses", CertificateType.DEVICE, Registrations.device()),
                Arguments.of("device owner with a CJK Extension B character", CertificateType.DEVICE,
                        Registrations.device().with(r -> r.owner = "Owner \uD840\uDC00")),
                Arguments.of("device with one IPv6 address only", CertificateType.DEVICE,
                        Registrations.device().with(r -> { r.hostNames.clear(); r.ipAddresses = List.of("fe80::1"); })),
                Arguments.of("device with an xn-- host name only", CertificateType.DEVICE,
                        Registrations.device().with(r -> { r.ipAddresses.clear(); r.hostNames = List.of("xn--fiqs8s.xn--fiqz9s"); })));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("acceptedRegistrations")
    void accepts(String description, CertificateType type, Registrations registration) {
        assertThatCode(() -> policy.check(type, registration.build(), TODAY)).doesNotThrowAnyException();
    }

    static Stream<Arguments> refusedRegistrations() {
        return Stream.of(
                refused("person without real name", CertificateType.PERSONAL, Registrations.person(),
                        r -> r.realName = " ", "registration.realName", "realName is missing"),
                refused("person with a 65-character name", CertificateType.PERSONAL, Registrations.person(),
                        r -> r.realName = "张".repeat(65), "registration.realName", "more than the 64 allowed"),
                refused("person without ID type", CertificateType.PERSONAL, Registrations.person(),
                        r -> r.idType = null, "registration.idType", "ID document type is missing"),
                refused("person with unknown ID type", CertificateType.PERSONAL, Registrations.person(),
                        r -> r.idType = "DRIVING_LICENCE", "registration.idType", "is not known"),
                refused("resident ID with wrong check digit", CertificateType.PERSONAL, Registrations.person(),
                        r -> r.idNumber = "110105194912310021", "registration.idNumber", "wrong check digit"),
                refused("resident ID missing", CertificateType.PERSONAL, Registrations.person(),
                        r -> r.idNumber = null, "registration.idNumber", "missing"),
                refused("passport number with Chinese", CertificateType.PERSONAL, Registrations.person(),
                        r -> { r.idType = "PASSPORT"; r.idNumber = "护照E123"; }, "registration.idNumber", "printable ASCII"),
                refused("other document number of 33 characters", CertificateType.PERSONAL, Registrations.person(),
                        r -> { r.idType = "OTHER"; r.idNumber = "A".repeat(33); }, "registration.idNumber",
                        "more than the 32 allowed"),
                refused("other document number with a control character", CertificateType.PERSONAL, Registrations.person(),
                        r -> { r.idType = "OTHER"; r.idNumber = "A\u0000B"; }, "registration.idNumber", "not printable"),
                refused("bad e-mail", CertificateType.PERSONAL, Registrations.person(),
                        r -> r.email = "zhangsan@", "registration.email", "not a host name"),
                refused("bad phone with letters", CertificateType.PERSONAL, Registrations.person(),
                        r -> r.phone = "0571-CALL-ME", "registration.phone", "5-20 digits"),
                refused("phone of only hyphens", CertificateType.PERSONAL, Registrations.person(),
                        r -> r.phone = "-----", "registration.phone", "5-20 digits"),
                refused("organisation without legal name", CertificateType.ORGANIZATION, Registrations.organization(),
                        r -> r.legalName = null, "registration.legalName", "legalName is missing"),
                refused("organisation without any code", CertificateType.ORGANIZATION, Registrations.organization(),
                        r -> r.uscc = null, "registration.uscc", "unified social credit code is missing"),
                refused("organisation with bad USCC", CertificateType.ORGANIZATION, Registrations.organization(),
                        r -> r.uscc = "91350100M000100Y44", "registration.uscc", "wrong check character (expected 3)"),
                refused("code signing with forbidden USCC letter", CertificateType.CODE_SIGNING, Registrations.organization(),
                        r -> r.uscc = "91350100M000100O43", "registration.uscc", "letter O"),
                refused("organisation code with wrong check", CertificateType.ORGANIZATION, Registrations.organization(),
                        r -> { r.uscc = null; r.organizationCode = "60003734-2"; }, "registration.organizationCode",
                        "wrong check character (expected 1"),
                refused("organisation code not matching the USCC", CertificateType.ORGANIZATION, Registrations.organization(),
                        r -> r.organizationCode = "60003734-1", "registration.organizationCode", "is not positions 9-17"),
                refused("organisation without agent", CertificateType.ORGANIZATION, Registrations.organization(),
                        r -> r.agentName = null, "registration.agentName", "agentName is missing"),
                refused("agent ID with future birth date", CertificateType.ORGANIZATION, Registrations.organization(),
                        r -> r.agentIdNumber = "110105202501010010", "registration.agentIdNumber", "in the future"),
                refused("agent ID missing", CertificateType.CODE_SIGNING, Registrations.organization(),
                        r -> r.agentIdNumber = null, "registration.agentIdNumber", "missing"),
                refused("bad agent e-mail", CertificateType.ORGANIZATION, Registrations.organization(),
                        r -> r.agentEmail = "李四@example.cn", "registration.agentEmail", "non-ASCII"),
                refused("device without names or addresses", CertificateType.DEVICE, Registrations.device(),
                        r -> { r.hostNames.clear(); r.ipAddresses.clear(); }, "registration.hostNames", "at least one"),
                refused("wildcard host name", CertificateType.DEVICE, Registrations.device(),
                        r -> r.hostNames.add("*.example.gov.cn"), "registration.hostNames", "wildcard"),
                refused("host name with a space", CertificateType.DEVICE, Registrations.device(),
                        r -> r.hostNames.add("exa mple.gov.cn"), "registration.hostNames", "each label must be"),
                refused("host name with trailing dot", CertificateType.DEVICE, Registrations.device(),
                        r -> r.hostNames.add("www.example.gov.cn."), "registration.hostNames", "trailing dot"),
                refused("single-label host name", CertificateType.DEVICE, Registrations.device(),
                        r -> r.hostNames.add("localhost"), "registration.hostNames", "no dot"),
                refused("Unicode host name", CertificateType.DEVICE, Registrations.device(),
                        r -> r.hostNames.add("中国.中国"), "registration.hostNames", "xn--"),
                refused("label of 64 characters", CertificateType.DEVICE, Registrations.device(),
                        r -> r.hostNames.add("a".repeat(64) + ".cn"), "registration.hostNames", "1-63"),
                refused("IPv4 with leading zero", CertificateType.DEVICE, Registrations.device(),
                        r -> r.ipAddresses.add("010.1.2.3"), "registration.ipAddresses", "without leading zeros"),
                refused("IPv4 octet 256", CertificateType.DEVICE, Registrations.device(),
                        r -> r.ipAddresses.add("10.1.2.256"), "registration.ipAddresses", "is not an IP address"),
                refused("IPv6 with zone", CertificateType.DEVICE, Registrations.device(),
                        r -> r.ipAddresses.add("fe80::1%eth0"), "registration.ipAddresses", "without zone"),
                refused("IPv4 with prefix length", CertificateType.DEVICE, Registrations.device(),
                        r -> r.ipAddresses.add("10.0.0.0/8"), "registration.ipAddresses", "prefix length"),
                refused("bracketed IPv6", CertificateType.DEVICE, Registrations.device(),
                        r -> r.ipAddresses.add("[::1]"), "registration.ipAddresses", "brackets"),
                refused("host name given as IP", CertificateType.DEVICE, Registrations.device(),
                        r -> r.ipAddresses.add("www.example.gov.cn"), "registration.ipAddresses", "is not an IP address"),
                refused("device with 33 host names", CertificateType.DEVICE, Registrations.device(),
                        r -> { for (int i = 0; i < 33; i++) { r.hostNames.add("h" + i + ".example.gov.cn"); } },
                        "registration.hostNames", "at most 32 host names"),
                refused("owner with a private use character", CertificateType.DEVICE, Registrations.device(),
                        r -> r.owner = "Owner \uE000", "registration.owner", "names cannot hold"),
                refused("device without owner", CertificateType.DEVICE, Registrations.device(),
                        r -> r.owner = null, "registration.owner", "owner is missing"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedRegistrations")
    void refuses(String description, CertificateType type, Registrations registration, String field, String fragment) {
        assertRefused(() -> policy.check(type, registration.build(), TODAY), field, fragment);
    }

    private static Arguments refused(String description, CertificateType type, Registrations base,
            Consumer<Registrations> change, String field, String fragment) {
        return Arguments.of(description, type, base.with(change), field, fragment);
    }
}
