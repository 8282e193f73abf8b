package org.egovpki.core.ca;

/** Where a CA stands in its chain. Limits follow 001 §6.6.2.3: root ≤ 30 years, issuing ≤ 20. */
public enum CaRole {
    ROOT,
    ISSUING
}
