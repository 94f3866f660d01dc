package org.wikiedits.sink.firehose;

import org.wikiedits.commit.AdmitEvent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.seda.SedaComponent;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wikiedits.commit.CheckpointStore;
import org.wikiedits.commit.CommitTracker;
import org.wikiedits.commit.DeadLetterStore;
import org.wikiedits.commit.Headers;
import org.wikiedits.commit.PipelineStats;
import org.wikiedits.config.BatchLimits;
import org.wikiedits.delivery.BatchDelivery;
import org.wikiedits.delivery.EventBatches;
import org.wikiedits.lambda.EventTransformation;
import org.wikiedits.lambda.FirehoseTransformationRequest;
import org.wikiedits.lambda.FirehoseTransformationResponse;
import org.wikiedits.lambda.FirehoseTransformer;
import org.wikiedits.lambda.LakeRowTransformation;
import org.wikiedits.lambda.SearchDocumentTransformation;
import org.wikiedits.source.sse.SseConstants;
import org.wikiedits.testing.FakeAwsCredentials;
import org.wikiedits.testing.MotoServer;
import org.wikiedits.testing.Samples;
import org.wikiedits.transform.CsvRow;
import org.wikiedits.transform.Fixtures;
import org.wikiedits.transform.MalformedEventException;
import org.wikiedits.transform.RecentChange;
import org.wikiedits.transform.RecentChangeReader;
import org.wikiedits.transform.SearchDocument;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.firehose.FirehoseClient;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamType;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * {@code wikiedits.aws.delivery=firehose-direct} against moto_server: events go through the source
 * steps ({@link AdmitEvent}) and {@code routes/aws/firehose-direct/publish.camel.yaml} into two
 * DirectPut delivery streams with S3 destinations, which moto delivers at once (one object per
 * PutRecordBatch). {@link FirehoseFaultProxy} sits in front of moto to refuse entries as an
 * overloaded Firehose does, and records what was sent and acknowledged.
 *
 * <p>moto cannot run the streams' transformation Lambdas (it has no Lambda runtime for processors),
 * so on AWS the lake stream's S3 objects would hold CSV rows and the index stream would feed
 * OpenSearch. Here the objects hold the records exactly as the app sent them, and the test runs the
 * delivered records through the Lambdas' own transformation classes ({@link FirehoseTransformer} with
 * {@link LakeRowTransformation} / {@link SearchDocumentTransformation}) to show what the Lambdas make of them.
 */
class FirehoseDirectIT {

    private static final String LAKE_STREAM = "wikiedits-lake";
    private static final String INDEX_STREAM = "wikiedits-index";
    private static final String LAKE_BUCKET = "lake-bucket";
    private static final String INDEX_BUCKET = "index-backup-bucket";

    private static MotoServer moto;
    private static FirehoseClient firehose;
    private static S3Client s3;
    private static FakeAwsCredentials fakeCredentials;

    @TempDir
    Path dir;

    private FirehoseFaultProxy proxy;
    private CamelContext context;
    private CheckpointStore checkpoints;
    private List<BatchDelivery<?>> sinks;

