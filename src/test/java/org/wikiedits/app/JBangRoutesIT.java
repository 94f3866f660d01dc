package org.wikiedits.app;

import static java.util.concurrent.TimeUnit.MINUTES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.wikiedits.sink.index.EmbeddedOpenSearch;
import org.wikiedits.source.generator.SyntheticEvents;
import org.wikiedits.testing.ForkedApp;
import org.wikiedits.testing.LoopbackPorts;
import org.wikiedits.transform.CsvRow;
import org.wikiedits.transform.MalformedEventException;
import org.wikiedits.transform.RecentChange;
import org.wikiedits.transform.RecentChangeReader;

/**
 * The shipped route files run with Camel JBang ({@code camel run}), as the README tells users to:
 * every local-mode route file unchanged ({@code routes/*.camel.yaml}, {@code routes/local/*.camel.yaml} and the
 * sinks' {@code routes/local/lake/}, {@code routes/local/index/}),
 * {@code application.properties}, and the project's own classes as {@code target/wikiedits-classes.jar}
 * (the sse component and {@code WikieditsBeans}, which {@code camel.main.configuration-classes} names).
 *
 * <p>JBang starts no embedded OpenSearch (the app's {@code Pipeline} does that, not a route), so this
 * test starts one in its own JVM and points {@code wikiedits.opensearch.url} at it. The source is a
 * recording of generated events with a repeated event, canaries and a malformed line.
 *
 * <p>Camel JBang runs as the README's offline way runs it: {@code bin/camel} (its own main class on the class
 * path the build wrote, no jbang launcher, nothing downloaded); the jbang launcher's {@code camel} takes the
 * same arguments.
 */
@Timeout(value = 6, unit = MINUTES)
class JBangRoutesIT {

    private static final Path ROUTES = Path.of("src", "main", "resources", "routes");
    private static final Path PROPERTIES = Path.of("src", "main", "resources", "application.properties");
    private static final Path PROJECT_CLASSES_JAR = Path.of("target", "wikiedits-classes.jar");
    /** The README's offline {@code camel} command. */
    private static final Path CAMEL_SCRIPT = Path.of("bin", "camel");
    /** What {@code camel run} would download for the project's classes; the README's command names the same. */
    static final String DEPENDENCIES = "--dep=camel:csv,camel:file,camel:jackson,camel:micrometer-prometheus,camel:opensearch,camel:platform-http-main,camel:vertx-http";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String MALFORMED = "{\"meta\": {\"dt\": \"2026-11-25T08:00:00Z\"}, \"type\": \"edit\"}";

    @TempDir
    Path workDir;

    private EmbeddedOpenSearch node;
    private ForkedApp camel;

    @AfterEach
    void stopEverything() throws InterruptedException {
        try {
            if (camel != null) {
                camel.close();
            }
        } finally {
            if (node != null) {
                node.close();
            }
        }
    }

    @Test
    void theShippedLocalRoutesRunWithCamelJBangIntoTheLakeAndAnExternalOpenSearch() throws Exception {
        node = EmbeddedOpenSearch.start(workDir.resolve("node"), LoopbackPorts.free());
        Run run = startCamelJBang(List.of("local/lake", "local/index"), "--prop=wikiedits.opensearch.url=" + node.url());

        awaitCamel("every event in the lake and the index, and /health UP", () ->
                lakeRows(run.lake()).size() == run.expectedRows().size()
                        && indexCount() == run.expectedRows().size()
                        && get("http://127.0.0.1:" + run.httpPort() + "/health").statusCode() == 200);
        run.stopAndCheck();

        assertThat(indexCount()).isEqualTo(run.expectedRows().size());
        String someId = run.expectedRows().keySet().iterator().next();
        assertThat(JSON.readTree(get(node.url() + "/wikiedits/_doc/" + someId).body()).path("found").asBoolean()).isTrue();
    }

    @Test
    void aLakeOnlyRunNeedsNoOpenSearch() throws Exception {
        Run run = startCamelJBang(List.of("local/lake"), "--prop=wikiedits.sinks=lake");

        awaitCamel("every event in the lake, and /health UP", () ->
                lakeRows(run.lake()).size() == run.expectedRows().size()
                        && get("http://127.0.0.1:" + run.httpPort() + "/health").statusCode() == 200);
        run.stopAndCheck();
        assertThat(camel.log()).doesNotContain("IndexSink").doesNotContain("OpenSearch");
    }

