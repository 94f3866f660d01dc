package org.wikiedits.wiring;

import org.wikiedits.commit.AdmitEvent;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.camel.Exchange;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.aws2.kinesis.Kinesis2Constants;
import org.apache.camel.component.aws2.s3.AWS2S3Constants;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.model.BeanDefinition;
import org.junit.jupiter.api.Test;
import org.wikiedits.commit.CommitTracker;
import org.wikiedits.commit.FlushOnStop;
import org.wikiedits.commit.Headers;
import org.wikiedits.commit.SeqRuns;
import org.wikiedits.sink.lake.LakeRowProcessor;
import org.wikiedits.sink.lake.LakeSink;
import org.wikiedits.transform.Fixtures;
import org.wikiedits.transform.RecentChange;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * routes/aws/camel/lake.camel.yaml: a Kinesis record -> kinesis-records -> kinesisIntake -> kinesisAdmit
 * -> kinesis-index (a mock here) -> s3-lake-write (template lake-sink: lakeRow -> lakeCsv -> lakeSink.write); and s3-lake-roll: the
 * waiting files -> CamelAwsS3Key -> aws2-s3 (a mock answering as the producer does; the real endpoint
 * against s3proxy is in CamelDeliveryIT) -> s3LakeUploads.acknowledged.
 */
class CamelDeliveryLakeRouteTest extends CamelDeliveryRouteTestSupport {

    private static final String SEQ_1 = "49590338271490256608559692538361571095921575989136588801";
    private static final String SEQ_2 = "49590338271490256608559692538361571095921575989136588802";

    private void startLakeRoutes(boolean sinkFails) throws Exception {
        loadCamelDeliveryRoutes();
        AdviceWith.adviceWith(context, "s3-lake", route -> {
            route.replaceFromWith("direct:kinesis-records");
            route.weaveByToUri("seda:kinesis-index").replace().to("mock:kinesis-index");
            route.weaveByToUri("seda:s3-lake-roll*").replace().to("mock:s3-lake-roll");
        });
        // the lake's steps (template lake-sink), on s3-lake's thread
        AdviceWith.adviceWith(context, "s3-lake-write", route -> {
            if (sinkFails) {
                route.weaveByType(BeanDefinition.class).replace().throwException(new IllegalStateException("bucket policy denies PutObject"));
            } else {
                route.weaveByType(BeanDefinition.class).before().to("mock:lakeSink");
            }
        });
        // the index route has its own test; as direct: its queue does not hold up the shutdown
        AdviceWith.adviceWith(context, "kinesis-index", route -> route.replaceFromWith("direct:kinesis-index"));
        context.start();
    }

    @Test
    void theConsumerRoutePutsEachRecordWithItsShardAndSequenceNumberOnTheRecordsQueue() throws Exception {
        startLakeRoutes(false);
        MockEndpoint records = getMockEndpoint("mock:kinesis-records");

        sendRecord("direct:kinesis", Fixtures.event("edit-basic"), SEQ_1);

        assertThat(records.getReceivedCounter()).isEqualTo(1);
        Exchange record = records.getExchanges().get(0);
        assertThat(record.getMessage().getBody(byte[].class)).isEqualTo(Fixtures.event("edit-basic").getBytes(StandardCharsets.UTF_8));
        assertThat(record.getMessage().getHeader(Kinesis2Constants.SHARD_ID)).isEqualTo(SHARD);
        assertThat(record.getMessage().getHeader(Kinesis2Constants.SEQUENCE_NUMBER)).isEqualTo(SEQ_1);
        assertThat(getMockEndpoint("mock:lakeSink").getReceivedCounter()).as("the queue decouples the lake").isZero();
    }

