package org.egovpki.server.custody;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Who holds the CA key store password's shares ({@code caKeys.shares.*}): the named custodians
 * (N) and how many of them unlock the CA (M, the threshold). Each custodian gets one share file,
 * {@code <data>/custody/<name>.share}, so a name is also a file name.
 *
 * @param threshold  M: 2 ≤ M ≤ N — one custodian alone never unlocks the CA
 * @param custodians the N custodians' names, each once
 */
public record CustodyPlan(int threshold, List<String> custodians) {

    /** A custodian's name: an operator login's characters, usable as a file name. */
    public static final Pattern NAME = Pattern.compile("[a-z][a-z0-9._-]{0,63}");
    /** The library's limit: share indexes are one byte, 1..255. */
    public static final int MAX_CUSTODIANS = 255;

    /** @throws IllegalArgumentException naming the rule broken */
    public CustodyPlan {
        custodians = List.copyOf(custodians);
        Set<String> seen = new HashSet<>();
        for (String name : custodians) {
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("custodian name '" + name + "' is not allowed: use 1-64 of "
                        + "a-z 0-9 . _ - starting with a letter (it names the custodian's share file)");
            }
            if (!seen.add(name)) {
                throw new IllegalArgumentException("custodian " + name + " is named twice; each custodian holds "
                        + "exactly one share");
            }
        }
        if (custodians.size() > MAX_CUSTODIANS) {
            throw new IllegalArgumentException(custodians.size() + " custodians; at most " + MAX_CUSTODIANS);
        }
        if (threshold < 2) {
            throw new IllegalArgumentException("threshold " + threshold + " is too low: at least 2 custodians must "
                    + "be needed to unlock the CA");
        }
        if (threshold > custodians.size()) {
            throw new IllegalArgumentException("threshold " + threshold + " is more than the " + custodians.size()
                    + " custodian(s) named: the CA could never be unlocked");
        }
    }
}