    /** A {@code camel run} of the shared and local route files plus the sinks' {@code folders}, on a recording. */
    private Run startCamelJBang(List<String> sinkFolders, String sinkProperty) throws Exception {
        assertThat(PROJECT_CLASSES_JAR).as("the project's classes without dependencies (`mvn package`)").isRegularFile();
        List<String> lines = recording();
        Path recording = Files.write(workDir.resolve("recording.ndjson"), lines, StandardCharsets.UTF_8);
        Path data = workDir.resolve("data");
        int httpPort = LoopbackPorts.free();

        List<String> args = new ArrayList<>(List.of("run"));
        args.addAll(routeFiles(sinkFolders));
        args.add(PROPERTIES.toAbsolutePath().toString());
        args.add(PROJECT_CLASSES_JAR.toAbsolutePath().toString());
        args.addAll(List.of(DEPENDENCIES,
                sinkProperty,
                "--prop=wikiedits.source.url=file:" + recording.toAbsolutePath(),
                "--prop=wikiedits.data.dir=" + data.toAbsolutePath(),
                "--prop=wikiedits.http.port=" + httpPort,
                "--prop=wikiedits.lake.roll-seconds=1",
                "--max-seconds=240", // a backstop: the test stops it long before
                "--logging-color=false"));
        args.add(0, CAMEL_SCRIPT.toAbsolutePath().toString());
        camel = ForkedApp.startProgram(workDir.resolve("run"),
                Map.of("CAMEL_JAVA_OPTS", "-Xmx512m -Duser.home=" + workDir.resolve("home")), // Camel JBang writes ~/.camel
                args);
        return new Run(lines, expectedRowsById(lines), data, httpPort);
    }

    private final class Run {
        private final List<String> lines;
        private final Map<String, String> expectedRows;
        private final Path data;
        private final int httpPort;

        Run(List<String> lines, Map<String, String> expectedRows, Path data, int httpPort) {
            this.lines = lines;
            this.expectedRows = expectedRows;
            this.data = data;
            this.httpPort = httpPort;
        }

        Map<String, String> expectedRows() {
            return expectedRows;
        }

        int httpPort() {
            return httpPort;
        }

        Path lake() {
            return data.resolve("lake").resolve("wikiedits");
        }

        /** Stops Camel JBang and checks what every run must leave: a clean log, the lake once each, dead letters, the checkpoint. */
        void stopAndCheck() throws Exception {
            int exitCode = camel.stop(Duration.ofMinutes(1));
            String log = camel.log();
            assertThat(exitCode).as("exit code; log:%n%s", log).isIn(0, 143);
            assertThat(log).contains("Additional jars added to classpath: " + PROJECT_CLASSES_JAR.toAbsolutePath())
                    .contains("camel.main.configurationClasses = org.wikiedits.wiring.WikieditsBeans");
            // the endpoint summary names the address the server is bound to (wikiedits.http.host), as the app's does
            assertThat(log).as("endpoint summary").contains("HTTP endpoints on http://127.0.0.1:" + httpPort)
                    .contains("http://127.0.0.1:" + httpPort + "/health").doesNotContain("0.0.0.0");
            // offline, Camel JBang cannot fetch the Kamelet catalog; these routes use no Kamelets
            assertThat(Pattern.compile("^\\S+ \\S+ +ERROR .*$", Pattern.MULTILINE).matcher(log).results()
                    .map(match -> match.group())).as("ERROR lines").allMatch(line -> line.contains("camel-kamelets"));

            assertThat(lakeRows(lake())).as("lake rows, once each").containsExactlyInAnyOrderElementsOf(expectedRows.values());
            try (Stream<Path> files = Files.walk(lake())) {
                assertThat(files.filter(file -> file.getFileName().toString().startsWith("."))).as("pending lake files").isEmpty();
            }
            assertThat(deadLetterRaws(data)).containsExactly(MALFORMED);
            JsonNode checkpoint = JSON.readTree(data.resolve("state/checkpoint.json").toFile());
            assertThat(checkpoint.path("last_event_id").asText()).as("checkpoint: the last line").isEqualTo(String.valueOf(lines.size()));
        }
    }

