package org.wikiedits.app;

import static java.util.concurrent.TimeUnit.MINUTES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.wikiedits.testing.ForkedApp;
import org.wikiedits.testing.LoopbackPorts;

/**
 * {@code target/camel-app.jar} as users run it: {@code java -Xmx1g -jar} in an empty folder, offline
 * (the generator source), on free loopback ports, stopped with SIGTERM. Prints the child's RSS and
 * start-up times (figures, not assertions).
 */
@Timeout(value = 6, unit = MINUTES)
class ShadedJarIT {

    private static final Path JAR = Path.of("target", "camel-app.jar");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Duration START_DEADLINE = Duration.ofMinutes(3);

    @TempDir
    Path workDir;

    private ForkedApp app;

    @BeforeAll
    static void theJarIsBuilt() {
        assertThat(JAR).as("the shaded jar (failsafe runs after `package`)").isRegularFile();
    }

    @AfterEach
    void stopTheChild() throws InterruptedException {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void theJarRunsThePipelineOnLoopbackOnlyAndCommitsEverythingOnSigterm() throws Exception {
        int nodePort = LoopbackPorts.free();
        int httpPort = otherFreePort(nodePort);
        String node = "http://127.0.0.1:" + nodePort;
        String http = "http://127.0.0.1:" + httpPort;
        long launched = System.nanoTime();
        app = ForkedApp.startJar(workDir, JAR, Map.of(
                "wikiedits.source.url", "generator:",
                "wikiedits.generator.rate", "200",
                "wikiedits.opensearch.embedded.http-port", String.valueOf(nodePort),
                "wikiedits.http.port", String.valueOf(httpPort),
                "wikiedits.lake.roll-seconds", "2"), List.of("-Xmx1g"));

        awaitChild("GET /health answers 200 with status UP", START_DEADLINE, () -> {
            HttpResponse<String> health = get(http + "/health");
            return health.statusCode() == 200 && JSON.readTree(health.body()).path("status").asText().equals("UP");
        });
        Duration toHealthy = Duration.ofNanos(System.nanoTime() - launched);
        awaitChild("documents in the index 'wikiedits'", Duration.ofMinutes(1), () -> indexCount(node) > 0);
        Path lake = workDir.resolve("data/lake/wikiedits");
        awaitChild("committed lake files", Duration.ofMinutes(1), () -> !committedLakeFiles(lake).isEmpty());

        HttpResponse<String> metrics = get(http + "/metrics");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metricValue(metrics.body(), "wikiedits_events_received_total")).isPositive();

        // the dashboard from the jar: the page, ECharts from its WebJar, and a live panel
        assertThat(get(http + "/").body()).contains("<script src=\"/assets/echarts.min.js\"></script>");
        assertThat(get(http + "/assets/echarts.min.js").statusCode()).isEqualTo(200);
        awaitChild("GET /api/live/summary counts indexed events", Duration.ofSeconds(30),
                () -> JSON.readTree(get(http + "/api/live/summary").body()).path("events").asLong() > 0);
        assertThat(app.log()).contains("dashboard " + http + "/")
                // the start-up summary at the address the server listens on, not Camel's http://0.0.0.0:PORT
                .contains("HTTP endpoints on " + http, "    " + http + "/health").doesNotContain("0.0.0.0");

        List<Listener> listeners = listeners(app.pid());
        assertThat(listeners).extracting(Listener::port).contains(nodePort, httpPort);
        assertThat(listeners).allSatisfy(listener ->
                assertThat(listener.address().getHostAddress()).as("bind address of port " + listener.port()).isEqualTo("127.0.0.1"));
        Optional<InetAddress> outside = nonLoopbackAddress();
        for (Listener listener : listeners) {
            outside.ifPresent(address -> assertThat(connects(address, listener.port()))
                    .as("port " + listener.port() + " reachable via " + address.getHostAddress()).isFalse());
        }

        report(toHealthy, listeners, outside);

        Instant stopRequested = Instant.now();
        int exitCode = app.stop(Duration.ofMinutes(2));
        String log = app.log();
        System.out.printf("ShadedJarIT: SIGTERM -> exit code %d after %.1f s%n", exitCode,
                Duration.between(stopRequested, Instant.now()).toMillis() / 1000.0);
        // the JVM reports a SIGTERM-initiated shutdown as 128 + 15, however cleanly it went
        assertThat(exitCode).as("exit code; log:%n%s", log).isIn(0, 143);
        assertThat(log).doesNotContain("StatusLogger").doesNotContain(" ERROR ")
                .contains("Embedded OpenSearch at " + node + " stopped");

        Matcher lakeClosed = Pattern.compile("Lake closed: (\\d+) rows written").matcher(log);
        assertThat(lakeClosed.find()).as("the lake's closing line in the log:%n%s", log).isTrue();
        try (Stream<Path> files = Files.walk(lake)) {
            assertThat(files.filter(Files::isRegularFile).map(file -> file.getFileName().toString())
                    .filter(name -> name.startsWith("."))).as("pending (hidden) lake files").isEmpty();
        }
        assertThat(rows(committedLakeFiles(lake))).as("rows in committed lake files")
                .isEqualTo(Long.parseLong(lakeClosed.group(1))).isPositive();

        JsonNode checkpoint = JSON.readTree(workDir.resolve("data/state/checkpoint.json").toFile());
        assertThat(checkpoint.path("source").asText()).isEqualTo("generator:");
        assertThat(checkpoint.path("last_event_id").asText()).isNotBlank();
        assertThat(Instant.parse(checkpoint.path("saved_at").asText())).as("checkpoint saved at shutdown")
                .isAfterOrEqualTo(stopRequested);
    }

