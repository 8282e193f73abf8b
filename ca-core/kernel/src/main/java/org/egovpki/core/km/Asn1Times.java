package org.egovpki.core.km;

import java.text.ParseException;
import java.time.Instant;
import org.bouncycastle.asn1.ASN1GeneralizedTime;

/** GeneralizedTime to Instant, with the parse error said plainly. */
final class Asn1Times {

    private Asn1Times() {
    }

    static Instant instant(ASN1GeneralizedTime time) {
        try {
            return time.getDate().toInstant();
        } catch (ParseException e) {
            throw new IllegalArgumentException("malformed GeneralizedTime " + time.getTimeString(), e);
        }
    }
}
