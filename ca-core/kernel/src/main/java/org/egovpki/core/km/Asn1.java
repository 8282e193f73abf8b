package org.egovpki.core.km;

import java.io.IOException;
import java.util.Objects;

import org.bouncycastle.asn1.ASN1BitString;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1InputStream;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Object;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;

/**
 * Strict reading of the small GM/T ASN.1 structures in this package, with error messages that
 * name the structure and field, so a refused envelope says what was wrong instead of surfacing a
 * Bouncy Castle {@code ClassCastException} or "unknown object in getInstance".
 *
 * <p>Every method throws {@link IllegalArgumentException} on bad input.
 */
final class Asn1 {

    private Asn1() {
    }

    /**
     * Parses exactly one ASN.1 object that fills {@code der}: no trailing bytes, no truncation.
     * BER length forms are tolerated (the structures carry no signature, and every field is then
     * checked), but anything Bouncy Castle cannot parse as one whole object is refused.
     */
    static ASN1Primitive parse(byte[] der, String structure) {
        Objects.requireNonNull(der, structure);
        if (der.length == 0) {
            throw new IllegalArgumentException(structure + " is empty");
        }
        ASN1Primitive object;
        int trailing;
        try (ASN1InputStream in = new ASN1InputStream(der)) {
            object = in.readObject();
            trailing = in.available();
        } catch (IOException | RuntimeException e) {
            // Bouncy Castle reports truncation and bad lengths as IOException, some malformed
            // contents as IllegalArgumentException or IllegalStateException.
            throw new IllegalArgumentException(structure + " is not valid DER: " + e.getMessage(), e);
        }
        if (object == null) {
            throw new IllegalArgumentException(structure + " holds no ASN.1 object");
        }
        if (trailing != 0) {
            throw new IllegalArgumentException(structure + " has " + trailing + " trailing bytes after the encoded value");
        }
        return object;
    }

    /** {@code object} as a SEQUENCE of exactly {@code size} elements. */
    static ASN1Sequence sequence(ASN1Encodable object, int size, String structure) {
        Objects.requireNonNull(object, structure);
        if (!(object.toASN1Primitive() instanceof ASN1Sequence sequence)) {
            throw new IllegalArgumentException(structure + " must be a SEQUENCE; got " + kind(object));
        }
        if (sequence.size() != size) {
            throw new IllegalArgumentException(structure + " must have " + size + " fields; got " + sequence.size());
        }
        return sequence;
    }

    static ASN1Integer integer(ASN1Encodable object, String field) {
        if (object.toASN1Primitive() instanceof ASN1Integer integer) {
            return integer;
        }
        throw new IllegalArgumentException(field + " must be an INTEGER; got " + kind(object));
    }

    static byte[] octets(ASN1Encodable object, String field) {
        if (object.toASN1Primitive() instanceof ASN1OctetString octets) {
            return octets.getOctets();
        }
        throw new IllegalArgumentException(field + " must be an OCTET STRING; got " + kind(object));
    }

    /** The bytes of a BIT STRING that holds whole octets (no unused bits), as GM/T 0009 uses them. */
    static byte[] bitStringOctets(ASN1Encodable object, String field) {
        if (!(object.toASN1Primitive() instanceof ASN1BitString bits)) {
            throw new IllegalArgumentException(field + " must be a BIT STRING; got " + kind(object));
        }
        if (bits.getPadBits() != 0) {
            throw new IllegalArgumentException(field + " must hold whole bytes; it has " + bits.getPadBits()
                    + " unused bits");
        }
        return bits.getOctets();
    }

    /** The DER encoding of {@code object}. */
    static byte[] der(ASN1Object object) {
        try {
            return object.getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            // Encoding an in-memory object writes to a byte array and cannot fail.
            throw new IllegalStateException("cannot DER-encode " + object.getClass().getSimpleName(), e);
        }
    }

    /** A short description of an unexpected ASN.1 object for error messages. */
    static String kind(ASN1Encodable object) {
        String name = object.toASN1Primitive().getClass().getSimpleName();
        // Bouncy Castle's concrete classes are DERSequence, DLTaggedObject, ...: drop the prefix.
        return name.replaceFirst("^(DER|DL|BER|ASN1)", "");
    }
}
