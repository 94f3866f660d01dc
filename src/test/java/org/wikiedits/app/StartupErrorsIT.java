package org.wikiedits.app;

import static java.util.concurrent.TimeUnit.MINUTES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.wikiedits.testing.ForkedApp;
import org.wikiedits.testing.LoopbackPorts;

/**
 * The app in a child JVM as an operator meets it on a bad start: wrong settings, a taken port, an
 * unusable or taken data folder, options in the wrong place, {@code --help} after each command.
 * Each failing start must end within seconds with one line that says what to do, a non-zero exit
 * status, and no stack trace (only with {@code --debug}). Runs lake-only: no OpenSearch node.
 */
@Timeout(value = 3, unit = MINUTES)
class StartupErrorsIT {

    private static final Duration QUICK_EXIT = Duration.ofSeconds(30);

    @TempDir
    Path work;

    /** Offline, lake-only, on free ports, data under {@code work/data}. */
    private Map<String, String> settings() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("wikiedits.source.url", "generator:");
        settings.put("wikiedits.sinks", "lake");
        settings.put("wikiedits.data.dir", work.resolve("data").toString());
        settings.put("wikiedits.http.port", String.valueOf(LoopbackPorts.free()));
        return settings;
    }

    private static Result exit(Path dir, Map<String, String> settings, String... args) throws Exception {
        return exit(dir, Map.of(), settings, args);
    }

    private static Result exit(Path dir, Map<String, String> environment, Map<String, String> settings, String... args)
            throws Exception {
        try (ForkedApp app = ForkedApp.start(dir, environment, settings, List.of("-Xmx256m"), args)) {
            int status = app.awaitExit(QUICK_EXIT);
            return new Result(status, app.log());
        }
    }

    record Result(int status, String output) {
        /** The lines the app printed, without the log lines of libraries (none are expected). */
        List<String> lines() {
            return output.lines().filter(line -> !line.isBlank()).toList();
        }
    }

    private static void assertNoStackTrace(Result result) {
        assertThat(result.output()).as("output").doesNotContain("\tat ").doesNotContain("Exception").doesNotContain("Caused by");
    }

    @Test
    void badSettingsStopTheStartWithOneShortLineEachAndExitStatusTwo() throws Exception {
        Map<String, String> settings = settings();
        settings.put("wikiedits.queue.capacity", "abc");
        settings.put("wikiedits.http.port", "abc");
        settings.put("wikiedits.generator.rate", "abc");

        Result result = exit(work, settings, "run");

        assertThat(result.status()).as(result.output()).isEqualTo(2);
        assertThat(result.lines()).containsExactly(
                "wikiedits: wikiedits.generator.rate must be a number, not 'abc'",
                "wikiedits: wikiedits.http.port must be a whole number from 1 to 65535 (a TCP port), not 'abc'",
                "wikiedits: wikiedits.queue.capacity must be a positive whole number, not 'abc'");
        assertThat(work.resolve("data")).as("nothing started, nothing created").doesNotExist();
    }

    @Test
    void aTakenHttpPortStopsTheAppWithTheSettingToChange() throws Exception {
        Map<String, String> settings = settings();
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            settings.put("wikiedits.http.port", String.valueOf(taken.getLocalPort()));

            Result result = exit(work, settings);

            assertThat(result.status()).as(result.output()).isEqualTo(1);
            assertThat(result.output()).contains("wikiedits: Port " + taken.getLocalPort() + " on 127.0.0.1 is already in use,"
                    + " so the dashboard, /health and /metrics cannot start: set wikiedits.http.port to a free port");
            assertNoStackTrace(result);
            assertThat(result.output()).doesNotContain("Apache Camel").as("stopped before Camel started");
        }
    }

    @Test
    void aTakenEmbeddedOpenSearchPortStopsTheAppTheSameWay() throws Exception {
        Map<String, String> settings = settings();
        settings.put("wikiedits.sinks", "lake,index");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            settings.put("wikiedits.opensearch.embedded.http-port", String.valueOf(taken.getLocalPort()));

            Result result = exit(work, settings);

            assertThat(result.status()).as(result.output()).isEqualTo(1);
            assertThat(result.lines()).singleElement().asString().isEqualTo("wikiedits: Port " + taken.getLocalPort()
                    + " on 127.0.0.1 is already in use, so the embedded OpenSearch cannot start: set"
                    + " wikiedits.opensearch.embedded.http-port to a free port (or stop what uses " + taken.getLocalPort()
                    + "), or set wikiedits.opensearch.url to use an external OpenSearch");
        }
    }

    @Test
    void withDebugTheSameFailureAlsoPrintsItsStackTrace() throws Exception {
        Map<String, String> settings = settings();
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            settings.put("wikiedits.http.port", String.valueOf(taken.getLocalPort()));

            Result result = exit(work, settings, "run", "--debug");

            assertThat(result.status()).isEqualTo(1);
            assertThat(result.output()).startsWith("wikiedits: Port " + taken.getLocalPort())
                    .contains("org.wikiedits.config.StartupFailure", "\tat org.wikiedits.config.FreePort.require", "Caused by: java.net.BindException");
        }
    }

    @Test
    void aDataFolderThatCannotBeWrittenStopsTheAppWithTheReason() throws Exception {
        // through a regular file: unwritable for every user, root (CI) included
        Path file = Files.writeString(work.resolve("not-a-folder"), "x");
        Map<String, String> settings = settings();
        settings.put("wikiedits.data.dir", file.resolve("data").toString());

        Result result = exit(work, settings, "run");

        assertThat(result.status()).as(result.output()).isEqualTo(1);
        assertThat(result.lines()).singleElement().asString()
                .startsWith("wikiedits: Cannot write to the data folder " + file.resolve("data"))
                .endsWith("set wikiedits.data.dir to a folder this user can write");
    }

    @Test
    void aSecondInstanceOnTheSameDataFolderStopsAndNamesTheFirst() throws Exception {
        Map<String, String> first = settings();
        try (ForkedApp running = ForkedApp.start(work.resolve("first"), first, List.of("-Xmx512m"), "run")) {
            awaitRunning(running);
            Map<String, String> second = settings(); // same data folder, another HTTP port

            Result result = exit(work.resolve("second"), second, "run");

            assertThat(result.status()).as(result.output()).isEqualTo(1);
            assertThat(result.lines()).containsExactly("wikiedits: Another wikiedits (pid " + running.pid()
                    + ") is already running on the data folder " + work.resolve("data")
                    + ": stop it first, or give this one its own folder with -Dwikiedits.data.dir=...");
            assertThat(running.isAlive()).as("the first one runs on").isTrue();
            assertThat(running.stop(Duration.ofMinutes(1))).isIn(0, 143);
        }
    }

    @Test
    void aRoutesFolderThatReplacesThePackagedRoutesIsNamedInTheLogWithItsFiles() throws Exception {
        Path routes = work.resolve("routes");
        copy(Path.of("src/main/resources/routes"), routes);
        try (ForkedApp app = ForkedApp.start(work, settings(), List.of("-Xmx512m"), "run")) {
            awaitRunning(app);

            assertThat(app.log()).contains("Routes from " + routes + " (replacing the packaged routes): dashboard.camel.yaml,"
                    + " detectors.camel.yaml, local/lake/lake.camel.yaml, local/publish.camel.yaml, ops.camel.yaml, sinks.camel.yaml, source.camel.yaml");
            assertThat(app.stop(Duration.ofMinutes(1))).isIn(0, 143);
        }
    }

    @Test
    void aDashDOptionAfterTheMainClassIsAnsweredWithWhereItBelongs() throws Exception {
        for (String[] args : List.of(new String[] {"-Dwikiedits.http.port=9090"}, new String[] {"run", "-Dwikiedits.sinks=lake"})) {
            Result result = exit(work, settings(), args);

            assertThat(result.status()).as(result.output()).isEqualTo(2);
            assertThat(result.lines()).singleElement().asString().startsWith("wikiedits: '" + args[args.length - 1]
                    + "' comes after -jar, where Java does not read it: put -D options before -jar");
        }
        assertThat(work.resolve("data")).doesNotExist();
    }

    @Test
    void aBadValueFromTheEnvironmentNamesTheVariableAndAMistypedVariableIsWarnedAbout() throws Exception {
        Result result = exit(work, Map.of("WIKIEDITS_QUEUE_CAPACITY", "abc", "WIKIEDITS_HTTP_PROT", "9090"), settings(), "run");

        assertThat(result.status()).as(result.output()).isEqualTo(2);
        assertThat(result.lines()).containsExactly(
                "wikiedits: the environment variable WIKIEDITS_HTTP_PROT is not one the app reads (a typo?); java -jar"
                        + " camel-app.jar --help lists the settings, whose variables are named like WIKIEDITS_SOURCE_URL for"
                        + " wikiedits.source.url",
                "wikiedits: wikiedits.queue.capacity must be a positive whole number, not 'abc' (from the environment"
                        + " variable WIKIEDITS_QUEUE_CAPACITY)");
    }

    @Test
    void versionPrintsTheVersionAndQueryHelpTheQueryNames() throws Exception {
        Result version = exit(work, settings(), "--version");
        Result queryHelp = exit(work, settings(), "query", "--help");

        assertThat(version.status()).as(version.output()).isZero();
        assertThat(version.lines()).singleElement().asString().matches("wikiedits \\S+");
        assertThat(queryHelp.status()).isZero();
        assertThat(queryHelp.output()).containsPattern("\\R  daily_counts +\\S").containsPattern("\\R  total +\\S");
    }

    @Test
    void anUnknownCommandOrRunArgumentIsOneLineWithWhereToLook() throws Exception {
        Result command = exit(work, settings(), "rnu");
        Result argument = exit(work, settings(), "run", "--port", "9090");

        assertThat(command.status()).isEqualTo(2);
        assertThat(command.lines()).containsExactly("wikiedits: unknown command 'rnu'; --help lists the commands");
        assertThat(argument.status()).isEqualTo(2);
        assertThat(argument.lines()).containsExactly("wikiedits: run: unexpected '--port'; run --help lists its options");
    }

    @Test
    void everyCommandAnswersHelpWithItsUsageAndOptionsEvenWithABadSetting() throws Exception {
        Map<String, String> settings = settings();
        settings.put("wikiedits.queue.capacity", "abc");
        Map<String, List<String>> expected = Map.of(
                "run", List.of("run [--debug]", "--debug"),
                "record", List.of("Usage: record <file.ndjson>", "--limit", "--seconds"),
                "query", List.of("Usage: query <name>", "--date", "--limit", "--format", "--sql", "query --list"),
                "compact", List.of("Usage: compact", "--dry-run"),
                "replay-dead-letters", List.of("Usage: replay-dead-letters", "--sink", "--since", "--reason", "--dry-run", "--from"));
        for (Map.Entry<String, List<String>> command : expected.entrySet()) {
            Result result = exit(work, settings, command.getKey(), "--help");

            assertThat(result.status()).as(command.getKey() + " --help: " + result.output()).isZero();
            assertThat(result.output()).contains(command.getValue()).doesNotContain("wikiedits:");
        }
        Result top = exit(work, settings, "--help");
        assertThat(top.status()).isZero();
        expected.values().forEach(options -> assertThat(top.output()).contains(options));
    }

    private static void awaitRunning(ForkedApp app) {
        await("the app's 'wikiedits running' line").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(300))
                .failFast("the app exited: " + app.log(), () -> !app.isAlive())
                .until(() -> app.log().contains("wikiedits running"));
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
    }
}
