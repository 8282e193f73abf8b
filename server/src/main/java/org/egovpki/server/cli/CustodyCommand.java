package org.egovpki.server.cli;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.egovpki.core.audit.AuditEvent;
import org.egovpki.core.audit.AuditEventType;
import org.egovpki.core.DomainException;
import org.egovpki.core.crypto.Pkcs12CaKeyStore;
import org.egovpki.server.DataDirectory;
import org.egovpki.server.PortsFile;
import org.egovpki.server.StartupException;
import org.egovpki.server.backup.ArchiveKeys;
import org.egovpki.server.config.ConfigLoader;
import org.egovpki.server.config.EgovPkiConfig;
import org.egovpki.server.custody.CustodyPlan;
import org.egovpki.server.custody.CustodyRecord;
import org.egovpki.server.custody.KeyCustody;
import org.egovpki.server.custody.Share;
import org.egovpki.server.custody.ShareCollector;
import org.egovpki.server.custody.ShareFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code egov-pki custody}: the key custodians' shares of the CA key store password
 * ({@code caKeys.custody: shares}; docs/operations.md, "Rotating shares").
 */
@Command(name = "custody", mixinStandardHelpOptions = true,
        description = "The key custodians' shares of the CA key store password (caKeys.custody: shares).",
        subcommands = {CustodyCommand.Status.class, CustodyCommand.Unlock.class, CustodyCommand.Reshare.class})
final class CustodyCommand implements Runnable {

    @Override
    public void run() {
        System.out.println("usage: egov-pki custody status|unlock|reshare ... (see egov-pki custody <operation> --help)");
    }

    private static Path custodyDirectory(EgovPkiConfig config) {
        return config.dataDirectory().toAbsolutePath().normalize().resolve("custody");
    }

    private static CustodyRecord record(EgovPkiConfig config) {
        if (config.caKeys().custody() != EgovPkiConfig.Custody.SHARES) {
            throw new StartupException("caKeys.custody is " + config.caKeys().custody().name().toLowerCase(
                    java.util.Locale.ROOT) + ": the CA key store password is not split into shares");
        }
        CustodyRecord record = CustodyRecord.load(custodyDirectory(config));
        if (record == null) {
            throw new StartupException("no key custody is set up in " + custodyDirectory(config) + "; 'egov-pki init' "
                    + "creates it (docs/operations.md, \"First start with key custodians\")");
        }
        return record;
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "The split in force: threshold, custodians, epoch and key store id; no secret is read.")
    static final class Status implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        Main.ServerOptions options;

        @Override
        public Integer call() {
            EgovPkiConfig config = options.load(null);
            CustodyRecord record = record(config);
            var out = spec.commandLine().getOut();
            out.println("key store " + record.keyStore() + ", split " + record.epoch() + ": " + record.threshold()
                    + " of " + record.custodians().size() + " custodians needed");
            for (int i = 0; i < record.custodians().size(); i++) {
                String custodian = record.custodians().get(i);
                boolean onMachine = Files.exists(custodyDirectory(config).resolve(custodian + ".share"));
                out.println("  share " + (i + 1) + "\t" + custodian + (onMachine
                        ? "\tWARNING: the share file is still on this machine; hand it over and remove it" : ""));
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "unlock", mixinStandardHelpOptions = true,
            description = "Present your key share to the locked server: the share file is opened here with your "
                    + "passphrase and sent over the API as you (an operator with the KEY_CUSTODIAN role).")
    static final class Unlock implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        ApiClient.Options api;

        @Option(names = "--share", required = true, paramLabel = "FILE", description = "your share file")
        Path share;

        @Option(names = "--passphrase-file", paramLabel = "FILE",
                description = "your share passphrase (first line of FILE); without it it is asked on the terminal")
        Path passphraseFile;

        @Option(names = "--config", paramLabel = "FILE",
                description = "without --url: the server's YAML configuration, whose data directory's run/ports "
                        + "names the HTTP port of the locked server (default: built-in defaults)")
        Path config;

        @Option(names = "--data", paramLabel = "DIR",
                description = "without --url: the server's data directory (key: data; default ./data)")
        String data;

        @Override
        public Integer call() {
            if (!spec.commandLine().getParseResult().hasMatchedOption("--url")) {
                api.url = serverUrl(ConfigLoader.load(config, ConfigLoader.overrides(data, null, null)));
            }
            ShareFile file;
            try {
                file = ShareFile.read(share);
            } catch (IllegalArgumentException e) {
                throw new StartupException(e.getMessage());
            }
            char[] passphrase = Passphrases.read(passphraseFile, false,
                    "Custodian " + file.custodian() + "'s share passphrase");
            Share opened;
            try {
                opened = file.open(passphrase);
            } catch (IllegalArgumentException e) {
                throw new StartupException(e.getMessage() + "; nothing was sent");
            } finally {
                Arrays.fill(passphrase, '\0');
            }
            var body = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode()
                    .put("custodian", opened.custodian()).put("index", opened.index())
                    .put("threshold", opened.threshold()).put("shares", opened.total())
                    .put("keyStore", opened.keyStore()).put("epoch", opened.epoch())
                    .put("share", java.util.Base64.getEncoder().encodeToString(opened.bytes()));
            try {
                return api.client().call("POST", ApiClient.API + "/custody/shares", body,
                        spec.commandLine().getOut(), spec.commandLine().getErr());
            } finally {
                body.removeAll();
            }
        }
    }

