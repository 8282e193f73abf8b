package org.egovpki.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * Every command of the {@code egov-pki} tree, found by walking it (so a command added later is
 * covered too), answers {@code --help} with its own usage and {@code --version} with the version,
 * exit code 0, and runs nothing.
 */
class StandardOptionsTest {

    static Stream<List<String>> everyCommand() {
        List<List<String>> paths = new ArrayList<>();
        collect(new CommandLine(new Main()), new ArrayList<>(), paths);
        assertThat(paths).as("commands found by walking the tree").hasSizeGreaterThan(20);
        return paths.stream();
    }

    private static void collect(CommandLine command, List<String> path, List<List<String>> paths) {
        paths.add(List.copyOf(path));
        for (var sub : command.getSubcommands().entrySet()) {
            // Aliases map to the same command; walk each command once, under its own name.
            if (sub.getKey().equals(sub.getValue().getCommandName())) {
                List<String> longer = new ArrayList<>(path);
                longer.add(sub.getKey());
                collect(sub.getValue(), longer, paths);
            }
        }
    }

    @ParameterizedTest(name = "egov-pki {0} --help")
    @MethodSource("everyCommand")
    void answersHelp(List<String> command) {
        Result result = run(command, "--help");

        assertThat(result.exit).as(result.err).isZero();
        assertThat(result.out).startsWith("Usage: " + String.join(" ", qualified(command)))
                .contains("-h, --help").contains("-V, --version");
        assertThat(result.err).isEmpty();
    }

    @ParameterizedTest(name = "egov-pki {0} --version")
    @MethodSource("everyCommand")
    void answersVersion(List<String> command) {
        Result result = run(command, "--version");

        assertThat(result.exit).as(result.err).isZero();
        assertThat(result.out.strip()).isEqualTo("egov-pki " + Main.version());
        assertThat(result.err).isEmpty();
    }

    private static List<String> qualified(List<String> command) {
        List<String> names = new ArrayList<>(List.of("egov-pki"));
        names.addAll(command);
        return names;
    }

    private static Result run(List<String> command, String option) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> args = new ArrayList<>(command);
        args.add(option);
        int exit = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args.toArray(String[]::new));
        return new Result(exit, out.toString(), err.toString());
    }

    private record Result(int exit, String out, String err) {
    }
}
