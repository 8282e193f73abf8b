package org.egovpki.schema;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;

/**
 * The egov-pki directory information tree under a base DN: the base entry (an
 * {@code organization}, the partition suffix) and one {@code organizationalUnit} container per
 * kind of entry. The template is the resource {@value #TEMPLATE_RESOURCE}.
 *
 * <p>The base DN is taken as a DN string and is not escaped here (it is configuration, and
 * escaping is the caller's job); it must be non-blank, on one line, and start with a
 * single-valued {@code o=<value>} RDN because the base entry is an {@code organization}.
 *
 * @param baseDn the base DN, e.g. {@value #DEFAULT_BASE_DN}
 */
public record DirectoryLayout(String baseDn) {

    /** The base DN used when {@code ldap.baseDn} is not configured. */
    public static final String DEFAULT_BASE_DN = "o=egov-pki,c=CN";
    /** Classpath location of the DIT template. */
    public static final String TEMPLATE_RESOURCE = "/org/egovpki/schema/dit.ldif";
    /** Template placeholder for the base DN. */
    public static final String BASE_DN_PLACEHOLDER = "${baseDn}";
    /** Template placeholder for the value of the base DN's {@code o} RDN. */
    public static final String BASE_ORGANIZATION_PLACEHOLDER = "${baseOrganization}";
    /** uid of the service account the CA server binds with. */
    public static final String CA_SERVICE_ACCOUNT_UID = "egov-pki-ca";
    /** uid of the service account the KM binds with. */
    public static final String KM_SERVICE_ACCOUNT_UID = "egov-pki-km";

    /** The containers directly under the base entry, in the order the template creates them. */
    public enum Container {
        /** CA entries: egovCertificationAuthority + pkiCA, public. */
        CAS("CAs"),
        /** Subscribers: egovSubscriber + pkiUser; only published certificates are public. */
        SUBSCRIBERS("subscribers"),
        /** Certificate records: egovCertificateRecord. */
        CERTIFICATES("certificates"),
        /** Enrollment requests: egovEnrollmentRequest. */
        REQUESTS("requests"),
        /** Operators: egovOperator. */
        OPERATORS("operators"),
        /** Key management: egovEscrowedKey, egovKeyRecoveryRequest; the KM's alone. */
        KM("km"),
        /** Sync targets: egovSyncTarget + egovSyncCursor. */
        SYNC("sync"),
        /** Decision-support statistics: egovDailyStatistics, one per closed day; not public. */
        STATISTICS("statistics"),
        /** Keys never certified again (revoked for key or CA compromise): egovCompromisedKey; not public. */
        COMPROMISED_KEYS("compromisedKeys"),
        /** Audit trail: egovAuditEvent, egovAuditCheckpoint. */
        AUDIT("audit"),
        /** Service accounts: egovServiceAccount. */
        SERVICES("services");

        private final String ou;

        Container(String ou) {
            this.ou = ou;
        }

        /** The {@code ou} value, e.g. {@code CAs}. */
        public String ou() {
            return ou;
        }

        /** The RDN, e.g. {@code ou=CAs}. */
        public String rdn() {
            return "ou=" + ou;
        }
    }

    public DirectoryLayout {
        Objects.requireNonNull(baseDn, "baseDn");
        baseDn = baseDn.strip();
        if (baseDn.isEmpty()) {
            throw new IllegalArgumentException("the base DN (ldap.baseDn) must not be blank; the default is "
                    + DEFAULT_BASE_DN);
        }
        if (baseDn.indexOf('\n') >= 0 || baseDn.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("the base DN (ldap.baseDn) must be on one line: '" + baseDn + "'");
        }
        organizationOf(baseDn);
    }

    /** The layout under {@value #DEFAULT_BASE_DN}. */
    public static DirectoryLayout defaultLayout() {
        return new DirectoryLayout(DEFAULT_BASE_DN);
    }

    /** DN of a container, e.g. {@code ou=CAs,o=egov-pki,c=CN}. */
    public String dn(Container container) {
        return container.rdn() + "," + baseDn;
    }

    /** DN of the CA server's service account, {@code uid=egov-pki-ca,ou=services,<base>}. */
    public String caServiceAccountDn() {
        return "uid=" + CA_SERVICE_ACCOUNT_UID + "," + dn(Container.SERVICES);
    }

    /** DN of the KM's service account, {@code uid=egov-pki-km,ou=services,<base>}. */
    public String kmServiceAccountDn() {
        return "uid=" + KM_SERVICE_ACCOUNT_UID + "," + dn(Container.SERVICES);
    }

    /** The value of the base DN's {@code o} RDN (unescaped), e.g. {@code egov-pki}. */
    public String baseOrganization() {
        return organizationOf(baseDn);
    }

