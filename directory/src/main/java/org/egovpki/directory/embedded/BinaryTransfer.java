package org.egovpki.directory.embedded;

import java.util.Set;
import org.apache.directory.api.ldap.model.entry.Attribute;
import org.apache.directory.api.ldap.model.entry.Entry;
import org.apache.directory.api.ldap.model.exception.LdapException;
import org.apache.directory.api.ldap.model.schema.AttributeType;
import org.apache.directory.server.core.api.filtering.EntryFilter;
import org.apache.directory.server.core.api.filtering.EntryFilteringCursor;
import org.apache.directory.server.core.api.interceptor.BaseInterceptor;
import org.apache.directory.server.core.api.interceptor.context.SearchOperationContext;

/**
 * Names every value of the RFC 4523 syntaxes (Certificate, CertificateList, CertificatePair,
 * SupportedAlgorithm) {@code <type>;binary} in search results, as RFC 4523 §2 requires in transfer.
 *
 * <p>ApacheDS answers an attribute under the name it was stored with, and stores the name the
 * client wrote only when the attribute came with an add: a modify's attributes lose their options
 * ({@code ModifyOperationContext} strips them via {@code ServerEntryUtils.toServerModification}).
 * So a CA certificate written with its entry came back as {@code cACertificate;binary}, while a
 * CRL published by a modify came back as plain {@code certificateRevocationList} — even to a client
 * that asked for {@code certificateRevocationList;binary} — and clients that look only under the
 * {@code ;binary} name (python {@code ldap3}, the JDK's LDAP {@code CertStore}) found nothing.
 * Renaming on the way out fixes entries already stored either way; the stored data and the
 * attribute types are unchanged, and a client reading by base name still gets the values (RFC 4522
 * §2: the option changes only the transfer encoding, which for these syntaxes is always BER/DER).
 */
final class BinaryTransfer extends BaseInterceptor {

    static final String NAME = "egovPkiBinaryTransfer";

    /** RFC 4523 §2.1–2.4 syntaxes, whose values are transferred with the ;binary option only. */
    private static final Set<String> BINARY_SYNTAXES = Set.of(
            "1.3.6.1.4.1.1466.115.121.1.8",   // Certificate
            "1.3.6.1.4.1.1466.115.121.1.9",   // CertificateList
            "1.3.6.1.4.1.1466.115.121.1.10",  // CertificatePair
            "1.3.6.1.4.1.1466.115.121.1.49"); // SupportedAlgorithm

    private static final String OPTION = ";binary";

    BinaryTransfer() {
        super(NAME);
    }

    /** Whether values of this type travel as {@code <type>;binary}. */
    static boolean transfersBinary(AttributeType type) {
        return type != null && BINARY_SYNTAXES.contains(type.getSyntaxOid());
    }

    /** The name an attribute of such a type travels under: the name it has, with {@code ;binary} added once. */
    static String binaryName(String name) {
        for (String option : name.split(";")) {
            if (option.equalsIgnoreCase("binary")) {
                return name;
            }
        }
        return name + OPTION;
    }

    @Override
    public EntryFilteringCursor search(SearchOperationContext context) throws LdapException {
        EntryFilteringCursor cursor = next(context);
        cursor.addEntryFilter(BinaryOptionFilter.INSTANCE);
        return cursor;
    }

    /** Renames the entry's attributes as they leave; runs on the copy the search hands out. */
    private enum BinaryOptionFilter implements EntryFilter {
        INSTANCE;

        @Override
        public boolean accept(SearchOperationContext context, Entry entry) {
            for (Attribute attribute : entry) {
                if (transfersBinary(attribute.getAttributeType())) {
                    attribute.setUpId(binaryName(attribute.getUpId()));
                }
            }
            return true;
        }

        @Override
        public String toString(String tabs) {
            return tabs + "BinaryOptionFilter";
        }
    }
}
