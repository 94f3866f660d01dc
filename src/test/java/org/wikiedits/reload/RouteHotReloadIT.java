package org.wikiedits.reload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.firehose.FirehoseClient;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamType;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;
import org.junit.jupiter.api.io.TempDir;
import org.wikiedits.sink.index.EmbeddedOpenSearch;
import org.wikiedits.source.generator.SyntheticEvents;
import org.wikiedits.testing.FakeAwsCredentials;
import org.wikiedits.testing.ForkedApp;
import org.wikiedits.testing.Kinesalite;
import org.wikiedits.testing.KinesisStreams;
import org.wikiedits.testing.LoopbackPorts;
import org.wikiedits.testing.MotoServer;
import org.wikiedits.testing.PipelineFixture;
import org.wikiedits.testing.SseTestServer;

/**
 * Route hot reload as the README gives it: the app in its own JVM, in local mode with the generator as
 * the source (the lake and an OpenSearch node of the test's as the sinks, or the lake alone), a {@code ./routes/} folder copied from the packaged routes, and
 * only {@code -Dcamel.main.routes-reload-enabled=true -Dcamel.main.routes-reload-directory=routes}.
 */
class RouteHotReloadIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path work;

    private int httpPort;

    private ForkedApp start() throws Exception {
        return start(Map.of("wikiedits.sinks", "lake"));
    }

    private ForkedApp start(Map<String, String> sinks) throws Exception {
        copyPackagedRoutes(work.resolve("routes"));
        httpPort = LoopbackPorts.free();
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("camel.main.routes-reload-enabled", "true");
        properties.put("camel.main.routes-reload-directory", "routes");
        properties.put("wikiedits.source.url", "generator:");
        properties.put("wikiedits.generator.rate", "100");
        properties.putAll(sinks);
        properties.put("wikiedits.lake.roll-seconds", "1");
        properties.put("wikiedits.data.dir", work.resolve("data").toString());
        properties.put("wikiedits.http.port", String.valueOf(httpPort));
        ForkedApp app = ForkedApp.start(work, properties, List.of("-Xmx384m"), "run");
        await().atMost(Duration.ofMinutes(2)).failFast("the app exited", () -> !app.isAlive())
                .until(() -> app.log().contains("Live route reloading enabled") && committed() > 0);
        return app;
    }

    @Test
    void savingRouteFilesMidRunReloadsOnlyTheirRoutesAndEveryEventLandsInTheLakeAndTheIndexOnce() throws Exception {
        try (EmbeddedOpenSearch node = EmbeddedOpenSearch.start(work.resolve("node"), LoopbackPorts.free());
             ForkedApp app = start(Map.of("wikiedits.sinks", "lake,index", "wikiedits.opensearch.url", node.url()))) {
            reloadAndGoOn(app, "routes/local/lake/lake.camel.yaml", "lake-roll, lake");
            reloadAndGoOn(app, "routes/local/index/index.camel.yaml", "index, index-bulk, index-flush");
            // the sink templates: a step added to two of them; every route made from them (in the mode's
            // files) is made again, behind the intake gate
            editTemplates(work.resolve("routes/sinks.camel.yaml"));
            awaitLog(app, "Reloaded routes/sinks.camel.yaml: routes lake, index, index-bulk, index-flush (intake held ");
            long afterTemplates = committed();
            await().atMost(WAIT).failFast("the app exited", () -> !app.isAlive()).until(() -> committed() > afterTemplates + 100);
            // the checkpoint can pass those 100 on the lake's roll alone (the index may have been ahead): wait
            // for a bulk through the edited template itself
            await().atMost(WAIT).failFast("the app exited", () -> !app.isAlive()).untilAsserted(() ->
                    assertThat(app.log()).as("the edited index-sink-bulk template runs").contains("bulk from the edited template"));
            reloadAndGoOn(app, "routes/local/publish.camel.yaml", "publish");
            reloadAndGoOn(app, "routes/source.camel.yaml", "source, checkpoint-retry");
            reloadAndGoOn(app, "routes/ops.camel.yaml", "health, metrics, progress");
            assertThat(get("/health").statusCode()).isEqualTo(200);
            assertThat(get("/metrics").statusCode()).isEqualTo(200);
            app.stop(WAIT);

            String log = app.log();
            assertThat(log).doesNotContain("duplicate route id", "No consumers available", "Error reloading routes");
            long last = committed();
            List<String> lake = PipelineFixture.lakeEventIds(work.resolve("data"));
            assertThat(lake).as("no event repeated").doesNotHaveDuplicates();
            assertThat(numbers(expectedIds(last), lake)).as("events up to the checkpoint (#%d) missing from the lake", last).isEmpty();
            assertThat(numbers(new HashSet<>(lake), expectedIds(last))).as("lake events after the checkpoint (#%d)", last).isEmpty();
            List<String> index = PipelineFixture.indexIds(node.url());
            assertThat(index).doesNotHaveDuplicates();
            assertThat(numbers(expectedIds(last), index)).as("events up to the checkpoint (#%d) missing from the index", last).isEmpty();
            assertThat(numbers(new HashSet<>(index), expectedIds(last))).as("index events after the checkpoint (#%d)", last).isEmpty();
            assertThat(PipelineFixture.deadLetters(work.resolve("data"))).isEmpty();
        }
    }

    @Test
    void savingTheAwsPublishFileMidRunSendsEveryEventToKinesisOnce() throws Exception {
        KinesisStreams.useTestCredentials();
        try (Kinesalite kinesalite = Kinesalite.start(); KinesisClient kinesis = KinesisStreams.client(kinesalite.endpoint())) {
            KinesisStreams.create(kinesis, "reload", 1);
            Map<String, String> aws = new LinkedHashMap<>();
            aws.put("wikiedits.mode", "aws");
            aws.put("wikiedits.aws.delivery", "firehose");
            aws.put("wikiedits.aws.region", "us-east-1");
            aws.put("wikiedits.kinesis.endpoint", kinesalite.endpoint().toString());
            aws.put("wikiedits.kinesis.stream", "reload");
            aws.put("wikiedits.kinesis.linger-ms", "100");
            aws.put("aws.accessKeyId", "test");
            aws.put("aws.secretAccessKey", "test");
            aws.put("aws.disableEc2Metadata", "true");
            try (ForkedApp app = start(aws)) {
                reloadAndGoOn(app, "routes/aws/kinesis/publish.camel.yaml", "publish, kinesis-linger, kinesis");
                // the batched-stream template, which the kinesis route is made from
                append(work.resolve("routes/sinks.camel.yaml"), "# edited by RouteHotReloadIT\n");
                awaitLog(app, "Reloaded routes/sinks.camel.yaml: routes kinesis (intake held ");
                reloadAndGoOn(app, "routes/aws/kinesis/publish.camel.yaml", "publish, kinesis-linger, kinesis");
                app.stop(WAIT);
                assertThat(app.log()).doesNotContain("Error reloading routes");
            }
            long last = committed();
            List<String> sent = new java.util.ArrayList<>();
            for (Record record : KinesisStreams.readAll(kinesis, "reload")) {
                sent.add(JSON.readTree(record.data().asUtf8String()).path("meta").path("id").asText());
            }
            assertThat(sent).as("no event sent twice").doesNotHaveDuplicates();
            assertThat(numbers(expectedIds(last), sent)).as("events up to the checkpoint (#%d) missing from the stream", last).isEmpty();
            assertThat(numbers(new HashSet<>(sent), expectedIds(last))).as("stream events after the checkpoint (#%d)", last).isEmpty();
            assertThat(PipelineFixture.deadLetters(work.resolve("data"))).isEmpty();
        }
    }

    @Test
    void savingTheFirehoseDirectFileRemakesItsTemplatedStreamRoutesAndBothStreamsGetEveryEventOnce() throws Exception {
        try (MotoServer moto = MotoServer.start();
             S3Client s3 = S3Client.builder().endpointOverride(moto.endpoint()).region(Region.US_EAST_1).forcePathStyle(true)
                     .credentialsProvider(FakeAwsCredentials.provider()).build();
             FirehoseClient firehose = FirehoseClient.builder().endpointOverride(moto.endpoint()).region(Region.US_EAST_1)
                     .credentialsProvider(FakeAwsCredentials.provider()).build()) {
            for (String stream : List.of("reload-lake", "reload-index")) {
                s3.createBucket(b -> b.bucket(stream));
                firehose.createDeliveryStream(b -> b.deliveryStreamName(stream).deliveryStreamType(DeliveryStreamType.DIRECT_PUT)
                        .extendedS3DestinationConfiguration(d -> d.bucketARN("arn:aws:s3:::" + stream)
                                .roleARN("arn:aws:iam::" + MotoServer.ACCOUNT + ":role/wikiedits-firehose").prefix("wikiedits/")));
            }
            Map<String, String> aws = new LinkedHashMap<>();
            aws.put("wikiedits.mode", "aws");
            aws.put("wikiedits.aws.delivery", "firehose-direct");
            aws.put("wikiedits.aws.region", MotoServer.REGION);
            aws.put("wikiedits.firehose.endpoint", moto.url());
            aws.put("wikiedits.firehose.lake-stream", "reload-lake");
            aws.put("wikiedits.firehose.index-stream", "reload-index");
            aws.put("wikiedits.firehose.linger-ms", "100");
            aws.put("aws.accessKeyId", "test");
            aws.put("aws.secretAccessKey", "test");
            aws.put("aws.disableEc2Metadata", "true");
            try (ForkedApp app = start(aws)) {
                reloadAndGoOn(app, "routes/aws/firehose-direct/publish.camel.yaml",
                        "publish, firehose-linger, firehose-lake, firehose-index");
                app.stop(WAIT);
                assertThat(app.log()).doesNotContain("Error reloading routes");
            }
            long last = committed();
            for (String stream : List.of("reload-lake", "reload-index")) {
                List<String> sent = new java.util.ArrayList<>();
                for (S3Object object : s3.listObjectsV2Paginator(b -> b.bucket(stream)).contents()) {
                    // moto writes one object per PutRecordBatch: the records' JSON back to back
                    try (MappingIterator<JsonNode> records = JSON.readerFor(JsonNode.class)
                            .readValues(s3.getObjectAsBytes(b -> b.bucket(stream).key(object.key())).asByteArray())) {
                        records.forEachRemaining(record -> sent.add(record.path("meta").path("id").asText()));
                    }
                }
                assertThat(sent).as("no event sent twice to %s", stream).doesNotHaveDuplicates();
                assertThat(numbers(expectedIds(last), sent)).as("events up to the checkpoint (#%d) missing from %s", last, stream)
                        .isEmpty();
                assertThat(numbers(new HashSet<>(sent), expectedIds(last))).as("%s events after the checkpoint (#%d)", stream, last)
                        .isEmpty();
            }
            assertThat(PipelineFixture.deadLetters(work.resolve("data"))).isEmpty();
        }
    }

    /**
     * Issue 17, item 6: before the first checkpoint the new source consumer used to reconnect without a
     * Last-Event-ID (the whole recording again; against the live stream, a gap). It resumes after the
     * last admitted event: the server sees that id, and every event is received once.
     */
    @Test
    void reloadingTheSourceBeforeTheFirstCheckpointResumesAfterTheLastAdmittedEvent() throws Exception {
        List<String> lines = eventsEvery(Duration.ofMillis(15), 400);
        try (SseTestServer server = SseTestServer.start(lines)
                .otherwise(SseTestServer.Connection.serveAll().withEventInterval(Duration.ofMillis(15)))) {
            reloadTheSourceBeforeTheFirstCheckpoint(Map.of("wikiedits.source.url", server.url()), lines.size(), () -> {
                await().atMost(WAIT).until(() -> server.requests().size() >= 2);
                String resumedAfter = server.request(1).header("Last-Event-ID");
                assertThat(resumedAfter).as("Last-Event-ID of the reconnection").isNotNull();
                int resumedAt = java.util.stream.IntStream.rangeClosed(1, lines.size())
                        .filter(n -> server.idOf(n).equals(resumedAfter)).findFirst().orElse(-1);
                assertThat(resumedAt).as("the reconnection resumes after an event already received").isGreaterThanOrEqualTo(50);
            });
            assertThat(server.requests()).hasSize(2);
        }
    }

    /** The same for a recording replayed at its pace: the new reader goes on after the last admitted line. */
    @Test
    void reloadingAFileSourceBeforeTheFirstCheckpointGoesOnAfterTheLastAdmittedLine() throws Exception {
        List<String> lines = eventsEvery(Duration.ofMillis(15), 400);
        Path recording = work.resolve("recording.ndjson");
        Files.write(recording, lines, StandardCharsets.UTF_8);
        reloadTheSourceBeforeTheFirstCheckpoint(Map.of("wikiedits.source.url", "file:" + recording,
                "wikiedits.source.replay-speed", "1"), lines.size(), () -> { });
    }

    private static List<String> eventsEvery(Duration gap, int count) {
        List<String> lines = new ArrayList<>();
        for (int n = 1; n <= count; n++) {
            lines.add(SyntheticEvents.event(n, Instant.parse("2026-11-28T10:00:00Z").plus(gap.multipliedBy(n))));
        }
        return lines;
    }

    /**
     * Runs the app (lake only, no lake commit and so no checkpoint until it stops) on {@code source}, saves
     * routes/source.camel.yaml after 50 events, runs {@code afterReload}, and checks that each of the
     * {@code count} events was received once (a restart from the first would repeat some) and is in the lake once.
     */
    private void reloadTheSourceBeforeTheFirstCheckpoint(Map<String, String> source, int count, ThrowingRunnable afterReload)
            throws Exception {
        copyPackagedRoutes(work.resolve("routes"));
        httpPort = LoopbackPorts.free();
        Map<String, String> properties = new LinkedHashMap<>(source);
        properties.put("camel.main.routes-reload-enabled", "true");
        properties.put("camel.main.routes-reload-directory", "routes");
        properties.put("wikiedits.sinks", "lake");
        properties.put("wikiedits.lake.roll-seconds", "600");
        properties.put("wikiedits.data.dir", work.resolve("data").toString());
        properties.put("wikiedits.http.port", String.valueOf(httpPort));
        try (ForkedApp app = ForkedApp.start(work, properties, List.of("-Xmx384m"), "run")) {
            await().atMost(Duration.ofMinutes(2)).failFast("the app exited", () -> !app.isAlive())
                    .until(() -> app.log().contains("Live route reloading enabled") && received() >= 50);

            append(work.resolve("routes/source.camel.yaml"), "# edited by RouteHotReloadIT\n");
            awaitLog(app, "Reloaded routes/source.camel.yaml: routes source, checkpoint-retry (intake held ");
            assertThat(committed()).as("no checkpoint before the reload").isZero();
            afterReload.run();

            await().atMost(WAIT).failFast("the app exited", () -> !app.isAlive()).until(() -> received() >= count);
            Thread.sleep(500); // a replay, if any, would arrive now
            assertThat(received()).as("events received (a restart from the first would repeat some)").isEqualTo(count);
            app.stop(WAIT);
        }
        List<String> lake = PipelineFixture.lakeEventIds(work.resolve("data"));
        assertThat(lake).doesNotHaveDuplicates();
        assertThat(numbers(expectedIds(count), lake)).as("events missing from the lake").isEmpty();
    }

    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Test
    void aRouteFileThatDoesNotParseIsRefusedWithItsErrorWhileTheOldRoutesKeepRunning() throws Exception {
        try (ForkedApp app = start()) {
            Path ops = work.resolve("routes/ops.camel.yaml");
            append(ops, "# edited by RouteHotReloadIT\n");
            awaitLog(app, "Reloaded routes/ops.camel.yaml: routes ");
            String fixed = Files.readString(ops, StandardCharsets.UTF_8);
            append(ops, "  - broken: [\n");
            awaitLog(app, "Refused routes/ops.camel.yaml (the running routes are unchanged; fix the file and save it again)");
            assertThat(app.log()).containsPattern("line \\d+, column \\d+");
            // the file saved back as it was before the broken save is reloaded (it was skipped as already loaded)
            Files.writeString(ops, fixed, StandardCharsets.UTF_8);
            await().atMost(WAIT).failFast("the app exited", () -> !app.isAlive())
                    .until(() -> app.log().split("Reloaded routes/ops.camel.yaml: routes ", -1).length == 3);

            Files.copy(work.resolve("routes/local/lake/lake.camel.yaml"), work.resolve("routes/local/lake-copy.camel.yaml"));
            awaitLog(app, "Refused routes/local/lake-copy.camel.yaml");
            // its first route id (lake-roll; lake is made from the lake-sink template) already runs from lake.camel.yaml
            assertThat(app.log()).contains("route id 'lake-roll' is already defined in file:routes/local/lake/lake.camel.yaml");

            append(work.resolve("routes/aws/camel/lake.camel.yaml"), "# edited by RouteHotReloadIT\n");
            awaitLog(app, "Not reloaded: routes/aws/camel/lake.camel.yaml is not one of this run's route folders");

            long before = committed();
            await().atMost(WAIT).until(() -> committed() > before + 100);
            assertThat(get("/health").statusCode()).isEqualTo(200);
            assertThat(get("/metrics").statusCode()).isEqualTo(200);
            assertThat(app.log()).doesNotContain("Reloaded routes/local", "Reloaded routes/aws", "Error reloading routes");
        }
    }

    /** Saves {@code file} with a comment added, waits for its reload, then for the checkpoint to move on by 100 events. */
    private void reloadAndGoOn(ForkedApp app, String file, String routes) throws Exception {
        append(work.resolve(file), "# edited by RouteHotReloadIT\n");
        awaitLog(app, "Reloaded " + file + ": routes " + routes + " (intake held ");
        long after = committed();
        try {
            await().atMost(WAIT).failFast("the app exited", () -> !app.isAlive()).until(() -> committed() > after + 100);
        } catch (ConditionTimeoutException e) {
            String log = app.log();
            throw new AssertionError("the checkpoint stayed at " + committed() + " after reloading " + file + "; the app's log ends:\n"
                    + log.substring(Math.max(0, log.length() - 8000)), e);
        }
    }

    private static void awaitLog(ForkedApp app, String text) {
        try {
            await().atMost(WAIT).failFast("the app exited", () -> !app.isAlive()).until(() -> app.log().contains(text));
        } catch (ConditionTimeoutException e) {
            String log = app.log();
            throw new AssertionError("no '" + text + "' in the app's log; its end:\n" + log.substring(Math.max(0, log.length() - 6000)), e);
        }
    }

    /** Adds a harmless step to the lake-sink template and a log line to index-sink-bulk's. */
    private static void editTemplates(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        String lake = "              name: WikieditsSink\n              constant: lake\n";
        String bulk = "        uri: \"direct:{{queue}}-bulk\"\n        steps:\n";
        assertThat(text).contains(lake, bulk);
        text = text.replace(lake, lake + """
                          - setProperty:
                              name: WikieditsEditedTemplate
                              constant: lake
                """).replace(bulk, bulk + """
                          - log:
                              message: bulk from the edited template
                """);
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    private static void append(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }

    /** The generator's checkpoint: {@code run:number}. */
    private static final java.util.regex.Pattern GENERATOR_POSITION = java.util.regex.Pattern.compile("([0-9a-f]{8}):(\\d+)");

    /** The generator event number of the checkpoint, 0 before the first. */
    private long committed() throws IOException {
        String id = PipelineFixture.checkpoint(work.resolve("data"));
        java.util.regex.Matcher generator = GENERATOR_POSITION.matcher(id == null ? "" : id);
        return id == null ? 0 : Long.parseLong(generator.matches() ? generator.group(2) : id);
    }

    /** The generator run of the checkpoint; "" for another source's (whose events are the unnamed run's) or before the first. */
    private String run() throws IOException {
        String id = PipelineFixture.checkpoint(work.resolve("data"));
        java.util.regex.Matcher generator = GENERATOR_POSITION.matcher(id == null ? "" : id);
        return generator.matches() ? generator.group(1) : "";
    }

    /** The meta.ids of the run's generator events 1..last without the canaries (which the source drops). */
    private Set<String> expectedIds(long last) throws IOException {
        String run = run();
        Set<String> ids = new HashSet<>();
        for (long n = 1; n <= last; n++) {
            if (!JSON.readTree(SyntheticEvents.event(n, Instant.EPOCH)).path("meta").path("domain").asText().equals("canary")) {
                ids.add(SyntheticEvents.eventId(run, n).toString());
            }
        }
        return ids;
    }

    /** The run's generator numbers of the ids in {@code ids} but not in {@code others}. */
    private List<Long> numbers(Set<String> ids, java.util.Collection<String> others) throws IOException {
        String run = run();
        Set<String> rest = new HashSet<>(ids);
        rest.removeAll(others);
        return java.util.stream.LongStream.rangeClosed(1, 1_000_000)
                .filter(n -> rest.contains(SyntheticEvents.eventId(run, n).toString())).limit(rest.size()).boxed().toList();
    }

    /** wikiedits_events_received_total from /metrics: events admitted by the source. */
    private long received() throws Exception {
        String metrics = get("/metrics").body();
        return metrics.lines().filter(line -> line.startsWith("wikiedits_events_received_total "))
                .mapToLong(line -> (long) Double.parseDouble(line.substring(line.indexOf(' ') + 1))).findFirst().orElse(0);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The route files the jar packages, copied as the README tells users to (Maven runs tests in the project folder). */
    private static void copyPackagedRoutes(Path target) throws Exception {
        Path packaged = Path.of("src/main/resources/routes");
        try (Stream<Path> files = Files.walk(packaged)) {
            for (Path file : files.toList()) {
                Path copy = target.resolve(packaged.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(copy);
                } else {
                    Files.copy(file, copy);
                }
            }
        }
    }
}
