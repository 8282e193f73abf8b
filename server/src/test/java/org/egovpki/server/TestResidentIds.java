package org.egovpki.server;

import java.time.LocalDate;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * GB 11643 resident ID numbers for the ITs' applicants, a different one at every call in the JVM: one
 * number is one person, and a second application under a number already registered must carry the
 * same name (docs/enrollment.md, "One name per identity"), so applicants drawn at random from a small
 * space would collide and be refused.
 */
final class TestResidentIds {

    private static final LocalDate FIRST_BIRTH_DATE = LocalDate.of(1960, 1, 1);
    private static final int[] WEIGHTS = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    private static final AtomicInteger NEXT = new AtomicInteger();

    private TestResidentIds() {
    }

    /** The next number: Beijing Xicheng, a birth date from 1960 on and a sequence 001-999, with its check digit. */
    static String next() {
        int n = NEXT.getAndIncrement();
        String body = "110102" + FIRST_BIRTH_DATE.plusDays(n / 999).toString().replace("-", "")
                + String.format("%03d", 1 + n % 999);
        int sum = 0;
        for (int i = 0; i < 17; i++) {
            sum += (body.charAt(i) - '0') * WEIGHTS[i];
        }
        return body + "10X98765432".charAt(sum % 11);
    }
}
