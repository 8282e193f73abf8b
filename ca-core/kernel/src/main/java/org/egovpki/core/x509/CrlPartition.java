package org.egovpki.core.x509;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import javax.security.auth.x500.X500Principal;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.IssuingDistributionPoint;

/**
 * The scope of a partitioned CRL, written as its critical issuingDistributionPoint extension
 * (RFC 5280 §5.2.5): which distribution point it is, and whether it covers only end-entity or
 * only CA certificates (the latter is an ARL, an authority revocation list).
 *
 * <p>The distribution point's fullName lists the URIs, then the directory name. A relying party
 * accepts a partitioned CRL for a certificate only if one of these names equals a name in the
 * certificate's cRLDistributionPoints, so they must be exactly the names the certificates carry.
 *
 * <p>Invariants: URIs are absolute ASCII {@code http}, {@code ldap} or {@code ldaps} URIs with a
 * host; at least one of a URI, a directory name or a restriction is present, since §5.2.5
 * forbids an empty issuingDistributionPoint. Not supported (never written): onlySomeReasons,
 * indirectCRL, onlyContainsAttributeCerts — egov-pki neither partitions by reason nor issues
 * indirect CRLs.
 *
 * @param uris          uniformResourceIdentifier names of the distribution point (may be empty)
 * @param directoryName directoryName of the distribution point, or null
 * @param contains      which certificates the CRL covers
 */
public record CrlPartition(List<String> uris, X500Principal directoryName, Contains contains) {

    /** Which certificates a partitioned CRL covers. */
    public enum Contains {
        /** All certificates of the distribution point: neither flag set. */
        ALL_CERTIFICATES,
        /** onlyContainsUserCerts: end-entity certificates only. */
        USER_CERTIFICATES,
        /** onlyContainsCACerts: CA certificates only, an ARL. */
        CA_CERTIFICATES
    }

    private static final Set<String> SCHEMES = Set.of("http", "ldap", "ldaps");

    public CrlPartition {
        uris = uris == null ? List.of() : List.copyOf(uris);
        contains = contains == null ? Contains.ALL_CERTIFICATES : contains;
        for (int i = 0; i < uris.size(); i++) {
            Urls.requireUrl("issuing distribution point URI " + (i + 1), uris.get(i), SCHEMES);
        }
        if (uris.isEmpty() && directoryName == null && contains == Contains.ALL_CERTIFICATES) {
            throw new IllegalArgumentException("an issuing distribution point needs a URI, a directory name or a"
                    + " restriction to user or CA certificates; RFC 5280 §5.2.5 forbids an empty one");
        }
    }

    /** A partition of all certificates whose cRLDistributionPoints name one of {@code uris}. */
    public static CrlPartition of(List<String> uris) {
        return new CrlPartition(uris, null, Contains.ALL_CERTIFICATES);
    }

    /** A partition of end-entity certificates only, at {@code uris}. */
    public static CrlPartition userCertificates(List<String> uris) {
        return new CrlPartition(uris, null, Contains.USER_CERTIFICATES);
    }

    /** An authority revocation list (CA certificates only), at {@code uris}. */
    public static CrlPartition caCertificates(List<String> uris) {
        return new CrlPartition(uris, null, Contains.CA_CERTIFICATES);
    }

    /** The same partition with {@code name} as its directoryName. */
    public CrlPartition withDirectoryName(X500Principal name) {
        return new CrlPartition(uris, Objects.requireNonNull(name, "name"), contains);
    }

    /** The extension value, for {@link CrlFactory}. */
    IssuingDistributionPoint toExtensionValue() {
        List<GeneralName> names = new ArrayList<>();
        for (String uri : uris) {
            names.add(new GeneralName(GeneralName.uniformResourceIdentifier, uri));
        }
        if (directoryName != null) {
            names.add(new GeneralName(X500Name.getInstance(directoryName.getEncoded())));
        }
        DistributionPointName point = names.isEmpty() ? null
                : new DistributionPointName(DistributionPointName.FULL_NAME,
                        new GeneralNames(names.toArray(GeneralName[]::new)));
        // The full constructor on purpose: Bouncy Castle's three-argument one takes
        // (point, indirectCRL, onlyContainsAttributeCerts), not the user/CA flags.
        return new IssuingDistributionPoint(point, contains == Contains.USER_CERTIFICATES,
                contains == Contains.CA_CERTIFICATES, null, false, false);
    }
}