    @Test
    void helpPrintsTheSubcommandsAndSettingsWithSecretsMaskedAndExitsWithoutStartingCamelOrOpenSearch() throws Exception {
        long launched = System.nanoTime();
        app = ForkedApp.startJar(workDir, JAR, Map.of("wikiedits.opensearch.password", "hunter2-never-shown"), List.of("-Xmx256m"),
                "--help");

        int exitCode = app.awaitExit(Duration.ofMinutes(1));
        System.out.printf("ShadedJarIT: --help took %d ms%n", (System.nanoTime() - launched) / 1_000_000);

        String output = app.log();
        assertThat(exitCode).as(output).isZero();
        assertThat(output).contains("Commands:", "run ", "query ", "compact ", "record ", "--help",
                "wikiedits.source.url", "wikiedits.http.port", "wikiedits.opensearch.embedded.http-port", "wikiedits.data.dir");
        assertThat(output).doesNotContain("Apache Camel").doesNotContain("OpenSearch 2.").doesNotContain("StatusLogger");
        assertThat(output).doesNotContain("hunter2").containsPattern("wikiedits.opensearch.password +\\*\\*\\*\\*");
        try (Stream<Path> left = Files.list(workDir)) {
            assertThat(left.map(path -> path.getFileName().toString())).as("files --help left behind")
                    .allMatch(name -> name.startsWith("app-") && name.endsWith(".log"));
        }
    }

    @Test
    void querySqlRunsItsStatementInAQueryProcessStartedFromTheSameJar() throws Exception {
        app = ForkedApp.startJar(workDir, JAR, Map.of("wikiedits.data.dir", workDir.resolve("data").toString()), List.of("-Xmx256m"),
                "query", "--sql", "SELECT 42 AS answer", "--format", "csv");

        int exitCode = app.awaitExit(Duration.ofMinutes(1));

        String output = app.log();
        assertThat(exitCode).as(output).isZero();
        assertThat(output).contains("answer\n42\n").containsPattern("wikiedits: --sql used peak \\d+ MB resident \\(limit 512 MB\\)");
    }

    // ---- the child ----

    /** Polls until {@code condition} holds, failing at once (with the child's log) if the child exits. */
    private void awaitChild(String what, Duration deadline, Callable<Boolean> condition) {
        try {
            await(what).atMost(deadline).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                    .failFast("the app exited", () -> !app.isAlive())
                    .until(condition);
        } catch (ConditionTimeoutException | TerminalFailureException e) {
            throw new AssertionError(what + ": " + e.getMessage() + "; the app's log:\n" + app.log(), e);
        }
    }

    private void report(Duration toHealthy, List<Listener> listeners, Optional<InetAddress> outside) throws IOException {
        String log = app.log();
        System.out.printf("ShadedJarIT: healthy %.1f s after launch (java -Xmx1g -jar, 200 events/s)%n", toHealthy.toMillis() / 1000.0);
        grep(log, "Embedded OpenSearch \\S+ at .*").ifPresent(line -> System.out.println("ShadedJarIT:   " + line));
        grep(log, "Apache Camel \\S+ \\(wikiedits\\) started in .*").ifPresent(line -> System.out.println("ShadedJarIT:   " + line));
        System.out.printf("ShadedJarIT: RSS of the child: %d MB (VmRSS of pid %d)%n", residentKb(app.pid()) / 1024, app.pid());
        System.out.printf("ShadedJarIT: listening sockets: %s; checked unreachable via %s%n", listeners,
                outside.map(InetAddress::getHostAddress).orElse("(no non-loopback address on this machine)"));
    }

