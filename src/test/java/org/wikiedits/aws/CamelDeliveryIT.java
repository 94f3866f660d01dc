package org.wikiedits.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wikiedits.Pipeline;
import org.wikiedits.checkpoint.CheckpointStore;
import org.wikiedits.checkpoint.CommitTracker;
import org.wikiedits.opensearch.EmbeddedOpenSearch;
import org.wikiedits.transform.LakePartition;
import org.wikiedits.testing.Kinesalite;
import org.wikiedits.testing.KinesisStreams;
import org.wikiedits.testing.LoopbackPorts;
import org.wikiedits.testing.PipelineFixture;
import org.wikiedits.testing.S3ProxyServer;
import org.wikiedits.testing.TestEvents;
import org.wikiedits.transform.CsvRow;
import org.wikiedits.transform.RecentChange;
import org.wikiedits.transform.RecentChangeReader;
import org.wikiedits.transform.SearchDocument;
import org.wikiedits.testing.FakeAwsCredentials;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * wikiedits.aws.delivery=camel end to end: kinesalite -> the app's Kinesis consumer (shipped routes
 * routes/aws/camel/) -> the LakeWriter over S3LakeStorage -> s3proxy, and the index routes (opensearch: Bulk) -> an embedded
 * OpenSearch node; restarts resume each shard, and neither the lake nor the index holds an id twice.
 */
class CamelDeliveryIT {

    private static final Pattern KEY = Pattern.compile("wikiedits/dt=\\d{4}-\\d{2}-\\d{2}/hour=\\d{2}/part-[^/]+\\.csv");

    private static Kinesalite kinesalite;
    private static S3ProxyServer s3proxy;
    private static KinesisClient kinesis;
    private static S3Client s3;
    private static EmbeddedOpenSearch node;

    @TempDir
    Path data;

    @BeforeAll
    static void startStandIns(@TempDir Path nodeDir) throws Exception {
        node = EmbeddedOpenSearch.start(nodeDir, LoopbackPorts.free()); // first: before anything Netty-based
        KinesisStreams.useTestCredentials();
        kinesalite = Kinesalite.start();
        s3proxy = S3ProxyServer.start();
        kinesis = KinesisStreams.client(kinesalite.endpoint());
        s3 = S3Client.builder().endpointOverride(s3proxy.endpoint()).forcePathStyle(true).region(Region.US_EAST_1)
                .credentialsProvider(FakeAwsCredentials.provider()).build();
    }

    @AfterAll
    static void stopStandIns() throws Exception {
        if (s3 != null) {
            s3.close();
        }
        if (kinesis != null) {
            kinesis.close();
        }
        if (s3proxy != null) {
            s3proxy.close();
        }
        if (kinesalite != null) {
            kinesalite.close();
        }
        if (node != null) {
            node.close();
        }
    }

