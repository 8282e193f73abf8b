package org.egovpki.server.config;

import java.net.URI;
import org.egovpki.directory.LockoutPolicy;
import org.egovpki.directory.embedded.EmbeddedDirectorySettings;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Period;
import java.time.ZoneId;
import java.util.List;
import org.egovpki.core.ca.CaDefinition;
import org.egovpki.core.enroll.RenewalWindow;
import org.egovpki.core.profile.ProfileCatalog;
import org.egovpki.core.ocsp.OcspResponder;

/**
 * The whole configuration, validated. Built only by {@link ConfigLoader}; every field is documented
 * with its key and default in {@code conf/egov-pki.yaml}.
 *
 * @param dataDirectory {@code data} — where the directory, key store, secrets and audit trail live
 * @param ldap          {@code ldap.*}
 * @param http          {@code http.*}
 * @param ca            {@code ca.*}
 * @param profiles      {@code profiles[*]} — the certificate profiles and the CA each issues from
 * @param enrollment    {@code enrollment.*}
 * @param revocation    {@code revocation.*}
 * @param lifecycle     {@code lifecycle.*}
 * @param ocsp          {@code ocsp.*}
 * @param sync          {@code sync.*}
 * @param logging       {@code logging.*}
 * @param audit         {@code audit.*}
 * @param caKeys        {@code caKeys.*}
 * @param info          {@code info.*} — what the public information pages say (docs/information-services.md)
 * @param operators     {@code operators.*}
 */
