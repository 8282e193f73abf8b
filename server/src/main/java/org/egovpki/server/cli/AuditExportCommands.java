package org.egovpki.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.egovpki.core.crypto.BouncyCastle;
import org.egovpki.server.StartupException;
import org.egovpki.server.audit.AuditExportBundle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code egov-pki audit export} and {@code egov-pki audit verify-export} (docs/operations.md,
 * "Audit review and export"). The export is a client of {@code GET /api/v1/audit/export}: the
 * operator logs in as themselves, so the server audits the export under their name and refuses
 * anyone but an auditor or business admin. The check is offline: the bundle and a trusted root.
 */
final class AuditExportCommands {

    /** verify-export: the bundle is intact. */
    static final int EXIT_INTACT = 0;
    /** verify-export: a problem was found (tampered, another signer, broken chain). */
    static final int EXIT_TAMPERED = 1;

    private AuditExportCommands() {
    }

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = "Download a signed archive bundle of the server's audit trail for a period, through the "
                    + "running server's API (as an auditor or business admin; the export is audited).")
    static final class Export implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        ApiClient.Options api;

        @Option(names = "--from", required = true, paramLabel = "DATE",
                description = "start of the period, inclusive: a date (its midnight in --zone) or an ISO-8601 time")
        String from;

        @Option(names = "--to", required = true, paramLabel = "DATE",
                description = "end of the period, exclusive: a date (its midnight in --zone) or an ISO-8601 time")
        String to;

        @Option(names = "--zone", paramLabel = "ZONE", defaultValue = "Asia/Shanghai",
                description = "time zone of dates and of times without an offset (default: ${DEFAULT-VALUE})")
        String zone;

        @Option(names = "--out", required = true, paramLabel = "FILE",
                description = "where to write the bundle (a ZIP); an existing file is not overwritten")
        Path out;

        @Override
        public Integer call() throws IOException {
            ZoneId zoneId = zone(zone);
            Instant start = time("--from", from, zoneId);
            Instant end = time("--to", to, zoneId);
            if (!start.isBefore(end)) {
                throw new StartupException("--to " + to + " must be after --from " + from);
            }
            if (Files.exists(out)) {
                throw new StartupException("--out " + out + " exists; the export does not overwrite a file");
            }
            PrintWriter stdout = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            String path = ApiClient.API + "/audit/export?from=" + URLEncoder.encode(start.toString(),
                    StandardCharsets.UTF_8) + "&to=" + URLEncoder.encode(end.toString(), StandardCharsets.UTF_8);
            ApiClient.Answer answer;
            try {
                answer = api.client().send("GET", path, null, null);
            } catch (ApiClient.Unreachable e) {
                err.println("egov-pki: " + e.getMessage());
                err.flush();
                return ApiClient.EXIT_UNREACHABLE;
            }
            if (!answer.ok()) {
                err.println("egov-pki: HTTP " + answer.status() + " " + ApiClient.summary(answer));
                err.flush();
                return ApiClient.exitCode(answer.status());
            }
            AuditExportBundle.Verification check = AuditExportBundle.verify(answer.body(), List.of());
            if (!check.intact()) {
                err.println("egov-pki: the server's bundle does not verify, not written: "
                        + String.join("; ", check.problems()));
                err.flush();
                return ApiClient.EXIT_SERVER_ERROR;
            }
            write(out, answer.body());
            JsonNode m = check.manifest();
            stdout.println("wrote " + out + ": audit trail sequences " + m.path("firstSequence").asLong() + " to "
                    + m.path("lastSequence").asLong() + " (" + m.path("count").asLong() + " events) from "
                    + m.path("from").asText() + " to " + m.path("to").asText() + ", signed by CA "
                    + m.path("signingCa").asText());
            stdout.println("check it with: egov-pki audit verify-export " + out + " --trust <the CA's root.pem>");
            stdout.flush();
            return ApiClient.EXIT_OK;
        }

        /** Written beside the target and moved into place: a failed write leaves no half bundle. */
        private static void write(Path out, byte[] bundle) throws IOException {
            Path absolute = out.toAbsolutePath();
            Path partial = absolute.resolveSibling(absolute.getFileName() + ".part");
            Files.write(partial, bundle);
            try {
                Files.move(partial, absolute, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException e) {
                Files.deleteIfExists(partial);
                throw new StartupException("--out " + out + " was created meanwhile; not overwritten");
            }
        }
    }

    @Command(name = "verify-export", mixinStandardHelpOptions = true,
            description = "Check an audit export bundle offline: the CA signature over its manifest, the signer's "
                    + "certificate chain, the hashes and the audit hash chain inside.")
    static final class VerifyExport implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "FILE", description = "the bundle egov-pki audit export wrote")
        Path file;

        @Option(names = "--trust", paramLabel = "ROOT.pem",
                description = "the CA's root certificate(s) (PEM or DER) the signer's chain must end at; "
                        + "without it the bundle is only checked for consistency up to the root it carries (whose "
                        + "fingerprint is printed) and the command exits 1: not verified")
        List<Path> trust = new ArrayList<>();

        @Override
        public Integer call() {
            byte[] bundle;
            try {
                bundle = Files.readAllBytes(file);
            } catch (NoSuchFileException e) {
                throw new StartupException("the bundle " + file + " does not exist");
            } catch (IOException e) {
                throw new StartupException("cannot read the bundle " + file + ": " + e.getMessage());
            }
            List<X509Certificate> roots = new ArrayList<>();
            for (Path root : trust) {
                roots.addAll(certificates(root));
            }
            AuditExportBundle.Verification result = AuditExportBundle.verify(bundle, roots);
            PrintWriter out = spec.commandLine().getOut();
            JsonNode m = result.manifest();
            if (m != null) {
                out.println("bundle " + file + ": trail " + m.path("trail").asText() + ", " + m.path("from").asText()
                        + " to " + m.path("to").asText() + ", sequences " + m.path("firstSequence").asLong() + " to "
                        + m.path("lastSequence").asLong() + " (" + m.path("count").asLong() + " events), exported by "
                        + m.path("exportedBy").asText() + " at " + m.path("exportedAt").asText() + ", signed by CA "
                        + m.path("signingCa").asText());
            }
            result.notes().forEach(n -> out.println("  note: " + n));
            result.problems().forEach(p -> out.println("  PROBLEM: " + p));
            if (result.intact() && roots.isEmpty()) {
                // Anyone can make a self-consistent bundle under a root of their own: without a trusted root the
                // check proves nothing about who signed it.
                out.println("NOT VERIFIED: consistent, but checked against no trusted root; give --trust with the "
                        + "CA's published root certificate");
                out.flush();
                return EXIT_TAMPERED;
            }
            out.println(result.intact() ? "intact: the signature, the certificate chain, the hashes and the audit "
                    + "hash chain verify" : "NOT INTACT: " + result.problems().size() + " problem(s); do not rely on "
                    + "this bundle");
            out.flush();
            return result.intact() ? EXIT_INTACT : EXIT_TAMPERED;
        }
    }

    private static List<X509Certificate> certificates(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            List<X509Certificate> found = new ArrayList<>();
            for (Certificate c : CertificateFactory.getInstance("X.509", BouncyCastle.PROVIDER).generateCertificates(in)) {
                found.add((X509Certificate) c);
            }
            if (found.isEmpty()) {
                throw new StartupException("--trust " + file + " holds no certificate");
            }
            return found;
        } catch (NoSuchFileException e) {
            throw new StartupException("--trust " + file + " does not exist");
        } catch (IOException | GeneralSecurityException | ClassCastException e) {
            throw new StartupException("--trust " + file + " is not a PEM or DER certificate: " + e.getMessage());
        }
    }

    private static ZoneId zone(String zone) {
        try {
            return ZoneId.of(zone);
        } catch (RuntimeException e) {
            throw new StartupException("--zone " + zone + " is not a time zone (e.g. Asia/Shanghai, UTC)");
        }
    }

    /** A date (its midnight in {@code zone}), a local date-time (in {@code zone}) or a time with an offset. */
    static Instant time(String option, String value, ZoneId zone) {
        try {
            if (value.length() == 10) {
                return LocalDate.parse(value).atStartOfDay(zone).toInstant();
            }
            try {
                return OffsetDateTime.parse(value).toInstant();
            } catch (DateTimeParseException e) {
                return LocalDateTime.parse(value).atZone(zone).toInstant();
            }
        } catch (DateTimeParseException e) {
            throw new StartupException(option + " " + value + " is not a date (2026-12-01) or an ISO-8601 time "
                    + "(2026-12-01T08:00:00+08:00)");
        }
    }
}
