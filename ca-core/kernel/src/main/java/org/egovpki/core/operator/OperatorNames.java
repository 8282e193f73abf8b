package org.egovpki.core.operator;

import org.egovpki.core.DomainException;
import org.egovpki.core.ValueCharacters;

/**
 * An operator's display name ({@code cn} of its entry, shown in audit records and pages): 1 to
 * {@value #MAX_LENGTH} characters after stripping, under the one character rule of
 * {@link ValueCharacters} (no control or format characters, nothing the directory cannot match).
 * Every channel that creates an operator — REST, CLI — checks it.
 */
public final class OperatorNames {

    public static final int MAX_LENGTH = 128;

    private OperatorNames() {
    }

    /**
     * @return the name without surrounding blanks
     * @throws DomainException BAD_REQUEST naming {@code name}
     */
    public static String require(String name) {
        String stripped = name == null ? "" : name.strip();
        int length = stripped.codePointCount(0, stripped.length());
        if (length < 1 || length > MAX_LENGTH) {
            throw DomainException.badRequest("name", "name must be 1 to " + MAX_LENGTH + " characters, was " + length);
        }
        ValueCharacters.require("name", "name", stripped);
        return stripped;
    }
}
