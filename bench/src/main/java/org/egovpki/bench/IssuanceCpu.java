package org.egovpki.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.OptionalLong;

/**
 * Where the CPU of a measured round goes, per issuance: the benchmark's JVM (which hosts the
 * server and the clients), of it the server's Jetty request threads (where an issuance runs, from
 * the JSON to the last directory write), and the user and system time of another process when
 * there is one: the slapd the server writes to, or the peer (cfssl) the clients call.
 * The sum bounds the rate: at {@code t} ms of CPU per issuance, {@code c} cores allow at most
 * {@code c} × 1,000 / {@code t} issuances/s.
 */
final class IssuanceCpu {

    /** CPU seconds at one moment: the JVM process, its Jetty request threads, the other process's user and system. */
    record Sample(double jvm, double requestThreads, double otherUser, double otherSystem) {
    }

    private static final String REQUEST_THREAD_PREFIX = "qtp";
    private static final int CORES = Runtime.getRuntime().availableProcessors();

    private final boolean serverInJvm;
    private final String otherName;
    private final OptionalLong otherPid;
    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

    private IssuanceCpu(boolean serverInJvm, String otherName, OptionalLong otherPid) {
        this.serverInJvm = serverInJvm;
        this.otherName = otherName;
        this.otherPid = otherPid;
    }

    /** The server in the benchmark's JVM on its embedded directory, which runs there too. */
    static IssuanceCpu embedded() {
        return new IssuanceCpu(true, null, OptionalLong.empty());
    }

    /** The server in the benchmark's JVM on the slapd with this process id. */
    static IssuanceCpu onSlapd(long pid) {
        return new IssuanceCpu(true, "slapd", OptionalLong.of(pid));
    }

    /** A peer in its own process, called by the clients in the benchmark's JVM. */
    static IssuanceCpu peer(String name, long pid) {
        return new IssuanceCpu(false, name, OptionalLong.of(pid));
    }

    Sample sample() {
        double request = 0;
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && info.getThreadName().startsWith(REQUEST_THREAD_PREFIX)) {
                long nanos = threads.getThreadCpuTime(info.getThreadId());
                request += nanos > 0 ? nanos / 1e9 : 0;
            }
        }
        double user = 0;
        double system = 0;
        if (otherPid.isPresent()) {
            try {
                ProcessCpu.Times times = ProcessCpu.of(otherPid.getAsLong());
                user = times.user();
                system = times.system();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new Sample(os.getProcessCpuTime() / 1e9, request, user, system);
    }

    /**
     * The line printed for a client count. Jetty's request threads that ended during the rounds
     * take their CPU with them, so that share is a floor; the JVM's and the other process's are exact.
     */
    String describe(Sample before, Sample after, int issued) {
        double perIssuance = 1000.0 / issued;
        double jvm = (after.jvm() - before.jvm()) * perIssuance;
        double request = Math.max(0, after.requestThreads() - before.requestThreads()) * perIssuance;
        String rest = otherPid.isEmpty() ? "the embedded directory, the clients, JIT and GC"
                : "the clients, JIT, GC and LDAP readers";
        String line = serverInJvm
                ? String.format("CPU per issuance: JVM %.2f ms (of it Jetty's request threads %.2f ms; the rest is %s)",
                        jvm, request, rest)
                : String.format("CPU per issuance: JVM %.2f ms (the clients)", jvm);
        if (otherPid.isEmpty()) {
            return line + String.format("; %d cores allow at most %.0f/s", CORES, CORES * 1000.0 / jvm);
        }
        double user = (after.otherUser() - before.otherUser()) * perIssuance;
        double system = (after.otherSystem() - before.otherSystem()) * perIssuance;
        return line + String.format(", %s %.2f ms (user %.2f, system %.2f); %d cores allow at most %.0f/s",
                otherName, user + system, user, system, CORES, CORES * 1000.0 / (jvm + user + system));
    }
}
