package org.egovpki.core;

import java.util.regex.Pattern;

/**
 * What a business type is: a short name of an e-government application ("tax", "health-sys",
 * "税务", "Tax Service"): 1-64 letters and digits of any script, '.', '_', '-' and single inner
 * spaces, starting with a letter or digit. It is recorded on requests and certificate records,
 * scopes application admins and sync targets, is a filter value and a statistics group
 * (docs/statistics.md), so it holds no markup, filter syntax, separators ('|', ',') or invisible
 * characters, and every channel — REST, batch import, CLI, LDAP browser, sync targets — applies this
 * one rule. Compared case-insensitively, as the directory compares {@code egovBusinessType}.
 */
public final class BusinessTypes {

    public static final int MAX_LENGTH = 64;
    private static final Pattern PATTERN = Pattern.compile("[\\p{L}\\p{N}](?: ?[\\p{L}\\p{M}\\p{N}._-])*");

    private BusinessTypes() {
    }

    /**
     * @param field the request field named in a refusal ({@code businessType}, {@code businessTypes})
     * @return the value without surrounding blanks
     * @throws DomainException BAD_REQUEST naming {@code field}, without repeating the value
     */
    public static String require(String field, String value) {
        String type = value == null ? "" : value.strip();
        if (type.length() > MAX_LENGTH || !PATTERN.matcher(type).matches()) {
            throw DomainException.badRequest(field, field + " must be a business type name: 1-" + MAX_LENGTH
                    + " letters (of any writing system), digits, '.', '_', '-' and single spaces, starting with a letter or "
                    + "digit (like \"tax\" or \"税务\")");
        }
        return type;
    }
}
