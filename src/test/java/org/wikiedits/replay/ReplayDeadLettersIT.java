package org.wikiedits.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.apache.camel.component.seda.SedaComponent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wikiedits.commit.FlushOnStop;
import org.wikiedits.config.DataFolder;
import org.wikiedits.config.Settings;
import org.wikiedits.sink.index.EmbeddedOpenSearch;
import org.wikiedits.sink.index.IndexSink;
import org.wikiedits.sink.index.OpenSearchEndpoint;
import org.wikiedits.sink.index.TestIndexSinks;
import org.wikiedits.testing.FakeAwsCredentials;
import org.wikiedits.testing.LoopbackPorts;
import org.wikiedits.testing.OpenSearchHttp;
import org.wikiedits.testing.RouteFileTestSupport;
import org.wikiedits.testing.S3ProxyServer;
import org.wikiedits.testing.TestEvents;
import org.wikiedits.transform.CsvRow;
import org.wikiedits.transform.LakePartition;
import org.wikiedits.transform.RecentChange;
import org.wikiedits.transform.RecentChangeReader;
import org.wikiedits.transform.SearchDocument;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code replay-dead-letters} against a real embedded OpenSearch node (one for the class): events the app's
 * index route dead-letters because of a mapping conflict go into the index once each after the mapping is
 * fixed; the lake replay writes each id once in files of its own; what Firehose wrote under
 * {@code errors/index-failed/} (both of AWS's shapes, in s3proxy) is read back into the index.
 */
class ReplayDeadLettersIT extends RouteFileTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path nodeDir;
    static EmbeddedOpenSearch node;
    static OpenSearchHttp direct;

    @BeforeAll
    static void startNode() {
        node = EmbeddedOpenSearch.start(nodeDir, LoopbackPorts.free());
        direct = new OpenSearchHttp(OpenSearchEndpoint.embedded(node));
    }

    @AfterAll
    static void stopNode() throws Exception {
        if (direct != null) {
            direct.close();
        }
        if (node != null) {
            node.close();
        }
    }

    @BeforeEach
    void emptyIndex() throws Exception {
        direct.send("DELETE", "/" + SearchDocument.INDEX, null);
    }

    @Override
    protected List<String> trackedSinks() {
        return List.of(IndexSink.SINK);
    }

    @Test
    void eventsAMappingConflictDeadLetteredGoIntoTheFixedIndexOnceEachAndASecondReplayChangesNothing() throws Exception {
        // an index whose mapping takes comments as numbers: every edit's comment ("fix ☃ typo") conflicts
        assertThat(direct.putJson("/" + SearchDocument.INDEX, "{\"mappings\":{\"properties\":{\"comment\":{\"type\":\"long\"}}}}")
                .isSuccess()).isTrue();
        List<String> raws = TestEvents.edits(5, Instant.parse("2026-12-07T08:00:00Z"));
        startIndexRoutes();
        context.start();
        for (String raw : raws) {
            sendAdmitted("seda:index", raw, RecentChangeReader.read(raw));
        }
        sendAdmitted("seda:index", raws.get(0), RecentChangeReader.read(raws.get(0))); // the same event again
        await().atMost(Duration.ofSeconds(60)).until(() -> tracker.uncommitted() == 0);
        context.stop();
        deadLetters.write("source", "source: MalformedEventException: not JSON", "{\"meta\":{\"id\":", null);
        assertThat(deadLetterLines()).hasSize(7).first().satisfies(letter -> {
            assertThat(letter.path("stage").asText()).isEqualTo("index");
            assertThat(letter.path("reason").asText()).contains("mapper_parsing_exception");
        });
        assertThat(count()).isZero();

        // the fix: the index made again from the app's template (namespace integer, comment text)
        direct.send("DELETE", "/" + SearchDocument.INDEX, null);
        assertThat(direct.putJson("/" + SearchDocument.INDEX, "{}").isSuccess()).isTrue();

        Result dryRun = replay(settings(), "--reason", "MAPPER_PARSING", "--dry-run");
        assertThat(dryRun.status()).as(dryRun.output()).isZero();
        assertThat(dryRun.output().lines().filter(line -> line.startsWith("would send"))).hasSize(6);
        assertThat(dryRun.output()).contains("6 would be sent (dry run: nothing sent or marked)");
        assertThat(count()).as("a dry run sends nothing").isZero();
        assertThat(ledgerLines()).as("and marks nothing").isEmpty();

        Result onlySince = replay(settings(), "--since", "2999-01-01", "--sink", "index");
        assertThat(onlySince.output()).contains("0 sent, 0 failed again, 0 replayed before");
        assertThat(count()).isZero();

        Result first = replay(settings(), "--sink", "index", "--reason", "mapper_parsing");
        assertThat(first.status()).as(first.output()).isZero();
        assertThat(first.output()).contains("6 sent, 0 failed again, 0 replayed before");
        assertThat(count()).as("six dead letters, five events").isEqualTo(5);
        for (String raw : raws) {
            RecentChange rc = RecentChangeReader.read(raw);
            JsonNode stored = JSON.readTree(direct.get("/" + SearchDocument.INDEX + "/_doc/" + rc.eventId()).body());
            assertThat(stored.path("_version").asInt()).as("indexed once").isEqualTo(1);
            assertThat(stored.path("_source").toString()).isEqualTo(JSON.readTree(SearchDocument.toJson(rc)).toString());
        }
        assertThat(ledgerLines()).hasSize(6).allSatisfy(mark -> assertThat(mark.path("sink").asText()).isEqualTo("index"));

        Result second = replay(settings(), "--sink", "index");
        assertThat(second.status()).as("the unreadable event fails again: " + second.output()).isEqualTo(1);
        assertThat(second.output()).contains("0 sent, 1 failed again, 6 replayed before")
                .containsPattern("failed +index +- +dead-letter-\\d{4}-\\d\\d-\\d\\d\\.ndjson:7  cannot read the event: ");
        assertThat(count()).isEqualTo(5);
        for (String raw : raws) {
            JsonNode stored = JSON.readTree(direct.get("/" + SearchDocument.INDEX + "/_doc/" + RecentChangeReader.read(raw).eventId()).body());
            assertThat(stored.path("_version").asInt()).as("a second replay sends nothing again").isEqualTo(1);
        }
        assertThat(ledgerLines()).hasSize(6);
    }

    @Test
    void theLakeReplayWritesEachIdOnceInFilesOfItsOwnAndLeavesTheAppsPendingFilesAlone() throws Exception {
        List<String> raws = TestEvents.edits(3, Instant.parse("2026-12-07T08:00:00Z"));
        Path lake = work.resolve("lake").resolve("wikiedits");
        RecentChange inTheLake = RecentChangeReader.read(raws.get(0));
        Path partition = Files.createDirectories(lake.resolve(LakePartition.path(inTheLake.eventTime())));
        Files.writeString(partition.resolve("part-earlier.csv"), CsvRow.of(inTheLake), StandardCharsets.UTF_8);
        Path appsPending = Files.writeString(partition.resolve(".part-app-1.csv.inprogress"), "", StandardCharsets.UTF_8);
        for (String raw : raws) {
            deadLetters.write("lake", "lake: IllegalStateException: a lake bug since fixed", raw, null);
        }
        deadLetters.write("index", "index: mapper_parsing_exception", TestEvents.edits(1, Instant.now()).get(0), null);

        Result byReason = replay(settings(), "--sink", "lake", "--reason", "no such reason");
        assertThat(byReason.output()).contains("0 sent");
        assertThat(csvFiles(lake)).hasSize(1);

        Result first;
        try (DataFolder runningApp = DataFolder.claim(work)) { // the app holds its data folder meanwhile
            first = replay(settings(), "--sink", "lake");
        }
        assertThat(first.status()).as(first.output()).isZero();
        assertThat(first.output()).contains("3 sent, 0 failed again, 0 replayed before (left alone); 1 already in the lake");
        List<String> rows = new ArrayList<>();
        for (Path file : csvFiles(lake)) {
            rows.addAll(Files.readAllLines(file, StandardCharsets.UTF_8));
        }
        assertThat(rows).hasSize(3).containsExactlyInAnyOrderElementsOf(raws.stream()
                .map(raw -> CsvRow.of(read(raw)).stripTrailing()).toList());
        assertThat(appsPending).as("the running app's pending file").exists();
        List<Path> filesAfterFirst = csvFiles(lake);

        Result second = replay(settings(), "--sink", "lake");
        assertThat(second.output()).contains("0 sent, 0 failed again, 3 replayed before");
        assertThat(csvFiles(lake)).isEqualTo(filesAfterFirst);
    }

    @Test
    void whatFirehoseCouldNotIndexIsReadFromS3InBothShapesAndIndexedOnce() throws Exception {
        try (FakeAwsCredentials credentials = FakeAwsCredentials.install(); S3ProxyServer proxy = S3ProxyServer.start();
             S3Client s3 = S3Client.builder().endpointOverride(proxy.endpoint()).forcePathStyle(true).region(Region.US_EAST_1)
                     .credentialsProvider(FakeAwsCredentials.provider()).build()) {
            s3.createBucket(b -> b.bucket("lake"));
            put(s3, "errors/index-failed/AmazonOpenSearchService-failed/2026/12/07/10/wikiedits-index-1-2026-12-07-10-20-02-4b0e",
                    "AmazonOpenSearchService-failed.ndjson");
            put(s3, "errors/index-failed/processing-failed/2026/12/07/10/wikiedits-index-1-2026-12-07-10-17-00-7d2a",
                    "processing-failed.ndjson");
            put(s3, "errors/lake/processing-failed/2026-12-07/wikiedits-lake-1-2026-12-07-10-17-00-9e1c", "processing-failed.ndjson");
            Map<String, String> aws = new HashMap<>(settings());
            aws.put("wikiedits.mode", "aws");
            aws.put("wikiedits.s3.endpoint", proxy.endpoint().toString());
            aws.put("wikiedits.aws.region", "us-east-1");

            Result first = replay(aws, "--from", "s3://lake/errors/index-failed/");

            assertThat(first.status()).as("the cut-off event fails again: " + first.output()).isEqualTo(1);
            assertThat(first.output()).contains("3 sent, 1 failed again")
                    .contains("processing-failed/2026/12/07/10/wikiedits-index-1-2026-12-07-10-17-00-7d2a:2  cannot read the event");
            assertThat(count()).isEqualTo(3);
            JsonNode delivered = JSON.readTree(direct.get("/" + SearchDocument.INDEX
                    + "/_doc/49655962066601288946458426424331427616786617436993159170000000").body());
            assertThat(delivered.path("_source").path("event_id").asText()).as("a delivery failure: indexed as it is, _id esDocumentId")
                    .isEqualTo("3c1f4b0e-7d2a-4c55-9b61-2f0d9a6e8a11");
            assertThat(delivered.path("_source").path("title").asText()).isEqualTo("Zürich");
            JsonNode transformed = JSON.readTree(direct.get("/" + SearchDocument.INDEX + "/_doc/b7d9e1f3-5a6c-4e8b-9d0f-2a4c6e8b0d1f").body());
            assertThat(transformed.path("_source").path("title").asText()).as("a processing failure: the event, transformed")
                    .isEqualTo("Bern");
            assertThat(transformed.path("_source").path("length_delta").asInt()).isEqualTo(2);

            Result second = replay(aws, "--from", "s3://lake/errors/index-failed/");
            assertThat(second.output()).contains("0 sent, 1 failed again, 3 replayed before");
            assertThat(JSON.readTree(direct.get("/" + SearchDocument.INDEX + "/_doc/b7d9e1f3-5a6c-4e8b-9d0f-2a4c6e8b0d1f").body())
                    .path("_version").asInt()).isEqualTo(1);
        }
    }

    private void startIndexRoutes() throws Exception {
        IndexSink sink = TestIndexSinks.create(context, node.url(), tracker, deadLetters, 10, Duration.ofMillis(50));
        context.getRegistry().bind("indexSink", sink);
        context.addService(sink, true, true);
        context.addLifecycleStrategy(new FlushOnStop(List.of("seda:index")));
        SedaComponent seda = context.getComponent("seda", SedaComponent.class);
        seda.setQueueSize(20);
        seda.setDefaultBlockWhenFull(true);
        loadSourceRoutes();
        loadRouteFile("local/index/index.camel.yaml");
    }

    private Map<String, String> settings() {
        return Map.of("wikiedits.data.dir", work.toString(), "wikiedits.opensearch.url", node.url(), "wikiedits.sinks", "lake,index");
    }

    private record Result(int status, String output) {
    }

    private static Result replay(Map<String, String> settings, String... args) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        int status = ReplayCommand.run(Settings.load().with(settings), args, print, print);
        return new Result(status, bytes.toString(StandardCharsets.UTF_8));
    }

    private List<JsonNode> ledgerLines() throws IOException {
        Path ledger = work.resolve(ReplayLedger.FILE);
        List<JsonNode> lines = new ArrayList<>();
        if (Files.exists(ledger)) {
            for (String line : Files.readAllLines(ledger, StandardCharsets.UTF_8)) {
                lines.add(JSON.readTree(line));
            }
        }
        return lines;
    }

    private static List<Path> csvFiles(Path lake) throws IOException {
        try (Stream<Path> files = Files.walk(lake)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".csv")).sorted().toList();
        }
    }

    private static RecentChange read(String raw) {
        try {
            return RecentChangeReader.read(raw);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static void put(S3Client s3, String key, String fixture) throws IOException {
        ByteArrayOutputStream gzipped = new ByteArrayOutputStream();
        try (InputStream in = ReplayDeadLettersIT.class.getResourceAsStream("/firehose-errors/" + fixture);
             GZIPOutputStream gzip = new GZIPOutputStream(gzipped)) {
            gzip.write(in.readAllBytes());
        }
        s3.putObject(b -> b.bucket("lake").key(key), RequestBody.fromBytes(gzipped.toByteArray()));
    }

    private static long count() throws Exception {
        direct.postJson("/" + SearchDocument.INDEX + "/_refresh", "");
        return JSON.readTree(direct.get("/" + SearchDocument.INDEX + "/_count").body()).path("count").asLong();
    }

}
