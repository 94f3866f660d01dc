package org.wikiedits.bench;

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
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.wikiedits.bench.ArrivalWatch.Latency;
import org.wikiedits.bench.ProcessWatch.CpuSplit;
import org.wikiedits.bench.RawBulk.Rate;
import org.wikiedits.testing.ForkedApp;
import org.wikiedits.testing.LoopbackPorts;
import org.wikiedits.testing.PipelineFixture;
import org.wikiedits.testing.SseTestServer;

/**
 * The end-to-end benchmark (issue 20): in one run, the limits (the raw {@code _bulk} rate of the same documents
 * into the same embedded node, while the SSE test server streams to a plain client, and that client's drain
 * rate), then the shipped jar ({@code java -Xmx1g -jar target/camel-app.jar}) reading N unique events from the
 * SSE test server as fast as it sends them, into lake + index, lake only and index only, and at the live pace
 * (with {@code --detectors-compare}, lake + index again in two fresh apps, detectors on, then off);
 * writes a markdown report (default {@code target/e2e-report.md}). {@code bench/e2e.sh --help} lists the options;
 * {@code docs/performance.md} says what each figure means.
 */
public final class EndToEndBench {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** Sampled events per run for the latencies. */
    private static final int SAMPLES = 2000;

    /**
     * What to run. {@code appSettings} go to the app as {@code -Dkey=value}; {@code detectorsCompare} adds the
     * detectors' cost (issue 22): lake + index in a fresh app with {@code wikiedits.detectors.enabled=true}, then
     * in another with {@code false}.
     */
    record Options(int events, int liveRate, int liveSeconds, List<Integer> bulkSizes, List<Integer> bulkThreads,
            int bulkDocuments, Path jar, Path report, Path work, Map<String, String> appSettings, List<String> jvmOptions,
            boolean detectorsCompare) {

        int liveEvents() {
            return liveRate * liveSeconds;
        }

        static Options parse(String... args) {
            int events = 1_000_000;
            int liveRate = 300;
            int liveSeconds = 120;
            List<Integer> sizes = List.of(500, 1000, 2000, 5000);
            List<Integer> threads = List.of(1, 2, 4);
            int bulkDocuments = -1;
            Path jar = Path.of("target", "camel-app.jar");
            Path report = Path.of("target", "e2e-report.md");
            Path work = null;
            Map<String, String> settings = new LinkedHashMap<>();
            List<String> jvm = new ArrayList<>();
            boolean detectorsCompare = false;
            for (int i = 0; i < args.length; i++) {
                if (args[i].equals("--detectors-compare")) {
                    detectorsCompare = true; // takes no value
                    continue;
                }
                String value = i + 1 < args.length ? args[i + 1] : null;
                switch (args[i]) {
                    case "--events" -> events = Integer.parseInt(require(args[i], value));
                    case "--live-rate" -> liveRate = Integer.parseInt(require(args[i], value));
                    case "--live-seconds" -> liveSeconds = Integer.parseInt(require(args[i], value));
                    case "--bulk-sizes" -> sizes = numbers(require(args[i], value));
                    case "--bulk-threads" -> threads = numbers(require(args[i], value));
                    case "--bulk-documents" -> bulkDocuments = Integer.parseInt(require(args[i], value));
                    case "--jar" -> jar = Path.of(require(args[i], value));
                    case "--report" -> report = Path.of(require(args[i], value));
                    case "--work" -> work = Path.of(require(args[i], value));
                    case "--set" -> {
                        String pair = require(args[i], value);
                        int equals = pair.indexOf('=');
                        if (equals < 1) {
                            throw new IllegalArgumentException("--set takes key=value, e.g. --set wikiedits.index.batch-size=1000; got " + pair);
                        }
                        settings.put(pair.substring(0, equals), pair.substring(equals + 1));
                    }
                    case "--jvm-option" -> jvm.add(require(args[i], value));
                    default -> throw new IllegalArgumentException("unknown option " + args[i] + "\n" + USAGE);
                }
                i++;
            }
            if (bulkDocuments < 0) {
                bulkDocuments = Math.max(5000, Math.min(40_000, events / 25));
            }
            if (work == null) {
                work = Path.of("target", "e2e-" + Instant.now().truncatedTo(ChronoUnit.SECONDS).toString().replace(":", ""));
            }
            return new Options(events, liveRate, liveSeconds, sizes, threads, bulkDocuments, jar, report, work, settings, jvm,
                    detectorsCompare);
        }

        private static String require(String option, String value) {
            if (value == null) {
                throw new IllegalArgumentException(option + " needs a value\n" + USAGE);
            }
            return value;
        }

        private static List<Integer> numbers(String list) {
            return Arrays.stream(list.split(",")).map(String::trim).map(Integer::valueOf).toList();
        }
    }

