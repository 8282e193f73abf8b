package org.egovpki.core;

import java.util.regex.Pattern;

/**
 * A region is a GB/T 2260 administrative division code: six digits ("410000" Henan, "110105"
 * Chaoyang, Beijing). Statistics group by it (docs/statistics.md), so free text has no place there.
 * Whether the code is one in force is not checked: the list changes yearly and old records keep
 * their codes.
 */
public final class RegionCodes {

    private static final Pattern PATTERN = Pattern.compile("[0-9]{6}");

    private RegionCodes() {
    }

    /**
     * @return the code without surrounding blanks
     * @throws DomainException BAD_REQUEST naming {@code field}, without repeating the value
     */
    public static String require(String field, String value) {
        String code = value == null ? "" : value.strip();
        if (!PATTERN.matcher(code).matches()) {
            throw DomainException.badRequest(field, field + " must be a GB/T 2260 administrative division code:"
                    + " 6 digits, like \"410000\"");
        }
        return code;
    }
}
