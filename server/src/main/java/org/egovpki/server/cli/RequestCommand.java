package org.egovpki.server.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.egovpki.core.enroll.EnrollmentService;
import org.egovpki.server.StartupException;
import org.egovpki.server.cli.ImportResults.Status;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code egov-pki request ...}: certification requests through the running server's API. */
@Command(name = "request", mixinStandardHelpOptions = true,
        description = "Certification requests (see docs/enrollment.md).",
        subcommands = {RequestCommand.Import.class})
final class RequestCommand implements Runnable {

    @Override
    public void run() {
        System.out.println("usage: egov-pki request import FILE ...  (see egov-pki request import --help)");
    }

    /**
     * Bulk import: checks every line of the file first (nothing is sent if one is malformed), then
     * sends the applications to {@code POST /api/v1/requests/batch} in batches, recording each
     * line's fate in the results file before and after each batch ({@link ImportResults}), so an
     * interrupted import can be resumed without submitting anything twice.
     *
     * <p>Exit codes: 0 every line is stored; 2 the import could not start (an existing results
     * file without {@code --resume}, a line changed since it was sent, an unreadable file); 3 a line is malformed (nothing sent), the server
     * refused a line, or refused the whole import (credentials, role); 4 a server error, or a line
     * was sent and no answer came, so whether it is stored is unknown; 5 the server did not answer.
     */
    @Command(name = "import", mixinStandardHelpOptions = true,
            description = "Submit the applications of a CSV or JSON-lines file through the batch endpoint, with a "
                    + "progress bar and a results file (line -> request id or refusal); --resume sends only the "
                    + "lines not yet sent. File format: docs/enrollment.md, \"Bulk import\".")
    static final class Import implements Callable<Integer> {

        private static final ObjectMapper JSON = new ObjectMapper();
        private static final String BATCH = ApiClient.API + "/requests/batch";
        /** A batch body stays well below the server's 4 MiB limit. */
        static final int MAX_BODY = 3 * 1024 * 1024;
        private static final Pattern ITEM = Pattern.compile("requests\\[(\\d+)\\](?:\\.(.+))?");
        private static final Pattern ITEM_PREFIX = Pattern.compile("^application \\d+ of the batch: ");

        @Spec
        CommandSpec spec;
        @Mixin
        ApiClient.Options api;
        @Parameters(index = "0", paramLabel = "FILE", description = "the applications: .csv or .jsonl")
        Path file;
        @Option(names = "--format", paramLabel = "csv|jsonl", description = "the file's format (default: by its "
                + "extension, .csv or .jsonl)")
        String format;
        @Option(names = "--results", paramLabel = "FILE", description = "where to write the results (default: "
                + "FILE.results.jsonl); never overwritten")
        Path resultsFile;
        @Option(names = "--resume", paramLabel = "RESULTS", description = "go on from this results file of an "
                + "earlier import of the same FILE: send only the lines it records as not sent or refused")
        Path resume;
        @Option(names = "--batch-size", paramLabel = "N", description = "applications per request, 1 to "
                + EnrollmentService.MAX_BATCH + " (default: ${DEFAULT-VALUE})",
                defaultValue = "" + EnrollmentService.MAX_BATCH)
        int batchSize;
        @Option(names = "--no-progress", description = "no progress bar (e.g. in scripts)")
        boolean noProgress;

        private int created;
        private int refused;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            if (batchSize < 1 || batchSize > EnrollmentService.MAX_BATCH) {
                throw new StartupException("--batch-size " + batchSize + " is not between 1 and "
                        + EnrollmentService.MAX_BATCH);
            }
            if (resume != null && resultsFile != null && !resume.equals(resultsFile)) {
                throw new StartupException("--resume " + resume + " and --results " + resultsFile + ": a resumed "
                        + "import goes on writing the results file it resumes; leave --results out");
            }
            ApplicationFile.Format kind = format == null ? ApplicationFile.Format.of(file) : format(format);
            ApplicationFile.Parsed parsed = ApplicationFile.read(file, kind);
            if (!parsed.problems().isEmpty()) {
                for (ApplicationFile.Problem problem : parsed.problems()) {
                    err.println("egov-pki: " + file + ", " + problem);
                }
                err.println("egov-pki: " + parsed.problems().size() + " problem(s) in " + file
                        + "; nothing was sent: fix the lines and run the import again");
                err.flush();
                return ApiClient.EXIT_REFUSED;
            }
            List<ApplicationFile.Line> lines = parsed.lines();
            ApiClient client = api.client();
            try (ImportResults results = resume != null ? ImportResults.resume(resume)
                    : ImportResults.create(resultsFile != null ? resultsFile
                            : file.resolveSibling(file.getFileName() + ".results.jsonl"))) {
                List<ApplicationFile.Line> pending = pending(lines, results);
                for (ApplicationFile.Line line : pending) {
                    if (results.status(line.number()) == null) {
                        results.record(line, Status.UNSENT);
                    }
                }
                results.flush();
                Thread interrupted = new Thread(() -> System.err.println("\negov-pki: interrupted; what was sent is in "
                        + results.file() + ": egov-pki request import " + file + " --resume " + results.file()
                        + " sends the rest"), "egov-pki-import-interrupted");
                Runtime.getRuntime().addShutdownHook(interrupted);
                int stop = send(client, pending, results, err);
                Runtime.getRuntime().removeShutdownHook(interrupted);
                results.compact();
                return summary(lines, pending.size(), results, stop, out, err);
            }
        }

