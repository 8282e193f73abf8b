package org.egovpki.core.profile;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.LocalDate;
import java.time.Period;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;

/**
 * An end-entity certificate profile: what kind of subscriber it serves and what its certificates
 * say beyond the subject and key (REQUIREMENTS §3). Profiles are configuration, loaded and
 * validated once at start-up; every refusal names the profile, the value and what is allowed.
 *
 * <p>Invariants, checked in the constructor:
 * <ul>
 *   <li>{@code name} matches {@code [a-z0-9][a-z0-9-]{0,62}} (it becomes part of directory
 *       entries and URLs).</li>
 *   <li>{@code validity} has no negative component, is not zero, and ends no later than
 *       {@link #MAX_VALIDITY} (5 years 3 months, 001 §6.6.2.3) from any start date: calendar
 *       arithmetic makes e.g. {@code P5Y2M31D} longer than {@code P5Y3M} from some dates, so
 *       the check runs the period from every day of a four-year (leap) cycle. The issuer checks
 *       the real notBefore/notAfter again when it builds each certificate.</li>
 *   <li>{@code extendedKeyUsages} are distinct, syntactically valid OIDs (an empty list means no
 *       extendedKeyUsage extension); {@code policyOid} is a valid OID; {@code cpsUri} is an
 *       absolute ASCII http(s) URL.</li>
 * </ul>
 *
 * @param name                  profile identifier, e.g. {@code "personal-dual"}
 * @param type                  the subscriber class the profile serves
 * @param validity              notAfter = notBefore + validity (UTC calendar arithmetic)
 * @param dual                  one approval issues a signing and an encryption certificate; the
 *                              encryption key pair comes from the KM
 * @param identityExtensions    which GM/T 0015 identity extensions certificates carry
 * @param extendedKeyUsages     extendedKeyUsage KeyPurposeId OIDs (non-critical), may be empty
 * @param allowSubjectAltNames  whether requests may carry DNS names and IP addresses (SAN)
 * @param autoApproveForRa      an authenticated RA operator's submission is approved without a
 *                              second person (bulk device enrollment); off by default because it
 *                              waives the clerk/reviewer separation
 * @param policyOid             the certificatePolicies policy OID (the CPS's OID)
 * @param cpsUri                CPS URI qualifier of that policy
 * @param description           free text for operators; {@code null} becomes ""
 */
