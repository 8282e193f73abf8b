package org.egovpki.directory;

import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPInterface;
import com.unboundid.ldap.sdk.SearchResultEntry;
import java.math.BigInteger;
import java.util.Objects;
import java.util.Optional;
import org.egovpki.core.certificate.CertificateRecord;
import org.egovpki.core.certificate.RevocationReason;
import org.egovpki.core.ocsp.CertificateStatusSource;
import org.egovpki.core.ocsp.RevocationStatus;

/**
 * Certificate status for OCSP, read from the certificate records: one base-object read by the
 * record's DN ({@code egovCertificateId=<ca>-<serial>}). A serial with no record, or only an
 * intent or a voided reservation, was never issued, so the answer is "unknown" — never "good".
 */
public final class LdapCertificateStatusSource implements CertificateStatusSource {

    private static final String[] ATTRIBUTES = {"egovIssuanceState", "egovCertificateStatus", "egovRevocationTime",
        "egovRevocationReason"};

    private final LDAPInterface ldap;
    private final DirectoryNames names;

    public LdapCertificateStatusSource(LDAPInterface ldap, DirectoryNames names) {
        this.ldap = Objects.requireNonNull(ldap, "ldap");
        this.names = Objects.requireNonNull(names, "names");
    }

    @Override
    public Optional<RevocationStatus> status(String issuerName, BigInteger serial) {
        if (serial.signum() <= 0) {
            return Optional.empty(); // no CA issues it, and a record id cannot name it
        }
        SearchResultEntry entry;
        try {
            entry = ldap.getEntry(names.certificate(CertificateRecord.id(issuerName, serial)).toString(), ATTRIBUTES);
        } catch (LDAPException e) {
            throw LdapErrors.toDomain("reading the status of serial " + serial.toString(16), e);
        }
        if (entry == null) {
            return Optional.empty();
        }
        String state = entry.getAttributeValue("egovIssuanceState");
        if (!"RECORDED".equalsIgnoreCase(state) && !"PUBLISHED".equalsIgnoreCase(state)) {
            return Optional.empty();
        }
        if ("REVOKED".equalsIgnoreCase(entry.getAttributeValue("egovCertificateStatus"))) {
            return Optional.of(RevocationStatus.revoked(LdapValues.time(entry, "egovRevocationTime"),
                    RevocationReason.rfc5280Code(entry.getAttributeValue("egovRevocationReason"))));
        }
        return Optional.of(RevocationStatus.good());
    }
}