    static final String USAGE = """
            bench/e2e.sh [--events 1000000] [--live-rate 300] [--live-seconds 120]
                         [--bulk-sizes 500,1000,2000,5000] [--bulk-threads 1,2,4] [--bulk-documents N]
                         [--jar target/camel-app.jar] [--report target/e2e-report.md] [--work DIR]
                         [--set wikiedits.KEY=VALUE]... [--jvm-option OPTION]... [--detectors-compare]""";

    /**
     * One run of the jar: which sinks, how many events, what was measured. {@code expected}, {@code indexDocuments},
     * {@code lakeRows} and {@code lakeDistinct} count everything the app holds after the run (the live run follows
     * the lake + index run in the same app).
     */
    record Run(String name, String sinks, int events, int expected, double sustainedPerSecond, double everySinkSeconds,
            Latency searchable, Latency lakeVisible, long peakRssKb, long peakRssAnonKb, CpuSplit cpu,
            long indexDocuments, long lakeRows, long lakeDistinct) {

        double cpuSecondsPerMillion() {
            return cpu.totalSeconds() * 1e6 / events;
        }
    }

    /**
     * The detectors' cost: the same lake + index run in two fresh apps, detectors on and off, and the events the
     * "on" app's detectors counted and dropped ({@code /metrics}), so that they are seen to have worked.
     */
    record DetectorsCost(Run on, Run off, long observed, long dropped) {

        /** The rate with the detectors over the rate without them. */
        double ratio() {
            return on.sustainedPerSecond() / off.sustainedPerSecond();
        }
    }

    /** Everything one bench run measured; {@code detectors} only with {@code --detectors-compare} (else null). */
    record Result(String machine, List<Rate> bulk, double drainPerSecond, int drainedEvents, List<Run> runs, Run live,
            Options options, DetectorsCost detectors) {

        Rate bestBulk() {
            return bulk.stream().max((a, b) -> Double.compare(a.docsPerSecond(), b.docsPerSecond())).orElseThrow();
        }

        Run run(String name) {
            return runs.stream().filter(run -> run.name().equals(name)).findFirst().orElseThrow();
        }
    }

    private final Options options;
    private final BenchEvents events;
    private final int liveFrom;

    private EndToEndBench(Options options) {
        this.options = options;
        this.events = new BenchEvents(options.events() + options.liveEvents(), Instant.now().truncatedTo(ChronoUnit.SECONDS));
        this.liveFrom = options.events();
    }

    public static void main(String[] args) throws Exception {
        if (Arrays.asList(args).contains("--help")) {
            System.out.println(USAGE);
            return;
        }
        Options options = Options.parse(args);
        Result result = run(options);
        System.out.println(EndToEndReport.markdown(result));
        System.out.println("e2e: report written to " + options.report().toAbsolutePath());
        System.exit(0); // also ends the SSE servers' and HTTP clients' threads
    }

    /** Runs everything and writes the report. */
    static Result run(Options options) throws Exception {
        if (!Files.isRegularFile(options.jar())) {
            throw new IllegalStateException("no " + options.jar() + ": build it first with ./mvnw -o -q -B -ntp -DskipTests package");
        }
        Files.createDirectories(options.work());
        Result result = new EndToEndBench(options).runAll();
        Files.createDirectories(options.report().toAbsolutePath().getParent());
        Files.writeString(options.report(), EndToEndReport.markdown(result), StandardCharsets.UTF_8);
        return result;
    }

