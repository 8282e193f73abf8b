package org.egovpki.core.crypto;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1UTF8String;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.crypto.PBEParametersGenerator;
import org.bouncycastle.crypto.digests.SM3Digest;
import org.bouncycastle.crypto.generators.PKCS5S2ParametersGenerator;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * A 16-byte secret (an SM4 key) kept in a file, sealed under a password:
 * <pre>
 * SealedSecret ::= SEQUENCE {
 *   version    INTEGER (1),
 *   id         UTF8String,      -- the secret's name, also the GCM additional data
 *   salt       OCTET STRING,    -- 16 random bytes
 *   iterations INTEGER,         -- PBKDF2 with HMAC-SM3
 *   iv         OCTET STRING,    -- 12 random bytes
 *   sealed     OCTET STRING }   -- SM4-GCM(secret) with its 16-byte tag
 * </pre>
 * This is how the KM's key-encryption key rests on disk. PKCS#12 and BCFKS cannot hold an SM4
 * secret key (Bouncy Castle's BCFKS refuses algorithms it does not know), so the format is our
 * own, made of standard parts; with an HSM the key would never leave it. A wrong password and a
 * changed file are both caught by the GCM tag. Files are written owner-only, atomically.
 */
public final class SealedSecretFile {

    private static final int VERSION = 1;
    private static final int ITERATIONS = 200_000;
    private static final int SECRET_LENGTH = 16;

    private SealedSecretFile() {
    }

    /** Seals {@code secret} under {@code password} into {@code file}, which must not exist yet. */
    public static void write(Path file, String id, byte[] secret, char[] password, SecureRandom random) {
        if (secret.length != SECRET_LENGTH) {
            throw new IllegalArgumentException("a sealed secret is " + SECRET_LENGTH + " bytes, not " + secret.length);
        }
        if (Files.exists(file)) {
            throw new IllegalStateException(file + " exists; a sealed secret is never overwritten");
        }
        byte[] salt = new byte[16];
        byte[] iv = new byte[12];
        random.nextBytes(salt);
        random.nextBytes(iv);
        byte[] key = derive(password, salt, ITERATIONS);
        try {
            byte[] sealed = Sm4.encryptGcm(key, iv, id.getBytes(StandardCharsets.UTF_8), secret);
            byte[] der = new DERSequence(new ASN1Encodable[] {new ASN1Integer(VERSION), new DERUTF8String(id),
                    new DEROctetString(salt), new ASN1Integer(ITERATIONS), new DEROctetString(iv),
                    new DEROctetString(sealed)}).getEncoded("DER");
            Files.createDirectories(file.toAbsolutePath().getParent());
            AtomicFiles.writeOwnerOnly(file, der);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write sealed secret " + file, e);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /**
     * Opens the secret in {@code file}.
     *
     * @throws IllegalStateException if the file is unreadable, malformed, not for {@code id}, or
     *     the password is wrong (or the file was changed: the two are indistinguishable)
     */
    public static byte[] read(Path file, String id, char[] password) {
        Objects.requireNonNull(id, "id");
        ASN1Sequence seq;
        try {
            seq = ASN1Sequence.getInstance(ASN1Primitive.fromByteArray(Files.readAllBytes(file)));
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("sealed secret " + file + " cannot be read: " + e.getMessage(), e);
        }
        if (seq.size() != 6 || ASN1Integer.getInstance(seq.getObjectAt(0)).intValueExact() != VERSION) {
            throw new IllegalStateException("sealed secret " + file + " is not in format version " + VERSION);
        }
        String stored = ASN1UTF8String.getInstance(seq.getObjectAt(1)).getString();
        if (!stored.equals(id)) {
            throw new IllegalStateException("sealed secret " + file + " holds '" + stored + "', not '" + id + "'");
        }
        BigInteger iterations = ASN1Integer.getInstance(seq.getObjectAt(3)).getValue();
        byte[] key = derive(password, octets(seq, 2), iterations.intValueExact());
        try {
            return Sm4.decryptGcm(key, octets(seq, 4), id.getBytes(StandardCharsets.UTF_8), octets(seq, 5));
        } catch (Sm4.AuthenticationFailedException e) {
            throw new IllegalStateException("sealed secret " + file + " does not open with this password (or the file "
                    + "was changed)", e);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    private static byte[] octets(ASN1Sequence seq, int index) {
        return ASN1OctetString.getInstance(seq.getObjectAt(index)).getOctets();
    }

    private static byte[] derive(char[] password, byte[] salt, int iterations) {
        PKCS5S2ParametersGenerator generator = new PKCS5S2ParametersGenerator(new SM3Digest());
        byte[] passwordBytes = PBEParametersGenerator.PKCS5PasswordToUTF8Bytes(password);
        generator.init(passwordBytes, salt, iterations);
        Arrays.fill(passwordBytes, (byte) 0);
        return ((KeyParameter) generator.generateDerivedParameters(SECRET_LENGTH * 8)).getKey();
    }
}
