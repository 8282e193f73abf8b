package org.egovpki.core.operator;

import java.util.Locale;

/**
 * Compares operator DNs as the directory writes them. The directory normalises DNs it writes
 * ({@code creatorsName}) and we write DNs in one form, so a whitespace- and case-insensitive
 * comparison of the RDN sequence is exact for our tree (uid values are case-insensitive).
 */
final class DnComparison {

    private DnComparison() {
    }

    static boolean sameEntry(String a, String b) {
        return normalise(a).equals(normalise(b));
    }

    static String normalise(String dn) {
        StringBuilder out = new StringBuilder();
        for (String rdn : dn.split("(?<!\\\\),")) {
            int eq = rdn.indexOf('=');
            String type = eq < 0 ? rdn : rdn.substring(0, eq);
            String value = eq < 0 ? "" : rdn.substring(eq + 1);
            if (out.length() > 0) {
                out.append(',');
            }
            out.append(type.trim().toLowerCase(Locale.ROOT)).append('=')
                    .append(value.trim().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT));
        }
        return out.toString();
    }
}
