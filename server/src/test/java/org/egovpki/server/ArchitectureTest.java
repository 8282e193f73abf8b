package org.egovpki.server;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The shape of the code, checked on the product's main classes (this module sees every module).
 *
 * <p>The domain, {@code ca-core}, is split by security context (docs/architecture.md):
 * the kernel (values every context shares), the RA ({@code enroll}), the CA ({@code ca},
 * {@code ocsp}, {@code revoke}) and the KM centre ({@code km.centre}). Maven already stops a module
 * from importing one it does not depend on, and the enforcer bans a dependency against the
 * direction; these rules say the same in code and add what Maven cannot see: cycles between
 * packages, and which classes may hold a private key or write certificate records.
 */
class ArchitectureTest {

    private static final String[] KERNEL = {"org.egovpki.core", "org.egovpki.core.audit..",
            "org.egovpki.core.crypto..", "org.egovpki.core.privacy..", "org.egovpki.core.profile..",
            "org.egovpki.core.x509..", "org.egovpki.core.certificate..", "org.egovpki.core.operator..",
            "org.egovpki.core.dualcontrol..",
            "org.egovpki.core.km"};
    private static final String RA = "org.egovpki.core.enroll..";
    private static final String[] CA = {"org.egovpki.core.ca..", "org.egovpki.core.ocsp..", "org.egovpki.core.revoke..",
            "org.egovpki.core.stats.."};
    private static final String KM = "org.egovpki.core.km.centre..";

    /**
     * Our main classes wherever they are on the class path: directories under {@code mvn test},
     * the modules' jars once a reactor build has packaged them ({@code mvn verify}). A rule whose
     * {@code that()} matches nothing fails (ArchUnit's default), so a class path without them cannot
     * pass by checking nothing. Imported once for the class: an import scans the class path and
     * took about ten seconds per rule when each test imported its own.
     */
    private static final JavaClasses PRODUCT = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            // test fixtures the server's tests use (ca's test-jar) are tests too, also when packaged
            .withImportOption(location -> !location.contains("-tests.jar"))
            .importPackages("org.egovpki");

    @Test
    void coreDependsOnNoInfrastructure() {
        noClasses().that().resideInAPackage("org.egovpki.core..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "org.apache.camel..", "org.eclipse.jetty..", "org.apache.directory..", "com.unboundid..",
                        "org.egovpki.directory..", "org.egovpki.routes..", "org.egovpki.server..")
                .because("ca-core is the domain; infrastructure depends on it, never the reverse")
                .check(PRODUCT);
    }

    @Test
    void noPackageCycles() {
        slices().matching("org.egovpki.(**)").should().beFreeOfCycles()
                .because("a cycle makes two packages one; split the shared part out or invert it with a port")
                .check(PRODUCT);
    }

    @Test
    void theKernelDependsOnNoSecurityContext() {
        noClasses().that().resideInAnyPackage(KERNEL)
                .should().dependOnClassesThat().resideInAnyPackage(RA, CA[0], CA[1], CA[2], CA[3], KM)
                .because("the kernel is what every context shares; it knows none of them")
                .check(PRODUCT);
    }

    @Test
    void theRaReachesTheCaOnlyThroughItsIssuancePort() {
        noClasses().that().resideInAPackage(RA)
                .should().dependOnClassesThat().resideInAnyPackage(CA[0], CA[1], CA[2], CA[3], KM)
                .because("the RA hands approved requests to enroll.Issuance; the dependency points from the CA "
                        + "to the RA's request model only")
                .check(PRODUCT);
    }

    @Test
    void theKmCentreKnowsOnlyTheKernel() {
        noClasses().that().resideInAPackage(KM)
                .should().dependOnClassesThat().resideInAnyPackage(RA, CA[0], CA[1], CA[2], CA[3])
                .because("the CA reaches the KM centre only through the signed KM messages (org.egovpki.core.km)")
                .check(PRODUCT);
        noClasses().that().resideInAnyPackage(CA)
                .should().dependOnClassesThat().resideInAPackage(KM)
                .because("the CA reaches the KM centre only through the signed KM messages (org.egovpki.core.km)")
                .check(PRODUCT);
    }

    @Test
    void onlyTheCaPackagesTouchTheSigner() {
        noClasses().that().resideOutsideOfPackages("org.egovpki.core.crypto..", "org.egovpki.core.x509..",
                        "org.egovpki.core.ca..", "org.egovpki.core.ocsp..", "org.egovpki.core.km.centre..")
                .should().dependOnClassesThat().haveFullyQualifiedName("org.egovpki.core.crypto.CaSigner")
                .because("one class holds each private key; only the CA's own services (issuing, CRLs, OCSP) and "
                        + "the KM (its own answer-signing key) sign")
                .check(PRODUCT);
    }

    @Test
    void onlyTheIssuerAndRevocationWriteCertificateRecords() {
        noClasses().that().resideOutsideOfPackages("org.egovpki.core.certificate..", "org.egovpki.core.ca..",
                        "org.egovpki.core.revoke..", "org.egovpki.directory..", "org.egovpki.server..")
                .should().dependOnClassesThat().haveFullyQualifiedName("org.egovpki.core.certificate.CertificateStore")
                .because("readers get the read-only CertificateRecords; the issuer and revocation hold the writer "
                        + "(the directory implements it and the launcher hands it to them)")
                .check(PRODUCT);
    }
}
