package org.egovpki.bench;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.util.StaticUtils;
import java.io.BufferedWriter;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Random;
import org.egovpki.directory.DirectoryNames;

/**
 * Certificate records as the CA writes them under {@code ou=certificates} (the attributes of
 * {@code LdapCertificateStore.writeIntent} after publication, and of its revoke for the revoked
 * ones), without signed certificates: OCSP, the CRL and the record lookups read records only.
 * Record {@code i} has a serial derived from {@code i} (127 bits, distinct), belongs to subscriber
 * {@code b-<i / perSubscriber>}, and is revoked when {@code i % revokedEvery == 0}
 * ({@code revokedEvery} 1: all). Deterministic, so the peers' data (OpenSSL's index.txt) is built
 * from the same numbers.
 */
final class BenchRecords {

    /** Revocation reasons cycled over the revoked records, in the directory's (RFC 5280) names. */
    static final String[] REASONS = {"keyCompromise", "affiliationChanged", "superseded", "cessationOfOperation"};

    private final DirectoryNames names;
    private final String issuer;
    private final int revokedEvery;
    private final int perSubscriber;
    private final String notBefore;
    private final String notAfter;
    private final Instant revokedAt;
    private final byte[] tbs;

    BenchRecords(DirectoryNames names, String issuer, int revokedEvery, int perSubscriber, Instant now) {
        this.names = names;
        this.issuer = issuer;
        this.revokedEvery = revokedEvery;
        this.perSubscriber = perSubscriber;
        this.notBefore = StaticUtils.encodeGeneralizedTime(Date.from(now.minus(Duration.ofDays(30))));
        this.notAfter = StaticUtils.encodeGeneralizedTime(Date.from(now.plus(Duration.ofDays(365))));
        // Whole seconds: the directory and OpenSSL's index both keep seconds.
        this.revokedAt = now.minus(Duration.ofDays(1)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        this.tbs = new byte[560]; // about what an SM2/P-256 TBSCertificate weighs
        new Random(7).nextBytes(tbs);
    }

    /** The serial of record {@code i}: bit 126 set, the rest mixed from {@code i} (a bijection). */
    static BigInteger serial(long i) {
        long mixed = i * 0x9E3779B97F4A7C15L; // odd multiplier: distinct for distinct i
        return BigInteger.ONE.shiftLeft(126).or(BigInteger.valueOf(mixed & Long.MAX_VALUE).shiftLeft(40))
                .or(BigInteger.valueOf(i & 0xFF_FFFF_FFFFL));
    }

    boolean revoked(long i) {
        return i % revokedEvery == 0;
    }

    String reason(long i) {
        return REASONS[(int) (i / revokedEvery % REASONS.length)];
    }

    Instant revokedAt() {
        return revokedAt;
    }

    static String subscriberId(long i, int perSubscriber) {
        return "b-" + Long.toHexString(0x1000000L + i / perSubscriber);
    }

    String subscriberId(long i) {
        return subscriberId(i, perSubscriber);
    }

    Entry entry(long i) {
        String serial = serial(i).toString(16);
        String id = issuer + "-" + serial;
        List<Attribute> a = new ArrayList<>();
        a.add(new Attribute("objectClass", "top", "egovCertificateRecord"));
        a.add(new Attribute("egovCertificateId", id));
        a.add(new Attribute("egovSerialNumber", serial));
        a.add(new Attribute("egovIssuerName", issuer));
        a.add(new Attribute("egovRequestDn", names.request("r-bench-" + i).toString()));
        a.add(new Attribute("egovSubscriberDn", names.subscriber(subscriberId(i)).toString()));
        a.add(new Attribute("egovSubjectDn", "CN=bench-" + i + ".example.gov.cn,O=Bench,C=CN"));
        a.add(new Attribute("egovProfile", "device-bulk"));
        a.add(new Attribute("egovCertificateType", "DEVICE"));
        a.add(new Attribute("egovKeyUsageKind", "SIGNING"));
        a.add(new Attribute("egovIssuanceState", "PUBLISHED"));
        a.add(new Attribute("egovTbsCertificate", tbs));
        a.add(new Attribute("egovNotBefore", notBefore));
        a.add(new Attribute("egovNotAfter", notAfter));
        a.add(new Attribute("egovCreatedAt", notBefore));
        a.add(new Attribute("egovCrlShard", "0"));
        if (revoked(i)) {
            a.add(new Attribute("egovCertificateStatus", "REVOKED"));
            a.add(new Attribute("egovRevocationTime", StaticUtils.encodeGeneralizedTime(Date.from(revokedAt))));
            a.add(new Attribute("egovRevocationReason", reason(i)));
            a.add(new Attribute("egovRevokedBy", "uid=bench-operator," + names.container(
                    org.egovpki.schema.DirectoryLayout.Container.OPERATORS)));
        } else {
            a.add(new Attribute("egovCertificateStatus", "VALID"));
        }
        return new Entry(names.certificate(id), a);
    }

    /** Records 0..count-1 as LDIF for slapadd. */
    void writeLdif(Path file, long count) throws IOException {
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (long i = 0; i < count; i++) {
                out.write(entry(i).toLDIFString());
                out.write('\n');
            }
        }
    }
}
