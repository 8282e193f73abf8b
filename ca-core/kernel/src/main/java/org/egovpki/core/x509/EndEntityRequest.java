package org.egovpki.core.x509;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.egovpki.core.profile.KeyUsageKind;
import org.egovpki.core.profile.SubjectIdentity;

/**
 * What one end-entity certificate certifies: the subject, its key, which half of a dual pair it
 * is, and the optional SAN and identity values. The caller (registration) has already checked
 * the subject DN, the key policy and proof of possession; {@link EndEntityCertificates} checks
 * only what the profile decides (SAN allowed, identity extensions wanted) and the encodings.
 *
 * <p>Invariants: subject and key present and the subject not empty; lists are immutable copies
 * ({@code null} becomes empty) without null elements; a missing identity becomes
 * {@link SubjectIdentity#none()}.
 *
 * @param subject           the subject DN, encoded exactly as it will appear in the certificate
 * @param publicKey         the subject key as a SubjectPublicKeyInfo (any algorithm may be
 *                          certified; the signature algorithm is the issuer's)
 * @param kind              signing or encryption certificate, which fixes the keyUsage bits
 * @param dnsNames          SAN dNSName entries; only allowed if the profile allows SAN
 * @param ipAddresses       SAN iPAddress entries as IPv4 dotted-quad or IPv6 text; same rule
 * @param identity          GM/T 0015 identity values, written if the profile asks for them
 * @param notAfterOverride  the notAfter to use instead of notBefore + profile validity, or
 *                          {@code null}; a replacement certificate keeps the old one's notAfter
 */
public record EndEntityRequest(
        X500Name subject,
        SubjectPublicKeyInfo publicKey,
        KeyUsageKind kind,
        List<String> dnsNames,
        List<String> ipAddresses,
        SubjectIdentity identity,
        Instant notAfterOverride) {

    public EndEntityRequest {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(publicKey, "publicKey");
        Objects.requireNonNull(kind, "kind");
        if (subject.getRDNs().length == 0) {
            throw new IllegalArgumentException("end-entity certificate request has an empty subject DN;"
                    + " an end-entity certificate needs a subject name");
        }
        dnsNames = dnsNames == null ? List.of() : List.copyOf(dnsNames);
        ipAddresses = ipAddresses == null ? List.of() : List.copyOf(ipAddresses);
        identity = identity == null ? SubjectIdentity.none() : identity;
    }

    /** A request without SAN, identity values or notAfter override. */
    public static EndEntityRequest of(X500Name subject, SubjectPublicKeyInfo publicKey, KeyUsageKind kind) {
        return new EndEntityRequest(subject, publicKey, kind, List.of(), List.of(), SubjectIdentity.none(), null);
    }
}
