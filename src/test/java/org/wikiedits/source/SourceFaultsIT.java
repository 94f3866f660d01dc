package org.wikiedits.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.wikiedits.app.Pipeline;
import org.wikiedits.commit.PipelineStats;
import org.wikiedits.config.Settings;
import org.wikiedits.ops.HealthReport;
import org.wikiedits.ops.PipelineMonitor;
import org.wikiedits.source.generator.SyntheticEvents;
import org.wikiedits.source.http.SseHttpStream;
import org.wikiedits.testing.CapturedLog;
import org.wikiedits.testing.LoopbackPorts;
import org.wikiedits.testing.PipelineFixture;
import org.wikiedits.testing.SseTestServer.Connection;
import org.wikiedits.testing.SseTestServer.RecordedRequest;
import org.wikiedits.testing.SseTestServer;
import org.wikiedits.testing.TestCamel;
import org.wikiedits.transform.MalformedEventException;
import org.wikiedits.transform.RecentChange;
import org.wikiedits.transform.RecentChangeReader;

/**
 * The fault suite's source and bad-input scenarios, in order, against one started pipeline (the
 * shipped local routes, one embedded OpenSearch node) fed by the local SSE server with Wikimedia's
 * timestamp-style ids, so every resume replays a few events. Each scenario ends with the same
 * standard: every good event in the lake and in the index exactly once by {@code meta.id}, every
 * unreadable input in the dead-letter store with its original bytes, the pipeline running.
 * Disconnects, a cut in the middle of an event and a 503 without Retry-After are proven by
 * {@link org.wikiedits.app.LocalPipelineIT}; the sse component's own fault handling by {@code SseComponentIT}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SourceFaultsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration REPLAY = Duration.ofSeconds(3);
    private static final Duration IDLE_TIMEOUT = Duration.ofMillis(1500);
    private static final Duration WAIT = Duration.ofSeconds(60);
    /** Recent events: the stream's history is about 7 days, and these must be inside it. */
    private static final Instant BASE = Instant.now().minus(3, ChronoUnit.HOURS).truncatedTo(ChronoUnit.HOURS);

    @TempDir
    static Path data;

    private SseTestServer server;
    private Pipeline pipeline;
    private PipelineMonitor monitor;
    private PipelineStats stats;
    private CapturedLog sourceLog;
    private int openSearchPort;
    private String sourceUrl;
    private long nextEvent = 1;
    private final Set<String> expectedIds = new LinkedHashSet<>();
    private final List<String> expectedDeadLetters = new ArrayList<>();
    private final List<String> firstEvents = new ArrayList<>();

    @BeforeAll
    void startThePipelineFromACheckpointOlderThanTheStreamKeeps() throws Exception {
        server = SseTestServer.start(List.of()).withTimestampIds(REPLAY);
        firstEvents.addAll(events(40));
        publish(firstEvents);
        // the idle timeout and reconnect delays as URI options of the source setting: seconds, not minutes
        sourceUrl = server.url() + "?idleTimeout=" + IDLE_TIMEOUT.toMillis() + "&initialReconnectDelay=50&maxReconnectDelay=1000";
        Instant stale = Instant.now().minus(Duration.ofDays(8));
        ObjectNode checkpoint = JSON.createObjectNode()
                .put("source", sourceUrl)
                .put("last_event_id", "[{\"topic\":\"eqiad.mediawiki.recentchange\",\"partition\":0,\"timestamp\":"
                        + stale.toEpochMilli() + "}]")
                .put("saved_at", stale.toString());
        Files.createDirectories(data.resolve("state"));
        Files.writeString(data.resolve("state").resolve("checkpoint.json"), JSON.writeValueAsString(checkpoint));

        openSearchPort = LoopbackPorts.free();
        Settings settings = Settings.load().with(Map.of(
                "wikiedits.source.url", sourceUrl,
                "wikiedits.data.dir", data.toString(),
                "wikiedits.lake.roll-seconds", "1",
                "wikiedits.lake.dedupe-partitions", "2", // a repeat hours later finds its partition evicted
                "wikiedits.opensearch.embedded.http-port", String.valueOf(openSearchPort),
                "wikiedits.http.port", String.valueOf(LoopbackPorts.free()),
                "wikiedits.progress.seconds", "5"));
        sourceLog = new CapturedLog(SseHttpStream.class);
        pipeline = new Pipeline(settings).bind("cliConnectorFactory", TestCamel.disabledCliConnector());
        pipeline.start();
        monitor = bean("pipelineMonitor", PipelineMonitor.class);
        stats = bean("pipelineStats", PipelineStats.class);
    }

    @AfterAll
    void stopEverything() throws Exception {
        if (pipeline != null) {
            pipeline.close();
        }
        if (sourceLog != null) {
            sourceLog.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    @Order(1)
    void aCheckpointOlderThanTheStreamKeepsIsALoudWarningAMetricAndDegradedHealth() throws Exception {
        assertEverythingOnce();
        assertThat(server.request(0).header("Last-Event-ID")).contains("\"timestamp\":");

        HealthReport health = monitor.health();
        assertThat(health.status()).isEqualTo(HealthReport.Status.DEGRADED);
        assertThat(health.reasons()).anySatisfy(reason -> assertThat(reason)
                .startsWith("source:").contains("7 days").contains("lost"));
        assertThat(gapMetricSeconds()).isGreaterThan(Duration.ofDays(7).toSeconds());
        assertThat(sourceLog.messages(Level.WARN)).filteredOn(line -> line.contains("probably lost")).singleElement()
                .asString().contains("7 days").contains("move");
    }

    @Test
    @Order(2)
    void disconnectsACutMidEventAndTheServersTimeLimitReplayEventsThatAreAbsorbed() throws Exception {
        long receivedBefore = stats.receivedCount();
        int requestsBefore = server.requests().size();
        // after N events; half an event; the time limit per connection (Wikimedia's 15 minutes), twice
        server.then(Connection.serve(30).withRetry(50))
                .then(Connection.serve(25).withCutMidEvent().withRetry(50))
                .then(Connection.serveAll().withEventInterval(Duration.ofMillis(5)).withCutAfter(Duration.ofMillis(400)).withRetry(50))
                .then(Connection.serveAll().withEventInterval(Duration.ofMillis(5)).withCutAfter(Duration.ofMillis(400)).withRetry(50));
        List<String> lines = events(300);
        server.disconnectAll(); // the open connection ends; the scripted ones follow, after the reconnect delay
        publish(lines);
        assertEverythingOnce();

        List<RecordedRequest> resumed = server.requests().subList(requestsBefore, server.requests().size());
        assertThat(resumed).hasSizeGreaterThanOrEqualTo(4)
                .allSatisfy(request -> assertThat(request.header("Last-Event-ID")).contains("\"timestamp\":"));
        assertThat(stats.receivedCount() - receivedBefore).as("timestamp resumes replay events")
                .isGreaterThan(lines.size());
        assertThat(monitor.health().status()).isNotEqualTo(HealthReport.Status.DOWN);
    }

    @Test
    @Order(3)
    void a503AndA429AreWaitedOutForTheirRetryAfter() throws Exception {
        server.then(Connection.status(503).withRetryAfter("1"))
                .then(Connection.status(429).withRetryAfter("2"));
        int requestsBefore = server.requests().size();
        server.disconnectAll();
        publish(events(20));
        await().atMost(WAIT).until(() -> server.requests().size() >= requestsBefore + 3);
        assertEverythingOnce();

        List<RecordedRequest> requests = server.requests().subList(requestsBefore, server.requests().size());
        assertThat(requests).hasSizeGreaterThanOrEqualTo(3);
        assertThat(requests.get(1).millisAfter(requests.get(0))).as("after the 503").isGreaterThanOrEqualTo(900);
        assertThat(requests.get(2).millisAfter(requests.get(1))).as("after the 429").isGreaterThanOrEqualTo(1900);
        assertThat(sourceLog.messages(Level.WARN)).anySatisfy(line -> assertThat(line)
                .contains("answered HTTP 429").contains("retrying in 2s (Retry-After)"));
    }

    @Test
    @Order(4)
    void aStalledConnectionIsLeftAfterTheIdleTimeoutAndResumed() throws Exception {
        server.then(Connection.serve(10).withStall(Duration.ofSeconds(30)));
        int requestsBefore = server.requests().size();
        server.disconnectAll();
        publish(events(25));
        await().atMost(WAIT).until(() -> server.requests().size() >= requestsBefore + 2);
        assertEverythingOnce();

        List<RecordedRequest> requests = server.requests().subList(requestsBefore, server.requests().size());
        assertThat(requests).hasSizeGreaterThanOrEqualTo(2);
        assertThat(requests.get(1).millisAfter(requests.get(0))).isGreaterThanOrEqualTo(IDLE_TIMEOUT.toMillis() - 100);
        assertThat(sourceLog.messages(Level.WARN)).anySatisfy(line -> assertThat(line).contains("idle timeout"));
    }

    @Test
    @Order(5)
    void badInputGoesToTheDeadLettersWithItsOriginalBytesAndEveryGoodEventLandsOnce() throws Exception {
        Instant now = nextTime();
        List<String> lines = new ArrayList<>();
        lines.add(withFields(now, Map.of("namespace", "\"x\"", "bot", "\"yes\"", "minor", "1",
                "length", "{\"old\":\"a\",\"new\":[1]}", "revision", "\"none\"")));            // wrong types
        lines.add(withFields(now.plusSeconds(1), Map.of("brand_new_field", "{\"nested\":[1,{\"x\":null}]}",
                "another", "42")));                                                           // unknown fields
        lines.add(withFields(now.plusSeconds(2), Map.of("log_params", "[\"a\",1,{\"b\":2}]"))); // log_params shapes
        lines.add(withFields(now.plusSeconds(3), Map.of("log_params", "{\"img_sha1\":\"abc\",\"x\":[1,2]}")));
        lines.add(withFields(now.plusSeconds(4), Map.of("log_params", "\"a string\"")));
        lines.add(withFields(now.plusSeconds(5), Map.of("log_params", "17")));
        lines.add(canary(now.plusSeconds(6)));                                                 // a canary
        lines.add(withFields(now.plusSeconds(7), Map.of("comment",
                JSON.writeValueAsString("big ".repeat(5 * 1024 * 1024 / 4)))));               // a 5 MB event
        String whole = withFields(now.plusSeconds(8), Map.of());
        String truncated = whole.substring(0, whole.length() / 2);
        lines.add(truncated);                                                                 // truncated JSON
        // the first event again, hours after it was written, its hour evicted from the lake's dedupe sets
        for (int hour = 5; hour <= 7; hour++) {
            lines.add(SyntheticEvents.event(nextEvent++, BASE.minus(Duration.ofHours(hour))));
        }
        lines.add(firstEvents.get(0));
        publish(lines);

        // invalid UTF-8 inside an otherwise good event: the bytes C3 28 are no UTF-8 character
        String template = withFields(now.plusSeconds(9), Map.of("title", "\"Caf@@\""));
        byte[] invalid = template.replace("@@", "\u0000\u0000").getBytes(StandardCharsets.UTF_8);
        int at = template.indexOf("@@");
        invalid[at] = (byte) 0xC3;
        invalid[at + 1] = (byte) 0x28;
        server.publishBytes(invalid);
        expectedDeadLetters.add(new String(invalid, StandardCharsets.UTF_8));
        nextEvent += 10;
        publish(events(5)); // good events after the bad ones, beyond the replay window of a restart

        assertEverythingOnce();
        List<JsonNode> letters = PipelineFixture.deadLetters(data);
        assertThat(letters).filteredOn(letter -> letter.path("raw").asText().equals(truncated))
                .singleElement().satisfies(letter -> assertThat(letter.path("reason").asText()).contains("truncated JSON"));
        assertThat(letters).filteredOn(letter -> letter.has("raw_base64")).singleElement().satisfies(letter -> {
            assertThat(Base64.getDecoder().decode(letter.path("raw_base64").asText())).isEqualTo(invalid);
            assertThat(letter.path("raw").asText()).contains("Caf\uFFFD(");
            assertThat(letter.path("reason").asText()).contains("UTF-8");
        });
        assertThat(monitor.health().status()).isNotEqualTo(HealthReport.Status.DOWN);
    }

    @Test
    @Order(6)
    void aMetaIdRepeatedAfterARestartIsStoredOnce() throws Exception {
        pipeline.close();
        pipeline = new Pipeline(Settings.load().with(Map.of(
                "wikiedits.source.url", sourceUrl,
                "wikiedits.data.dir", data.toString(),
                "wikiedits.lake.roll-seconds", "1",
                "wikiedits.lake.dedupe-partitions", "2",
                "wikiedits.opensearch.embedded.http-port", String.valueOf(openSearchPort),
                "wikiedits.http.port", String.valueOf(LoopbackPorts.free()),
                "wikiedits.progress.seconds", "5"))).bind("cliConnectorFactory", TestCamel.disabledCliConnector());
        pipeline.start();
        monitor = bean("pipelineMonitor", PipelineMonitor.class);
        publish(List.of(firstEvents.get(1)));
        publish(events(5));
        assertEverythingOnce();
        // resumed from a recent checkpoint: no gap to report this time
        assertThat(monitor.health().reasons()).noneMatch(reason -> reason.contains("lost"));
    }

    /** Waits until the lake, the index and the dead-letter store hold what the stream sent so far, then checks for repeats. */
    private void assertEverythingOnce() {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).ignoreExceptions().untilAsserted(() -> {
            assertSameIds("lake", PipelineFixture.lakeEventIds(data));
            assertSameIds("index", PipelineFixture.indexIds(openSearchUrl()));
            assertThat(PipelineFixture.deadLetters(data)).extracting(letter -> letter.path("raw").asText())
                    .containsExactlyInAnyOrderElementsOf(expectedDeadLetters);
        });
        try {
            assertThat(PipelineFixture.lakeEventIds(data)).doesNotHaveDuplicates();
            assertThat(PipelineFixture.indexIds(openSearchUrl())).doesNotHaveDuplicates();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        assertThat(pipeline.camelContext().getRouteController().getRouteStatus("source").isStarted()).isTrue();
    }

    private void assertSameIds(String sink, List<String> ids) {
        Set<String> unexpected = new HashSet<>(ids);
        unexpected.removeAll(expectedIds);
        Set<String> missing = new LinkedHashSet<>(expectedIds);
        ids.forEach(missing::remove);
        assertThat(unexpected).as("in the " + sink + " but not expected").isEmpty();
        assertThat(missing).as("missing from the " + sink).isEmpty();
    }

    private String openSearchUrl() {
        return "http://127.0.0.1:" + openSearchPort;
    }

    /** Publishes lines and notes what each must become: an event in the lake and index, a dead letter, or nothing (a canary). */
    private void publish(List<String> lines) {
        for (String line : lines) {
            try {
                RecentChange rc = RecentChangeReader.read(line);
                if (!rc.isCanary()) {
                    expectedIds.add(rc.eventId());
                }
            } catch (MalformedEventException e) {
                expectedDeadLetters.add(line);
            }
        }
        server.publish(lines);
    }

    /** {@code count} generated events, one a second after the last (without canaries, which the bad-input scenario adds itself). */
    private List<String> events(int count) {
        List<String> lines = new ArrayList<>();
        while (lines.size() < count) {
            String line = SyntheticEvents.event(nextEvent++, nextTime());
            if (!line.contains("\"domain\":\"canary\"")) {
                lines.add(line);
            }
        }
        return lines;
    }

    private Instant nextTime() {
        return BASE.plusSeconds(nextEvent + 100);
    }

    /** A generated event with some fields replaced by raw JSON values. */
    private String withFields(Instant dt, Map<String, String> rawValues) throws Exception {
        String line;
        do {
            line = SyntheticEvents.event(nextEvent++, dt);
        } while (line.contains("\"domain\":\"canary\""));
        ObjectNode event = (ObjectNode) JSON.readTree(line);
        for (Map.Entry<String, String> field : rawValues.entrySet()) {
            event.set(field.getKey(), JSON.readTree(field.getValue()));
        }
        return JSON.writeValueAsString(event);
    }

    private String canary(Instant dt) throws Exception {
        ObjectNode event = (ObjectNode) JSON.readTree(withFields(dt, Map.of()));
        ((ObjectNode) event.path("meta")).put("domain", "canary");
        return JSON.writeValueAsString(event);
    }

    private double gapMetricSeconds() {
        return monitor.scrape().lines().filter(line -> line.startsWith("wikiedits_source_history_gap_seconds "))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.indexOf(' ') + 1))).findFirst().orElse(-1);
    }

    private <T> T bean(String name, Class<T> type) {
        return pipeline.camelContext().getRegistry().lookupByNameAndType(name, type);
    }
}