    /**
     * The locked server on this machine, when {@code --url} is not given: the HTTP port its ports
     * file names ({@code <data>/run/ports}, written while locked too), else {@code http.port}.
     */
    static URI serverUrl(EgovPkiConfig config) {
        Integer port = PortsFile.read(config.dataDirectory()).get(PortsFile.HTTP);
        if (port == null && config.http().port() != 0) {
            port = config.http().port();
        }
        if (port == null) {
            throw new StartupException("http.port is 0 (a port chosen at start-up) and "
                    + PortsFile.of(config.dataDirectory()) + " does not name it; is the server running on this "
                    + "data directory? Give --data or --config, or the server's --url");
        }
        String host = config.http().host();
        if (host == null || host.isBlank() || "0.0.0.0".equals(host) || "::".equals(host) || "[::]".equals(host)) {
            host = "127.0.0.1";
        } else if (host.indexOf(':') >= 0 && !host.startsWith("[")) {
            host = "[" + host + "]";
        }
        return URI.create("http://" + host + ":" + port);
    }

    @Command(name = "reshare", mixinStandardHelpOptions = true,
            description = "With the server stopped and the threshold of current custodians present: split the same "
                    + "CA key store password again for the custodians now in caKeys.shares; every earlier share "
                    + "stops working.")
    static final class Reshare implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        Main.ServerOptions options;

        @Option(names = "--share", required = true, paramLabel = "FILE",
                description = "a current custodian's share file; repeat until the threshold is reached")
        List<Path> shares = new ArrayList<>();

        @Option(names = "--share-passphrase-file", paramLabel = "NAME=FILE",
                description = "custodian NAME's passphrase for their share file (first line of FILE); without it "
                        + "the custodian is asked on the terminal")
        Map<String, Path> sharePassphraseFiles = new LinkedHashMap<>();

        @Option(names = "--custodian-passphrase-file", paramLabel = "NAME=FILE",
                description = "the passphrase (at least 12 characters) that seals new custodian NAME's share; "
                        + "without it the custodian is asked on the terminal, twice")
        Map<String, Path> custodianPassphraseFiles = new LinkedHashMap<>();

