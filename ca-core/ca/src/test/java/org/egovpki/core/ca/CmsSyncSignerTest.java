package org.egovpki.core.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.SignatureException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.gm.GMObjectIdentifiers;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.egovpki.core.crypto.CaKeyStore;
import org.egovpki.core.crypto.InMemoryCaKeyStore;
import org.egovpki.core.crypto.KeyAlgorithm;
import org.egovpki.core.x509.CaCertificateFactory;
import org.egovpki.core.x509.OpenSsl;
import org.egovpki.core.x509.Pem;
import org.egovpki.core.x509.SyncSigningCertificates;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The sync signature: detached CMS without signed attributes by the CA's sync signer, verified by
 * Bouncy Castle as docs/sync.md shows it, and by the openssl command line as docs/sync.md shows it.
 */
class CmsSyncSignerTest {

    private static final byte[] BODY = ("{\"specversion\":\"1.0\",\"id\":\"root/1A2B3C/issued\","
            + "\"data\":{\"subscriber\":{\"name\":\"王𠀀\"}}}").getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    private final SecureRandom random = new SecureRandom();
    private final RecordingAuditLog audit = new RecordingAuditLog();
    /**
     * The sync signers' keys, one store per test as one file was. In memory: the PKCS#12 file costs seconds per
     * open and per put, and its round trip is Pkcs12CaKeyStoreTest's subject.
     */
    private final CaKeyStore syncKeyStore = new InMemoryCaKeyStore(random);
    /** Near the real time: the Bouncy Castle snippet and openssl check validity against the real clock. */
    private final Clock clock = Clock.fixed(Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(60), ZoneOffset.UTC);

    @ParameterizedTest
    @EnumSource(KeyAlgorithm.class)
    void aDetachedCmsWithoutSignedAttributesThatBouncyCastleVerifiesOverTheExactBody(KeyAlgorithm algorithm)
            throws Exception {
        CaRegistry registry = root(algorithm);
        CertificateAuthority ca = registry.all().iterator().next();
        SyncSigners signers = signers(registry);
        CmsSyncSigner signer = new CmsSyncSigner(signers);

        byte[] signature = signer.sign(ca.name(), BODY);

        X509Certificate syncSigner = verifySyncSignature(BODY, signature, ca.certificate());
        assertThat(syncSigner).isEqualTo(signer.chain(ca.name()).get(0));
        assertThat(signer.chain(ca.name())).hasSize(2).endsWith(ca.certificate());
        CMSSignedData cms = new CMSSignedData(signature);
        assertThat(cms.isDetachedSignature()).isTrue();
        assertThat(cms.getSignedContent()).isNull();
        assertThat(cms.getEncoded("DER")).as("DER, not BER").isEqualTo(signature);
        assertThat(cms.getCertificates().getMatches(null)).hasSize(1);
        SignerInformation info = cms.getSignerInfos().getSigners().iterator().next();
        assertThat(info.getSignedAttributes()).isNull();
        assertThat(info.getUnsignedAttributes()).isNull();
        assertThat(info.getDigestAlgOID()).isEqualTo(algorithm == KeyAlgorithm.SM2
                ? GMObjectIdentifiers.sm3.getId() : NISTObjectIdentifiers.id_sha256.getId());

        byte[] tampered = BODY.clone();
        tampered[tampered.length - 3] ^= 1;
        assertThatThrownBy(() -> verifySyncSignature(tampered, signature, ca.certificate()))
                .isInstanceOf(SignatureException.class);
        assertThatThrownBy(() -> verifySyncSignature(BODY, signature, root(algorithm).all().iterator().next().certificate()))
                .as("another CA's signer").isInstanceOf(SignatureException.class);
    }

