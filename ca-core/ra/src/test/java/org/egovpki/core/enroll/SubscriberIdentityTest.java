package org.egovpki.core.enroll;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.egovpki.core.enroll.validation.RegistrationData;
import org.egovpki.core.profile.CertificateType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** The rules that keep one subscriber's registration from being renamed or replaced by another application. */
class SubscriberIdentityTest {

    private static final String ID = "11010519491231002X";
    private static final String USCC = "91350100M000100Y43";

    @ParameterizedTest(name = "\"{0}\" = \"{1}\"")
    @CsvSource(delimiter = '|', value = {
            "Zhang San | ＺＨＡＮＧ　Ｓａｎ",
            "Zhang San | '  zhang   san '",
            "张三 | 张 三",
            "张三 | '　张三　'",
            "买买提·艾力 | 买买提•艾力",
            "买买提·艾力 | 买买提 ・ 艾力",
            "王𠀀 | 王 𠀀",
            "福州市示例信息技术有限公司 | 福州市示例信息技术 有限公司"})
    void theSameNameWrittenAnotherWayIsTheSameName(String registered, String applied) {
        assertThat(Registrations.sameName(registered, applied)).isTrue();
    }

    @ParameterizedTest(name = "\"{0}\" != \"{1}\"")
    @CsvSource(delimiter = '|', value = {
            "Zhang San | Zhang Shan",
            "Zhang San | ZhangSan",
            "张三 | 张山",
            "张三 | 张三丰",
            "买买提·艾力 | 买买提艾力",
            "王𠀀 | 王𠀁",
            "福州市示例信息技术有限公司 | 厦门市示例信息技术有限公司"})
    void anotherNameIsAnotherName(String registered, String applied) {
        assertThat(Registrations.sameName(registered, applied)).isFalse();
    }

    @Test
    void aNewApplicationForAPersonMustCarryTheRegisteredNameAndSaysNeitherNameNorNumber() {
        var refusal = SubscriberIdentity.nameConflict(RequestKind.NEW, CertificateType.PERSONAL,
                person("Zhang San", "+86 139 0000 0000"), person("Li Si", null)).orElseThrow();

        assertThat(refusal.field()).isEqualTo("registration.realName");
        assertThat(refusal.message()).contains("registered under another name", "modification")
                .doesNotContain("Zhang").doesNotContain("Li Si").doesNotContain(ID).doesNotContain("1949");
    }

    @Test
    void contactDataMayChangeWithANewApplication() {
        assertThat(SubscriberIdentity.nameConflict(RequestKind.NEW, CertificateType.PERSONAL,
                person("Zhang San", "+86 139 0000 0000"), person("Zhang San", "+86 139 1111 1111"))).isEmpty();
        assertThat(SubscriberIdentity.nameConflict(RequestKind.NEW, CertificateType.ORGANIZATION,
                organisation("福州市示例信息技术有限公司", "Wang Fang"),
                organisation("福州市示例信息技术有限公司", "Chen Jing"))).as("another agent").isEmpty();
    }

    @ParameterizedTest
    @EnumSource(value = CertificateType.class, names = {"ORGANIZATION", "CODE_SIGNING"})
    void aNewApplicationForAnOrganisationMustCarryTheRegisteredLegalName(CertificateType type) {
        var refusal = SubscriberIdentity.nameConflict(RequestKind.NEW, type,
                organisation("福州市示例信息技术有限公司", "Wang Fang"),
                organisation("厦门市示例信息技术有限公司", "Wang Fang")).orElseThrow();

        assertThat(refusal.field()).isEqualTo("registration.legalName");
        assertThat(refusal.message()).contains("organisation code", "registered under another name")
                .doesNotContain("福州").doesNotContain("厦门").doesNotContain(USCC);
    }

    @Test
    void onlyAModificationChangesTheName() {
        RegistrationData registered = person("Zhang San", null);
        RegistrationData renamed = person("Zhang Sanfeng", null);

        assertThat(SubscriberIdentity.nameConflict(RequestKind.MODIFICATION, CertificateType.PERSONAL, registered,
                renamed)).isEmpty();
        for (RequestKind kind : List.of(RequestKind.RENEWAL, RequestKind.REKEY, RequestKind.REPLACEMENT)) {
            assertThat(SubscriberIdentity.nameConflict(kind, CertificateType.PERSONAL, registered, renamed))
                    .as(kind.name()).hasValueSatisfying(r -> {
                        assertThat(r.field()).isEqualTo("serial");
                        assertThat(r.message()).contains("registered under another name", "modification of it");
                    });
        }
    }

    @Test
    void aDevicesNameIsItsOwnerWhichTheIdentityRuleHoldsFixed() {
        RegistrationData device = device("IT department");

        assertThat(SubscriberIdentity.nameConflict(RequestKind.NEW, CertificateType.DEVICE, device,
                device("Finance department"))).as("not the name rule's").isEmpty();
        assertThat(SubscriberIdentity.conflict("d-1", "DEVICE", device, CertificateType.DEVICE,
                device("Finance department"))).hasValueSatisfying(m -> assertThat(m).contains("another owner")
                .doesNotContain("IT department").doesNotContain("Finance"));
        assertThat(SubscriberIdentity.conflict("d-1", "DEVICE", device, CertificateType.DEVICE,
                device(" ＩＴ　Department "))).as("the owner written another way").isEmpty();
    }

    private static RegistrationData person(String name, String phone) {
        return new RegistrationData(name, RegistrationData.RESIDENT_ID, ID, phone, null, null, null, null, null, null,
                null, null, null, List.of(), List.of(), null);
    }

    private static RegistrationData organisation(String legalName, String agent) {
        return new RegistrationData(null, null, null, null, null, null, legalName, USCC, null, agent, null, null,
                "110105198001010016", List.of(), List.of(), null);
    }

    private static RegistrationData device(String owner) {
        return new RegistrationData(null, null, null, null, null, null, null, null, null, null, null, null, null,
                List.of("www.example.gov.cn"), List.of(), owner);
    }
}
