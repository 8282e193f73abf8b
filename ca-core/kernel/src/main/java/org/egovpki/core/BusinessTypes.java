package org.egovpki.core;

import java.util.regex.Pattern;

/**
 * What a business type is: a short identifier naming an e-government application ("tax", "health",
 * "tax-sys"), {@code [A-Za-z0-9][A-Za-z0-9._-]{0,63}}. It is recorded on requests and certificate
 * records, scopes application admins and sync targets, is a filter value and a statistics group
 * (docs/statistics.md), so it holds no spaces, markup, filter syntax or invisible characters, and
 * every channel — REST, batch import, CLI, LDAP browser, sync targets — applies this one rule.
 * Compared case-insensitively, as the directory compares {@code egovBusinessType}.
 */
public final class BusinessTypes {

    public static final int MAX_LENGTH = 64;
    private static final Pattern PATTERN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0," + (MAX_LENGTH - 1) + "}");

    private BusinessTypes() {
    }

    /**
     * @param field the request field named in a refusal ({@code businessType}, {@code businessTypes})
     * @return the value without surrounding blanks
     * @throws DomainException BAD_REQUEST naming {@code field}, without repeating the value
     */
    public static String require(String field, String value) {
        String type = value == null ? "" : value.strip();
        if (!PATTERN.matcher(type).matches()) {
            throw DomainException.badRequest(field, field + " must be a business type identifier: 1-" + MAX_LENGTH
                    + " letters, digits, '.', '_' or '-', starting with a letter or digit (like \"tax\")");
        }
        return type;
    }
}