public record EgovPkiConfig(Path dataDirectory, Ldap ldap, Http http, Ca ca, ProfileCatalog profiles,
                            Enrollment enrollment, Revocation revocation, Lifecycle lifecycle, Ocsp ocsp, Km km,
                            Sync sync, Logging logging, Audit audit, CaKeys caKeys, Info info,
                            Operators operators, Statistics statistics) {

    /**
     * This configuration with the ports the listeners actually bound. A configured port of 0
     * ({@code ldap.port}, {@code http.port}, {@code http.tls.port}) asks the system for a free
     * port at start-up; once bound, that port replaces the 0 here, and so it does in every URL
     * whose port is 0 ({@code ldap.publicUrl}, {@code http.publicUrl} and the profiles'
     * {@code cpsUri}, which default to URLs built from the port), so certificates, CRLs and the
     * start-up lines name the port clients can reach. Ports that were not 0 are kept as they are.
     *
     * @param ldapPort  the LDAP listener's port
     * @param httpPort  the HTTP listener's port, or 0 when HTTP is not served
     * @param httpsPort the HTTPS listener's port, or 0 when there is none or HTTP is not served
     */
    public EgovPkiConfig withBoundPorts(int ldapPort, int httpPort, int httpsPort) {
        Ldap boundLdap = new Ldap(ldap.host(), bound(ldap.port(), ldapPort), ldap.baseDn(),
                bound(ldap.publicUrl(), ldapPort), ldap.lockout(), ldap.external(), ldap.x500Contexts(),
                ldap.durability());
        Tls boundTls = http.tls() == null ? null
                : new Tls(bound(http.tls().port(), httpsPort), http.tls().keyStore(), http.tls().keyStorePassword());
        Http boundHttp = new Http(http.host(), bound(http.port(), httpPort), bound(http.publicUrl(), httpPort),
                boundTls);
        java.util.List<ProfileCatalog.Entry> entries = new java.util.ArrayList<>();
        for (ProfileCatalog.Entry entry : profiles.all()) {
            org.egovpki.core.profile.CertificateProfile p = entry.profile();
            String cps = bound(URI.create(p.cpsUri()), httpPort).toString();
            entries.add(cps.equals(p.cpsUri()) ? entry : new ProfileCatalog.Entry(
                    new org.egovpki.core.profile.CertificateProfile(p.name(), p.type(), p.validity(), p.dual(),
                            p.identityExtensions(), p.extendedKeyUsages(), p.allowSubjectAltNames(),
                            p.autoApproveForRa(), p.policyOid(), cps, p.description()), entry.issuer()));
        }
        return new EgovPkiConfig(dataDirectory, boundLdap, boundHttp, ca, new ProfileCatalog(entries), enrollment,
                revocation, lifecycle, ocsp, km, sync, logging, audit, caKeys, info, operators, statistics);
    }

    private static int bound(int configured, int bound) {
        return configured == 0 ? bound : configured;
    }

    private static URI bound(URI url, int port) {
        if (url.getPort() != 0 || port == 0) {
            return url;
        }
        try {
            return new URI(url.getScheme(), url.getUserInfo(), url.getHost(), port, url.getPath(), url.getQuery(),
                    url.getFragment());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException("cannot put port " + port + " into " + url, e);
        }
    }

    /**
     * The decision-support statistics (docs/statistics.md). Read at start-up.
     *
     * @param refresh {@code statistics.refreshSeconds} — how often finished days are closed and
     *                today is recomputed: the figures are at most this old
     */
    public record Statistics(Duration refresh) {
    }

    /**
     * Operator passwords (docs/operations.md, "Managing operators"). Read at start-up.
     *
     * @param passwordHistory    {@code operators.passwordHistory} — how many passwords, the current one
     *                           included, a new password may not repeat
     * @param passwordMaxAgeDays {@code operators.passwordMaxAgeDays} — after this many days the operator
     *                           must change its password before doing anything else; 0: never
     * @param secondFactor       {@code operators.secondFactor.*}
     */
    public record Operators(int passwordHistory, int passwordMaxAgeDays, SecondFactor secondFactor) {
        public org.egovpki.core.enroll.PasswordPolicy passwordPolicy() {
            return new org.egovpki.core.enroll.PasswordPolicy(passwordHistory, Duration.ofDays(passwordMaxAgeDays));
        }
    }

    /**
     * The operators' two-factor login (docs/operations.md, "Two-factor login"). Read at start-up.
     *
     * @param policy            {@code operators.secondFactor.roles} — operators holding any of these roles
     *                          must log in with the password and their bound operator certificate; default:
     *                          the administrative roles; {@code []}: nobody
     * @param sessionLifetime   {@code operators.secondFactor.sessionMinutes} — how long a session token lasts
     * @param challengeLifetime {@code operators.secondFactor.challengeSeconds} — how long a login challenge may be answered
     * @param profiles          {@code operators.secondFactor.profiles} — the operator profiles: only their
     *                          certificates are bound to operators and log in; default {@code [operator]}
     */
    public record SecondFactor(org.egovpki.core.operator.SecondFactorPolicy policy, Duration sessionLifetime,
                               Duration challengeLifetime, java.util.Set<String> profiles) {
        public SecondFactor {
            profiles = java.util.Set.copyOf(profiles);
        }
    }

    /** {@code logging.format}: one line of text per event, or one JSON object per line for log collectors. */
    public enum LogFormat { TEXT, JSON }

    /**
     * The operational log (SLF4J/logback; the audit trail is separate). Applied at {@code serve} and
     * again on SIGHUP, unless {@code -Dlogback.configurationFile} names a logback file of the
     * operator's own, which then decides everything.
     *
     * @param level          {@code logging.level} — level of egov-pki's own loggers (libraries stay at WARN)
     * @param format         {@code logging.format}
     * @param directory      {@code logging.file.directory} — also write {@code egov-pki.log} there, rotated;
     *                       {@code null}: console only
     * @param maxFileSizeMb  {@code logging.file.maxSizeMb} — a log file is rolled over at this size, and daily
     * @param maxHistoryDays {@code logging.file.maxHistoryDays} — rolled files older than this are deleted
     * @param totalSizeCapMb {@code logging.file.totalSizeCapMb} — oldest rolled files are deleted beyond this total
     */
    public record Logging(String level, LogFormat format, Path directory, int maxFileSizeMb, int maxHistoryDays,
                          int totalSizeCapMb) {
    }

    /**
     * The audit trail files ({@code <data>/audit/audit.jsonl}, {@code audit-cli.jsonl}): when the
     * file being written is closed and a new one started, the hash chain running on across them.
     *
     * @param rotateAtMb   {@code audit.rotation.maxSizeMb} — rotate once the file reaches this size; 0: never by size
     * @param rotateDaily  {@code audit.rotation.daily} — rotate at the first event of a new day
     * @param timeZone     {@code audit.rotation.timeZone} — the zone whose midnight starts a new day
     * @param trail        {@code audit.trail} — the server's trail name, its anchor {@code cn=<trail>,ou=audit}
     *                     in the directory: {@code server}, or one of its own for each further CA process
     *                     on the same directory (docs/directory.md "Two CA processes on one directory")
     */
    public record Audit(int rotateAtMb, boolean rotateDaily, ZoneId timeZone, String trail) {

        /** The default trail name, the one process of an ordinary installation. */
        public static final String DEFAULT_TRAIL = "server";

        public Audit(int rotateAtMb, boolean rotateDaily, ZoneId timeZone) {
            this(rotateAtMb, rotateDaily, timeZone, DEFAULT_TRAIL);
        }

        /** The server's trail ({@code <data>/audit/audit.jsonl}). */
        public String serverTrail() {
            return trail;
        }

        /** The command line's trail ({@code <data>/audit/audit-cli.jsonl}): {@code cli}, or {@code <trail>-cli}. */
        public String cliTrail() {
            return DEFAULT_TRAIL.equals(trail) ? "cli" : trail + "-cli";
        }
    }

    /** Where the CA private keys are kept ({@code caKeys.store}). */
    public enum CaKeyStoreType {
        /** {@code <data>/keys/ca.p12} with a generated password: demo key custody. */
        PKCS12,
        /** A PKCS#11 token through SunPKCS11. */
        PKCS11
    }

    /**
     * Where the CA private keys are kept ({@code caKeys.*}).
     *
     * @param store         {@code caKeys.store}
     * @param library       {@code caKeys.pkcs11.library} — the token's PKCS#11 library ({@code null} for PKCS12)
     * @param slot          {@code caKeys.pkcs11.slot} — the token's slot id, or {@code null}
     * @param slotListIndex {@code caKeys.pkcs11.slotListIndex} — or its index in the slot list, or {@code null}
     * @param pinFile       {@code caKeys.pkcs11.pinFile} — the file holding the user PIN
     * @param custody       {@code caKeys.custody} — who holds the PKCS#12 store's password
     * @param shares        {@code caKeys.shares.threshold} and {@code caKeys.shares.custodians}; {@code null}
     *                      unless {@code custody} is {@code SHARES}
     */
    public record CaKeys(CaKeyStoreType store, Path library, Long slot, Integer slotListIndex, Path pinFile,
                         Custody custody, org.egovpki.server.custody.CustodyPlan shares) {

        /** The default: the PKCS#12 file in the data directory, demo custody. */
        public static final CaKeys PKCS12 = new CaKeys(CaKeyStoreType.PKCS12, null, null, null, null, Custody.DEMO,
                null);

        /** The PKCS#11 fields as before custody existed (demo custody: a token has its own PIN). */
        public CaKeys(CaKeyStoreType store, Path library, Long slot, Integer slotListIndex, Path pinFile) {
            this(store, library, slot, slotListIndex, pinFile, Custody.DEMO, null);
        }
    }

    /**
     * Who holds the PKCS#12 key store's password ({@code caKeys.custody}; docs/operations.md,
     * "First start with key custodians").
     */
    public enum Custody {
        /** Generated into {@code <data>/secrets}: anyone who reads the data directory can use the CA keys. */
        DEMO,
        /** Never on disk: split into key shares, M of the N named custodians ({@code caKeys.shares.*}) unlock. */
        SHARES
    }

    /**
     * The key management centre ({@code km.*}).
     *
     * @param name                 {@code km.name} — subject of the KM's signing certificate
     * @param retention            {@code km.retentionYears} — escrowed keys kept this long after their certificate expires
     * @param destructionSchedule  {@code km.destructionSchedule} — Quartz cron of the destruction job
     * @param timeZone             {@code km.timeZone} — zone of that schedule
     * @param challengeLifetime    {@code km.challengeHours} — validity of a recovery's one-time code
     * @param challengeMaxFailures {@code km.challengeMaxFailures} — wrong codes per recovery within the window
     * @param challengeWindow      {@code km.challengeWindowMinutes}
     */
    public record Km(String name, Period retention, String destructionSchedule, ZoneId timeZone,
                     Duration challengeLifetime, int challengeMaxFailures, Duration challengeWindow) {
    }

    /**
     * @param renewalWindow {@code lifecycle.renewalWindowBeforeDays} and {@code lifecycle.renewalWindowAfterDays} —
     *                      when, around its notAfter, a certificate may be renewed with the same key
     */
    public record Lifecycle(RenewalWindow renewalWindow) {
    }

    /**
     * @param challengeMaxFailures {@code revocation.challengeMaxFailures} — wrong challenge phrases allowed per
     *                             client, and per certificate, within the window
     * @param challengeWindow      {@code revocation.challengeWindowMinutes}
     * @param signedRequestMaxAge  {@code revocation.signedRequestMaxAgeMinutes} — how far a signed revocation
     *                             request's requestedAt may be from the CA's clock
     */
    public record Revocation(int challengeMaxFailures, Duration challengeWindow, Duration signedRequestMaxAge) {
    }

    /**
     * @param host      {@code ldap.host} — listen address of the embedded directory
     * @param port      {@code ldap.port}; 0 until start-up binds a free port ({@link #withBoundPorts})
     * @param baseDn    {@code ldap.baseDn} — suffix of the egov-pki tree
     * @param publicUrl {@code ldap.publicUrl} — LDAP URL written into certificates (CRL DP, SIA)
     * @param lockout   {@code ldap.lockout.*} — the directory's password policy lockout, shared by LDAP
     *                  binds and REST logins (service accounts are exempt)
     * @param external  {@code ldap.external.*} — an external OpenLDAP instead of the embedded directory, or
     *                  {@code null} (the default) for the embedded one
     * @param x500Contexts {@code ldap.x500Names.namingContexts} — the naming contexts of the X.500-named
     *                  mirror; empty when {@code ldap.x500Names.enabled} is false
     * @param durability {@code ldap.embedded.*} — when the embedded directory copies its transaction logs
     *                  into its database files (sync on write by default)
     */
    public record Ldap(String host, int port, String baseDn, URI publicUrl, LockoutPolicy lockout,
                       ExternalDirectory external, List<String> x500Contexts,
                       EmbeddedDirectorySettings.Durability durability) {

        public Ldap {
            x500Contexts = List.copyOf(x500Contexts);
            java.util.Objects.requireNonNull(durability, "durability");
        }

        /** Whether the server runs against an external directory rather than starting its embedded one. */
        public boolean isExternal() {
            return external != null;
        }
    }

    /**
     * An external directory (OpenLDAP 2.5+, prepared by {@code egov-pki directory prepare-openldap}).
     * The server binds only as its own service accounts, whose DNs the access rules name
     * ({@code uid=egov-pki-ca,ou=services,<base>}, {@code uid=egov-pki-km,ou=services,<base>}); it never
     * holds the directory administrator's password.
     *
     * @param urls                   {@code ldap.external.urls} — one scheme for all; the first that answers is
     *                               used (the others are fail-over replicas of one provider)
     * @param startTls               {@code ldap.external.startTls} — StartTLS on {@code ldap://} URLs
     * @param trustStore             {@code ldap.external.trustStore} — PKCS#12 (or JKS) file with the CA
     *                               certificate(s) the directory's TLS certificate is checked against, or
     *                               {@code null} for the JDK's default trust store
     * @param trustStorePasswordFile {@code ldap.external.trustStorePasswordFile}, or {@code null} (no password)
     * @param caPasswordFile         {@code ldap.external.caPasswordFile} — the CA service account's password
     * @param kmPasswordFile         {@code ldap.external.kmPasswordFile} — the KM service account's password
     */
    public record ExternalDirectory(List<URI> urls, boolean startTls, Path trustStore, Path trustStorePasswordFile,
                                    Path caPasswordFile, Path kmPasswordFile) {
        public ExternalDirectory {
            urls = List.copyOf(urls);
        }

        /** Whether connections are encrypted (ldaps:// or StartTLS). */
        public boolean tls() {
            return startTls || "ldaps".equals(urls.get(0).getScheme());
        }
    }

    /**
     * @param host      {@code http.host}
     * @param port      {@code http.port}
     * @param publicUrl {@code http.publicUrl} — base URL written into certificates (CRL DP, AIA)
     * @param tls       {@code http.tls.*}, or {@code null} for no HTTPS listener
     */
    public record Http(String host, int port, URI publicUrl, Tls tls) {
    }

    /**
     * An HTTPS listener for the operator API (HTTP Basic credentials must not cross a network in
     * clear). RSA or ECDSA server key: the JDK's TLS has no SM2 (TLCP) cipher suites.
     *
     * @param port             {@code http.tls.port}
     * @param keyStore         {@code http.tls.keyStore} — PKCS#12 file with the server key and certificate
     * @param keyStorePassword {@code http.tls.keyStorePassword}
     */
    public record Tls(int port, Path keyStore, String keyStorePassword) {
        @Override
        public String toString() {
            return "Tls[port=" + port + ", keyStore=" + keyStore + ", keyStorePassword=***]";
        }
    }

    /**
     * @param definitions the CAs of every enabled chain, parents first
     * @param crl         {@code ca.crl.*}
     */
    public record Ca(List<CaDefinition> definitions, Crl crl) {
        public Ca {
            definitions = List.copyOf(definitions);
        }
    }

    /**
     * @param allowLegacyRsa       {@code enrollment.allowLegacyRsa} — accept RSA-1024 subscriber keys (seed 004)
     * @param approvalPollInterval {@code enrollment.approvalPollMillis} — how often the CA looks for
     *                             approvals written in the directory
     * @param initialAdminPassword {@code enrollment.initialAdminPassword} — password of the first CA
     *                             admin, or {@code null} to generate and print a one-time one
     * @param zone                 {@code enrollment.timeZone} — the zone dates (e.g. of birth in ID numbers) are read in
     * @param recoveryGrace        {@code enrollment.recoveryGraceSeconds} — recovery leaves requests approved
     *                             more recently alone (another CA process may be issuing them) and, when not
     *                             zero, runs again at this interval
     */
    public record Enrollment(boolean allowLegacyRsa, Duration approvalPollInterval, String initialAdminPassword,
                             ZoneId zone, Duration recoveryGrace) {
        @Override
        public String toString() {
            return "Enrollment[allowLegacyRsa=" + allowLegacyRsa + ", approvalPollInterval=" + approvalPollInterval
                    + ", initialAdminPassword=" + (initialAdminPassword == null ? "generated" : "***") + ", zone="
                    + zone + ", recoveryGrace=" + recoveryGrace + "]";
        }
    }

    /**
     * @param nextUpdate {@code ca.crl.nextUpdateHours} — nextUpdate minus thisUpdate
     * @param schedule   {@code ca.crl.schedule} — Quartz cron expression for the scheduled full CRL
     * @param timeZone   {@code ca.crl.timeZone} — zone the schedule is read in
     * @param afterRevocation {@code ca.crl.afterRevocationSeconds} — a CRL is issued at most this long after
     *                   a revocation (revocations within the window share one CRL)
     * @param deltas     {@code ca.crl.deltas} — publish delta CRLs beside the full ones
     * @param partitions {@code ca.crl.partitions} — CRL partitions per CA (1: none)
     */
    public record Crl(Duration nextUpdate, String schedule, ZoneId timeZone, Duration afterRevocation,
                      boolean deltas, int partitions) {
    }

    /**
     * The OCSP responder at {@code <http.publicUrl>/ocsp}.
     *
     * @param signer            {@code ocsp.signer} — who signs the responses
     * @param delegatedValidity {@code ocsp.delegatedValidityDays} — lifetime of a delegated responder certificate
     * @param nextUpdate        {@code ocsp.nextUpdateMinutes} — nextUpdate minus thisUpdate of every response
     * @param cacheLifetime     {@code ocsp.cacheSeconds} — how long a response to a request without a
     *                          nonce is served again; zero: no cache. At most half of {@code nextUpdate}.
     * @param cacheEntries      {@code ocsp.cacheEntries} — most responses cached at once
     * @param presigned         {@code ocsp.presigned} — whether answers to nonce-free single-CertID requests
     *                          are kept and re-signed ahead of expiry and on revocation
     * @param presignedMaxEntries {@code ocsp.presignedMaxEntries} — most pre-signed answers kept at once
     * @param presignAhead      {@code ocsp.presignAhead} — with {@code presigned}, whether every unexpired
     *                          certificate's answer is signed before its first request (at start-up, every
     *                          half nextUpdate and at issuance) and kept until its notAfter
     */
    public record Ocsp(OcspSigner signer, Duration delegatedValidity, Duration nextUpdate, Duration cacheLifetime,
                       int cacheEntries, boolean presigned, int presignedMaxEntries, boolean presignAhead) {

        /** The responder's settings these values make. */
        public OcspResponder.Settings responderSettings() {
            return new OcspResponder.Settings(nextUpdate, cacheLifetime, cacheEntries, presigned, presignedMaxEntries);
        }
    }

    /** {@code ocsp.signer}: {@code ca} (each CA's own key) or {@code delegated} (a responder key each CA certifies). */
    public enum OcspSigner {
        CA, DELEGATED
    }

    /**
     * The web-service sync to e-government systems (docs/sync.md). The targets themselves are
     * directory entries under {@code ou=sync}, not configuration.
     *
     * @param enabled           {@code sync.enabled} — capture events and deliver them
     * @param maxAttempts       {@code sync.retry.maxAttempts} — failed attempts at one message before it is parked
     * @param initialDelay      {@code sync.retry.initialDelaySeconds} — the first retry's delay, doubled per attempt
     * @param maxDelay          {@code sync.retry.maxDelaySeconds} — the longest delay between attempts (also caps Retry-After)
     * @param requestTimeout    {@code sync.requestTimeoutSeconds} — connect plus answer time of one delivery attempt
     * @param signerValidity    {@code sync.signerValidityDays} — lifetime of a sync-signing certificate; renewed at two thirds
     * @param retention         {@code sync.retentionDays} — how long delivered messages stay for replay and pull
     * @param worker            {@code sync.worker} — this process runs the capture, fan-out and delivery; with two
     *                          CA processes on one directory exactly one does (the other only writes the markers)
     */
    public record Sync(boolean enabled, int maxAttempts, Duration initialDelay, Duration maxDelay,
                       Duration requestTimeout, Duration signerValidity, Duration retention, boolean worker) {

        public Sync(boolean enabled, int maxAttempts, Duration initialDelay, Duration maxDelay, Duration requestTimeout,
                    Duration signerValidity, Duration retention) {
            this(enabled, maxAttempts, initialDelay, maxDelay, requestTimeout, signerValidity, retention, true);
        }
    }

    /**
     * The public information pages ({@code info.*}, docs/information-services.md): who runs the CA,
     * how to reach them, and where their own CPS and subscriber agreement texts are. A text file
     * that is not given is the built-in template, which says it is one.
     *
     * @param organisationZh {@code info.organisation.zh} — the operator's name on the Chinese pages
     * @param organisationEn {@code info.organisation.en} — and on the English ones
     * @param phone          {@code info.contacts.phone}, or {@code null}
     * @param email          {@code info.contacts.email}, or {@code null}
     * @param address        {@code info.contacts.address}, or {@code null}
     * @param cpsZh          {@code info.cps.zh} — UTF-8 text file of the CPS in Chinese, or {@code null}
     * @param cpsEn          {@code info.cps.en} — in English, or {@code null}
     * @param agreementZh    {@code info.agreement.zh} — the subscriber agreement in Chinese, or {@code null}
     * @param agreementEn    {@code info.agreement.en} — in English, or {@code null}
     * @param lookupPerMinute {@code info.lookup.perMinute} — certificate lookups one client address may
     *                       make per minute, on average
     * @param lookupBurst    {@code info.lookup.burst} — and at once
     */
    public record Info(String organisationZh, String organisationEn, String phone, String email, String address,
                       Path cpsZh, Path cpsEn, Path agreementZh, Path agreementEn, int lookupPerMinute,
                       int lookupBurst) {
    }
}
