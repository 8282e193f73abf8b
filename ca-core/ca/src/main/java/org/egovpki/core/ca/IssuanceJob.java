package org.egovpki.core.ca;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.asn1.x500.X500Name;
import org.egovpki.core.certificate.CertificateRecord;
import org.egovpki.core.enroll.EnrollmentRequest;
import org.egovpki.core.enroll.validation.ParsedCsr;
import org.egovpki.core.profile.KeyUsageKind;
import org.egovpki.core.profile.ProfileCatalog;

/**
 * One issuance in flight: the message body of the issuance route, handed from step to step of
 * {@link IssuanceSteps} (check, then per certificate intent, sign, record, publish, then
 * supersede, complete). Immutable: each step returns the next value. What it carries is memory
 * only; the directory holds the durable state, which is why recovery can rebuild a job
 * ({@link IssuanceSteps#resume}) and enter the same steps where a crash left off.
 *
 * <p>Certificates are issued one after the other (a dual profile's signing certificate is
 * published before the encryption intent is written), as they always were: {@link #pendingKinds()}
 * says which of the profile's certificates are still to be started, {@link #resume()} which
 * records a crash left half-done, {@link #current()} the one between its intent and its
 * publication, and {@link #issued()} those finished.
 *
 * @param request     the APPROVED request
 * @param actor       who caused the issuance (audit)
 * @param recovering  whether start-up recovery built this job from the directory
 * @param checked     whether the issuance checks ran and {@link #ca()}, {@link #notAfter()} are decided
 * @param subscriberRegistered whether the check registered the subscriber with this request's data
 *                    (it claimed the subject DN): publishing need not register it again
 * @param entry       the request's profile and issuing CA name, or {@code null} before the check (or
 *                    when recovery finds the profile no longer configured)
 * @param ca          the issuing CA for new intents, or {@code null} until known
 * @param notAfter    the notAfter every new certificate gets (a replacement's original's), or {@code null}
 * @param csr         the request's CSR, parsed once for every certificate of the request
 * @param subject     the subject the DN policy made of the CSR's, computed once with {@link #csr()}
 * @param resume      records recovery found unfinished, still to be taken up, in directory order
 * @param current     the certificate between intent and publication, or {@code null}
 * @param currentCa   the CA that signs {@link #current()}
 * @param signed      the DER of {@link #current()} once signed and not yet recorded (memory only)
 * @param issued      the certificates finished so far (PUBLISHED), signing certificate first
 */
