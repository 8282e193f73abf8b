package org.egovpki.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.egovpki.core.operator.Role;
import org.egovpki.core.operator.SeparationOfDuties;
import org.junit.jupiter.api.Test;

/**
 * docs/operations.md, "Roles and who may do what", is checked against the code: one row per
 * {@link Role} (a role added without a row fails here), and the table of forbidden combinations
 * lists exactly {@link SeparationOfDuties#RULES}.
 */
class RolesTableTest {

    private static final Path OPERATIONS = Path.of("..", "docs", "operations.md");

    @Test
    void everyRoleHasExactlyOneRowAndNoRowNamesAnUnknownRole() throws Exception {
        List<String> rows = new ArrayList<>();
        Matcher row = Pattern.compile("(?m)^\\| `([A-Z_]+)` \\|").matcher(section("## Roles and who may do what"));
        while (row.find()) {
            rows.add(row.group(1));
        }
        List<String> roles = EnumSet.allOf(Role.class).stream().map(Enum::name).toList();
        assertThat(rows).as("the roles table of docs/operations.md, in Role's order")
                .containsExactlyElementsOf(roles);
    }

    @Test
    void theForbiddenCombinationsTableListsTheDomainsRules() throws Exception {
        String section = section("## Roles and who may do what");
        for (SeparationOfDuties.Rule rule : SeparationOfDuties.RULES) {
            String excluded = rule.excluded().size() == Role.values().length - 1 ? "every other role"
                    : rule.excluded().stream().sorted().map(r -> "`" + r + "`").collect(Collectors.joining(", "));
            Pattern line = Pattern.compile("(?m)^\\| `" + rule.role() + "` [^|]*\\| " + Pattern.quote(excluded)
                    + " \\| " + Pattern.quote(rule.cps().replace("CPS ", "")) + " \\|$");
            assertThat(line.matcher(section).find()).as("a row for " + rule.role() + " with " + excluded + " ("
                    + rule.cps() + ")").isTrue();
        }
        Set<Role> ruled = SeparationOfDuties.RULES.stream().map(SeparationOfDuties.Rule::role)
                .collect(Collectors.toSet());
        assertThat(ruled).hasSize(SeparationOfDuties.RULES.size());
    }

    private static String section(String heading) throws Exception {
        String text = Files.readString(OPERATIONS);
        int start = text.indexOf("\n" + heading + "\n");
        assertThat(start).as(heading + " in " + OPERATIONS).isNotNegative();
        int end = text.indexOf("\n## ", start + heading.length() + 1);
        return end < 0 ? text.substring(start) : text.substring(start, end);
    }
}