    /** Each test starts from no index, since both share the node and the index name. */
    @BeforeEach
    void deleteTheIndex() throws Exception {
        int status = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(node.url() + "/" + SearchDocument.INDEX)).DELETE().build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
        assertThat(status).as("index deleted or absent").isIn(200, 404);
    }

    private Map<String, String> settings(String stream, String bucket, Path recording) throws Exception {
        Map<String, String> values = new HashMap<>(AwsApp.settings(data, recording, kinesalite.endpoint(), stream));
        values.put("wikiedits.aws.delivery", "camel");
        values.put("wikiedits.s3.bucket", bucket);
        values.put("wikiedits.s3.endpoint", s3proxy.endpoint().toString());
        values.put("wikiedits.opensearch.url", node.url());
        values.put("wikiedits.index.linger-ms", "200");
        return values;
    }

    /** Every lake object's key and its rows. */
    private static Map<String, List<String>> lake(String bucket) {
        Map<String, List<String>> objects = new HashMap<>();
        for (S3Object object : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix("wikiedits/")).contents()) {
            String text;
            try {
                text = s3.getObjectAsBytes(b -> b.bucket(bucket).key(object.key())).asString(StandardCharsets.UTF_8);
            } catch (NoSuchKeyException e) {
                continue; // s3proxy lists an object while the app's PutObject is still in progress; read it next time
            }
            List<String> rows = new ArrayList<>();
            for (String line : text.split("\n")) {
                if (!line.isEmpty()) {
                    rows.add(line + "\n");
                }
            }
            objects.put(object.key(), rows);
        }
        return objects;
    }

    private static List<String> rows(String bucket) {
        return lake(bucket).values().stream().flatMap(List::stream).toList();
    }

    private static List<String> expectedRows(List<String> events) throws Exception {
        List<String> rows = new ArrayList<>();
        for (String event : events) {
            rows.add(CsvRow.of(RecentChangeReader.read(event)));
        }
        return rows;
    }

    private static List<String> expectedIds(List<String> events) throws Exception {
        List<String> ids = new ArrayList<>();
        for (String event : events) {
            ids.add(SearchDocument.id(RecentChangeReader.read(event)));
        }
        return ids;
    }

    private static List<String> indexIds() throws Exception {
        return PipelineFixture.indexIds(node.url());
    }

    private static String newBucket(String prefix) {
        String bucket = prefix + "-" + System.nanoTime();
        s3.createBucket(b -> b.bucket(bucket));
        return bucket;
    }

    @Test
    void eventsGoThroughKinesisIntoS3OnceEachInTheirEventHourPartition() throws Exception {
        String stream = "camel-" + System.nanoTime();
        String bucket = newBucket("lake");
        KinesisStreams.create(kinesis, stream, 2);
        List<String> events = TestEvents.edits(600, Instant.parse("2026-11-25T22:00:00Z"));
        Path recording = TestEvents.write(data.resolve("recording.ndjson"), events);

        try (Pipeline app = AwsApp.start(settings(stream, bucket, recording))) {
            await().atMost(Duration.ofSeconds(60)).until(() -> rows(bucket).size() >= 600 && indexIds().size() >= 600);
        }
        assertThat(indexIds()).as("the index holds each meta.id once, as _id").containsExactlyInAnyOrderElementsOf(expectedIds(events));

        Map<String, List<String>> lake = lake(bucket);
        assertThat(lake.values().stream().flatMap(List::stream).sorted().toList())
                .as("the CSV rows of the sent events, each once").isEqualTo(expectedRows(events).stream().sorted().toList());
        assertThat(lake.keySet()).allMatch(key -> KEY.matcher(key).matches());
        assertThat(lake.keySet().stream().map(key -> key.substring(0, key.lastIndexOf('/'))).distinct())
                .as("three event hours across midnight").containsExactlyInAnyOrder(
                        "wikiedits/dt=2026-11-25/hour=22", "wikiedits/dt=2026-11-25/hour=23", "wikiedits/dt=2026-11-26/hour=00");
        for (Map.Entry<String, List<String>> object : lake.entrySet()) {
            for (String row : object.getValue()) {
                RecentChange event = RecentChangeReader.read(events.stream().filter(e -> e.contains(row.substring(0, 36))).findFirst()
                        .orElseThrow());
                assertThat(object.getKey()).startsWith(
                        "wikiedits/" + LakePartition.path(event.eventTime()) + "/");
            }
        }
        try (java.util.stream.Stream<Path> buffers = Files.walk(data.resolve("s3-pending"))) {
            assertThat(buffers.filter(Files::isRegularFile)).as("no local buffer left behind").isEmpty();
        }
    }

    @Test
    void aRestartContinuesEachShardAfterItsLastCommittedRecordAndALostCheckpointCausesNoDuplicates() throws Exception {
        String stream = "resume-" + System.nanoTime();
        String bucket = newBucket("resume");
        KinesisStreams.create(kinesis, stream, 2);
        Path recording = TestEvents.write(data.resolve("empty.ndjson"), List.of());
        CheckpointStore positions = new CheckpointStore(data.resolve("state").resolve("kinesis-" + stream), "kinesis:" + stream);
        List<String> first = TestEvents.edits(300, Instant.parse("2026-11-25T10:00:00Z"));
        put(stream, first);

        try (Pipeline app = AwsApp.start(settings(stream, bucket, recording))) {
            await().atMost(Duration.ofSeconds(60)).until(() -> rows(bucket).size() >= 300 && indexIds().size() >= 300);
            Map<String, String> lastPerShard = new HashMap<>();
            for (String shard : List.of("shardId-000000000000", "shardId-000000000001")) {
                List<Record> records = KinesisStreams.readShard(kinesis, stream, shard);
                lastPerShard.put(shard, records.get(records.size() - 1).sequenceNumber());
            }
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(ShardPositions.parse(positions.lastEventId().orElse(""))).isEqualTo(lastPerShard));
        }
        Path afterFirst = Files.copy(positions.file(), data.resolve("positions-after-first-run.json"));

        List<String> second = TestEvents.edits(200, Instant.parse("2026-11-25T10:30:00Z"));
        put(stream, second);
        try (Pipeline app = AwsApp.start(settings(stream, bucket, recording))) {
            await().atMost(Duration.ofSeconds(60)).until(() -> rows(bucket).size() >= 500 && indexIds().size() >= 500);
            assertThat(consumerTracker(app).lastAdmitted()).as("only the new records were read again").isEqualTo(200);
        }
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        assertThat(rows(bucket).stream().sorted().toList()).isEqualTo(expectedRows(all).stream().sorted().toList());

        // As if the app had died after S3 got the files but before the positions were saved.
        Files.copy(afterFirst, positions.file(), StandardCopyOption.REPLACE_EXISTING);
        int objectsBefore = lake(bucket).size();
        try (Pipeline app = AwsApp.start(settings(stream, bucket, recording))) {
            CommitTracker tracker = consumerTracker(app);
            await().atMost(Duration.ofSeconds(60)).until(() -> tracker.lastAdmitted() >= 200 && tracker.uncommitted() == 0);
        }
        assertThat(rows(bucket)).as("the replayed records were recognised in their partitions").hasSize(500);
        assertThat(lake(bucket)).hasSize(objectsBefore);
        assertThat(indexIds()).as("the index holds each meta.id once, replayed records included")
                .containsExactlyInAnyOrderElementsOf(expectedIds(all));
    }

    private static CommitTracker consumerTracker(Pipeline app) {
        return app.camelContext().getRegistry().lookupByNameAndType("consumerTracker", CommitTracker.class);
    }

    private static void put(String stream, List<String> events) {
        for (int from = 0; from < events.size(); from += 500) {
            List<PutRecordsRequestEntry> entries = events.subList(from, Math.min(events.size(), from + 500)).stream()
                    .map(e -> PutRecordsRequestEntry.builder().data(SdkBytes.fromUtf8String(e))
                            .partitionKey(KinesisRecord.partitionKeyOf(e.substring(e.indexOf("\"id\":\"") + 6, e.indexOf("\"id\":\"") + 42)))
                            .build()).toList();
            assertThat(kinesis.putRecords(b -> b.streamName(stream).records(entries)).failedRecordCount()).isZero();
        }
    }
}
