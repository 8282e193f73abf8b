package org.egovpki.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.egovpki.server.StartupException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code egov-pki certificate renew|rekey|modify|replace}: the lifecycle operations of the
 * running server's API ({@code POST /api/v1/certificates/{serial}/...}), as an operator. Exit codes
 * are {@link ApiClient}'s.
 */
@Command(name = "certificate", mixinStandardHelpOptions = true,
        description = "Renew, rekey, modify, replace or revoke a certificate through the running server's API.",
        subcommands = {CertificateCommand.Renew.class, CertificateCommand.Rekey.class, CertificateCommand.Modify.class,
                CertificateCommand.Replace.class, CertificateCommand.Revoke.class})
final class CertificateCommand implements Runnable {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public void run() {
        System.out.println("usage: egov-pki certificate renew|rekey|modify|replace|revoke --serial HEX --user UID "
                + "--password-file FILE [--url URL] ...  (see egov-pki certificate <operation> --help)");
    }

    /** The certificate an operation applies to, and the operator's connection. */
    abstract static class Operation implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        ApiClient.Options api;

        @Option(names = "--serial", required = true, paramLabel = "HEX", description = "the certificate's serial")
        String serial;

        @Option(names = "--issuer", paramLabel = "CA",
                description = "the issuing CA's name; needed only if two CAs used the serial")
        String issuer;

        abstract String operation();

        abstract ObjectNode body();

        @Override
        public Integer call() {
            String path = ApiClient.API + "/certificates/" + URLEncoder.encode(serial, StandardCharsets.UTF_8) + "/"
                    + operation() + (issuer == null ? "" : "?issuer=" + URLEncoder.encode(issuer, StandardCharsets.UTF_8));
            return api.client().call("POST", path, body(), spec.commandLine().getOut(), spec.commandLine().getErr());
        }
    }

    @Command(name = "renew", mixinStandardHelpOptions = true,
            description = "Renew with the same key: a PKCS#10 request over the certificate's key, signed with it, "
                    + "inside the renewal window (lifecycle.renewalWindow*). Issued at once.")
    static final class Renew extends Operation {
        @Option(names = "--csr", required = true, paramLabel = "FILE", description = "PKCS#10 request, PEM or DER")
        Path csr;

        @Override
        String operation() {
            return "renew";
        }

        @Override
        ObjectNode body() {
            return JSON.createObjectNode().put("csr", ApiClient.pemOrBase64(csr));
        }
    }

    @Command(name = "rekey", mixinStandardHelpOptions = true,
            description = "Certify a new key: the new PKCS#10 request and a CMS SignedData over its DER made with the "
                    + "old key (openssl cms -sign -binary -nodetach -outform DER -signer old.crt -inkey old.key "
                    + "-in new.csr.der -out proof.der). The old certificate is revoked as superseded.")
    static final class Rekey extends Operation {
        @Option(names = "--csr", required = true, paramLabel = "FILE", description = "PKCS#10 for the new key, PEM or DER")
        Path csr;

        @Option(names = "--proof", required = true, paramLabel = "FILE",
                description = "CMS SignedData by the old key over the new request's DER, DER or PEM")
        Path proof;

        @Override
        String operation() {
            return "rekey";
        }

        @Override
        ObjectNode body() {
            return JSON.createObjectNode().put("csr", ApiClient.pemOrBase64(csr)).put("proof",
                    ApiClient.pemOrBase64(proof));
        }
    }

    @Command(name = "modify", mixinStandardHelpOptions = true,
            description = "Enter a modification (changed data): an application as for POST /api/v1/requests, "
                    + "reviewed like one; on issuance the old certificate is revoked as superseded.")
    static final class Modify extends Operation {
        @Option(names = "--application", required = true, paramLabel = "FILE",
                description = "the application as JSON (registration, csr, ...; profile defaults to the certificate's)")
        Path application;

        @Option(names = "--csr", paramLabel = "FILE", description = "PKCS#10 request, PEM or DER (replaces the csr in the file)")
        Path csr;

        @Override
        String operation() {
            return "modify";
        }

        @Override
        ObjectNode body() {
            JsonNode node;
            try {
                node = JSON.readTree(Files.readString(application, StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new StartupException("cannot read the application " + application + " as JSON: " + e.getMessage());
            }
            if (!(node instanceof ObjectNode object)) {
                throw new StartupException("the application " + application + " must be a JSON object");
            }
            if (csr != null) {
                object.put("csr", ApiClient.pemOrBase64(csr));
            }
            return object;
        }
    }

    @Command(name = "replace", mixinStandardHelpOptions = true,
            description = "Replace after a lost or damaged medium (RA or CA admin): a new key, the old notAfter. "
                    + "A reviewer other than the one who entered it approves it; the old certificate is then "
                    + "revoked as superseded.")
    static final class Replace extends Operation {
        @Option(names = "--csr", required = true, paramLabel = "FILE", description = "PKCS#10 for the new key, PEM or DER")
        Path csr;

        @Option(names = "--reason", paramLabel = "TEXT", description = "what happened to the medium (audit trail)")
        String reason;

        @Override
        String operation() {
            return "replace";
        }

        @Override
        ObjectNode body() {
            ObjectNode body = JSON.createObjectNode().put("csr", ApiClient.pemOrBase64(csr));
            if (reason != null) {
                body.put("reason", reason);
            }
            return body;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = "Revoke the certificate (RA admin or CA admin) on behalf of a requester; see docs/revocation.md. "
                    + "OCSP answers revoked at once; a CRL follows within ca.crl.afterRevocationSeconds.")
    static final class Revoke extends Operation {
        @Option(names = "--reason", required = true, paramLabel = "CAUSE",
                description = "CPS cause or its letter: JOB_CHANGE (A), SANCTIONED (B), FALSE_INFORMATION (C), "
                        + "OBLIGATIONS_NOT_MET (D), KEY_COMPROMISE (E), EMPLOYEE_KEY_COMPROMISE (F), AGREEMENT_ENDED (G), "
                        + "HOLDER_REQUEST (H), RELYING_PARTY_SYSTEM (I), LEGAL (J), SUPERSEDED")
        String reason;

        @Option(names = "--requester", required = true, paramLabel = "WHO",
                description = "on whose behalf: SUBSCRIBER, AUTHORISED_REPRESENTATIVE, CA_RA, APPROVING_BODY, "
                        + "RELYING_PARTY or JUDICIAL_AUTHORITY")
        String requester;

        @Option(names = "--invalidity-date", paramLabel = "TIME",
                description = "when the key became (or may have become) invalid, e.g. 2026-11-20T00:00:00Z")
        String invalidityDate;

        @Override
        String operation() {
            return "revoke";
        }

        @Override
        ObjectNode body() {
            ObjectNode body = JSON.createObjectNode().put("reason", reason).put("requester", requester);
            if (invalidityDate != null) {
                body.put("invalidityDate", invalidityDate);
            }
            return body;
        }
    }
}
