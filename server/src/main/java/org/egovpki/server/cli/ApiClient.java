package org.egovpki.server.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import java.util.Objects;
import org.egovpki.server.StartupException;
import picocli.CommandLine.Option;

/**
 * The client side of the running server's operator API ({@code /api/v1}) for CLI subcommands:
 * one HTTP call, authenticated as an operator with HTTP Basic, a JSON or raw body, the answer
 * printed, and an exit code chosen by the HTTP status. A command builds the path and body and
 * returns {@link #call}'s result from its {@code call()}.
 *
 * <p>Output: the response body goes to standard output as text (JSON pretty-printed), for
 * scripts; when the server refuses, a one-line {@code egov-pki: HTTP 409 CONFLICT: message}
 * also goes to standard error. Exit codes: {@value #EXIT_OK} for 2xx, {@value #EXIT_REFUSED} for
 * 4xx (the request was refused: fix the input or the credentials), {@value #EXIT_SERVER_ERROR}
 * for 5xx or anything unexpected, {@value #EXIT_UNREACHABLE} when no answer came (server not
 * running, wrong URL, timeout).
 *
 * <p>Over {@code https://} the JDK's trust store decides; a self-signed server certificate needs
 * {@code -Djavax.net.ssl.trustStore=...} (in {@code EGOVPKI_JAVA_OPTS}, which the {@code egov-pki} script passes to Java).
 */
final class ApiClient {

    static final String API = "/api/v1";
    static final int EXIT_OK = 0;
    static final int EXIT_REFUSED = 3;
    static final int EXIT_SERVER_ERROR = 4;
    static final int EXIT_UNREACHABLE = 5;
    static final String JSON = "application/json";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final URI base;
    private final String authorization;
    private final Duration timeout;
    private final HttpClient http;