    private Result runAll() throws Exception {
        log("%d events (%d canaries among them), then %d at %d/s; work folder %s", options.events(),
                options.events() - expected(0, liveFrom), options.liveEvents(), options.liveRate(), options.work().toAbsolutePath());
        List<Rate> bulk;
        double drainRate;
        int drained;
        List<Run> runs = new ArrayList<>();
        Run live;
        try (SseTestServer server = SseTestServer.start(events).recordingSendTimes().releaseUpTo(0);
             App app = App.start(options, "lake,index", server)) {
            // the limits, in the app's own node before the stream is released
            try (SseTestServer plain = SseTestServer.start(events.subList(0, liveFrom))) {
                AtomicBoolean bulkDone = new AtomicBoolean();
                AtomicLong drainNanos = new AtomicLong();
                AtomicLong drainEvents = new AtomicLong();
                Thread drainer = new Thread(() -> {
                    try {
                        do {
                            drainNanos.addAndGet(PlainSseClient.drain(plain.url(), liveFrom));
                            drainEvents.addAndGet(liveFrom);
                        } while (!bulkDone.get());
                    } catch (Exception e) {
                        throw new IllegalStateException("the plain client failed", e);
                    }
                }, "plain-sse-client");
                RawBulk raw = RawBulk.of(app.node, events, options.bulkDocuments());
                drainer.start();
                raw.measure(options.bulkSizes().get(0), options.bulkThreads().get(options.bulkThreads().size() - 1)); // warms up the node's code, not reported
                bulk = new ArrayList<>();
                for (int size : options.bulkSizes()) {
                    for (int threads : options.bulkThreads()) {
                        Rate rate = raw.measure(size, threads);
                        log("raw _bulk: %d documents a request, %d threads: %,.0f documents/s", size, threads, rate.docsPerSecond());
                        bulk.add(rate);
                    }
                }
                bulkDone.set(true);
                drainer.join();
                drained = (int) drainEvents.get();
                drainRate = drainEvents.get() * 1e9 / drainNanos.get();
                log("plain client: %,.0f events/s (%d events)", drainRate, drained);
            }
            runs.add(fast("lake + index", "lake,index", app, server));
            live = live(app, server);
        }
        for (String sinks : List.of("lake", "index")) {
            try (SseTestServer server = SseTestServer.start(events.subList(0, liveFrom)).recordingSendTimes().releaseUpTo(0);
                 App app = App.start(options, sinks, server)) {
                runs.add(fast(sinks + " only", sinks, app, server));
            }
        }
        return new Result(machine(), bulk, drainRate, drained, runs, live, options,
                options.detectorsCompare() ? detectorsCost(runs) : null);
    }

    /** Lake + index in a fresh app with the detectors on, then in another with them off; both runs join {@code runs}. */
    private DetectorsCost detectorsCost(List<Run> runs) throws Exception {
        Run on;
        long observed;
        long dropped;
        try (SseTestServer server = SseTestServer.start(events.subList(0, liveFrom)).recordingSendTimes().releaseUpTo(0);
             App app = App.start(options, "lake,index", server, Map.of("wikiedits.detectors.enabled", "true"))) {
            on = fast("lake + index, detectors on", "lake,index", app, server);
            observed = app.metric("wikiedits_detector_events_total");
            dropped = app.metric("wikiedits_detector_dropped_total");
        }
        Run off;
        try (SseTestServer server = SseTestServer.start(events.subList(0, liveFrom)).recordingSendTimes().releaseUpTo(0);
             App app = App.start(options, "lake,index", server, Map.of("wikiedits.detectors.enabled", "false"))) {
            off = fast("lake + index, detectors off", "lake,index", app, server);
        }
        runs.add(on);
        runs.add(off);
        DetectorsCost cost = new DetectorsCost(on, off, observed, dropped);
        log("detectors: on %,.0f events/s, off %,.0f events/s: %.2f of the rate without them (%,d events counted, %,d dropped)",
                on.sustainedPerSecond(), off.sustainedPerSecond(), cost.ratio(), observed, dropped);
        return cost;
    }

    /** Events {@code 0..N} as fast as the server sends them. */
    private Run fast(String name, String sinks, App app, SseTestServer server) throws Exception {
        int every = Math.max(1, liveFrom / SAMPLES);
        try (ArrivalWatch watch = app.watch(server, events, 0, liveFrom, every)) {
            app.process.peaksKbAndReset();
            ProcessWatch.Mark before = app.process.mark();
            server.releaseUpTo(liveFrom);
            return measure(name, sinks, app, server, watch, 0, liveFrom, before);
        }
    }