    @Test
    void aRecordReachesTheIndexQueueAsItsEventAndTheLakeSinkAsItsExpectedCsvRow() throws Exception {
        startLakeRoutes(false);
        MockEndpoint index = getMockEndpoint("mock:kinesis-index");
        MockEndpoint lake = getMockEndpoint("mock:lakeSink");

        sendRecord("direct:kinesis-records", Fixtures.event("edit-with-quotes-and-commas"), SEQ_1);
        sendRecord("direct:kinesis-records", Fixtures.event("edit-basic"), SEQ_2);

        assertThat(index.getReceivedCounter()).isEqualTo(2);
        Exchange toIndex = index.getExchanges().get(0);
        assertThat(toIndex.getMessage().getBody(RecentChange.class)).isEqualTo(Fixtures.recentChange("edit-with-quotes-and-commas"));
        assertThat(toIndex.getMessage().getHeader(Headers.SEQ)).isEqualTo(1L);
        assertThat(toIndex.getProperty(Headers.RAW)).isEqualTo(Fixtures.event("edit-with-quotes-and-commas"));

        assertThat(lake.getReceivedCounter()).isEqualTo(2);
        Exchange toLake = lake.getExchanges().get(1);
        assertThat(new String(toLake.getMessage().getBody(byte[].class), StandardCharsets.UTF_8))
                .isEqualTo(Fixtures.expectedCsv("edit-basic"));
        assertThat(toLake.getMessage().getHeader(Headers.PARTITION)).isEqualTo("dt=2026-08-04/hour=15");
        assertThat(toLake.getMessage().getHeader(Headers.EVENT_ID)).isEqualTo("7a4bd0e1-3f8c-4b52-9d1e-2c6f8a0b1e01");
        assertThat(toLake.getMessage().getHeader(Headers.SEQ)).isEqualTo(2L);
        assertThat(lakeWriter.written()).isEqualTo(2);
        assertThat(deadLetterLines()).isEmpty();
    }

    @Test
    void theFlushTickQueuedWhenCamelStopsWakesTheRollRouteAndReachesNeitherSink() throws Exception {
        startLakeRoutes(false);
        sendRecord("direct:kinesis-records", Fixtures.event("edit-basic"), SEQ_1);

        template.sendBodyAndHeader("direct:kinesis-records", null, Headers.FLUSH, Headers.FLUSH_ALL);

        assertThat(getMockEndpoint("mock:s3-lake-roll").getReceivedCounter()).isEqualTo(1);
        assertThat(getMockEndpoint("mock:s3-lake-roll").getExchanges().get(0).getMessage().getHeader(Headers.FLUSH))
                .as("the roll route commits every buffer on it").isEqualTo(Headers.FLUSH_ALL);
        assertThat(getMockEndpoint("mock:kinesis-index").getReceivedCounter()).isEqualTo(1);
        assertThat(getMockEndpoint("mock:lakeSink").getReceivedCounter()).isEqualTo(1);
        assertThat(tracker.lastAdmitted()).as("the tick is no event").isEqualTo(1);
        assertThat(deadLetterLines()).isEmpty();
    }

    @Test
    void anUnreadableRecordIsDeadLetteredAndGoesToNeitherSink() throws Exception {
        startLakeRoutes(false);
        String raw = Fixtures.malformed("truncated.json");

        sendRecord("direct:kinesis-records", raw, SEQ_1);

        assertThat(getMockEndpoint("mock:kinesis-index").getReceivedCounter()).isZero();
        assertThat(getMockEndpoint("mock:lakeSink").getReceivedCounter()).isZero();
        assertThat(deadLetterLines()).singleElement().satisfies(letter -> {
            assertThat(letter.path("raw").asText()).isEqualTo(raw);
            assertThat(letter.path("reason").asText()).startsWith(Fixtures.expectedReason("truncated.json"));
        });
        // settled: the shard position of the record is the consumer's checkpoint
        assertThat(tracker.store().lastEventId()).contains(SHARD + ":" + SEQ_1);
    }

    @Test
    void anExceptionAtTheLakeSinkStepDeadLettersTheEventWithItsEventIdAndRawText() throws Exception {
        startLakeRoutes(true);
        String raw = Fixtures.event("edit-basic");

        sendRecord("direct:kinesis-records", raw, SEQ_1);

        assertThat(deadLetterLines()).singleElement().satisfies(letter -> {
            assertThat(letter.path("event_id").asText()).isEqualTo("7a4bd0e1-3f8c-4b52-9d1e-2c6f8a0b1e01");
            assertThat(letter.path("raw").asText()).isEqualTo(raw);
            assertThat(letter.path("reason").asText()).isEqualTo("s3-lake: IllegalStateException: bucket policy denies PutObject");
        });
        assertThat(tracker.halted()).isEmpty();
        assertThat(tracker.store().lastEventId()).as("a lake dead letter settles the record for the lake only; the index"
                + " (a mock here) has not acknowledged it").isEmpty();
        tracker.handled("index", SeqRuns.of(1));
        assertThat(tracker.store().lastEventId()).contains(SHARD + ":" + SEQ_1);
    }

