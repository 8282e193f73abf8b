package org.egovpki.directory;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.egovpki.directory.embedded.EmbeddedDirectorySettings;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keeps {@link EmbeddedDirectorySettings#INDEXED_ATTRIBUTES} and the search filters of this module
 * in step: every attribute a filter names is indexed, or is listed below with the narrower term
 * that makes its index unnecessary; and every index is used by some filter (an index costs every
 * write of an entry that carries the attribute). Reads the filters from the sources: each
 * {@code Filter.create*Filter(attribute, ...)} call, its attribute a literal or a constant.
 */
class IndexedAttributesTest {

    /** Attributes filters name that need no index, and why. */
    private static final Map<String, String> NARROWED_ELSEWHERE = Map.of(
            "egovIssuerName", "CRL reads: status REVOKED (and shard, revocation time) select; escrow look-ups: the serial",
            "egovRevocationReason", "the compromised-key backfill (once per directory): status REVOKED selects",
            "egovKeyState", "only under NOT (never selects candidates); egovRetainUntil selects",
            "egovSyncEnqueuedAt", "beside the egovSyncSequence range",
            "description", "beside cn in the health probe",
            "egovParentCa", "CA entries: a handful, one level",
            "egovOperatorCertificateId", "operator entries: one level, tens of entries",
            "userCertificate", "the X.500 mirror's clean-up at start, over the mirror's own entries");

    private static final Pattern FILTER = Pattern.compile(
            "Filter\\.create(?:Equality|GreaterOrEqual|LessOrEqual|Presence|Substring|ApproximateMatch)Filter\\(\\s*"
                    + "(\"[^\"]*\"|[\\w.]+(?:\\([^)]*\\))?)");
    private static final Pattern CONSTANT = Pattern.compile(
            "final\\s+String\\s+(\\w+)\\s*=\\s*(?:\"([^\"]+)\"|(\\w+)\\.(\\w+))\\s*;");

    private static Map<Path, String> sources;

    @BeforeAll
    static void readSources() throws IOException {
        sources = new HashMap<>();
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                sources.put(file, Files.readString(file));
            }
        }
    }

    @Test
    void everySearchedAttributeIsIndexedOrNarrowedByAnIndexedTerm() {
        Map<String, Set<String>> searched = searchedAttributes();
        Set<String> indexed = lower(EmbeddedDirectorySettings.INDEXED_ATTRIBUTES);
        Set<String> narrowed = lower(NARROWED_ELSEWHERE.keySet());

        assertThat(searched).as("the filters were found").hasSizeGreaterThan(20);
        assertThat(searched.keySet().stream().filter(a -> !indexed.contains(a) && !narrowed.contains(a)).toList())
                .as("attributes a filter names that are neither indexed nor narrowed by an indexed term (index "
                        + "them in EmbeddedDirectorySettings.INDEXED_ATTRIBUTES, or say here why not)")
                .isEmpty();
    }

    @Test
    void everyIndexIsUsedBySomeFilter() {
        Set<String> searched = searchedAttributes().keySet();
        assertThat(EmbeddedDirectorySettings.INDEXED_ATTRIBUTES.stream()
                .filter(a -> !searched.contains(a.toLowerCase(Locale.ROOT))).toList())
                .as("indexed attributes no filter names: each costs every write, drop them").isEmpty();
        assertThat(NARROWED_ELSEWHERE.keySet().stream().filter(a -> !searched.contains(a.toLowerCase(Locale.ROOT))))
                .as("stale entries of NARROWED_ELSEWHERE").isEmpty();
        assertThat(NARROWED_ELSEWHERE.keySet()).as("indexed and said not to need it")
                .doesNotContainAnyElementsOf(EmbeddedDirectorySettings.INDEXED_ATTRIBUTES);
    }

    @Test
    void filtersAreBuiltSoThisTestSeesThem() {
        assertThat(sources.entrySet().stream().filter(e -> e.getValue().contains("Filter.create(")).map(Map.Entry::getKey)
                .toList()).as("a filter parsed from a string escapes this check: use Filter.create*Filter").isEmpty();
    }

    /** Attribute (lower case) → the files whose filters name it. */
    private static Map<String, Set<String>> searchedAttributes() {
        Map<String, String> global = new HashMap<>();
        sources.forEach((file, text) -> constants(text, Map.of()).forEach((name, value) ->
                global.put(className(file) + "." + name, value)));
        Map<String, Set<String>> searched = new TreeMap<>();
        sources.forEach((file, text) -> {
            Map<String, String> local = constants(text, global);
            Matcher m = FILTER.matcher(text);
            while (m.find()) {
                for (String attribute : resolve(file, text, m.group(1).strip(), local, global)) {
                    searched.computeIfAbsent(attribute.toLowerCase(Locale.ROOT), a -> new TreeSet<>())
                            .add(className(file));
                }
            }
        });
        return searched;
    }

    private static List<String> resolve(Path file, String text, String argument, Map<String, String> local,
                                        Map<String, String> global) {
        Matcher literal = Pattern.compile("^\"([^\"]+)\"$").matcher(argument);
        if (literal.matches()) {
            return List.of(literal.group(1));
        }
        if (local.containsKey(argument)) {
            return List.of(local.get(argument));
        }
        if (global.containsKey(argument)) {
            return List.of(global.get(argument));
        }
        // The two filters whose attribute is a parameter: what their callers pass.
        if (className(file).equals("LdapStatisticsSource") && argument.equals("attribute")) {
            return literals(text, "range\\(\"(\\w+)\"");
        }
        if (className(file).equals("CertificateStoreKeys") && argument.equals("attribute(key)")) {
            return CertificateStoreKeys.ATTRIBUTES;
        }
        throw new AssertionError(file + ": cannot tell which attribute the filter on '" + argument + "' names; "
                + "use a literal or a String constant, or teach IndexedAttributesTest");
    }

    private static Map<String, String> constants(String text, Map<String, String> global) {
        Map<String, String> found = new HashMap<>();
        Matcher m = CONSTANT.matcher(text);
        while (m.find()) {
            String value = m.group(2) != null ? m.group(2) : global.get(m.group(3) + "." + m.group(4));
            if (value != null) {
                found.put(m.group(1), value);
            }
        }
        return found;
    }

    private static List<String> literals(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        List<String> found = new ArrayList<>();
        while (m.find()) {
            found.add(m.group(1));
        }
        assertThat(found).as("the callers of " + regex).isNotEmpty();
        return found;
    }

    private static String className(Path file) {
        String name = file.getFileName().toString();
        return name.substring(0, name.length() - ".java".length());
    }

    private static Set<String> lower(Collection<String> attributes) {
        return attributes.stream().map(a -> a.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
    }
}
