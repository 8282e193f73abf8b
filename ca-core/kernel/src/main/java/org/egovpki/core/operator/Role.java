package org.egovpki.core.operator;

/**
 * Operator roles (REQUIREMENTS §7; seeds 001 §6.6.1.2, 002 §6.2.3, 003 §5.2). Enrollment uses
 * ENTRY_CLERK, REVIEWER, RA_ADMIN and CA_ADMIN; SECURITY_ADMIN (and SUPER_ADMIN) manage operators;
 * the pairs one operator may not hold are {@link SeparationOfDuties}'. What each role may do is the
 * table in docs/operations.md, "Roles and who may do what" (a test fails if a role has no row).
 */
public enum Role {
    SUPER_ADMIN,
    SYSTEM_ADMIN,
    SECURITY_ADMIN,
    AUDITOR,
    RA_ADMIN,
    ENTRY_CLERK,
    REVIEWER,
    CA_ADMIN,
    KM_BUSINESS_ADMIN,
    KM_OPERATOR,
    KEY_CUSTODIAN,
    /**
     * The admin of one e-government application (001 §6.4.2): sees the certificates, statistics and
     * sync state of the business types on its operator entry only ({@code Operator.businessTypes},
     * scoped by {@code ApplicationScope}); everything else answers as if it did not exist.
     */
    APPLICATION_ADMIN
}