public record CertificateProfile(
        String name,
        CertificateType type,
        Period validity,
        boolean dual,
        IdentityExtensionForm identityExtensions,
        List<String> extendedKeyUsages,
        boolean allowSubjectAltNames,
        boolean autoApproveForRa,
        String policyOid,
        String cpsUri,
        String description) {

    /** Longest end-entity validity (REQUIREMENTS §3, seed 001 §6.6.2.3). */
    public static final Period MAX_VALIDITY = Period.of(5, 3, 0);

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private static final LocalDate CYCLE_START = LocalDate.of(2024, 1, 1);
    private static final int CYCLE_DAYS = 4 * 365 + 1;

    public CertificateProfile {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("certificate profile name \"" + name
                    + "\" is not allowed; use 1 to 63 lower-case letters, digits and hyphens, starting with a"
                    + " letter or digit");
        }
        String what = "certificate profile \"" + name + "\"";
        Objects.requireNonNull(type, what + ": type");
        requireValidity(what, validity);
        Objects.requireNonNull(identityExtensions, what + ": identityExtensions");
        extendedKeyUsages = extendedKeyUsages == null ? List.of() : List.copyOf(extendedKeyUsages);
        Set<String> seen = new HashSet<>();
        for (String oid : extendedKeyUsages) {
            requireOid(what + ": extendedKeyUsage", oid);
            if (!seen.add(oid)) {
                throw new IllegalArgumentException(what + ": extendedKeyUsage " + oid + " is listed twice; list it once");
            }
        }
        requireOid(what + ": policyOid", policyOid);
        requireHttpUrl(what + ": cpsUri", cpsUri);
        description = description == null ? "" : description;
    }

    /** A builder with the defaults: single certificate, no identity extensions, no EKU, no SAN, no auto-approval. */
    public static Builder builder(String name, CertificateType type) {
        return new Builder(name, type);
    }

    /** The certificates one approval issues: {SIGNING}, or {SIGNING, ENCRYPTION} for a dual profile. */
    public Set<KeyUsageKind> kinds() {
        return dual ? EnumSet.of(KeyUsageKind.SIGNING, KeyUsageKind.ENCRYPTION) : EnumSet.of(KeyUsageKind.SIGNING);
    }

    private static void requireValidity(String what, Period validity) {
        Objects.requireNonNull(validity, what + ": validity");
        if (validity.isZero() || validity.getYears() < 0 || validity.getMonths() < 0 || validity.getDays() < 0) {
            throw new IllegalArgumentException(what + ": validity " + validity
                    + " must be positive with no negative part, e.g. P2Y");
        }
        for (int day = 0; day < CYCLE_DAYS; day++) {
            LocalDate start = CYCLE_START.plusDays(day);
            if (start.plus(validity).isAfter(start.plus(MAX_VALIDITY))) {
                throw new IllegalArgumentException(what + ": validity " + validity
                        + " exceeds the end-entity maximum of 5 years 3 months (" + MAX_VALIDITY
                        + ", REQUIREMENTS §3), e.g. from " + start + "; shorten it");
            }
        }
    }

    private static void requireOid(String what, String oid) {
        if (oid == null || ASN1ObjectIdentifier.tryFromID(oid) == null) {
            throw new IllegalArgumentException(what + " \"" + oid
                    + "\" is not an object identifier; write it in dotted form such as 1.3.6.1.5.5.7.3.2");
        }
    }

    private static void requireHttpUrl(String what, String url) {
        if (url == null) {
            throw new IllegalArgumentException(what + " is missing; give the http(s) URL of the CPS");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(what + " \"" + url + "\" is not a valid URI (" + e.getReason()
                    + "); percent-encode spaces and other special characters");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException(what + " \"" + url + "\" must be an http or https URL");
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException(what + " \"" + url + "\" has no host name");
        }
        if (!url.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new IllegalArgumentException(what + " \"" + url
                    + "\" contains non-ASCII characters or blanks; percent-encode them (the CPS URI is an IA5String)");
        }
    }

    /** Builds a {@link CertificateProfile}; {@link #build()} runs the record's checks. */
    public static final class Builder {
        private final String name;
        private final CertificateType type;
        private Period validity;
        private boolean dual;
        private IdentityExtensionForm identityExtensions = IdentityExtensionForm.NONE;
        private List<String> extendedKeyUsages = List.of();
        private boolean allowSubjectAltNames;
        private boolean autoApproveForRa;
        private String policyOid;
        private String cpsUri;
        private String description = "";

        private Builder(String name, CertificateType type) {
            this.name = name;
            this.type = type;
        }

        public Builder validity(Period validity) {
            this.validity = validity;
            return this;
        }

        public Builder dual(boolean dual) {
            this.dual = dual;
            return this;
        }

        public Builder identityExtensions(IdentityExtensionForm identityExtensions) {
            this.identityExtensions = identityExtensions;
            return this;
        }

        public Builder extendedKeyUsages(List<String> extendedKeyUsages) {
            this.extendedKeyUsages = extendedKeyUsages;
            return this;
        }

        public Builder allowSubjectAltNames(boolean allowSubjectAltNames) {
            this.allowSubjectAltNames = allowSubjectAltNames;
            return this;
        }

        public Builder autoApproveForRa(boolean autoApproveForRa) {
            this.autoApproveForRa = autoApproveForRa;
            return this;
        }

        /** The certificatePolicies policy OID and its CPS URI qualifier; both required. */
        public Builder policy(String policyOid, String cpsUri) {
            this.policyOid = policyOid;
            this.cpsUri = cpsUri;
            return this;
        }

        public Builder description(String description) {
            this.description = description;
            return this;
        }

        /** @throws IllegalArgumentException naming the profile if a value is not allowed */
        public CertificateProfile build() {
            return new CertificateProfile(name, type, validity, dual, identityExtensions, extendedKeyUsages,
                    allowSubjectAltNames, autoApproveForRa, policyOid, cpsUri, description);
        }
    }
}
