package org.egovpki.core.ca;

import java.time.Period;
import java.util.Objects;
import java.util.regex.Pattern;
import org.egovpki.core.crypto.KeyAlgorithm;

/**
 * What configuration says one CA should be. The key and certificate are created from it once;
 * afterwards the existing CA is reused even if the definition changes (a CA's identity does not
 * change by editing a file).
 *
 * @param name      short stable name used in URLs, LDAP RDNs and key store aliases
 * @param role      root or issuing
 * @param algorithm key algorithm
 * @param subjectDn subject distinguished name, e.g. {@code CN=egov-pki SM2 Root CA,O=egov-pki,C=CN}
 * @param validity  certificate lifetime
 * @param parent    name of the issuing parent, {@code null} for a root
 */
public record CaDefinition(String name, CaRole role, KeyAlgorithm algorithm, String subjectDn,
                           Period validity, String parent) {

    /** Names appear in URLs and DNs unescaped, so they are restricted to a safe alphabet. */
    public static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    public CaDefinition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(subjectDn, "subjectDn");
        Objects.requireNonNull(validity, "validity");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("CA name '" + name
                    + "' must be 1-63 lower-case letters, digits or '-', starting with a letter or digit");
        }
        if ((role == CaRole.ROOT) != (parent == null)) {
            throw new IllegalArgumentException("CA '" + name + "': a root has no parent and an issuing CA needs one");
        }
    }
}