        @Override
        public Integer call() {
            EgovPkiConfig config = options.load(null);
            CustodyRecord current = record(config);
            CustodyPlan next = config.caKeys().shares();
            Path data = config.dataDirectory().toAbsolutePath().normalize();
            DataDirectory locked;
            try {
                locked = DataDirectory.lock(data);
            } catch (StartupException e) {
                throw new StartupException("reshare refused, stop the server first (the shares are checked against "
                        + "the key store offline): " + e.getMessage());
            }
            try (locked) {
                char[][] password = new char[1][];
                ShareCollector collector = new ShareCollector(current, candidate -> {
                    try {
                        Pkcs12CaKeyStore.openOrCreate(locked.keyStore(), candidate);
                        password[0] = candidate.clone();
                        return true;
                    } catch (IllegalStateException e) {
                        return false;
                    }
                });
                if (!Files.exists(locked.keyStore())) {
                    throw new StartupException("there is no CA key store " + locked.keyStore() + " to check the shares "
                            + "against; nothing was written");
                }
                // The collector discards the shares once joined: who presented them is kept here, for the audit.
                List<String> presented = new ArrayList<>();
                for (Path file : shares) {
                    presented.add(presentOne(collector, file));
                }
                if (password[0] == null) {
                    throw new StartupException(collector.progress().summary() + " (" + String.join(", ",
                            collector.progress().presented()) + "); " + current.threshold() + " current custodians "
                            + "are needed; nothing was written");
                }
                Map<String, char[]> passphrases = new LinkedHashMap<>();
                try {
                    for (String custodian : next.custodians()) {
                        passphrases.put(custodian, Passphrases.read(custodianPassphraseFiles.get(custodian), true,
                                "New key custodian " + custodian + "'s passphrase"));
                    }
                    return reshare(config, locked, current, next, password[0], passphrases, presented);
                } finally {
                    Arrays.fill(password[0], '\0');
                    passphrases.values().forEach(p -> Arrays.fill(p, '\0'));
                }
            }
        }

        /**
         * Writes the new split and records it in the CLI audit trail, which is opened (and checked against
         * its anchor) first: a reshare that cannot be audited is not made.
         */
        private int reshare(EgovPkiConfig config, DataDirectory locked, CustodyRecord current, CustodyPlan next,
                            char[] password, Map<String, char[]> passphrases, List<String> presented) {
            OfflineAuditTrail audit;
            try {
                audit = OfflineAuditTrail.open(config, locked, "cli custody reshare");
            } catch (RuntimeException e) {
                throw new StartupException("reshare refused, the audit trail cannot be opened: " + e.getMessage()
                        + "; nothing was written");
            }
            try (audit) {
                Map<String, String> details = new LinkedHashMap<>();
                details.put("keyStore", current.keyStore());
                details.put("previousSplit", Integer.toString(current.epoch()));
                details.put("previousThreshold", Integer.toString(current.threshold()));
                details.put("previousCustodians", String.join(",", current.custodians()));
                details.put("presentedBy", String.join(",", presented));
                String actor = "cli:" + System.getProperty("user.name");
                Clock clock = Clock.systemUTC();
                CustodyRecord record;
                try {
                    record = new KeyCustody(custodyDirectory(config), new SecureRandom(), ArchiveKeys.ITERATIONS)
                            .reshare(password, next, passphrases);
                } catch (IllegalArgumentException e) {
                    details.put("reason", e.getMessage());
                    audit.record(AuditEvent.failure(clock.instant(), AuditEventType.KEY_CUSTODY_RESHARED, actor,
                            List.of(), details));
                    throw new StartupException(e.getMessage() + "; nothing was written");
                }
                details.put("split", Integer.toString(record.epoch()));
                details.put("threshold", Integer.toString(record.threshold()));
                details.put("custodians", String.join(",", record.custodians()));
                audit.record(AuditEvent.success(clock.instant(), AuditEventType.KEY_CUSTODY_RESHARED, actor,
                        List.of(), details));
                var out = spec.commandLine().getOut();
                out.println("split " + record.epoch() + " written: " + record.threshold() + " of "
                        + record.custodians().size() + " (" + String.join(", ", record.custodians()) + "); every "
                        + "share of split " + current.epoch() + " is refused from now on (recorded in the audit trail). "
                        + "Hand each custodian their file " + custodyDirectory(config) + "/<name>.share and remove "
                        + "it from this machine");
                out.flush();
                return 0;
            }
        }

        /** @return the custodian whose share it was */
        private String presentOne(ShareCollector collector, Path file) {
            ShareFile shareFile;
            try {
                shareFile = ShareFile.read(file);
            } catch (IllegalArgumentException e) {
                throw new StartupException(e.getMessage() + "; nothing was written");
            }
            char[] passphrase = Passphrases.read(sharePassphraseFiles.get(shareFile.custodian()), false,
                    "Custodian " + shareFile.custodian() + "'s share passphrase");
            try {
                Share share = shareFile.open(passphrase);
                String custodian = share.custodian();
                collector.present(custodian, share);
                return custodian;
            } catch (IllegalArgumentException | DomainException e) {
                throw new StartupException(file + ": " + e.getMessage() + "; nothing was written");
            } finally {
                Arrays.fill(passphrase, '\0');
            }
        }
    }
}
