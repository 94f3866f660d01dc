package org.wikiedits.delivery;

import org.wikiedits.commit.CheckpointStore;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wikiedits.commit.CommitTracker;
import org.wikiedits.commit.Headers;
import org.wikiedits.commit.SeqRuns;
import org.wikiedits.sink.firehose.FirehoseRecord;
import org.wikiedits.sink.firehose.PutRecordBatchCall;
import org.wikiedits.sink.kinesis.PutRecordsCall;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.firehose.model.PutRecordBatchResponse;
import software.amazon.awssdk.services.firehose.model.PutRecordBatchResponseEntry;
import software.amazon.awssdk.services.firehose.model.Record;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;

/**
 * {@link BatchDelivery}'s steps as the route calls them (begin, then per call answered or callFailed
 * and pause, then acknowledge), over {@link PutRecordBatchCall} with scripted Firehose answers.
 * The route files themselves are tested in the *PublishRouteTest classes.
 */
public class BatchDeliveryTest {

    @TempDir
    Path dir;

    private final SinkProblem problem = new SinkProblem();
    private final List<List<String>> calls = new ArrayList<>();
    private CheckpointStore checkpoints;
    private CommitTracker tracker;
    private boolean giveUp;

    @BeforeEach
    void tracker() {
        checkpoints = new CheckpointStore(dir.resolve("state"), "test");
        tracker = new CommitTracker(checkpoints, List.of("firehose-lake"));
        for (int i = 1; i <= 5; i++) {
            tracker.admit("sse-" + i);
        }
    }

    private BatchDelivery<FirehoseRecord> delivery() {
        return new BatchDelivery<>("firehose-lake", "wikiedits-lake", new PutRecordBatchCall(), new Backoff(100, 1000),
                GiveUpOnStop.afterCalls(() -> giveUp, 3), problem, tracker);
    }

    private Exchange begin(BatchDelivery<FirehoseRecord> delivery, String... payloads) throws Exception {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.getMessage().setBody(new Batch<>(records(payloads), new SeqRuns()));
        delivery.begin(exchange);
        return exchange;
    }

    /** One call as the route makes it: the request body goes out, the answer comes back as the body. */
    private void answer(BatchDelivery<FirehoseRecord> delivery, Exchange exchange, String... refused) {
        List<String> sent = sentPayloads(exchange);
        calls.add(sent);
        exchange.getMessage().setBody(refuse(sent, refused));
        delivery.answered(exchange);
        delivery.pause(exchange);
    }

    private static int unsent(Exchange exchange) {
        return exchange.getProperty(Headers.UNSENT, Integer.class);
    }

    @Test
    void onlyTheRefusedEntriesAreSentAgainInTheirOrderAndThenTheBatchIsAcknowledged() throws Exception {
        BatchDelivery<FirehoseRecord> delivery = delivery();
        Exchange exchange = begin(delivery, "a", "b", "c", "d", "e");

        answer(delivery, exchange, "b", "d");
        assertThat(unsent(exchange)).isEqualTo(2);
        assertThat(exchange.getProperty(Headers.BACKOFF_MILLIS, Long.class)).isBetween(50L, 100L);
        assertThat(problem.current()).hasValueSatisfying(p -> assertThat(p)
                .contains("2 of 5 records refused by Firehose stream wikiedits-lake").contains("ServiceUnavailableException=2"));
        assertThat(checkpoints.lastEventId()).as("nothing acknowledged while records are refused").isEmpty();
        answer(delivery, exchange);
        assertThat(unsent(exchange)).isZero();
        assertThat(exchange.getProperty(Headers.BACKOFF_MILLIS, Long.class)).isZero();
        delivery.acknowledge(exchange);

        assertThat(calls).containsExactly(List.of("a", "b", "c", "d", "e"), List.of("b", "d"));
        assertThat(checkpoints.lastEventId()).contains("sse-5");
        assertThat(delivery.delivered()).isEqualTo(5);
        assertThat(delivery.calls()).isEqualTo(2);
        assertThat(delivery.resentRecords()).isEqualTo(2);
        assertThat(delivery.problem()).isEmpty();
    }

    @Test
    void aFailedCallKeepsEveryRecordForTheNextCall() throws Exception {
        BatchDelivery<FirehoseRecord> delivery = delivery();
        Exchange exchange = begin(delivery, "a", "b");
        calls.add(sentPayloads(exchange));
        exchange.getMessage().setBody("whatever the failed endpoint left");
        exchange.setProperty(Exchange.EXCEPTION_CAUGHT, SdkClientException.create("Unable to execute HTTP request: Connection refused"));

        delivery.callFailed(exchange);
        delivery.pause(exchange);

        assertThat(unsent(exchange)).isEqualTo(2);
        assertThat(sentPayloads(exchange)).containsExactly("a", "b");
        assertThat(delivery.problem()).hasValueSatisfying(p -> assertThat(p)
                .contains("PutRecordBatch to wikiedits-lake failed").contains("Connection refused"));
    }

