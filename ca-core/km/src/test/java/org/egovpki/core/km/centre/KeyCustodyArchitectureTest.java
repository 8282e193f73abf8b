package org.egovpki.core.km.centre;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.egovpki.core.ca.Issuer;
import org.egovpki.core.enroll.EnrollmentService;
import org.egovpki.core.x509.Pem;
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
        List<String> violations = new ArrayList<>();
        int checked = 0;
        // The CA side spans three modules: the kernel (x509, certificate, the KM messages), the RA and the CA.
        for (Class<?> anchor : List.of(Pem.class, EnrollmentService.class, Issuer.class)) {
            try (ClassesRoot root = ClassesRoot.of(anchor); Stream<Path> files = Files.walk(root.path())) {
                for (Path file : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                    String name = root.path().relativize(file).toString().replace('\\', '/');
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
        }
        assertThat(checked).as("CA-side classes found (are the class roots right?)").isGreaterThan(50);
        assertThat(violations).isEmpty();
    }

    @Test
    void theCheckWouldSeeAReference() throws Exception {
        // The KM's own classes do refer to those things: the scan is not blind.
        try (ClassesRoot root = ClassesRoot.of(KeyEscrow.class)) {
            Path escrow = root.path().resolve("org/egovpki/core/km/centre/KeyEscrow.class");
            String constants = new String(Files.readAllBytes(escrow), StandardCharsets.ISO_8859_1);
            assertThat(constants).contains("org/egovpki/core/crypto/Sm4").contains("\u0000\u0004seal");
        }
    }

    /** Where a module's classes are: a directory ({@code mvn test}) or its jar (a reactor build past {@code package}). */
    private record ClassesRoot(Path path, FileSystem jar) implements AutoCloseable {

        static ClassesRoot of(Class<?> anchor) throws URISyntaxException, IOException {
            Path location = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isDirectory(location)) {
                return new ClassesRoot(location, null);
            }
            FileSystem jar = FileSystems.newFileSystem(location);
            return new ClassesRoot(jar.getPath("/"), jar);
        }

        @Override
        public void close() throws IOException {
            if (jar != null) {
                jar.close();
            }
        }
    }
}