public record IssuanceJob(EnrollmentRequest request, String actor, boolean recovering, boolean checked,
                          boolean subscriberRegistered, ProfileCatalog.Entry entry, CertificateAuthority ca,
                          Instant notAfter, ParsedCsr csr, X500Name subject, List<CertificateRecord> resume,
                          CertificateRecord current, CertificateAuthority currentCa, byte[] signed,
                          List<CertificateRecord> issued) {

    public IssuanceJob {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(actor, "actor");
        resume = List.copyOf(resume);
        issued = List.copyOf(issued);
        signed = signed == null ? null : signed.clone();
    }

    /** A new issuance of an approved request: every step runs, starting with the checks. */
    public static IssuanceJob start(EnrollmentRequest request, String actor) {
        return new IssuanceJob(request, actor, false, false, false, null, null, null, null, null, List.of(), null, null,
                null, List.of());
    }

    /** Recovery of a request whose records a crash left unfinished: no checks, the records first. */
    static IssuanceJob resuming(EnrollmentRequest request, String actor, ProfileCatalog.Entry entry,
                                List<CertificateRecord> unfinished) {
        return new IssuanceJob(request, actor, true, false, false, entry, null, null, null, null, unfinished, null,
                null, null, List.of());
    }

    @Override
    public byte[] signed() {
        return signed == null ? null : signed.clone();
    }

    /**
     * The profile's certificates not yet started, in the profile's order: none once every kind is
     * issued or in flight, and none when the profile is gone (recovery then only finishes records).
     */
    public List<KeyUsageKind> pendingKinds() {
        if (entry == null) {
            return List.of();
        }
        List<KeyUsageKind> pending = new ArrayList<>(entry.profile().kinds());
        issued.forEach(r -> pending.remove(r.kind()));
        if (current != null) {
            pending.remove(current.kind());
        }
        return pending;
    }

    /** Whether another certificate is to be taken up: a record recovery found, or a kind not yet started. */
    public boolean hasNext() {
        return current == null && (!resume.isEmpty() || !pendingKinds().isEmpty());
    }

    IssuanceJob checked(boolean registered, ProfileCatalog.Entry entry, CertificateAuthority ca, Instant notAfter,
                        ParsedCsr csr, X500Name subject) {
        return new IssuanceJob(request, actor, recovering, true, registered, entry, ca, notAfter, csr, subject, resume,
                current, currentCa, signed, issued);
    }

    IssuanceJob withIssuingCa(CertificateAuthority ca, Instant notAfter) {
        return new IssuanceJob(request, actor, recovering, true, subscriberRegistered, entry, ca, notAfter, csr,
                subject, resume, current, currentCa, signed, issued);
    }

    IssuanceJob withCsr(ParsedCsr csr, X500Name subject) {
        return new IssuanceJob(request, actor, recovering, checked, subscriberRegistered, entry, ca, notAfter, csr,
                subject, resume, current, currentCa, signed, issued);
    }

    /** Takes up the next record recovery found; {@code ca} is {@code null} when its CA is gone (the record is voided). */
    IssuanceJob takeResumed(CertificateAuthority recordCa) {
        CertificateRecord next = resume.get(0);
        return new IssuanceJob(request, actor, recovering, checked, subscriberRegistered, entry, ca, notAfter, csr,
                subject, resume.subList(1, resume.size()), recordCa == null ? null : next, recordCa, null, issued);
    }

    IssuanceJob withCurrent(CertificateRecord record, CertificateAuthority recordCa) {
        return new IssuanceJob(request, actor, recovering, checked, subscriberRegistered, entry, ca, notAfter, csr,
                subject, resume, record, recordCa, null, issued);
    }

    IssuanceJob withSigned(byte[] der) {
        return new IssuanceJob(request, actor, recovering, checked, subscriberRegistered, entry, ca, notAfter, csr,
                subject, resume, current, currentCa, der, issued);
    }

    /** {@link #current()} is published: it joins {@link #issued()}. */
    IssuanceJob finished(CertificateRecord published) {
        List<CertificateRecord> all = new ArrayList<>(issued);
        all.add(published);
        return new IssuanceJob(request, actor, recovering, checked, subscriberRegistered, entry, ca, notAfter, csr,
                subject, resume, null, null, null, all);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof IssuanceJob that && recovering == that.recovering && checked == that.checked
                && subscriberRegistered == that.subscriberRegistered && request.equals(that.request)
                && actor.equals(that.actor) && Objects.equals(entry, that.entry)
                && Objects.equals(ca, that.ca) && Objects.equals(notAfter, that.notAfter)
                && Objects.equals(csr, that.csr) && Objects.equals(subject, that.subject)
                && resume.equals(that.resume) && Objects.equals(current, that.current)
                && Objects.equals(currentCa, that.currentCa) && Arrays.equals(signed, that.signed)
                && issued.equals(that.issued);
    }

    @Override
    public int hashCode() {
        return Objects.hash(request.id(), current, issued);
    }

    /** Ids and progress only: the request's registration data and the CSR stay out of logs and traces. */
    @Override
    public String toString() {
        return "IssuanceJob[request=" + request.id() + ", recovering=" + recovering + ", current="
                + (current == null ? "-" : current.serialHex() + "/" + current.issuanceState())
                + ", signed=" + (signed != null) + ", issued=" + issued.stream().map(CertificateRecord::serialHex).toList()
                + ", resume=" + resume.size() + ", pending=" + pendingKinds() + "]";
    }
}