    @Test
    void anAnswerThatDoesNotMatchTheRequestIsAnErrorForTheRouteToRetry() throws Exception {
        BatchDelivery<FirehoseRecord> delivery = delivery();
        Exchange exchange = begin(delivery, "a", "b");
        exchange.getMessage().setBody(PutRecordBatchResponse.builder().failedPutCount(1)
                .requestResponses(PutRecordBatchResponseEntry.builder().errorCode("InternalFailure").build()).build());

        assertThatThrownBy(() -> delivery.answered(exchange)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("1 entries for 2 records");
        assertThat(delivery.calls()).as("counted by callFailed, which the route's doCatch calls").isZero();
    }

    @Test
    void aBatchIsGivenUpOnlyWhenTheOwnerSaysSoAndNoLaterBatchIsAcknowledged() throws Exception {
        giveUp = true;
        BatchDelivery<FirehoseRecord> delivery = delivery();
        Exchange exchange = begin(delivery, "a", "b");
        answer(delivery, exchange, "a");
        answer(delivery, exchange, "a");
        List<String> sent = sentPayloads(exchange);
        exchange.getMessage().setBody(refuse(sent, "a"));
        delivery.answered(exchange);

        assertThatThrownBy(() -> delivery.pause(exchange)).isInstanceOf(BatchDelivery.GaveUpException.class)
                .hasMessageContaining("1 of 2 records not acknowledged by Firehose stream wikiedits-lake after 3 calls");
        assertThatThrownBy(() -> begin(delivery, "c")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("firehose-lake has stopped sending");
        assertThat(checkpoints.lastEventId()).isEmpty();
        assertThat(delivery.problem()).hasValueSatisfying(p -> assertThat(p).contains("not acknowledged"));
    }

    @Test
    void aBatchWithoutRecordsOnlyAcknowledgesItsDeadLetteredEvent() throws Exception {
        BatchDelivery<FirehoseRecord> delivery = delivery();
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.getMessage().setBody(new Batch<FirehoseRecord>(List.of(), SeqRuns.of(1)));

        delivery.begin(exchange);
        assertThat(unsent(exchange)).as("no call at all").isZero();
        delivery.acknowledge(exchange);

        assertThat(checkpoints.lastEventId()).contains("sse-1");
    }

    @Test
    void kinesisAnswersAreReadEntryByEntryToo() {
        PutRecordsCall call = new PutRecordsCall("wikiedits", null);
        PutRecordsResponse answer = PutRecordsResponse.builder().failedRecordCount(1).records(
                PutRecordsResultEntry.builder().shardId("shardId-000000000000").sequenceNumber("1").build(),
                PutRecordsResultEntry.builder().errorCode("ProvisionedThroughputExceededException").build()).build();

        assertThat(call.errorCodes(answer, 2)).containsExactly(null, "ProvisionedThroughputExceededException");
        assertThat(call.errorCodes(PutRecordsResponse.builder().failedRecordCount(0).build(), 2)).containsExactly(null, null);
    }

    private static List<String> sentPayloads(Exchange exchange) {
        List<?> records = exchange.getMessage().getBody(List.class);
        return records.stream().map(r -> ((Record) r).data().asUtf8String()).toList();
    }

    static List<FirehoseRecord> records(String... payloads) {
        List<FirehoseRecord> records = new ArrayList<>();
        for (int i = 0; i < payloads.length; i++) {
            records.add(new FirehoseRecord(payloads[i].getBytes(StandardCharsets.UTF_8), i + 1, "id-" + payloads[i]));
        }
        return records;
    }

    /** Firehose's answer refusing the named payloads with ServiceUnavailableException and accepting the rest. */
    public static PutRecordBatchResponse refuse(List<String> payloads, String... refused) {
        List<String> refusedList = List.of(refused);
        List<PutRecordBatchResponseEntry> entries = new ArrayList<>();
        int failed = 0;
        for (String payload : payloads) {
            if (refusedList.contains(payload)) {
                failed++;
                entries.add(PutRecordBatchResponseEntry.builder().errorCode("ServiceUnavailableException")
                        .errorMessage("Slow down.").build());
            } else {
                entries.add(PutRecordBatchResponseEntry.builder().recordId("rid-" + payload).build());
            }
        }
        return PutRecordBatchResponse.builder().failedPutCount(failed).requestResponses(entries).build();
    }
}