    private static Optional<String> grep(String log, String regex) {
        Matcher matcher = Pattern.compile(regex).matcher(log);
        return matcher.find() ? Optional.of(matcher.group()) : Optional.empty();
    }

    private static long residentKb(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return -1;
    }

    // ---- HTTP ----

    private static HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static long indexCount(String node) throws IOException, InterruptedException {
        HttpResponse<String> response = get(node + "/wikiedits/_count");
        return response.statusCode() == 200 ? JSON.readTree(response.body()).path("count").asLong() : 0;
    }

    /** The value of an unlabelled sample in Prometheus text format. */
    private static double metricValue(String scrape, String name) {
        return scrape.lines().filter(line -> line.startsWith(name + " ")).findFirst()
                .map(line -> Double.parseDouble(line.substring(name.length() + 1).trim()))
                .orElseThrow(() -> new AssertionError(name + " not in /metrics:\n" + scrape));
    }

    // ---- the lake ----

    private static List<Path> committedLakeFiles(Path lake) throws IOException {
        if (!Files.isDirectory(lake)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(lake)) {
            return files.filter(Files::isRegularFile)
                    .filter(file -> file.getFileName().toString().endsWith(".csv") && !file.getFileName().toString().startsWith("."))
                    .toList();
        }
    }

    /** Rows end with \n and fields never contain one (the lake contract). */
    private static long rows(List<Path> files) throws IOException {
        long rows = 0;
        for (Path file : files) {
            for (byte b : Files.readAllBytes(file)) {
                rows += b == '\n' ? 1 : 0;
            }
        }
        return rows;
    }

    // ---- sockets ----

    record Listener(InetAddress address, int port) {
        @Override
        public String toString() {
            return address.getHostAddress() + ":" + port;
        }
    }

    /** The child's listening TCP sockets: its socket inodes (/proc/PID/fd) looked up in /proc/PID/net/tcp and tcp6. */
    static List<Listener> listeners(long pid) throws IOException {
        Path proc = Path.of("/proc", String.valueOf(pid));
        Set<String> inodes = new HashSet<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(proc.resolve("fd"))) {
            for (Path fd : fds) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring("socket:[".length(), target.length() - 1));
                    }
                } catch (IOException closedMeanwhile) {
                    // the descriptor went away while listing
                }
            }
        }
        List<Listener> listeners = new ArrayList<>();
        for (String table : List.of("tcp", "tcp6")) {
            Path file = proc.resolve("net").resolve(table);
            if (!Files.exists(file)) {
                continue;
            }
            List<String> lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
            for (String line : lines.subList(1, lines.size())) {
                // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode ...
                String[] fields = line.trim().split("\\s+");
                if (fields[3].equals("0A") && inodes.contains(fields[9])) { // 0A = LISTEN
                    String[] local = fields[1].split(":");
                    listeners.add(new Listener(procAddress(local[0]), Integer.parseInt(local[1], 16)));
                }
            }
        }
        return listeners;
    }

    /**
     * An address as /proc/net/tcp* prints it: 32-bit words in hex, each in the host's byte order
     * (little-endian here). An IPv4-mapped IPv6 address comes back as the IPv4 address.
     */
    static InetAddress procAddress(String hex) throws IOException {
        byte[] bytes = new byte[hex.length() / 2];
        for (int word = 0; word < bytes.length / 4; word++) {
            for (int i = 0; i < 4; i++) {
                int at = word * 8 + i * 2;
                bytes[word * 4 + (ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? 3 - i : i)] =
                        (byte) Integer.parseInt(hex.substring(at, at + 2), 16);
            }
        }
        return InetAddress.getByAddress(bytes);
    }

    private static Optional<InetAddress> nonLoopbackAddress() throws IOException {
        for (NetworkInterface nic : NetworkInterface.networkInterfaces().toList()) {
            if (nic.isUp() && !nic.isLoopback()) {
                Optional<InetAddress> address = nic.inetAddresses().filter(Inet4Address.class::isInstance).findFirst();
                if (address.isPresent()) {
                    return address;
                }
            }
        }
        return Optional.empty();
    }

    private static boolean connects(InetAddress address, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), 2000);
            return true;
        } catch (IOException refusedOrFiltered) {
            return false;
        }
    }

    private static int otherFreePort(int taken) {
        int port = LoopbackPorts.free();
        while (port == taken) {
            port = LoopbackPorts.free();
        }
        return port;
    }
}
