package org.egovpki.server;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import org.egovpki.core.audit.AuditEvent;
import org.egovpki.core.audit.AuditEventType;
import org.egovpki.core.audit.AuditLog;
import org.egovpki.server.audit.FileAuditLog;
import org.egovpki.server.config.ConfigException;
import org.egovpki.server.config.EgovPkiConfig;
import org.egovpki.server.logging.LogSetup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a running server does on SIGHUP: read the configuration file again (with the same
 * command-line overrides), validate all of it, and apply the sections that can change live —
 * {@value #LIVE_TEXT} — leaving everything else as it started, with a warning naming what needs a
 * restart. An invalid file changes nothing: it is logged and audited as refused and the server
 * goes on. Every reload is audited ({@link AuditEventType#CONFIG_RELOADED}) with the sections it
 * applied and those that wait for a restart; never values (a section may hold a password).
 *
 * <p>Sections are the top-level keys; comparing whole sections keeps the rule simple to state:
 * {@code logging} and {@code audit} (its rotation) are read by objects that take new settings at
 * any time, while the others are built into the CA, the directory, the routes and Jetty at start.
 */
public final class ConfigReload {

    /** The sections applied without a restart (names as in the configuration file). */
    public static final Set<String> LIVE = Set.of("logging", "audit");
    static final String LIVE_TEXT = "logging.* and audit.rotation.*";

    private static final Logger LOG = LoggerFactory.getLogger(ConfigReload.class);

    private final Supplier<EgovPkiConfig> source;
    private final String sourceName;
    private final LogSetup logs;
    private final FileAuditLog audit;
    private final Clock clock;
    private EgovPkiConfig running;

    /**
     * @param source     reads and validates the configuration as start-up did (throws {@link ConfigException})
     * @param sourceName the file it reads, for the log and the audit ({@code (defaults)} without one)
     * @param running    the configuration the server runs with (ports bound)
     * @param logs       applies {@code logging.*}; {@code null} when logback is not the SLF4J binding
     */
    public ConfigReload(Supplier<EgovPkiConfig> source, String sourceName, EgovPkiConfig running, LogSetup logs,
                        FileAuditLog audit, Clock clock) {
        this.source = Objects.requireNonNull(source, "source");
        this.sourceName = Objects.requireNonNull(sourceName, "sourceName");
        this.running = Objects.requireNonNull(running, "running");
        this.logs = logs;
        this.audit = Objects.requireNonNull(audit, "audit");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** What one reload did. */
    public record Outcome(boolean refused, List<String> applied, List<String> restartNeeded, String reason) {
        public Outcome {
            applied = List.copyOf(applied);
            restartNeeded = List.copyOf(restartNeeded);
        }
    }

    /** Reads the file again and applies what can change live; never throws for a bad file. */
    public synchronized Outcome reload() {
        EgovPkiConfig loaded;
        try {
            loaded = bound(source.get());
        } catch (ConfigException | IllegalArgumentException | IllegalStateException e) {
            String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            LOG.error("Configuration reload refused, the server goes on with the configuration it had: {}", reason);
            record(false, Map.of("file", sourceName, "refused", reason));
            return new Outcome(true, List.of(), List.of(), reason);
        }
        List<String> applied = new ArrayList<>();
        List<String> restart = new ArrayList<>();
        for (String section : changedSections(running, loaded)) {
            (LIVE.contains(section) ? applied : restart).add(section);
        }
        if (applied.contains("logging") && logs != null) {
            logs.apply(loaded.logging());
        }
        if (applied.contains("audit")) {
            audit.rotateBy(EgovPkiServer.auditRotation(loaded));
        }
        running = withLive(running, loaded);
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
        record(true, details);
        return new Outcome(false, applied, restart, null);
    }

    private void record(boolean success, Map<String, String> details) {
        AuditEvent event = success
                ? AuditEvent.success(clock.instant(), AuditEventType.CONFIG_RELOADED, AuditEvent.SYSTEM, List.of(), details)
                : AuditEvent.failure(clock.instant(), AuditEventType.CONFIG_RELOADED, AuditEvent.SYSTEM, List.of(), details);
        try {
            audit.record(event);
        } catch (RuntimeException e) {
            LOG.error("Could not audit the configuration reload: {}", e.getMessage());
        }
    }

    /** The loaded configuration with the ports the running server bound where it says 0, as at start-up. */
    private EgovPkiConfig bound(EgovPkiConfig loaded) {
        return loaded.withBoundPorts(running.ldap().port(), running.http().port(),
                running.http().tls() == null ? 0 : running.http().tls().port());
    }

    /** The top-level sections whose values differ, by the names the file uses. */
    static List<String> changedSections(EgovPkiConfig before, EgovPkiConfig after) {
        List<String> changed = new ArrayList<>();
        for (RecordComponent component : EgovPkiConfig.class.getRecordComponents()) {
            if (!Objects.equals(value(component, before), value(component, after))) {
                changed.add(component.getName().equals("dataDirectory") ? "data" : component.getName());
            }
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

    private static EgovPkiConfig withLive(EgovPkiConfig running, EgovPkiConfig loaded) {
        return new EgovPkiConfig(running.dataDirectory(), running.ldap(), running.http(), running.ca(),
                running.profiles(), running.enrollment(), running.revocation(), running.lifecycle(), running.ocsp(),
                running.km(), running.sync(), loaded.logging(), loaded.audit(), running.caKeys());
    }
}
