package org.egovpki.core.x509;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.asn1.x509.Extension;

/**
 * The RFC 4387 search keys of a certificate: what {@code /certs?sHash=}, {@code iHash=},
 * {@code sKIDHash=}, {@code email=} and {@code name=} match against.
 *
 * <p>The three hashes are RFC 4387 §2.1 "binary blob" keys: the base64 (RFC 4648 §4, with its
 * {@code =} padding, so always 28 characters) of the SHA-1 of the DER subject name, of the DER
 * issuer name, and of the subject key identifier's octets (the KeyIdentifier, without its
 * OCTET STRING header). They are not OpenSSL's {@code -subject_hash}, which hashes a canonical
 * form and prints 32 bits in hex. Names are hashed exactly as encoded in the certificate, so a
 * relying party can hash the issuer field of the certificate it holds and find its issuer.
 *
 * <p>Emails (the subject's {@code emailAddress} and the subject alternative name's
 * {@code rfc822Name} values) and the name (the subject's first common name) are kept in lower
 * case, so matching is case-insensitive; {@link #text(String)} normalises a query the same way.
 *
 * @param subjectHash base64 SHA-1 of the DER subject name
 * @param issuerHash  base64 SHA-1 of the DER issuer name
 * @param keyIdHash   base64 SHA-1 of the subject key identifier; {@code null} without that extension
 * @param emails      every email address the certificate names, lower case, no duplicates
 * @param name        the subject's first common name, lower case; {@code null} without one
 */
public record StoreKeys(String subjectHash, String issuerHash, String keyIdHash, List<String> emails, String name) {

    /** Length of the base64 form of a 20-byte SHA-1 hash, padding included. */
    public static final int HASH_LENGTH = 28;

    public StoreKeys {
        emails = List.copyOf(emails);
    }

    /** The keys of {@code certificate}. */
    public static StoreKeys of(X509Certificate certificate) {
        return new StoreKeys(hash(certificate.getSubjectX500Principal().getEncoded()),
                hash(certificate.getIssuerX500Principal().getEncoded()),
                subjectKeyIdentifier(certificate).map(StoreKeys::hash).orElse(null),
                emails(certificate), commonName(certificate).map(StoreKeys::text).orElse(null));
    }

    /** The keys of every certificate in {@code certificates}, by kind, without duplicates. */
    public static Union union(Collection<X509Certificate> certificates) {
        Set<String> subjects = new LinkedHashSet<>();
        Set<String> issuers = new LinkedHashSet<>();
        Set<String> keyIds = new LinkedHashSet<>();
        Set<String> emails = new LinkedHashSet<>();
        Set<String> names = new LinkedHashSet<>();
        for (X509Certificate certificate : certificates) {
            StoreKeys keys = of(certificate);
            subjects.add(keys.subjectHash());
            issuers.add(keys.issuerHash());
            if (keys.keyIdHash() != null) {
                keyIds.add(keys.keyIdHash());
            }
            emails.addAll(keys.emails());
            if (keys.name() != null) {
                names.add(keys.name());
            }
        }
        return new Union(List.copyOf(subjects), List.copyOf(issuers), List.copyOf(keyIds), List.copyOf(emails),
                List.copyOf(names));
    }

    /** The keys of several certificates, each list without duplicates: what one subscriber entry carries. */
    public record Union(List<String> subjectHashes, List<String> issuerHashes, List<String> keyIdHashes,
                        List<String> emails, List<String> names) {
    }

    /** Whether the key of kind {@code key} of this certificate is {@code value} (already normalised). */
    public boolean matches(Key key, String value) {
        return switch (key) {
            case SUBJECT_HASH -> subjectHash.equals(value);
            case ISSUER_HASH -> issuerHash.equals(value);
            case KEY_ID_HASH -> value.equals(keyIdHash);
            case EMAIL -> emails.contains(value);
            case NAME -> value.equals(name);
        };
    }

    /** The kinds of key, with the RFC 4387 attribute name a query uses for each. */
    public enum Key {
        SUBJECT_HASH("sHash"), ISSUER_HASH("iHash"), KEY_ID_HASH("sKIDHash"), EMAIL("email"), NAME("name");

        private final String attribute;

        Key(String attribute) {
            this.attribute = attribute;
        }

        /** The query attribute: {@code sHash}, {@code iHash}, {@code sKIDHash}, {@code email}, {@code name}. */
        public String attribute() {
            return attribute;
        }

        public boolean isHash() {
            return this == SUBJECT_HASH || this == ISSUER_HASH || this == KEY_ID_HASH;
        }
    }

    /** Base64 (standard alphabet, padded) of the SHA-1 of {@code blob}: an RFC 4387 §2.1 search key. */
    public static String hash(byte[] blob) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1").digest(blob));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is missing from this JVM", e);
        }
    }

    /** Names and emails as they are compared: trimmed, lower case (Unicode, locale-independent). */
    public static String text(String value) {
        return value.strip().toLowerCase(Locale.ROOT);
    }

    /** The KeyIdentifier octets of the subject key identifier extension, if there is one. */
    public static Optional<byte[]> subjectKeyIdentifier(X509Certificate certificate) {
        byte[] extension = certificate.getExtensionValue(Extension.subjectKeyIdentifier.getId());
        if (extension == null) {
            return Optional.empty();
        }
        try {
            ASN1Primitive inner = ASN1Primitive.fromByteArray(ASN1OctetString.getInstance(extension).getOctets());
            return Optional.of(ASN1OctetString.getInstance(inner).getOctets());
        } catch (java.io.IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("the subject key identifier of " + certificate.getSubjectX500Principal()
                    + " is not an OCTET STRING: " + e.getMessage(), e);
        }
    }

    private static Optional<String> commonName(X509Certificate certificate) {
        RDN[] cns = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded()).getRDNs(BCStyle.CN);
        if (cns.length == 0) {
            return Optional.empty();
        }
        return Optional.of(string(cns[0].getFirst().getValue()));
    }

    private static String string(ASN1Encodable value) {
        return value instanceof ASN1String text ? text.getString() : IETFUtils.valueToString(value);
    }

    private static List<String> emails(X509Certificate certificate) {
        Set<String> emails = new LinkedHashSet<>();
        for (RDN rdn : X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded())
                .getRDNs(BCStyle.EmailAddress)) {
            emails.add(text(string(rdn.getFirst().getValue())));
        }
        try {
            Collection<List<?>> alternatives = certificate.getSubjectAlternativeNames();
            if (alternatives != null) {
                for (List<?> name : alternatives) {
                    if (Integer.valueOf(1).equals(name.get(0)) && name.get(1) instanceof String email) {
                        emails.add(text(email));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            throw new IllegalArgumentException("the subject alternative names of "
                    + certificate.getSubjectX500Principal() + " cannot be read: " + e.getMessage(), e);
        }
        return new ArrayList<>(emails);
    }
}
