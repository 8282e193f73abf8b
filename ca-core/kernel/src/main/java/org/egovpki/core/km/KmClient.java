package org.egovpki.core.km;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.operator.ContentSigner;
import org.egovpki.core.DomainException;

/**
 * The CA's side of the CA↔KM protocol: signs each request with the asking CA's key, sends it, and
 * accepts only an answer signed by the pinned KM certificate, for the same task, made recently.
 * What comes back holds the encryption private key only enveloped to a subscriber's (or new
 * token's) public key: nothing here can open it, and nothing here ever sees the key in clear.
 */
public final class KmClient {

    /** How far the KM's answer time may be from ours. */
    static final Duration MAX_SKEW = Duration.ofMinutes(5);

    private final KmTransport transport;
    private final X509Certificate kmCertificate;
    private final Clock clock;
    private final SecureRandom random;

    public KmClient(KmTransport transport, X509Certificate kmCertificate, Clock clock, SecureRandom random) {
        this.transport = Objects.requireNonNull(transport, "transport");
        this.kmCertificate = Objects.requireNonNull(kmCertificate, "kmCertificate");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
    }

    /**
     * Asks for an encryption key pair. Repeating the same {@code taskNo} returns the same key
     * pair with the serial first asked for (use {@link KmResponse.RetKey#userCertNo()}).
     */
    public KmResponse.RetKey apply(X509Certificate ca, ContentSigner signer, BigInteger taskNo,
                                   KmRequest.ApplyKey request) {
        return (KmResponse.RetKey) exchange(ca, signer, taskNo, request, KmResponse.RetKey.class);
    }

    /** Tells the KM that encryption certificate {@code serial} was revoked, so its key is retired (kept). */
    public void revoke(X509Certificate ca, ContentSigner signer, BigInteger serial) {
        exchange(ca, signer, newTask(), new KmRequest.RevokeKey(serial), KmResponse.RevokedKey.class);
    }

    /** Relays a subscriber's recovery (recovery id and one-time code); returns the DER SM2EnvelopedKey. */
    public byte[] restore(X509Certificate ca, ContentSigner signer, KmRequest.RestoreKey request) {
        return ((KmResponse.RetKey) exchange(ca, signer, newTask(), request, KmResponse.RetKey.class)).envelopedKey();
    }

    private KmResponse.Item exchange(X509Certificate ca, ContentSigner signer, BigInteger taskNo, KmRequest.Item item,
                                     Class<? extends KmResponse.Item> expected) {
        KmRequest request = new KmRequest(EntityName.of(ca), List.of(item), clock.instant(), taskNo);
        byte[] answer;
        try {
            answer = transport.exchange(SignedMessage.sign(request.toAsn1(), signer));
        } catch (RuntimeException e) {
            throw new DomainException(DomainException.Kind.UNAVAILABLE, "the key management centre cannot be reached: "
                    + e.getMessage(), null, e);
        }
        KmResponse response = verified(answer, taskNo);
        if (response.items().size() != 1) {
            throw untrusted("it answered " + response.items().size() + " items to one request");
        }
        KmResponse.Item result = response.items().get(0);
        if (result instanceof KmResponse.Error error) {
            throw failure(error);
        }
        if (!expected.isInstance(result)) {
            throw untrusted("it answered " + result.getClass().getSimpleName() + " to " + item.getClass().getSimpleName());
        }
        return result;
    }

    private KmResponse verified(byte[] answer, BigInteger taskNo) {
        KmResponse response;
        SignedMessage signed;
        try {
            signed = SignedMessage.parse(answer);
            response = KmResponse.fromAsn1(signed.body());
        } catch (IllegalArgumentException e) {
            throw untrusted("its answer is malformed: " + e.getMessage());
        }
        if (!response.kmName().names(kmCertificate) || !signed.verify(kmCertificate)) {
            throw untrusted("its answer is not signed by the KM certificate " + kmCertificate.getSubjectX500Principal());
        }
        if (!response.taskNo().equals(taskNo)) {
            throw untrusted("its answer is for task " + response.taskNo() + ", not " + taskNo);
        }
        Instant now = clock.instant();
        if (response.respondTime().isBefore(now.minus(MAX_SKEW)) || response.respondTime().isAfter(now.plus(MAX_SKEW))) {
            throw untrusted("its answer is dated " + response.respondTime() + ", more than " + MAX_SKEW.toMinutes()
                    + " minutes from now");
        }
        return response;
    }

    private BigInteger newTask() {
        return new BigInteger(63, random);
    }

    private static DomainException failure(KmResponse.Error error) {
        DomainException.Kind kind = switch (error.code()) {
            case KmResponse.Error.ERR_BAD_REQUEST -> DomainException.Kind.BAD_REQUEST;
            case KmResponse.Error.ERR_NOT_FOUND -> DomainException.Kind.NOT_FOUND;
            case KmResponse.Error.ERR_REFUSED -> DomainException.Kind.FORBIDDEN;
            case KmResponse.Error.ERR_CONFLICT -> DomainException.Kind.CONFLICT;
            case KmResponse.Error.ERR_RATE_LIMITED -> DomainException.Kind.RATE_LIMITED;
            default -> DomainException.Kind.UNAVAILABLE;
        };
        return new DomainException(kind, "key management centre: " + error.description());
    }

    private static DomainException untrusted(String why) {
        return new DomainException(DomainException.Kind.UNAVAILABLE, "the key management centre's answer was not "
                + "accepted: " + why);
    }
}