    @Test
    void signsWithTheRenewedKeyOnceRenewedAndRefusesAnUnknownCa() throws Exception {
        CaRegistry registry = root(KeyAlgorithm.EC);
        CertificateAuthority ca = registry.all().iterator().next();
        SyncSigners signers = signers(registry);
        CmsSyncSigner signer = new CmsSyncSigner(signers);
        X509Certificate before = verifySyncSignature(BODY, signer.sign(ca.name(), BODY), ca.certificate());

        X509Certificate replacement = signers.renewNow(ca.name());

        X509Certificate after = verifySyncSignature(BODY, signer.sign(ca.name(), BODY), ca.certificate());
        assertThat(after).isEqualTo(replacement).isNotEqualTo(before);
        assertThatThrownBy(() -> signer.sign("no-such-ca", BODY)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no-such-ca");
    }

    @Test
    void manyThreadsSignAtOnceAndEverySignatureVerifies() throws Exception {
        CaRegistry registry = root(KeyAlgorithm.SM2);
        CertificateAuthority ca = registry.all().iterator().next();
        CmsSyncSigner signer = new CmsSyncSigner(signers(registry));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<byte[]>> tasks = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                byte[] body = ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8);
                tasks.add(() -> {
                    byte[] signature = signer.sign(ca.name(), body);
                    verifySyncSignature(body, signature, ca.certificate());
                    return signature;
                });
            }
            for (Future<byte[]> result : pool.invokeAll(tasks)) {
                assertThat(result.get()).isNotEmpty();
            }
        } finally {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    /** docs/sync.md, "Verifying with OpenSSL" for SM2: the same shell commands, run as written there. */
    @Test
    void openSslVerifiesAnSm2SignatureWithDgstAndTheDefaultId() throws Exception {
        Assumptions.assumeTrue(OpenSsl.onPath(), "openssl is not on PATH: cannot check the SM2 signature with openssl");
        CaRegistry registry = root(KeyAlgorithm.SM2);
        CertificateAuthority ca = registry.all().iterator().next();
        writeMessage(new CmsSyncSigner(signers(registry)).sign(ca.name(), BODY), BODY);
        Files.writeString(dir.resolve("ca.pem"), Pem.certificate(ca.certificate()), StandardCharsets.US_ASCII);

        Shell result = shell("""
                set -e
                base64 -d < signature.b64 > signature.der
                openssl pkcs7 -inform DER -in signature.der -print_certs -out signer.pem
                openssl x509 -in signer.pem -noout -pubkey > signer-pub.pem
                offset=$(openssl asn1parse -inform DER -in signature.der | grep 'OCTET STRING' | tail -n 1 | cut -d: -f1)
                openssl asn1parse -inform DER -in signature.der -strparse $offset -noout -out sig.der
                openssl dgst -sm3 -sigopt distid:1234567812345678 -verify signer-pub.pem -signature sig.der body.json
                """);
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("Verified OK");

        Files.write(dir.resolve("body.json"), tamper(BODY));
        Shell tampered = shell("openssl dgst -sm3 -sigopt distid:1234567812345678 -verify signer-pub.pem "
                + "-signature sig.der body.json");
        assertThat(tampered.exitCode()).as(tampered.output()).isNotZero();
        assertThat(tampered.output()).contains("Verification failure");

        Shell otherId = shell("openssl dgst -sm3 -sigopt distid:1234567812345679 -verify signer-pub.pem "
                + "-signature sig.der body.json");
        assertThat(otherId.exitCode()).as("the signature is bound to the default ID: " + otherId.output()).isNotZero();
    }

    /** docs/sync.md, "Verifying with OpenSSL" for RSA and ECDSA: {@code openssl cms -verify} against the CA. */
    @ParameterizedTest
    @EnumSource(value = KeyAlgorithm.class, names = {"RSA", "EC"})
    void openSslCmsVerifiesAnRsaOrEcdsaSignatureAgainstTheCa(KeyAlgorithm algorithm) throws Exception {
        Assumptions.assumeTrue(OpenSsl.onPath(), "openssl is not on PATH: cannot check the CMS with openssl");
        CaRegistry registry = root(algorithm);
        CertificateAuthority ca = registry.all().iterator().next();
        writeMessage(new CmsSyncSigner(signers(registry)).sign(ca.name(), BODY), BODY);
        Files.writeString(dir.resolve("ca.pem"), Pem.certificate(ca.certificate()), StandardCharsets.US_ASCII);
        String verify = "openssl cms -verify -binary -inform DER -in signature.der -content body.json "
                + "-CAfile ca.pem -purpose any -out /dev/null";

        Shell result = shell("set -e\nbase64 -d < signature.b64 > signature.der\n" + verify);
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("Verification successful");

        Files.write(dir.resolve("body.json"), tamper(BODY));
        Shell tampered = shell(verify);
        assertThat(tampered.exitCode()).as(tampered.output()).isNotZero();
        assertThat(tampered.output()).contains("Verification failure");
    }

    // ---- docs/sync.md shows this method verbatim (the receiver's check in Java) ----

    static final Provider BC = new BouncyCastleProvider();
    static final String SYNC_SIGNING = "2.25.181821722204100531762351466650690192293.9.1";

    /**
     * Checks a sync message: {@code signature} is the Egov-Sync-Signature header, base64-decoded;
     * {@code body} the exact bytes received; {@code ca} the certificate of the CA the message is
     * about. Returns the sync-signing certificate, or throws.
     */
    static X509Certificate verifySyncSignature(byte[] body, byte[] signature, X509Certificate ca) throws Exception {
        CMSSignedData cms = new CMSSignedData(new CMSProcessableByteArray(body), signature);
        if (cms.getSignerInfos().size() != 1) {
            throw new SignatureException("expected exactly one signer");
        }
        SignerInformation signerInfo = cms.getSignerInfos().getSigners().iterator().next();
        if (signerInfo.getSignedAttributes() != null) {
            throw new SignatureException("a sync signature has no signed attributes");
        }
        X509CertificateHolder holder = (X509CertificateHolder) cms.getCertificates()
                .getMatches(signerInfo.getSID()).iterator().next();
        X509Certificate signer = new JcaX509CertificateConverter().setProvider(BC).getCertificate(holder);
        signer.verify(ca.getPublicKey(), BC);                          // issued by that CA,
        signer.checkValidity();                                         // valid now,
        if (signer.getExtendedKeyUsage() == null || !signer.getExtendedKeyUsage().contains(SYNC_SIGNING)) {
            throw new SignatureException("not a sync-signing certificate");  // and a sync signer
        }
        if (!signerInfo.verify(new JcaSimpleSignerInfoVerifierBuilder().setProvider(BC).build(signer))) {
            throw new SignatureException("the signature does not match the body");
        }
        return signer;
    }

    // ---- helpers ----

    private record Shell(int exitCode, String output) {
    }

    private Shell shell(String script) throws IOException, InterruptedException {
        Path log = Files.createTempFile(dir, "sh-", ".log");
        Process process = new ProcessBuilder("sh", "-c", script).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("the shell did not finish in 60 s:\n" + script + "\n" + Files.readString(log));
        }
        return new Shell(process.exitValue(), script + "\n--- output:\n" + Files.readString(log));
    }

    /** What a receiver has: the body bytes and the header value. */
    private void writeMessage(byte[] signature, byte[] body) throws IOException {
        Files.write(dir.resolve("body.json"), body);
        Files.writeString(dir.resolve("signature.b64"), Base64.getEncoder().encodeToString(signature),
                StandardCharsets.US_ASCII);
    }

    private static byte[] tamper(byte[] body) {
        byte[] tampered = body.clone();
        tampered[5] ^= 1;
        return tampered;
    }

    private CaRegistry root(KeyAlgorithm algorithm) {
        String prefix = algorithm.name().toLowerCase(Locale.ROOT);
        InMemoryCaRepository repository = new InMemoryCaRepository();
        return new CaBootstrap(new InMemoryCaKeyStore(random), new CaCertificateFactory(clock, random), repository,
                repository.publisher(audit, clock),
                new TestUrls(), audit, clock, random).bootstrap(List.of(new CaDefinition(prefix + "-root", CaRole.ROOT,
                algorithm, "CN=" + prefix + " Root,O=egov-pki,C=CN", Period.ofYears(30), null)));
    }

    private SyncSigners signers(CaRegistry registry) {
        return new SyncSigners(registry, syncKeyStore,
                new SyncSigningCertificates(clock, random), audit, clock, random, SyncSignersTest.VALIDITY);
    }
}
