package org.egovpki.core.enroll.validation;

import java.util.ArrayList;
import java.util.List;

import org.egovpki.core.enroll.validation.RegistrationData;

/** Test-data builder for {@link RegistrationData}: valid defaults per certificate type, overrides by name. */
final class Registrations {

    String realName;
    String idType;
    String idNumber;
    String phone;
    String email;
    String organization;
    String legalName;
    String uscc;
    String organizationCode;
    String agentName;
    String agentPhone;
    String agentEmail;
    String agentIdNumber;
    List<String> hostNames = new ArrayList<>();
    List<String> ipAddresses = new ArrayList<>();
    String owner;

    private Registrations() {
    }

    static Registrations person() {
        Registrations r = new Registrations();
        r.realName = "张三";
        r.idType = RegistrationData.RESIDENT_ID;
        r.idNumber = "11010519491231002X";
        r.phone = "+86 571-8888 0000";
        r.email = "zhangsan@example.gov.cn";
        return r;
    }

    static Registrations organization() {
        Registrations r = new Registrations();
        r.legalName = "福州市示例科技有限公司";
        r.uscc = "91350100M000100Y43";
        r.agentName = "李四";
        r.agentIdNumber = "32010219880515201X";
        r.agentPhone = "0591-12345678";
        r.agentEmail = "lisi@example.com.cn";
        return r;
    }

    static Registrations device() {
        Registrations r = new Registrations();
        r.hostNames = new ArrayList<>(List.of("www.example.gov.cn", "api.example.gov.cn"));
        r.ipAddresses = new ArrayList<>(List.of("10.1.2.3", "2001:db8::1"));
        r.owner = "示例市大数据局";
        return r;
    }

    Registrations with(java.util.function.Consumer<Registrations> change) {
        change.accept(this);
        return this;
    }

    RegistrationData build() {
        return new RegistrationData(realName, idType, idNumber, phone, email, organization, legalName, uscc,
                organizationCode, agentName, agentPhone, agentEmail, agentIdNumber, hostNames, ipAddresses, owner);
    }
}
