package org.egovpki.core.profile;

/**
 * What a certificate identifies (REQUIREMENTS §3), which decides the CN rule and the registration
 * data a request must carry. Code signing certificates belong to organisations.
 */
public enum CertificateType {
    /** A natural person: CN is the name on the ID document. */
    PERSONAL,
    /** A government body or enterprise: CN is the legal name on its licence. */
    ORGANIZATION,
    /** A server, VPN gateway or other device: CN is a domain name, IP address or device identifier. */
    DEVICE,
    /** An organisation's code signing certificate: CN is the organisation's legal name. */
    CODE_SIGNING
}
