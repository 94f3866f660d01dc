package org.wikiedits.sink.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.wikiedits.app.Pipeline;
import org.wikiedits.config.Settings;
import org.wikiedits.source.generator.SyntheticEvents;
import org.wikiedits.testing.LoopbackPorts;
import org.wikiedits.testing.OpenSearchHttp;
import org.wikiedits.testing.PipelineFixture;
import org.wikiedits.testing.SseTestServer.Connection;
import org.wikiedits.testing.SseTestServer;
import org.wikiedits.testing.TestCamel;
import org.wikiedits.transform.RecentChangeReader;

/**
 * The fault suite's index scenarios: the shipped local routes, one app (in process, with its embedded
 * node) fed by the local SSE server, which releases the stream part by part while the index is closed,
 * write-blocked, refuses some documents, has a conflicting mapping, or is deleted with auto-creation off.
 * After each part every good event is in the lake and the index exactly once by {@code meta.id}, and the
 * dead letters hold exactly the unreadable lines and the documents the index refused for what they are.
 * The scenarios run in order on the one app; the index being down (unreachable) is
 * {@code IndexRouteIT.anUnreachableClusterHoldsTheQueueAndTheCheckpointAndEverythingArrivesOnceWhenItReturns}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class IndexRefusalsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Duration OUTAGE = Duration.ofSeconds(20);

    @TempDir
    static Path data;
    private static SseTestServer server;
    private static Pipeline pipeline;
    private static OpenSearchHttp node;
    private static String healthUrl;
    /** Every line the server serves, in order; the parts are released one after another. */
    private static final List<String> stream = new ArrayList<>();
    private static PipelineFixture fixture;
    private static int closedStart, closedEnd, blockedEnd, rejectedEnd, conflictEnd, deletedEnd;
    private static final List<String> immenseUserIds = new ArrayList<>();
    /** The stream lines released and committed so far. */
    private static int committed;
    /** Where the index's documents begin in the stream (later after the mapping and deletion scenarios replace it). */
    private static int indexFrom;

    @BeforeAll
    static void startTheAppOnAStreamHeldBackInParts() throws Exception {
        fixture = PipelineFixture.stream(1200); // the recorded samples, generated events, repeats, malformed lines
        List<String> body = fixture.lines();
        int third = body.size() / 3;
        Instant now = Instant.now();
        stream.add(SyntheticEvents.event(9_000_001, now)); // a current event first: no "lag" in /health
        stream.addAll(body.subList(0, third / 2));
        closedStart = stream.size();
        stream.addAll(body.subList(third / 2, third));
        closedEnd = stream.size();
        stream.addAll(body.subList(third, 2 * third));
        blockedEnd = stream.size();
        List<String> rest = body.subList(2 * third, body.size());
        for (int i = 0; i < rest.size(); i++) {
            stream.add(rest.get(i));
            if (i % 300 == 100) { // a few events whose user name the index cannot take (a keyword over 32766 bytes)
                String immense = immenseUser(SyntheticEvents.event(9_100_000 + i, now));
                immenseUserIds.add(RecentChangeReader.read(immense).eventId());
                stream.add(immense);
            }
        }
        rejectedEnd = stream.size();
        IntStream.rangeClosed(1, 600).forEach(n -> stream.add(SyntheticEvents.event(9_200_000 + n, now.plusMillis(n))));
        conflictEnd = stream.size();
        IntStream.rangeClosed(1, 200).forEach(n -> stream.add(SyntheticEvents.event(9_300_000 + n, now.plusMillis(n))));
        deletedEnd = stream.size();

        server = SseTestServer.start(stream);
        server.otherwise(Connection.serveAll().withRetry(50)).releaseUpTo(closedStart);
        int openSearchPort = LoopbackPorts.free();
        int httpPort = LoopbackPorts.free();
        healthUrl = "http://127.0.0.1:" + httpPort + "/health";
        node = new OpenSearchHttp(OpenSearchEndpoint.of("http://127.0.0.1:" + openSearchPort, "", ""));
        pipeline = new Pipeline(Settings.load().with(Map.of(
                "wikiedits.source.url", server.url(),
                "wikiedits.data.dir", data.toString(),
                "wikiedits.lake.roll-seconds", "1",
                "wikiedits.queue.capacity", "100",
                "wikiedits.opensearch.embedded.http-port", String.valueOf(openSearchPort),
                "wikiedits.http.port", String.valueOf(httpPort),
                "wikiedits.progress.seconds", "5")))
                .bind("cliConnectorFactory", TestCamel.disabledCliConnector());
        pipeline.start();
        awaitCheckpointAt(closedStart);
    }

    @AfterAll
    static void stop() throws Exception {
        if (node != null) {
            node.close();
        }
        if (pipeline != null) {
            pipeline.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    @Order(1)
    void anIndexClosedMidStreamHoldsTheEventsAndTakesThemAllWhenItIsOpenedAgain() throws Exception {
        assertThat(node.postJson("/wikiedits/_close", "").isSuccess()).isTrue();
        server.releaseUpTo(closedEnd);

        awaitHealthReason("index_closed_exception");
        holdFor(OUTAGE, closedEnd);
        assertThat(node.postJson("/wikiedits/_open", "").isSuccess()).isTrue();

        awaitCheckpointAt(closedEnd);
        assertTheStandard(Set.of());
        assertThat(health().reasons()).noneMatch(reason -> reason.startsWith("index"));
    }

    @Test
    @Order(2)
    void aWriteBlockedIndexHoldsTheEventsUntilTheBlockIsCleared() throws Exception {
        assertThat(node.putJson("/wikiedits/_settings", "{\"index.blocks.write\":true}").isSuccess()).isTrue();
        server.releaseUpTo(blockedEnd);

        awaitHealthReason("cluster_block_exception");
        holdFor(OUTAGE, blockedEnd);
        assertThat(node.putJson("/wikiedits/_settings", "{\"index.blocks.write\":null}").isSuccess()).isTrue();

        awaitCheckpointAt(blockedEnd);
        assertTheStandard(Set.of());
        assertThat(health().reasons()).noneMatch(reason -> reason.startsWith("index"));
    }

    @Test
    @Order(3)
    void onlyTheDocumentsABulkRefusesForWhatTheyAreGoToTheDeadLetters() throws Exception {
        server.releaseUpTo(rejectedEnd);

        awaitCheckpointAt(rejectedEnd);
        assertTheStandard(Set.copyOf(immenseUserIds));
        assertThat(indexDeadLetters()).extracting(letter -> letter.path("event_id").asText())
                .containsExactlyInAnyOrderElementsOf(immenseUserIds);
        assertThat(indexDeadLetters()).allSatisfy(letter -> assertThat(letter.path("reason").asText())
                .startsWith("illegal_argument_exception").contains("immense term in field=\"user\""));
    }

    @Test
    @Order(4)
    void aMappingChangedUnderTheAppDeadLettersTheConflictingEventsAndHealthSaysSo() throws Exception {
        List<String> part = stream.subList(rejectedEnd, conflictEnd);
        Set<String> logEvents = PipelineFixture.expectedIds(part.stream().filter(line -> line.contains("\"type\":\"log\"")).toList());
        assertThat(logEvents).as("enough log events for a burst of dead letters").hasSizeGreaterThan(50);
        assertThat(node.send("DELETE", "/wikiedits", null).isSuccess()).isTrue();
        // the template's mapping, except log_type, which log events fill with words
        assertThat(node.putJson("/wikiedits", "{\"mappings\":{\"properties\":{\"log_type\":{\"type\":\"long\"}}}}").isSuccess()).isTrue();
        server.releaseUpTo(conflictEnd);

        awaitCheckpointAt(conflictEnd);
        indexFrom = rejectedEnd;
        Set<String> refused = new HashSet<>(immenseUserIds);
        refused.addAll(logEvents);
        assertTheStandard(refused);
        assertThat(indexDeadLetters()).filteredOn(letter -> logEvents.contains(letter.path("event_id").asText()))
                .hasSize(logEvents.size())
                .allSatisfy(letter -> assertThat(letter.path("reason").asText()).startsWith("mapper_parsing_exception")
                        .contains("[log_type]"));
        HealthSnapshot health = health();
        assertThat(health.status()).isEqualTo("DEGRADED");
        assertThat(health.reasons()).anySatisfy(reason -> assertThat(reason).startsWith("dead letters: ").contains(" in the last minute")
                .contains("mapper_parsing_exception"));
    }

    @Test
    @Order(5)
    void aDeletedIndexWithoutAutoCreationHoldsTheEventsUntilItCanBeCreatedFromTheTemplate() throws Exception {
        assertThat(node.putJson("/_cluster/settings", "{\"persistent\":{\"action.auto_create_index\":false}}").isSuccess()).isTrue();
        assertThat(node.send("DELETE", "/wikiedits", null).isSuccess()).isTrue();
        int deadLettersBefore = PipelineFixture.deadLetters(data).size();
        server.releaseUpTo(deletedEnd);

        awaitHealthReason("index_not_found_exception");
        holdFor(Duration.ofSeconds(5), deletedEnd);
        assertThat(PipelineFixture.deadLetters(data)).hasSize(deadLettersBefore);
        assertThat(node.putJson("/_cluster/settings", "{\"persistent\":{\"action.auto_create_index\":null}}").isSuccess()).isTrue();

        awaitCheckpointAt(deletedEnd);
        indexFrom = conflictEnd;
        Set<String> refused = new HashSet<>(immenseUserIds);
        refused.addAll(PipelineFixture.expectedIds(stream.subList(rejectedEnd, conflictEnd).stream()
                .filter(line -> line.contains("\"type\":\"log\"")).toList()));
        assertTheStandard(refused);
        JsonNode mapping = JSON.readTree(node.get("/wikiedits/_mapping").body());
        assertThat(mapping.path("wikiedits").path("mappings").path("properties").path("log_type").path("type").asText())
                .as("re-created from the template").isEqualTo("keyword");
    }

    /**
     * The standard: every good event released so far in the lake exactly once; the index holds exactly the good events
     * since {@link #indexFrom} but the {@code refused} ones; the dead letters hold every unreadable line (stage source)
     * and, from the index, only the {@code refused} events.
     */
    private static void assertTheStandard(Set<String> refused) throws Exception {
        int released = committed;
        Set<String> good = PipelineFixture.expectedIds(stream.subList(0, released));
        List<String> lake = PipelineFixture.lakeEventIds(data);
        assertThat(lake).doesNotHaveDuplicates();
        assertThat(lake).containsExactlyInAnyOrderElementsOf(good);

        List<String> index = PipelineFixture.indexIds(node.endpoint().url().toString());
        assertThat(index).doesNotHaveDuplicates();
        Set<String> expectedInIndex = new LinkedHashSet<>(PipelineFixture.expectedIds(stream.subList(indexFrom, released)));
        expectedInIndex.removeAll(refused);
        assertThat(index).containsExactlyInAnyOrderElementsOf(expectedInIndex);

        List<JsonNode> letters = PipelineFixture.deadLetters(data);
        assertThat(letters).filteredOn(letter -> letter.path("stage").asText().equals("source"))
                .extracting(letter -> letter.path("raw").asText())
                .containsExactlyElementsOf(stream.subList(0, released).stream().filter(PipelineFixture.MALFORMED::contains).toList());
        assertThat(indexDeadLetters()).extracting(letter -> letter.path("event_id").asText())
                .as("the index dead-letters only documents refused for what they are").isSubsetOf(refused);
        assertThat(letters).allSatisfy(letter -> assertThat(letter.path("stage").asText()).isIn("source", "index"));
    }

    private static List<JsonNode> indexDeadLetters() throws Exception {
        return PipelineFixture.deadLetters(data).stream().filter(letter -> letter.path("stage").asText().equals("index")).toList();
    }

    /** While the index refuses: the checkpoint stays before {@code end} and the index dead-letters nothing. */
    private static void holdFor(Duration outage, int end) throws Exception {
        int indexLetters = indexDeadLetters().size();
        Thread.sleep(outage.toMillis());
        assertThat(PipelineFixture.checkpoint(data)).isNotEqualTo(server.idOf(end));
        assertThat(indexDeadLetters()).as("nothing is dead-lettered for a refusal that is the index's").hasSize(indexLetters);
    }

    private static void awaitCheckpointAt(int line) {
        String id = server.idOf(line);
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                .until(() -> id.equals(PipelineFixture.checkpoint(data)));
        committed = line;
    }

    private static void awaitHealthReason(String text) {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250))
                .until(() -> health().reasons().stream().anyMatch(reason -> reason.startsWith("index") && reason.contains(text)));
    }

    private record HealthSnapshot(String status, List<String> reasons) {
    }

    private static HealthSnapshot health() throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(healthUrl)).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode body = JSON.readTree(response.body());
        List<String> reasons = new ArrayList<>();
        body.path("reasons").forEach(reason -> reasons.add(reason.asText()));
        return new HealthSnapshot(body.path("status").asText(), reasons);
    }

    private static String immenseUser(String event) throws Exception {
        ObjectNode tree = (ObjectNode) JSON.readTree(event);
        tree.put("user", "U".repeat(40_000));
        return JSON.writeValueAsString(tree);
    }
}
