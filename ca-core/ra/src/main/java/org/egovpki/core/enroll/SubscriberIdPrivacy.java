package org.egovpki.core.enroll;

import org.egovpki.core.enroll.validation.PersonalNumbers;
import org.egovpki.core.enroll.validation.RegistrationData;

/**
 * Whether an RA-chosen subscriber id spells out an ID or phone number of the registration. The id
 * is the RDN of a public directory entry, so it must not carry personal data in any spelling
 * ({@link PersonalNumbers}: separators, the 15-digit form of a resident ID number, a phone number
 * without +86/0086 or its trunk 0).
 */
final class SubscriberIdPrivacy {

    private SubscriberIdPrivacy() {
    }

    /** Whether {@code subscriberId} contains, in any spelling, an ID or phone number of {@code r}. */
    static boolean spellsOutPersonalNumber(String subscriberId, RegistrationData r) {
        return PersonalNumbers.spelledOutIn(subscriberId, r);
    }
}
