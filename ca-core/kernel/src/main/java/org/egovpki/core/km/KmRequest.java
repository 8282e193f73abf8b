package org.egovpki.core.km;

import java.math.BigInteger;
import java.time.Instant;
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
import org.bouncycastle.asn1.DERGeneralizedTime;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.ASN1UTF8String;
import org.bouncycastle.asn1.gm.GMObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;

/**
 * What a CA asks of the KM, shaped after GM/T 0014's {@code KSRequest} (the standard is
 * withdrawn; the shape follows the public implementations):
 * <pre>
 * KSRequest ::= SEQUENCE {
 *   version      INTEGER (1),
 *   caName       EntName,
 *   requestList  SEQUENCE OF Request,
 *   requestTime  GeneralizedTime,
 *   taskNO       INTEGER }
 * Request ::= CHOICE {
 *   applyKeyReq   [0] ApplyKeyReq,    -- generate, escrow and return an encryption key pair
 *   restoreKeyReq [1] RestoreKeyReq,  -- return an escrowed key, enveloped to a new public key
 *   revokeKeyReq  [2] RevokeKeyReq }  -- the key's certificate was revoked: retire the key
 * ApplyKeyReq ::= SEQUENCE {
 *   appKeyType AlgorithmIdentifier,   -- sm2encrypt 1.2.156.10197.1.301.3
 *   appKeyLen  INTEGER (256),
 *   retAsymAlg AlgorithmIdentifier,   -- SM2 (envelope key transport)
 *   retSymAlg  AlgorithmIdentifier,   -- SM4-ECB (envelope content)
 *   retHashAlg AlgorithmIdentifier,   -- SM3
 *   appUserInfo AppUserInfo }
 * AppUserInfo ::= SEQUENCE {
 *   userCertNo INTEGER,               -- serial of the encryption certificate to be issued
 *   userPubKey SubjectPublicKeyInfo,  -- the subscriber's SIGNING key: the envelope is made to it
 *   notBefore  GeneralizedTime,
 *   notAfter   GeneralizedTime,
 *   userName   [0] GeneralName OPTIONAL,     -- the subject DN
 *   dsCode     [1] UTF8String OPTIONAL }     -- egov-pki: the subscriber entry's DN
 * RestoreKeyReq ::= SEQUENCE {
 *   retAsymAlg AlgorithmIdentifier, retSymAlg AlgorithmIdentifier, retHashAlg AlgorithmIdentifier,
 *   userCertNo INTEGER,
 *   userPubKey SubjectPublicKeyInfo,  -- the public key of the token the key goes to
 *   recoveryId [0] UTF8String,        -- egov-pki: the approved recovery request ...
 *   challenge  [1] UTF8String }       -- ... and its one-time code: the KM decides, not the CA
 * RevokeKeyReq ::= SEQUENCE { userCertNo INTEGER }
 * </pre>
 * The CA signs the DER of this structure ({@link SignedMessage}); {@code taskNO} names the task
 * so a repeated apply (after a crash) finds the key the first one made.
 */
public record KmRequest(EntityName caName, List<Item> items, Instant requestTime, BigInteger taskNo) {

    public static final int VERSION = 1;
    static final AlgorithmIdentifier SM2_ENCRYPT = new AlgorithmIdentifier(GMObjectIdentifiers.sm2encrypt);
    static final AlgorithmIdentifier SM2 = new AlgorithmIdentifier(GMObjectIdentifiers.sm2p256v1);
    static final AlgorithmIdentifier SM4_ECB = new AlgorithmIdentifier(GMObjectIdentifiers.sms4_ecb);
    static final AlgorithmIdentifier SM3 = new AlgorithmIdentifier(GMObjectIdentifiers.sm3);
    private static final int KEY_BITS = 256;

    public KmRequest {
        Objects.requireNonNull(caName, "caName");
        Objects.requireNonNull(requestTime, "requestTime");
        Objects.requireNonNull(taskNo, "taskNo");
        items = List.copyOf(items);
        if (items.isEmpty()) {
            throw new IllegalArgumentException("a KM request needs at least one item");
        }
    }

