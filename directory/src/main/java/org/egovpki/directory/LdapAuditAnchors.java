package org.egovpki.directory;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPInterface;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchResultEntry;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.egovpki.core.audit.AuditAnchor;
import org.egovpki.core.audit.AuditAnchors;

/**
 * The audit trails' anchors as {@code egovAuditCheckpoint} entries {@code cn=<trail>,ou=audit},
 * one per trail, holding the sealed sequence ({@code egovAuditSequence}), the event's hash
 * ({@code egovAuditHash}), when it was sealed ({@code egovAuditTime}) and the seal
 * ({@code egovAuditSignature}, an Octet String written without options like our other binary
 * attributes: here the 32-byte HMAC-SM3 seal, not a DER signature). Only the CA service account can read or write
 * {@code ou=audit}.
 *
 * <p>Moving an anchor is a compare-and-swap: the modify deletes the expected sequence value and
 * adds the new one, so a concurrent or foreign change makes it fail and nothing changes.
 */
public final class LdapAuditAnchors implements AuditAnchors {

    static final String OC = "egovAuditCheckpoint";
    static final String AT_SEQUENCE = "egovAuditSequence";
    static final String AT_HASH = "egovAuditHash";
    static final String AT_TIME = "egovAuditTime";
    static final String AT_SEAL = "egovAuditSignature";
    /** A lost compare-and-swap shows up as one of these, depending on the server. */
    private static final Set<ResultCode> RACE_LOST = Set.of(ResultCode.NO_SUCH_ATTRIBUTE, ResultCode.NO_SUCH_OBJECT,
            ResultCode.ENTRY_ALREADY_EXISTS, ResultCode.ATTRIBUTE_OR_VALUE_EXISTS, ResultCode.CONSTRAINT_VIOLATION);

    private static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");

    private final LDAPInterface ldap;
    private final DirectoryNames names;

    public LdapAuditAnchors(LDAPInterface ldap, DirectoryNames names) {
        this.ldap = Objects.requireNonNull(ldap, "ldap");
        this.names = Objects.requireNonNull(names, "names");
    }

    @Override
    public Optional<AuditAnchor> latest(String trail) {
        try {
            SearchResultEntry entry = ldap.getEntry(names.auditAnchor(trail).toString(), AT_SEQUENCE, AT_HASH, AT_TIME,
                    AT_SEAL);
            if (entry == null) {
                return Optional.empty();
            }
            byte[] seal = LdapValues.binary(entry, AT_SEAL);
            Long sequence = entry.getAttributeValueAsLong(AT_SEQUENCE);
            String hash = entry.getAttributeValue(AT_HASH);
            Instant time = LdapValues.time(entry, AT_TIME);
            boolean complete = seal != null && sequence != null && sequence >= 1 && hash != null
                    && HASH.matcher(hash).matches() && time != null;
            // An entry that is not a complete anchor was not written by us: it is returned with an
            // empty seal, which no key verifies, so the check reports it as forged.
            return Optional.of(complete ? new AuditAnchor(trail, sequence, hash, time, seal)
                    : new AuditAnchor(trail, sequence == null || sequence < 1 ? 1 : sequence,
                    hash != null && HASH.matcher(hash).matches() ? hash : "0".repeat(64),
                    time == null ? Instant.EPOCH : time, new byte[0]));
        } catch (LDAPException e) {
            throw LdapErrors.toDomain("reading the anchor of audit trail " + trail, e);
        }
    }

    @Override
    public boolean advance(long from, AuditAnchor next) {
        if (next.sequence() <= from) {
            return false;
        }
        String dn = names.auditAnchor(next.trail()).toString();
        try {
            if (from == 0) {
                ldap.add(new Entry(dn, List.of(new Attribute("objectClass", "top", OC),
                        new Attribute("cn", next.trail()), new Attribute(AT_SEQUENCE, Long.toString(next.sequence())),
                        new Attribute(AT_HASH, next.hash()), new Attribute(AT_TIME, LdapValues.time(next.time())),
                        new Attribute(AT_SEAL, next.seal()))));
            } else {
                ldap.modify(dn, new Modification(ModificationType.DELETE, AT_SEQUENCE, Long.toString(from)),
                        new Modification(ModificationType.ADD, AT_SEQUENCE, Long.toString(next.sequence())),
                        new Modification(ModificationType.REPLACE, AT_HASH, next.hash()),
                        new Modification(ModificationType.REPLACE, AT_TIME, LdapValues.time(next.time())),
                        new Modification(ModificationType.REPLACE, AT_SEAL, next.seal()));
            }
            return true;
        } catch (LDAPException e) {
            if (RACE_LOST.contains(e.getResultCode())) {
                return false;
            }
            throw LdapErrors.toDomain("moving the anchor of audit trail " + next.trail(), e);
        }
    }

    @Override
    public void replace(AuditAnchor anchor) {
        String dn = names.auditAnchor(anchor.trail()).toString();
        try {
            ldap.delete(dn);
        } catch (LDAPException e) {
            if (e.getResultCode() != ResultCode.NO_SUCH_OBJECT) {
                throw LdapErrors.toDomain("replacing the anchor of audit trail " + anchor.trail(), e);
            }
        }
        if (!advance(0, anchor)) {
            throw new IllegalStateException("the anchor of audit trail " + anchor.trail() + " was written by someone "
                    + "else while it was being replaced; stop the other writer and run 'egov-pki audit verify'");
        }
    }
}
