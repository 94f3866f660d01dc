package org.wikiedits.soak;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.wikiedits.config.HumanDuration;
import org.wikiedits.testing.FaultyDiskApp;
import org.wikiedits.testing.ForkedApp;
import org.wikiedits.testing.GeneratedStream;
import org.wikiedits.testing.LoopbackPorts;
import org.wikiedits.testing.PipelineFixture;
import org.wikiedits.testing.SseTestServer.Connection;
import org.wikiedits.testing.SseTestServer.LiveClock;
import org.wikiedits.testing.SseTestServer;

/**
 * The soak ({@code bench/soak.sh}): the app in a child JVM ({@code -Xmx1g}, embedded OpenSearch, one
 * data folder) reads a long generated stream from the local SSE server at a live pace, is killed with
 * {@code kill -9} at random moments and restarted, meets a closed index and a full lake disk for a
 * while; then the lake and the index are checked against every good event sent. Prints the figures
 * and writes them to {@code target/soak-report.md}. Seeded: the same {@code --seed} replays the same
 * kill moments.
 */
public final class Soak {

    private static final String PASS = "PASS";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Options options;
    private final Random random;
    private final Path work;
    private final Path data;
    private final Path diskFullFlag;
    private final int httpPort = LoopbackPorts.free();
    private final int openSearchPort = LoopbackPorts.free();
    private final List<String> timeline = new ArrayList<>();
    private ForkedApp app;
    private int starts;
    private int kills;
    private int unexpectedExits;
    private long peakRssKb;
    private long started;

    private Soak(Options options, Path work) {
        this.options = options;
        this.random = new Random(options.seed);
        this.work = work;
        this.data = work.resolve("data");
        this.diskFullFlag = work.resolve("disk-full");
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        Path work = Path.of("target", "soak-" + Instant.now().truncatedTo(ChronoUnit.SECONDS).toString().replace(":", ""));
        Files.createDirectories(work);
        System.out.printf(Locale.ROOT, "soak: %s, %d events/s, a kill -9 every ~%d s, faults of %d s, seed %d (replay with --seed %d); work folder %s%n",
                HumanDuration.format(Duration.ofSeconds(options.seconds)), options.rate, options.killEverySeconds, options.faultSeconds,
                options.seed, options.seed, work.toAbsolutePath());
        String report = new Soak(options, work).run();
        Files.writeString(options.report, report, StandardCharsets.UTF_8);
        System.out.println(report);
        System.out.println("soak: report written to " + options.report.toAbsolutePath());
        System.exit(report.contains(PASS) ? 0 : 1); // also ends the SSE server's and HTTP client's threads
    }

    private String run() throws Exception {
        int generated = (int) Math.min(Integer.MAX_VALUE - 10_000L, (long) options.rate * options.seconds);
        GeneratedStream stream = GeneratedStream.of(generated, Instant.now().truncatedTo(ChronoUnit.SECONDS), options.rate);
        Instant date = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        try (SseTestServer server = SseTestServer.start(stream)) {
            startApp(server);
            awaitRunning();
            LiveClock clock = LiveClock.startingNow(options.rate);
            server.otherwise(Connection.serveAll().withRetry(1000).live(clock));
            started = System.nanoTime();
            note("stream starts: " + stream.size() + " lines at " + options.rate + "/s");

            long indexClosedAt = window(0.30);
            long diskFullAt = window(0.60);
            List<Long> killsAt = killMoments(List.of(indexClosedAt, diskFullAt));
            note("planned: index closed at " + indexClosedAt + " s, disk full at " + diskFullAt + " s, kills at " + killsAt + " s");
            long streamEnd = (long) Math.ceil(stream.size() / (double) options.rate);
            Fault indexClosed = new Fault("index closed", indexClosedAt, null,
                    () -> note("index closed: " + openSearch("/wikiedits/_close")),
                    () -> note("index opened: " + openSearch("/wikiedits/_open")));
            Fault diskFull = new Fault("lake disk full", diskFullAt, indexClosed,
                    () -> Files.writeString(diskFullFlag, "full"),
                    () -> Files.delete(diskFullFlag));
            while (elapsed() < streamEnd) {
                if (!killsAt.isEmpty() && elapsed() >= killsAt.get(0)) {
                    killsAt.remove(0);
                    app.kill();
                    kills++;
                    note("kill -9 (pid " + app.pid() + ")");
                    startApp(server);
                }
                indexClosed.step();
                diskFull.step();
                tick(server);
            }
            note("every event published; waiting for the faults to end and the checkpoint to reach the last one");
            String lastId = server.idOf(stream.size());
            long catchUpDeadline = System.nanoTime() + Duration.ofMinutes(options.catchUpMinutes).toNanos();
            boolean caughtUp;
            while (!((caughtUp = lastId.equals(PipelineFixture.checkpoint(data))) && diskFull.ended >= 0)
                    && System.nanoTime() < catchUpDeadline) {
                indexClosed.step();
                diskFull.step();
                tick(server);
            }
            note(caughtUp ? "caught up: the checkpoint is the last event's id" : "NOT caught up within " + options.catchUpMinutes + " min");
            note("final health: " + health());

            Set<String> expected = stream.expectedIds(stream.size());
            List<String> lake = PipelineFixture.lakeEventIds(data);
            List<String> index = indexIdsWhileRunning();
            List<JsonNode> deadLetters = PipelineFixture.deadLetters(data);
            int exit = app.stop(Duration.ofMinutes(2));
            note("SIGTERM: exit code " + exit);
            boolean outOfMemory = logsMention("OutOfMemoryError");
            return report(date, stream, expected, lake, index, deadLetters, caughtUp, outOfMemory);
        } finally {
            if (app != null) {
                app.close();
            }
        }
    }

