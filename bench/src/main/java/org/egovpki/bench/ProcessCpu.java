package org.egovpki.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Another process's CPU time so far, from {@code /proc/<pid>/stat} (Linux). */
final class ProcessCpu {

    /** User and system CPU seconds. */
    record Times(double user, double system) {
    }

    private ProcessCpu() {
    }

    static Times of(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        // Fields after the command name (which is in parentheses and may hold spaces): utime is the
        // 14th field of the line, stime the 15th, in clock ticks (100 per second on Linux).
        String[] after = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return new Times(Long.parseLong(after[11]) / 100.0, Long.parseLong(after[12]) / 100.0);
    }
}
