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
 * {@code egov-pki ca changeover --ca NAME}: rolls a CA to a new key (002 §6.8) through the running
 * server's API ({@code POST /api/v1/cas/{ca}/changeover}), as a CA administrator. Over the API
 * rather than offline: the server already holds the opened key store (with key custody, opened by
 * the custodians' threshold) and the directory, and audits as the operator the directory
 * authenticated. The new key takes over at the next start (docs/operations.md, "CA key
 * changeover"). Exit codes are {@link ApiClient}'s.
 */
@Command(name = "ca", mixinStandardHelpOptions = true, description = "CA administration through the running server's API.",
        subcommands = {CaCommand.Changeover.class})
final class CaCommand implements Runnable {

    @Override
    public void run() {
        System.out.println("usage: egov-pki ca changeover --ca NAME --user UID --password-file FILE [--url URL]");
    }

    @Command(name = "changeover", mixinStandardHelpOptions = true,
            description = "Roll the CA to a new key (new certificate, and link certificates for a root); "
                    + "the new key signs from the next start. Two CA admins: the first one's call proposes it, "
                    + "a second CA admin's call within an hour makes it.")
    static final class Changeover implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        ApiClient.Options api;

        @Option(names = "--ca", required = true, paramLabel = "NAME", description = "the CA, e.g. sm2-root")
        String ca;

        @Override
        public Integer call() {
            return api.client().call("POST", ApiClient.API + "/cas/" + URLEncoder.encode(ca, StandardCharsets.UTF_8)
                    + "/changeover", null, null, spec.commandLine().getOut(), spec.commandLine().getErr());
        }
    }
}
