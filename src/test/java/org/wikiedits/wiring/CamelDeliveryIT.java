package org.wikiedits.wiring;

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
import org.wikiedits.app.Pipeline;
import org.wikiedits.commit.CheckpointStore;
import org.wikiedits.commit.CommitTracker;
import org.wikiedits.sink.index.EmbeddedOpenSearch;
import org.wikiedits.sink.kinesis.KinesisRecord;
import org.wikiedits.sink.lake.LakeSink;
import org.wikiedits.sink.lake.S3UploadQueue;
import org.wikiedits.source.kinesis.ShardPositions;
import org.wikiedits.testing.FakeAwsCredentials;
import org.wikiedits.testing.FaultInjectingKinesisProxy;
import org.wikiedits.testing.Kinesalite;
import org.wikiedits.testing.KinesisStreams;
import org.wikiedits.testing.LoopbackPorts;
import org.wikiedits.testing.PipelineFixture;
import org.wikiedits.testing.S3ProxyServer;
import org.wikiedits.testing.TestEvents;
import org.wikiedits.transform.CsvRow;
import org.wikiedits.transform.LakePartition;
import org.wikiedits.transform.RecentChange;
import org.wikiedits.transform.RecentChangeReader;
import org.wikiedits.transform.SearchDocument;
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
 * routes/aws/camel/) -> the LakeWriter over S3LakeStorage -> the aws2-s3 endpoint of s3-lake-roll ->
 * s3proxy, and the index routes (opensearch: Bulk) -> an embedded OpenSearch node; restarts resume each shard, neither the
 * lake nor the index holds an id twice, a file above the part size goes up as a multipart upload, and
 * the shard positions wait while S3 is unreachable (from the start, too); a clean stop puts the lake
 * files into S3 before it saves the positions.
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
        s3 = s3Client(s3proxy.endpoint());
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
        return lake(s3, bucket);
    }

    private static Map<String, List<String>> lake(S3Client s3, String bucket) {
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
        return rows(s3, bucket);
    }

    private static List<String> rows(S3Client s3, String bucket) {
        return lake(s3, bucket).values().stream().flatMap(List::stream).toList();
    }

    private static S3Client s3Client(URI endpoint) {
        return S3Client.builder().endpointOverride(endpoint).forcePathStyle(true).region(Region.US_EAST_1)
                .credentialsProvider(FakeAwsCredentials.provider()).build();
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
            Map<String, String> lastPerShard = lastPerShard(stream);
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

    @Test
    void aLakeFileAboveThePartSizeArrivesWholeThroughAMultipartUpload() throws Exception {
        int partSize = 5 << 20; // S3's (and s3proxy's) smallest part
        String stream = "multipart-" + System.nanoTime();
        String bucket = newBucket("multipart");
        KinesisStreams.create(kinesis, stream, 1);
        List<String> events = largeEdits(800, Instant.parse("2026-11-27T10:00:00Z"));
        put(stream, events); // before the start: the consumer reads them in one go
        Map<String, String> settings = settings(stream, bucket, TestEvents.write(data.resolve("empty.ndjson"), List.of()));
        settings.put("wikiedits.s3.part-size", String.valueOf(partSize));
        // the file is completed on size (then the writer waits for S3: roll-bytes wait), the rest on age
        settings.put("wikiedits.lake.roll-bytes", String.valueOf(partSize + (partSize / 10)));
        settings.put("wikiedits.lake.roll-seconds", "5");

        try (Pipeline app = AwsApp.start(settings)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> rows(bucket).size() >= 800);
        }
        Map<String, List<String>> lake = lake(bucket);
        assertThat(lake.values().stream().flatMap(List::stream).sorted().toList())
                .as("every row once, none cut").isEqualTo(expectedRows(events).stream().sorted().toList());
        Map<String, Integer> multipart = new HashMap<>(s3proxy.multipartUploads());
        multipart.keySet().retainAll(lake.keySet());
        assertThat(multipart).as("objects put in parts").isNotEmpty();
        for (Map.Entry<String, Integer> upload : multipart.entrySet()) {
            long bytes = lake.get(upload.getKey()).stream().mapToLong(row -> row.getBytes(StandardCharsets.UTF_8).length).sum();
            assertThat(upload.getValue()).as("parts of %s, %d bytes", upload.getKey(), bytes)
                    .isGreaterThan(1).isEqualTo((int) ((bytes + partSize - 1) / partSize));
        }
    }

    /** {@code count} edits in the event hour {@code hour}, each with a comment of 8,000 more characters (an 8 KiB lake row). */
    private static List<String> largeEdits(int count, Instant hour) {
        String longComment = "\"comment\":\"fix ☃ typo " + "x".repeat(8000) + "\"";
        List<String> events = TestEvents.edits(count * 3, hour).subList(0, count).stream()
                .map(event -> event.replace("\"comment\":\"fix ☃ typo\"", longComment)).toList();
        assertThat(events).allMatch(event -> event.contains(longComment));
        return events;
    }

    @Test
    void theShardPositionsStayWhileS3IsUnreachableAndAdvanceOnceItHasAcknowledgedTheFiles() throws Exception {
        String stream = "outage-" + System.nanoTime();
        KinesisStreams.create(kinesis, stream, 2);
        CheckpointStore positions = new CheckpointStore(data.resolve("state").resolve("kinesis-" + stream), "kinesis:" + stream);
        Instant hours = Instant.parse("2026-11-28T10:00:00Z");
        List<String> first = TestEvents.edits(300, hours);
        // the same three event hours: their ids are in memory by then, so the lake needs S3 only for the upload
        List<String> second = TestEvents.edits(200, hours);
        put(stream, first);
        try (S3ProxyServer flaky = S3ProxyServer.start(); S3Client flakyS3 = s3Client(flaky.endpoint())) {
            flakyS3.createBucket(b -> b.bucket("outage"));
            Map<String, String> settings = settings(stream, "outage", TestEvents.write(data.resolve("empty.ndjson"), List.of()));
            settings.put("wikiedits.s3.endpoint", flaky.endpoint().toString());

            try (Pipeline app = AwsApp.start(settings)) {
                CommitTracker tracker = consumerTracker(app);
                S3UploadQueue uploads = app.camelContext().getRegistry().lookupByNameAndType("s3LakeUploads", S3UploadQueue.class);
                Map<String, String> afterFirst = lastPerShard(stream);
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                        assertThat(ShardPositions.parse(positions.lastEventId().orElse(""))).isEqualTo(afterFirst));
                String saved = positions.lastEventId().orElseThrow();

                flaky.stop();
                put(stream, second);
                await().atMost(Duration.ofSeconds(30)).until(() -> tracker.lastAdmitted() >= 500 && indexIds().size() >= 500
                        && !uploads.waiting().isEmpty());
                await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() ->
                        positions.lastEventId().orElse("").equals(saved) && tracker.uncommitted() == 200);

                flaky.restart();
                Map<String, String> afterSecond = lastPerShard(stream);
                assertThat(afterSecond).isNotEqualTo(afterFirst);
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                        assertThat(ShardPositions.parse(positions.lastEventId().orElse(""))).isEqualTo(afterSecond));
                assertThat(uploads.waiting()).isEmpty();
            }
            List<String> all = new ArrayList<>(first);
            all.addAll(second);
            assertThat(rows(flakyS3, "outage").stream().sorted().toList()).isEqualTo(expectedRows(all).stream().sorted().toList());
        }
    }

    /**
     * S3 down longer than a shard iterator lives (five minutes on Kinesis): the consumer, held back by
     * the lake, comes back to iterators that have expired. Here the outage lasts 30 s and the expiry is
     * injected by the proxy in front of kinesalite; the consumer gets fresh iterators by itself and
     * every record arrives once, without a restart.
     */
    @Test
    void afterAnS3OutageLongerThanAShardIteratorLivesTheConsumerRecoversByItself() throws Exception {
        String stream = "expiry-" + System.nanoTime();
        KinesisStreams.create(kinesis, stream, 2);
        CheckpointStore positions = new CheckpointStore(data.resolve("state").resolve("kinesis-" + stream), "kinesis:" + stream);
        Instant hours = Instant.parse("2026-12-01T10:00:00Z");
        List<String> before = TestEvents.edits(200, hours);
        List<String> during = TestEvents.edits(200, hours.plusSeconds(7200));
        List<String> after = TestEvents.edits(200, hours.plusSeconds(3 * 7200));
        put(stream, before);
        try (S3ProxyServer flaky = S3ProxyServer.start(); S3Client flakyS3 = s3Client(flaky.endpoint());
             FaultInjectingKinesisProxy proxy = FaultInjectingKinesisProxy.start(kinesalite.endpoint())) {
            flakyS3.createBucket(b -> b.bucket("expiry"));
            Map<String, String> settings = settings(stream, "expiry", TestEvents.write(data.resolve("empty.ndjson"), List.of()));
            settings.put("wikiedits.s3.endpoint", flaky.endpoint().toString());
            settings.put("wikiedits.kinesis.endpoint", proxy.endpoint().toString());
            settings.put("wikiedits.lake.roll-seconds", "2");

            try (Pipeline app = AwsApp.start(settings)) {
                Map<String, String> afterBefore = lastPerShard(stream);
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                        assertThat(ShardPositions.parse(positions.lastEventId().orElse(""))).isEqualTo(afterBefore));

                flaky.stop();
                put(stream, during);
                Thread.sleep(30_000); // the outage
                proxy.expireIssuedIterators(); // as five minutes would have
                flaky.restart();
                put(stream, after);

                Map<String, String> last = lastPerShard(stream);
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                        assertThat(ShardPositions.parse(positions.lastEventId().orElse("")))
                                .as("the shard positions reach the last records (expired-iterator answers so far: %d)",
                                        proxy.expiredIteratorAnswers())
                                .isEqualTo(last));
                assertThat(proxy.expiredIteratorAnswers()).as("the consumer met expired iterators").isPositive();
            }
            List<String> all = new ArrayList<>(before);
            all.addAll(during);
            all.addAll(after);
            assertThat(rows(flakyS3, "expiry").stream().sorted().toList()).as("every row once")
                    .isEqualTo(expectedRows(all).stream().sorted().toList());
            assertThat(indexIds()).containsExactlyInAnyOrderElementsOf(expectedIds(all));
        }
    }

    @Test
    void aCleanStopPutsTheLakeFilesNotYetDueIntoS3BeforeTheShardPositionsAreSaved() throws Exception {
        String stream = "stop-" + System.nanoTime();
        String bucket = newBucket("stop");
        KinesisStreams.create(kinesis, stream, 2);
        CheckpointStore positions = new CheckpointStore(data.resolve("state").resolve("kinesis-" + stream), "kinesis:" + stream);
        List<String> events = TestEvents.edits(300, Instant.parse("2026-11-29T10:00:00Z"));
        put(stream, events);
        Map<String, String> settings = settings(stream, bucket, TestEvents.write(data.resolve("empty.ndjson"), List.of()));
        settings.put("wikiedits.lake.roll-seconds", "3600"); // no file is due while the app runs

        try (Pipeline app = AwsApp.start(settings)) {
            LakeSink lake = app.camelContext().getRegistry().lookupByNameAndType("lakeSink", LakeSink.class);
            // the earlier names, which route files copied from an earlier version use, name the same beans
            assertThat(app.camelContext().getRegistry().lookupByName("s3LakeSink")).isSameAs(lake);
            assertThat(app.camelContext().getRegistry().lookupByName("awsIndexSink"))
                    .isNotNull().isSameAs(app.camelContext().getRegistry().lookupByName("indexSink"));
            await().atMost(Duration.ofSeconds(60)).until(() -> lake.writer().written() >= 300 && indexIds().size() >= 300);
            assertThat(rows(bucket)).as("no lake file is due before the stop").isEmpty();
            assertThat(positions.lastEventId()).as("the lake has not acknowledged the records yet").isEmpty();
        }
        assertThat(rows(bucket).stream().sorted().toList()).as("every row, put into S3 during the stop")
                .isEqualTo(expectedRows(events).stream().sorted().toList());
        assertThat(ShardPositions.parse(positions.lastEventId().orElse(""))).as("positions saved past the uploaded files")
                .isEqualTo(lastPerShard(stream));
        try (java.util.stream.Stream<Path> buffers = Files.walk(data.resolve("s3-pending"))) {
            assertThat(buffers.filter(Files::isRegularFile)).as("no local buffer left behind").isEmpty();
        }
    }

    @Test
    void theAppStartsWhileS3IsUnreachableHoldsThePositionsAndPutsEveryRowOnceWhenS3Answers() throws Exception {
        String stream = "down-" + System.nanoTime();
        KinesisStreams.create(kinesis, stream, 2);
        CheckpointStore positions = new CheckpointStore(data.resolve("state").resolve("kinesis-" + stream), "kinesis:" + stream);
        List<String> events = TestEvents.edits(300, Instant.parse("2026-11-30T10:00:00Z"));
        put(stream, events);
        try (S3ProxyServer down = S3ProxyServer.start(); S3Client downS3 = s3Client(down.endpoint())) {
            downS3.createBucket(b -> b.bucket("down"));
            down.stop();
            Map<String, String> settings = settings(stream, "down", TestEvents.write(data.resolve("empty.ndjson"), List.of()));
            settings.put("wikiedits.s3.endpoint", down.endpoint().toString());
            settings.put("wikiedits.lake.roll-seconds", "6");

            try (Pipeline app = AwsApp.start(settings)) { // the start does not wait for S3
                CommitTracker tracker = consumerTracker(app);
                LakeSink lake = app.camelContext().getRegistry().lookupByNameAndType("lakeSink", LakeSink.class);
                S3UploadQueue uploads = app.camelContext().getRegistry().lookupByNameAndType("s3LakeUploads", S3UploadQueue.class);
                await().atMost(Duration.ofSeconds(30)).until(() -> tracker.lastAdmitted() >= 1);
                await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> positions.lastEventId().isEmpty());

                // S3 answers the partitions' first reads, then is gone again when the first files are due
                down.restart();
                await().atMost(Duration.ofSeconds(60)).until(() -> lake.writer().written() >= 300);
                down.stop();
                await().during(Duration.ofSeconds(8)).atMost(Duration.ofSeconds(10)).until(() -> positions.lastEventId().isEmpty());
                assertThat(uploads.waiting()).as("the completed files wait for S3").isNotEmpty();

                down.restart();
                Map<String, String> last = lastPerShard(stream);
                await().atMost(Duration.ofSeconds(90)).untilAsserted(() ->
                        assertThat(ShardPositions.parse(positions.lastEventId().orElse(""))).isEqualTo(last));
                assertThat(uploads.waiting()).isEmpty();
            }
            assertThat(rows(downS3, "down").stream().sorted().toList()).as("every row once")
                    .isEqualTo(expectedRows(events).stream().sorted().toList());
            assertThat(indexIds()).containsExactlyInAnyOrderElementsOf(expectedIds(events));
        }
    }

    /** The sequence number of the last record of each of the stream's two shards. */
    private static Map<String, String> lastPerShard(String stream) {
        Map<String, String> last = new HashMap<>();
        for (String shard : List.of("shardId-000000000000", "shardId-000000000001")) {
            List<Record> records = KinesisStreams.readShard(kinesis, stream, shard);
            last.put(shard, records.get(records.size() - 1).sequenceNumber());
        }
        return last;
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
