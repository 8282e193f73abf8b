package org.egovpki.server;

import java.security.Security;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.PKIXRevocationChecker;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The JDK's own PKIX validator as a relying party that checks revocation by OCSP only: the
 * responder URL comes from each certificate's AIA, there is no CRL fallback, and every
 * certificate of the path is checked (no {@code ONLY_END_ENTITY}), so an issuing CA certificate
 * without an OCSP pointer, or whose issuer's responder does not answer {@code good} for it, fails
 * the chain.
 */
final class OcspOnlyPkix {

    private OcspOnlyPkix() {
    }

    /**
     * Validates {@code path} (end entity first, without the root) up to {@code root}.
     *
     * @return the checker's soft-fail exceptions (empty when every OCSP answer was obtained)
     * @throws CertPathValidatorException when the path does not validate, e.g. with reason
     *     {@code REVOKED} and the index of the revoked certificate
     */
    static List<CertPathValidatorException> validate(List<X509Certificate> path, X509Certificate root)
            throws Exception {
        CertPathValidator validator = CertPathValidator.getInstance("PKIX");
        PKIXRevocationChecker checker = (PKIXRevocationChecker) validator.getRevocationChecker();
        checker.setOptions(EnumSet.of(PKIXRevocationChecker.Option.NO_FALLBACK));
        PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(root, null)));
        parameters.setRevocationEnabled(true);
        parameters.addCertPathChecker(checker);
        // ocsp.enable is a JVM-wide security property: set it only around this call, restore it after.
        synchronized (OcspOnlyPkix.class) {
            String before = Security.getProperty("ocsp.enable");
            Security.setProperty("ocsp.enable", "true");
            try {
                validator.validate(CertificateFactory.getInstance("X.509").generateCertPath(path), parameters);
            } finally {
                Security.setProperty("ocsp.enable", before == null ? "false" : before);
            }
        }
        return checker.getSoftFailExceptions();
    }
}