    /** One request in the list. */
    public sealed interface Item permits ApplyKey, RestoreKey, RevokeKey {
        BigInteger userCertNo();
    }

    /** Generate an SM2 encryption key pair for certificate {@code userCertNo}, envelope it to {@code signingKey}. */
    public record ApplyKey(BigInteger userCertNo, SubjectPublicKeyInfo signingKey, Instant notBefore, Instant notAfter,
                           X500Name subject, String subscriberDn) implements Item {
        public ApplyKey {
            Objects.requireNonNull(userCertNo, "userCertNo");
            Objects.requireNonNull(signingKey, "signingKey");
            Objects.requireNonNull(notBefore, "notBefore");
            Objects.requireNonNull(notAfter, "notAfter");
        }
    }

    /** Return the key of certificate {@code userCertNo} enveloped to {@code newKey}, under an approved recovery. */
    public record RestoreKey(BigInteger userCertNo, SubjectPublicKeyInfo newKey, String recoveryId, String challenge)
            implements Item {
        public RestoreKey {
            Objects.requireNonNull(userCertNo, "userCertNo");
            Objects.requireNonNull(newKey, "newKey");
            Objects.requireNonNull(recoveryId, "recoveryId");
            Objects.requireNonNull(challenge, "challenge");
        }
    }

    /** Certificate {@code userCertNo} was revoked: retire (never destroy) its key. */
    public record RevokeKey(BigInteger userCertNo) implements Item {
        public RevokeKey {
            Objects.requireNonNull(userCertNo, "userCertNo");
        }
    }

    public ASN1Primitive toAsn1() {
        ASN1EncodableVector list = new ASN1EncodableVector();
        for (Item item : items) {
            list.add(encode(item));
        }
        return new DERSequence(new ASN1Encodable[] {new ASN1Integer(VERSION), caName.toAsn1(), new DERSequence(list),
                new DERGeneralizedTime(Date.from(requestTime)), new ASN1Integer(taskNo)});
    }

    private static ASN1Encodable encode(Item item) {
        if (item instanceof ApplyKey a) {
            ASN1EncodableVector user = new ASN1EncodableVector();
            user.add(new ASN1Integer(a.userCertNo()));
            user.add(a.signingKey());
            user.add(new DERGeneralizedTime(Date.from(a.notBefore())));
            user.add(new DERGeneralizedTime(Date.from(a.notAfter())));
            if (a.subject() != null) {
                user.add(new DERTaggedObject(true, 0, new GeneralName(a.subject())));
            }
            if (a.subscriberDn() != null) {
                user.add(new DERTaggedObject(true, 1, new DERUTF8String(a.subscriberDn())));
            }
            return new DERTaggedObject(true, 0, new DERSequence(new ASN1Encodable[] {SM2_ENCRYPT,
                    new ASN1Integer(KEY_BITS), SM2, SM4_ECB, SM3, new DERSequence(user)}));
        }
        if (item instanceof RestoreKey r) {
            return new DERTaggedObject(true, 1, new DERSequence(new ASN1Encodable[] {SM2, SM4_ECB, SM3,
                    new ASN1Integer(r.userCertNo()), r.newKey(), new DERTaggedObject(true, 0,
                    new DERUTF8String(r.recoveryId())), new DERTaggedObject(true, 1, new DERUTF8String(r.challenge()))}));
        }
        return new DERTaggedObject(true, 2, new DERSequence(new ASN1Integer(item.userCertNo())));
    }

    /** Parses a KSRequest; anything unexpected is an IllegalArgumentException saying what. */
    public static KmRequest fromAsn1(ASN1Primitive primitive) {
        ASN1Sequence seq = ASN1Sequence.getInstance(primitive);
        if (seq.size() != 5) {
            throw new IllegalArgumentException("KSRequest has " + seq.size() + " elements, not 5");
        }
        int version = ASN1Integer.getInstance(seq.getObjectAt(0)).intValueExact();
        if (version != VERSION) {
            throw new IllegalArgumentException("KSRequest version " + version + " is not supported (only " + VERSION + ")");
        }
        EntityName ca = EntityName.fromAsn1(seq.getObjectAt(1).toASN1Primitive());
        List<Item> items = new java.util.ArrayList<>();
        for (ASN1Encodable element : ASN1Sequence.getInstance(seq.getObjectAt(2))) {
            items.add(decode(ASN1TaggedObject.getInstance(element)));
        }
        Instant time = Asn1Times.instant(ASN1GeneralizedTime.getInstance(seq.getObjectAt(3)));
        return new KmRequest(ca, items, time, ASN1Integer.getInstance(seq.getObjectAt(4)).getValue());
    }

