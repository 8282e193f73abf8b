package org.egovpki.server.cli;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;

import org.egovpki.server.sync.receiver.SyncReceiverServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code egov-pki sync-receiver}: the reference receiver of the web-service sync (docs/sync.md),
 * for an integrator to see and check what the CA sends. Prints {@code listening on <port>} once
 * it listens, then runs until stopped.
 */
@Command(name = "sync-receiver", mixinStandardHelpOptions = true,
        description = "Run the reference receiver of the CA's certificate and CRL sync: JSON at /sync, SOAP at /soap, "
                + "what it holds at /received.")
final class SyncReceiverCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--port", required = true, paramLabel = "N", description = "port to listen on (0: any free port)")
    int port;

    @Option(names = "--ca-url", required = true, paramLabel = "URL",
            description = "the CA's public HTTP base URL, e.g. http://ca.example:8080 (GET /ca, /ca/{name}.crt, /crl/{name}.crl)")
    URI caUrl;

    @Option(names = "--fail-rate", paramLabel = "R", defaultValue = "0",
            description = "answer this share of messages 503 at random, 0 to 0.99 (default 0)")
    double failRate;

    @Option(names = "--data", paramLabel = "DIR", defaultValue = "sync-receiver",
            description = "where accepted events are stored (default ./sync-receiver)")
    Path data;

    @Option(names = "--target", paramLabel = "ID",
            description = "the target id this receiver is; default: the target of the first event it accepts")
    String target;

    private volatile SyncReceiverServer server;

    @Override
    public Integer call() throws InterruptedException {
        server = SyncReceiverServer.start(
                new SyncReceiverServer.Options(port, caUrl, failRate, data, target), Clock.systemUTC());
        SyncReceiverServer started = server;
        Runtime.getRuntime().addShutdownHook(new Thread(started::close, "sync-receiver-shutdown"));
        spec.commandLine().getOut().println("listening on " + server.port());
        spec.commandLine().getOut().flush();
        server.join();
        return 0;
    }

    /** Stops a running receiver (tests; in use, the shutdown hook does it). */
    void stop() {
        SyncReceiverServer running = server;
        if (running != null) {
            running.close();
        }
    }
}
