package org.egovpki.server.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.LDAPException;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Period;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.egovpki.core.ca.CaDefinition;
import org.egovpki.core.ca.CaRole;
import org.egovpki.core.crypto.KeyAlgorithm;
import org.egovpki.core.ocsp.OcspResponder;
import org.egovpki.core.profile.CertificateProfile;
import org.egovpki.core.profile.CertificateType;
import org.egovpki.core.profile.IdentityExtensionForm;
import org.egovpki.core.profile.ProfileCatalog;
import org.egovpki.core.DomainException;
import org.egovpki.core.enroll.RenewalWindow;
import org.egovpki.directory.PasswordRules;
import org.egovpki.core.x509.DistinguishedNames;
import org.egovpki.directory.LockoutPolicy;
import org.egovpki.directory.embedded.EmbeddedDirectorySettings;
import org.quartz.CronExpression;

/**
 * Reads {@code egov-pki.yaml} once, applies command-line overrides, and validates everything before
 * anything starts. Unknown keys are errors (a misspelt key must not silently fall back to a
 * default). Without a file the defaults apply; they equal the shipped {@code conf/egov-pki.yaml}.
 */
public final class ConfigLoader {

    public static final String DEFAULT_DATA = "./data";
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_LDAP_PORT = 10389;
    public static final int DEFAULT_HTTP_PORT = 8080;
    public static final String DEFAULT_BASE_DN = "o=egov-pki,c=CN";

    private static final int ROOT_MAX_YEARS = 30;
    /** A delegated OCSP responder certificate lives at most a year (OcspSigningCertificates.MAX_VALIDITY). */
    private static final int MAX_DELEGATED_VALIDITY_DAYS = 366;
    /** An OCSP answer is usable for at most a week, like a CRL (ca.crl.nextUpdateHours allows 30 days). */
    private static final int MAX_OCSP_NEXT_UPDATE_MINUTES = 7 * 24 * 60;
    private static final int ISSUING_MAX_YEARS = 20;

    private ConfigLoader() {
    }

    /**
     * @param file      the YAML file, or {@code null} for the defaults
     * @param overrides dotted keys to values (from command-line options), applied over the file
     */
    public static EgovPkiConfig load(Path file, Map<String, String> overrides) {
        ObjectNode tree = file == null ? JsonNodeFactory.instance.objectNode() : readYaml(file);
        overrides.forEach((key, value) -> set(tree, key, value));
        return read(new ConfigNode(tree, ""));
    }

    public static EgovPkiConfig defaults() {
        return load(null, Map.of());
    }

