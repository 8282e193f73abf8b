package org.egovpki.core.certificate;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Why a certificate is revoked, in the terms of the CPS (001 §6.2.7.1, letters A–J), each with
 * the RFC 5280 CRLReason it is published as (REQUIREMENTS §5). The CPS cause is kept on the
 * record ({@code egovRevocationCause}); relying parties see only the RFC 5280 code.
 */
public enum RevocationReason {
    /** A. The holder's work in the government body changed. */
    JOB_CHANGE("A", 3),
    /** B. The holder is sanctioned under law. */
    SANCTIONED("B", 9),
    /** C. The holder supplied false information. */
    FALSE_INFORMATION("C", 9),
    /** D. The holder did not or cannot meet its obligations (e.g. unpaid). */
    OBLIGATIONS_NOT_MET("D", 9),
    /** E. The CA, RA or holder believes the private key is compromised. */
    KEY_COMPROMISE("E", 1),
    /** F. A government body believes an employee's private key is compromised. */
    EMPLOYEE_KEY_COMPROMISE("F", 1),
    /** G. The subscriber agreement has ended. */
    AGREEMENT_ENDED("G", 5),
    /** H. The holder asks for revocation. */
    HOLDER_REQUEST("H", 0),
    /** I. The certificate serves only a relying party's system, which asks for revocation. */
    RELYING_PARTY_SYSTEM("I", 5),
    /** J. Other cases laid down by law or administrative regulation. */
    LEGAL("J", 0),
    /** A modification or replacement certificate was issued in its place (002 §3.7, 003 §4.8). */
    SUPERSEDED("-", 4),
    /** A CA's private key is compromised (CA certificates only; published in the ARL). */
    CA_COMPROMISE("-", 2);

    private final String cpsLetter;
    private final int rfc5280Code;

    RevocationReason(String cpsLetter, int rfc5280Code) {
        this.cpsLetter = cpsLetter;
        this.rfc5280Code = rfc5280Code;
    }

    /** The item letter in CPS 001 §6.2.7.1, or "-" for superseded and CA compromise. */
    public String cpsLetter() {
        return cpsLetter;
    }

    /** The RFC 5280 §5.3.1 CRLReason code published in CRLs and OCSP. */
    public int rfc5280Code() {
        return rfc5280Code;
    }

    /** The RFC 5280 reason name, as stored in {@code egovRevocationReason}. */
    public String rfc5280Name() {
        return rfc5280Name(rfc5280Code);
    }

    /**
     * Whether this reason says the certified key is compromised (RFC 5280 keyCompromise or
     * cACompromise): the CA then never certifies that key again ({@link CompromisedKey}).
     */
    public boolean compromisesKey() {
        return rfc5280Code == 1 || rfc5280Code == 2;
    }

    /** Whether a subscriber may give this reason on its own (self-service or a signed request). */
    public boolean subscriberMayGive() {
        return this == HOLDER_REQUEST || this == KEY_COMPROMISE || this == JOB_CHANGE || this == AGREEMENT_ENDED;
    }

    /**
     * The reason named by its constant ({@code KEY_COMPROMISE}, case-insensitive) or its CPS
     * letter ({@code E}).
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static RevocationReason parse(String text) {
        if (text != null) {
            String t = text.trim();
            for (RevocationReason r : values()) {
                if (r.name().equalsIgnoreCase(t) || (t.length() == 1 && r.cpsLetter.equalsIgnoreCase(t))) {
                    return r;
                }
            }
        }
        throw new IllegalArgumentException("unknown revocation reason '" + text + "'; use one of "
                + Arrays.stream(values()).map(r -> r.name() + " (" + r.cpsLetter + ")").collect(Collectors.joining(", ")));
    }

    /** RFC 5280 reason names by code; {@code null} for codes that have none (7). */
    public static String rfc5280Name(int code) {
        return switch (code) {
            case 0 -> "unspecified";
            case 1 -> "keyCompromise";
            case 2 -> "cACompromise";
            case 3 -> "affiliationChanged";
            case 4 -> "superseded";
            case 5 -> "cessationOfOperation";
            case 6 -> "certificateHold";
            case 8 -> "removeFromCRL";
            case 9 -> "privilegeWithdrawn";
            case 10 -> "aACompromise";
            default -> null;
        };
    }

    /** The code of an RFC 5280 reason name (case-insensitive), or {@code null} if it is not one. */
    public static Integer rfc5280Code(String name) {
        if (name == null) {
            return null;
        }
        for (int code = 0; code <= 10; code++) {
            String n = rfc5280Name(code);
            if (n != null && n.toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
                return code;
            }
        }
        return null;
    }
}