    private static Item decode(ASN1TaggedObject tagged) {
        ASN1Sequence body = ASN1Sequence.getInstance(tagged.getExplicitBaseObject());
        return switch (tagged.getTagNo()) {
            case 0 -> {
                requireAlgorithm(body.getObjectAt(0), SM2_ENCRYPT, "appKeyType");
                int bits = ASN1Integer.getInstance(body.getObjectAt(1)).intValueExact();
                if (bits != KEY_BITS) {
                    throw new IllegalArgumentException("appKeyLen " + bits + " is not supported: SM2 keys are 256 bits");
                }
                requireAlgorithm(body.getObjectAt(2), SM2, "retAsymAlg");
                requireAlgorithm(body.getObjectAt(3), SM4_ECB, "retSymAlg");
                requireAlgorithm(body.getObjectAt(4), SM3, "retHashAlg");
                ASN1Sequence user = ASN1Sequence.getInstance(body.getObjectAt(5));
                X500Name subject = null;
                String subscriberDn = null;
                for (int i = 4; i < user.size(); i++) {
                    ASN1TaggedObject optional = ASN1TaggedObject.getInstance(user.getObjectAt(i));
                    if (optional.getTagNo() == 0) {
                        subject = X500Name.getInstance(GeneralName.getInstance(optional.getExplicitBaseObject()).getName());
                    } else if (optional.getTagNo() == 1) {
                        subscriberDn = ASN1UTF8String.getInstance(optional.getExplicitBaseObject()).getString();
                    }
                }
                yield new ApplyKey(ASN1Integer.getInstance(user.getObjectAt(0)).getValue(),
                        SubjectPublicKeyInfo.getInstance(user.getObjectAt(1)),
                        Asn1Times.instant(ASN1GeneralizedTime.getInstance(user.getObjectAt(2))),
                        Asn1Times.instant(ASN1GeneralizedTime.getInstance(user.getObjectAt(3))), subject, subscriberDn);
            }
            case 1 -> {
                requireAlgorithm(body.getObjectAt(0), SM2, "retAsymAlg");
                requireAlgorithm(body.getObjectAt(1), SM4_ECB, "retSymAlg");
                requireAlgorithm(body.getObjectAt(2), SM3, "retHashAlg");
                yield new RestoreKey(ASN1Integer.getInstance(body.getObjectAt(3)).getValue(),
                        SubjectPublicKeyInfo.getInstance(body.getObjectAt(4)),
                        utf8(body.getObjectAt(5), 0), utf8(body.getObjectAt(6), 1));
            }
            case 2 -> new RevokeKey(ASN1Integer.getInstance(body.getObjectAt(0)).getValue());
            default -> throw new IllegalArgumentException("unknown KM request [" + tagged.getTagNo() + "]");
        };
    }

    private static String utf8(ASN1Encodable element, int tag) {
        ASN1TaggedObject tagged = ASN1TaggedObject.getInstance(element);
        if (tagged.getTagNo() != tag) {
            throw new IllegalArgumentException("expected [" + tag + "], found [" + tagged.getTagNo() + "]");
        }
        return ASN1UTF8String.getInstance(tagged.getExplicitBaseObject()).getString();
    }

    private static void requireAlgorithm(ASN1Encodable element, AlgorithmIdentifier expected, String field) {
        AlgorithmIdentifier actual = AlgorithmIdentifier.getInstance(element);
        if (!expected.getAlgorithm().equals(actual.getAlgorithm())) {
            throw new IllegalArgumentException(field + " " + actual.getAlgorithm() + " is not supported (only "
                    + expected.getAlgorithm() + ")");
        }
    }
}
