package org.egovpki.server.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeAndTimeBasedRollingPolicy;
import ch.qos.logback.core.util.FileSize;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import org.egovpki.server.config.EgovPkiConfig;
import org.egovpki.server.config.EgovPkiConfig.LogFormat;
import org.slf4j.Logger;

/**
 * Applies {@code logging.*} to logback: the level of egov-pki's loggers, text or JSON lines, and
 * optionally a rotated file beside the console. {@code logback.xml} in the jar only sets the
 * console and the library levels used before the configuration is read (and by the CLI);
 * {@link #apply} replaces the root's appenders and can run again at any time (SIGHUP).
 *
 * <p>JSON lines come from logback's own {@link JsonEncoder}, set to write the <em>formatted</em>
 * message: its defaults write the message template ({@code "message":"issued {} for {}"}) and the
 * arguments apart, which log collectors show as unfilled templates. Arguments, MDC and key-value
 * pairs are left out: what a line says is exactly its message, in which callers mask personal data
 * ({@code PersonalData}), as in the text format.
 *
 * <p>An operator who gives {@code -Dlogback.configurationFile=...} keeps full control: then this
 * class changes nothing and says so once.
 */
public final class LogSetup {

    /** The system property by which an operator's own logback file replaces ours. */
    public static final String OVERRIDE_PROPERTY = "logback.configurationFile";
    /** The active log file's name in {@code logging.file.directory}. */
    public static final String FILE_NAME = "egov-pki.log";
    /** The loggers {@code logging.level} sets. */
    static final String OWN_LOGGERS = "org.egovpki";
    /** As in logback.xml, so console output reads the same before and after the configuration is applied. */
    static final String CONSOLE_PATTERN = "%d{HH:mm:ss.SSS} %-5level %logger{0} - %msg%n";
    /** Files are read later and elsewhere: the full date and offset, the thread. */
    static final String FILE_PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%thread] %logger{0} - %msg%n";

    private final LoggerContext context;
    private final boolean overridden;

    /**
     * @param context    the logback context to configure
     * @param overridden whether an operator's logback file is in charge (then {@link #apply} does nothing)
     */
    public LogSetup(LoggerContext context, boolean overridden) {
        this.context = Objects.requireNonNull(context, "context");
        this.overridden = overridden;
    }

    /**
     * This process's logback, or {@code null} when SLF4J is not bound to logback (then the
     * {@code logging.*} keys cannot apply, and the caller logs that).
     */
    public static LogSetup forThisProcess() {
        if (org.slf4j.LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            return new LogSetup(context, System.getProperty(OVERRIDE_PROPERTY) != null);
        }
        return null;
    }

    /** Whether an operator's own logback file decides the logging (and {@code logging.*} is not applied). */
    public boolean overridden() {
        return overridden;
    }

    /** Applies the settings; safe to call again with new ones while the process logs. */
    public synchronized void apply(EgovPkiConfig.Logging settings) {
        Objects.requireNonNull(settings, "settings");
        Logger log = context.getLogger(LogSetup.class);
        if (overridden) {
            log.info("The logging.* configuration is not applied: -D{}={} decides the logging", OVERRIDE_PROPERTY,
                    System.getProperty(OVERRIDE_PROPERTY));
            return;
        }
        ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        List<Appender<ILoggingEvent>> old = new ArrayList<>();
        for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
            old.add(it.next());
        }
        // The new console first, so no line is lost; a file appender is started only after the old one
        // stopped (logback refuses two appenders on one file), so the file alone may miss the lines of that moment.
        root.addAppender(console(settings.format()));
        for (Appender<ILoggingEvent> appender : old) {
            root.detachAppender(appender);
            appender.stop();
        }
        if (settings.directory() != null) {
            root.addAppender(file(settings));
        }
        context.getLogger(OWN_LOGGERS).setLevel(Level.toLevel(settings.level()));
    }

    private Appender<ILoggingEvent> console(LogFormat format) {
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        return started(console, "CONSOLE", encoder(format, CONSOLE_PATTERN));
    }

    private Appender<ILoggingEvent> file(EgovPkiConfig.Logging settings) {
        Path directory = settings.directory().toAbsolutePath().normalize();
        RollingFileAppender<ILoggingEvent> file = new RollingFileAppender<>();
        file.setContext(context);
        file.setFile(directory.resolve(FILE_NAME).toString());
        SizeAndTimeBasedRollingPolicy<ILoggingEvent> policy = new SizeAndTimeBasedRollingPolicy<>();
        policy.setContext(context);
        policy.setParent(file);
        policy.setFileNamePattern(directory.resolve("egov-pki.%d{yyyy-MM-dd}.%i.log.gz").toString());
        policy.setMaxFileSize(FileSize.valueOf(settings.maxFileSizeMb() + "MB"));
        policy.setMaxHistory(settings.maxHistoryDays());
        policy.setTotalSizeCap(FileSize.valueOf(settings.totalSizeCapMb() + "MB"));
        file.setRollingPolicy(policy);
        policy.start();
        return started(file, "FILE", encoder(settings.format(), FILE_PATTERN));
    }

    private Appender<ILoggingEvent> started(OutputStreamAppender<ILoggingEvent> appender, String name,
                                            Encoder<ILoggingEvent> encoder) {
        appender.setContext(context);
        appender.setName(name);
        appender.setEncoder(encoder);
        appender.start();
        if (!appender.isStarted()) {
            throw new IllegalStateException("the " + name + " log appender did not start; see logback's status "
                    + "messages above");
        }
        return appender;
    }

    private Encoder<ILoggingEvent> encoder(LogFormat format, String pattern) {
        Encoder<ILoggingEvent> encoder;
        if (format == LogFormat.JSON) {
            JsonEncoder json = new JsonEncoder();
            json.setWithFormattedMessage(true);
            json.setWithMessage(false);
            json.setWithArguments(false);
            json.setWithMDC(false);
            json.setWithKVPList(false);
            json.setWithContext(false);
            json.setWithSequenceNumber(false);
            json.setWithNanoseconds(false);
            json.setWithMarkers(false);
            encoder = json;
        } else {
            PatternLayoutEncoder text = new PatternLayoutEncoder();
            text.setPattern(pattern);
            encoder = text;
        }
        encoder.setContext(context);
        encoder.start();
        return encoder;
    }
}
