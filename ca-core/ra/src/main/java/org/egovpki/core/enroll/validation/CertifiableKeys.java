package org.egovpki.core.enroll.validation;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.egovpki.core.certificate.CompromisedKey;
import org.egovpki.core.certificate.CompromisedKeys;

/**
 * Which subscriber keys may be certified at all, beyond what the {@link KeyPolicy} says of their
 * form: never a key known to be compromised ({@link CompromisedKeys}: revoked for key compromise,
 * or a CA's key revoked for CA compromise), and never a CA's own key in an end-entity certificate
 * (its holder would be the CA; a request over it can only come from someone holding the CA's
 * private key). Asked by the RA at submission, so the clerk hears it at once and nothing is
 * stored, and by the CA's issuance check, which also catches a key reported compromised while its
 * request waited for review.
 *
 * <p>Cost: one directory read of one entry by name per question (the compromised keys) and a map
 * look-up (the CA keys, which are a handful and fixed while the server runs).
 */
public final class CertifiableKeys {

    private final CompromisedKeys compromised;
    private final Map<String, String> caKeys;

    /**
     * @param compromised the keys known to be compromised
     * @param caKeys      the {@link CompromisedKey#keyId id} of every CA key in service, to the CA's name
     */
    public CertifiableKeys(CompromisedKeys compromised, Map<String, String> caKeys) {
        this.compromised = Objects.requireNonNull(compromised, "compromised");
        this.caKeys = Map.copyOf(caKeys);
    }

    /**
     * Why {@code key} must not be certified, said for the subscriber (field {@code csr}); empty when
     * it may be.
     */
    public Optional<String> refusal(SubjectPublicKeyInfo key) {
        String keyId = CompromisedKey.keyId(key);
        String ca = caKeys.get(keyId);
        if (ca != null) {
            return Optional.of("the public key is CA " + ca + "'s own key, which is never certified in an end-entity "
                    + "certificate; generate a new key pair and make the request with it");
        }
        return compromised.byKeyId(keyId).map(CompromisedKey::refusal);
    }
}