    private static ObjectNode readYaml(Path file) {
        try {
            JsonNode node = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(file));
            if (node == null || node.isMissingNode() || node.isNull()) {
                return JsonNodeFactory.instance.objectNode();
            }
            if (!node.isObject()) {
                throw new ConfigException("configuration file " + file + " must be a YAML mapping of keys to values");
            }
            return (ObjectNode) node;
        } catch (NoSuchFileException e) {
            throw new ConfigException("configuration file " + file + " does not exist");
        } catch (JsonProcessingException e) {
            throw new ConfigException("configuration file " + file + " is not valid YAML: "
                    + e.getOriginalMessage() + " (line " + e.getLocation().getLineNr() + ")", e);
        } catch (IOException e) {
            throw new ConfigException("configuration file " + file + " cannot be read: " + e.getMessage(), e);
        }
    }

    private static void set(ObjectNode tree, String dottedKey, String value) {
        String[] parts = dottedKey.split("\\.");
        ObjectNode node = tree;
        for (int i = 0; i < parts.length - 1; i++) {
            JsonNode child = node.get(parts[i]);
            if (!(child instanceof ObjectNode)) {
                child = node.putObject(parts[i]);
            }
            node = (ObjectNode) child;
        }
        node.put(parts[parts.length - 1], value);
    }

    private static EgovPkiConfig read(ConfigNode root) {
        Path data = root.parsed("data", DEFAULT_DATA, Path::of, "expected a directory path");

        ConfigNode ldapNode = root.child("ldap");
        String ldapHost = ldapNode.string("host", DEFAULT_HOST);
        int ldapPort = ldapNode.integer("port", DEFAULT_LDAP_PORT, 0, 65535);
        String baseDn = ldapNode.parsed("baseDn", DEFAULT_BASE_DN, ConfigLoader::distinguishedName,
                "expected an LDAP DN such as o=egov-pki,c=CN");
        EgovPkiConfig.ExternalDirectory external = ldapNode.has("external")
                ? readExternalDirectory(ldapNode.child("external")) : null;
        // Against an external directory relying parties read its (first) URL unless told otherwise.
        String defaultLdapPublic = external != null ? external.urls().get(0).toString()
                : "ldap://" + ldapHost + ":" + ldapPort;
        URI ldapPublic = ldapNode.parsed("publicUrl", defaultLdapPublic,
                v -> url(v, "ldap", "ldaps"), "expected an ldap:// or ldaps:// URL with a host");
        ConfigNode lockoutNode = ldapNode.child("lockout");
        LockoutPolicy lockout = new LockoutPolicy(lockoutNode.integer("maxFailures", 5, 1, 100),
                Duration.ofSeconds(lockoutNode.integer("durationSeconds", 900, 1, 86_400)),
                Duration.ofSeconds(lockoutNode.integer("failureWindowSeconds", 900, 1, 86_400)));
        lockoutNode.rejectUnknownKeys();
        ConfigNode x500Node = ldapNode.child("x500Names");
        boolean x500Enabled = x500Node.bool("enabled", true);
        List<String> x500Contexts = new ArrayList<>();
        List<String> configuredContexts = x500Node.has("namingContexts") ? x500Node.strings("namingContexts")
                : List.of(DEFAULT_X500_CONTEXT);
        for (String context : configuredContexts) {
            try {
                distinguishedName(context);
            } catch (IllegalArgumentException e) {
                throw ConfigException.invalid("ldap.x500Names.namingContexts", context,
                        "expected LDAP DNs such as c=CN");
            }
            x500Contexts.add(context);
        }
        if (x500Enabled && x500Contexts.isEmpty()) {
            throw ConfigException.invalid("ldap.x500Names.namingContexts", "[]",
                    "expected at least one naming context such as c=CN, or set ldap.x500Names.enabled: false");
        }
        x500Node.rejectUnknownKeys();
        ConfigNode embeddedNode = ldapNode.child("embedded");
        EmbeddedDirectorySettings.Durability durability = new EmbeddedDirectorySettings.Durability(
                embeddedNode.bool("syncOnWrite", true),
                Duration.ofSeconds(embeddedNode.integer("syncSeconds", 5, 1, 3_600)),
                (long) embeddedNode.integer("syncLogMegabytes", 64, 1, 512) << 20);
        embeddedNode.rejectUnknownKeys();
        ldapNode.rejectUnknownKeys();
        EgovPkiConfig.Ldap ldap = new EgovPkiConfig.Ldap(ldapHost, ldapPort, baseDn, ldapPublic, lockout,
                external, x500Enabled ? List.copyOf(x500Contexts) : List.of(), durability);

        ConfigNode httpNode = root.child("http");
        String httpHost = httpNode.string("host", DEFAULT_HOST);
        int httpPort = httpNode.integer("port", DEFAULT_HTTP_PORT, 0, 65535);
        URI httpPublic = httpNode.parsed("publicUrl", "http://" + httpHost + ":" + httpPort,
                v -> url(v, "http"), "expected an http:// URL with a host (it is written into certificates as the "
                        + "CRL and CA certificate location, which relying parties fetch over plain HTTP)");
        EgovPkiConfig.Tls tls = httpNode.has("tls") ? readTls(httpNode.child("tls")) : null;
        httpNode.rejectUnknownKeys();
        EgovPkiConfig.Http http = new EgovPkiConfig.Http(httpHost, httpPort, httpPublic, tls);
        if (tls != null && tls.port() == httpPort && httpPort != 0) {
            throw ConfigException.invalid("http.tls.port", tls.port(), "must differ from http.port");
        }
        if (ldapHost.equals(httpHost) && ldapPort == httpPort && ldapPort != 0) {
            throw ConfigException.invalid("http.port", httpPort, "must differ from ldap.port on the same host");
        }

        EgovPkiConfig.Ca ca = readCa(root.child("ca"));
        ProfileCatalog profiles = readProfiles(root.has("profiles") ? root : defaultProfiles(), ca, httpPublic);
        EgovPkiConfig.Enrollment enrollment = readEnrollment(root.child("enrollment"));
        EgovPkiConfig.Revocation revocation = readRevocation(root.child("revocation"));
        EgovPkiConfig.Lifecycle lifecycle = readLifecycle(root.child("lifecycle"));
        EgovPkiConfig.Km km = readKm(root.child("km"));
        EgovPkiConfig.Ocsp ocsp = readOcsp(root.child("ocsp"));
        EgovPkiConfig.Sync sync = readSync(root.child("sync"));
        EgovPkiConfig.Logging logging = readLogging(root.child("logging"));
        EgovPkiConfig.Audit audit = readAudit(root.child("audit"));
        EgovPkiConfig.CaKeys caKeys = readCaKeys(root.child("caKeys"), ca);
        EgovPkiConfig.Info info = readInfo(root.child("info"));
        EgovPkiConfig.Operators operators = readOperators(root.child("operators"), profiles);
        EgovPkiConfig.Statistics statistics = readStatistics(root.child("statistics"));
        root.rejectUnknownKeys();
        return new EgovPkiConfig(data, ldap, http, ca, profiles, enrollment, revocation, lifecycle, ocsp, km, sync,
                logging, audit, caKeys, info, operators, statistics);
    }

    private static EgovPkiConfig.Info readInfo(ConfigNode node) {
        ConfigNode organisation = node.child("organisation");
        String zh = organisation.string("zh", "egov-pki 演示证书认证机构");
        String en = organisation.string("en", "egov-pki demonstration CA");
        organisation.rejectUnknownKeys();
        ConfigNode contacts = node.child("contacts");
        String phone = contacts.string("phone", null);
        String email = contacts.string("email", null);
        String address = contacts.string("address", null);
        contacts.rejectUnknownKeys();
        ConfigNode cps = node.child("cps");
        Path cpsZh = cps.parsed("zh", null, ConfigLoader::readableFile, "expected a readable UTF-8 text file");
        Path cpsEn = cps.parsed("en", null, ConfigLoader::readableFile, "expected a readable UTF-8 text file");
        cps.rejectUnknownKeys();
        ConfigNode agreement = node.child("agreement");
        Path agreementZh = agreement.parsed("zh", null, ConfigLoader::readableFile, "expected a readable UTF-8 text file");
        Path agreementEn = agreement.parsed("en", null, ConfigLoader::readableFile, "expected a readable UTF-8 text file");
        agreement.rejectUnknownKeys();
        ConfigNode lookup = node.child("lookup");
        int perMinute = lookup.integer("perMinute", 20, 1, 100_000);
        int burst = lookup.integer("burst", 10, 1, 100_000);
        lookup.rejectUnknownKeys();
        node.rejectUnknownKeys();
        return new EgovPkiConfig.Info(zh, en, phone, email, address, cpsZh, cpsEn, agreementZh, agreementEn,
                perMinute, burst);
    }

    private static Path readableFile(String value) {
        Path path = Path.of(value);
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            throw new IllegalArgumentException(value + " is not a readable file");
        }
        return path;
    }

    private static EgovPkiConfig.CaKeys readCaKeys(ConfigNode node, EgovPkiConfig.Ca ca) {
        EgovPkiConfig.CaKeyStoreType store = node.parsed("store", "pkcs12",
                v -> EgovPkiConfig.CaKeyStoreType.valueOf(v.toUpperCase(Locale.ROOT)),
                "expected pkcs12 (a file in the data directory) or pkcs11 (a token)");
        ConfigNode pkcs11 = node.child("pkcs11");
        if (store == EgovPkiConfig.CaKeyStoreType.PKCS12) {
            if (node.has("pkcs11")) {
                throw ConfigException.invalid(node.key("pkcs11"), "(set)",
                        "is read only with caKeys.store: pkcs11; remove it or set the store");
            }
            EgovPkiConfig.Custody custody = node.parsed("custody", "demo",
                    v -> EgovPkiConfig.Custody.valueOf(v.toUpperCase(Locale.ROOT)),
                    "expected demo (the password generated into the data directory) or shares (split among key "
                            + "custodians, caKeys.shares)");
            org.egovpki.server.custody.CustodyPlan shares = readShares(node, custody);
            node.rejectUnknownKeys();
            return custody == EgovPkiConfig.Custody.DEMO ? EgovPkiConfig.CaKeys.PKCS12
                    : new EgovPkiConfig.CaKeys(store, null, null, null, null, custody, shares);
        }
        // custody: demo is the default the shipped file spells out; only the shares apply to a PKCS#12 store alone.
        String custody = node.string("custody", "demo");
        if (!"demo".equalsIgnoreCase(custody.strip()) || node.has("shares")) {
            throw ConfigException.invalid(node.key(node.has("shares") ? "shares" : "custody"),
                    node.has("shares") ? "(set)" : custody,
                    "applies only to caKeys.store: pkcs12 (a token's keys are protected by the token and its PIN)");
        }
        Path library = pkcs11.parsed("library", null, Path::of, "expected the path of the token's PKCS#11 library");
        if (library == null) {
            throw ConfigException.invalid(pkcs11.key("library"), "(missing)",
                    "expected the path of the token's PKCS#11 library, e.g. /usr/lib/softhsm/libsofthsm2.so");
        }
        Long slot = pkcs11.parsed("slot", null, Long::parseLong, "expected the token's slot id (a number)");
        Integer index = pkcs11.has("slotListIndex") ? pkcs11.integer("slotListIndex", 0, 0, 1024) : null;
        if ((slot == null) == (index == null)) {
            throw ConfigException.invalid(pkcs11.key("slot"), slot == null ? "(missing)" : String.valueOf(slot),
                    "name the token by slot id (slot) or by slotListIndex, exactly one of them");
        }
        Path pinFile = pkcs11.parsed("pinFile", null, Path::of, "expected the path of a file holding the user PIN");
        if (pinFile == null) {
            throw ConfigException.invalid(pkcs11.key("pinFile"), "(missing)",
                    "expected the path of a file holding the token's user PIN (never the PIN itself)");
        }
        pkcs11.rejectUnknownKeys();
        node.rejectUnknownKeys();
        for (CaDefinition definition : ca.definitions()) {
            if (definition.algorithm() == KeyAlgorithm.SM2) {
                throw ConfigException.invalid(node.key("store"), "pkcs11", "the JDK's SunPKCS11 has no SM2 "
                        + "mechanism, and CA " + definition.name() + " is SM2: disable the SM2 chain (enabled: false "
                        + "under ca.chains) and use RSA or EC chains on the token, or keep caKeys.store: pkcs12");
            }
        }
        return new EgovPkiConfig.CaKeys(store, library, slot, index, pinFile);
    }

    /** {@code caKeys.shares.*}: read only with {@code custody: shares}, where the custodians must be named. */
    private static org.egovpki.server.custody.CustodyPlan readShares(ConfigNode node, EgovPkiConfig.Custody custody) {
        if (custody != EgovPkiConfig.Custody.SHARES) {
            if (node.has("shares")) {
                throw ConfigException.invalid(node.key("shares"), "(set)",
                        "is read only with caKeys.custody: shares; remove it or set the custody");
            }
            return null;
        }
        ConfigNode shares = node.child("shares");
        int threshold = shares.integer("threshold", 3, 2, org.egovpki.server.custody.CustodyPlan.MAX_CUSTODIANS);
        List<String> custodians = shares.strings("custodians");
        shares.rejectUnknownKeys();
        if (custodians.isEmpty()) {
            throw ConfigException.invalid(shares.key("custodians"), "(missing)", "name the key custodians (operator "
                    + "logins), e.g. [alice, bob, carol, dave, erin] for the default threshold of 3");
        }
        try {
            return new org.egovpki.server.custody.CustodyPlan(threshold, custodians);
        } catch (IllegalArgumentException e) {
            throw ConfigException.invalid(shares.key("custodians"), String.join(", ", custodians), e.getMessage());
        }
    }

    private static EgovPkiConfig.Logging readLogging(ConfigNode node) {
        String level = node.parsed("level", "INFO", ConfigLoader::logLevel,
                "expected one of ERROR, WARN, INFO, DEBUG, TRACE");
        EgovPkiConfig.LogFormat format = node.parsed("format", "text",
                v -> EgovPkiConfig.LogFormat.valueOf(v.toUpperCase(Locale.ROOT)),
                "expected text or json (one JSON object per line: timestamp, level, thread, logger, message)");
        ConfigNode file = node.child("file");
        // Absent (the default): console only.
        Path directory = file.parsed("directory", null, Path::of, "expected a directory path");
        int maxSize = file.integer("maxSizeMb", 100, 1, 100_000);
        int history = file.integer("maxHistoryDays", 30, 1, 3660);
        int cap = file.integer("totalSizeCapMb", 5_000, 1, 10_000_000);
        if (cap < maxSize) {
            throw ConfigException.invalid(file.key("totalSizeCapMb"), cap, "expected at least logging.file.maxSizeMb ("
                    + maxSize + ")");
        }
        file.rejectUnknownKeys();
        node.rejectUnknownKeys();
        return new EgovPkiConfig.Logging(level, format, directory, maxSize, history, cap);
    }

    private static String logLevel(String value) {
        String level = value.toUpperCase(Locale.ROOT);
        if (!List.of("ERROR", "WARN", "INFO", "DEBUG", "TRACE").contains(level)) {
            throw new IllegalArgumentException(value);
        }
        return level;
    }

    private static EgovPkiConfig.Statistics readStatistics(ConfigNode node) {
        int refresh = node.integer("refreshSeconds", 60, 1, 3600);
        node.rejectUnknownKeys();
        return new EgovPkiConfig.Statistics(Duration.ofSeconds(refresh));
    }

    private static EgovPkiConfig.Operators readOperators(ConfigNode node, ProfileCatalog profiles) {
        int history = node.integer("passwordHistory", 5, 1, 24);
        int maxAge = node.integer("passwordMaxAgeDays", 90, 0, 3650);
        EgovPkiConfig.SecondFactor secondFactor = readSecondFactor(node.child("secondFactor"), profiles);
        node.rejectUnknownKeys();
        return new EgovPkiConfig.Operators(history, maxAge, secondFactor);
    }

    private static EgovPkiConfig.SecondFactor readSecondFactor(ConfigNode node, ProfileCatalog profiles) {
        java.util.Set<org.egovpki.core.operator.Role> roles;
        if (node.has("roles")) {
            roles = java.util.EnumSet.noneOf(org.egovpki.core.operator.Role.class);
            for (String value : node.strings("roles")) {
                try {
                    roles.add(org.egovpki.core.operator.Role.valueOf(value.toUpperCase(Locale.ROOT)));
                } catch (IllegalArgumentException e) {
                    throw ConfigException.invalid(node.key("roles"), value, "one of "
                            + java.util.Arrays.toString(org.egovpki.core.operator.Role.values()));
                }
            }
            if (roles.contains(org.egovpki.core.operator.Role.KEY_CUSTODIAN)) {
                // Fail here, not at a locked start: the locked server takes a custodian's share with its
                // password (and the share file's own passphrase), and has no certificate login to ask for.
                throw ConfigException.invalid(node.key("roles"), "KEY_CUSTODIAN", "a role that may need a second "
                        + "factor; KEY_CUSTODIAN cannot: a locked server takes a custodian's share with its password "
                        + "and the share's sealed file and passphrase (two factors of its own), and offers no "
                        + "certificate login while the CA keys are locked (docs/operations.md, \"Key custodians\")");
            }
        } else {
            roles = org.egovpki.core.operator.SecondFactorPolicy.ADMINISTRATIVE_ROLES.roles();
        }
        int sessionMinutes = node.integer("sessionMinutes", 15, 1, 480);
        int challengeSeconds = node.integer("challengeSeconds", 120, 10, 600);
        java.util.Set<String> operatorProfiles = readOperatorProfiles(node, profiles);
        node.rejectUnknownKeys();
        return new EgovPkiConfig.SecondFactor(new org.egovpki.core.operator.SecondFactorPolicy(roles),
                Duration.ofMinutes(sessionMinutes), Duration.ofSeconds(challengeSeconds), operatorProfiles);
    }

    /**
     * {@code operators.secondFactor.profiles}: the profiles whose certificates are operators' second
     * factors. Each one named must be configured, and none may approve automatically for RA admins —
     * one RA admin alone would then issue operator logins. The default {@code [operator]} is not
     * required to exist (a configuration without it binds no certificate), but the same rule holds for it.
     */
    private static java.util.Set<String> readOperatorProfiles(ConfigNode node, ProfileCatalog profiles) {
        boolean given = node.has("profiles");
        List<String> names = given ? node.strings("profiles")
                : List.of(org.egovpki.core.enroll.OperatorCertificates.PROFILE);
        if (names.isEmpty()) {
            throw ConfigException.invalid(node.key("profiles"), "[]", "at least one operator profile (remove the key "
                    + "for the default [" + org.egovpki.core.enroll.OperatorCertificates.PROFILE + "]; to need no "
                    + "second factor, set roles: [])");
        }
        for (String name : names) {
            Optional<ProfileCatalog.Entry> entry = profiles.find(name);
            if (entry.isEmpty() && given) {
                throw ConfigException.invalid(node.key("profiles"), name, "a configured profile: "
                        + profiles.all().stream().map(e -> e.profile().name()).toList());
            }
            if (entry.isPresent() && entry.get().profile().autoApproveForRa()) {
                throw ConfigException.invalid(node.key("profiles"), name, "an operator profile without "
                        + "autoApproveForRa: an operator certificate is a second login factor, issued after an entry "
                        + "clerk and a different reviewer checked the operator, never by one RA admin alone");
            }
        }
        return java.util.Set.copyOf(names);
    }

    private static EgovPkiConfig.Audit readAudit(ConfigNode node) {
        ConfigNode rotation = node.child("rotation");
        int maxSize = rotation.integer("maxSizeMb", 100, 0, 100_000);
        boolean daily = rotation.bool("daily", false);
        ZoneId zone = rotation.parsed("timeZone", "Asia/Shanghai", ZoneId::of, "expected a time zone id such as "
                + "Asia/Shanghai or UTC");
        rotation.rejectUnknownKeys();
        String trail = node.string("trail", EgovPkiConfig.Audit.DEFAULT_TRAIL);
        if (!trail.matches("[a-z0-9][a-z0-9-]{0,31}") || trail.equals("cli") || trail.endsWith("-cli")) {
            throw ConfigException.invalid(node.key("trail"), trail, "expected 1-32 lower-case letters, digits and "
                    + "hyphens, not 'cli' nor ending in '-cli' (those name the command line's trails): 'server', or a "
                    + "name of its own for each further CA process on the same directory, e.g. 'server-b'");
        }
        node.rejectUnknownKeys();
        return new EgovPkiConfig.Audit(maxSize, daily, zone, trail);
    }

    private static EgovPkiConfig.Ca readCa(ConfigNode caNode) {
        List<ConfigNode> chains = caNode.has("chains") ? caNode.list("chains") : defaultChains(caNode);
        List<CaDefinition> definitions = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (ConfigNode chain : chains) {
            KeyAlgorithm algorithm = chain.parsed("algorithm", null, KeyAlgorithm::parse, "expected SM2, RSA or EC");
            if (algorithm == null) {
                throw ConfigException.invalid(chain.key("algorithm"), "(missing)", "expected SM2, RSA or EC");
            }
            boolean enabled = chain.bool("enabled", true);
            CaDefinition root = readCaEntry(chain.child("root"), CaRole.ROOT, algorithm, null, names);
            CaDefinition issuing = readCaEntry(chain.child("issuing"), CaRole.ISSUING, algorithm, root.name(), names);
            chain.rejectUnknownKeys();
            if (enabled) {
                definitions.add(root);
                definitions.add(issuing);
            }
        }
        if (definitions.isEmpty()) {
            throw ConfigException.invalid(caNode.key("chains"), "(no enabled chain)",
                    "at least one CA chain must be enabled");
        }
        ConfigNode crlNode = caNode.child("crl");
        int hours = crlNode.integer("nextUpdateHours", 24, 1, 24 * 30);
        String schedule = crlNode.parsed("schedule", "0 0 0 * * ?", ConfigLoader::cron,
                "expected a Quartz cron expression (seconds minutes hours day-of-month month day-of-week), "
                        + "e.g. '0 0 0 * * ?' for daily at 00:00");
        ZoneId zone = crlNode.parsed("timeZone", "Asia/Shanghai", ZoneId::of, "expected a time zone ID such as Asia/Shanghai");
        int afterRevocation = crlNode.integer("afterRevocationSeconds", 60, 1, 24 * 3600);
        boolean deltas = crlNode.bool("deltas", true);
        int partitions = crlNode.integer("partitions", 1, 1, 1024);
        crlNode.rejectUnknownKeys();
        caNode.rejectUnknownKeys();
        return new EgovPkiConfig.Ca(definitions, new EgovPkiConfig.Crl(Duration.ofHours(hours), schedule, zone,
                Duration.ofSeconds(afterRevocation), deltas, partitions));
    }

    private static CaDefinition readCaEntry(ConfigNode node, CaRole role, KeyAlgorithm algorithm, String parent,
                                            Set<String> names) {
        int maxYears = role == CaRole.ROOT ? ROOT_MAX_YEARS : ISSUING_MAX_YEARS;
        String name = node.parsed("name", null, ConfigLoader::caName,
                "expected 1-63 lower-case letters, digits or '-' (used in URLs and LDAP names)");
        if (name == null) {
            throw ConfigException.invalid(node.key("name"), "(missing)", "every CA needs a name");
        }
        if (!names.add(name)) {
            throw ConfigException.invalid(node.key("name"), name, "CA names must be unique");
        }
        String subject = node.parsed("subject", null, ConfigLoader::subjectDn,
                "expected a DN of C, ST, L, O, OU, CN, E attributes, e.g. CN=Example CA,O=Example,C=CN");
        if (subject == null) {
            throw ConfigException.invalid(node.key("subject"), "(missing)", "every CA needs a subject DN");
        }
        int years = node.integer("validityYears", maxYears, 1, maxYears);
        node.rejectUnknownKeys();
        return new CaDefinition(name, role, algorithm, subject, Period.ofYears(years), parent);
    }

    /**
     * {@code ldap.external}: every URL of one scheme, TLS (ldaps:// or StartTLS) unless the directory is on
     * a loopback address — the service accounts' passwords and registration data cross that connection.
     */
    private static EgovPkiConfig.ExternalDirectory readExternalDirectory(ConfigNode node) {
        List<String> texts = node.strings("urls");
        if (texts.isEmpty()) {
            throw ConfigException.invalid(node.key("urls"), "(missing)", "list at least one ldap:// or ldaps:// URL "
                    + "of the external directory, e.g. [ldap://ldap1.example.gov.cn:389]");
        }
        List<URI> urls = new ArrayList<>();
        for (String text : texts) {
            URI url;
            try {
                url = url(text, "ldap", "ldaps");
            } catch (IllegalArgumentException e) {
                throw ConfigException.invalid(node.key("urls"), text, "expected an ldap:// or ldaps:// URL with a host"
                        + " and no DN (" + e.getMessage() + ")");
            }
            if (url.getRawPath() != null && !url.getRawPath().isEmpty() || url.getRawQuery() != null) {
                throw ConfigException.invalid(node.key("urls"), text, "give only scheme, host and port: the base DN "
                        + "is ldap.baseDn");
            }
            if (!urls.isEmpty() && !urls.get(0).getScheme().equals(url.getScheme())) {
                throw ConfigException.invalid(node.key("urls"), text, "all URLs must use one scheme (all ldap:// or "
                        + "all ldaps://)");
            }
            urls.add(url);
        }
        boolean ldaps = "ldaps".equals(urls.get(0).getScheme());
        boolean startTls = node.bool("startTls", false);
        if (startTls && ldaps) {
            throw ConfigException.invalid(node.key("startTls"), true, "StartTLS is for ldap:// URLs; ldaps:// is "
                    + "encrypted already (remove startTls or use ldap:// URLs)");
        }
        boolean tls = ldaps || startTls;
        if (!tls) {
            for (URI url : urls) {
                if (!loopback(url.getHost())) {
                    throw ConfigException.invalid(node.key("urls"), url, "a directory on another host must be reached "
                            + "over TLS (passwords and registration data cross the connection): use ldaps:// URLs or "
                            + "set " + node.key("startTls") + ": true");
                }
            }
        }
        Path trustStore = node.parsed("trustStore", null, Path::of, "expected the path of a PKCS#12 trust store");
        Path trustStorePasswordFile = node.parsed("trustStorePasswordFile", null, Path::of,
                "expected the path of a file holding the trust store's password");
        if (!tls && (trustStore != null || trustStorePasswordFile != null)) {
            throw ConfigException.invalid(node.key(trustStore != null ? "trustStore" : "trustStorePasswordFile"),
                    trustStore != null ? trustStore : trustStorePasswordFile,
                    "a trust store is used only with TLS: use ldaps:// URLs or set " + node.key("startTls") + ": true");
        }
        if (trustStorePasswordFile != null && trustStore == null) {
            throw ConfigException.invalid(node.key("trustStorePasswordFile"), trustStorePasswordFile,
                    "set " + node.key("trustStore") + " too (the password is the trust store's)");
        }
        requireReadable(node, "trustStore", trustStore);
        requireReadable(node, "trustStorePasswordFile", trustStorePasswordFile);
        Path caPasswordFile = requiredFile(node, "caPasswordFile", "the CA service account's (uid=egov-pki-ca,"
                + "ou=services,<ldap.baseDn>) password, the one 'egov-pki directory prepare-openldap' set");
        Path kmPasswordFile = requiredFile(node, "kmPasswordFile", "the KM service account's (uid=egov-pki-km,"
                + "ou=services,<ldap.baseDn>) password, the one 'egov-pki directory prepare-openldap' set");
        node.rejectUnknownKeys();
        return new EgovPkiConfig.ExternalDirectory(urls, startTls, trustStore, trustStorePasswordFile, caPasswordFile,
                kmPasswordFile);
    }

    private static Path requiredFile(ConfigNode node, String key, String what) {
        Path file = node.parsed(key, null, Path::of, "expected a file path");
        if (file == null) {
            throw ConfigException.invalid(node.key(key), "(missing)", "name the file that holds " + what);
        }
        requireReadable(node, key, file);
        return file;
    }

    private static void requireReadable(ConfigNode node, String key, Path file) {
        if (file != null && !Files.isReadable(file)) {
            throw ConfigException.invalid(node.key(key), file, "the file does not exist or is not readable");
        }
    }

    /** A loopback IP literal (127.0.0.0/8, ::1) or "localhost"; a host name that only looks like one is not. */
    static boolean loopback(String host) {
        String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        if (bare.equalsIgnoreCase("localhost")) {
            return true;
        }
        boolean ipv4 = bare.matches("127(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
        boolean ipv6 = bare.contains(":") && bare.matches("[0-9A-Fa-f:]+");
        if (!ipv4 && !ipv6) {
            return false;
        }
        try {
            // An IP literal: no name lookup happens for it.
            return java.net.InetAddress.getByName(bare).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    private static EgovPkiConfig.Tls readTls(ConfigNode node) {
        int port = node.integer("port", 8443, 0, 65535);
        Path keyStore = node.parsed("keyStore", null, Path::of, "expected the path of a PKCS#12 key store");
        if (keyStore == null) {
            throw ConfigException.invalid(node.key("keyStore"), "(missing)",
                    "HTTPS needs a PKCS#12 key store with the server's RSA or ECDSA key and certificate");
        }
        if (!Files.isReadable(keyStore)) {
            throw ConfigException.invalid(node.key("keyStore"), keyStore, "the file does not exist or is not readable");
        }
        String password = node.string("keyStorePassword", null);
        if (password == null) {
            throw new ConfigException("configuration key '" + node.key("keyStorePassword")
                    + "' is missing: the HTTPS key store needs its password");
        }
        node.rejectUnknownKeys();
        return new EgovPkiConfig.Tls(port, keyStore, password);
    }

    private static EgovPkiConfig.Revocation readRevocation(ConfigNode node) {
        int failures = node.integer("challengeMaxFailures", 5, 1, 100);
        int window = node.integer("challengeWindowMinutes", 15, 1, 24 * 60);
        int age = node.integer("signedRequestMaxAgeMinutes", 5, 1, 24 * 60);
        node.rejectUnknownKeys();
        return new EgovPkiConfig.Revocation(failures, Duration.ofMinutes(window), Duration.ofMinutes(age));
    }

    private static EgovPkiConfig.Km readKm(ConfigNode node) {
        String name = node.parsed("name", "CN=egov-pki KM,O=egov-pki,C=CN", v -> {
            new javax.security.auth.x500.X500Principal(v);
            return v;
        }, "expected a distinguished name such as CN=egov-pki KM,O=egov-pki,C=CN");
        int retention = node.integer("retentionYears", 10, 10, 100);
        String schedule = node.parsed("destructionSchedule", "0 30 2 * * ?", ConfigLoader::cron,
                "expected a Quartz cron expression (sec min hour day-of-month month day-of-week)");
        ZoneId zone = node.parsed("timeZone", "Asia/Shanghai", ZoneId::of, "expected a time zone such as Asia/Shanghai");
        int hours = node.integer("challengeHours", 48, 1, 30 * 24);
        int failures = node.integer("challengeMaxFailures", 5, 1, 100);
        int window = node.integer("challengeWindowMinutes", 15, 1, 24 * 60);
        node.rejectUnknownKeys();
        return new EgovPkiConfig.Km(name, Period.ofYears(retention), schedule, zone, Duration.ofHours(hours), failures,
                Duration.ofMinutes(window));
    }

    private static EgovPkiConfig.Lifecycle readLifecycle(ConfigNode node) {
        int max = (int) RenewalWindow.MAX.toDays();
        int before = node.integer("renewalWindowBeforeDays", 30, 0, max);
        int after = node.integer("renewalWindowAfterDays", 30, 0, max);
        node.rejectUnknownKeys();
        return new EgovPkiConfig.Lifecycle(RenewalWindow.days(before, after));
    }

    private static EgovPkiConfig.Ocsp readOcsp(ConfigNode node) {
        EgovPkiConfig.OcspSigner signer = node.parsed("signer", "ca",
                v -> EgovPkiConfig.OcspSigner.valueOf(v.toUpperCase(Locale.ROOT)),
                "expected ca (each CA signs with its own key) or delegated (each CA certifies an OCSP responder key)");
        int validityDays = node.integer("delegatedValidityDays", 30, 1, MAX_DELEGATED_VALIDITY_DAYS);
        int nextUpdateMinutes = node.integer("nextUpdateMinutes", 60, 1, MAX_OCSP_NEXT_UPDATE_MINUTES);
        int halfNextUpdate = nextUpdateMinutes * 60 / 2;
        int cacheSeconds = node.integer("cacheSeconds", Math.min(60, halfNextUpdate), 0, MAX_OCSP_NEXT_UPDATE_MINUTES * 30);
        if (cacheSeconds > halfNextUpdate) {
            throw ConfigException.invalid(node.key("cacheSeconds"), cacheSeconds, "expected 0 (no cache) to "
                    + halfNextUpdate + ": at most half of ocsp.nextUpdateMinutes (" + nextUpdateMinutes
                    + " min), so a cached answer is still valid for a while when it is served for the last time");
        }
        int cacheEntries = node.integer("cacheEntries", OcspResponder.Settings.DEFAULT_CACHE_ENTRIES, 1,
                OcspResponder.Settings.MAX_CACHE_ENTRIES);
        boolean presigned = node.bool("presigned", true);
        int presignedMaxEntries = node.integer("presignedMaxEntries", OcspResponder.Settings.DEFAULT_PRESIGNED_ENTRIES,
                1, OcspResponder.Settings.MAX_PRESIGNED_ENTRIES);
        boolean presignAhead = node.bool("presignAhead", true);
        node.rejectUnknownKeys();
        return new EgovPkiConfig.Ocsp(signer, Duration.ofDays(validityDays), Duration.ofMinutes(nextUpdateMinutes),
                Duration.ofSeconds(cacheSeconds), cacheEntries, presigned, presignedMaxEntries, presignAhead);
    }

    private static EgovPkiConfig.Sync readSync(ConfigNode node) {
        boolean enabled = node.bool("enabled", true);
        ConfigNode retry = node.child("retry");
        int maxAttempts = retry.integer("maxAttempts", 10, 1, 1000);
        int initialDelay = retry.integer("initialDelaySeconds", 1, 1, 3600);
        int maxDelay = retry.integer("maxDelaySeconds", 300, 1, 86_400);
        if (maxDelay < initialDelay) {
            throw ConfigException.invalid(retry.key("maxDelaySeconds"), maxDelay, "expected at least "
                    + "sync.retry.initialDelaySeconds (" + initialDelay + ")");
        }
        retry.rejectUnknownKeys();
        int timeout = node.integer("requestTimeoutSeconds", 10, 1, 600);
        int signerValidity = node.integer("signerValidityDays", 30, 1, MAX_DELEGATED_VALIDITY_DAYS);
        int retention = node.integer("retentionDays", 90, 1, 3660);
        boolean worker = node.bool("worker", true);
        node.rejectUnknownKeys();
        return new EgovPkiConfig.Sync(enabled, maxAttempts, Duration.ofSeconds(initialDelay), Duration.ofSeconds(maxDelay),
                Duration.ofSeconds(timeout), Duration.ofDays(signerValidity), Duration.ofDays(retention), worker);
    }

    private static EgovPkiConfig.Enrollment readEnrollment(ConfigNode node) {
        boolean legacyRsa = node.bool("allowLegacyRsa", false);
        int pollMillis = node.integer("approvalPollMillis", 1000, 100, 60_000);
        int recoveryGrace = node.integer("recoveryGraceSeconds", 0, 0, 3600);
        String adminPassword = node.string("initialAdminPassword", null);
        if (adminPassword != null) {
            try {
                PasswordRules.check("admin", adminPassword.toCharArray());
            } catch (DomainException e) {
                // never echo a password
                throw new ConfigException("configuration key '" + node.key("initialAdminPassword")
                        + "' is not an acceptable password for the first CA admin (login 'admin'): " + e.getMessage());
            }
        }
        ZoneId zone = node.parsed("timeZone", "Asia/Shanghai", ZoneId::of, "expected a time zone ID such as Asia/Shanghai");
        node.rejectUnknownKeys();
        return new EgovPkiConfig.Enrollment(legacyRsa, Duration.ofMillis(pollMillis), adminPassword, zone,
                Duration.ofSeconds(recoveryGrace));
    }

    /** Certificate profiles: {@code profiles[i]}. Without the key, the built-in set applies. */
    private static ProfileCatalog readProfiles(ConfigNode root, EgovPkiConfig.Ca ca, URI httpPublic) {
        List<String> issuingCas = ca.definitions().stream().filter(d -> d.role() == CaRole.ISSUING)
                .map(CaDefinition::name).toList();
        List<ProfileCatalog.Entry> entries = new ArrayList<>();
        Set<String> names = new HashSet<>();
        List<ConfigNode> nodes = root.list("profiles");
        if (nodes.isEmpty()) {
            throw ConfigException.invalid("profiles", "(empty)", "at least one certificate profile is needed");
        }
        for (ConfigNode node : nodes) {
            String name = node.parsed("name", null, ConfigLoader::caName,
                    "expected 1-63 lower-case letters, digits or '-'");
            if (name == null) {
                throw ConfigException.invalid(node.key("name"), "(missing)", "every profile needs a name");
            }
            if (!names.add(name)) {
                throw ConfigException.invalid(node.key("name"), name, "profile names must be unique");
            }
            CertificateType type = node.parsed("type", null, v -> CertificateType.valueOf(v.toUpperCase(Locale.ROOT)),
                    "expected PERSONAL, ORGANIZATION, DEVICE or CODE_SIGNING");
            if (type == null) {
                throw ConfigException.invalid(node.key("type"), "(missing)",
                        "expected PERSONAL, ORGANIZATION, DEVICE or CODE_SIGNING");
            }
            String issuer = node.string("issuer", issuingCas.isEmpty() ? null : issuingCas.get(0));
            if (!issuingCas.contains(issuer)) {
                throw ConfigException.invalid(node.key("issuer"), issuer, "expected the name of an enabled issuing CA: "
                        + issuingCas);
            }
            int months = node.integer("validityMonths", 24, 1, 63);
            boolean dual = node.bool("dual", false);
            IdentityExtensionForm identity = node.parsed("identityExtensions", "BOTH",
                    v -> IdentityExtensionForm.valueOf(v.toUpperCase(Locale.ROOT)),
                    "expected NONE, GMT_2012, GMT_2023 or BOTH");
            List<String> ekus = new ArrayList<>();
            for (String value : node.strings("extendedKeyUsages")) {
                String oid = EXTENDED_KEY_USAGES.getOrDefault(value, value);
                if (!oid.matches("[0-2](\\.(0|[1-9][0-9]*))+")) {
                    throw ConfigException.invalid(node.key("extendedKeyUsages"), value, "expected an OID or one of "
                            + EXTENDED_KEY_USAGES.keySet());
                }
                ekus.add(oid);
            }
            boolean san = node.bool("allowSubjectAltNames", type == CertificateType.DEVICE);
            boolean auto = node.bool("autoApproveForRa", false);
            String policyOid = node.parsed("policyOid", DEFAULT_POLICY_OID, ConfigLoader::oid, "expected an OID");
            String cpsUri = node.parsed("cpsUri", httpPublic + "/cps", v -> url(v, "http", "https").toString(),
                    "expected an http(s) URL of the CPS");
            String description = node.string("description", null);
            node.rejectUnknownKeys();
            try {
                CertificateProfile profile = CertificateProfile.builder(name, type)
                        .validity(Period.ofMonths(months).normalized()).dual(dual).identityExtensions(identity)
                        .extendedKeyUsages(ekus).allowSubjectAltNames(san).autoApproveForRa(auto)
                        .policy(policyOid, cpsUri).description(description).build();
                entries.add(new ProfileCatalog.Entry(profile, issuer));
            } catch (IllegalArgumentException e) {
                throw new ConfigException("profile '" + name + "' (" + node.key("name").replace(".name", "") + "): "
                        + e.getMessage());
            }
        }
        return new ProfileCatalog(entries);
    }

    /** Our demo certificate policy OID (egov-pki arc .3.1); a real CA sets its CPS's policy OID. */
    public static final String DEFAULT_POLICY_OID = "2.25.181821722204100531762351466650690192293.3.1";

    /** Names accepted in {@code extendedKeyUsages}, besides dotted OIDs. */
    static final Map<String, String> EXTENDED_KEY_USAGES = Map.of(
            "serverAuth", "1.3.6.1.5.5.7.3.1",
            "clientAuth", "1.3.6.1.5.5.7.3.2",
            "codeSigning", "1.3.6.1.5.5.7.3.3",
            "emailProtection", "1.3.6.1.5.5.7.3.4",
            "timeStamping", "1.3.6.1.5.5.7.3.8",
            "ipsecIKE", "1.3.6.1.5.5.7.3.17");

    private static String oid(String value) {
        if (!value.matches("[0-2](\\.(0|[1-9][0-9]*))+")) {
            throw new IllegalArgumentException("not a dotted OID");
        }
        return value;
    }

    private static ConfigNode defaultProfiles() {
        try (var in = ConfigLoader.class.getResourceAsStream("default-profiles.yaml")) {
            JsonNode node = new ObjectMapper(new YAMLFactory()).readTree(in);
            return new ConfigNode(node, "");
        } catch (IOException e) {
            throw new IllegalStateException("the built-in default-profiles.yaml is missing from the jar", e);
        }
    }

    /** The built-in chain when the file has no {@code ca.chains}: one SM2 root and issuing CA. */
    private static List<ConfigNode> defaultChains(ConfigNode caNode) {
        ObjectNode chain = JsonNodeFactory.instance.objectNode();
        chain.put("algorithm", "SM2");
        ObjectNode root = chain.putObject("root");
        root.put("name", "sm2-root");
        root.put("subject", "CN=egov-pki SM2 Root CA,O=egov-pki,C=CN");
        root.put("validityYears", ROOT_MAX_YEARS);
        ObjectNode issuing = chain.putObject("issuing");
        issuing.put("name", "sm2-issuing");
        issuing.put("subject", "CN=egov-pki SM2 Issuing CA,O=egov-pki,C=CN");
        issuing.put("validityYears", ISSUING_MAX_YEARS);
        return List.of(new ConfigNode(chain, caNode.key("chains") + "[0]"));
    }

    /** The X.500-named mirror's default naming context (ldap.x500Names.namingContexts). */
    static final String DEFAULT_X500_CONTEXT = "c=CN";

    private static String distinguishedName(String value) {
        try {
            DN dn = new DN(value);
            if (dn.isNullDN()) {
                throw new IllegalArgumentException("the DN is empty");
            }
            return dn.toString();
        } catch (LDAPException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private static URI url(String value, String... schemes) {
        try {
            URI uri = new URI(value);
            if (uri.getHost() == null || !List.of(schemes).contains(uri.getScheme())) {
                throw new IllegalArgumentException("scheme must be " + String.join(" or ", schemes));
            }
            String text = uri.toString();
            return text.endsWith("/") ? URI.create(text.substring(0, text.length() - 1)) : uri;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private static String cron(String value) {
        if (!CronExpression.isValidExpression(value)) {
            throw new IllegalArgumentException("not a valid Quartz cron expression");
        }
        return value;
    }

    private static String caName(String value) {
        if (!CaDefinition.NAME.matcher(value).matches()) {
            throw new IllegalArgumentException("not a valid CA name");
        }
        return value;
    }

    private static String subjectDn(String value) {
        DistinguishedNames.parse(value);
        return value;
    }

    /** For tests and docs: the keys the command line may override. */
    public static Map<String, String> overrides(String data, Integer ldapPort, Integer httpPort) {
        Map<String, String> map = new LinkedHashMap<>();
        if (data != null) {
            map.put("data", data);
        }
        if (ldapPort != null) {
            map.put("ldap.port", ldapPort.toString());
        }
        if (httpPort != null) {
            map.put("http.port", httpPort.toString());
        }
        return map;
    }
}
