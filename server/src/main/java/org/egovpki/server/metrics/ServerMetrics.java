package org.egovpki.server.metrics;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jetty.JettyConnectionMetrics;
import io.micrometer.core.instrument.binder.jetty.JettyServerThreadPoolMetrics;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import io.micrometer.jetty12.server.TimedHandler;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's one metrics registry (Micrometer, Prometheus), rendered by {@code GET /metrics}
 * (docs/operations.md, "Monitoring"). It holds the JVM and process binders from the start; each
 * assembly binds its component's meters as the component starts ({@link #bind}), and the Jetty
 * server is instrumented when HTTP starts ({@link #instrument}).
 *
 * <p>The web-service sync's per-target series are not Micrometer meters: they are a snapshot of the
 * directory read at each scrape, for whichever targets exist then (targets come and go, and a
 * registered meter would outlive its target), so their text is appended to the registry's
 * ({@link #append}). Both are text format 0.0.4 with distinct metric families, so the
 * concatenation is one valid exposition ({@code promtool check metrics} checks it in the tests).
 */
public final class ServerMetrics implements AutoCloseable {

    /** The content type of {@link #scrape()}. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private static final Logger LOG = LoggerFactory.getLogger(ServerMetrics.class);

    private final PrometheusMeterRegistry registry;
    private final List<AutoCloseable> closeables = new ArrayList<>();
    /**
     * Every binder bound: Micrometer holds a gauge's or function counter's object only weakly, so
     * the binders (whose objects those are) are kept here for as long as the registry lives.
     */
    private final List<MeterBinder> bound = new ArrayList<>();
    private final List<Supplier<String>> appended = new ArrayList<>();

    private ServerMetrics(PrometheusMeterRegistry registry) {
        this.registry = registry;
    }

    /** A registry with the JVM and process binders (memory, GC, threads, class loading, CPU, uptime, files). */
    public static ServerMetrics start() {
        return start(Clock.SYSTEM);
    }

    /** As {@link #start()}, with Micrometer's clock (tests use a {@code MockClock}). */
    public static ServerMetrics start(Clock clock) {
        ServerMetrics metrics = new ServerMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT,
                new io.prometheus.metrics.model.registry.PrometheusRegistry(), Objects.requireNonNull(clock, "clock")));
        metrics.registry.config().meterFilter(PROMETHEUS_NAMES);
        metrics.bind(new ClassLoaderMetrics());
        metrics.bind(new JvmMemoryMetrics());
        JvmGcMetrics gc = new JvmGcMetrics();
        metrics.bind(gc);
        metrics.closeables.add(gc);
        metrics.bind(new JvmThreadMetrics());
        metrics.bind(new ProcessorMetrics());
        metrics.bind(new UptimeMetrics());
        metrics.bind(new FileDescriptorMetrics());
        processCpuSeconds(metrics.registry);
        return metrics;
    }

    /**
     * Two of Micrometer's system meters break Prometheus's naming rules as {@code promtool check
     * metrics} applies them: {@code process.cpu.time} comes out in nanoseconds
     * ({@code process_cpu_time_ns_total}; {@link #processCpuSeconds} gives the conventional
     * {@code process_cpu_seconds_total} instead), and the gauge {@code system.cpu.count} ends in
     * {@code _count}, which only histograms and summaries may.
     */
    private static final MeterFilter PROMETHEUS_NAMES = new MeterFilter() {
        @Override
        public io.micrometer.core.instrument.config.MeterFilterReply accept(Meter.Id id) {
            return id.getName().equals("process.cpu.time") ? io.micrometer.core.instrument.config.MeterFilterReply.DENY
                    : io.micrometer.core.instrument.config.MeterFilterReply.NEUTRAL;
        }

        @Override
        public Meter.Id map(Meter.Id id) {
            return id.getName().equals("system.cpu.count") ? id.withName("system.cpu.logical.processors") : id;
        }
    };

    /** {@code process_cpu_seconds_total}, the name every Prometheus client library uses, where the JVM tells it. */
    private static void processCpuSeconds(MeterRegistry registry) {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean process && process.getProcessCpuTime() >= 0) {
            FunctionCounter.builder("process.cpu", process, p -> p.getProcessCpuTime() / 1e9)
                    .baseUnit("seconds")
                    .description("CPU time the server process used")
                    .register(registry);
        }
    }

    /** The registry, for meters a component owns. */
    public MeterRegistry registry() {
        return registry;
    }

    /** Binds a component's meters. */
    public synchronized void bind(MeterBinder binder) {
        binder.bindTo(registry);
        bound.add(binder);
        if (binder instanceof AutoCloseable closeable && !closeables.contains(closeable)) {
            closeables.add(closeable);
        }
    }

    /**
     * Appends text that is already in format 0.0.4 to every scrape (the sync's per-target series).
     * Its metric families must not be the registry's.
     */
    public synchronized void append(Supplier<String> exposition) {
        appended.add(Objects.requireNonNull(exposition, "exposition"));
    }

    /**
     * Instruments Jetty: its connections and thread pool, and every request through the returned
     * handler ({@code jetty_server_requests_seconds} by method, status and outcome; no path, so the
     * number of series stays bounded whatever clients send). Call before the server starts.
     */
    public Handler instrument(Server jetty, Handler handler) {
        JettyConnectionMetrics.addToAllConnectors(jetty, registry, Tags.empty());
        bind(new JettyServerThreadPoolMetrics(jetty.getThreadPool(), Tags.empty()));
        TimedHandler timed = new TimedHandler(registry, Tags.empty());
        timed.setHandler(handler);
        return timed;
    }

    /** Everything, in the Prometheus text format 0.0.4. */
    public String scrape() {
        StringBuilder text = new StringBuilder(registry.scrape());
        List<Supplier<String>> extra;
        synchronized (this) {
            extra = List.copyOf(appended);
        }
        for (Supplier<String> more : extra) {
            String part = more.get();
            if (!part.isEmpty() && text.length() > 0 && text.charAt(text.length() - 1) != '\n') {
                text.append('\n');
            }
            text.append(part);
        }
        return text.toString();
    }

    @Override
    public void close() {
        for (AutoCloseable closeable : closeables) {
            try {
                closeable.close();
            } catch (Exception e) {
                LOG.debug("closing a metrics binder: {}", e.toString());
            }
        }
        registry.close();
    }
}
