package org.egovpki.core.km;

import java.io.IOException;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1GeneralizedTime;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.ASN1UTF8String;
import org.bouncycastle.asn1.DERGeneralizedTime;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;

/**
 * What the KM answers, shaped after GM/T 0014's {@code KSRespond}:
 * <pre>
 * KSRespond ::= SEQUENCE {
 *   version     INTEGER (1),
 *   kmName      EntName,
 *   respondList SEQUENCE OF Respond,   -- one per request item, in the same order
 *   respondTime GeneralizedTime,
 *   taskNO      INTEGER }              -- the request's
 * Respond ::= CHOICE {
 *   retKeyRespond    [0] RetKeyRespond,
 *   revokeKeyRespond [1] RevokeKeyRespond,
 *   errorPkgRespond  [2] ErrorPkgRespond }
 * RetKeyRespond ::= SEQUENCE {
 *   userCertNo INTEGER,
 *   retPubKey  SubjectPublicKeyInfo,   -- the encryption public key the CA certifies
 *   retPriKey  SM2EnvelopedKey }       -- the private key, only the envelope's recipient opens it
 * RevokeKeyRespond ::= SEQUENCE { userCertNo INTEGER }
 * ErrorPkgRespond ::= SEQUENCE { errCode INTEGER, errDesc UTF8String }
 * </pre>
 * The KM signs the DER of this structure ({@link SignedMessage}). The private key is in it only
 * enveloped: nothing the CA receives lets it open the envelope.
 */
public record KmResponse(EntityName kmName, List<Item> items, Instant respondTime, BigInteger taskNo) {

    public KmResponse {
        Objects.requireNonNull(kmName, "kmName");
        Objects.requireNonNull(respondTime, "respondTime");
        Objects.requireNonNull(taskNo, "taskNo");
        items = List.copyOf(items);
    }

    /** One answer in the list. */
    public sealed interface Item permits RetKey, RevokedKey, Error {
    }

    /** A key pair for certificate {@code userCertNo}: the public key and the enveloped private key (DER SM2EnvelopedKey). */
    public record RetKey(BigInteger userCertNo, SubjectPublicKeyInfo publicKey, byte[] envelopedKey) implements Item {
        public RetKey {
            Objects.requireNonNull(userCertNo, "userCertNo");
            Objects.requireNonNull(publicKey, "publicKey");
            envelopedKey = Objects.requireNonNull(envelopedKey, "envelopedKey").clone();
        }

        @Override
        public byte[] envelopedKey() {
            return envelopedKey.clone();
        }
    }

    /** The key of certificate {@code userCertNo} is retired. */
    public record RevokedKey(BigInteger userCertNo) implements Item {
    }

    /** The item was refused: {@code code} is one of the {@code ERR_} constants. */
    public record Error(int code, String description) implements Item {
        /** The request was malformed or named an unsupported algorithm. */
        public static final int ERR_BAD_REQUEST = 1;
        /** No escrowed key / recovery request with that name. */
        public static final int ERR_NOT_FOUND = 2;
        /** Not permitted: unknown CA, bad signature, wrong or spent challenge code, unapproved recovery. */
        public static final int ERR_REFUSED = 3;
        /** It contradicts the key's state (e.g. destroyed). */
        public static final int ERR_CONFLICT = 4;
        /** The KM could not do it now (directory or key store trouble). */
        public static final int ERR_UNAVAILABLE = 5;
        /** Too many wrong challenge codes: wait. */
        public static final int ERR_RATE_LIMITED = 6;

        public Error {
            Objects.requireNonNull(description, "description");
        }
    }

    public ASN1Primitive toAsn1() {
        ASN1EncodableVector list = new ASN1EncodableVector();
        for (Item item : items) {
            list.add(encode(item));
        }
        return new DERSequence(new ASN1Encodable[] {new ASN1Integer(KmRequest.VERSION), kmName.toAsn1(),
                new DERSequence(list), new DERGeneralizedTime(Date.from(respondTime)), new ASN1Integer(taskNo)});
    }

    private static ASN1Encodable encode(Item item) {
        if (item instanceof RetKey r) {
            return new DERTaggedObject(true, 0, new DERSequence(new ASN1Encodable[] {
                    new ASN1Integer(r.userCertNo()), r.publicKey(), parse(r.envelopedKey())}));
        }
        if (item instanceof RevokedKey r) {
            return new DERTaggedObject(true, 1, new DERSequence(new ASN1Integer(r.userCertNo())));
        }
        Error e = (Error) item;
        return new DERTaggedObject(true, 2, new DERSequence(new ASN1Encodable[] {
                new ASN1Integer(e.code()), new DERUTF8String(e.description())}));
    }

    public static KmResponse fromAsn1(ASN1Primitive primitive) {
        ASN1Sequence seq = ASN1Sequence.getInstance(primitive);
        if (seq.size() != 5) {
            throw new IllegalArgumentException("KSRespond has " + seq.size() + " elements, not 5");
        }
        int version = ASN1Integer.getInstance(seq.getObjectAt(0)).intValueExact();
        if (version != KmRequest.VERSION) {
            throw new IllegalArgumentException("KSRespond version " + version + " is not supported");
        }
        List<Item> items = new ArrayList<>();
        for (ASN1Encodable element : ASN1Sequence.getInstance(seq.getObjectAt(2))) {
            ASN1TaggedObject tagged = ASN1TaggedObject.getInstance(element);
            ASN1Sequence body = ASN1Sequence.getInstance(tagged.getExplicitBaseObject());
            items.add(switch (tagged.getTagNo()) {
                case 0 -> new RetKey(ASN1Integer.getInstance(body.getObjectAt(0)).getValue(),
                        SubjectPublicKeyInfo.getInstance(body.getObjectAt(1)), der(body.getObjectAt(2)));
                case 1 -> new RevokedKey(ASN1Integer.getInstance(body.getObjectAt(0)).getValue());
                case 2 -> new Error(ASN1Integer.getInstance(body.getObjectAt(0)).intValueExact(),
                        ASN1UTF8String.getInstance(body.getObjectAt(1)).getString());
                default -> throw new IllegalArgumentException("unknown KM answer [" + tagged.getTagNo() + "]");
            });
        }
        return new KmResponse(EntityName.fromAsn1(seq.getObjectAt(1).toASN1Primitive()), items,
                Asn1Times.instant(ASN1GeneralizedTime.getInstance(seq.getObjectAt(3))),
                ASN1Integer.getInstance(seq.getObjectAt(4)).getValue());
    }

    private static ASN1Primitive parse(byte[] der) {
        try {
            return ASN1Primitive.fromByteArray(der);
        } catch (IOException e) {
            throw new IllegalArgumentException("the enveloped key is not DER", e);
        }
    }

    private static byte[] der(ASN1Encodable element) {
        try {
            return element.toASN1Primitive().getEncoded("DER");
        } catch (IOException e) {
            throw new IllegalArgumentException("the enveloped key cannot be encoded", e);
        }
    }
}