    /** The shipped local-mode route files, as a user names them: shared, local, and the sinks' folders. */
    private static List<String> routeFiles(List<String> sinkFolders) throws IOException {
        List<String> files = new ArrayList<>();
        List<Path> folders = new ArrayList<>(List.of(ROUTES, ROUTES.resolve("local")));
        sinkFolders.forEach(folder -> folders.add(ROUTES.resolve(folder)));
        for (Path folder : folders) {
            try (Stream<Path> list = Files.list(folder)) {
                list.filter(file -> file.getFileName().toString().endsWith(".camel.yaml")).sorted()
                        .forEach(file -> files.add(file.toAbsolutePath().toString()));
            }
        }
        assertThat(files).hasSizeGreaterThanOrEqualTo(3 + sinkFolders.size());
        return files;
    }

    /** Generated events over several event hours, one repeated, one malformed; ends with an event that is kept. */
    private static List<String> recording() throws MalformedEventException {
        Instant start = Instant.parse("2026-11-25T06:40:00Z");
        List<String> lines = new ArrayList<>();
        for (int n = 1; n <= 400; n++) {
            lines.add(SyntheticEvents.event(n, start.plusSeconds(27L * n)));
            if (n == 150) {
                lines.add(lines.get(100)); // a replay of an earlier event
            }
            if (n == 200) {
                lines.add(MALFORMED);
            }
        }
        for (int n = 401; RecentChangeReader.read(lines.get(lines.size() - 1)).isCanary(); n++) {
            lines.add(SyntheticEvents.event(n, start.plusSeconds(27L * n)));
        }
        return lines;
    }

    /** The lake row of every readable, non-canary event, by event id (so repeats count once). */
    private static Map<String, String> expectedRowsById(List<String> lines) {
        Map<String, String> rows = new LinkedHashMap<>();
        for (String line : lines) {
            try {
                RecentChange event = RecentChangeReader.read(line);
                if (!event.isCanary()) {
                    rows.put(event.eventId(), CsvRow.of(event));
                }
            } catch (MalformedEventException e) {
                // a dead letter
            }
        }
        assertThat(rows.size()).as("events with hours and canaries").isBetween(390, 401);
        return rows;
    }

    private void awaitCamel(String what, java.util.concurrent.Callable<Boolean> condition) {
        try {
            await(what).atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                    .failFast("camel run exited", () -> !camel.isAlive())
                    .until(condition);
        } catch (ConditionTimeoutException | TerminalFailureException e) {
            throw new AssertionError(what + ": " + e.getMessage() + "; camel run's log:\n" + camel.log(), e);
        }
    }

    // ---- what landed ----

    private static List<String> lakeRows(Path lake) throws IOException {
        if (!Files.isDirectory(lake)) {
            return List.of();
        }
        List<String> rows = new ArrayList<>();
        try (Stream<Path> files = Files.walk(lake)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                String name = file.getFileName().toString();
                if (name.endsWith(".csv") && !name.startsWith(".")) {
                    // rows end with \n and hold none inside (the lake contract)
                    Arrays.stream(Files.readString(file, StandardCharsets.UTF_8).split("(?<=\n)")).filter(row -> !row.isEmpty()).forEach(rows::add);
                }
            }
        }
        return rows;
    }

    private long indexCount() throws IOException, InterruptedException {
        get(node.url() + "/wikiedits/_refresh");
        HttpResponse<String> response = get(node.url() + "/wikiedits/_count");
        return response.statusCode() == 200 ? JSON.readTree(response.body()).path("count").asLong() : -1;
    }

    private static List<String> deadLetterRaws(Path data) throws IOException {
        List<String> raws = new ArrayList<>();
        try (Stream<Path> files = Files.list(data.resolve("dead-letter"))) {
            for (Path file : files.sorted().toList()) {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    raws.add(JSON.readTree(line).path("raw").asText());
                }
            }
        }
        return raws;
    }

    private static HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
