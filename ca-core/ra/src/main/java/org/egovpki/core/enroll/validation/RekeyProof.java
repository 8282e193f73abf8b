package org.egovpki.core.enroll.validation;

import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.Objects;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.egovpki.core.DomainException;
import org.egovpki.core.crypto.BouncyCastle;

/**
 * The old key's consent to a rekey. Seed 001 §6.1.3.3 A: the holder "signs the request information
 * containing the new public key with the private key from before the update". Here that is a CMS
 * SignedData (RFC 5652) over the DER of the new PKCS#10 request, made with the private key of the
 * certificate being rekeyed:
 * <ul>
 *   <li>exactly one signer; it may be identified by issuer and serial or by subject key
 *       identifier — only its signature counts, and it is checked against the certificate the CA
 *       has on record, never against a certificate carried in the message;</li>
 *   <li>content encapsulated (it must then be byte for byte the new request's DER) or detached
 *       (the signature is then checked over the new request's DER);</li>
 *   <li>DER, or PEM ({@code -----BEGIN CMS-----} or {@code PKCS7}).</li>
 * </ul>
 * OpenSSL makes one for RSA and ECDSA keys:
 * <pre>
 * openssl req -in new.csr -outform DER -out new.csr.der
 * openssl cms -sign -binary -nodetach -outform DER -signer old.crt -inkey old.key -in new.csr.der -out proof.der
 * </pre>
 * For SM2 keys, Bouncy Castle's {@code CMSSignedDataGenerator} with {@code SM3withSM2} (user ID
 * {@code 1234567812345678}, as every SM2 signature this CA verifies) or a GM/T 0010 token's
 * SignedData; the signature is verified with the same default user ID.
 *
 * <p>A proof does not expire: replaying one cannot harm, because a rekey supersedes the old
 * certificate, and a revoked certificate is never rekeyed again.
 */
public final class RekeyProof {

    /** The input field named in every refusal. */
    public static final String FIELD = "proof";
    private static final int MAX_BYTES = 64 * 1024;

    private RekeyProof() {
    }

    /**
     * Checks that {@code proof} is a signature by {@code oldCertificate}'s key over {@code csrDer}.
     *
     * @throws DomainException BAD_REQUEST (field {@value #FIELD}) if the proof is malformed or signs
     *     other content; FORBIDDEN if its signature does not verify under the old certificate's key
     */
    public static void verify(byte[] proof, byte[] csrDer, X509Certificate oldCertificate) {
        Objects.requireNonNull(csrDer, "csrDer");
        Objects.requireNonNull(oldCertificate, "oldCertificate");
        if (proof == null || proof.length == 0) {
            throw bad("a rekey needs a proof: a CMS SignedData over the new request, signed with the key of the "
                    + "certificate being rekeyed");
        }
        if (proof.length > MAX_BYTES) {
            throw bad("the proof is " + proof.length + " bytes, more than the " + MAX_BYTES + " accepted");
        }
        byte[] der = isPem(proof) ? pemToDer(proof) : proof;
        CMSSignedData cms;
        try {
            cms = new CMSSignedData(der);
            if (cms.getSignedContent() == null) {
                cms = new CMSSignedData(new CMSProcessableByteArray(csrDer), der);
            } else if (!Arrays.equals((byte[]) cms.getSignedContent().getContent(), csrDer)) {
                throw bad("the proof signs other content than the new certification request; sign the DER of "
                        + "exactly the request sent as csr");
            }
        } catch (CMSException | RuntimeException e) {
            if (e instanceof DomainException d) {
                throw d;
            }
            throw bad("the proof is not a CMS SignedData (RFC 5652) in DER or PEM: " + e.getMessage());
        }
        Collection<SignerInformation> signers = cms.getSignerInfos().getSigners();
        if (signers.size() != 1) {
            throw bad("the proof has " + signers.size() + " signers; exactly one, the key being replaced, is needed");
        }
        SignerInformation signer = signers.iterator().next();
        boolean valid;
        try {
            valid = signer.verify(new JcaSimpleSignerInfoVerifierBuilder().setProvider(BouncyCastle.PROVIDER)
                    .build(oldCertificate));
        } catch (CMSException | OperatorCreationException | RuntimeException e) {
            valid = false;
        }
        if (!valid) {
            throw new DomainException(DomainException.Kind.FORBIDDEN, "the proof's signature does not verify under "
                    + "the key of the certificate being rekeyed; sign the new request with that certificate's "
                    + "private key (an expired or lost key cannot prove anything: then a new application is needed)",
                    FIELD);
        }
    }

    private static boolean isPem(byte[] input) {
        String head = new String(input, 0, Math.min(input.length, 64), StandardCharsets.ISO_8859_1).stripLeading();
        return head.startsWith("-----BEGIN ");
    }

    private static byte[] pemToDer(byte[] input) {
        String text = new String(input, StandardCharsets.US_ASCII).strip();
        int headerEnd = text.indexOf('\n');
        int footer = text.lastIndexOf("-----END ");
        if (headerEnd < 0 || footer < headerEnd) {
            throw bad("the PEM proof has no -----END line; send the whole PEM block or DER");
        }
        String label = text.substring("-----BEGIN ".length(), text.indexOf("-----", "-----BEGIN ".length()));
        if (!label.equals("CMS") && !label.equals("PKCS7")) {
            throw bad("the PEM proof is a \"" + Syntax.shown(label) + "\", not a CMS or PKCS7 block");
        }
        try {
            return Base64.getMimeDecoder().decode(text.substring(headerEnd + 1, footer));
        } catch (IllegalArgumentException e) {
            throw bad("the body of the PEM proof is not valid base64");
        }
    }

    private static DomainException bad(String message) {
        return DomainException.badRequest(FIELD, message);
    }
}