    private interface Step {
        void run() throws Exception;
    }

    /**
     * A fault that begins at a planned moment (but not before the previous fault has been over for 10 s:
     * one fault at a time), is checked half-way (health) and ends after {@code faultSeconds}.
     */
    private final class Fault {
        private final String name;
        private final long plannedAt;
        private final Fault previous;
        private final Step begin;
        private final Step end;
        private long began = -1;
        private boolean checked;
        private long ended = -1;

        Fault(String name, long plannedAt, Fault previous, Step begin, Step end) {
            this.name = name;
            this.plannedAt = plannedAt;
            this.previous = previous;
            this.begin = begin;
            this.end = end;
        }

        void step() throws Exception {
            long now = elapsed();
            boolean previousOver = previous == null || previous.ended >= 0 && now >= previous.ended + 10;
            if (began < 0 && now >= plannedAt && previousOver) {
                begin.run();
                began = elapsed();
                note(name + ": begins");
            } else if (began >= 0 && !checked && now >= began + options.faultSeconds / 2) {
                checked = true;
                note("health while " + name + ": " + health());
            } else if (began >= 0 && ended < 0 && now >= began + options.faultSeconds) {
                end.run();
                ended = elapsed();
                note(name + ": ends");
            }
        }
    }

    /** A random moment for a fault around {@code fraction} of the run, in seconds from the start. */
    private long window(double fraction) {
        return (long) (options.seconds * (fraction + random.nextDouble() * 0.1));
    }

    /** One kill at a random moment in each kill period, none within 15 s of a fault (those are their own test). */
    private List<Long> killMoments(List<Long> faults) {
        List<Long> moments = new ArrayList<>();
        for (long period = 0; period < options.seconds; period += options.killEverySeconds) {
            long moment = period + (long) (random.nextDouble() * options.killEverySeconds);
            boolean nearFault = faults.stream().anyMatch(fault -> moment > fault - 15 && moment < fault + options.faultSeconds + 15);
            if (moment > 10 && moment < options.seconds && !nearFault) {
                moments.add(moment);
            }
        }
        return moments;
    }

    private void startApp(SseTestServer server) throws IOException, InterruptedException {
        List<String> jvm = new ArrayList<>(List.of("-Xmx1g", "-XX:+ExitOnOutOfMemoryError"));
        Map<String, String> properties = new TreeMap<>(Map.of(
                "wikiedits.source.url", server.url(),
                "wikiedits.data.dir", data.toAbsolutePath().toString(),
                "wikiedits.http.port", String.valueOf(httpPort),
                "wikiedits.opensearch.embedded.http-port", String.valueOf(openSearchPort),
                "wikiedits.lake.roll-seconds", "15",
                "wikiedits.progress.seconds", "30",
                FaultyDiskApp.FLAG_PROPERTY, diskFullFlag.toAbsolutePath().toString()));
        properties.forEach((key, value) -> jvm.add("-D" + key + "=" + value));
        awaitPortsFree();
        app = ForkedApp.startMain(work, jvm, System.getProperty("java.class.path"), FaultyDiskApp.class.getName());
        starts++;
    }

