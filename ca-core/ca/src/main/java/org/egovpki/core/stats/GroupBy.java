package org.egovpki.core.stats;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.egovpki.core.DomainException;

/** What the rows of a statistics table are split by, besides the period. */
public enum GroupBy {
    NONE("none"),
    BUSINESS_TYPE("businessType"),
    REGION("region"),
    TYPE("type"),
    CAUSE("cause");

    private final String parameter;

    GroupBy(String parameter) {
        this.parameter = parameter;
    }

    /** The value of the {@code groupBy} query parameter. */
    public String parameter() {
        return parameter;
    }

    /** The grouping a parameter names; {@code null} or empty is {@link #NONE}. */
    public static GroupBy parse(String text) {
        if (text == null || text.isEmpty()) {
            return NONE;
        }
        for (GroupBy g : values()) {
            if (g.parameter.toLowerCase(Locale.ROOT).equals(text.toLowerCase(Locale.ROOT))) {
                return g;
            }
        }
        throw DomainException.badRequest("groupBy", "groupBy '" + text + "' is not one of "
                + Arrays.stream(values()).map(GroupBy::parameter).collect(Collectors.joining(", ")));
    }
}
