package org.egovpki.core.km.centre;

import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.EnumSet;
import java.util.List;
import org.egovpki.core.ca.CaRegistry;
import org.egovpki.core.ca.EnrollmentFixture;
import org.egovpki.core.certificate.CertificateRecord;
import org.egovpki.core.enroll.EnrollmentRequest;
import org.egovpki.core.operator.Operator;
import org.egovpki.core.enroll.validation.RegistrationData;
import org.egovpki.core.operator.Role;
import org.egovpki.core.enroll.Submission;
import org.egovpki.core.profile.KeyUsageKind;
import org.egovpki.core.x509.Pem;

/**
 * An enrollment fixture with a real KM behind it, and one dual pair issued through it: the
 * subscriber's token key, the request, the signing and encryption records and certificates.
 */
public final class DualIssuance {

    public static final Operator KM_ADMIN = operator("kmadmin1", Role.KM_BUSINESS_ADMIN);
    public static final Operator KM_ADMIN_2 = operator("kmadmin2", Role.KM_BUSINESS_ADMIN);
    public static final Operator KM_OPERATOR = operator("kmop1", Role.KM_OPERATOR);
    public static final Operator KM_OPERATOR_2 = operator("kmop2", Role.KM_OPERATOR);
    /** Holds both KM roles: still one person, so still one approval. */
    public static final Operator KM_BOTH = new Operator("kmboth", "uid=kmboth,ou=operators,o=egov-pki,c=CN", "kmboth",
            EnumSet.of(Role.KM_BUSINESS_ADMIN, Role.KM_OPERATOR));

    public final EnrollmentFixture f;
    public final KmFixture km;
    public final KeyPair token;
    public final EnrollmentRequest request;
    public final CertificateRecord signing;
    public final CertificateRecord encryption;

    /** @param kmKeys the KM's keys, made once per test class by {@link KmFixture#keys(Path)} */
    public DualIssuance(CaRegistry cas, KmKeyStore kmKeys) {
        f = new EnrollmentFixture(cas);
        km = new KmFixture(kmKeys, cas, f.clock, f.audit, f.random);
        f.km = km.link;
        token = f.sm2();
        EnrollmentRequest submitted = f.service().submit(EnrollmentFixture.CLERK,
                dual("Zhang San", "11010519491231002X", token));
        request = f.service().approve(EnrollmentFixture.REVIEWER, submitted.id());
        List<CertificateRecord> records = f.stores.findByRequest(request.id());
        signing = records.stream().filter(r -> r.kind() == KeyUsageKind.SIGNING).findFirst().orElseThrow();
        encryption = records.stream().filter(r -> r.kind() == KeyUsageKind.ENCRYPTION).findFirst().orElseThrow();
    }

    public static Submission dual(String name, String idNumber, KeyPair key) {
        RegistrationData registration = new RegistrationData(name, RegistrationData.RESIDENT_ID, idNumber, null,
                null, null, null, null, null, null, null, null, null, List.of(), List.of(), null);
        return new Submission(EnrollmentFixture.csr(key, "CN=" + name + ",O=Test Bureau,C=CN"), "personal-dual", null,
                registration, "tax", "410000", false, "a challenge phrase".toCharArray(), true);
    }

    public X509Certificate encryptionCertificate() {
        return Pem.parseCertificate(encryption.certificateDer());
    }

    public X509Certificate signingCertificate() {
        return Pem.parseCertificate(signing.certificateDer());
    }

    static Operator operator(String uid, Role role) {
        return new Operator(uid, "uid=" + uid + ",ou=operators,o=egov-pki,c=CN", uid, EnumSet.of(role));
    }
}