    /** A killed app's ports are free at once; waits a moment in case the kernel still holds them. */
    private void awaitPortsFree() throws InterruptedException {
        for (int i = 0; i < 100 && !(LoopbackPorts.isFree(httpPort) && LoopbackPorts.isFree(openSearchPort)); i++) {
            Thread.sleep(100);
        }
    }

    private void awaitRunning() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (!app.log().contains("wikiedits running")) {
            if (!app.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("the app did not start; its log:\n" + app.log());
            }
            Thread.sleep(500);
        }
    }

    /** One second of watching: peak RSS, and a restart if the app ended by itself. */
    private void tick(SseTestServer server) throws IOException, InterruptedException {
        Thread.sleep(1000);
        peakRssKb = Math.max(peakRssKb, rssKb(app.pid()));
        if (!app.isAlive()) {
            unexpectedExits++;
            note("the app exited by itself; the end of its log:\n" + tail(app.log(), 3000));
            startApp(server);
        }
    }

    private static long rssKb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            // the process just ended, or no /proc
        }
        return 0;
    }

    private long elapsed() {
        return (System.nanoTime() - started) / 1_000_000_000L;
    }

    private void note(String line) {
        String entry = String.format(Locale.ROOT, "%5d s  %s", started == 0 ? 0 : elapsed(), line);
        timeline.add(entry);
        System.out.println("soak: " + entry);
    }

    /** POSTs to the embedded node, retrying while a restart has it down; returns the answer's status. */
    private String openSearch(String path) throws InterruptedException {
        for (int attempt = 0; attempt < 120; attempt++) {
            try {
                HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + openSearchPort + path))
                        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() < 500) {
                    return response.statusCode() + " " + tail(response.body(), 200);
                }
            } catch (IOException e) {
                // the node restarts with the app
            }
            Thread.sleep(1000);
        }
        return "no answer from the node";
    }

    private String health() {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/health"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() + " " + tail(response.body(), 400);
        } catch (IOException e) {
            return "no answer (" + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /** The index lives in the app's embedded node, so it is read before the app stops. */
    private List<String> indexIdsWhileRunning() throws IOException, InterruptedException {
        return PipelineFixture.indexIds("http://127.0.0.1:" + openSearchPort);
    }

    private boolean logsMention(String text) throws IOException {
        try (var logs = Files.list(work)) {
            for (Path log : logs.filter(path -> path.getFileName().toString().startsWith("app-")).toList()) {
                if (Files.readString(log, StandardCharsets.ISO_8859_1).contains(text)) {
                    return true;
                }
            }
        }
        return false;
    }

    private String report(Instant date, GeneratedStream stream, Set<String> expected, List<String> lake, List<String> index,
            List<JsonNode> deadLetters, boolean caughtUp, boolean outOfMemory) {
        Sink lakeSink = Sink.of(expected, lake);
        Sink indexSink = Sink.of(expected, index);
        Map<String, Long> lettersByStage = deadLetters.stream()
                .collect(Collectors.groupingBy(letter -> letter.path("stage").asText("?"), TreeMap::new, Collectors.counting()));
        long indexLettersOfGoodEvents = deadLetters.stream().filter(letter -> !letter.path("stage").asText().equals("source"))
                .count();
        StringBuilder text = new StringBuilder();
        text.append("# Soak report\n\n");
        text.append("| figure | value |\n|---|---|\n");
        row(text, "date (UTC)", date.toString());
        row(text, "duration of the stream", HumanDuration.format(Duration.ofSeconds(options.seconds)) + " (then " + (caughtUp ? "caught up" : "did NOT catch up") + ")");
        row(text, "rate", options.rate + " events/s (live pace from the local SSE server)");
        row(text, "seed", options.seed + " (`--seed " + options.seed + "` replays the kill moments)");
        row(text, "lines sent", stream.size() + " (" + expected.size() + " distinct good events, "
                + stream.malformedLines(stream.size()) + " malformed, repeats and canaries)");
        row(text, "kill -9", kills + " (app starts: " + starts + ", exits by itself: " + unexpectedExits + ")");
        row(text, "faults", "index closed " + options.faultSeconds + " s, lake disk full " + options.faultSeconds + " s");
        row(text, "lake", lakeSink.text());
        row(text, "index", indexSink.text());
        row(text, "losses (lake / index)", lakeSink.missing + " / " + indexSink.missing);
        row(text, "duplicates (lake / index)", lakeSink.duplicates + " / " + indexSink.duplicates);
        row(text, "dead letters", deadLetters.size() + " " + lettersByStage + ": " + indexLettersOfGoodEvents + " of good events; "
                + "source: " + stream.malformedLines(stream.size()) + " malformed lines sent, more when a kill made the source read some again");
        row(text, "peak RSS", peakRssKb / 1024 + " MB (-Xmx1g" + (outOfMemory ? ", OutOfMemoryError logged!" : ", no OutOfMemoryError") + ")");
        row(text, "result", lakeSink.exact() && indexSink.exact() && caughtUp && !outOfMemory
                ? PASS + ": every good event exactly once in the lake and the index"
                : "FAIL: see losses and duplicates");
        text.append("\n## Timeline\n\n```\n");
        timeline.forEach(line -> text.append(line).append('\n'));
        text.append("```\n\nApp logs: `").append(work.toAbsolutePath()).append("/app-*.log`\n");
        return text.toString();
    }

    private static void row(StringBuilder text, String name, String value) {
        text.append("| ").append(name).append(" | ").append(value).append(" |\n");
    }

    private static String tail(String text, int characters) {
        String flat = text.strip();
        return flat.length() <= characters ? flat : "..." + flat.substring(flat.length() - characters);
    }

    /** What one sink holds against what it must hold. */
    private record Sink(int rows, long missing, long duplicates, long unexpected) {

        static Sink of(Set<String> expected, List<String> ids) {
            Map<String, Long> counts = ids.stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
            long missing = expected.stream().filter(id -> !counts.containsKey(id)).count();
            long duplicates = counts.values().stream().mapToLong(count -> count - 1).sum();
            Set<String> unexpected = new HashSet<>(counts.keySet());
            unexpected.removeAll(expected);
            return new Sink(ids.size(), missing, duplicates, unexpected.size());
        }

        boolean exact() {
            return missing == 0 && duplicates == 0 && unexpected == 0;
        }

        String text() {
            return rows + " rows: " + missing + " missing, " + duplicates + " duplicates, " + unexpected + " unexpected";
        }
    }

    private record Options(int seconds, int rate, int killEverySeconds, int faultSeconds, long seed, int catchUpMinutes,
                           Path report) {

        static Options parse(String[] args) {
            Map<String, String> given = new TreeMap<>();
            for (int i = 0; i < args.length; i++) {
                String name = args[i];
                if (name.equals("--help") || name.equals("-h") || !name.startsWith("--") || i + 1 >= args.length) {
                    throw new IllegalArgumentException(usage(name));
                }
                given.put(name.substring(2), args[++i]);
            }
            int seconds = (int) Math.round(Double.parseDouble(given.getOrDefault("minutes", "30")) * 60);
            int rate = Integer.parseInt(given.getOrDefault("rate", "400"));
            int killEvery = Integer.parseInt(given.getOrDefault("kill-every", String.valueOf(Math.min(180, Math.max(30, seconds / 6)))));
            int fault = Integer.parseInt(given.getOrDefault("fault-seconds", String.valueOf(Math.min(60, Math.max(15, seconds / 6)))));
            long seed = given.containsKey("seed") ? Long.parseLong(given.get("seed")) : System.nanoTime();
            int catchUp = Integer.parseInt(given.getOrDefault("catch-up-minutes", "10"));
            Path report = Path.of(given.getOrDefault("report", "target/soak-report.md"));
            given.keySet().removeAll(List.of("minutes", "rate", "kill-every", "fault-seconds", "seed", "catch-up-minutes", "report"));
            if (!given.isEmpty()) {
                throw new IllegalArgumentException(usage("--" + given.keySet().iterator().next()));
            }
            return new Options(seconds, rate, killEvery, fault, seed, catchUp, report);
        }

        static String usage(String offending) {
            return (offending.equals("--help") || offending.equals("-h") ? "" : "unexpected '" + offending + "'\n") + """
                    Usage: bench/soak.sh [--minutes 30] [--rate 400] [--kill-every SECONDS] [--fault-seconds SECONDS]
                                         [--seed N] [--catch-up-minutes 10] [--report target/soak-report.md]
                      --kill-every     one kill -9 at a random moment in each period (default: a sixth of the run, 30-180 s)
                      --fault-seconds  how long the index stays closed and the disk full (default: a sixth of the run, 15-60 s)""";
        }
    }
}
