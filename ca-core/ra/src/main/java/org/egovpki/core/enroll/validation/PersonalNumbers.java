package org.egovpki.core.enroll.validation;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Whether a text spells out an ID or phone number of a registration, in any spelling: separators
 * do not hide a number ({@code 110105-19800101-0016}), nor does the 15-digit form of an 18-digit
 * resident ID number (GB 11643: the 15-digit form is region, two-digit year, MMDD and sequence,
 * without the century and the check digit), nor a phone number written without its country code
 * (+86, 0086) or its leading trunk 0, nor a lower-case check character.
 *
 * <p>For what is published or written to many places while the registration's numbers are private:
 * an RA-chosen subscriber id (the RDN of a public entry) and the attribute values of a subject DN
 * (the certificate, the audit trail, the log, every sync target).
 *
 * <p>Every form is compared after removing all but letters and digits from both sides, upper-cased;
 * forms shorter than {@value #MIN_DIGITS} characters are not compared (they would refuse ordinary
 * names).
 */
public final class PersonalNumbers {

    static final int MIN_DIGITS = 5;
    private static final Pattern NOT_ALPHANUMERIC = Pattern.compile("[^0-9A-Za-z]");
    private static final Pattern RESIDENT_ID_18 = Pattern.compile("[0-9]{17}[0-9X]");

    private PersonalNumbers() {
    }

    /** Whether {@code text} contains, in any spelling, an ID or phone number of {@code r}. */
    public static boolean spelledOutIn(String text, RegistrationData r) {
        String given = normalised(text);
        Set<String> forms = new LinkedHashSet<>();
        forms.addAll(idNumberForms(r.idNumber()));
        forms.addAll(idNumberForms(r.agentIdNumber()));
        forms.addAll(phoneForms(r.phone()));
        forms.addAll(phoneForms(r.agentPhone()));
        return forms.stream().anyMatch(form -> form.length() >= MIN_DIGITS && given.contains(form));
    }

    /** The number and, for an 18-character resident ID number, its 15-digit form. */
    public static Set<String> idNumberForms(String idNumber) {
        String id = normalised(idNumber);
        Set<String> forms = new LinkedHashSet<>();
        forms.add(id);
        if (RESIDENT_ID_18.matcher(id).matches()) {
            forms.add(id.substring(0, 6) + id.substring(8, 17));
        }
        return forms;
    }

    /** The number as written, without its country code, and without its trunk 0 too. */
    public static Set<String> phoneForms(String phone) {
        Set<String> forms = new LinkedHashSet<>();
        if (phone == null) {
            return forms;
        }
        String digits = normalised(phone);
        forms.add(digits);
        String national = digits;
        if (national.startsWith("0086")) {
            national = national.substring(4);
        } else if (national.startsWith("86") && national.length() >= 2 + 7) {
            // +86, (+86), 86 followed by a number of 7 digits or more: the country code, whatever the punctuation.
            // A number that merely begins with 86 stays in the forms too (as written, above).
            national = national.substring(2);
        }
        forms.add(national);
        while (national.startsWith("0")) {
            national = national.substring(1);
        }
        forms.add(national);
        return forms;
    }

    private static String normalised(String value) {
        return value == null ? "" : NOT_ALPHANUMERIC.matcher(value).replaceAll("").toUpperCase(Locale.ROOT);
    }
}
