package org.egovpki.server.cli;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code egov-pki crl issue --ca NAME}: an emergency CRL (CPS 001 §6.2.7.5) through the running
 * server's API ({@code POST /api/v1/crls/{ca}}), as a CA or RA administrator. Exit codes are
 * {@link ApiClient}'s.
 */
@Command(name = "crl", mixinStandardHelpOptions = true, description = "Issue CRLs through the running server's API.",
        subcommands = {CrlCommand.Issue.class})
final class CrlCommand implements Runnable {

    @Override
    public void run() {
        System.out.println("usage: egov-pki crl issue --ca NAME --user UID --password-file FILE [--url URL]");
    }

    @Command(name = "issue", mixinStandardHelpOptions = true,
            description = "Sign and publish the CA's CRL (and delta and partition CRLs) now.")
    static final class Issue implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        ApiClient.Options api;

        @Option(names = "--ca", required = true, paramLabel = "NAME", description = "the CA, e.g. sm2-issuing")
        String ca;

        @Override
        public Integer call() {
            return api.client().call("POST", ApiClient.API + "/crls/" + URLEncoder.encode(ca, StandardCharsets.UTF_8),
                    null, null, spec.commandLine().getOut(), spec.commandLine().getErr());
        }
    }
}
