package org.egovpki.core.ca;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.egovpki.core.DomainException;
import org.egovpki.core.certificate.CertificateRecord;
import org.egovpki.core.event.KeyRetired;
import org.egovpki.core.event.LifecycleEvents;
import org.egovpki.core.km.KmClient;
import org.egovpki.core.km.KmRequest;
import org.egovpki.core.km.KmResponse;
import org.egovpki.core.profile.KeyUsageKind;

/**
 * The CA's link to the key management centre: every message is signed with the key of the CA it
 * concerns (which is why this lives beside the signers). What the KM returns is a public key and
 * an envelope only the subscriber's token opens; the CA never holds an encryption private key.
 */
public final class KeyManagementLink {

    private final KmClient client;
    private final CaRegistry cas;
    private final LifecycleEvents events;

    /** @param events told of every key the KM retired */
    public KeyManagementLink(KmClient client, CaRegistry cas, LifecycleEvents events) {
        this.client = Objects.requireNonNull(client, "client");
        this.cas = Objects.requireNonNull(cas, "cas");
        this.events = Objects.requireNonNull(events, "events");
    }

    /**
     * Asks for the encryption key pair of request {@code requestId}; the task number is derived
     * from the request, so asking again after a crash returns the same key and serial.
     */
    KmResponse.RetKey apply(CertificateAuthority ca, String requestId, BigInteger serial, SubjectPublicKeyInfo signingKey,
                            Instant notBefore, Instant notAfter, X500Name subject, String subscriberDn) {
        return client.apply(ca.certificate(), ca.signer().contentSigner(), task(requestId),
                new KmRequest.ApplyKey(serial, signingKey, notBefore, notAfter, subject, subscriberDn));
    }

    /** Tells the KM an encryption certificate was revoked: its key is retired, never destroyed early. */
    public void retire(CertificateRecord revoked) {
        if (revoked.kind() != KeyUsageKind.ENCRYPTION) {
            return;
        }
        CertificateAuthority ca = ca(revoked.issuer());
        client.revoke(ca.certificate(), ca.signer().contentSigner(), revoked.serial());
        events.publish(new KeyRetired(ca.name(), revoked.serial()));
    }

    /**
     * Relays a subscriber's key recovery to the KM: the recovery id and one-time code the KM
     * issued, and the new token's public key. The KM decides; the answer is the DER SM2EnvelopedKey.
     */
    public byte[] restore(String caName, BigInteger serial, SubjectPublicKeyInfo newKey, String recoveryId,
                          String challengeCode) {
        CertificateAuthority ca = ca(caName);
        return client.restore(ca.certificate(), ca.signer().contentSigner(),
                new KmRequest.RestoreKey(serial, newKey, recoveryId, challengeCode));
    }

    private CertificateAuthority ca(String name) {
        return cas.find(name).orElseThrow(() -> DomainException.notFound("this server operates no CA '" + name + "'"));
    }

    /** A positive 128-bit task number fixed by the request id. */
    static BigInteger task(String requestId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(("km-apply|" + requestId)
                    .getBytes(StandardCharsets.UTF_8));
            return new BigInteger(1, Arrays.copyOf(digest, 16));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing", e);
        }
    }
}
