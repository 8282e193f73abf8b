package org.egovpki.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import org.egovpki.core.crypto.BouncyCastle;
import org.egovpki.core.crypto.CaSigner;
import org.egovpki.core.crypto.KeyAlgorithm;
import org.egovpki.core.x509.CaCertificateFactory;
import org.egovpki.core.x509.CaCertificateRequest;
import org.egovpki.core.x509.CrlFactory;
import org.egovpki.core.x509.CrlRequest;
import org.egovpki.core.x509.EncodedCrl;
import org.egovpki.core.x509.RevokedEntry;
import org.egovpki.core.x509.RevokedEntrySource;

/**
 * Time, size and heap to build and sign one full CRL of N entries with {@link CrlFactory}, for an
 * SM2 (SM3withSM2) and an ECDSA P-256 CA. Run it in a JVM limited to 512 MiB ({@code bench/crl}).
 *
 * <p>The entries come from a synthetic streaming source: random positive 16-octet serials (as
 * {@code SerialNumbers} makes), revocation dates over the last five years, a mix of reasons, and
 * invalidity dates on key compromises. It generates each entry when the factory asks, so the
 * heap holds no entry list, as with the directory's paged search. Generating entries is inside the
 * measured time; the cost of the source alone is reported separately. Reading revocation records
 * from the directory is not measured here: the directory integration measures it.
 *
 * <p>Also reported, to explain the figures: the digest throughput (SM3, SHA-256) over a buffer of
 * the CRL's size, since the TBS is hashed twice (sign, verify).
 */
public final class CrlBuildBenchmark {

    private static final Instant NOW = Instant.parse("2026-11-21T00:00:00Z");
    private static final long FIVE_YEARS_SECONDS = 5L * 365 * 86_400;
    private static final int WARMUP_ENTRIES = 100_000;

