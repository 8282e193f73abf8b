package org.egovpki.core.enroll;

import java.util.Optional;

/**
 * Which operator certificate is bound to which operator entry: the second login factor (docs/security.md,
 * "Two-factor login"). A binding names a certificate record by its id ({@code <issuer>-<serial hex>},
 * {@link org.egovpki.core.certificate.CertificateRecord#id()}); the certificate itself stays in its record,
 * whose status says whether it is revoked. Only the CA server writes bindings.
 */
public interface OperatorCertificateBindings {

    /** The id of the certificate bound to this operator; empty if none is. */
    Optional<String> boundCertificate(String uid);

    /** The login of the operator this certificate is bound to; empty if it is bound to nobody. */
    Optional<String> holderOf(String certificateId);

    /** Binds the certificate to the operator, replacing the one bound before. */
    void bind(String uid, String certificateId);
}
