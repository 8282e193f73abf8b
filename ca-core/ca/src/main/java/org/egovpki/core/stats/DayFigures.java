package org.egovpki.core.stats;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The figures of one calendar day: counts and duration samples per {@link Metric} and {@link Cell}.
 * Immutable. A closed day is stored as {@link #lines()} — one text line per metric and cell —
 * and read back with {@link #parse}; the format is the directory's ({@code egovStatisticsFigure},
 * docs/statistics.md):
 *
 * <pre>
 *   ISSUED|tax|410000|INDIVIDUAL|-=3
 *   DECISION_SECONDS|tax|410000|INDIVIDUAL|-=60,7200
 * </pre>
 * Each field is percent-encoded, so a value may hold any character.
 */
public final class DayFigures {

    /** A metric of a cell. */
    public record Key(Metric metric, Cell cell) {
        public Key {
            Objects.requireNonNull(metric, "metric");
            Objects.requireNonNull(cell, "cell");
        }
    }

    public static final DayFigures EMPTY = new DayFigures(Map.of(), Map.of());

    private final Map<Key, Long> counts;
    private final Map<Key, List<Long>> samples;

    private DayFigures(Map<Key, Long> counts, Map<Key, List<Long>> samples) {
        this.counts = Map.copyOf(counts);
        Map<Key, List<Long>> copy = new HashMap<>();
        samples.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        this.samples = Map.copyOf(copy);
    }

    public Map<Key, Long> counts() {
        return counts;
    }

    public Map<Key, List<Long>> samples() {
        return samples;
    }

    public boolean isEmpty() {
        return counts.isEmpty() && samples.isEmpty();
    }

    /** The stored form: one line per key, sorted, so equal figures give equal lines. */
    public List<String> lines() {
        TreeMap<String, String> sorted = new TreeMap<>();
        counts.forEach((k, v) -> sorted.put(key(k), Long.toString(v)));
        samples.forEach((k, v) -> sorted.put(key(k), String.join(",", v.stream().map(String::valueOf).toList())));
        List<String> lines = new ArrayList<>();
        sorted.forEach((k, v) -> lines.add(k + "=" + v));
        return lines;
    }

    /**
     * Reads {@link #lines()} back.
     *
     * @throws IllegalArgumentException naming the line that is not of the format
     */
    public static DayFigures parse(Collection<String> lines) {
        Builder b = new Builder();
        for (String line : lines) {
            try {
                int eq = line.lastIndexOf('=');
                String[] f = line.substring(0, eq).split("\\|", -1);
                if (f.length != 5) {
                    throw new IllegalArgumentException("expected 5 fields");
                }
                Key key = new Key(Metric.valueOf(f[0]), new Cell(dec(f[1]), dec(f[2]), dec(f[3]), dec(f[4])));
                String value = line.substring(eq + 1);
                if (key.metric().sample()) {
                    for (String s : value.split(",")) {
                        b.sample(key, Long.parseLong(s));
                    }
                } else {
                    b.add(key, Long.parseLong(value));
                }
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("statistics line '" + line + "' is not METRIC|businessType|"
                        + "region|type|cause=value: " + e.getMessage(), e);
            }
        }
        return b.build();
    }

    private static String key(Key k) {
        Cell c = k.cell();
        return k.metric().name() + "|" + enc(c.businessType()) + "|" + enc(c.region()) + "|" + enc(c.type()) + "|"
                + enc(c.cause());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String dec(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DayFigures d && counts.equals(d.counts) && samples.equals(d.samples);
    }

    @Override
    public int hashCode() {
        return Objects.hash(counts, samples);
    }

    @Override
    public String toString() {
        return "DayFigures" + lines();
    }

    /** Collects the figures of a day. Not thread-safe. */
    public static final class Builder {
        private final Map<Key, Long> counts = new HashMap<>();
        private final Map<Key, List<Long>> samples = new HashMap<>();

        public Builder add(Key key, long n) {
            if (key.metric().sample()) {
                throw new IllegalArgumentException(key.metric() + " keeps samples, not a count");
            }
            counts.merge(key, n, Long::sum);
            return this;
        }

        public Builder sample(Key key, long seconds) {
            if (!key.metric().sample()) {
                throw new IllegalArgumentException(key.metric() + " keeps a count, not samples");
            }
            samples.computeIfAbsent(key, k -> new ArrayList<>()).add(seconds);
            return this;
        }

        public DayFigures build() {
            return new DayFigures(counts, samples);
        }
    }
}