    /** Events {@code N..N+live} released at the live pace. */
    private Run live(App app, SseTestServer server) throws Exception {
        int to = liveFrom + options.liveEvents();
        int every = Math.max(1, options.liveEvents() / SAMPLES);
        try (ArrivalWatch watch = app.watch(server, events, liveFrom, to, every)) {
            app.process.peaksKbAndReset();
            ProcessWatch.Mark before = app.process.mark();
            Thread pacer = new Thread(() -> {
                long start = System.nanoTime();
                for (int released = liveFrom; released < to; ) {
                    released = Math.min(to, liveFrom + (int) ((System.nanoTime() - start) * options.liveRate() / 1e9) + 1);
                    server.releaseUpTo(released);
                    try {
                        Thread.sleep(10);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "live-pace");
            pacer.start();
            Run run = measure("live pace (" + options.liveRate() + "/s)", "lake,index", app, server, watch, liveFrom, to, before);
            pacer.join();
            return run;
        }
    }

    private Run measure(String name, String sinks, App app, SseTestServer server, ArrivalWatch watch, int from, int to,
            ProcessWatch.Mark before) throws Exception {
        int count = to - from;
        long deadline = System.nanoTime() + Duration.ofMinutes(5).plusSeconds(count / 500).toNanos();
        String lastId = server.idOf(to);
        boolean all = watch.awaitAll(deadline);
        while (!lastId.equals(PipelineFixture.checkpoint(app.data)) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        long done = System.nanoTime();
        ProcessWatch.Mark after = app.process.mark();
        long[] peaks = app.process.peaksKbAndReset();
        if (!all || !lastId.equals(PipelineFixture.checkpoint(app.data))) {
            throw new IllegalStateException(name + ": not every event was committed in time (checkpoint "
                    + PipelineFixture.checkpoint(app.data) + ", expected " + lastId + "); the app's log ends:\n" + tail(app.app.log()));
        }
        long first = server.sentAtNanos(from);
        // sustained: the events the app read per second between 10% and 90% of the run; it reads only as fast as
        // its slowest sink takes them (bounded queues), so this is the sinks' rate without the start and the last roll
        int p10 = from + count / 10;
        int p90 = from + count * 9 / 10;
        double sustained = (p90 - p10) * 1e9 / Math.max(1, server.sentAtNanos(p90) - server.sentAtNanos(p10));
        long indexDocuments = sinks.contains("index") ? indexCount(app.node) : 0;
        List<String> lake = sinks.contains("lake") ? PipelineFixture.lakeEventIds(app.data) : List.of();
        Run run = new Run(name, sinks, count, expected(0, to), sustained, (done - first) / 1e9,
                sinks.contains("index") ? watch.searchable() : null, sinks.contains("lake") ? watch.lakeVisible() : null,
                peaks[0], peaks[1], ProcessWatch.between(before, after), indexDocuments, lake.size(), new HashSet<>(lake).size());
        log("%s: %,.0f events/s sustained, every sink in %.1f s; searchable %s; lake %s; peak RSS %d MiB, RssAnon %d MiB; CPU %.1f s",
                name, sustained, run.everySinkSeconds(), run.searchable(), run.lakeVisible(), peaks[0] / 1024, peaks[1] / 1024,
                run.cpu().totalSeconds());
        return run;
    }

    /** Documents in the index (all runs of one app), after a refresh. */
    private static long indexCount(String node) throws IOException, InterruptedException {
        HTTP.send(HttpRequest.newBuilder(URI.create(node + "/wikiedits/_refresh")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.discarding());
        String body = HTTP.send(HttpRequest.newBuilder(URI.create(node + "/wikiedits/_count")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return Long.parseLong(body.replaceAll("^\\{\"count\":(\\d+).*$", "$1"));
    }

    /** Non-canary events among {@code from..to}: the ones every sink must hold. */
    private final Map<String, Integer> expectedCache = new LinkedHashMap<>();

    private int expected(int from, int to) {
        return expectedCache.computeIfAbsent(from + ".." + to, key -> {
            int count = 0;
            for (int i = from; i < to; i++) {
                if (!BenchEvents.isCanary(events.get(i))) {
                    count++;
                }
            }
            return count;
        });
    }

    private static String machine() throws IOException {
        String cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(line -> line.startsWith("model name"))
                .findFirst().map(line -> line.substring(line.indexOf(':') + 1).trim()).orElse("unknown CPU");
        String memory = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(line -> line.startsWith("MemTotal"))
                .findFirst().map(line -> Long.parseLong(line.replaceAll("\\D", "")) / 1024 / 1024 + " GiB").orElse("?");
        return String.format(Locale.ROOT, "%d cores (%s), %s memory, %s %s", Runtime.getRuntime().availableProcessors(), cpu, memory,
                System.getProperty("java.vm.name"), System.getProperty("java.runtime.version"));
    }

    private static String tail(String text) {
        return text.substring(Math.max(0, text.length() - 3000));
    }

    static void log(String format, Object... args) {
        System.out.printf(Locale.ROOT, "e2e: " + format + "%n", args);
    }

    /** The shipped jar, started for one set of sinks, with its process watched. */
    private static final class App implements AutoCloseable {
        final ForkedApp app;
        final ProcessWatch process;
        final Path data;
        final String node;
        final String sinks;
        final int httpPort;

        private App(ForkedApp app, Path data, String node, String sinks, int httpPort) {
            this.app = app;
            this.process = new ProcessWatch(app.pid());
            this.data = data;
            this.node = node;
            this.sinks = sinks;
            this.httpPort = httpPort;
        }

        static App start(Options options, String sinks, SseTestServer server) throws IOException, InterruptedException {
            return start(options, sinks, server, Map.of());
        }

        /** {@code overrides} win over {@code --set}: what a comparison run must have. */
        static App start(Options options, String sinks, SseTestServer server, Map<String, String> overrides)
                throws IOException, InterruptedException {
            Path work = Files.createTempDirectory(options.work(), sinks.replace(',', '-') + "-");
            int nodePort = LoopbackPorts.free();
            Map<String, String> properties = new LinkedHashMap<>();
            properties.put("wikiedits.source.url", server.url());
            properties.put("wikiedits.sinks", sinks);
            properties.put("wikiedits.data.dir", work.resolve("data").toAbsolutePath().toString());
            int httpPort = otherFreePort(nodePort);
            properties.put("wikiedits.http.port", String.valueOf(httpPort));
            properties.put("wikiedits.opensearch.embedded.http-port", String.valueOf(nodePort));
            properties.put("wikiedits.progress.seconds", "10");
            properties.putAll(options.appSettings());
            properties.putAll(overrides);
            List<String> jvm = new ArrayList<>(List.of("-Xmx1g"));
            jvm.addAll(options.jvmOptions());
            ForkedApp app = ForkedApp.startJar(work, options.jar(), properties, jvm);
            long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            while (!app.log().contains("wikiedits running")) {
                if (!app.isAlive() || System.nanoTime() > deadline) {
                    app.close();
                    throw new IllegalStateException("the app did not start; its log:\n" + tail(app.log()));
                }
                Thread.sleep(200);
            }
            log("app started (%s; pid %d)", sinks, app.pid());
            return new App(app, work.resolve("data"), sinks.contains("index") ? "http://127.0.0.1:" + nodePort : null, sinks, httpPort);
        }

        /** A counter of the app's {@code /metrics} (Prometheus text), e.g. {@code wikiedits_detector_events_total}. */
        long metric(String name) throws IOException, InterruptedException {
            String metrics = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            return metrics.lines().filter(line -> line.startsWith(name + " ")).findFirst()
                    .map(line -> (long) Double.parseDouble(line.substring(name.length() + 1).trim()))
                    .orElseThrow(() -> new IllegalStateException("no " + name + " on /metrics"));
        }

        private static int otherFreePort(int taken) {
            int port;
            do {
                port = LoopbackPorts.free();
            } while (port == taken);
            return port;
        }

        ArrivalWatch watch(SseTestServer server, List<String> events, int from, int to, int every) {
            return new ArrivalWatch(server, events, from, to, every, node,
                    sinks.contains("lake") ? data.resolve("lake") : null);
        }

        @Override
        public void close() throws InterruptedException {
            process.close();
            if (app.isAlive()) {
                app.stop(Duration.ofMinutes(2));
            }
        }
    }
}
