package org.wikiedits.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.firehose.model.PutRecordBatchResponse;
import software.amazon.awssdk.services.firehose.model.PutRecordBatchResponseEntry;
import software.amazon.awssdk.services.firehose.model.Record;

/** {@link BatchRetry} through {@link PutRecordBatchCall}, with a fake Firehose. */
class BatchRetryPutRecordBatchTest {

    /** A stand-in for PutRecordBatch: records every call's payloads and answers what the test scripted. */
    static final class FakeFirehose implements Function<List<Record>, PutRecordBatchResponse> {
        final List<List<String>> calls = new ArrayList<>();
        final Deque<Function<List<String>, PutRecordBatchResponse>> answers = new ArrayDeque<>();

        @Override
        public PutRecordBatchResponse apply(List<Record> records) {
            List<String> payloads = records.stream().map(r -> r.data().asUtf8String()).toList();
            calls.add(payloads);
            return answers.isEmpty() ? acceptAll(payloads) : answers.poll().apply(payloads);
        }
    }

    private final FakeFirehose firehose = new FakeFirehose();
    private final List<Long> sleeps = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();
    private final BatchRetry<FirehoseRecord> retry = new BatchRetry<>(BatchLimits.PUT_RECORD_BATCH, "wikiedits-lake",
            PutRecordBatchCall.to(firehose), 100, 1000, sleeps::add,
            attempt -> attempt > 10, problems::add);

    @Test
    void onlyTheEntriesWithAnErrorCodeAreSentAgainInTheirOrder() throws Exception {
        firehose.answers.add(payloads -> refuse(payloads, "b", "d"));

        BatchRetry.Outcome outcome = retry.send(records("a", "b", "c", "d", "e"));

        assertThat(firehose.calls).containsExactly(List.of("a", "b", "c", "d", "e"), List.of("b", "d"));
        assertThat(outcome).isEqualTo(new BatchRetry.Outcome(2, 2));
        assertThat(sleeps).hasSize(1);
        assertThat(problems).hasSize(2);
        assertThat(problems.get(0)).contains("2 of 5 records refused by Firehose stream wikiedits-lake")
                .contains("ServiceUnavailableException=2");
        assertThat(problems.get(1)).isNull();
    }

    @Test
    void repeatedPartialFailuresBackOffLongerEachTimeUpToTheMaximum() throws Exception {
        for (int i = 0; i < 6; i++) {
            firehose.answers.add(payloads -> refuse(payloads, "b"));
        }

        retry.send(records("a", "b"));

        assertThat(firehose.calls).hasSize(7);
        assertThat(firehose.calls.subList(1, 7)).allSatisfy(call -> assertThat(call).containsExactly("b"));
        // equal jitter: between half and all of 100, 200, 400, 800, 1000, 1000 ms
        long[] ceilings = {100, 200, 400, 800, 1000, 1000};
        for (int i = 0; i < ceilings.length; i++) {
            assertThat(sleeps.get(i)).isBetween(ceilings[i] / 2, ceilings[i]);
        }
    }

    @Test
    void aFailedCallIsRetriedWithTheWholeRemainingBatch() throws Exception {
        firehose.answers.add(payloads -> {
            throw SdkClientException.create("Unable to execute HTTP request: Connection refused");
        });

        retry.send(records("a", "b"));

        assertThat(firehose.calls).containsExactly(List.of("a", "b"), List.of("a", "b"));
        assertThat(problems.get(0)).contains("PutRecordBatch to wikiedits-lake failed").contains("Connection refused");
    }

    @Test
    void aBatchIsAbandonedOnlyWhenTheOwnerSaysSo() {
        BatchRetry<FirehoseRecord> stopping = new BatchRetry<>(BatchLimits.PUT_RECORD_BATCH, "wikiedits-index",
                PutRecordBatchCall.to(firehose), 1, 1, sleeps::add,
                attempt -> attempt > 3, problems::add);
        for (int i = 0; i < 5; i++) {
            firehose.answers.add(payloads -> refuse(payloads, "a"));
        }

        assertThatThrownBy(() -> stopping.send(records("a", "b")))
                .isInstanceOf(BatchRetry.GaveUpException.class)
                .hasMessageContaining("1 of 2 records not acknowledged by Firehose stream wikiedits-index after 3 calls");
    }

    @Test
    void anAnswerThatDoesNotMatchTheRequestIsAnError() {
        firehose.answers.add(payloads -> PutRecordBatchResponse.builder().failedPutCount(1)
                .requestResponses(PutRecordBatchResponseEntry.builder().errorCode("InternalFailure").build()).build());

        assertThatThrownBy(() -> retry.send(records("a", "b"))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("1 entries for 2 records");
    }

    static List<FirehoseRecord> records(String... payloads) {
        List<FirehoseRecord> records = new ArrayList<>();
        for (int i = 0; i < payloads.length; i++) {
            records.add(new FirehoseRecord(payloads[i].getBytes(StandardCharsets.UTF_8), i + 1, "id-" + payloads[i]));
        }
        return records;
    }

    static PutRecordBatchResponse acceptAll(List<String> payloads) {
        return refuse(payloads);
    }

    /** An answer that refuses the named payloads with ServiceUnavailableException and accepts the rest. */
    static PutRecordBatchResponse refuse(List<String> payloads, String... refused) {
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
