package org.egovpki.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.Enumeration;
import java.util.concurrent.Callable;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.egovpki.core.crypto.BouncyCastle;
import org.egovpki.core.crypto.KeyAlgorithm;
import org.egovpki.core.enroll.SecondFactorLogin;
import org.egovpki.core.x509.Pem;
import org.egovpki.server.StartupException;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code egov-pki login}: an operator's two-factor login (docs/operations.md, "Two-factor login").
 * With the password it asks for a challenge ({@code POST /api/v1/login/challenge}), signs it with the
 * key of its operator certificate — from a PKCS#12 file, or PEM key and certificate files —, sends
 * it ({@code POST /api/v1/login}) and stores the session token in a file only its owner may read
 * ({@code --token-file}), or prints {@code export EGOVPKI_TOKEN=...}. Later API commands use the
 * token with {@code --token-file FILE}, or from {@code $EGOVPKI_TOKEN}.
 */
@Command(name = "login", mixinStandardHelpOptions = true,
        description = "Two-factor login: password plus the operator certificate's key signing a challenge; "
                + "stores or prints a session token for the other API commands.")
final class LoginCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--url", paramLabel = "URL", defaultValue = "http://127.0.0.1:8080",
            description = "the running server (default: ${DEFAULT-VALUE})")
    URI url;

    @Option(names = "--user", required = true, paramLabel = "UID", description = "operator login")
    String user;

    @Option(names = "--password-file", required = true, paramLabel = "FILE",
            description = "file holding the operator's password")
    Path passwordFile;

    @ArgGroup(exclusive = true, multiplicity = "1", heading = "The operator certificate and its key, one of:%n")
    KeySource key;

    static final class KeySource {
        @ArgGroup(exclusive = false)
        Pkcs12 pkcs12;

        @ArgGroup(exclusive = false)
        PemFiles pem;
    }

    static final class Pkcs12 {
        @Option(names = "--pkcs12", required = true, paramLabel = "FILE", description = "PKCS#12 file with the key "
                + "and the operator certificate")
        Path file;

        @Option(names = "--pkcs12-password-file", required = true, paramLabel = "FILE",
                description = "file holding the PKCS#12 password")
        Path passwordFile;
    }

    static final class PemFiles {
        @Option(names = "--key", required = true, paramLabel = "FILE", description = "PEM private key (PKCS#8 or EC)")
        Path key;

        @Option(names = "--certificate", required = true, paramLabel = "FILE", description = "PEM operator certificate")
        Path certificate;
    }

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "write the session token here (owner read/write only); without it, print "
                    + "export EGOVPKI_TOKEN=...")
    Path tokenFile;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "60",
            description = "how long to wait for the server (default: ${DEFAULT-VALUE})")
    int timeoutSeconds;

    /** The operator's key and certificate. */
    record Credentials(PrivateKey key, X509Certificate certificate) {
    }

    @Override
    public Integer call() throws Exception {
        Credentials credentials = key.pkcs12 != null ? pkcs12(key.pkcs12.file, key.pkcs12.passwordFile)
                : pem(key.pem.key, key.pem.certificate);
        ApiClient.Options options = new ApiClient.Options();
        options.url = url;
        options.user = user;
        options.passwordFile = passwordFile;
        options.timeoutSeconds = timeoutSeconds;
        ApiClient withPassword = options.client(null);
        ApiClient.Answer challenge = withPassword.send("POST", ApiClient.API + "/login/challenge", ApiClient.JSON,
                "{}".getBytes(StandardCharsets.UTF_8));
        if (!challenge.ok()) {
            return refused(challenge);
        }
        JsonNode asked = JSON.readTree(challenge.body());
        String algorithm = algorithm(credentials.certificate());
        Signature signer = Signature.getInstance(algorithm, BouncyCastle.PROVIDER);
        signer.initSign(credentials.key());
        signer.update(SecondFactorLogin.challengeMessage(asked.path("uid").asText(), asked.path("nonce").asText()));
        ObjectNode body = JSON.createObjectNode();
        body.put("nonce", asked.path("nonce").asText());
        body.put("algorithm", algorithm);
        body.put("signature", Base64.getEncoder().encodeToString(signer.sign()));
        body.put("certificate", Base64.getEncoder().encodeToString(credentials.certificate().getEncoded()));
        ApiClient anonymous = new ApiClient(url, Duration.ofSeconds(Math.max(1, timeoutSeconds)));
        ApiClient.Answer login = anonymous.send("POST", ApiClient.API + "/login", ApiClient.JSON,
                JSON.writeValueAsBytes(body));
        if (!login.ok()) {
            return refused(login);
        }
        JsonNode session = JSON.readTree(login.body());
        String token = session.path("token").asText();
        if (tokenFile != null) {
            writeOwnerOnly(tokenFile, token);
            out("logged in as " + session.path("uid").asText() + " until " + session.path("expiresAt").asText()
                    + "; session token in " + tokenFile + " (use --token-file " + tokenFile + ")");
        } else {
            out("export " + ApiClient.TOKEN_ENV + "=" + token);
            spec.commandLine().getErr().println("egov-pki: logged in as " + session.path("uid").asText() + " until "
                    + session.path("expiresAt").asText());
            spec.commandLine().getErr().flush();
        }
        return ApiClient.EXIT_OK;
    }

    /** The API's name of the signature algorithm of the certificate's key (SM2 by the curve, not the JCA name). */
    static String algorithm(X509Certificate certificate) {
        return switch (KeyAlgorithm.of(certificate.getPublicKey())) {
            case SM2 -> "SM3withSM2";
            case EC -> "SHA256withECDSA";
            case RSA -> "SHA256withRSA";
        };
    }

    static Credentials pkcs12(Path file, Path passwordFile) throws Exception {
        char[] password = Files.readString(existing(passwordFile), StandardCharsets.UTF_8).trim().toCharArray();
        KeyStore store = KeyStore.getInstance("PKCS12", BouncyCastle.PROVIDER);
        try (InputStream in = Files.newInputStream(existing(file))) {
            store.load(in, password);
        } catch (IOException e) {
            throw new StartupException("cannot open PKCS#12 file " + file + " (wrong password?): " + e.getMessage());
        }
        for (Enumeration<String> aliases = store.aliases(); aliases.hasMoreElements(); ) {
            String alias = aliases.nextElement();
            if (store.isKeyEntry(alias)) {
                return new Credentials((PrivateKey) store.getKey(alias, password),
                        Pem.parseCertificate(store.getCertificate(alias).getEncoded()));
            }
        }
        throw new StartupException("PKCS#12 file " + file + " holds no private key");
    }

    static Credentials pem(Path keyFile, Path certificateFile) throws Exception {
        X509Certificate certificate;
        try (PEMParser parser = new PEMParser(reader(certificateFile))) {
            Object object = parser.readObject();
            if (!(object instanceof org.bouncycastle.cert.X509CertificateHolder holder)) {
                throw new StartupException(certificateFile + " holds no PEM certificate");
            }
            certificate = Pem.parseCertificate(holder.getEncoded());
        }
        try (PEMParser parser = new PEMParser(reader(keyFile))) {
            Object object = parser.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter().setProvider(BouncyCastle.PROVIDER);
            PrivateKey key;
            if (object instanceof PrivateKeyInfo info) {
                key = converter.getPrivateKey(info);
            } else if (object instanceof PEMKeyPair pair) {
                key = converter.getKeyPair(pair).getPrivate();
            } else {
                throw new StartupException(keyFile + " holds no unencrypted PEM private key (PKCS#8 or EC)");
            }
            return new Credentials(key, certificate);
        }
    }

    private static Reader reader(Path file) throws IOException {
        return new StringReader(Files.readString(existing(file), StandardCharsets.US_ASCII));
    }

    private static Path existing(Path file) throws NoSuchFileException {
        if (!Files.isRegularFile(file)) {
            throw new StartupException("file " + file + " does not exist");
        }
        return file;
    }

    /** Writes the token so that only the owner can read it: created 0600, never widened. */
    static void writeOwnerOnly(Path file, String token) throws IOException {
        Files.deleteIfExists(file);
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(file);
        }
        Files.writeString(file, token + "\n", StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING);
    }

    private int refused(ApiClient.Answer answer) {
        spec.commandLine().getErr().println("egov-pki: HTTP " + answer.status() + " " + ApiClient.summary(answer));
        spec.commandLine().getErr().flush();
        return ApiClient.exitCode(answer.status());
    }

    private void out(String line) {
        spec.commandLine().getOut().println(line);
        spec.commandLine().getOut().flush();
    }
}