    /**
     * The LDIF add records of the base entry and all containers, base entry first, for this
     * base DN; values that are not LDIF-safe (e.g. non-ASCII) are base64-encoded.
     */
    public String renderDitLdif() {
        String organization = baseOrganization();
        StringBuilder out = new StringBuilder();
        boolean pendingBlank = false;
        for (String line : readTemplate().split("\\R")) {
            if (line.startsWith("#")) {
                continue;
            }
            if (line.isBlank()) {
                pendingBlank = out.length() > 0;
                continue;
            }
            if (pendingBlank) {
                out.append('\n');
                pendingBlank = false;
            }
            if (!line.contains("${")) {
                out.append(line).append('\n');
                continue;
            }
            int colon = line.indexOf(": ");
            if (colon < 0) {
                throw new IllegalStateException("DIT template line with a placeholder is not 'name: value': " + line);
            }
            if (line.replace(BASE_DN_PLACEHOLDER, "").replace(BASE_ORGANIZATION_PLACEHOLDER, "").contains("${")) {
                throw new IllegalStateException("DIT template has an unknown placeholder: " + line);
            }
            String value = line.substring(colon + 2)
                    .replace(BASE_DN_PLACEHOLDER, baseDn)
                    .replace(BASE_ORGANIZATION_PLACEHOLDER, organization);
            Ldif.appendAttribute(out, line.substring(0, colon), value);
        }
        return out.toString();
    }

    /** Shortcut for {@code new DirectoryLayout(baseDn).renderDitLdif()}. */
    public static String renderDit(String baseDn) {
        return new DirectoryLayout(baseDn).renderDitLdif();
    }

    /**
     * The unescaped value of the first RDN, which must be {@code o=<value>} (attribute {@code o},
     * {@code organizationName} or {@code 2.5.4.10}) and single-valued.
     */
    private static String organizationOf(String baseDn) {
        int equals = baseDn.indexOf('=');
        String attribute = equals < 0 ? "" : baseDn.substring(0, equals).strip().toLowerCase(Locale.ROOT);
        if (!attribute.equals("o") && !attribute.equals("organizationname") && !attribute.equals("2.5.4.10")) {
            throw new IllegalArgumentException("the base DN (ldap.baseDn) must start with o=<organization> because the "
                    + "base entry is an organization, e.g. " + DEFAULT_BASE_DN + "; got '" + baseDn + "'");
        }
        ByteArrayOutputStream value = new ByteArrayOutputStream();
        String rest = baseDn.substring(equals + 1).stripLeading();
        if (rest.startsWith("#")) {
            throw new IllegalArgumentException("the base DN (ldap.baseDn) must give the o value as a string, not as "
                    + "#<BER hex>: '" + baseDn + "'");
        }
        int trailingSpaces = 0;
        int i = 0;
        while (i < rest.length()) {
            char c = rest.charAt(i);
            if (c == ',' || c == ';') {
                break;
            }
            if (c == '+') {
                throw new IllegalArgumentException("the base DN (ldap.baseDn) must start with a single-valued o=<value> "
                        + "RDN, not a multi-valued RDN: '" + baseDn + "'");
            }
            if (c == '\\') {
                if (i + 1 >= rest.length()) {
                    throw new IllegalArgumentException("the base DN (ldap.baseDn) ends with a lone backslash: '"
                            + baseDn + "'");
                }
                int high = Character.digit(rest.charAt(i + 1), 16);
                int low = i + 2 < rest.length() ? Character.digit(rest.charAt(i + 2), 16) : -1;
                if (high >= 0 && low >= 0) {
                    value.write(high * 16 + low);
                    i += 3;
                } else {
                    byte[] escaped = String.valueOf(rest.charAt(i + 1)).getBytes(StandardCharsets.UTF_8);
                    value.write(escaped, 0, escaped.length);
                    i += 2;
                }
                trailingSpaces = 0;
                continue;
            }
            trailingSpaces = c == ' ' ? trailingSpaces + 1 : 0;
            byte[] plain = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
            if (Character.isHighSurrogate(c) && i + 1 < rest.length()) {
                plain = rest.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
                i++;
            }
            value.write(plain, 0, plain.length);
            i++;
        }
        String organization = value.toString(StandardCharsets.UTF_8);
        organization = organization.substring(0, organization.length() - trailingSpaces);
        if (organization.isEmpty()) {
            throw new IllegalArgumentException("the base DN (ldap.baseDn) has an empty o value: '" + baseDn + "'");
        }
        return organization;
    }

    private static String readTemplate() {
        try (InputStream in = DirectoryLayout.class.getResourceAsStream(TEMPLATE_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("DIT template " + TEMPLATE_RESOURCE + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read DIT template " + TEMPLATE_RESOURCE, e);
        }
    }
}
