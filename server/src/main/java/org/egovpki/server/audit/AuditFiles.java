package org.egovpki.server.audit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The files of one audit trail: the file being written ({@code audit.jsonl}) and the files rotation
 * closed before it, {@code audit.<first>-<last>.jsonl} (sequences zero-padded to
 * {@value #DIGITS} digits), in the order of their sequences. Read one after the other they are
 * the trail as one file would hold it: the first line of each file chains to the last line of the
 * file before.
 */
public final class AuditFiles {

    static final int DIGITS = 12;
    private static final String SUFFIX = ".jsonl";

    private AuditFiles() {
    }

    /** A closed file and the sequences its name says it holds. */
    public record Closed(Path file, long first, long last) {
    }

    /** The name a closed file of {@code active} holding {@code first..last} gets. */
    static Path closedName(Path active, long first, long last) {
        return active.resolveSibling(stem(active) + "." + pad(first) + "-" + pad(last) + SUFFIX);
    }

    /** The closed files of the trail whose file being written is {@code active}, oldest first. */
    public static List<Closed> closed(Path active) throws IOException {
        Path directory = active.toAbsolutePath().getParent();
        if (directory == null || !Files.isDirectory(directory)) {
            return List.of();
        }
        Pattern name = Pattern.compile(Pattern.quote(stem(active)) + "\\.(\\d{" + DIGITS + ",})-(\\d{" + DIGITS
                + ",})" + Pattern.quote(SUFFIX));
        List<Closed> closed = new ArrayList<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Matcher m = name.matcher(file.getFileName().toString());
                if (m.matches()) {
                    closed.add(new Closed(file, Long.parseLong(m.group(1)), Long.parseLong(m.group(2))));
                }
            }
        }
        closed.sort(Comparator.comparingLong(Closed::first).thenComparingLong(Closed::last));
        return closed;
    }

    /** Every file of the trail in order: the closed ones, then {@code active}. */
    public static List<Path> all(Path active) throws IOException {
        List<Path> files = new ArrayList<>();
        closed(active).forEach(c -> files.add(c.file()));
        files.add(active);
        return files;
    }

    private static String stem(Path active) {
        String name = active.getFileName().toString();
        return name.endsWith(SUFFIX) ? name.substring(0, name.length() - SUFFIX.length()) : name;
    }

    private static String pad(long sequence) {
        String digits = Long.toString(sequence);
        return digits.length() >= DIGITS ? digits : "0".repeat(DIGITS - digits.length()) + digits;
    }
}