        private static ApplicationFile.Format format(String name) {
            try {
                return ApplicationFile.Format.valueOf(name.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new StartupException("--format " + name + " is neither csv nor jsonl");
            }
        }

        /** The lines to send: those the results file does not show as stored or sent. */
        private static List<ApplicationFile.Line> pending(List<ApplicationFile.Line> lines, ImportResults results) {
            List<ApplicationFile.Line> pending = new ArrayList<>();
            for (ApplicationFile.Line line : lines) {
                Status status = results.status(line.number());
                if (status == Status.CREATED || status == Status.SENT) {
                    if (!line.fingerprint().equals(results.fingerprint(line.number()))) {
                        throw new StartupException("line " + line.number() + " is not what was sent from it before ("
                                + results.file() + " records it as " + status + "): --resume needs the same file; "
                                + "put changed or new applications in a new file");
                    }
                } else {
                    pending.add(line);
                }
            }
            return pending;
        }

        /** Sends the pending lines batch by batch; returns 0, or the exit code of what stopped the import. */
        private int send(ApiClient client, List<ApplicationFile.Line> pending, ImportResults results,
                         PrintWriter err) {
            if (pending.isEmpty()) {
                return ApiClient.EXIT_OK;
            }
            ProgressBarBuilder builder = new ProgressBarBuilder().setTaskName("import").setInitialMax(pending.size())
                    .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(200).showSpeed()
                    .setConsumer(new ConsoleProgressBarConsumer(noProgress ? nowhere() : System.err));
            try (ProgressBar bar = builder.build()) {
                int from = 0;
                while (from < pending.size()) {
                    List<ApplicationFile.Line> batch = nextBatch(pending, from);
                    from += batch.size();
                    int stop = sendBatch(client, new ArrayList<>(batch), results, err);
                    bar.stepBy(batch.size());
                    bar.setExtraMessage(" created " + created + ", refused " + refused);
                    if (stop != ApiClient.EXIT_OK) {
                        return stop;
                    }
                }
            }
            return ApiClient.EXIT_OK;
        }

        private static java.io.PrintStream nowhere() {
            return new java.io.PrintStream(java.io.OutputStream.nullOutputStream());
        }

        private List<ApplicationFile.Line> nextBatch(List<ApplicationFile.Line> pending, int from) {
            List<ApplicationFile.Line> batch = new ArrayList<>();
            int bytes = 0;
            for (int i = from; i < pending.size() && batch.size() < batchSize; i++) {
                int size = pending.get(i).application().toString().length() + 1;
                if (!batch.isEmpty() && bytes + size > MAX_BODY) {
                    break;
                }
                batch.add(pending.get(i));
                bytes += size;
            }
            return batch;
        }

        /**
         * Sends one batch. Its lines are recorded as SENT before it goes; each answer moves them on.
         * A batch the server refuses whole because of one item (400 naming {@code requests[i]})
         * stored nothing: that line is refused, the others go again.
         */
        private int sendBatch(ApiClient client, List<ApplicationFile.Line> batch, ImportResults results,
                              PrintWriter err) {
            while (!batch.isEmpty()) {
                ArrayNode items = JSON.createArrayNode();
                for (ApplicationFile.Line line : batch) {
                    results.record(line, Status.SENT);
                    items.add(line.application());
                }
                results.flush();
                ApiClient.Answer answer;
                try {
                    answer = client.send("POST", BATCH, ApiClient.JSON,
                            JSON.writeValueAsBytes(JSON.createObjectNode().set("requests", items)));
                } catch (ApiClient.Unreachable e) {
                    if (e.getCause() instanceof ConnectException) {
                        batch.forEach(line -> results.record(line, Status.UNSENT)); // no connection: nothing went
                        results.flush();
                    }
                    err.println("egov-pki: " + e.getMessage());
                    return ApiClient.EXIT_UNREACHABLE;
                } catch (JsonProcessingException e) {
                    throw new IllegalStateException("a JSON tree cannot be written", e);
                }
                JsonNode body = json(answer);
                if (answer.status() == 200 && body.path("results").isArray()) {
                    for (JsonNode result : body.path("results")) {
                        int index = result.path("index").asInt(-1);
                        if (index < 0 || index >= batch.size()) {
                            continue;
                        }
                        ApplicationFile.Line line = batch.get(index);
                        if (result.has("request")) {
                            results.created(line, result.path("request").path("id").asText(),
                                    result.path("request").path("state").asText());
                            created++;
                        } else {
                            JsonNode error = result.path("error");
                            refuse(results, line, error.path("code").asText(), error.path("field").asText(null),
                                    error.path("message").asText(), err);
                        }
                    }
                    results.flush();
                    return ApiClient.EXIT_OK;
                }
                Matcher item = ITEM.matcher(body.path("field").asText(""));
                if (answer.status() == 400 && item.matches() && Integer.parseInt(item.group(1)) < batch.size()) {
                    ApplicationFile.Line line = batch.remove(Integer.parseInt(item.group(1)));
                    refuse(results, line, body.path("code").asText(), item.group(2),
                            ITEM_PREFIX.matcher(body.path("message").asText()).replaceFirst(""), err);
                    batch.forEach(other -> results.record(other, Status.UNSENT));
                    results.flush();
                    continue;
                }
                String why = "HTTP " + answer.status() + " " + body.path("code").asText("") + ": "
                        + body.path("message").asText(new String(answer.body(), java.nio.charset.StandardCharsets.UTF_8));
                if (answer.status() / 100 == 4) {
                    // Refused before any application was looked at (login, role, size): nothing was stored.
                    batch.forEach(line -> results.record(line, Status.UNSENT));
                    results.flush();
                    err.println("egov-pki: the server refused the import: " + why);
                    return ApiClient.EXIT_REFUSED;
                }
                err.println("egov-pki: the server failed on a batch of " + batch.size() + " line(s) (lines "
                        + batch.get(0).number() + " to " + batch.get(batch.size() - 1).number() + "), which may be "
                        + "partly stored: " + why);
                return ApiClient.EXIT_SERVER_ERROR;
            }
            return ApiClient.EXIT_OK;
        }

        private void refuse(ImportResults results, ApplicationFile.Line line, String code, String field,
                            String message, PrintWriter err) {
            results.refused(line, code, field, message);
            refused++;
            err.println("egov-pki: line " + line.number() + " refused: " + code
                    + (field == null ? "" : " (field " + field + ")") + ": " + message);
        }

        private static JsonNode json(ApiClient.Answer answer) {
            try {
                return answer.json() ? JSON.readTree(answer.body()) : JSON.createObjectNode();
            } catch (IOException e) {
                return JSON.createObjectNode();
            }
        }

        private int summary(List<ApplicationFile.Line> lines, int sent, ImportResults results, int stop,
                            PrintWriter out, PrintWriter err) {
            int[] count = new int[Status.values().length];
            List<Integer> unknown = new ArrayList<>();
            for (ApplicationFile.Line line : lines) {
                Status status = results.status(line.number());
                count[status.ordinal()]++;
                if (status == Status.SENT) {
                    unknown.add(line.number());
                }
            }
            out.println("imported " + file + ": " + lines.size() + " line(s): " + count[Status.CREATED.ordinal()]
                    + " created, " + count[Status.REFUSED.ordinal()] + " refused, " + count[Status.UNSENT.ordinal()]
                    + " not sent, " + count[Status.SENT.ordinal()] + " sent without an answer (this run: "
                    + created + " created, " + refused + " refused of " + sent + " to send)");
            out.println("results: " + results.file());
            out.flush();
            if (!unknown.isEmpty()) {
                err.println("egov-pki: line(s) " + unknown + " were sent and no answer came: they may be stored. "
                        + "--resume never sends them again; look for them (GET /api/v1/requests) and import the "
                        + "missing ones from a new file");
            }
            if (count[Status.UNSENT.ordinal()] > 0) {
                err.println("egov-pki: egov-pki request import " + file + " --resume " + results.file()
                        + " sends the lines not sent");
            }
            err.flush();
            if (stop != ApiClient.EXIT_OK) {
                return stop;
            }
            if (!unknown.isEmpty()) {
                return ApiClient.EXIT_SERVER_ERROR;
            }
            return count[Status.REFUSED.ordinal()] > 0 ? ApiClient.EXIT_REFUSED : ApiClient.EXIT_OK;
        }
    }
}