    /**
     * @param base     the server, e.g. {@code http://127.0.0.1:8080} (paths are appended to it)
     * @param user     the operator's uid
     * @param password the operator's password (not kept: only the encoded header is)
     */
    ApiClient(URI base, String user, char[] password, Duration timeout) {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        this.base = checkedBase(base);
        byte[] credentials = (user + ":" + new String(password)).getBytes(StandardCharsets.UTF_8);
        this.authorization = "Basic " + Base64.getEncoder().encodeToString(credentials);
        Arrays.fill(credentials, (byte) 0);
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    /**
     * A client that sends a session token from a two-factor login ({@code egov-pki login}) as
     * {@code Authorization: Bearer}.
     */
    static ApiClient withToken(URI base, String token, Duration timeout) {
        return new ApiClient(base, "Bearer " + Objects.requireNonNull(token, "token"), timeout);
    }

    private ApiClient(URI base, String authorization, Duration timeout) {
        this.base = checkedBase(base);
        this.authorization = authorization;
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    /** A client without an operator login, for the endpoints a subscriber calls (e.g. key recovery download). */
    ApiClient(URI base, Duration timeout) {
        this.base = checkedBase(base);
        this.authorization = null;
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    private static URI checkedBase(URI base) {
        Objects.requireNonNull(base, "base");
        String scheme = base.getScheme();
        if (base.getHost() == null || !("http".equals(scheme) || "https".equals(scheme))) {
            throw new StartupException("--url " + base + " is not an http:// or https:// URL of the server");
        }
        String text = base.toString();
        return URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
    }

    /** One answer from the server. */
    record Answer(int status, String contentType, byte[] body) {
        boolean ok() {
            return status / 100 == 2;
        }

        boolean json() {
            return contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith(JSON);
        }
    }

    /** The server gave no answer. */
    static final class Unreachable extends Exception {
        private static final long serialVersionUID = 1L;

        Unreachable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Sends one request.
     *
     * @param path        from the server root, e.g. {@code /api/v1/certificates/7f3a/renew?issuer=sm2-issuing}
     * @param contentType the body's type, or {@code null} without a body
     * @param body        the body, or {@code null}
     */
    Answer send(String method, String path, String contentType, byte[] body) throws Unreachable {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout)
                .header("Accept", JSON + ", */*");
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", contentType).method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        }
        try {
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(null),
                    response.body());
        } catch (ConnectException e) {
            throw new Unreachable("cannot connect to " + base + "; is the server running (egov-pki serve) and --url "
                    + "right?", e);
        } catch (HttpTimeoutException e) {
            throw new Unreachable("no answer from " + base + " within " + timeout.toSeconds() + " s", e);
        } catch (IOException e) {
            throw new Unreachable("talking to " + base + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unreachable("interrupted while waiting for " + base, e);
        }
    }

    /** Sends {@code json} (or nothing, if {@code null}), prints the answer and returns the exit code. */
    int call(String method, String path, JsonNode json, PrintWriter out, PrintWriter err) {
        byte[] body;
        try {
            body = json == null ? null : MAPPER.writeValueAsBytes(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree cannot be written", e);
        }
        return call(method, path, json == null ? null : JSON, body, out, err);
    }

    /** Sends a raw body (or nothing, if {@code null}), prints the answer and returns the exit code. */
    int call(String method, String path, String contentType, byte[] body, PrintWriter out, PrintWriter err) {
        Answer answer;
        try {
            answer = send(method, path, contentType, body);
        } catch (Unreachable e) {
            err.println("egov-pki: " + e.getMessage());
            err.flush();
            return EXIT_UNREACHABLE;
        }
        print(answer, out);
        out.flush();
        if (!answer.ok()) {
            err.println("egov-pki: HTTP " + answer.status() + " " + summary(answer));
            err.flush();
        }
        return exitCode(answer.status());
    }

    static int exitCode(int status) {
        if (status / 100 == 2) {
            return EXIT_OK;
        }
        return status / 100 == 4 ? EXIT_REFUSED : EXIT_SERVER_ERROR;
    }

    private static void print(Answer answer, PrintWriter out) {
        if (answer.body().length == 0) {
            return;
        }
        if (answer.json()) {
            try {
                out.println(MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(MAPPER.readTree(answer.body())));
                return;
            } catch (IOException e) {
                // not JSON after all: print it as it came
            }
        }
        out.println(new String(answer.body(), StandardCharsets.UTF_8).stripTrailing());
    }

    /** "CONFLICT: message (field serial)" from the API's error shape, or the start of the body. */
    static String summary(Answer answer) {
        if (answer.json()) {
            try {
                JsonNode error = MAPPER.readTree(answer.body());
                String field = error.path("field").isTextual() ? " (field " + error.path("field").asText() + ")" : "";
                return error.path("code").asText("") + ": " + error.path("message").asText("") + field;
            } catch (IOException e) {
                // fall through
            }
        }
        String text = new String(answer.body(), StandardCharsets.UTF_8).strip();
        return text.length() > 200 ? text.substring(0, 200) + "..." : text;
    }

    /** The environment variable a session token from {@code egov-pki login} may be given in. */
    static final String TOKEN_ENV = "EGOVPKI_TOKEN";

    /**
     * The options every API command takes: where the server is and who the operator is — a password
     * file (HTTP Basic), or a session token from {@code egov-pki login} (a token file, or the
     * {@value #TOKEN_ENV} environment variable when no password file is given).
     */
    static final class Options {
        @Option(names = "--url", paramLabel = "URL", defaultValue = "http://127.0.0.1:8080",
                description = "the running server (default: ${DEFAULT-VALUE})")
        URI url;

        @Option(names = "--user", paramLabel = "UID",
                description = "operator login (with --password-file)")
        String user;

        @Option(names = "--password-file", paramLabel = "FILE",
                description = "file holding the operator's password (surrounding blanks and newlines are ignored)")
        Path passwordFile;

        @Option(names = "--token-file", paramLabel = "FILE",
                description = "file holding a session token from egov-pki login (an operator whose roles need the "
                        + "second factor); without this and --password-file, the token in $" + TOKEN_ENV)
        Path tokenFile;

        @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "60",
                description = "how long to wait for the server (default: ${DEFAULT-VALUE})")
        int timeoutSeconds;

        ApiClient client() {
            return client(System.getenv(TOKEN_ENV));
        }

        /** @param environmentToken the value of {@value #TOKEN_ENV}, {@code null} when unset */
        ApiClient client(String environmentToken) {
            Duration timeout = Duration.ofSeconds(Math.max(1, timeoutSeconds));
            if (tokenFile != null) {
                if (passwordFile != null) {
                    throw new StartupException("give either --password-file or --token-file, not both");
                }
                return withToken(url, secret(tokenFile, "token"), timeout);
            }
            if (passwordFile == null) {
                if (environmentToken != null && !environmentToken.isBlank()) {
                    return withToken(url, environmentToken.trim(), timeout);
                }
                throw new StartupException("no operator login: give --user and --password-file, or --token-file "
                        + "(or $" + TOKEN_ENV + ") with a session token from egov-pki login");
            }
            if (user == null) {
                throw new StartupException("--password-file needs --user, the operator login");
            }
            return new ApiClient(url, user, password(passwordFile), timeout);
        }

        private static String secret(Path file, String what) {
            return new String(read(file, what));
        }

        private static char[] password(Path file) {
            return read(file, "password");
        }

        private static char[] read(Path file, String what) {
            try {
                // Read as `operator add --password-file` reads it, so one file serves both.
                String password = Files.readString(file, StandardCharsets.UTF_8).trim();
                if (password.isEmpty()) {
                    throw new StartupException(what + " file " + file + " is empty");
                }
                return password.toCharArray();
            } catch (NoSuchFileException e) {
                throw new StartupException(what + " file " + file + " does not exist");
            } catch (IOException e) {
                throw new StartupException("cannot read " + what + " file " + file + ": " + e.getMessage());
            }
        }
    }

    /** A file's content for a JSON field: PEM text as it is, anything else (DER) as base64. */
    static String pemOrBase64(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new StartupException("file " + file + " does not exist");
        } catch (IOException e) {
            throw new StartupException("cannot read " + file + ": " + e.getMessage());
        }
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        return text.stripLeading().startsWith("-----BEGIN ") ? text : Base64.getEncoder().encodeToString(bytes);
    }
}
