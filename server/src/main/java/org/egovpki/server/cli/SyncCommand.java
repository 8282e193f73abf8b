package org.egovpki.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Console;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;
import org.egovpki.server.StartupException;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code egov-pki sync target add|list|show|update|delete|redrive|skip|replay}: the sync targets
 * (docs/sync.md, "Administering targets") through the running server's API
 * ({@code /api/v1/sync/targets}), as a CA administrator (an auditor may list and show). A target's
 * password and PKCS#12 password are read from a file, an environment variable or a prompt, never
 * from the command line, where every user of the machine could read them. Exit codes are
 * {@link ApiClient}'s.
 */
@Command(name = "sync", mixinStandardHelpOptions = true,
        description = "Administer the e-government systems the CA pushes its events to.",
        subcommands = {SyncCommand.Target.class})
final class SyncCommand implements Runnable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TARGETS = ApiClient.API + "/sync/targets";

    @Override
    public void run() {
        System.out.println("usage: egov-pki sync target add|list|show|update|delete|redrive|skip|replay ... "
                + "(see egov-pki sync target <operation> --help)");
    }

    @Command(name = "target", mixinStandardHelpOptions = true, description = "Add, change, read or move sync targets.",
            subcommands = {Add.class, ListTargets.class, Show.class, Update.class, Delete.class, Redrive.class,
                    Skip.class, Replay.class})
    static final class Target implements Runnable {
        @Override
        public void run() {
            System.out.println("usage: egov-pki sync target add|list|show|update|delete|redrive|skip|replay "
                    + "--user UID --password-file FILE [--url URL] ...");
        }
    }

    /** A command on the API: the operator's connection and where output goes. */
    abstract static class ApiCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        ApiClient.Options api;

        PrintWriter out() {
            return spec.commandLine().getOut();
        }

        PrintWriter err() {
            return spec.commandLine().getErr();
        }
    }

    /** A command on one target. */
    abstract static class OneTarget extends ApiCommand {
        @Option(names = "--id", required = true, paramLabel = "ID", description = "the target, e.g. henan-tax")
        String id;

        String path() {
            if (!id.matches("[a-z0-9][a-z0-9-]{0,62}")) {
                throw new StartupException("--id " + id + " is not a target id (lower-case letters, digits and '-')");
            }
            return TARGETS + "/" + id;
        }
    }

    /** Where a secret comes from: a file, an environment variable or a prompt (the options fill in one). */
    static final class SecretSource {
        Path file;
        String env;
        boolean prompt;

        String read(String what) {
            if (file != null) {
                try {
                    String text = Files.readString(file, StandardCharsets.UTF_8);
                    return text.endsWith("\r\n") ? text.substring(0, text.length() - 2)
                            : text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
                } catch (NoSuchFileException e) {
                    throw new StartupException(what + " file " + file + " does not exist");
                } catch (IOException e) {
                    throw new StartupException("cannot read the " + what + " file " + file + ": " + e.getMessage());
                }
            }
            if (env != null) {
                String value = System.getenv(env);
                if (value == null || value.isEmpty()) {
                    throw new StartupException("the environment variable " + env + " (the " + what + ") is not set");
                }
                return value;
            }
            Console console = System.console();
            if (console == null) {
                throw new StartupException("no terminal to ask for the " + what + "; give it as a file or an "
                        + "environment variable");
            }
            char[] typed = console.readPassword("%s: ", what);
            if (typed == null || typed.length == 0) {
                throw new StartupException("no " + what + " given");
            }
            return new String(typed);
        }
    }

    /** The settings add and update take; every one optional on update. */
    static final class Settings {
        @Option(names = "--target-url", paramLabel = "URL",
                description = "where the target receives messages (http:// or https://)")
        String url;

        @Option(names = "--binding", paramLabel = "JSON|SOAP", description = "JSON (default) or SOAP")
        String binding;

        @Option(names = "--business-type", paramLabel = "TYPE",
                description = "a certificate business type it receives, repeatable; none: all")
        List<String> businessTypes;

        @Option(names = "--all-business-types", description = "update: receive every business type again")
        boolean allBusinessTypes;

        @Option(names = "--ca-identifier", paramLabel = "ID", description = "the identifier the target knows the CA by")
        String caIdentifier;

        @Option(names = "--auth", paramLabel = "TYPE", description = "none (default), basic or clientCertificate")
        String authentication;

        @Option(names = "--auth-user", paramLabel = "NAME", description = "the HTTP Basic user name")
        String username;

        @ArgGroup(exclusive = true, heading = "The HTTP Basic password (basic), one of:%n")
        PasswordSource password;

        @Option(names = "--pkcs12", paramLabel = "FILE",
                description = "the TLS client key and certificate as PKCS#12 (clientCertificate)")
        Path pkcs12;

        @ArgGroup(exclusive = true, heading = "The PKCS#12's password (clientCertificate), one of:%n")
        Pkcs12PasswordSource pkcs12Password;

        @Option(names = "--enabled", paramLabel = "true|false", arity = "1",
                description = "whether events are enqueued and delivered (default true)")
        Boolean enabled;

        @Option(names = "--schedule", paramLabel = "CRON",
                description = "realtime (default) or a Quartz cron expression, e.g. '0 0 2 * * ?'")
        String schedule;

        @Option(names = "--personal-data", paramLabel = "true|false", arity = "1",
                description = "whether the target may receive ID numbers whole (default false: masked)")
        Boolean personalData;

        /** Applies the options given onto {@code body} (a new target's, or the current one's). */
        void applyTo(ObjectNode body) {
            put(body, "url", url);
            put(body, "binding", binding);
            if (allBusinessTypes) {
                body.putArray("businessTypes");
            } else if (businessTypes != null) {
                ArrayNode types = body.putArray("businessTypes");
                businessTypes.forEach(types::add);
            }
            put(body, "caIdentifier", caIdentifier);
            if (enabled != null) {
                body.put("enabled", enabled);
            }
            put(body, "schedule", schedule);
            if (personalData != null) {
                body.put("personalData", personalData);
            }
            ObjectNode auth = body.has("authentication") && body.get("authentication").isObject()
                    ? (ObjectNode) body.get("authentication") : body.putObject("authentication");
            if (authentication != null && !authentication.equals(auth.path("type").asText(null))) {
                auth.removeAll();
                auth.put("type", authentication);
            }
            put(auth, "username", username);
            if (password != null) {
                auth.put("password", password.source.read("target's password"));
            }
            if (pkcs12 != null) {
                try {
                    auth.put("pkcs12", Base64.getEncoder().encodeToString(Files.readAllBytes(pkcs12)));
                } catch (NoSuchFileException e) {
                    throw new StartupException("PKCS#12 file " + pkcs12 + " does not exist");
                } catch (IOException e) {
                    throw new StartupException("cannot read " + pkcs12 + ": " + e.getMessage());
                }
            }
            if (pkcs12Password != null) {
                auth.put("pkcs12Password", pkcs12Password.source.read("PKCS#12 password"));
            }
            if (auth.isEmpty()) {
                body.remove("authentication");
            }
        }

        private static void put(ObjectNode node, String field, String value) {
            if (value != null) {
                node.put(field, value);
            }
        }
    }

    /** {@code --auth-password-file|-env|-prompt}. */
    static final class PasswordSource {
        @Option(names = "--auth-password-file", paramLabel = "FILE", required = true,
                description = "read the password from FILE (a trailing newline is dropped)")
        void file(Path file) {
            source.file = file;
        }

        @Option(names = "--auth-password-env", paramLabel = "VAR", required = true,
                description = "read the password from the environment variable VAR")
        void env(String env) {
            source.env = env;
        }

        @Option(names = "--auth-password-prompt", required = true, description = "ask for the password")
        void prompt(boolean prompt) {
            source.prompt = prompt;
        }

        final SecretSource source = new SecretSource();
    }

    /** {@code --pkcs12-password-file|-env|-prompt}. */
    static final class Pkcs12PasswordSource {
        @Option(names = "--pkcs12-password-file", paramLabel = "FILE", required = true,
                description = "read the PKCS#12 password from FILE (a trailing newline is dropped)")
        void file(Path file) {
            source.file = file;
        }

        @Option(names = "--pkcs12-password-env", paramLabel = "VAR", required = true,
                description = "read the PKCS#12 password from the environment variable VAR")
        void env(String env) {
            source.env = env;
        }

        @Option(names = "--pkcs12-password-prompt", required = true, description = "ask for the PKCS#12 password")
        void prompt(boolean prompt) {
            source.prompt = prompt;
        }

        final SecretSource source = new SecretSource();
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Add a target (CA admin).")
    static final class Add extends OneTarget {
        @Mixin
        Settings settings;

        @Override
        public Integer call() {
            path();
            ObjectNode body = JSON.createObjectNode().put("id", id);
            settings.applyTo(body);
            return api.client().call("POST", TARGETS, body, out(), err());
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Every target with its delivery state (CA admin or auditor).")
    static final class ListTargets extends ApiCommand {
        @Override
        public Integer call() {
            return api.client().call("GET", TARGETS, null, out(), err());
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "A target with its delivery state (CA admin or auditor).")
    static final class Show extends OneTarget {
        @Override
        public Integer call() {
            return api.client().call("GET", path(), null, out(), err());
        }
    }

    @Command(name = "update", mixinStandardHelpOptions = true,
            description = "Change the options given and keep the rest (CA admin): reads the target, then replaces "
                    + "its settings. A stored secret is kept unless the authentication type changes.")
    static final class Update extends OneTarget {
        @Mixin
        Settings settings;

        @Override
        public Integer call() {
            ApiClient client = api.client();
            ApiClient.Answer current;
            try {
                current = client.send("GET", path(), null, null);
            } catch (ApiClient.Unreachable e) {
                err().println("egov-pki: " + e.getMessage());
                err().flush();
                return ApiClient.EXIT_UNREACHABLE;
            }
            if (!current.ok()) {
                // Print the refusal (403, 404) as any other command does.
                return client.call("GET", path(), null, out(), err());
            }
            ObjectNode body = settingsOf(current.body());
            settings.applyTo(body);
            return client.call("PUT", path(), body, out(), err());
        }

        /** The settings part of a target as the API answers it: what PUT takes back, no state, no flags. */
        private static ObjectNode settingsOf(byte[] answer) {
            JsonNode target;
            try {
                target = JSON.readTree(answer);
            } catch (IOException e) {
                throw new StartupException("the server answered something that is not a target: " + e.getMessage());
            }
            ObjectNode body = JSON.createObjectNode();
            for (String field : List.of("url", "binding", "businessTypes", "caIdentifier", "enabled", "schedule",
                    "personalData")) {
                if (target.has(field)) {
                    body.set(field, target.get(field));
                }
            }
            ObjectNode auth = body.putObject("authentication");
            auth.put("type", target.path("authentication").path("type").asText("none"));
            if (target.path("authentication").path("username").isTextual()) {
                auth.put("username", target.path("authentication").path("username").asText());
            }
            return body;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true,
            description = "Delete a target with its queue, state and secret (CA admin).")
    static final class Delete extends OneTarget {
        @Override
        public Integer call() {
            return api.client().call("DELETE", path(), null, out(), err());
        }
    }

    @Command(name = "redrive", mixinStandardHelpOptions = true,
            description = "Try the parked head message again at once (CA admin).")
    static final class Redrive extends OneTarget {
        @Override
        public Integer call() {
            return api.client().call("POST", path() + "/redrive", JSON.createObjectNode(), out(), err());
        }
    }

    @Command(name = "skip", mixinStandardHelpOptions = true,
            description = "Count the head message as delivered without delivering it (CA admin).")
    static final class Skip extends OneTarget {
        @Override
        public Integer call() {
            return api.client().call("POST", path() + "/skip", JSON.createObjectNode(), out(), err());
        }
    }

    @Command(name = "replay", mixinStandardHelpOptions = true,
            description = "Deliver again from sequence N (CA admin).")
    static final class Replay extends OneTarget {
        @Option(names = "--from", required = true, paramLabel = "N", description = "the first sequence to deliver again")
        long from;

        @Override
        public Integer call() {
            return api.client().call("POST", path() + "/replay", JSON.createObjectNode().put("from", from), out(),
                    err());
        }
    }
}
