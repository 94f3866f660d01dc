package org.wikiedits.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * {@code moto_server} (Python moto 5.x, the AWS stand-in for Firehose, S3, Glue, Athena) as a child
 * process on a free loopback port: {@link #start()} waits until it answers, {@link #close()} stops
 * it. Every test class gets a fresh server, so no state leaks between classes.
 *
 * <p>CI installs moto ({@code pip install 'moto[server]==5.2.1'}); when the executable is missing the
 * test fails with that instruction instead of being skipped, so a broken CI image is noticed.
 * {@code -Dwikiedits.test.moto-server=/path/to/moto_server} chooses another executable.
 */
public final class MotoServer implements AutoCloseable {

    /** The executable looked up on the PATH unless {@code wikiedits.test.moto-server} names one. */
    public static final String EXECUTABLE = "moto_server";
    /** The account and region moto uses unless told otherwise (its test API defaults to them too). */
    public static final String ACCOUNT = "123456789012";
    public static final String REGION = "us-east-1";

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final int port;
    private final Path log;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private MotoServer(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Starts {@code moto_server -H 127.0.0.1 -p <free port>} and returns once it answers HTTP. */
    public static MotoServer start() throws IOException, InterruptedException {
        String executable = executable();
        IOException lastFailure = null;
        for (int attempt = 1; attempt <= 3; attempt++) {
            // a free port can be taken between the check and moto's bind: then try another
            int port = LoopbackPorts.free();
            Path log = Files.createTempFile("moto-server-", ".log");
            Process process = new ProcessBuilder(executable, "-H", "127.0.0.1", "-p", Integer.toString(port))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            MotoServer server = new MotoServer(process, port, log);
            try {
                server.awaitReady();
                return server;
            } catch (IOException e) {
                lastFailure = e;
                server.close();
            }
        }
        throw lastFailure;
    }

    private static String executable() {
        return executable(System.getProperty("wikiedits.test.moto-server", ""), System.getenv("PATH"));
    }

    /** The executable to run: {@code configured} when set, else moto_server on {@code path}; fails saying what to install. */
    static String executable(String configured, String path) {
        if (!configured.isBlank()) {
            if (!Files.isExecutable(Path.of(configured))) {
                throw new AssertionError("-Dwikiedits.test.moto-server=" + configured + " is not an executable file");
            }
            return configured;
        }
        Optional<Path> found = onPath(EXECUTABLE, path);
        if (found.isEmpty()) {
            throw new AssertionError(EXECUTABLE + " is not on the PATH (" + path + "). These tests need the Python moto"
                    + " server 5.x: pip install 'moto[server]==5.2.1' (CI: .ci/run must install it and put it on the PATH),"
                    + " or point -Dwikiedits.test.moto-server at the executable.");
        }
        return found.get().toString();
    }

    public static Optional<Path> onPath(String name, String path) {
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private void awaitReady() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException(EXECUTABLE + " exited with " + process.exitValue() + " before answering; its output:\n" + log());
            }
            try {
                HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(url() + "/moto-api/data.json"))
                        .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(50);
        }
        throw new IOException(EXECUTABLE + " did not answer on port " + port + " within " + READY_TIMEOUT.toSeconds()
                + " s; its output:\n" + log());
    }

    /** {@code http://127.0.0.1:<port>}: the endpoint override for every AWS client of a test. */
    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public URI endpoint() {
        return URI.create(url());
    }

    /**
     * POSTs JSON to one of moto's own test APIs, e.g. {@code /moto-api/static/athena/query-results}
     * or {@code /moto-api/state-manager/set-transition}; fails unless moto answers 2xx.
     */
    public String post(String path, String json) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url() + path))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        if (response.statusCode() / 100 != 2) {
            throw new IOException("moto answered " + response.statusCode() + " to POST " + path + ": " + response.body());
        }
        return response.body();
    }

    /**
     * Queues the answer moto gives to GetQueryResults of the next Athena query execution (moto runs
     * no SQL): a header row with the column labels, as Athena sends for a SELECT, then {@code rows};
     * a {@code null} value is SQL NULL. Uses moto's test API {@code /moto-api/static/athena/query-results}.
     */
    public void queueAthenaResult(List<String> columns, List<String> types, List<List<String>> rows)
            throws IOException, InterruptedException {
        ArrayNode jsonRows = JSON.createArrayNode();
        jsonRows.add(athenaRow(columns));
        rows.forEach(row -> jsonRows.add(athenaRow(row)));
        ArrayNode columnInfo = JSON.createArrayNode();
        for (int i = 0; i < columns.size(); i++) {
            columnInfo.addObject().put("CatalogName", "hive").put("SchemaName", "").put("TableName", "")
                    .put("Name", columns.get(i)).put("Label", columns.get(i)).put("Type", types.get(i))
                    .put("Precision", 0).put("Scale", 0).put("Nullable", "UNKNOWN").put("CaseSensitive", false);
        }
        ObjectNode result = JSON.createObjectNode();
        result.set("rows", jsonRows);
        result.set("column_info", columnInfo);
        ObjectNode body = JSON.createObjectNode().put("account_id", ACCOUNT).put("region", REGION);
        body.putArray("results").add(result);
        post("/moto-api/static/athena/query-results", JSON.writeValueAsString(body));
    }

    /**
     * How moto moves Athena query executions QUEUED → RUNNING → SUCCEEDED: one step every
     * {@code pollsPerStep} GetQueryExecution calls; {@code 0} restores moto's default (at once).
     */
    public void setAthenaProgression(int pollsPerStep) throws IOException, InterruptedException {
        if (pollsPerStep == 0) {
            post("/moto-api/state-manager/unset-transition", "{\"model_name\": \"athena::execution\"}");
        } else {
            post("/moto-api/state-manager/set-transition", "{\"model_name\": \"athena::execution\", \"transition\":"
                    + " {\"progression\": \"manual\", \"times\": " + pollsPerStep + "}}");
        }
    }

    /** Forgets every resource and queued result (moto's {@code /moto-api/reset}). */
    public void reset() throws IOException, InterruptedException {
        post("/moto-api/reset", "{}");
    }

    private static ObjectNode athenaRow(List<String> values) {
        ObjectNode row = JSON.createObjectNode();
        ArrayNode data = row.putArray("Data");
        for (String value : values) {
            ObjectNode datum = data.addObject();
            if (value != null) {
                datum.put("VarCharValue", value);
            }
        }
        return row;
    }

    /** Everything moto printed so far (its request log), for failure messages. */
    public String log() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }

    /** Stops the server (SIGTERM, then SIGKILL after 10 s) and any child it started. */
    @Override
    public void close() throws InterruptedException {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        children.forEach(ProcessHandle::destroyForcibly);
        try {
            Files.deleteIfExists(log);
        } catch (IOException e) {
            // a temp file; the OS cleans it up
        }
    }
}
