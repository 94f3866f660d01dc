package org.wikiedits.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real single-node Trino ({@value #VERSION}, the engine family of Athena engine v3) as a child
 * process on a free 127.0.0.1 port, with a Hive catalog ({@value #CATALOG}) on a file metastore
 * and the local file system, so that Athena SQL (CSV tables, views, the named queries) runs on the
 * real engine over a real lake, and an Iceberg catalog ({@value #ICEBERG_CATALOG}) on a file
 * metastore of its own for the batch layer's tables ({@code IcebergSql}); queries go over Trino's
 * REST protocol ({@link #query}).
 *
 * <p>Everything lives under one root folder: {@code etc/}, {@code data/}, the metastore in
 * {@code meta/}, and the files that {@code local:///...} locations name ({@link #localUri}).
 *
 * <p>Needs the server tarball from Maven ({@code io.trino:trino-server:476:tar.gz}, about 800 MB,
 * extracted once into {@code target/trino-server-476/} with only the hive and iceberg plugins kept) and a
 * Java 24+ JDK (Trino 476's minimum), by default the Temurin 25 JDK at
 * {@value #DEFAULT_JAVA_HOME}. When either is missing the test fails saying what to install;
 * {@code .ci/run} fetches the tarball. {@code -Dwikiedits.test.trino-java-home} chooses another JDK.
 */
public final class TrinoServer implements AutoCloseable {

    public static final String VERSION = "476";
    public static final String CATALOG = "hive";
    public static final String ICEBERG_CATALOG = "iceberg";
    /** The plugins the two catalogs need; the others are removed from the installation (start-up halves). */
    private static final List<String> PLUGINS = List.of("hive", "iceberg");
    public static final String DEFAULT_JAVA_HOME = "/usr/lib/jvm/temurin-25-jdk-amd64";
    private static final Duration NO_NODES_PATIENCE = Duration.ofSeconds(60);
    private static final String FETCH_COMMAND = "./mvnw -B -ntp dependency:get -Dartifact=io.trino:trino-server:" + VERSION
            + ":tar.gz -Dtransitive=false";

    /** Start-up takes 20-60 s on two shared cores; generous, since other builds may share them. */
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(4);
    private static final Duration QUERY_TIMEOUT = Duration.ofMinutes(5);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final int port;
    private final Path root;
    private final Path log;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** A query result: column names, Trino type names ({@code varchar}, {@code timestamp(3)}, ...) and rows of JSON values. */
    public record Result(List<String> columns, List<String> types, List<List<Object>> rows) {
    }

    private TrinoServer(Process process, int port, Path root, Path log) {
        this.process = process;
        this.port = port;
        this.root = root;
        this.log = log;
    }

    /** Starts Trino with its configuration, data and local file system under {@code root}; returns once it accepts queries. */
    public static TrinoServer start(Path root) throws IOException, InterruptedException {
        Path javaHome = javaHome();
        Path server = installation();
        int port = LoopbackPorts.free();
        Path etc = writeConfiguration(root, port);
        Path log = root.resolve("trino.log");
        ProcessBuilder builder = new ProcessBuilder(server.resolve("bin/launcher").toString(), "run",
                "--etc-dir=" + etc, "--data-dir=" + root.resolve("data"))
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("JAVA_HOME", javaHome.toString());
        builder.environment().put("PATH", javaHome.resolve("bin") + ":" + System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        // the launcher execs the JVM, so this process is Trino itself and close() stops it
        TrinoServer trino = new TrinoServer(builder.start(), port, root, log);
        try {
            trino.awaitReady();
            return trino;
        } catch (IOException | RuntimeException | InterruptedException e) {
            trino.close();
            throw e;
        }
    }

    /** The {@code local:///} URI of {@code path}, which must lie under the root given to {@link #start}. */
    public String localUri(Path path) {
        Path relative = root.toAbsolutePath().normalize().relativize(path.toAbsolutePath().normalize());
        if (relative.startsWith("..")) {
            throw new IllegalArgumentException(path + " is not under Trino's local file system root " + root);
        }
        return "local:///" + relative.toString().replace('\\', '/');
    }

    public int port() {
        return port;
    }

    /**
     * Runs {@code sql} in catalog {@value #CATALOG} and {@code schema} (may be {@code null}) with the
     * session time zone UTC (as Athena's), following {@code nextUri} until the result is complete;
     * a failed query throws with Trino's error.
     */
    public Result query(String schema, String sql) throws IOException, InterruptedException {
        return query(CATALOG, schema, sql);
    }

    /** {@link #query(String, String)} in another catalog ({@value #ICEBERG_CATALOG}). */
    public Result query(String catalog, String schema, String sql) throws IOException, InterruptedException {
        // NO_NODES_AVAILABLE comes before anything runs: Trino's failure detector can take the one node out for
        // a few seconds on a loaded machine (seen in full verify runs); the query is sent again, not failed
        long deadline = System.nanoTime() + NO_NODES_PATIENCE.toNanos();
        while (true) {
            try {
                return queryOnce(catalog, schema, sql);
            } catch (IOException e) {
                if (!String.valueOf(e.getMessage()).contains("NO_NODES_AVAILABLE") || System.nanoTime() > deadline) {
                    throw e;
                }
            }
            Thread.sleep(500);
        }
    }

    private Result queryOnce(String catalog, String schema, String sql) throws IOException, InterruptedException {
        HttpRequest.Builder post = HttpRequest.newBuilder(URI.create(url() + "/v1/statement"))
                .timeout(Duration.ofMinutes(1))
                .header("X-Trino-User", "wikiedits-test")
                .header("X-Trino-Catalog", catalog)
                .header("X-Trino-Time-Zone", "UTC")
                .header("Content-Type", "text/plain; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(sql, StandardCharsets.UTF_8));
        if (schema != null) {
            post.header("X-Trino-Schema", schema);
        }
        JsonNode page = send(post.build(), sql);
        List<String> columns = new ArrayList<>();
        List<String> types = new ArrayList<>();
        List<List<Object>> rows = new ArrayList<>();
        long deadline = System.nanoTime() + QUERY_TIMEOUT.toNanos();
        while (true) {
            if (page.has("error")) {
                JsonNode error = page.get("error");
                throw new IOException("Trino failed " + error.path("errorName").asText() + ": " + error.path("message").asText()
                        + "\nquery: " + sql);
            }
            if (columns.isEmpty() && page.has("columns")) {
                for (JsonNode column : page.get("columns")) {
                    columns.add(column.get("name").asText());
                    types.add(column.get("type").asText());
                }
            }
            for (JsonNode row : page.path("data")) {
                List<Object> values = new ArrayList<>(row.size());
                for (JsonNode value : row) {
                    values.add(value.isNull() ? null : JSON.treeToValue(value, Object.class));
                }
                rows.add(values);
            }
            if (!page.hasNonNull("nextUri")) {
                return new Result(columns, types, rows);
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("Trino did not finish within " + QUERY_TIMEOUT.toMinutes() + " min: " + sql);
            }
            page = send(HttpRequest.newBuilder(URI.create(page.get("nextUri").asText())).timeout(Duration.ofMinutes(1))
                    .GET().build(), sql);
        }
    }

    /** Stops Trino (SIGTERM, then SIGKILL after 30 s). */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private String url() {
        return "http://127.0.0.1:" + port;
    }

    /** One protocol request; 502/503/504 are retried as Trino's own client does. */
    private JsonNode send(HttpRequest request, String sql) throws IOException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            int status = response.statusCode();
            if (status == 200) {
                return JSON.readTree(response.body());
            }
            if ((status == 502 || status == 503 || status == 504) && attempt < 10) {
                Thread.sleep(200L * attempt);
                continue;
            }
            throw new IOException("Trino answered " + status + " to " + request.method() + " " + request.uri() + ": "
                    + response.body() + "\nquery: " + sql);
        }
    }

    /** Waits until {@code /v1/info} says {@code "starting": false}; fails with the log when Trino exits or hangs. */
    private void awaitReady() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        HttpRequest info = HttpRequest.newBuilder(URI.create(url() + "/v1/info")).timeout(Duration.ofSeconds(5)).GET().build();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("Trino exited with " + process.exitValue() + " before it was ready; its log:\n" + logTail());
            }
            try {
                HttpResponse<String> response = http.send(info, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                if (response.statusCode() == 200 && !JSON.readTree(response.body()).path("starting").asBoolean(true)) {
                    awaitNodes();
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new IOException("Trino was not ready within " + READY_TIMEOUT.toSeconds() + " s on port " + port + "; its log:\n"
                + logTail());
    }

    /**
     * Waits until a query runs: the coordinator says it has started before its own node has announced
     * itself to the scheduler ({@link #query} sends a query answered NO_NODES_AVAILABLE again).
     */
    private void awaitNodes() throws IOException, InterruptedException {
        query(null, "SELECT 1");
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    // ---------------------------------------------------------------- set-up

    /** The JDK that runs Trino; fails saying what to install when it is missing. */
    static Path javaHome() {
        Path home = Path.of(System.getProperty("wikiedits.test.trino-java-home", DEFAULT_JAVA_HOME));
        if (!Files.isExecutable(home.resolve("bin/java"))) {
            throw new AssertionError("Trino " + VERSION + " needs a Java 24+ JDK at " + home + " (no bin/java there):"
                    + " install the Temurin 25 JDK (temurin-25-jdk, part of this machine image) at " + DEFAULT_JAVA_HOME
                    + ", or point -Dwikiedits.test.trino-java-home at another JDK 24+.");
        }
        return home;
    }

    /**
     * {@code target/trino-server-476}, extracted from the tarball in the local Maven repository on
     * first use (into a scratch folder, then renamed, so an interrupted extraction is never reused);
     * plugins other than {@link #PLUGINS} are removed, which halves start-up.
     */
    static synchronized Path installation() throws IOException, InterruptedException {
        Path installed = Path.of("target", "trino-server-" + VERSION).toAbsolutePath();
        if (Files.isExecutable(installed.resolve("bin/launcher"))
                && PLUGINS.stream().allMatch(p -> Files.isDirectory(installed.resolve("plugin").resolve(p)))) {
            return installed;
        }
        Path tarball = tarball();
        deleteTree(installed); // an older extraction without a plugin this version needs
        Files.createDirectories(installed.getParent());
        Path scratch = Files.createTempDirectory(installed.getParent(), "trino-extract-");
        try {
            Process tar = new ProcessBuilder("tar", "-xzf", tarball.toString(), "-C", scratch.toString())
                    .redirectErrorStream(true).start();
            String output = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (tar.waitFor() != 0) {
                throw new IOException("cannot extract " + tarball + " (tar exited with " + tar.exitValue() + "): " + output);
            }
            Path extracted = scratch.resolve("trino-server-" + VERSION);
            try (Stream<Path> plugins = Files.list(extracted.resolve("plugin"))) {
                for (Path plugin : plugins.filter(p -> !PLUGINS.contains(p.getFileName().toString())).toList()) {
                    deleteTree(plugin);
                }
            }
            try {
                Files.move(extracted, installed, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
                // another run extracted it meanwhile: use theirs
            }
        } finally {
            deleteTree(scratch);
        }
        return installed;
    }

    private static Path tarball() {
        Path repository = Path.of(System.getProperty("maven.repo.local", Path.of(System.getProperty("user.home"), ".m2",
                "repository").toString()));
        Path tarball = repository.resolve("io/trino/trino-server/" + VERSION + "/trino-server-" + VERSION + ".tar.gz");
        if (!Files.isRegularFile(tarball)) {
            throw new AssertionError("the Trino server tarball is missing: " + tarball + ". Fetch it (about 800 MB) with "
                    + FETCH_COMMAND + " (.ci/run does this).");
        }
        return tarball;
    }

    /** etc/ for one node that is coordinator and worker, bound to 127.0.0.1, with the hive catalog on {@code root}. */
    private static Path writeConfiguration(Path root, int port) throws IOException {
        Path etc = root.resolve("etc");
        Files.createDirectories(etc.resolve("catalog"));
        Files.createDirectories(root.resolve("data"));
        Files.createDirectories(root.resolve("meta"));
        Files.writeString(etc.resolve("config.properties"), String.join("\n",
                "coordinator=true",
                "node-scheduler.include-coordinator=true",
                "http-server.http.port=" + port,
                "discovery.uri=http://127.0.0.1:" + port,
                "web-ui.enabled=false",
                ""));
        Files.writeString(etc.resolve("node.properties"), String.join("\n",
                "node.environment=wikiedits_test",
                "node.id=wikiedits-test-" + port,
                "node.data-dir=" + root.resolve("data").toAbsolutePath(),
                "node.bind-ip=127.0.0.1",
                "node.internal-address=127.0.0.1",
                ""));
        Files.writeString(etc.resolve("jvm.config"), String.join("\n",
                "-server",
                "-Xmx1G",
                "-XX:+UseSerialGC",
                "-XX:+ExitOnOutOfMemoryError",
                "-Djdk.attach.allowAttachSelf=true",
                ""));
        Files.writeString(etc.resolve("log.properties"), "io.trino=INFO\n");
        Files.writeString(etc.resolve("catalog").resolve(CATALOG + ".properties"), String.join("\n",
                "connector.name=hive",
                "hive.metastore=file",
                "hive.metastore.catalog.dir=local:///meta",
                "fs.native-local.enabled=true",
                "local.location=" + root.toAbsolutePath().normalize(),
                ""));
        // the offline Iceberg catalog that starts in 476 (the hive_metastore type with hive.metastore=file does not)
        Files.createDirectories(root.resolve("iceberg-meta"));
        Files.writeString(etc.resolve("catalog").resolve(ICEBERG_CATALOG + ".properties"), String.join("\n",
                "connector.name=iceberg",
                "iceberg.catalog.type=TESTING_FILE_METASTORE",
                "hive.metastore.catalog.dir=local:///iceberg-meta",
                "fs.native-local.enabled=true",
                "local.location=" + root.toAbsolutePath().normalize(),
                ""));
        return etc;
    }

    private static void deleteTree(Path tree) throws IOException {
        if (!Files.exists(tree)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(tree)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
