package org.egovpki.core.ocsp;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1GeneralizedTime;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DERGeneralizedTime;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.gm.GMObjectIdentifiers;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.ocsp.BasicOCSPResponse;
import org.bouncycastle.asn1.ocsp.CertID;
import org.bouncycastle.asn1.ocsp.CertStatus;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.ocsp.OCSPRequest;
import org.bouncycastle.asn1.ocsp.OCSPResponse;
import org.bouncycastle.asn1.ocsp.OCSPResponseStatus;
import org.bouncycastle.asn1.ocsp.Request;
import org.bouncycastle.asn1.ocsp.ResponderID;
import org.bouncycastle.asn1.ocsp.ResponseBytes;
import org.bouncycastle.asn1.ocsp.ResponseData;
import org.bouncycastle.asn1.ocsp.RevokedInfo;
import org.bouncycastle.asn1.ocsp.SingleResponse;
import org.bouncycastle.asn1.ocsp.TBSRequest;
import org.bouncycastle.asn1.oiw.OIWObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.operator.ContentSigner;
import org.egovpki.core.DomainException;
import org.egovpki.core.crypto.BouncyCastle;
import org.egovpki.core.crypto.CaSigner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transport-free core of an RFC 6960 OCSP responder: DER OCSPRequest in, DER OCSPResponse
 * out, for the CAs it serves, each signing its own responses (responderID byKey).
 *
 * <p>Invariants:
 * <ul>
 * <li>{@link #respond(byte[])} answers every input and never throws: undecodable input, no or
 *     more than {@value #MAX_CERT_IDS} CertIDs, or a nonce outside 1..{@value #MAX_NONCE_OCTETS}
 *     octets get an unsigned {@code malformedRequest}; a request naming no served CA gets
 *     {@code unauthorized}; a status store that is down gives {@code tryLater}; anything else
 *     that fails gives {@code internalError}.</li>
 * <li>A serial the CA never issued is {@code unknown}, never {@code good} (REQUIREMENTS §5).</li>
 * <li>Each CertID is echoed exactly as asked, so it keeps its hash algorithm (SHA-1, SHA-256 or
 *     SM3); the issuer name and key hashes of every served CA are precomputed for all three, over
 *     the DER subject and the subjectPublicKey BIT STRING value (RFC 6960 §4.1.1).</li>
 * <li>One response is signed by one CA: the CA of the first CertID that matches a served CA.
 *     CertIDs that match no served CA, or another served CA, are answered {@code unknown}.</li>
 * <li>All times are whole seconds (RFC 5280 GeneralizedTime without fractions); producedAt =
 *     thisUpdate = now, nextUpdate = now + {@link Settings#nextUpdate()}.</li>
 * <li>The responderID is byKey, the SHA-1 of the signer's public key bits: the CA's key, or that
 *     of its delegated responder, whose certificate is then sent in {@code certs} (RFC 6960
 *     §4.2.2.2).</li>
 * <li>With a cache ({@link Settings#cacheLifetime()} above zero), a response to a request
 *     without a nonce whose statuses are all known (good or revoked) is served again, byte for
 *     byte, for that lifetime; {@link #invalidate} drops it at once. Requests with a nonce, and
 *     answers with {@code unknown} for a served CA, are always signed fresh: an unknown serial
 *     may be issued a moment later, and a nonce is part of the signed data.</li>
 * <li>With pre-signing ({@link Settings#presigned()}), the answer to a request without a nonce
 *     and with one CertID of a known serial is kept per CertID ({@link PresignedResponses}) and
 *     served, byte for byte, until three quarters of its validity; {@link #refreshPresigned}
 *     re-signs it past half, {@link #invalidate} drops and re-signs it. Such answers bypass the
 *     cache; when the pre-signed store is full they go to the cache as before.</li>
 * <li>With {@link #presignAhead} too, every unexpired certificate's answer (SHA-1 CertID form) is
 *     signed before anyone asks — by a walk of the certificates and at issuance — and kept until
 *     the certificate's notAfter; the ticket discipline of the pre-signed store holds for it.</li>
 * </ul>
 *
 * <p>Thread-safe: the served CAs are one immutable map, replaced as a whole by
 * {@link #updateSigners}; the settings and their cache are one immutable pair, replaced as a
 * whole by {@link #updateSettings} and read once per request; the cache is thread-safe; each response gets its own
 * {@link ContentSigner} from the signer's {@link CaSigner}, which keeps the private key.
 */
public final class OcspResponder {

    /** Longest serial a CA issues: 20 octets, the first bit clear (RFC 5280 §4.1.2.2). */
    private static final int MAX_SERIAL_BITS = 159;
    /** Most CertIDs answered in one request; more is refused as malformed (bounds the work per request). */
    public static final int MAX_CERT_IDS = 20;
    /** RFC 8954: a nonce is 1 to 32 octets. */
    public static final int MAX_NONCE_OCTETS = 32;

    private static final Logger LOG = LoggerFactory.getLogger(OcspResponder.class);

    private static final List<HashAlgorithm> HASH_ALGORITHMS = List.of(
            new HashAlgorithm(OIWObjectIdentifiers.idSHA1, "SHA-1"),
            new HashAlgorithm(NISTObjectIdentifiers.id_sha256, "SHA-256"),
            new HashAlgorithm(GMObjectIdentifiers.sm3, "SM3"));
    /** Request extensions we understand; an unknown critical one makes the request malformed (RFC 6960 §4.4). */
    private static final Set<ASN1ObjectIdentifier> UNDERSTOOD_EXTENSIONS = Set.of(OCSPObjectIdentifiers.id_pkix_ocsp_nonce);
    private static final DateTimeFormatter GENERALIZED_TIME =
            DateTimeFormatter.ofPattern("uuuuMMddHHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final CertStatus GOOD = new CertStatus();
    /** The hash algorithm of the CertIDs signed ahead ({@link #presignAhead}). */
    private static final AlgorithmIdentifier SHA1_WITH_NULL =
            new AlgorithmIdentifier(OIWObjectIdentifiers.idSHA1, DERNull.INSTANCE);
    private static final CertStatus UNKNOWN = new CertStatus(2, DERNull.INSTANCE);

    static final byte[] MALFORMED_REQUEST = unsigned(OCSPResponseStatus.MALFORMED_REQUEST);
    static final byte[] INTERNAL_ERROR = unsigned(OCSPResponseStatus.INTERNAL_ERROR);
    static final byte[] TRY_LATER = unsigned(OCSPResponseStatus.TRY_LATER);
    private static final byte[] UNAUTHORIZED = unsigned(OCSPResponseStatus.UNAUTHORIZED);

    private final CertificateStatusSource statusSource;
    private final Clock clock;
    /** The settings and their cache, replaced together by {@link #updateSettings}; read once per request. */
    private volatile Timing timing;
    private volatile Map<IssuerHashes, Served> servedByHashes;
    private final LongAdder presignedHits = new LongAdder();
    /** Where answers are signed ahead from ({@link #presignAhead}); {@code null}: only on request. */
    private volatile UnexpiredCertificates ahead;
    /** When {@link #refreshPresigned} next walks {@link #ahead}. */
    private volatile long nextWalkMillis = Long.MIN_VALUE;
    /** Where revocations by another CA process are read from ({@link #followRevocations}); {@code null}: none. */
    private volatile RecentRevocations otherRevocations;
    /** The revocations already followed (or made here) within the look-back, with their time; pruned by each poll. */
    private final Map<ResponseCache.Serial, Instant> followed = new java.util.concurrent.ConcurrentHashMap<>();
    /** When the last poll of {@link #otherRevocations} that succeeded began; {@code null} before the first. */
    private Instant followedUntil;
    /** When the last poll of {@link #otherRevocations} began, whether it succeeded or not. */
    private volatile long lastFollowMillis = Long.MIN_VALUE / 2;
    /** Raised by every settings or signers change, which asks for a walk at the next refresh. */
    private final java.util.concurrent.atomic.AtomicLong aheadGeneration = new java.util.concurrent.atomic.AtomicLong();
    /** Changes of the pre-signed set, across settings reloads (each starts a new store). */
    private final java.util.concurrent.atomic.AtomicLong presignedChanges = new java.util.concurrent.atomic.AtomicLong();

    /**
     * A responder without a cache: every response is signed fresh.
     *
     * @param nextUpdateAfter how long a response is fresh (nextUpdate - thisUpdate), positive whole seconds
     * @see #OcspResponder(List, CertificateStatusSource, Clock, Settings)
     */
    public OcspResponder(List<ServedCa> servedCas, CertificateStatusSource statusSource, Clock clock,
            Duration nextUpdateAfter) {
        this(servedCas, statusSource, clock, Settings.uncached(nextUpdateAfter));
    }

    /**
     * @param servedCas    the CAs answered for, at least one, distinct names and distinct certificates
     * @param statusSource read-only status of the certificates those CAs issued
     * @param clock        the time source for producedAt/thisUpdate and for the cache lifetime
     * @param settings     nextUpdate and the cache
     * @throws IllegalArgumentException on an empty list, duplicate names or certificates, or a CA
     *     certificate that cannot be read
     */
    public OcspResponder(List<ServedCa> servedCas, CertificateStatusSource statusSource, Clock clock,
            Settings settings) {
        Objects.requireNonNull(servedCas, "servedCas");
        this.statusSource = Objects.requireNonNull(statusSource, "statusSource");
        this.clock = Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(settings, "settings");
        this.timing = Timing.of(settings, clock, presignedChanges);
        this.servedByHashes = index(servedCas);
    }

    /**
     * Replaces the signers of the served CAs, for example with renewed delegated responder
     * certificates. The CAs themselves must stay the same (names and certificates): CertIDs
     * clients already hold keep matching. Responses cached under the old signers are dropped.
     *
     * @throws IllegalArgumentException if the list names other CAs or breaks a constructor rule
     */
    public void updateSigners(List<ServedCa> servedCas) {
        Map<IssuerHashes, Served> replacement = index(servedCas);
        Map<String, Set<X509Certificate>> before = caCertificates(servedByHashes);
        Map<String, Set<X509Certificate>> after = caCertificates(replacement);
        if (!before.equals(after)) {
            throw new IllegalArgumentException("updateSigners must keep the served CAs " + before.keySet()
                    + " with their certificates; got " + after.keySet());
        }
        servedByHashes = replacement;
        ResponseCache cache = timing.cache();
        if (cache != null) {
            cache.clear();
        }
        PresignedResponses presigned = timing.presigned();
        if (presigned != null) {
            presigned.clear();
        }
        walkAgain();
    }

    private void walkAgain() {
        synchronized (aheadGeneration) {
            aheadGeneration.incrementAndGet();
            nextWalkMillis = Long.MIN_VALUE;
        }
    }

    /**
     * New timings (a configuration reload): every response from now on has the new nextUpdate,
     * and is cached under the new lifetime and size. The cache is replaced by an empty one, so no
     * response signed under the old settings is served again: a cached answer never outlives the
     * new lifetime, nor carries the old nextUpdate. A request in flight during the swap finishes
     * with the settings it started with and stores its answer, if at all, in the dropped cache.
     */
    public void updateSettings(Settings settings) {
        timing = Timing.of(Objects.requireNonNull(settings, "settings"), clock, presignedChanges);
        presignedChanges.incrementAndGet();
        walkAgain(); // the new store starts empty: sign ahead again at the next refresh
    }

    /** The nextUpdate and cache settings in force. */
    public Settings settings() {
        return timing.settings();
    }

    /**
     * Drops, at once, every cached response that states the status of {@code serial} issued by CA
     * {@code issuerName}; no response whose status was read before this call is cached after it.
     * Call it after the certificate's new status is stored, so the next answer reads it. Cheap
     * and harmless when nothing is cached for that serial, or when caching is off.
     *
     * @param issuerName the {@link ServedCa#name()} of the issuing CA
     */
    public void invalidate(String issuerName, BigInteger serial) {
        Objects.requireNonNull(issuerName, "issuerName");
        Objects.requireNonNull(serial, "serial");
        Timing current = timing;
        ResponseCache cache = current.cache();
        if (cache != null) {
            cache.invalidate(issuerName, serial);
        }
        PresignedResponses presigned = current.presigned();
        if (presigned == null) {
            return;
        }
        // Dropped at once; re-signed with the stored new status so the next client is still answered without signing.
        for (PresignedResponses.Due due : presigned.invalidate(issuerName, serial)) {
            try {
                presign(current, presigned, due.key(), PresignedResponses.certIdOf(due.key()), due.keepUntil());
            } catch (RuntimeException e) {
                LOG.warn("cannot re-sign the pre-signed OCSP answer of serial {} of CA {} after its invalidation; "
                        + "the next request signs it: {}", serial.toString(16), issuerName, e.toString());
            }
        }
    }

    /** How many answers are pre-signed now (0 when pre-signing is off). */
    public int presignedSize() {
        PresignedResponses presigned = timing.presigned();
        return presigned == null ? 0 : presigned.size();
    }

    /**
     * The pre-signed answers kept now whose nextUpdate has not come (empty when pre-signing is
     * off), to be persisted ({@link PresignedSnapshot}) for a locked start.
     */
    public List<PresignedAnswer> presignedAnswers() {
        PresignedResponses presigned = timing.presigned();
        return presigned == null ? List.of() : presigned.snapshot();
    }

    /**
     * A number that changes whenever the set of pre-signed answers changes (an answer stored,
     * re-signed or dropped, the settings replaced): its persistence writes only when it moved.
     */
    public long presignedChanges() {
        return presignedChanges.get();
    }

    /** How many requests were answered from pre-signed answers since this responder was built (a counter). */
    public long presignedHits() {
        return presignedHits.sum();
    }

    /**
     * Drops, at once, every cached response of {@code parentName} about the certificate of the
     * served CA {@code caName}: after that CA's own certificate was revoked, its parent's next
     * answer reads the revocation. Harmless when {@code caName} is not served or nothing is cached.
     *
     * @param parentName the {@link ServedCa#name()} of the CA that issued {@code caName}'s certificate
     * @param caName     the {@link ServedCa#name()} of the CA whose certificate changed status
     */
    public void invalidateCaCertificate(String parentName, String caName) {
        Objects.requireNonNull(parentName, "parentName");
        Objects.requireNonNull(caName, "caName");
        // After a key changeover the CA has a certificate per key; the revocation covers them all.
        for (X509Certificate certificate : caCertificates(servedByHashes).getOrDefault(caName, Set.of())) {
            revoked(parentName, certificate.getSerialNumber());
        }
    }

    /**
     * {@link #invalidate} after this process revoked {@code serial}: also noted as followed, so
     * the poll of another process's revocations ({@link #followRevocations}) does not drop and
     * re-sign its answers a second time.
     */
    public void revoked(String issuerName, BigInteger serial) {
        Objects.requireNonNull(issuerName, "issuerName");
        Objects.requireNonNull(serial, "serial");
        if (otherRevocations != null) {
            followed.putIfAbsent(new ResponseCache.Serial(issuerName, serial), clock.instant());
        }
        invalidate(issuerName, serial);
    }

    /** Whether responses are cached ({@link Settings#cacheLifetime()} above zero). */
    public boolean caching() {
        return timing.cache() != null;
    }

    private static Map<String, Set<X509Certificate>> caCertificates(Map<IssuerHashes, Served> served) {
        Map<String, Set<X509Certificate>> certificates = new HashMap<>();
        for (Served entry : served.values()) {
            certificates.computeIfAbsent(entry.ca().name(), name -> new HashSet<>()).add(entry.ca().caCertificate());
        }
        return certificates;
    }

    private static Map<IssuerHashes, Served> index(List<ServedCa> servedCas) {
        Objects.requireNonNull(servedCas, "servedCas");
        if (servedCas.isEmpty()) {
            throw new IllegalArgumentException("an OCSP responder needs at least one served CA");
        }
        Map<IssuerHashes, Served> byHashes = new HashMap<>();
        Map<String, Served> byName = new HashMap<>();
        for (ServedCa ca : servedCas) {
            Objects.requireNonNull(ca, "servedCas element");
            Served served = Served.of(ca);
            Served sameName = byName.putIfAbsent(ca.name(), served);
            // A CA after a key changeover is served once per key: same name and subject, another key,
            // so a CertID's issuerKeyHash picks the key that issued the certificate.
            if (sameName != null && !(sameName.ca().caCertificate().getSubjectX500Principal()
                    .equals(ca.caCertificate().getSubjectX500Principal()) && !sameName.ca().caCertificate()
                    .getPublicKey().equals(ca.caCertificate().getPublicKey()))) {
                throw new IllegalArgumentException("served CA name \"" + ca.name() + "\" appears twice; names must be unique");
            }
            for (IssuerHashes hashes : served.hashes()) {
                if (byHashes.putIfAbsent(hashes, served) != null) {
                    throw new IllegalArgumentException("served CA \"" + ca.name() + "\" has the same subject and key as \""
                            + byHashes.get(hashes).ca().name() + "\"; serve each CA certificate once");
                }
            }
        }
        return Map.copyOf(byHashes);
    }

    /**
     * Answers one DER-encoded OCSPRequest.
     *
     * @param requestDer the request bytes as received (never modified)
     * @return a DER-encoded OCSPResponse: signed when {@code successful}, unsigned otherwise
     */
    public byte[] respond(byte[] requestDer) {
        try {
            return answer(requestDer).clone();
        } catch (RuntimeException e) {
            LOG.error("OCSP responder failed on a {}-byte request; answering internalError",
                    requestDer == null ? 0 : requestDer.length, e);
            return INTERNAL_ERROR.clone();
        }
    }

    private byte[] answer(byte[] requestDer) {
        Timing current = timing;
        ResponseCache cache = current.cache();
        DerKey key = cache == null ? null : ResponseCache.keyOf(requestDer);
        if (key != null) {
            byte[] cached = cache.get(key);
            if (cached != null) {
                return cached;
            }
        }
        // Taken before any status is read: see ResponseCache on the race with invalidate.
        long ticket = cache == null ? 0 : cache.ticket();
        ParsedRequest request = parse(requestDer);
        if (request == null) {
            return MALFORMED_REQUEST;
        }
        PresignedResponses presigned = request.nonce() == null && request.certIds().length == 1
                ? current.presigned() : null;
        DerKey presignedKey = null;
        long presignedTicket = 0;
        if (presigned != null) {
            presignedKey = PresignedResponses.keyOf(request.certIds()[0]);
            byte[] hit = presigned.get(presignedKey);
            if (hit != null) {
                presignedHits.increment();
                return hit;
            }
            // Taken before the status is read: see PresignedResponses on the race with invalidate.
            presignedTicket = presigned.ticket();
        }
        Map<IssuerHashes, Served> served = servedByHashes;
        Served signing = null;
        Served[] matches = new Served[request.certIds().length];
        for (int i = 0; i < matches.length; i++) {
            CertID certId = request.certIds()[i];
            Served match = served.get(IssuerHashes.of(certId));
            if (signing == null) {
                signing = match;
            }
            matches[i] = match;
        }
        if (signing == null) {
            return UNAUTHORIZED;
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        CertStatus[] statuses = new CertStatus[matches.length];
        List<ResponseCache.Serial> answered = new ArrayList<>(matches.length);
        boolean allKnown = true;
        for (int i = 0; i < matches.length; i++) {
            CertID certId = request.certIds()[i];
            if (matches[i] != signing || !issuable(certId.getSerialNumber().getValue())) {
                // Another CA's CertID, or a serial no CA issues (zero, negative, over 20 octets):
                // well-formed ASN.1 about a certificate this CA never issued, so unknown (RFC 6960 §2.2).
                statuses[i] = UNKNOWN;
            } else {
                Optional<RevocationStatus> known;
                try {
                    known = storedStatus(signing, certId);
                } catch (DomainException e) {
                    if (e.kind() == DomainException.Kind.UNAVAILABLE) {
                        LOG.warn("certificate status store unavailable for CA {}; answering tryLater: {}",
                                signing.ca().name(), e.getMessage());
                        return TRY_LATER;
                    }
                    throw e;
                }
                allKnown &= known.isPresent();
                answered.add(new ResponseCache.Serial(signing.ca().name(), certId.getSerialNumber().getValue()));
                statuses[i] = certStatus(known);
            }
        }
        byte[] response = signed(signing, request.certIds(), statuses, request.nonce(), now,
                current.settings().nextUpdate());
        if (allKnown && presigned != null && answered.size() == 1
                && presigned.put(presignedKey, answered.get(0), presignedTicket, response, now.toEpochMilli(), true,
                        PresignedResponses.NOT_KEPT)) {
            return response;
        }
        // Not pre-signed (a nonce, several CertIDs, pre-signing off or full): the short-lived cache.
        if (key != null && request.nonce() == null && allKnown) {
            cache.put(key, ticket, answered, response);
        }
        return response;
    }

    /**
     * Signs answers ahead of any request from now on: {@link #refreshPresigned} walks
     * {@code certificates} (at its first run, then every half nextUpdate, and after a settings or
     * signers change) and signs the answer of every unexpired certificate that has none, and
     * {@link #presignIssued} signs a new certificate's. Such answers are kept and re-signed until
     * their certificate's notAfter, whether asked for or not. Only the CertID form browsers, the
     * JDK, OpenSSL and Bouncy Castle send is signed ahead (SHA-1 hashes, the algorithm's NULL
     * parameters); other forms are signed on their first request, as before. A CA served with
     * several keys (after a key changeover) is left to requests: its records do not say which key
     * issued them. Harmless when pre-signing is off.
     */
    public void presignAhead(UnexpiredCertificates certificates) {
        this.ahead = Objects.requireNonNull(certificates, "certificates");
        walkAgain();
    }

    /**
     * Follows the revocations another CA process on the same directory records: every
     * {@link #refreshPresigned} asks {@code revocations} for those recorded since its last poll
     * (less {@link #FOLLOW_LOOK_BACK}: a revocation's recorded time is the revoking process's
     * clock, read before its record is written; the hosts' clocks must agree well within it) and
     * {@link #invalidate}s each one not followed yet, so this process's cached and pre-signed
     * answers say {@code revoked} within one refresh interval, not after their validity. For two CA
     * processes on one directory (docs/directory.md); a revocation this process made is not
     * re-signed.
     */
    public void followRevocations(RecentRevocations revocations) {
        this.otherRevocations = Objects.requireNonNull(revocations, "revocations");
    }

    /** How far before its last poll {@link #followRevocations}' next poll looks. */
    public static final Duration FOLLOW_LOOK_BACK = Duration.ofMinutes(10);
    /** How often the other process's revocations are read, also during a long walk or sweep. */
    static final Duration FOLLOW_EVERY = Duration.ofSeconds(15);

    /**
     * Signs the answer of a certificate just issued, ahead of its first request (with {@link
     * #presignAhead} on; else nothing). Reads its status like any answer, so a revocation that
     * came first is what it says. Never throws: a failure is logged and the first request signs.
     *
     * @return whether an answer was stored
     */
    public boolean presignIssued(String issuerName, BigInteger serial, Instant notAfter) {
        Timing current = timing;
        PresignedResponses presigned = current.presigned();
        if (ahead == null || presigned == null || !issuable(serial) || !presigned.hasRoomAhead()) {
            return false;
        }
        Served signing = singleKeyServed(servedByHashes).get(issuerName);
        if (signing == null) {
            return false;
        }
        CertID certId = signing.aheadCertId(serial);
        try {
            return presign(current, presigned, PresignedResponses.keyOf(certId), certId, notAfter.toEpochMilli());
        } catch (RuntimeException e) {
            LOG.warn("cannot pre-sign the OCSP answer of new certificate {} of CA {}; its first request signs it: {}",
                    serial.toString(16), issuerName, e.toString());
            return false;
        }
    }

    /**
     * Re-signs the pre-signed answers that have less than half of their validity left and were
     * asked for since they were signed, or are kept ahead until their certificate's notAfter;
     * drops the others, and those whose serial the CA no longer knows. With {@link #presignAhead}
     * on, first signs ahead the unexpired certificates that have no answer, when that walk is due;
     * with {@link #followRevocations} on, before that follows another CA process's revocations.
     * Called periodically (the {@code ocsp-presigned-refresh} route). Stops at the first status
     * store failure: the answers it did not reach stay servable until three quarters of their
     * validity, and the next run tries again.
     *
     * @return how many answers were signed or re-signed, and revocations followed
     */
    public int refreshPresigned() {
        int resigned = followOtherRevocations(); // the response cache follows them too, pre-signing or not
        long generation = aheadGeneration.get(); // before the settings it walks for: see nextWalk
        Timing current = timing;
        PresignedResponses presigned = current.presigned();
        if (presigned == null) {
            return resigned;
        }
        UnexpiredCertificates certificates = ahead;
        if (certificates != null && clock.millis() >= nextWalkMillis) {
            resigned += walkAhead(current, presigned, certificates, generation);
        }
        int swept = 0;
        for (PresignedResponses.Due due : presigned.sweep()) {
            if (++swept % 1000 == 0) {
                resigned += followIfDue(); // a long sweep does not hold back another process's revocations
            }
            try {
                if (presign(current, presigned, due.key(), PresignedResponses.certIdOf(due.key()), due.keepUntil())) {
                    resigned++;
                }
            } catch (DomainException e) {
                if (e.kind() == DomainException.Kind.UNAVAILABLE) {
                    LOG.warn("certificate status store unavailable; pre-signed OCSP refresh stops after {} answer(s) "
                            + "and tries again at its next run: {}", resigned, e.getMessage());
                    return resigned;
                }
                throw e;
            }
        }
        return resigned;
    }

    /**
     * Signs ahead the answer of every unexpired certificate of a single-key CA that has none, with
     * the status its page was read with, until the store's room for answers signed ahead is used.
     * A ticket is taken before each page is read, so an answer read before a revocation is never
     * stored after it: once one happened, the page's remaining certificates are signed with their
     * status read again. A settings or signers change abandons the walk (the next refresh walks
     * again for the new store). Never throws: a store outage is retried at the next refresh, any
     * other failure at the next walk, half a nextUpdate later; the sweep runs either way.
     *
     * @return how many answers were signed
     */
    private int walkAhead(Timing current, PresignedResponses presigned, UnexpiredCertificates certificates,
            long generation) {
        Map<IssuerHashes, Served> served = servedByHashes;
        Map<String, Served> byName = singleKeyServed(served);
        long started = System.nanoTime();
        Walk walk = new Walk(presigned.ticket());
        try {
            certificates.forEachPage(clock.instant(), page -> {
                if (timing != current || servedByHashes != served) {
                    throw new WalkStopped("the OCSP settings or signers changed");
                }
                // A long walk does not hold back another process's revocations (a follow makes the
                // page's ticket stale, so its statuses are then read again one by one).
                followIfDue();
                for (UnexpiredCertificates.Unexpired certificate : page) {
                    walk.one(current, presigned, byName.get(certificate.issuerName()), certificate);
                }
                walk.ticket = presigned.ticket(); // before the next page is read (the contract of forEachPage)
            });
        } catch (WalkStopped e) {
            if (!walk.full) {
                LOG.info("signing OCSP answers ahead stopped after {} answer(s): {}", walk.signed, e.getMessage());
                return walk.signed;
            }
            // Full: the rest of the records are not read; logged and walked again in half a nextUpdate, below.
        } catch (RuntimeException e) {
            if (unavailable(e)) {
                LOG.warn("certificate store unavailable; signing OCSP answers ahead stopped after {} answer(s) and "
                        + "goes on at the next refresh: {}", walk.signed, e.getMessage());
            } else {
                LOG.warn("signing OCSP answers ahead failed after {} answer(s); the next walk is in half a nextUpdate",
                        walk.signed, e);
                nextWalk(current, generation);
            }
            return walk.signed;
        }
        if (walk.full) {
            LOG.warn("pre-signed OCSP answers hold {} (ocsp.presignedMaxEntries {}: nine tenths of it for answers "
                    + "signed ahead); further unexpired certificates are signed on their first request. Raise "
                    + "ocsp.presignedMaxEntries to sign them all ahead", presigned.size(),
                    current.settings().presignedEntries());
        }
        if (walk.failed > 0) {
            LOG.warn("{} unexpired certificate(s) could not be signed ahead (the first failure: {}); they are signed "
                    + "on their first request", walk.failed, walk.firstFailure.toString());
        }
        if (walk.signed > 0) {
            LOG.info("signed {} OCSP answer(s) ahead in {} ms ({} already held)", walk.signed,
                    (System.nanoTime() - started) / 1_000_000, walk.held);
        }
        nextWalk(current, generation);
        return walk.signed;
    }

    /**
     * Invalidates the revocations recorded since the last poll (less the look-back) that were not
     * followed yet. A failure is logged; the next poll looks back from the last one that succeeded.
     *
     * @return how many revocations were followed
     */
    private synchronized int followOtherRevocations() {
        RecentRevocations source = otherRevocations;
        if (source == null) {
            return 0;
        }
        Instant started = clock.instant();
        lastFollowMillis = started.toEpochMilli();
        // Never from a future time: a clock stepped back would otherwise skip the revocations until then.
        Instant from = followedUntil == null || followedUntil.isAfter(started) ? started : followedUntil;
        Instant since = from.minus(FOLLOW_LOOK_BACK);
        List<RecentRevocations.Revoked> revoked;
        try {
            revoked = source.since(since);
        } catch (RuntimeException e) {
            LOG.warn("cannot read the revocations recorded since {} to follow another CA process's; the next refresh "
                    + "tries again from there: {}", since, e.toString());
            return 0;
        }
        int count = 0;
        for (RecentRevocations.Revoked one : revoked) {
            if (followed.putIfAbsent(new ResponseCache.Serial(one.issuerName(), one.serial()),
                    one.revocationTime()) == null) {
                invalidate(one.issuerName(), one.serial());
                count++;
            }
        }
        followed.values().removeIf(time -> time.isBefore(since));
        followedUntil = started;
        if (count > 0) {
            LOG.info("followed {} revocation(s) recorded by another CA process: their OCSP answers now say revoked",
                    count);
        }
        return count;
    }

    /** {@link #followOtherRevocations} when the last one is {@link #FOLLOW_EVERY} ago. */
    private int followIfDue() {
        if (otherRevocations == null || clock.millis() - lastFollowMillis < FOLLOW_EVERY.toMillis()) {
            return 0;
        }
        return followOtherRevocations();
    }

    private static boolean unavailable(RuntimeException e) {
        return e instanceof DomainException domain && domain.kind() == DomainException.Kind.UNAVAILABLE;
    }

    /** The next walk in half a nextUpdate, unless a settings or signers change asked for one sooner. */
    private void nextWalk(Timing current, long generation) {
        long next = clock.millis() + current.settings().nextUpdate().toMillis() / 2;
        synchronized (aheadGeneration) {
            if (aheadGeneration.get() == generation) {
                nextWalkMillis = next;
            }
        }
    }

    /** Stops a walk whose store or signers were replaced under it. */
    private static final class WalkStopped extends RuntimeException {
        WalkStopped(String message) {
            super(message, null, false, false);
        }
    }

    /** One walk's progress: the ticket of the page in hand and the counts it logs. */
    private final class Walk {
        long ticket;
        int signed;
        int held;
        int failed;
        boolean full;
        RuntimeException firstFailure;

        Walk(long ticket) {
            this.ticket = ticket;
        }

        void one(Timing current, PresignedResponses presigned, Served signing,
                UnexpiredCertificates.Unexpired certificate) {
            if (signing == null || !issuable(certificate.serial())) {
                return;
            }
            CertID certId = signing.aheadCertId(certificate.serial());
            DerKey key = PresignedResponses.keyOf(certId);
            long keepUntil = certificate.notAfter().toEpochMilli();
            if (presigned.contains(key)) {
                presigned.keepAhead(key, keepUntil);
                held++;
                return;
            }
            if (!presigned.hasRoomAhead()) {
                full = true;
                throw new WalkStopped("the store's room for answers signed ahead is used");
            }
            try {
                if (presigned.ticket() != ticket) {
                    // A revocation since this page was read: its status may be stale, so read it again.
                    if (presign(current, presigned, key, certId, keepUntil)) {
                        signed++;
                    }
                    return;
                }
                if (storeSigned(current, presigned, signing, key, certId, certificate.status(), ticket, keepUntil)) {
                    signed++;
                }
            } catch (RuntimeException e) {
                if (unavailable(e)) {
                    throw e; // the whole walk waits for the directory: see walkAhead
                }
                failed(e);
            }
        }

        private void failed(RuntimeException e) {
            failed++;
            if (firstFailure == null) {
                firstFailure = e;
            }
        }
    }

    /** The served CAs by name, leaving out a CA served with several keys (which key issued a serial is unknown). */
    private static Map<String, Served> singleKeyServed(Map<IssuerHashes, Served> served) {
        Map<String, Served> byName = new HashMap<>();
        Set<String> several = new HashSet<>();
        for (Served entry : served.values()) {
            Served other = byName.putIfAbsent(entry.ca().name(), entry);
            if (other != null && other != entry) {
                several.add(entry.ca().name());
            }
        }
        byName.keySet().removeAll(several);
        return byName;
    }

    /**
     * Signs and stores one pre-signed answer with the status read now.
     *
     * @return whether it was stored; an unknown serial or a CertID no longer served is dropped instead
     */
    private boolean presign(Timing current, PresignedResponses presigned, DerKey key, CertID certId, long keepUntil) {
        long ticket = presigned.ticket();
        Served signing = servedByHashes.get(IssuerHashes.of(certId));
        if (signing == null) {
            presigned.remove(key);
            return false;
        }
        Optional<RevocationStatus> known = storedStatus(signing, certId);
        if (known.isEmpty()) {
            presigned.remove(key);
            return false;
        }
        return storeSigned(current, presigned, signing, key, certId, known.get(), ticket, keepUntil);
    }

    /** Signs {@code status} for {@code certId} now and stores it unless {@code ticket} is stale (nobody asked). */
    private boolean storeSigned(Timing current, PresignedResponses presigned, Served signing, DerKey key, CertID certId,
            RevocationStatus status, long ticket, long keepUntil) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        byte[] response = signed(signing, new CertID[] {certId}, new CertStatus[] {certStatus(Optional.of(status))},
                null, now, current.settings().nextUpdate());
        return presigned.put(key, new ResponseCache.Serial(signing.ca().name(), certId.getSerialNumber().getValue()),
                ticket, response, now.toEpochMilli(), false, keepUntil);
    }

    private Optional<RevocationStatus> storedStatus(Served signing, CertID certId) {
        Optional<RevocationStatus> known = statusSource.status(signing.ca().name(), certId.getSerialNumber().getValue());
        return Objects.requireNonNull(known, "CertificateStatusSource returned null");
    }

    /** The signed OCSPResponse stating {@code statuses[i]} for {@code certIds[i]}, thisUpdate = producedAt = now. */
    private static byte[] signed(Served signing, CertID[] certIds, CertStatus[] statuses, Extension nonce, Instant now,
            Duration validity) {
        ASN1GeneralizedTime thisUpdate = time(now);
        ASN1GeneralizedTime nextUpdate = time(now.plus(validity));
        ASN1EncodableVector responses = new ASN1EncodableVector(certIds.length);
        for (int i = 0; i < certIds.length; i++) {
            responses.add(new SingleResponse(certIds[i], statuses[i], thisUpdate, nextUpdate, (Extensions) null));
        }
        Extensions responseExtensions = nonce == null ? null : new Extensions(nonce);
        ResponseData data = new ResponseData(signing.responderId(), thisUpdate, new DERSequence(responses),
                responseExtensions);
        return signed(signing, data);
    }

    private static byte[] signed(Served signing, ResponseData data) {
        ContentSigner contentSigner = signing.ca().signer().contentSigner();
        try {
            try (OutputStream out = contentSigner.getOutputStream()) {
                out.write(data.getEncoded(ASN1Encoding.DER));
            }
            BasicOCSPResponse basic = new BasicOCSPResponse(data, contentSigner.getAlgorithmIdentifier(),
                    new DERBitString(contentSigner.getSignature()), signing.certs());
            ResponseBytes bytes = new ResponseBytes(OCSPObjectIdentifiers.id_pkix_ocsp_basic,
                    new DEROctetString(basic.getEncoded(ASN1Encoding.DER)));
            return new OCSPResponse(new OCSPResponseStatus(OCSPResponseStatus.SUCCESSFUL), bytes)
                    .getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode or sign the OCSP response of CA " + signing.ca().name()
                    + ": " + e.getMessage(), e);
        }
    }

    /** RFC 5280 §4.1.2.2: a serial is a positive integer of at most 20 octets. */
    static boolean issuable(BigInteger serial) {
        return serial.signum() > 0 && serial.bitLength() <= MAX_SERIAL_BITS;
    }

    private static CertStatus certStatus(Optional<RevocationStatus> known) {
        if (known.isEmpty()) {
            return UNKNOWN;
        }
        RevocationStatus status = known.get();
        if (!status.isRevoked()) {
            return GOOD;
        }
        CRLReason reason = status.reasonCode() == null ? null : CRLReason.lookup(status.reasonCode());
        return new CertStatus(new RevokedInfo(time(status.revocationTime().truncatedTo(ChronoUnit.SECONDS)), reason));
    }

    private static ASN1GeneralizedTime time(Instant instant) {
        return new DERGeneralizedTime(GENERALIZED_TIME.format(instant));
    }

    /**
     * The CertIDs and the nonce extension of a well-formed request, or {@code null} when it is
     * malformed; also the parsing of the locked responder ({@link LockedOcspResponder}).
     */
    static ParsedRequest parse(byte[] der) {
        if (der == null || der.length == 0) {
            return null;
        }
        try {
            ASN1Primitive primitive = ASN1Primitive.fromByteArray(der);
            if (primitive == null) {
                return null;
            }
            TBSRequest tbs = OCSPRequest.getInstance(primitive).getTbsRequest();
            ASN1Sequence list = tbs.getRequestList();
            int count = list.size();
            if (count == 0 || count > MAX_CERT_IDS) {
                LOG.debug("malformed OCSP request: {} CertIDs (allowed 1..{})", count, MAX_CERT_IDS);
                return null;
            }
            CertID[] certIds = new CertID[count];
            for (int i = 0; i < count; i++) {
                Request single = Request.getInstance(list.getObjectAt(i));
                if (!understood(single.getSingleRequestExtensions())) {
                    return null;
                }
                certIds[i] = single.getReqCert();
                // Force the lazily parsed fields now, so a broken CertID is malformed, not internalError.
                certIds[i].getSerialNumber().getValue();
                certIds[i].getIssuerNameHash().getOctets();
                certIds[i].getIssuerKeyHash().getOctets();
                certIds[i].getHashAlgorithm().getAlgorithm();
            }
            Extensions extensions = tbs.getRequestExtensions();
            if (!understood(extensions)) {
                return null;
            }
            Extension nonce = extensions == null ? null : extensions.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce);
            if (nonce != null && !validNonce(nonce)) {
                return null;
            }
            return new ParsedRequest(certIds, nonce);
        } catch (IOException | RuntimeException e) {
            if (LOG.isDebugEnabled()) {
                LOG.debug("malformed OCSP request ({} bytes): {}", der.length, e.toString());
            }
            return null;
        }
    }

    private static boolean understood(Extensions extensions) {
        if (extensions == null) {
            return true;
        }
        for (ASN1ObjectIdentifier oid : extensions.getCriticalExtensionOIDs()) {
            if (!UNDERSTOOD_EXTENSIONS.contains(oid)) {
                LOG.debug("malformed OCSP request: unknown critical extension {}", oid);
                return false;
            }
        }
        return true;
    }

    /**
     * RFC 8954: the extnValue holds {@code Nonce ::= OCTET STRING (SIZE(1..32))}. Some clients
     * put the raw bytes there instead; both are accepted, measured by the nonce itself.
     */
    private static boolean validNonce(Extension nonce) {
        byte[] value = nonce.getExtnValue().getOctets();
        int length = value.length;
        try {
            ASN1Primitive inner = ASN1Primitive.fromByteArray(value);
            if (inner instanceof ASN1OctetString octets) {
                length = octets.getOctets().length;
            }
        } catch (IOException | RuntimeException e) {
            // raw nonce bytes: measured as they are
        }
        if (length < 1 || length > MAX_NONCE_OCTETS) {
            LOG.debug("malformed OCSP request: nonce of {} octets (allowed 1..{})", length, MAX_NONCE_OCTETS);
            return false;
        }
        return true;
    }

    private static byte[] unsigned(int status) {
        try {
            return new OCSPResponse(new OCSPResponseStatus(status), null).getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * How long responses are fresh and how they are cached.
     *
     * <p>Invariants: {@code nextUpdate} is a positive whole number of seconds;
     * {@code cacheLifetime} is zero (no cache) or a positive whole number of seconds of at most
     * half of {@code nextUpdate}, so a cached response still has at least half its validity left
     * when it is served for the last time; {@code cacheEntries} is 1 to {@value #MAX_CACHE_ENTRIES};
     * {@code presignedEntries} is 1 to {@value #MAX_PRESIGNED_ENTRIES}.
     *
     * @param nextUpdate       nextUpdate - thisUpdate of every response
     * @param cacheLifetime    how long a signed response is served again; zero turns caching off
     * @param cacheEntries     most responses cached at once
     * @param presigned        whether answers to nonce-free single-CertID requests are kept and re-signed
     *                         ahead of expiry (see {@link PresignedResponses})
     * @param presignedEntries most pre-signed answers kept at once; beyond it, answers take the cache path
     */
    public record Settings(Duration nextUpdate, Duration cacheLifetime, int cacheEntries, boolean presigned,
            int presignedEntries) {

        /** Cache size when none is configured. */
        public static final int DEFAULT_CACHE_ENTRIES = 10_000;
        /** Largest cache allowed; at about 1-3 KiB per response that is a few hundred MiB at most. */
        public static final int MAX_CACHE_ENTRIES = 1_000_000;
        /** Pre-signed answers kept when no maximum is configured: about 200 MiB at 1-2 KiB each. */
        public static final int DEFAULT_PRESIGNED_ENTRIES = 100_000;
        /** Most pre-signed answers allowed: about 2 GiB of heap at 1-2 KiB each. */
        public static final int MAX_PRESIGNED_ENTRIES = 1_000_000;

        public Settings {
            Objects.requireNonNull(nextUpdate, "nextUpdate");
            Objects.requireNonNull(cacheLifetime, "cacheLifetime");
            if (nextUpdate.isNegative() || nextUpdate.isZero() || nextUpdate.getNano() != 0) {
                throw new IllegalArgumentException("nextUpdateAfter " + nextUpdate
                        + " is not allowed; use a positive whole number of seconds, e.g. PT1H");
            }
            if (cacheLifetime.isNegative() || cacheLifetime.getNano() != 0) {
                throw new IllegalArgumentException("cache lifetime " + cacheLifetime
                        + " is not allowed; use zero (no cache) or a positive whole number of seconds");
            }
            if (cacheLifetime.multipliedBy(2).compareTo(nextUpdate) > 0) {
                throw new IllegalArgumentException("cache lifetime " + cacheLifetime + " is more than half of nextUpdate "
                        + nextUpdate + "; a cached response must stay valid well after it was last served");
            }
            if (cacheEntries < 1 || cacheEntries > MAX_CACHE_ENTRIES) {
                throw new IllegalArgumentException("cache size " + cacheEntries + " is not allowed; use 1 to "
                        + MAX_CACHE_ENTRIES);
            }
            if (presignedEntries < 1 || presignedEntries > MAX_PRESIGNED_ENTRIES) {
                throw new IllegalArgumentException("pre-signed answers maximum " + presignedEntries
                        + " is not allowed; use 1 to " + MAX_PRESIGNED_ENTRIES);
            }
        }

        /** Without pre-signed answers: every miss of the cache is signed. */
        public Settings(Duration nextUpdate, Duration cacheLifetime, int cacheEntries) {
            this(nextUpdate, cacheLifetime, cacheEntries, false, DEFAULT_PRESIGNED_ENTRIES);
        }

        /** No cache: every response signed fresh. */
        public static Settings uncached(Duration nextUpdate) {
            return new Settings(nextUpdate, Duration.ZERO, DEFAULT_CACHE_ENTRIES);
        }

        /** Whether responses are cached. */
        public boolean caching() {
            return !cacheLifetime.isZero();
        }
    }

    /** Settings and the stores built from them (each {@code null} when off). */
    private record Timing(Settings settings, ResponseCache cache, PresignedResponses presigned) {
        static Timing of(Settings settings, Clock clock, java.util.concurrent.atomic.AtomicLong presignedChanges) {
            return new Timing(settings, settings.caching()
                    ? new ResponseCache(clock, settings.cacheLifetime(), settings.cacheEntries()) : null,
                    settings.presigned()
                    ? new PresignedResponses(clock, settings.nextUpdate(), settings.presignedEntries(), presignedChanges)
                    : null);
        }
    }

    /** A well-formed request: its CertIDs and its nonce extension ({@code null} without). */
    record ParsedRequest(CertID[] certIds, Extension nonce) {
    }

    private record HashAlgorithm(ASN1ObjectIdentifier oid, String jcaName) {
    }

    /**
     * A served CA with its responder ID, the certificates sent with its responses (the delegated
     * responder's, or none) and its CertID hashes for every supported algorithm.
     */
    private record Served(ServedCa ca, ResponderID responderId, ASN1Sequence certs, List<IssuerHashes> hashes) {

        static Served of(ServedCa ca) {
            X509Certificate certificate = ca.caCertificate();
            Certificate parsed;
            try {
                parsed = Certificate.getInstance(certificate.getEncoded());
            } catch (CertificateEncodingException | RuntimeException e) {
                throw new IllegalArgumentException("cannot read the certificate of served CA \"" + ca.name() + "\": "
                        + e.getMessage(), e);
            }
            byte[] subject;
            try {
                subject = parsed.getSubject().getEncoded(ASN1Encoding.DER);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot encode the subject of served CA \"" + ca.name() + "\"", e);
            }
            byte[] key = parsed.getSubjectPublicKeyInfo().getPublicKeyData().getBytes();
            List<IssuerHashes> hashes = new ArrayList<>(HASH_ALGORITHMS.size());
            for (HashAlgorithm algorithm : HASH_ALGORITHMS) {
                MessageDigest digest = digest(algorithm.jcaName());
                byte[] nameHash = digest.digest(subject);
                byte[] keyHash = digest.digest(key);
                hashes.add(new IssuerHashes(algorithm.oid(), nameHash, keyHash));
            }
            // RFC 6960 §4.2.1: ResponderID byKey is the SHA-1 hash of the responder's public key bits.
            byte[] signerKey = SubjectPublicKeyInfo.getInstance(ca.signer().publicKey().getEncoded())
                    .getPublicKeyData().getBytes();
            ResponderID responderId = new ResponderID(new DEROctetString(digest("SHA-1").digest(signerKey)));
            ASN1Sequence certs = null;
            if (ca.delegated()) {
                try {
                    certs = new DERSequence(Certificate.getInstance(ca.responderCertificate().getEncoded()));
                } catch (CertificateEncodingException | RuntimeException e) {
                    throw new IllegalArgumentException("cannot read the delegated responder certificate of served CA \""
                            + ca.name() + "\": " + e.getMessage(), e);
                }
            }
            return new Served(ca, responderId, certs, List.copyOf(hashes));
        }

        /**
         * The CertID of {@code serial} as browsers, the JDK, OpenSSL and Bouncy Castle send it: SHA-1
         * hashes, the algorithm identifier with NULL parameters.
         */
        CertID aheadCertId(BigInteger serial) {
            IssuerHashes sha1 = hashes.get(0);
            return new CertID(SHA1_WITH_NULL, new DEROctetString(sha1.nameHash), new DEROctetString(sha1.keyHash),
                    new ASN1Integer(serial));
        }

        private static MessageDigest digest(String name) {
            try {
                return MessageDigest.getInstance(name, BouncyCastle.PROVIDER);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("Bouncy Castle has no " + name, e);
            }
        }
    }

    /** The lookup key of a CertID: hash algorithm OID, issuerNameHash, issuerKeyHash. */
    private static final class IssuerHashes {
        private final ASN1ObjectIdentifier algorithm;
        private final byte[] nameHash;
        private final byte[] keyHash;
        private final int hashCode;

        IssuerHashes(ASN1ObjectIdentifier algorithm, byte[] nameHash, byte[] keyHash) {
            this.algorithm = algorithm;
            this.nameHash = nameHash;
            this.keyHash = keyHash;
            this.hashCode = 31 * (31 * algorithm.hashCode() + Arrays.hashCode(nameHash)) + Arrays.hashCode(keyHash);
        }

        /** The CertID's own arrays are used without copying: the key only lives for one lookup. */
        static IssuerHashes of(CertID certId) {
            return new IssuerHashes(certId.getHashAlgorithm().getAlgorithm(), certId.getIssuerNameHash().getOctets(),
                    certId.getIssuerKeyHash().getOctets());
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof IssuerHashes that && algorithm.equals(that.algorithm)
                    && Arrays.equals(nameHash, that.nameHash) && Arrays.equals(keyHash, that.keyHash);
        }

        @Override
        public int hashCode() {
            return hashCode;
        }
    }
}