    private CrlBuildBenchmark() {
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        List<Integer> sizes = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            sizes.add(Integer.parseInt(args[i]));
        }
        if (sizes.isEmpty()) {
            sizes = List.of(100_000, 1_000_000);
        }
        System.out.printf("machine: %d cores, %s %s, Java %s (%s), max heap %d MiB, GC %s%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"), System.getProperty("os.arch"),
                System.getProperty("java.version"), System.getProperty("java.vm.name"),
                Runtime.getRuntime().maxMemory() / (1024 * 1024),
                ManagementFactory.getGarbageCollectorMXBeans().stream().map(GarbageCollectorMXBean::getName)
                        .collect(Collectors.joining(", ")));
        System.out.printf("rounds per figure: %d (median reported), entry counts: %s%n", rounds, sizes);

        for (KeyAlgorithm algorithm : List.of(KeyAlgorithm.SM2, KeyAlgorithm.EC)) {
            Ca ca = ca(algorithm);
            System.out.printf("%n%s CA (%s)%n", algorithm, algorithm.signatureAlgorithm());
            build(ca, WARMUP_ENTRIES, 0); // warm-up: JIT, provider initialisation
            for (int entries : sizes) {
                List<Double> seconds = new ArrayList<>();
                List<Long> peaks = new ArrayList<>();
                int size = 0;
                for (int round = 1; round <= rounds; round++) {
                    resetHeapPeaks();
                    long start = System.nanoTime();
                    // Only the size is kept: a previous round's CRL must not sit in the heap during the next.
                    size = buildAndCheck(ca, entries, round);
                    seconds.add((System.nanoTime() - start) / 1e9);
                    peaks.add(heapPeakBytes());
                }
                double median = median(seconds);
                System.out.printf("  %,9d entries: median %.2f s (rounds %s s), %,d entries/s, CRL %,d bytes"
                                + " (%.1f MiB, %.1f bytes/entry), heap peak <= %d MiB (rounds %s MiB)%n",
                        entries, median, format(seconds), Math.round(entries / median), size,
                        size / 1048576.0, size / (double) entries, Collections.max(peaks) / (1024 * 1024),
                        peaks.stream().map(p -> Long.toString(p / (1024 * 1024))).collect(Collectors.joining(", ")));
                System.out.printf("             of which the synthetic source alone: %.2f s; %s over %,d bytes: %.2f s"
                                + " (x2: sign and verify)%n",
                        sourceOnlySeconds(entries), digestName(algorithm), size, digestSeconds(algorithm, size));
            }
        }
    }

    /** A CA of the given algorithm: a self-signed root, as the CRL issuer. */
    private record Ca(java.security.cert.X509Certificate certificate, CaSigner signer) {
    }

    private static Ca ca(KeyAlgorithm algorithm) {
        SecureRandom random = new SecureRandom();
        KeyPair keyPair = algorithm.generate(random);
        CaCertificateFactory factory = new CaCertificateFactory(Clock.fixed(NOW, ZoneOffset.UTC), random);
        return new Ca(factory.selfSignedRoot(CaCertificateRequest.root("CN=CRL Bench " + algorithm + " Root CA,O=egov-pki,C=CN",
                Period.ofYears(20), "ldap://ldap.bench.test/ou=ca,o=egov-pki,c=cn?cACertificate;binary"), keyPair),
                CaSigner.of(keyPair, random));
    }

    /** Builds a CRL of {@code entries} entries and returns its DER size. */
    private static int buildAndCheck(Ca ca, int entries, int round) {
        EncodedCrl crl = build(ca, entries, round);
        if (crl.entryCount() != entries) {
            throw new IllegalStateException("built " + crl.entryCount() + " entries, wanted " + entries);
        }
        return crl.derLength();
    }

    private static EncodedCrl build(Ca ca, int entries, int round) {
        CrlFactory factory = new CrlFactory(Clock.fixed(NOW, ZoneOffset.UTC));
        return factory.build(CrlRequest.of(BigInteger.valueOf(1000L + round)), new SyntheticSource(entries, round),
                ca.certificate(), ca.signer());
    }

    /**
     * N entries generated on demand from a seeded generator: random positive 16-octet serials;
     * reasons roughly as a government CA sees them (mostly superseded and cessation of operation
     * at renewal or when a post is left, some affiliation changes, a few key compromises with an
     * invalidity date a day before the revocation, some unspecified).
     */
    private static final class SyntheticSource implements RevokedEntrySource {
        private final int count;
        private final long seed;

        SyntheticSource(int count, long seed) {
            this.count = count;
            this.seed = seed;
        }

        @Override
        public void forEach(Consumer<RevokedEntry> sink) {
            SplittableRandom random = new SplittableRandom(seed);
            byte[] serial = new byte[16];
            for (int i = 0; i < count; i++) {
                random.nextBytes(serial);
                serial[0] &= 0x7f;
                serial[0] |= 0x01; // never zero, and positive
                Instant revoked = NOW.minusSeconds(random.nextLong(FIVE_YEARS_SECONDS));
                int dice = random.nextInt(100);
                Integer reason;
                Instant invalidity = null;
                if (dice < 40) {
                    reason = 4;  // superseded
                } else if (dice < 70) {
                    reason = 5;  // cessationOfOperation
                } else if (dice < 85) {
                    reason = 3;  // affiliationChanged
                } else if (dice < 90) {
                    reason = 1;  // keyCompromise
                    invalidity = revoked.minusSeconds(86_400);
                } else if (dice < 92) {
                    reason = 9;  // privilegeWithdrawn
                } else {
                    reason = 0;  // unspecified: encoded without reasonCode
                }
                sink.accept(new RevokedEntry(new BigInteger(1, serial), revoked, reason, invalidity));
            }
        }
    }

    private static double sourceOnlySeconds(int entries) {
        long[] sink = new long[1];
        long start = System.nanoTime();
        new SyntheticSource(entries, 99).forEach(entry -> sink[0] += entry.serial().bitLength());
        double seconds = (System.nanoTime() - start) / 1e9;
        if (sink[0] == 0) {
            throw new IllegalStateException("the source produced nothing");
        }
        return seconds;
    }

    private static String digestName(KeyAlgorithm algorithm) {
        return algorithm == KeyAlgorithm.SM2 ? "SM3" : "SHA-256";
    }

    /** One digest over {@code size} bytes, in 1 MiB updates, with Bouncy Castle as the signer uses it. */
    private static double digestSeconds(KeyAlgorithm algorithm, int size) {
        try {
            MessageDigest digest = MessageDigest.getInstance(digestName(algorithm), BouncyCastle.PROVIDER);
            byte[] block = new byte[1024 * 1024];
            new SplittableRandom(7).nextBytes(block);
            for (int warm = 0; warm < 32; warm++) {
                digest.update(block);
            }
            digest.digest();
            long start = System.nanoTime();
            for (int done = 0; done < size; done += block.length) {
                digest.update(block, 0, Math.min(block.length, size - done));
            }
            digest.digest();
            return (System.nanoTime() - start) / 1e9;
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void resetHeapPeaks() {
        System.gc();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
    }

    /**
     * Sum of the heap pools' peak usage since the last reset. The pools peak at different moments,
     * so this is an upper bound on the heap actually in use at once.
     */
    private static long heapPeakBytes() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return sum;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    private static String format(List<Double> seconds) {
        return seconds.stream().map(s -> String.format("%.2f", s)).collect(Collectors.joining(", "));
    }
}