    @BeforeAll
    static void startMoto() throws Exception {
        moto = MotoServer.start();
        fakeCredentials = FakeAwsCredentials.install();
        StaticCredentialsProvider credentials = FakeAwsCredentials.provider();
        firehose = FirehoseClient.builder().endpointOverride(moto.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(credentials).build();
        s3 = S3Client.builder().endpointOverride(moto.endpoint()).region(Region.US_EAST_1).forcePathStyle(true)
                .credentialsProvider(credentials).build();
    }

    @AfterAll
    static void stopMoto() throws Exception {
        if (firehose != null) {
            firehose.close();
        }
        if (s3 != null) {
            s3.close();
        }
        if (moto != null) {
            moto.close();
        }
        if (fakeCredentials != null) {
            fakeCredentials.close();
        }
    }

    @BeforeEach
    void freshStreams() throws Exception {
        moto.reset();
        createDirectPutStream(LAKE_STREAM, LAKE_BUCKET);
        // on AWS this stream's destination is OpenSearch, which moto does not deliver to; S3 shows what it got
        createDirectPutStream(INDEX_STREAM, INDEX_BUCKET);
        proxy = new FirehoseFaultProxy(moto.url());
    }

    @AfterEach
    void stopApp() throws Exception {
        if (context != null) {
            context.stop();
        }
        if (proxy != null) {
            proxy.close();
        }
    }

    @Test
    void everyEventReachesBothStreamsAsItsOriginalBytesAndTheLambdasMakeTheContractRowsOfIt() throws Exception {
        List<String> events = events();
        startApp(Map.of());

        String last = send(events);

        await().atMost(Duration.ofSeconds(60)).until(() -> checkpoints.lastEventId().orElse(""), last::equals);
        List<String> delivered = admitted(events);
        assertThat(delivered.size()).as("more than two full batches").isGreaterThan(2 * BatchLimits.PUT_RECORD_BATCH.maxRecords());
        for (String stream : List.of(LAKE_STREAM, INDEX_STREAM)) {
            assertThat(flatten(proxy.forwarded(stream))).as(stream).containsExactlyInAnyOrderElementsOf(delivered);
            assertThat(proxy.received(stream)).allSatisfy(call -> assertThat(call).hasSizeLessThanOrEqualTo(500));
        }
        List<List<String>> lakeObjects = objectsAsRecords(LAKE_BUCKET, LAKE_STREAM);
        List<List<String>> indexObjects = objectsAsRecords(INDEX_BUCKET, INDEX_STREAM);
        assertThat(flatten(lakeObjects)).containsExactlyInAnyOrderElementsOf(delivered);
        assertThat(flatten(indexObjects)).containsExactlyInAnyOrderElementsOf(delivered);

        // what the streams' Lambdas make of the delivered records: exactly the contract's rows and documents
        assertLambdaOutput(lakeObjects, new LakeRowTransformation(), CsvRow::of);
        assertLambdaOutput(indexObjects, new SearchDocumentTransformation(), SearchDocument::toJson);
    }

    @Test
    void onlyTheRefusedEntriesAreSentAgainAndEachEventIsDeliveredOnce() throws Exception {
        List<String> events = events().subList(0, 700);
        // about one record in seven is refused the first time, differently in each stream
        proxy.refuseOnce(LAKE_STREAM, payload -> Math.floorMod(payload.hashCode(), 7) == 0);
        proxy.refuseOnce(INDEX_STREAM, payload -> Math.floorMod(payload.hashCode(), 7) == 3);
        startApp(Map.of());

        String last = send(events);

        await().atMost(Duration.ofSeconds(60)).until(() -> checkpoints.lastEventId().orElse(""), last::equals);
        List<String> delivered = admitted(events);
        for (String stream : List.of(LAKE_STREAM, INDEX_STREAM)) {
            List<String> refused = List.copyOf(proxy.refusedOnce(stream));
            assertThat(refused).as(stream).isNotEmpty();
            List<String> sentTwice = new ArrayList<>(flatten(proxy.received(stream)));
            delivered.forEach(sentTwice::remove);
            // everything was sent once, and the refused records exactly once more: nothing else was re-sent
            assertThat(sentTwice).as(stream).containsExactlyInAnyOrderElementsOf(refused);
            assertThat(flatten(proxy.forwarded(stream))).as(stream).containsExactlyInAnyOrderElementsOf(delivered);
        }
        assertThat(flatten(objectsAsRecords(LAKE_BUCKET, LAKE_STREAM))).containsExactlyInAnyOrderElementsOf(delivered);
        assertThat(sinks.get(0).resentRecords()).isEqualTo(proxy.refusedOnce(LAKE_STREAM).size());
        assertThat(sinks.get(1).resentRecords()).isEqualTo(proxy.refusedOnce(INDEX_STREAM).size());
    }

    @Test
    void theCheckpointWaitsUntilBothStreamsHaveAcknowledged() throws Exception {
        List<String> events = events().subList(0, 40);
        proxy.refuseAll(INDEX_STREAM, true);
        startApp(Map.of());

        String last = send(events);

        List<String> delivered = admitted(events);
        await().atMost(Duration.ofSeconds(30)).until(() -> flatten(proxy.forwarded(LAKE_STREAM)).size() == delivered.size());
        await().atMost(Duration.ofSeconds(30)).until(() -> proxy.received(INDEX_STREAM).size() >= 3);
        assertThat(checkpoints.lastEventId()).as("the lake has everything, the index nothing").isEmpty();
        assertThat(sinks.get(1).problem()).hasValueSatisfying(problem -> assertThat(problem).contains("refused by Firehose stream "
                + INDEX_STREAM));

        proxy.refuseAll(INDEX_STREAM, false);

        await().atMost(Duration.ofSeconds(30)).until(() -> checkpoints.lastEventId().orElse(""), last::equals);
        assertThat(flatten(proxy.forwarded(INDEX_STREAM))).containsExactlyInAnyOrderElementsOf(delivered);
        assertThat(sinks.get(1).problem()).isEmpty();
    }

    @Test
    void stoppingTheAppSendsTheRecordsItStillHolds() throws Exception {
        List<String> events = events().subList(0, 30);
        startApp(Map.of("wikiedits.firehose.linger-ms", "600000"));

        String last = send(events);
        await().atMost(Duration.ofSeconds(30)).until(() -> List.of("firehose-lakeBatches", "firehose-indexBatches").stream()
                .allMatch(name -> context.getRegistry().lookupByNameAndType(name, EventBatches.class).pendingRecords()
                        == admitted(events).size()));
        assertThat(proxy.received(LAKE_STREAM)).isEmpty();

        context.stop();

        assertThat(flatten(proxy.forwarded(LAKE_STREAM))).containsExactlyInAnyOrderElementsOf(admitted(events));
        assertThat(flatten(proxy.forwarded(INDEX_STREAM))).containsExactlyInAnyOrderElementsOf(admitted(events));
        assertThat(checkpoints.lastEventId()).contains(last);
    }

    // ------------------------------------------------------------------ the app

    /** The firehose-direct routes and beans, fed by a source step as the pipeline's source route does. */
    private void startApp(Map<String, String> overrides) throws Exception {
        Properties properties = new Properties();
        try (InputStream in = getClass().getResourceAsStream("/application.properties")) {
            properties.load(in);
        }
        properties.put("wikiedits.aws.region", MotoServer.REGION);
        properties.put("wikiedits.firehose.lake-stream", LAKE_STREAM);
        properties.put("wikiedits.firehose.index-stream", INDEX_STREAM);
        properties.put("wikiedits.firehose.endpoint", proxy.url());
        properties.put("wikiedits.firehose.linger-ms", "50");
        properties.put("wikiedits.firehose.retry-base-ms", "10");
        properties.put("wikiedits.firehose.retry-max-ms", "50");
        properties.putAll(overrides);

        context = new DefaultCamelContext();
        context.getPropertiesComponent().setInitialProperties(properties);
        SedaComponent seda = new SedaComponent();
        seda.setQueueSize(10_000);
        seda.setDefaultBlockWhenFull(true);
        context.addComponent("seda", seda);

        checkpoints = new CheckpointStore(dir.resolve("state"), "test-source");
        CommitTracker tracker = new CommitTracker(checkpoints, FirehoseBeans.SINKS);
        DeadLetterStore deadLetters = new DeadLetterStore(dir.resolve("dead-letter"));
        sinks = FirehoseBeans.bind(context, tracker, deadLetters).stream().<BatchDelivery<?>>map(sink -> (BatchDelivery<?>) sink).toList();
        context.getRegistry().bind("admitEvent", new AdmitEvent(tracker, deadLetters, new PipelineStats()));
        // the stream routes are made from the batched-stream template, which every mode loads
        PluginHelper.getRoutesLoader(context).loadRoutes(PluginHelper.getResourceLoader(context)
                .resolveResource("classpath:routes/sinks.camel.yaml"));
        PluginHelper.getRoutesLoader(context).loadRoutes(PluginHelper.getResourceLoader(context)
                .resolveResource("classpath:routes/aws/firehose-direct/publish.camel.yaml"));
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:source").routeId("test-source").process("admitEvent").to("direct:publish");
            }
        });
        context.start();
    }

    /** Sends the events as the source would (one id each, in order); returns the id of the last. */
    private String send(List<String> events) {
        String last = null;
        try (ProducerTemplate template = context.createProducerTemplate()) {
            for (int i = 0; i < events.size(); i++) {
                last = "sse-" + i;
                template.sendBodyAndHeader("direct:source", events.get(i), Headers.SOURCE_POSITION, last);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return last;
    }

    // ------------------------------------------------------------------ events

    /**
     * The fixture events, then the recorded samples when {@code ../shared/samples} exists (else
     * generated edits), ending with a readable event so that the checkpoint can reach the last id.
     */
    private static List<String> events() throws IOException {
        List<String> events = new ArrayList<>();
        Fixtures.eventNames().forEach(name -> events.add(Fixtures.event(name)));
        List<String> samples = Samples.linesIfPresent();
        events.addAll(samples);
        if (samples.isEmpty()) {
            for (int i = 0; i < 1200; i++) {
                events.add(Fixtures.event("edit-basic").replace("\"id\":\"", "\"id\":\"gen-" + i + "-"));
            }
        }
        events.add(Fixtures.event("edit-unicode"));
        return events;
    }

    /** The events AdmitEvent passes on (readable, not canaries), in order. */
    private static List<String> admitted(List<String> events) {
        return events.stream().filter(raw -> read(raw) != null && !read(raw).isCanary()).toList();
    }

    private static RecentChange read(String raw) {
        try {
            return RecentChangeReader.read(raw);
        } catch (MalformedEventException e) {
            return null;
        }
    }

    // ------------------------------------------------------------------ moto

    private static void createDirectPutStream(String name, String bucket) {
        s3.createBucket(b -> b.bucket(bucket));
        firehose.createDeliveryStream(b -> b.deliveryStreamName(name).deliveryStreamType(DeliveryStreamType.DIRECT_PUT)
                .extendedS3DestinationConfiguration(d -> d.bucketARN("arn:aws:s3:::" + bucket)
                        .roleARN("arn:aws:iam::" + MotoServer.ACCOUNT + ":role/wikiedits-firehose").prefix("wikiedits/")));
    }

    /**
     * The S3 objects of {@code bucket}, each split into the records it is made of. moto writes one
     * object per PutRecordBatch, the records' bytes back to back; an object must equal, byte for byte,
     * the concatenation of one call's records as the proxy forwarded them.
     */
    private List<List<String>> objectsAsRecords(String bucket, String stream) {
        List<List<String>> calls = new ArrayList<>(proxy.forwarded(stream));
        List<List<String>> objects = new ArrayList<>();
        for (S3Object object : s3.listObjectsV2Paginator(b -> b.bucket(bucket)).contents()) {
            byte[] bytes = s3.getObjectAsBytes(b -> b.bucket(bucket).key(object.key())).asByteArray();
            List<String> match = calls.stream().filter(call -> java.util.Arrays.equals(concat(call), bytes)).findFirst()
                    .orElseThrow(() -> new AssertionError("object " + object.key() + " (" + bytes.length
                            + " bytes) is not the records of any acknowledged PutRecordBatch to " + stream));
            calls.remove(match);
            objects.add(match);
        }
        assertThat(calls).as("acknowledged batches without an S3 object").isEmpty();
        return objects;
    }

    private static byte[] concat(List<String> records) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        records.forEach(r -> out.writeBytes(r.getBytes(StandardCharsets.UTF_8)));
        return out.toByteArray();
    }

    private static List<String> flatten(List<List<String>> calls) {
        return calls.stream().flatMap(List::stream).toList();
    }

    /** Runs each object's records through the Lambda transformation as one Firehose invocation. */
    private static void assertLambdaOutput(List<List<String>> objects, EventTransformation transformation,
            java.util.function.Function<RecentChange, String> expected) {
        FirehoseTransformer transformer = new FirehoseTransformer(transformation);
        for (List<String> records : objects) {
            List<FirehoseTransformationRequest.Record> input = new ArrayList<>();
            for (int i = 0; i < records.size(); i++) {
                input.add(new FirehoseTransformationRequest.Record("r" + i, 0L,
                        Base64.getEncoder().encodeToString(records.get(i).getBytes(StandardCharsets.UTF_8)), null));
            }
            FirehoseTransformationResponse response = transformer.transform(
                    new FirehoseTransformationRequest("it", "arn:aws:firehose:us-east-1:123456789012:deliverystream/x", null,
                            MotoServer.REGION, input), line -> { });
            assertThat(response.records()).hasSameSizeAs(records);
            for (int i = 0; i < records.size(); i++) {
                FirehoseTransformationResponse.Record answer = response.records().get(i);
                assertThat(answer.recordId()).isEqualTo("r" + i);
                assertThat(answer.result()).isEqualTo(FirehoseTransformationResponse.Result.OK);
                String payload = new String(Base64.getDecoder().decode(answer.data()), StandardCharsets.UTF_8);
                assertThat(payload).isEqualTo(expected.apply(read(records.get(i))));
            }
        }
    }

}
