package org.egovpki.server;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import org.egovpki.core.audit.AuditEvent;
import org.egovpki.core.audit.AuditEventType;
import org.egovpki.core.ca.CrlPublisher;
import org.egovpki.core.ca.OcspSigners;
import org.egovpki.core.ocsp.OcspResponder;
import org.egovpki.core.profile.LiveProfiles;
import org.egovpki.core.profile.ProfileCatalog;
import org.egovpki.routes.CrlTimings;
import org.egovpki.server.audit.FileAuditLog;
import org.egovpki.server.config.ConfigException;
import org.egovpki.server.config.EgovPkiConfig;
import org.egovpki.server.logging.LogSetup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a running server does on SIGHUP: read the configuration file again (with the same
 * command-line overrides), validate all of it, and apply the settings that can change live — the
 * paths in {@link #LIVE} — leaving everything else as it started, with a warning naming what needs
 * a restart. An invalid file changes nothing: it is logged and audited as refused and the server
 * goes on. Every reload is audited ({@link AuditEventType#CONFIG_RELOADED}) with the paths it
 * applied and those that wait for a restart; never values (a section may hold a password).
 *
 * <p>Most sections are compared whole: they are built into the directory, the CAs, the routes and
 * Jetty at start. {@code ca} and {@code ocsp} are compared key by key, because their timings are
 * read by objects that take new values at any time ({@link CrlPublisher}, the CRL routes through
 * {@link CrlTimings}, {@link OcspResponder}, {@link OcspSigners}) while the rest of them (the CAs,
 * {@code ca.crl.deltas}, {@code ca.crl.partitions}, {@code ocsp.signer}, {@code ocsp.presignAhead}) shapes what certificates
 * carry or who signs, and needs a restart. {@code profiles} are replaced as a whole
 * ({@link LiveProfiles}) after every new or changed profile is checked against the CAs in service:
 * one that does not fit refuses the whole reload, nothing applied.
 */
public final class ConfigReload {

    /** The settings applied without a restart, by the names the configuration file uses. */
    public static final List<String> LIVE = List.of("logging", "audit", "profiles", "ca.crl.nextUpdateHours",
            "ca.crl.schedule", "ca.crl.timeZone", "ca.crl.afterRevocationSeconds", "ocsp.nextUpdateMinutes",
            "ocsp.cacheSeconds", "ocsp.cacheEntries", "ocsp.delegatedValidityDays", "ocsp.presigned",
            "ocsp.presignedMaxEntries");
    static final String LIVE_TEXT = "logging.*, audit.rotation.*, profiles, ca.crl timings (nextUpdateHours, "
            + "schedule, timeZone, afterRevocationSeconds) and ocsp timings (nextUpdateMinutes, cacheSeconds, "
            + "cacheEntries, delegatedValidityDays, presigned, presignedMaxEntries)";
    /** Sections compared key by key: their live keys are in {@link #LIVE}, the rest named in {@link #restartPaths}. */
    private static final Set<String> SPLIT = Set.of("ca", "ocsp");

    private static final Logger LOG = LoggerFactory.getLogger(ConfigReload.class);

    /**
     * The issuing CAs in service, by name, each with the notAfter of its certificate: enabled,
     * started, and not revoked. A new or changed profile must issue from one of them, and its
     * validity must end before that CA's certificate does.
     */
    @FunctionalInterface
    public interface IssuingCas {
        Map<String, Instant> inService();
    }

    /**
     * The running objects a reload changes. {@code logs} is {@code null} when logback is not the
     * SLF4J binding; {@code crls}, {@code crlRoutes}, {@code ocsp} and {@code ocspSigners} are
     * {@code null} where the server runs without them (no delegated responders: no
     * {@code ocspSigners}); their settings are then only recorded as the running ones.
     */
    public record Targets(LogSetup logs, FileAuditLog audit, LiveProfiles profiles, IssuingCas cas,
                          CrlPublisher crls, CrlTimings crlRoutes, OcspResponder ocsp, OcspSigners ocspSigners) {
        public Targets {
            Objects.requireNonNull(audit, "audit");
            Objects.requireNonNull(profiles, "profiles");
            Objects.requireNonNull(cas, "cas");
        }
    }

    private final Supplier<EgovPkiConfig> source;
    private final String sourceName;
    private final Targets targets;
    private final Clock clock;
    private EgovPkiConfig running;

    /**
     * @param source     reads and validates the configuration as start-up did (throws {@link ConfigException})
     * @param sourceName the file it reads, for the log and the audit ({@code (defaults)} without one)
     * @param running    the configuration the server runs with (ports bound)
     * @param targets    what the live settings are applied to
     */
    public ConfigReload(Supplier<EgovPkiConfig> source, String sourceName, EgovPkiConfig running, Targets targets,
                        Clock clock) {
        this.source = Objects.requireNonNull(source, "source");
        this.sourceName = Objects.requireNonNull(sourceName, "sourceName");
        this.running = Objects.requireNonNull(running, "running");
        this.targets = Objects.requireNonNull(targets, "targets");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** What one reload did: the live paths applied and the changed paths that need a restart. */
    public record Outcome(boolean refused, List<String> applied, List<String> restartNeeded, String reason) {
        public Outcome {
            applied = List.copyOf(applied);
            restartNeeded = List.copyOf(restartNeeded);
        }
    }

    /** Reads the file again and applies what can change live; never throws for a bad file. */
    public synchronized Outcome reload() {
        EgovPkiConfig loaded;
        List<String> applied;
        OcspResponder.Settings ocspSettings;
        try {
            loaded = bound(source.get());
            applied = changedLive(running, loaded);
            // Everything is checked before anything is applied: a refusal changes nothing.
            if (applied.contains("profiles")) {
                checkProfiles(running.profiles(), loaded.profiles());
            }
            ocspSettings = ocspSettings(loaded.ocsp());
        } catch (ConfigException | IllegalArgumentException | IllegalStateException e) {
            String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            LOG.error("Configuration reload refused, the server goes on with the configuration it had: {}", reason);
            record(false, Map.of("file", sourceName, "refused", reason));
            return new Outcome(true, List.of(), List.of(), reason);
        }
        List<String> restart = restartPaths(withLive(running, loaded), loaded);
        List<String> failed = apply(applied, loaded, ocspSettings);
        applied.removeAll(failed);
        running = withLive(running, loaded, failed);
        if (!restart.isEmpty()) {
            LOG.warn("Configuration reloaded from {}: restart needed for {} (changed, not applied: only {} change "
                    + "while running)", sourceName, String.join(", ", restart), LIVE_TEXT);
        }
        LOG.info("Configuration reloaded from {}: applied {}", sourceName,
                applied.isEmpty() ? "nothing (no live setting changed)" : String.join(", ", applied));
        Map<String, String> details = new LinkedHashMap<>();
        details.put("file", sourceName);
        details.put("applied", String.join(",", applied));
        details.put("restartNeeded", String.join(",", restart));
        if (!failed.isEmpty()) {
            details.put("failed", String.join(",", failed));
        }
        record(failed.isEmpty(), details);
        return new Outcome(false, applied, restart, failed.isEmpty() ? null : "not applied: " + failed);
    }

    /**
     * Applies the changed live paths. The in-memory swaps cannot fail; the CRL routes can (Camel):
     * those paths are returned, the routes put back on the running timings, and the reload goes on.
     */
    private List<String> apply(List<String> changed, EgovPkiConfig loaded, OcspResponder.Settings ocspSettings) {
        List<String> failed = new ArrayList<>();
        if (changed.contains("logging") && targets.logs() != null) {
            targets.logs().apply(loaded.logging());
        }
        if (changed.contains("audit")) {
            targets.audit().rotateBy(EgovPkiServer.auditRotation(loaded));
        }
        if (changed.contains("profiles")) {
            targets.profiles().replace(loaded.profiles());
        }
        EgovPkiConfig.Crl crl = loaded.ca().crl();
        if (changed.contains("ca.crl.nextUpdateHours") && targets.crls() != null) {
            targets.crls().nextUpdateAfter(crl.nextUpdate());
        }
        if (targets.crlRoutes() != null) {
            EgovPkiConfig.Crl before = running.ca().crl();
            if (changed.contains("ca.crl.schedule") || changed.contains("ca.crl.timeZone")) {
                try {
                    targets.crlRoutes().reschedule(crl.schedule(), crl.timeZone());
                } catch (Exception e) {
                    LOG.error("The new CRL schedule could not be applied ({}); keeping {} in {}", e.getMessage(),
                            before.schedule(), before.timeZone());
                    restore(() -> targets.crlRoutes().reschedule(before.schedule(), before.timeZone()));
                    failed.add("ca.crl.schedule");
                    failed.add("ca.crl.timeZone");
                }
            }
            if (changed.contains("ca.crl.afterRevocationSeconds")) {
                try {
                    targets.crlRoutes().afterRevocationWindow(crl.afterRevocation());
                } catch (Exception e) {
                    LOG.error("The new CRL after-revocation window could not be applied ({}); keeping {}",
                            e.getMessage(), before.afterRevocation());
                    restore(() -> targets.crlRoutes().afterRevocationWindow(before.afterRevocation()));
                    failed.add("ca.crl.afterRevocationSeconds");
                }
            }
        }
        if ((changed.contains("ocsp.nextUpdateMinutes") || changed.contains("ocsp.cacheSeconds")
                || changed.contains("ocsp.cacheEntries") || changed.contains("ocsp.presigned")
                || changed.contains("ocsp.presignedMaxEntries")) && targets.ocsp() != null) {
            targets.ocsp().updateSettings(ocspSettings);
        }
        if (changed.contains("ocsp.delegatedValidityDays") && targets.ocspSigners() != null) {
            targets.ocspSigners().changeValidity(loaded.ocsp().delegatedValidity());
        }
        failed.retainAll(changed);
        return failed;
    }

    private interface RouteChange {
        void run() throws Exception;
    }

    private static void restore(RouteChange change) {
        try {
            change.run();
        } catch (Exception e) {
            LOG.error("The CRL route could not be restored either: {}; restart the server", e.getMessage());
        }
    }

    /**
     * Every new or changed profile issues from an issuing CA in service and ends before its
     * certificate: a profile that cannot be honoured refuses the reload (unchanged profiles are not
     * re-judged: they were accepted at start).
     */
    private void checkProfiles(ProfileCatalog before, ProfileCatalog after) {
        Map<String, Instant> cas = targets.cas().inService();
        Instant now = clock.instant();
        for (ProfileCatalog.Entry entry : after.all()) {
            if (before.find(entry.profile().name()).filter(entry::equals).isPresent()) {
                continue;
            }
            String name = entry.profile().name();
            Instant caNotAfter = cas.get(entry.issuer());
            if (caNotAfter == null) {
                throw new ConfigException("profiles: profile '" + name + "' issues from CA '" + entry.issuer()
                        + "', which is not an issuing CA in service (in service: " + cas.keySet().stream().sorted()
                        .toList() + "); a new CA needs a restart first");
            }
            Instant ends = now.atOffset(ZoneOffset.UTC).plus(entry.profile().validity()).toInstant();
            if (ends.isAfter(caNotAfter)) {
                throw new ConfigException("profiles: profile '" + name + "' validity " + entry.profile().validity()
                        + " would end " + ends + ", after the certificate of its CA '" + entry.issuer() + "' ("
                        + caNotAfter + "); shorten validityMonths");
            }
        }
    }

    private static OcspResponder.Settings ocspSettings(EgovPkiConfig.Ocsp ocsp) {
        return ocsp.responderSettings();
    }

    private void record(boolean success, Map<String, String> details) {
        AuditEvent event = success
                ? AuditEvent.success(clock.instant(), AuditEventType.CONFIG_RELOADED, AuditEvent.SYSTEM, List.of(), details)
                : AuditEvent.failure(clock.instant(), AuditEventType.CONFIG_RELOADED, AuditEvent.SYSTEM, List.of(), details);
        try {
            targets.audit().record(event);
        } catch (RuntimeException e) {
            LOG.error("Could not audit the configuration reload: {}", e.getMessage());
        }
    }

    /** The loaded configuration with the ports the running server bound where it says 0, as at start-up. */
    private EgovPkiConfig bound(EgovPkiConfig loaded) {
        return loaded.withBoundPorts(running.ldap().port(), running.http().port(),
                running.http().tls() == null ? 0 : running.http().tls().port());
    }

    /** The value of each live path, in {@link #LIVE}'s order. */
    static Map<String, Object> liveValues(EgovPkiConfig config) {
        EgovPkiConfig.Crl crl = config.ca().crl();
        EgovPkiConfig.Ocsp ocsp = config.ocsp();
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("logging", config.logging());
        values.put("audit", config.audit());
        values.put("profiles", config.profiles());
        values.put("ca.crl.nextUpdateHours", crl.nextUpdate());
        values.put("ca.crl.schedule", crl.schedule());
        values.put("ca.crl.timeZone", crl.timeZone());
        values.put("ca.crl.afterRevocationSeconds", crl.afterRevocation());
        values.put("ocsp.nextUpdateMinutes", ocsp.nextUpdate());
        values.put("ocsp.cacheSeconds", ocsp.cacheLifetime());
        values.put("ocsp.cacheEntries", ocsp.cacheEntries());
        values.put("ocsp.delegatedValidityDays", ocsp.delegatedValidity());
        values.put("ocsp.presigned", ocsp.presigned());
        values.put("ocsp.presignedMaxEntries", ocsp.presignedMaxEntries());
        return values;
    }

    /** The live paths whose values differ. */
    static List<String> changedLive(EgovPkiConfig before, EgovPkiConfig after) {
        Map<String, Object> was = liveValues(before);
        Map<String, Object> is = liveValues(after);
        List<String> changed = new ArrayList<>();
        for (String path : LIVE) {
            if (!Objects.equals(was.get(path), is.get(path))) {
                changed.add(path);
            }
        }
        return changed;
    }

    /**
     * The changed settings that are not live: whole sections by their names, and inside {@code ca}
     * and {@code ocsp} the keys ({@code ca} itself for the CAs' definitions).
     */
    static List<String> restartPaths(EgovPkiConfig before, EgovPkiConfig after) {
        List<String> changed = new ArrayList<>();
        for (RecordComponent component : EgovPkiConfig.class.getRecordComponents()) {
            String name = component.getName().equals("dataDirectory") ? "data" : component.getName();
            if (LIVE.contains(name) || SPLIT.contains(name)) {
                continue;
            }
            if (!Objects.equals(value(component, before), value(component, after))) {
                changed.add(name);
            }
        }
        if (!before.ca().definitions().equals(after.ca().definitions())) {
            changed.add("ca");
        }
        if (before.ca().crl().deltas() != after.ca().crl().deltas()) {
            changed.add("ca.crl.deltas");
        }
        if (before.ca().crl().partitions() != after.ca().crl().partitions()) {
            changed.add("ca.crl.partitions");
        }
        if (before.ocsp().signer() != after.ocsp().signer()) {
            changed.add("ocsp.signer");
        }
        if (before.ocsp().presignAhead() != after.ocsp().presignAhead()) {
            changed.add("ocsp.presignAhead");
        }
        return changed;
    }

    private static Object value(RecordComponent component, EgovPkiConfig config) {
        try {
            return component.getAccessor().invoke(config);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot read " + component.getName() + " of the configuration", e);
        }
    }

    /** {@code running} with every live path taken from {@code loaded}. */
    static EgovPkiConfig withLive(EgovPkiConfig running, EgovPkiConfig loaded) {
        return withLive(running, loaded, List.of());
    }

    /** {@code running} with the live paths taken from {@code loaded}, except {@code kept} (not applied). */
    private static EgovPkiConfig withLive(EgovPkiConfig running, EgovPkiConfig loaded, List<String> kept) {
        EgovPkiConfig.Crl was = running.ca().crl();
        EgovPkiConfig.Crl is = loaded.ca().crl();
        // Schedule and zone are applied together: if that failed, neither is running.
        boolean schedule = !kept.contains("ca.crl.schedule") && !kept.contains("ca.crl.timeZone");
        EgovPkiConfig.Crl crl = new EgovPkiConfig.Crl(is.nextUpdate(), schedule ? is.schedule() : was.schedule(),
                schedule ? is.timeZone() : was.timeZone(),
                kept.contains("ca.crl.afterRevocationSeconds") ? was.afterRevocation() : is.afterRevocation(),
                was.deltas(), was.partitions());
        EgovPkiConfig.Ocsp o = loaded.ocsp();
        EgovPkiConfig.Ocsp ocsp = new EgovPkiConfig.Ocsp(running.ocsp().signer(), o.delegatedValidity(),
                o.nextUpdate(), o.cacheLifetime(), o.cacheEntries(), o.presigned(), o.presignedMaxEntries(),
                running.ocsp().presignAhead());
        return new EgovPkiConfig(running.dataDirectory(), running.ldap(), running.http(),
                new EgovPkiConfig.Ca(running.ca().definitions(), crl), loaded.profiles(), running.enrollment(),
                running.revocation(), running.lifecycle(), ocsp, running.km(), running.sync(), loaded.logging(),
                loaded.audit(), running.caKeys(), running.info(),
                running.operators(), running.statistics());
    }

    /** The issuing CAs of {@code registry} in service, for {@link IssuingCas}. */
    static IssuingCas issuingCas(org.egovpki.core.ca.CaRegistry registry) {
        return () -> {
            Map<String, Instant> cas = new LinkedHashMap<>();
            for (org.egovpki.core.ca.CertificateAuthority ca : registry.all()) {
                if (ca.role() == org.egovpki.core.ca.CaRole.ISSUING && !registry.isRevoked(ca.name())) {
                    cas.put(ca.name(), ca.certificate().getNotAfter().toInstant());
                }
            }
            return cas;
        };
    }

    /** For tests: the configuration now running. */
    EgovPkiConfig running() {
        return running;
    }
}
