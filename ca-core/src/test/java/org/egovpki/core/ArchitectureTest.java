package org.egovpki.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * ca-core is the domain: it must not reach infrastructure. (The ca-core POM also bans those
 * dependencies, so the build fails before this test could; this test states the rule in code.)
 */
class ArchitectureTest {

    private final JavaClasses core = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.egovpki.core");

    @Test
    void coreDependsOnNoInfrastructure() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage(
                        "org.apache.camel..", "org.eclipse.jetty..", "org.apache.directory..", "com.unboundid..",
                        "org.egovpki.directory..", "org.egovpki.routes..", "org.egovpki.server..")
                .because("ca-core is the domain; infrastructure depends on it, never the reverse")
                .check(core);
    }

    @Test
    void onlyTheCaPackagesTouchTheSigner() {
        noClasses().that().resideOutsideOfPackages("org.egovpki.core.crypto..", "org.egovpki.core.x509..",
                        "org.egovpki.core.ca..", "org.egovpki.core.ocsp..", "org.egovpki.core.km.centre..")
                .should().dependOnClassesThat().haveFullyQualifiedName("org.egovpki.core.crypto.CaSigner")
                .because("one class holds each private key; only the CA's own services (issuing, CRLs, OCSP) and "
                        + "the KM (its own answer-signing key) sign")
                .check(core);
    }
}
