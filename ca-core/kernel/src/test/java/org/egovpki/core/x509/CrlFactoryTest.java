package org.egovpki.core.x509;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.egovpki.core.x509.TestCas.CLOCK;
import static org.egovpki.core.x509.TestCas.NOW;
import static org.egovpki.core.x509.TestCas.RANDOM;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import javax.security.auth.x500.X500Principal;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1GeneralizedTime;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.ASN1UTCTime;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.CertificateList;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.IssuingDistributionPoint;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.TBSCertList;
import org.bouncycastle.asn1.x509.Time;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.egovpki.core.crypto.BouncyCastle;
import org.egovpki.core.crypto.CaSigner;
import org.egovpki.core.crypto.KeyAlgorithm;
import org.egovpki.core.x509.TestCas.Ca;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CrlFactoryTest {

    private static final Instant REVOKED_AT = Instant.parse("2025-05-30T10:15:30Z");
    private static final Instant COMPROMISED_AT = Instant.parse("2025-05-29T00:00:00Z");
    private static final String PARTITION_HTTP = "http://pki.egov-pki.test/crl/root-7.crl";
    private static final String PARTITION_LDAP =
            "ldap://ldap.egov-pki.test/cn=crl7,cn=root,ou=ca,o=egov-pki,c=cn?certificateRevocationList;binary";
    private static final String DELTA_HTTP = "http://pki.egov-pki.test/crl/root-delta.crl";

    static RevokedEntry keyCompromise() {
        return new RevokedEntry(new BigInteger("1234567890abcdef", 16), REVOKED_AT, CRLReason.keyCompromise, COMPROMISED_AT);
    }

    static RevokedEntry withoutDetails() {
        return RevokedEntry.of(new BigInteger("42"), REVOKED_AT);
    }

    static EncodedCrl build(Ca ca, CrlRequest request, RevokedEntry... entries) {
        return new CrlFactory(CLOCK).build(request, RevokedEntrySource.of(List.of(entries)), ca.certificate(), ca.signer());
    }

    @ParameterizedTest
    @EnumSource(KeyAlgorithm.class)
    void crlVerifiesUnderTheCaKeyAndCarriesTheProfile(KeyAlgorithm algorithm) throws Exception {
        Ca ca = TestCas.root(algorithm);

        EncodedCrl encoded = build(ca, CrlRequest.of(BigInteger.valueOf(7)), keyCompromise(), withoutDetails());

        X509CRL crl = Pem.parseCrl(encoded.der()); // Bouncy Castle, and the DER re-encodes identically
        crl.verify(ca.certificate().getPublicKey(), BouncyCastle.PROVIDER);
        assertThat(crl.getVersion()).isEqualTo(2);
        assertThat(crl.getIssuerX500Principal()).isEqualTo(ca.certificate().getSubjectX500Principal());
        assertThat(crl.getSigAlgOID()).isEqualTo(TestCas.signatureOid(algorithm));
        assertThat(crl.getCriticalExtensionOIDs()).isNullOrEmpty();
        assertThat(crl.getRevokedCertificates()).hasSize(2);

        X509CRLHolder holder = new X509CRLHolder(encoded.der());
        assertThat(holder.isSignatureValid(new JcaContentVerifierProviderBuilder().setProvider(BouncyCastle.PROVIDER)
                .build(ca.certificate()))).isTrue();
        Extensions extensions = holder.getExtensions();
        assertThat(CRLNumber.getInstance(extensions.getExtensionParsedValue(Extension.cRLNumber)).getCRLNumber())
                .isEqualTo(7);
        assertThat(extensions.getExtension(Extension.cRLNumber).isCritical()).isFalse();
        byte[] caSki = SubjectKeyIdentifier.fromExtensions(CaCertificateFactoryTest.extensionsOf(ca.certificate()))
                .getKeyIdentifier();
        assertThat(AuthorityKeyIdentifier.fromExtensions(extensions).getKeyIdentifierOctets()).isEqualTo(caSki);

        assertThat(encoded.crlNumber()).isEqualTo(7);
        assertThat(encoded.baseCrlNumber()).isNull();
        assertThat(encoded.isDelta()).isFalse();
        assertThat(encoded.entryCount()).isEqualTo(2);
        assertThat(encoded.thisUpdate()).isEqualTo(crl.getThisUpdate().toInstant());
        assertThat(encoded.nextUpdate()).isEqualTo(crl.getNextUpdate().toInstant());
        assertThat(encoded.derLength()).isEqualTo(crl.getEncoded().length);
    }

    @ParameterizedTest
    @EnumSource(KeyAlgorithm.class)
    void theJdkCertificateFactoryParsesItAndVerifiesEcAndRsa(KeyAlgorithm algorithm) throws Exception {
        Ca ca = TestCas.root(algorithm);
        EncodedCrl encoded = build(ca, CrlRequest.of(BigInteger.TEN), keyCompromise(), withoutDetails());

        X509CRL crl = (X509CRL) CertificateFactory.getInstance("X.509")
                .generateCRL(new ByteArrayInputStream(encoded.der()));

        assertThat(crl.getClass().getName()).startsWith("sun.security.");
        assertThat(crl.getRevokedCertificate(keyCompromise().serial()).getRevocationReason())
                .hasToString("KEY_COMPROMISE");
        assertThat(crl.getThisUpdate().toInstant()).isEqualTo(encoded.thisUpdate());
        if (algorithm != KeyAlgorithm.SM2) { // the JDK has no SM3withSM2
            crl.verify(ca.certificate().getPublicKey());
        }
    }

    @Test
    void rsaCrlIsByteForByteWhatBouncyCastlesBuilderMakes() throws Exception {
        // PKCS#1 v1.5 signatures are deterministic, so the whole CRL can be compared.
        Ca ca = TestCas.root(KeyAlgorithm.RSA);
        List<RevokedEntry> entries = List.of(keyCompromise(), withoutDetails(),
                new RevokedEntry(BigInteger.valueOf(0x80), REVOKED_AT, CRLReason.superseded, null),
                new RevokedEntry(BigInteger.ONE.shiftLeft(159), Instant.parse("2050-01-01T00:00:00Z"),
                        CRLReason.cessationOfOperation, Instant.parse("2049-12-31T23:59:59Z")),
                new RevokedEntry(BigInteger.valueOf(7), Instant.parse("1949-12-31T23:59:59Z"), CRLReason.aACompromise,
                        null));

        EncodedCrl ours = build(ca, CrlRequest.of(BigInteger.valueOf(300)), entries.toArray(RevokedEntry[]::new));

        Instant thisUpdate = NOW.truncatedTo(ChronoUnit.SECONDS);
        X509v2CRLBuilder builder = new X509v2CRLBuilder(
                X500Name.getInstance(ca.certificate().getSubjectX500Principal().getEncoded()), Date.from(thisUpdate));
        builder.setNextUpdate(Date.from(thisUpdate.plus(Duration.ofHours(24))));
        for (RevokedEntry entry : entries) {
            List<Extension> extensions = new ArrayList<>();
            if (entry.reasonCode() != null) {
                extensions.add(Extension.create(Extension.reasonCode, false, CRLReason.lookup(entry.reasonCode())));
            }
            if (entry.invalidityDate() != null) {
                extensions.add(Extension.create(Extension.invalidityDate, false,
                        new ASN1GeneralizedTime(Date.from(entry.invalidityDate()))));
            }
            builder.addCRLEntry(entry.serial(), Date.from(entry.revocationDate()),
                    extensions.isEmpty() ? null : new Extensions(extensions.toArray(Extension[]::new)));
        }
        builder.addExtension(Extension.cRLNumber, false, new CRLNumber(BigInteger.valueOf(300)));
        builder.addExtension(Extension.authorityKeyIdentifier, false,
                new AuthorityKeyIdentifier(KeyIdentifiers.ofIssuer(ca.certificate())));
        byte[] bouncyCastle = builder.build(ca.signer().contentSigner()).getEncoded();

        assertThat(ours.der()).isEqualTo(bouncyCastle);
    }

    @Test
    void entriesCarryReasonCodeAndInvalidityDateWhenGiven() throws Exception {
        Ca ca = TestCas.root(KeyAlgorithm.EC);

        X509CRL crl = Pem.parseCrl(build(ca, CrlRequest.of(BigInteger.TWO), keyCompromise(), withoutDetails()).der());

        X509CRLEntry compromised = crl.getRevokedCertificate(keyCompromise().serial());
        assertThat(compromised.getRevocationDate().toInstant()).isEqualTo(REVOKED_AT);
        assertThat(CRLReason.getInstance(octets(compromised.getExtensionValue(Extension.reasonCode.getId())))
                .getValue().intValue())
                .isEqualTo(CRLReason.keyCompromise);
        assertThat(ASN1GeneralizedTime.getInstance(octets(compromised.getExtensionValue(Extension.invalidityDate.getId())))
                .getDate().toInstant()).isEqualTo(COMPROMISED_AT);
        assertThat(compromised.getCriticalExtensionOIDs()).isNullOrEmpty();

        X509CRLEntry plain = crl.getRevokedCertificate(withoutDetails().serial());
        assertThat(plain.hasExtensions()).isFalse();
    }

    @Test
    void everyReasonAFullCrlAllowsComesOutAsGiven() throws Exception {
        Ca ca = TestCas.root(KeyAlgorithm.EC);
        List<RevokedEntry> entries = new ArrayList<>();
        for (int reason : RevokedEntry.ALLOWED_REASON_CODES) {
            entries.add(new RevokedEntry(BigInteger.valueOf(1000 + reason), REVOKED_AT.plusSeconds(reason), reason,
                    reason == CRLReason.keyCompromise || reason == CRLReason.cACompromise ? COMPROMISED_AT : null));
        }

        X509CRL crl = Pem.parseCrl(build(ca, CrlRequest.of(BigInteger.ONE), entries.toArray(RevokedEntry[]::new)).der());

        for (RevokedEntry entry : entries) {
            X509CRLEntry parsed = crl.getRevokedCertificate(entry.serial());
            assertThat(parsed.getRevocationDate().toInstant()).isEqualTo(entry.revocationDate());
            byte[] reason = parsed.getExtensionValue(Extension.reasonCode.getId());
            if (entry.reasonCode() == CRLReason.unspecified) {
                assertThat(reason).as("unspecified is left out (RFC 5280 §5.3.1)").isNull();
            } else {
                assertThat(CRLReason.getInstance(octets(reason)).getValue().intValue()).isEqualTo(entry.reasonCode());
            }
            byte[] invalidity = parsed.getExtensionValue(Extension.invalidityDate.getId());
            assertThat(invalidity == null ? null
                    : ASN1GeneralizedTime.getInstance(octets(invalidity)).getDate().toInstant())
                    .isEqualTo(entry.invalidityDate());
        }
    }

    @Test
    void entriesKeepTheSourcesOrderAndDatesAreTruncatedToTheSecond() throws Exception {
        Ca ca = TestCas.root(KeyAlgorithm.EC);
        List<RevokedEntry> entries = List.of(
                RevokedEntry.of(BigInteger.valueOf(300), REVOKED_AT.plusMillis(999)),
                RevokedEntry.of(BigInteger.valueOf(2), REVOKED_AT),
                RevokedEntry.of(BigInteger.valueOf(100), REVOKED_AT));

        TBSCertList tbs = tbsOf(build(ca, CrlRequest.of(BigInteger.ONE), entries.toArray(RevokedEntry[]::new)));

        assertThat(List.of(tbs.getRevokedCertificates()))
                .extracting(entry -> entry.getUserCertificate().getValue())
                .containsExactly(BigInteger.valueOf(300), BigInteger.valueOf(2), BigInteger.valueOf(100));
        assertThat(tbs.getRevokedCertificates()[0].getRevocationDate().getDate().toInstant()).isEqualTo(REVOKED_AT);
    }

    @Test
    void manyEntriesInRandomOrderAllComeOut() throws Exception {
        Ca ca = TestCas.root(KeyAlgorithm.EC);
        Set<BigInteger> serials = new HashSet<>();
        while (serials.size() < 20_000) {
            serials.add(SerialNumbers.random(RANDOM));
        }
        List<RevokedEntry> entries = new ArrayList<>();
        int i = 0;
        for (BigInteger serial : serials) {
            int reason = List.copyOf(RevokedEntry.ALLOWED_REASON_CODES).get(i++ % RevokedEntry.ALLOWED_REASON_CODES.size());
            entries.add(new RevokedEntry(serial, REVOKED_AT.minusSeconds(i), reason, i % 3 == 0 ? COMPROMISED_AT : null));
        }
        Collections.shuffle(entries, RANDOM);

        EncodedCrl encoded = build(ca, CrlRequest.of(BigInteger.valueOf(5)), entries.toArray(RevokedEntry[]::new));

        X509CRL crl = Pem.parseCrl(encoded.der());
        crl.verify(ca.certificate().getPublicKey(), BouncyCastle.PROVIDER);
        assertThat(encoded.entryCount()).isEqualTo(20_000);
        Set<BigInteger> listed = new HashSet<>();
        crl.getRevokedCertificates().forEach(entry -> listed.add(entry.getSerialNumber()));
        assertThat(listed).isEqualTo(serials);
    }

    @Test
    void sm2CrlIsSignedWithSm3WithSm2() {
        Ca ca = TestCas.root(KeyAlgorithm.SM2);

        X509CRL crl = Pem.parseCrl(build(ca, CrlRequest.of(BigInteger.ONE)).der());

        assertThat(crl.getSigAlgOID()).isEqualTo("1.2.156.10197.1.501");
    }

    @Test
    void unspecifiedReasonIsLeftOut() {
        Ca ca = TestCas.root(KeyAlgorithm.EC);
        RevokedEntry unspecified = new RevokedEntry(BigInteger.TEN, REVOKED_AT, CRLReason.unspecified, null);

        X509CRL crl = Pem.parseCrl(build(ca, CrlRequest.of(BigInteger.ONE), unspecified).der());

        assertThat(crl.getRevokedCertificate(BigInteger.TEN).hasExtensions()).isFalse();
    }

    @Test
    void thisUpdateDefaultsToTheClockAndNextUpdateTo24HoursLater() {
        Ca ca = TestCas.root(KeyAlgorithm.EC);

        EncodedCrl encoded = build(ca, CrlRequest.of(BigInteger.ONE));

        X509CRL crl = Pem.parseCrl(encoded.der());
        Instant thisUpdate = NOW.truncatedTo(ChronoUnit.SECONDS);
        assertThat(crl.getThisUpdate().toInstant()).isEqualTo(thisUpdate).isEqualTo(encoded.thisUpdate());
        assertThat(crl.getNextUpdate().toInstant()).isEqualTo(thisUpdate.plus(Duration.ofHours(24)))
                .isEqualTo(encoded.nextUpdate());
    }

    @Test
    void anEmptyCrlOmitsRevokedCertificates() throws Exception {
        Ca ca = TestCas.root(KeyAlgorithm.EC);

        EncodedCrl encoded = build(ca, CrlRequest.of(BigInteger.ONE));

        assertThat(Pem.parseCrl(encoded.der()).getRevokedCertificates()).isNull();
        ASN1Sequence tbs = ASN1Sequence.getInstance(CertificateList.getInstance(encoded.der()).getTBSCertList());
        // version, signature, issuer, thisUpdate, nextUpdate, [0] crlExtensions: no SEQUENCE OF entries
        assertThat(tbs.size()).isEqualTo(6);
        assertThat(tbs.getObjectAt(5)).isInstanceOf(ASN1TaggedObject.class);
        assertThat(encoded.entryCount()).isZero();
    }

    @Test
    void explicitThisUpdateAndInterval() {
        Ca ca = TestCas.root(KeyAlgorithm.EC);
        Instant thisUpdate = Instant.parse("2025-06-02T00:00:00Z");

        X509CRL crl = Pem.parseCrl(build(ca, new CrlRequest(BigInteger.ONE, thisUpdate, Duration.ofHours(6))).der());

        assertThat(crl.getThisUpdate().toInstant()).isEqualTo(thisUpdate);
        assertThat(crl.getNextUpdate().toInstant()).isEqualTo(thisUpdate.plus(Duration.ofHours(6)));
    }

    @Test
    void datesUseUtcTimeThrough2049AndGeneralizedTimeFrom2050() throws Exception {
        Ca ca = TestCas.root(KeyAlgorithm.EC);
        Instant lastUtc = Instant.parse("2049-12-31T23:59:59Z");
        Instant firstGeneralized = Instant.parse("2050-01-01T00:00:00Z");
        CrlRequest request = new CrlRequest(BigInteger.ONE, lastUtc, Duration.ofSeconds(1));

        TBSCertList tbs = tbsOf(build(ca, request,
                new RevokedEntry(BigInteger.ONE, lastUtc, CRLReason.keyCompromise, COMPROMISED_AT),
                RevokedEntry.of(BigInteger.TWO, firstGeneralized),
                RevokedEntry.of(BigInteger.TEN, Instant.parse("1949-12-31T23:59:59Z")),
                RevokedEntry.of(BigInteger.valueOf(11), Instant.parse("1950-01-01T00:00:00Z"))));

        assertThat(encodingOf(tbs.getThisUpdate())).isInstanceOf(ASN1UTCTime.class);
        assertThat(tbs.getThisUpdate().getDate().toInstant()).isEqualTo(lastUtc);
        assertThat(encodingOf(tbs.getNextUpdate())).isInstanceOf(ASN1GeneralizedTime.class);
        assertThat(tbs.getNextUpdate().getDate().toInstant()).isEqualTo(firstGeneralized);
        TBSCertList.CRLEntry[] entries = tbs.getRevokedCertificates();
        assertThat(encodingOf(entries[0].getRevocationDate())).isInstanceOf(ASN1UTCTime.class);
        assertThat(encodingOf(entries[1].getRevocationDate())).isInstanceOf(ASN1GeneralizedTime.class);
        assertThat(entries[1].getRevocationDate().getDate().toInstant()).isEqualTo(firstGeneralized);
        assertThat(encodingOf(entries[2].getRevocationDate())).as("UTCTime cannot say 1949").isInstanceOf(ASN1GeneralizedTime.class);
        assertThat(entries[2].getRevocationDate().getDate().toInstant()).isEqualTo(Instant.parse("1949-12-31T23:59:59Z"));
        assertThat(encodingOf(entries[3].getRevocationDate())).isInstanceOf(ASN1UTCTime.class);
        assertThat(entries[3].getRevocationDate().getDate().toInstant()).isEqualTo(Instant.parse("1950-01-01T00:00:00Z"));
        // invalidityDate is a GeneralizedTime whatever the year (RFC 5280 §5.3.2)
        ASN1Encodable invalidity = entries[0].getExtensions().getExtensionParsedValue(Extension.invalidityDate);
        assertThat(invalidity).isInstanceOf(ASN1GeneralizedTime.class);
    }

    @Test
    void deltaCrlCarriesTheCriticalDeltaCrlIndicatorWithTheBaseNumber() throws Exception {
        Ca ca = TestCas.root(KeyAlgorithm.EC);
        RevokedEntry released = RevokedEntry.removeFromCrl(BigInteger.valueOf(77), REVOKED_AT);

        EncodedCrl encoded = build(ca, CrlRequest.of(BigInteger.valueOf(12)).deltaOf(BigInteger.valueOf(10)),
                keyCompromise(), released);

        assertThat(encoded.isDelta()).isTrue();
        assertThat(encoded.baseCrlNumber()).isEqualTo(10);
        X509CRL crl = Pem.parseCrl(encoded.der());
        crl.verify(ca.certificate().getPublicKey(), BouncyCastle.PROVIDER);
        assertThat(crl.getCriticalExtensionOIDs()).containsExactly(Extension.deltaCRLIndicator.getId());
        Extensions extensions = new X509CRLHolder(encoded.der()).getExtensions();
        assertThat(extensions.getExtension(Extension.deltaCRLIndicator).isCritical()).isTrue();
        assertThat(CRLNumber.getInstance(extensions.getExtensionParsedValue(Extension.deltaCRLIndicator)).getCRLNumber())
                .isEqualTo(10);
        assertThat(CRLNumber.getInstance(extensions.getExtensionParsedValue(Extension.cRLNumber)).getCRLNumber())
                .isEqualTo(12);
        assertThat(CRLReason.getInstance(octets(crl.getRevokedCertificate(BigInteger.valueOf(77))
                .getExtensionValue(Extension.reasonCode.getId()))).getValue().intValue())
                .isEqualTo(CRLReason.removeFromCRL);
    }

    @Test
    void partitionedCrlCarriesTheCriticalIssuingDistributionPoint() throws Exception {
        Ca ca = TestCas.root(KeyAlgorithm.EC);
        X500Principal pointName = new X500Principal("CN=CRL7,CN=egov-pki Test Root CA,O=egov-pki,C=CN");
        CrlPartition partition = CrlPartition.userCertificates(List.of(PARTITION_HTTP, PARTITION_LDAP))
                .withDirectoryName(pointName);

        EncodedCrl encoded = build(ca, CrlRequest.of(BigInteger.valueOf(3)).withPartition(partition), keyCompromise());

        X509CRL crl = Pem.parseCrl(encoded.der());
        crl.verify(ca.certificate().getPublicKey(), BouncyCastle.PROVIDER);
        assertThat(crl.getCriticalExtensionOIDs()).containsExactly(Extension.issuingDistributionPoint.getId());
        Extensions extensions = new X509CRLHolder(encoded.der()).getExtensions();
        assertThat(extensions.getExtension(Extension.issuingDistributionPoint).isCritical()).isTrue();
        IssuingDistributionPoint idp = IssuingDistributionPoint.getInstance(
                extensions.getExtensionParsedValue(Extension.issuingDistributionPoint));
        assertThat(idp.onlyContainsUserCerts()).isTrue();
        assertThat(idp.onlyContainsCACerts()).isFalse();
        assertThat(idp.isIndirectCRL()).isFalse();
        assertThat(idp.getOnlySomeReasons()).isNull();
        assertThat(idp.getDistributionPoint().getType()).isEqualTo(DistributionPointName.FULL_NAME);
        GeneralName[] names = GeneralNames.getInstance(idp.getDistributionPoint().getName()).getNames();
        assertThat(names).extracting(GeneralName::getTagNo).containsExactly(GeneralName.uniformResourceIdentifier,
                GeneralName.uniformResourceIdentifier, GeneralName.directoryName);
        assertThat(names[0].getName()).hasToString(PARTITION_HTTP);
        assertThat(names[1].getName()).hasToString(PARTITION_LDAP);
        assertThat(X500Name.getInstance(names[2].getName()).getEncoded()).isEqualTo(pointName.getEncoded());
    }

    @Test
    void anArlOnlyContainsCaCertificates() throws Exception {
        Ca ca = TestCas.root(KeyAlgorithm.SM2);

        EncodedCrl encoded = build(ca,
                CrlRequest.of(BigInteger.valueOf(4)).withPartition(CrlPartition.caCertificates(List.of(PARTITION_HTTP))));

        IssuingDistributionPoint idp = IssuingDistributionPoint.getInstance(new X509CRLHolder(encoded.der())
                .getExtensions().getExtensionParsedValue(Extension.issuingDistributionPoint));
        assertThat(idp.onlyContainsCACerts()).isTrue();
        assertThat(idp.onlyContainsUserCerts()).isFalse();
        Pem.parseCrl(encoded.der()).verify(ca.certificate().getPublicKey(), BouncyCastle.PROVIDER);
    }

    @Test
    void baseCrlPointsToItsDeltasWithANonCriticalFreshestCrl() throws Exception {
        Ca ca = TestCas.root(KeyAlgorithm.EC);

        EncodedCrl encoded = build(ca, CrlRequest.of(BigInteger.valueOf(20)).withFreshestCrl(List.of(DELTA_HTTP)));

        Extensions extensions = new X509CRLHolder(encoded.der()).getExtensions();
        assertThat(extensions.getExtension(Extension.freshestCRL).isCritical()).isFalse();
        CRLDistPoint freshest = CRLDistPoint.getInstance(extensions.getExtensionParsedValue(Extension.freshestCRL));
        assertThat(freshest.getDistributionPoints()).hasSize(1);
        GeneralName[] names = GeneralNames.getInstance(freshest.getDistributionPoints()[0].getDistributionPoint()
                .getName()).getNames();
        assertThat(names).hasSize(1);
        assertThat(names[0].getTagNo()).isEqualTo(GeneralName.uniformResourceIdentifier);
        assertThat(names[0].getName()).hasToString(DELTA_HTTP);
        assertThat(Pem.parseCrl(encoded.der()).getCriticalExtensionOIDs()).isNullOrEmpty();
    }

    @Test
    void theSourceIsReadExactlyOnce() {
        Ca ca = TestCas.root(KeyAlgorithm.EC);
        AtomicInteger reads = new AtomicInteger();
        RevokedEntrySource oneShot = sink -> {
            if (reads.incrementAndGet() > 1) {
                throw new IllegalStateException("read twice");
            }
            sink.accept(keyCompromise());
            sink.accept(withoutDetails());
        };

        EncodedCrl encoded = new CrlFactory(CLOCK).build(CrlRequest.of(BigInteger.ONE), oneShot, ca.certificate(),
                ca.signer());

        assertThat(reads).hasValue(1);
        assertThat(encoded.entryCount()).isEqualTo(2);
    }

    @Test
    void aDuplicateSerialIsRefusedWhereverItComes() {
        Ca ca = TestCas.root(KeyAlgorithm.EC);
        List<RevokedEntry> entries = new ArrayList<>();
        for (int i = 1; i <= 5_000; i++) {
            entries.add(RevokedEntry.of(BigInteger.valueOf(i).shiftLeft(64).add(BigInteger.valueOf(i)), REVOKED_AT));
        }
        entries.add(new RevokedEntry(BigInteger.valueOf(4321).shiftLeft(64).add(BigInteger.valueOf(4321)),
                REVOKED_AT.plusSeconds(60), CRLReason.keyCompromise, null));
        Collections.shuffle(entries, RANDOM);

        assertThatThrownBy(() -> build(ca, CrlRequest.of(BigInteger.valueOf(9)), entries.toArray(RevokedEntry[]::new)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("serial " + BigInteger.valueOf(4321).shiftLeft(64).add(BigInteger.valueOf(4321))
                        .toString(16) + " is listed twice in CRL 9");
    }

    @Test
    void serialsWhoseHashesCollideAreStillTellApart() {
        // Arrays.hashCode({0x10, 0x40}) == Arrays.hashCode({0x11, 0x21}): 31*16+64 == 31*17+33
        BigInteger first = BigInteger.valueOf(0x1040);
        BigInteger second = BigInteger.valueOf(0x1121);
        Ca ca = TestCas.root(KeyAlgorithm.EC);

        EncodedCrl both = build(ca, CrlRequest.of(BigInteger.ONE), RevokedEntry.of(first, REVOKED_AT),
                RevokedEntry.of(second, REVOKED_AT));
        assertThat(both.entryCount()).isEqualTo(2);

        assertThatThrownBy(() -> build(ca, CrlRequest.of(BigInteger.ONE), RevokedEntry.of(second, REVOKED_AT),
                RevokedEntry.of(first, REVOKED_AT), RevokedEntry.of(second, REVOKED_AT)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("serial 1121 is listed twice");
    }

    @Test
    void removeFromCrlIsRefusedInAFullCrl() {
        Ca ca = TestCas.root(KeyAlgorithm.EC);

        assertThatThrownBy(() -> build(ca, CrlRequest.of(BigInteger.ONE),
                RevokedEntry.removeFromCrl(BigInteger.valueOf(0x77), REVOKED_AT)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("serial 77 has reason removeFromCRL (8), which only delta CRLs carry");
    }

    @Test
    void aSourceThatMisbehavesIsRefused() {
        Ca ca = TestCas.root(KeyAlgorithm.EC);
        CrlFactory factory = new CrlFactory(CLOCK);
        List<Consumer<RevokedEntry>> kept = new ArrayList<>();

        assertThatThrownBy(() -> factory.build(CrlRequest.of(BigInteger.ONE), sink -> sink.accept(null),
                ca.certificate(), ca.signer()))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("delivered null as entry 1 of CRL 1");

        factory.build(CrlRequest.of(BigInteger.ONE), kept::add, ca.certificate(), ca.signer());
        assertThatThrownBy(() -> kept.get(0).accept(withoutDetails()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("after the source's forEach returned");

        RuntimeException directoryDown = new IllegalStateException("directory unavailable");
        assertThatThrownBy(() -> factory.build(CrlRequest.of(BigInteger.ONE), sink -> {
            sink.accept(withoutDetails());
            throw directoryDown;
        }, ca.certificate(), ca.signer())).isSameAs(directoryDown);
    }

    @Test
    void signerOfAnotherKeyIsRefused() {
        Ca ca = TestCas.root(KeyAlgorithm.EC);
        CaSigner stranger = CaSigner.of(KeyAlgorithm.EC.generate(RANDOM), RANDOM);

        assertThatThrownBy(() -> new CrlFactory(CLOCK).build(CrlRequest.of(BigInteger.ONE), RevokedEntrySource.empty(),
                ca.certificate(), stranger))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not hold the key of issuer certificate");
    }

    @Test
    void requestInvariants() {
        assertThatThrownBy(() -> CrlRequest.of(BigInteger.ONE.negate()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("20 octets");
        assertThatThrownBy(() -> CrlRequest.of(BigInteger.ONE.shiftLeft(159)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("20 octets");
        assertThatThrownBy(() -> new CrlRequest(BigInteger.ONE, null, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nextUpdateAfter PT0S of CRL 1 must be positive");
        assertThatThrownBy(() -> new CrlRequest(BigInteger.ONE, null, Duration.ofHours(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must be positive");
        assertThatThrownBy(() -> CrlRequest.of(BigInteger.TEN).deltaOf(BigInteger.TEN))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("delta CRL 10 names base CRL 10, which is not below its own number");
        assertThatThrownBy(() -> CrlRequest.of(BigInteger.TEN).deltaOf(BigInteger.valueOf(11)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not below its own number");
        assertThatThrownBy(() -> CrlRequest.of(BigInteger.TEN).deltaOf(BigInteger.ONE.negate()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("base CRL number -1");
        assertThatThrownBy(() -> CrlRequest.of(BigInteger.TEN).deltaOf(BigInteger.ONE).withFreshestCrl(List.of(DELTA_HTTP)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot carry a FreshestCRL");
        assertThatThrownBy(() -> CrlRequest.of(BigInteger.TEN).withFreshestCrl(List.of("ftp://pki.egov-pki.test/d.crl")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("FreshestCRL URI 1");
        assertThatThrownBy(() -> new CrlPartition(List.of(), null, CrlPartition.Contains.ALL_CERTIFICATES))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("forbids an empty one");
        assertThatThrownBy(() -> CrlPartition.of(List.of("http://pki.egov-pki.test/a b.crl")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("issuing distribution point URI 1");
    }

    @Test
    void entryInvariants() {
        assertThatThrownBy(() -> new RevokedEntry(BigInteger.ONE, REVOKED_AT, 7, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0-6, 9, 10");
        assertThatThrownBy(() -> new RevokedEntry(BigInteger.ONE, REVOKED_AT, 11, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("delta CRLs only");
        assertThatThrownBy(() -> new RevokedEntry(BigInteger.ONE, REVOKED_AT, 8, COMPROMISED_AT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot have an invalidity date");
        assertThatThrownBy(() -> new RevokedEntry(BigInteger.ONE, REVOKED_AT, null, REVOKED_AT.plusSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("after its revocation date");
        assertThatThrownBy(() -> RevokedEntry.of(BigInteger.ZERO, REVOKED_AT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not positive");
    }

    @Test
    void encodedCrlIsImmutableAndWritesWithoutCopying() throws Exception {
        Ca ca = TestCas.root(KeyAlgorithm.EC);
        EncodedCrl encoded = build(ca, CrlRequest.of(BigInteger.ONE), withoutDetails());
        byte[] der = encoded.der();

        der[0] = 0;
        ByteArrayOutputStream written = new ByteArrayOutputStream();
        encoded.writeTo(written);

        assertThat(encoded.der()[0]).isEqualTo((byte) 0x30);
        assertThat(written.toByteArray()).isEqualTo(encoded.der());
        assertThat(encoded).hasToString("EncodedCrl[#1, 2025-06-01T08:00:00Z .. 2025-06-02T08:00:00Z, 1 entries, "
                + encoded.derLength() + " bytes]");
    }

    @Test
    void theSignedCrlIsTheEncodersArrayAndTheConstructorCopiesItsArgument() throws Exception {
        Ca ca = TestCas.root(KeyAlgorithm.EC);
        EncodedCrl encoded = build(ca, CrlRequest.of(BigInteger.ONE), withoutDetails());

        // The factory hands over the array it signed: one array per CRL, lent out by sharedDer.
        assertThat(encoded.sharedDer()).isSameAs(encoded.sharedDer()).isEqualTo(encoded.der());
        assertThat(encoded.der()).isNotSameAs(encoded.sharedDer());
        assertThat(tbsOf(encoded).getVersionNumber()).isEqualTo(2);

        byte[] given = encoded.der();
        EncodedCrl copied = new EncodedCrl(encoded.crlNumber(), null, encoded.thisUpdate(), encoded.nextUpdate(),
                encoded.entryCount(), given);
        given[0] = 0;
        assertThat(copied.sharedDer()).isNotSameAs(given);
        assertThat(copied.der()[0]).isEqualTo((byte) 0x30);
        assertThat(copied).isEqualTo(encoded);
    }

    static TBSCertList tbsOf(EncodedCrl crl) {
        return CertificateList.getInstance(crl.der()).getTBSCertList();
    }

    private static Object encodingOf(Time time) {
        return time.toASN1Primitive();
    }

    private static byte[] octets(byte[] extensionValue) {
        return ASN1OctetString.getInstance(extensionValue).getOctets();
    }
}
