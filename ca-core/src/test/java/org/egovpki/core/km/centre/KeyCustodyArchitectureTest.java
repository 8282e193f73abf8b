package org.egovpki.core.km.centre;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.egovpki.core.ca.Issuer;
import org.junit.jupiter.api.Test;

/**
 * "The CA side never holds the encryption private key in clear", kept true by construction and
 * checked here on the compiled classes: no CA-side class refers to the KM's internals (its key
 * store, key-encryption key, escrow, unwrapping), to the envelope opener, to SM4 (the envelope's
 * content cipher), or calls the envelope sealer (which takes a private key). The CA reaches the KM
 * only through signed messages (KmClient), and gets back a public key and an envelope for the
 * subscriber's token.
 */
class KeyCustodyArchitectureTest {

    /** Packages whose classes act for the CA (the KM is km.centre; the opener serves tokens and officers). */
    private static final List<String> CA_SIDE = List.of("org/egovpki/core/ca/", "org/egovpki/core/enroll/",
            "org/egovpki/core/revoke/", "org/egovpki/core/certificate/", "org/egovpki/core/x509/",
            "org/egovpki/core/ocsp/", "org/egovpki/core/profile/", "org/egovpki/core/km/Km",
            "org/egovpki/core/km/SignedMessage", "org/egovpki/core/km/EntityName");

    private static final List<String> FORBIDDEN = List.of("org/egovpki/core/km/centre/",
            "org/egovpki/core/km/EnvelopedKeys", "org/egovpki/core/crypto/Sm4", "org/egovpki/core/crypto/SealedSecretFile");

    @Test
    void noCaSideClassReachesTheKmsKeysOrOpensOrSealsAnEnvelope() throws Exception {
        Path classes = classesRoot();
        List<String> violations = new ArrayList<>();
        int checked = 0;
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                String name = classes.relativize(file).toString().replace('\\', '/');
                if (CA_SIDE.stream().noneMatch(name::startsWith)) {
                    continue;
                }
                checked++;
                String constants = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
                for (String forbidden : FORBIDDEN) {
                    if (constants.contains(forbidden)) {
                        violations.add(name + " refers to " + forbidden);
                    }
                }
                // A method named "seal" in the constant pool: a call of Sm2EnvelopedKey.seal (u2 length 4, "seal").
                if (constants.contains("org/egovpki/core/km/Sm2EnvelopedKey") && constants.contains("\u0000\u0004seal")) {
                    violations.add(name + " calls Sm2EnvelopedKey.seal");
                }
            }
        }
        assertThat(checked).as("CA-side classes found (is the class directory right?)").isGreaterThan(50);
        assertThat(violations).isEmpty();
    }

    @Test
    void theCheckWouldSeeAReference() throws Exception {
        // The KM's own classes do refer to those things: the scan is not blind.
        Path escrow = classesRoot().resolve("org/egovpki/core/km/centre/KeyEscrow.class");
        String constants = new String(Files.readAllBytes(escrow), StandardCharsets.ISO_8859_1);
        assertThat(constants).contains("org/egovpki/core/crypto/Sm4").contains("\u0000\u0004seal");
    }

    private static Path classesRoot() throws URISyntaxException, IOException {
        Path issuer = Path.of(Issuer.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        assertThat(Files.isDirectory(issuer)).as("ca-core classes as a directory").isTrue();
        return issuer;
    }
}
