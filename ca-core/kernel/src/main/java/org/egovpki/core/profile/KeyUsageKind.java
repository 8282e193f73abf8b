package org.egovpki.core.profile;

/**
 * The two halves of a GM/T 0015 dual certificate pair. Both share the subject DN; they differ by
 * keyUsage (always critical): signing = digitalSignature + nonRepudiation; encryption =
 * keyEncipherment + dataEncipherment + keyAgreement.
 */
public enum KeyUsageKind {
    SIGNING,
    ENCRYPTION
}