    private static final String KEY_1 = "wikiedits/dt=2026-08-04/hour=15/part-20260804T150100-abcd1234-1.csv";
    private static final String KEY_2 = "wikiedits/dt=2026-08-04/hour=16/part-20260804T160100-abcd1234-2.csv";

    /** A completed lake file waiting for upload, as S3LakeStorage queues it. */
    private Path waitingFile(String key, String rows) throws IOException {
        Path file = Files.writeString(work.resolve(key.substring(key.lastIndexOf('/') + 1)), rows);
        uploads.add(key, file, Files.size(file));
        return file;
    }

    /** The mock answers as the aws2-s3 producer does after S3 said OK: the key it put and the object's ETag. */
    private static void answerAsTheProducer(Exchange exchange) {
        exchange.getMessage().setHeader(AWS2S3Constants.PRODUCED_KEY, exchange.getMessage().getHeader(AWS2S3Constants.KEY));
        exchange.getMessage().setHeader(AWS2S3Constants.E_TAG, "\"0123456789abcdef\"");
    }

    @Test
    void theRollRoutePutsEachWaitingFileUnderItsKeyOldestFirstAndOnlyThenReleasesTheLakesReport() throws Exception {
        startLakeRoutes(false);
        List<String> puts = new CopyOnWriteArrayList<>();
        List<Object> bodies = new CopyOnWriteArrayList<>();
        List<String> reports = new CopyOnWriteArrayList<>();
        getMockEndpoint("mock:aws2-s3").whenAnyExchangeReceived(exchange -> {
            puts.add(exchange.getMessage().getHeader(AWS2S3Constants.KEY, String.class) + " "
                    + exchange.getMessage().getHeader(AWS2S3Constants.CONTENT_TYPE) + " reports so far: " + reports);
            bodies.add(exchange.getMessage().getBody());
            answerAsTheProducer(exchange);
        });
        Path first = waitingFile(KEY_1, "row 1\n");
        Path second = waitingFile(KEY_2, "row 2\n");
        uploads.afterUploaded(() -> reports.add("lake handled up to 2"));

        template.sendBody("direct:s3-lake-roll", null);

        assertThat(puts).containsExactly(KEY_1 + " text/csv; charset=utf-8 reports so far: []",
                KEY_2 + " text/csv; charset=utf-8 reports so far: []");
        assertThat(bodies).as("the endpoint uploads the local file itself").containsExactly(first.toFile(), second.toFile());
        assertThat(reports).containsExactly("lake handled up to 2");
        assertThat(uploads.waiting()).isEmpty();
        assertThat(first).doesNotExist();
        assertThat(second).doesNotExist();
    }

    @Test
    void aPutThatFailsIsRetriedWithBackoffWhileTheLaterFilesAndTheReportWait() throws Exception {
        startLakeRoutes(false);
        List<String> attempts = new CopyOnWriteArrayList<>();
        List<String> reports = new CopyOnWriteArrayList<>();
        getMockEndpoint("mock:aws2-s3").whenAnyExchangeReceived(exchange -> {
            String key = exchange.getMessage().getHeader(AWS2S3Constants.KEY, String.class);
            attempts.add(key + (reports.isEmpty() ? "" : " after the report"));
            if (attempts.size() <= 2) {
                throw SdkClientException.create("Unable to execute HTTP request: Connect to 127.0.0.1:9 failed: Connection refused");
            }
            answerAsTheProducer(exchange);
        });
        waitingFile(KEY_1, "row 1\n");
        waitingFile(KEY_2, "row 2\n");
        uploads.afterUploaded(() -> reports.add("lake handled up to 2"));

        template.sendBody("direct:s3-lake-roll", null);

        assertThat(attempts).as("the same key again until S3 takes it; the next one only after it")
                .containsExactly(KEY_1, KEY_1, KEY_1, KEY_2);
        assertThat(reports).containsExactly("lake handled up to 2");
        assertThat(uploads.waiting()).isEmpty();
    }
}
