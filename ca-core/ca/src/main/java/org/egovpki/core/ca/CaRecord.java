package org.egovpki.core.ca;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import org.egovpki.core.crypto.KeyAlgorithm;

/**
 * A CA as the directory publishes it: the certificate and the facts an LDAP browser or a relying
 * party wants without parsing DER.
 *
 * @param certificateDer the CA certificate, DER (defensively copied)
 */
public record CaRecord(String name, CaRole role, KeyAlgorithm algorithm, String parent, String subjectDn,
                       String serialHex, Instant notBefore, Instant notAfter, String sha256Fingerprint,
                       byte[] certificateDer) {

    public CaRecord {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(subjectDn, "subjectDn");
        Objects.requireNonNull(serialHex, "serialHex");
        Objects.requireNonNull(notBefore, "notBefore");
        Objects.requireNonNull(notAfter, "notAfter");
        Objects.requireNonNull(sha256Fingerprint, "sha256Fingerprint");
        certificateDer = certificateDer.clone();
    }

    @Override
    public byte[] certificateDer() {
        return certificateDer.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CaRecord r && name.equals(r.name) && sha256Fingerprint.equals(r.sha256Fingerprint)
                && role == r.role && Objects.equals(parent, r.parent);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, sha256Fingerprint);
    }

    @Override
    public String toString() {
        return "CaRecord[" + name + ", " + role + ", " + algorithm + ", " + subjectDn + ", serial " + serialHex + "]";
    }

}
